"""督导 view model on a small hand-made county: cards, the summons list, coverage, the
unvisited list, every unit's rating and the report grid, against hand-computed values."""
from __future__ import annotations

import datetime as dt

import pytest

from duzhan.i18n import t
from duzhan.metrics.frames import Ledgers
from duzhan.metrics.report import scope_metrics
from duzhan.presentation import format as fmt
from duzhan.viewmodels import supervision as vm
from duzhan.viewmodels.source import LedgerSource
from tests.viewmodels.supervision_county import D, small_county


@pytest.fixture(scope="module")
def ledgers():
    return small_county()


def test_cards_county(ledgers):
    m = vm.build(LedgerSource(ledgers, D))
    got = {c.label: c for c in m.cards}
    cov = got[t("supervision.coverage")]
    assert cov.value == fmt.pct(1 / 3) and cov.now == pytest.approx(1 / 3, abs=1e-6)
    assert cov.then == pytest.approx(1 / 3, abs=1e-6)  # D − 7: the same two November visits
    assert got[t("supervision.visits")].value == "2"
    assert got[t("supervision.yellow_cards")].value == "0"  # 10-10 is before D − 27
    summons = got[t("supervision.summons_due")]
    assert summons.value == "1" and summons.worse == "up"
    assert "一村" in summons.caption
    assert got[t("supervision.reporting_rate")].now == pytest.approx(19 / 20)
    assert got[t("supervision.on_time_rate")].now == pytest.approx(18 / 20)
    # the figures are the metrics' own
    fig = scope_metrics(ledgers, D)
    assert fig["supervision"]["summons_due"] == 1
    assert cov.now == fig["supervision"]["coverage_this_month"]


def test_summons_and_unvisited(ledgers):
    m = vm.build(LedgerSource(ledgers, D))
    s = m.summons.frame
    assert list(s["unit_name"]) == ["一村"] and list(s["township"]) == ["甲乡"]
    assert list(s["first_date"]) == [dt.date(2026, 9, 10)]
    assert list(s["second_date"]) == [dt.date(2026, 10, 10)]
    assert list(s["first_leader"]) == ["张"] and list(s["second_leader"]) == ["李"]
    u = m.unvisited.frame
    assert list(u["unit_name"]) == ["安置点"]  # V1, V3 were visited in October
    assert list(u["last_visit"]) == [dt.date(2026, 11, 5)] and list(u["last_leader"]) == ["赵"]


def test_units_and_ratings(ledgers):
    m = vm.build(LedgerSource(ledgers, D))
    f = m.units.frame
    assert list(f["unit_name"]) == ["甲乡", "一村", "三村", "安置点"]
    assert list(f["rating"]) == ["好", "差", "一般", "较好"]
    assert list(f["visited_this_month"]) == ["是", "否", "否", "是"]
    assert m.units_caption == t("supervision.units.caption", n="4", good="1", fair="1",
                                average="1", poor="1")


def test_report_grid(ledgers):
    m = vm.build(LedgerSource(ledgers, D))
    f = m.reports.frame.set_index("township_code")
    assert f.loc["02", "2026-03"] == t("supervision.report.late")
    assert f.loc["02", "2026-10"] == t("supervision.report.missing")
    assert f.loc["02", "2026-11"] == t("supervision.report.not_due")
    assert f.loc["01", "2026-10"] == t("supervision.report.on_time")
    assert f.loc["02", "reporting_rate"] == pytest.approx(90)
    assert f.loc["02", "on_time_rate"] == pytest.approx(80)
    assert f.loc["01", "reporting_rate"] == pytest.approx(100)
    heat = m.reports_chart.figure.data[0]
    assert list(heat.y) == ["甲乡", "乙乡"] and len(heat.x) == 12
    # months written as every other month of the page (2026年3月), in the chart and the table
    assert "2026年3月" in list(heat.x) and not any("-" in x for x in heat.x)
    labels = {c.key: c.label for c in m.reports.columns}
    assert labels["2026-03"] == "2026年3月"


def test_one_township_english(ledgers):
    m = vm.build(LedgerSource(ledgers, D, "en", ("02",)))
    assert m.coverage_chart is None and m.compare_note
    assert m.summons is None  # 一村 is in 甲乡
    assert list(m.units.frame["unit_name"]) == ["三村", "安置点"]
    assert list(m.units.frame["kind"]) == ["listed village", "site"]
    got = {c.label: c for c in m.cards}
    assert got["Coverage this month"].value == fmt.pct(1 / 2)
    assert got["Reporting rate"].now == pytest.approx(9 / 10)
    assert list(m.reports.frame["township"]) == ["乙乡"]


def test_no_supervision_yet(ledgers):
    """Before any supervision and report: the unvisited list and the grid say why not."""
    m = vm.build(LedgerSource(ledgers, dt.date(2026, 1, 15)))
    assert m.unvisited is None and m.unvisited_note == t("supervision.unvisited.null")
    assert m.reports_note == t("supervision.reports.not_in_use") and m.reports is None
    assert m.summons is None


def test_overview_says_who_is_summoned(ledgers):
    """The overview: 甲乡 is red for the summons due and its reason names 一村; the county's
    own reasons and the attention ranking too; the 督导 cards are there."""
    from duzhan.viewmodels import overview

    m = overview.build(LedgerSource(ledgers, D))
    (red,) = [f for f in m.flagged if f.status == "red"]
    assert red.code == "01"
    who = t("reason.summons_due_who", value=1, units="一村")
    assert who in red.reasons
    assert who in m.scope_reasons
    ranked = m.attention.frame.set_index("township")
    assert who in ranked.loc["甲乡", "reasons"] and ranked.loc["甲乡", "rank"] == 1
    labels = [c.label for c in m.supervision_cards]
    assert labels == [t(k) for k in vm.OVERVIEW_CARDS]
    summons = m.supervision_cards[2]
    assert summons.value == "1" and "一村" in summons.caption


def test_overview_without_supervision_ledgers():
    """A county with none of the new ledgers: no 督导 cards, no summons reason."""
    from duzhan.viewmodels import overview

    plain = Ledgers.from_records(townships=[{"township_code": "01", "township_name": "甲乡"}])
    m = overview.build(LedgerSource(plain, D))
    assert m.supervision_cards == [] and not m.flagged
