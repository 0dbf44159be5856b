"""The briefing pack's 督导 pages on a small hand-made county: the cards, coverage and the
report grid, the 约谈 list naming the unit, its dates and leaders; the red township's reason
on the cover says who; a store without supervisions and reports gets no 督导 page. The 督导
pages come after 贷款 and before 户情."""
from __future__ import annotations

import pytest

from duzhan.exports.brief import BriefInputs, content, plan
from duzhan.exports.stamp import Stamp
from duzhan.i18n import t
from duzhan.metrics.frames import Ledgers
from duzhan.metrics.report import metrics_report, scope_metrics
from duzhan.presentation import format as fmt
from duzhan.viewmodels.common import week_before
from tests.viewmodels.supervision_county import D, small_county


def inputs_of(ledgers: Ledgers, lang: str = "zh") -> BriefInputs:
    names = dict(zip(ledgers.townships["township_code"], ledgers.townships["township_name"],
                     strict=False))
    return BriefInputs(as_of=D, lang=lang, codes=None, ledgers=ledgers,
                       report=metrics_report(ledgers, D), county_report=metrics_report(ledgers, D),
                       figures=scope_metrics(ledgers, D),
                       before=scope_metrics(ledgers, week_before(D)),
                       stamp=Stamp(t("scope.county", lang), D, lang=lang), names=names)


@pytest.fixture(scope="module")
def inputs():
    return inputs_of(small_county())


def _at(pages, key):
    return next(i for i, p in enumerate(pages) if p.key == key)


def test_supervision_pages(inputs):
    pages = plan(inputs)
    keys = [p.key for p in pages]
    at = _at(pages, "supervision")
    assert keys[at - 1:at + 3] == ["loans", "supervision", "summons", "households"]
    page = pages[at]
    assert page.title == t("exports.brief.page.supervision")
    assert [s.kind for s in page.slots] == ["cards", "chart", "chart"]
    cards = {c.label: c for c in page.slots[0].payload}
    assert cards[t("supervision.summons_due")].value == "1"
    assert cards[t("supervision.coverage")].value == fmt.pct(1 / 3)
    assert fmt.pct(0.95) in page.note and fmt.pct(1 / 3) in page.note
    coverage, grid = (s.make() for s in page.slots[1:])
    assert list(grid.data[0].y) == ["甲乡", "乙乡"]
    assert sorted(coverage.data[0].y) == ["乙乡", "甲乡"]


def test_summons_list_names_the_unit(inputs):
    pages = plan(inputs)
    block = pages[_at(pages, "summons")].slots[0].payload
    (row,) = block.rows
    assert row["unit"] == "一村" and row["township"] == "甲乡"
    assert row["first_date"] == fmt.day("2026-09-10") and row["first_leader"] == "张"
    assert row["second_date"] == fmt.day("2026-10-10") and row["second_leader"] == "李"


def test_the_cover_says_who_is_summoned(inputs):
    (red,) = content.red_townships(inputs)
    assert red.name == "甲乡"
    assert t("reason.summons_due_who", value=1, units="一村") in red.reasons
    assert any("一村" in r for r in content.scope_reasons(inputs))


def test_no_supervision_page_without_the_ledgers():
    plain = Ledgers.from_records(townships=[{"township_code": "01", "township_name": "甲乡"}])
    keys = [p.key for p in plan(inputs_of(plain))]
    assert "supervision" not in keys and "summons" not in keys


def test_no_summons_page_when_nobody_is_due():
    """Before the second yellow card (2026-10-10) nobody is due: the 督导 page, no list."""
    import datetime as dt

    ledgers = small_county()
    day = dt.date(2026, 10, 1)
    inputs = BriefInputs(as_of=day, lang="zh", codes=None, ledgers=ledgers,
                         report=metrics_report(ledgers, day),
                         county_report=metrics_report(ledgers, day),
                         figures=scope_metrics(ledgers, day), before=None,
                         stamp=Stamp(t("scope.county"), day), names={"01": "甲乡", "02": "乙乡"})
    keys = [p.key for p in plan(inputs)]
    assert "summons" not in keys
    assert keys[keys.index("supervision") + 1] == "households"
