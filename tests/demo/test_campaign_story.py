"""The demo county's supervision and household ledgers tell the story they were made for.

Everything is asserted through the metric functions (src/metrics/supervision.py, reports.py,
households.py) on the demo frames as of the default day (the suite's pinned today, also when
$DUZHAN_TODAY tries another day), and on what the store holds after `duzhan init --demo` (the
importer with all its rules).
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from duzhan import clock
from duzhan.demo.county import (
    BEHIND_TOWNSHIP,
    GAP_TOWNSHIPS,
    LAGGING_SITE_TOWNSHIP,
    LOAN_RISK_TOWNSHIP,
    LOW_COVERAGE_TOWNSHIP,
    MISSING_REPORTS_TOWNSHIP,
    SLOW_ASSIST_TOWNSHIP,
    TOWNSHIPS,
    YELLOW_TOWNSHIPS,
)
from duzhan.demo.generator import build_demo_frames
from duzhan.metrics import households as H
from duzhan.metrics import reports as R
from duzhan.metrics import supervision as S
from duzhan.metrics.frames import Ledgers
from duzhan.metrics.status import campaign_reasons
from tests.conftest import PINNED_TODAY

CODES = [t.code for t in TOWNSHIPS]
WEAK = {BEHIND_TOWNSHIP, LOAN_RISK_TOWNSHIP, *YELLOW_TOWNSHIPS}  # not green before these ledgers
NEW_LEDGERS = ("sites", "site_checks", "supervisions", "reports", "monitored", "guarantees")


@pytest.fixture(scope="module")
def D() -> date:
    return date.fromisoformat(PINNED_TODAY)


@pytest.fixture(scope="module")
def frames(D):
    return build_demo_frames(D)


def _ledgers(frames) -> Ledgers:
    return Ledgers.from_records(**{k: df.to_dict("records") for k, df in frames.items()})


@pytest.fixture(scope="module")
def L(frames) -> Ledgers:
    return _ledgers(frames)


def _sup(L, as_of, townships=None):
    return S.supervision_metrics(L.villages, L.sites, L.supervisions, L.phases, as_of, townships)


def _phase_end(L, no: int) -> date:
    return L.phases.set_index("phase_no").loc[no, "end_date"].date()


# ------------------------------------------------------------------ through the importer

@pytest.fixture(scope="module")
def today_frames(D, frames):
    """The frames `duzhan init --demo` imported (made as of clock.today())."""
    return frames if clock.today() == D else build_demo_frames(clock.today())


def test_the_demo_imports_with_every_row(demo_ledgers, today_frames):
    # duzhan init --demo (the fixture) asserts the import was accepted under every rule
    for key in NEW_LEDGERS:
        assert len(getattr(demo_ledgers, key)) == len(today_frames[key]) > 0, key


def test_the_store_gives_the_same_figures(demo_ledgers, today_frames):
    stored, L, D = demo_ledgers, _ledgers(today_frames), clock.today()
    assert _sup(stored, D) == _sup(L, D)
    assert (R.report_metrics(stored.townships, stored.reports, stored.phases, D)
            == R.report_metrics(L.townships, L.reports, L.phases, D))
    assert H.monitoring_metrics(stored.monitored, D) == H.monitoring_metrics(L.monitored, D)
    assert (H.guarantee_metrics(stored.guarantees, stored.townships, D)
            == H.guarantee_metrics(L.guarantees, L.townships, D))
    assert (H.relocation_metrics(stored.sites, stored.site_checks, D)
            == H.relocation_metrics(L.sites, L.site_checks, D))


# ------------------------------------------------------------------ supervision

def test_exactly_one_summons_due_and_named(L, D):
    m = _sup(L, D)
    assert m["summons_due"] == 1
    s = S.summons_list(L.villages, L.sites, L.supervisions, D)
    assert len(s) == 1
    due = s.iloc[0]
    assert due["township_code"] == BEHIND_TOWNSHIP and not due["is_township"]
    names = dict(zip(L.villages["village_code"], L.villages["village_name"], strict=True))
    assert due["name"] == names[due["unit"]]
    assert due["first_leader"] and due["second_leader"]
    # its last two visits, both carded, are the two dates of the summons
    v = L.supervisions[L.supervisions["target_code"] == due["unit"]]
    v = v[v["visit_date"] <= pd.Timestamp(D)].sort_values(["visit_date", "supervision_id"])
    assert v["yellow_card"].tail(2).all()
    assert list(v["visit_date"].tail(2)) == [due["first_date"], due["second_date"]]


def test_every_listed_object_and_township_is_supervised_monthly(L, D):
    v = S.visits(L.supervisions, D)
    objects = S.listed_objects(L.villages, L.sites)
    assert 3 <= (objects["kind"] == "site").sum() <= 6
    assert set(objects["unit"]) <= set(v["unit"])
    townships = v[v["is_township"]]
    assert set(townships["township_code"]) == set(CODES)
    # about once a month: per unit, no more visits than campaign months so far
    months = v.groupby("unit")["visit_date"].apply(lambda d: d.dt.to_period("M").nunique())
    assert (months == v.groupby("unit").size()).all()
    assert set(v["rating"]) == set(S.RATINGS)
    assert v["leader"].notna().all() and v["note"].notna().all()


def test_a_few_units_unvisited_last_month_in_the_weaker_townships(L, D):
    by = S.supervision_metrics_by(L.villages, L.sites, L.supervisions, L.phases, D, CODES)
    unvisited = {c: m["unvisited_last_month"] for c, m in by.items() if m["unvisited_last_month"]}
    assert 1 <= sum(unvisited.values()) <= 4
    assert set(unvisited) <= WEAK
    listed = S.unvisited_last_month(L.villages, L.sites, L.supervisions, L.phases, D)
    assert len(listed) == sum(unvisited.values())
    assert listed["last_visit"].notna().all()  # visited before, skipped last month


def test_a_few_yellow_cards_none_recent_in_green_townships(L, D):
    v = S.visits(L.supervisions, D)
    cards = v[v["yellow_card"]]
    assert 5 <= len(cards) <= 30
    assert (cards["rating"] == "poor").all()
    by = S.supervision_metrics_by(L.villages, L.sites, L.supervisions, L.phases, D, CODES)
    assert {c for c, m in by.items() if m["yellow_cards_28d"]} <= WEAK
    assert _sup(L, D)["yellow_cards_28d"] >= 1


# ------------------------------------------------------------------ reports

def test_reports_mostly_on_time_one_township_often_missing(L, D):
    grid = R.report_grid(L.townships, L.reports, L.phases, D)
    due = grid[grid["status"] != R.NOT_DUE]
    missing = due[due["status"] == R.MISSING]
    assert set(missing["township_code"]) == {MISSING_REPORTS_TOWNSHIP}
    assert len(missing) >= 3
    late = due[due["status"] == R.LATE]
    assert len(set(late["township_code"])) >= 3
    county = R.report_metrics(L.townships, L.reports, L.phases, D)
    assert county["on_time_rate"] > 0.8
    by = R.report_metrics_by(L.townships, L.reports, L.phases, D, CODES)
    assert [c for c, m in by.items() if m["last_missing"]] == [MISSING_REPORTS_TOWNSHIP]


# ------------------------------------------------------------------ households

def test_guarantee_gaps_concentrated_and_closing(L, D):
    start = _phase_end(L, 2)  # 排查建账: the spring round is done
    before = H.guarantee_metrics_by(L.guarantees, L.townships, start, CODES)
    now = H.guarantee_metrics_by(L.guarantees, L.townships, D, CODES)

    def housing_water(by, codes):
        return sum(by[c]["gap_housing"] + by[c]["gap_water"] for c in codes)

    assert housing_water(before, GAP_TOWNSHIPS) > 0.6 * housing_water(before, CODES)
    assert {c for c, m in now.items() if m["any_gap"]} == set(GAP_TOWNSHIPS)
    county_before = H.guarantee_metrics(L.guarantees, L.townships, start)
    county_now = H.guarantee_metrics(L.guarantees, L.townships, D)
    for item in ("gap_housing", "gap_water", "any_gap"):
        assert 0 < county_now[item] < county_before[item], item
    assert county_now["secured_rate"] > county_before["secured_rate"]


def test_households_rechecked_latest_check_counts(L, D):
    g = L.guarantees
    per = g.groupby("household_id").size()
    assert (per > 1).mean() > 0.5
    latest = H.latest_checks(g, D)
    assert latest["household_id"].is_unique
    assert len(latest) == H.guarantee_metrics(g, L.townships, D)["checked"]


def test_check_coverage_against_registered_households(L, D):
    by = H.guarantee_metrics_by(L.guarantees, L.townships, D, CODES)
    registered = dict(zip(L.townships["township_code"], L.townships["households"], strict=True))
    for c, m in by.items():
        assert m["checked"] <= registered[c], c
        if c == LOW_COVERAGE_TOWNSHIP:
            assert m["check_coverage"] < 0.8
        else:
            assert m["check_coverage"] >= 0.9, c


def test_household_ids_look_real(frames):
    villages = set(frames["villages"]["village_code"])
    for key in ("guarantees", "monitored"):
        ids = frames[key]["household_id"]
        assert ids.str.fullmatch(r"\d{16}").all(), key
        assert (ids.str.slice(0, 12).isin(villages)).all(), key
        assert (ids.str.slice(0, 12) == frames[key]["village_code"]).all(), key


def test_one_township_slow_to_assist(L, D):
    by = H.monitoring_metrics_by(L.monitored, D, CODES)
    slow = {c: m["unassisted_over_15d"] for c, m in by.items() if m["unassisted_over_15d"]}
    assert list(slow) == [SLOW_ASSIST_TOWNSHIP] and slow[SLOW_ASSIST_TOWNSHIP] >= 3
    county = H.monitoring_metrics(L.monitored, D)
    assert 200 <= county["monitored"] <= 400
    assert 0 < county["cleared"] < county["monitored"]
    assert len(county["at_risk_by_category"]) == 3 and len(county["at_risk_by_risk"]) >= 6
    waiting = H.unassisted_list(L.monitored, D)
    assert (waiting["days_waiting"] > 15).all() and len(waiting) == slow[SLOW_ASSIST_TOWNSHIP]


def test_sites_fill_over_the_year_one_lagging(L, D):
    first = H.site_table(L.sites, L.site_checks, _phase_end(L, 1))
    now = H.site_table(L.sites, L.site_checks, D)
    occ = now.set_index("township_code")["occupancy_rate"]
    occ0 = first.set_index("township_code")["occupancy_rate"]
    assert (occ > occ0).all()
    assert occ[LAGGING_SITE_TOWNSHIP] < 0.7
    assert (occ.drop(LAGGING_SITE_TOWNSHIP) > 0.9).all()
    c = L.site_checks.merge(L.sites, on="site_code")
    assert ((c["employed"] <= c["moved_in"]) & (c["moved_in"] <= c["planned_households"])).all()
    assert H.relocation_metrics(L.sites, L.site_checks, D)["sites_unchecked_90d"] == 0


# ------------------------------------------------------------------ the lights

def test_new_rules_fire_only_in_the_weaker_townships(L, D):
    sup = S.supervision_metrics_by(L.villages, L.sites, L.supervisions, L.phases, D, CODES)
    rep = R.report_metrics_by(L.townships, L.reports, L.phases, D, CODES)
    mon = H.monitoring_metrics_by(L.monitored, D, CODES)
    gua = H.guarantee_metrics_by(L.guarantees, L.townships, D, CODES)
    fired = {}
    for c in CODES:
        red, yellow = campaign_reasons({"supervision": sup[c], "reports": rep[c],
                                        "monitoring": mon[c], "guarantees": gua[c]})
        if red or yellow:
            fired[c] = ({r.code for r in red}, {r.code for r in yellow})
    assert set(fired) <= WEAK  # the green townships stay green
    assert {c for c, (red, _) in fired.items() if red} == {BEHIND_TOWNSHIP}
    assert "summons_due" in fired[BEHIND_TOWNSHIP][0]
    assert "reports_last_missing" in fired[MISSING_REPORTS_TOWNSHIP][1]
    assert "unassisted_over_15d" in fired[SLOW_ASSIST_TOWNSHIP][1]
    assert all("guarantee_gaps" in fired[c][1] for c in GAP_TOWNSHIPS)
