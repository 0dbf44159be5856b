"""The households' weekly replay: every point equals the contract's block computed by the
block functions (duzhan.metrics.households) as of that day, on the demo county (county and
each township) and on edge cases (a household moving township, checks on the day itself,
a 90-day window edge, 15 vs 16 days unassisted)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from duzhan.metrics import household_series as hs
from duzhan.metrics import households as hm
from duzhan.metrics.frames import Ledgers

G_KEYS = ("checked", *(f"gap_{i}" for i in hm.GUARANTEE_ITEMS), "any_gap", "secured_rate",
          "checked_90d", "check_coverage")


def check_against_blocks(L: Ledgers, days, codes) -> None:
    gs = hs.guarantee_series(L.guarantees, L.townships, days, codes)
    ms = hs.monitoring_series(L.monitored, days, codes)
    assert list(gs["date"]) == [pd.Timestamp(d) for d in days] == list(ms["date"])
    for i, d in enumerate(days):
        g = hm.guarantee_metrics(L.guarantees, L.townships, d, codes)
        for k in G_KEYS:
            want, got = g[k], gs.iloc[i][k]
            if want is None:
                assert got is None or pd.isna(got), (d, k)
            else:
                assert got == pytest.approx(float(want), abs=1e-12), (d, k)
        m = hm.monitoring_metrics(L.monitored, d, codes)
        row = ms.iloc[i]
        assert (row["identified"], row["assisted"], row["cleared"], row["at_risk"],
                row["unassisted_over_15d"]) == (
            m["monitored"], m["monitored"] - m["unassisted"], m["cleared"], m["at_risk"],
            m["unassisted_over_15d"]), d


def test_demo_every_week(demo_ledgers):
    L = demo_ledgers
    start = hs.campaign_start(L.phases, L.guarantees["check_date"],
                              L.monitored["identified_date"])
    end = L.guarantees["check_date"].max() + pd.Timedelta(days=30)
    days = hs.replay_days(start, end)
    assert len(days) > 20 and not L.guarantees.empty and not L.monitored.empty
    check_against_blocks(L, days, None)
    busiest = L.guarantees["township_code"].value_counts().index[0]
    check_against_blocks(L, days[::3], [busiest])
    check_against_blocks(L, days[::5], list(L.township_codes()[:3]))


def test_edges_by_hand():
    G = lambda hh, town, day, **bad: {  # noqa: E731
        "household_id": hh, "township_code": town, "check_date": day,
        **{f"{k}_ok": k not in bad for k in hm.GUARANTEE_ITEMS}}
    L = Ledgers.from_records(
        townships=[{"township_code": "A", "township_name": "A", "households": 3},
                   {"township_code": "B", "township_name": "B"}],  # 建档立卡户数 empty = 0
        guarantees=[G("h1", "A", "2024-01-01", water=1), G("h1", "B", "2024-02-01"),
                    G("h2", "A", "2024-01-03", housing=1, water=1),
                    G("h3", "B", "2024-04-01", education=1)],
        monitored=[
            {"household_id": "m1", "township_code": "A", "category": "c", "risk": "r",
             "identified_date": "2024-01-01"},
            {"household_id": "m2", "township_code": "B", "category": "c", "risk": "r",
             "identified_date": "2024-01-01", "assisted_date": "2024-01-20",
             "cleared_date": "2024-03-01"}])
    days = [dt.date(2024, 1, 1), dt.date(2024, 1, 3), dt.date(2024, 1, 16),
            dt.date(2024, 1, 17), dt.date(2024, 1, 31), dt.date(2024, 2, 1),
            dt.date(2024, 3, 1), dt.date(2024, 4, 1), dt.date(2024, 4, 30),
            dt.date(2024, 5, 1)]
    for codes in (None, ["A"], ["B"]):
        check_against_blocks(L, days, codes)
    a = hs.guarantee_series(L.guarantees, L.townships, days, ["A"])
    # h1 moves to B on 02-01: A keeps only h2 from then on
    assert list(a["checked"]) == [1, 2, 2, 2, 2, 1, 1, 1, 1, 1]
    assert list(a["gap_water"]) == [1, 2, 2, 2, 2, 1, 1, 1, 1, 1]
    # h2's check of 01-03 leaves the 90-day window after 04-01 (D − 89 = 01-03 on 04-01)
    assert list(a["checked_90d"])[-3:] == [1, 0, 0]
    b = hs.guarantee_series(L.guarantees, L.townships, days, ["B"])
    assert b["check_coverage"].isna().all()  # no 建档立卡户数 in B
    m = hs.monitoring_series(L.monitored, days, None)
    # both identified 01-01: 15 days waited on 01-16 (not yet over), 16 on 01-17; m2 is
    # assisted on 01-20, so by 01-31 only m1 waits
    assert list(m["unassisted_over_15d"])[:5] == [0, 0, 0, 2, 1]
    assert list(m["cleared"])[-4:] == [1, 1, 1, 1]


def test_replay_days():
    D = dt.date(2024, 6, 30)
    assert hs.replay_days(None, D) == [pd.Timestamp(D)]
    assert hs.replay_days(dt.date(2024, 7, 1), D) == [pd.Timestamp(D)]
    days = hs.replay_days(dt.date(2024, 6, 16), D)
    assert days == [pd.Timestamp("2024-06-16"), pd.Timestamp("2024-06-23"), pd.Timestamp(D)]
    assert hs.replay_days(dt.date(2024, 6, 17), D)[0] == pd.Timestamp("2024-06-23")
