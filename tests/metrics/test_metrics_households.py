"""Monitoring, guarantees and relocation: hand-worked cases (D = 2024-06-30)."""
import pandas as pd
import pytest

from duzhan.metrics import households as m
from duzhan.privacy import is_masked

from .ledger_frame import frame

D = "2024-06-30"


def hh(i, town, identified, assisted=None, cleared=None, risk="因病", cat="脱贫不稳定户"):
    return {"household_id": i, "township_code": town, "category": cat, "risk": risk,
            "identified_date": identified, "assisted_date": assisted,
            "cleared_date": cleared}


def monitoring(*rows, townships=None):
    return m.monitoring_metrics(frame("monitored", rows), D, townships)


# ------------------------------------------------------------------------ monitoring

@pytest.mark.parametrize("identified, over", [
    ("2024-06-15", 0),  # d = 15: not over 15 days
    ("2024-06-14", 1),  # d = 16
])
def test_unassisted_15_vs_16_days(identified, over):
    got = monitoring(hh("h1", "01", identified))
    assert (got["unassisted"], got["unassisted_over_15d"]) == (1, over)


def test_golden_monitoring():
    got = monitoring(
        hh("a", "01", "2024-01-01", "2024-01-05", "2024-06-03"),           # cleared D−27
        hh("b", "01", "2024-01-01", "2024-01-05", "2024-06-02"),           # cleared D−28
        hh("c", "01", "2024-06-03", risk="因学"),                          # new, unassisted
        hh("d", "01", "2024-06-02", "2024-07-01", cat="边缘易致贫户"),     # assisted after D
        hh("e", "02", "2024-05-01", "2024-05-02", "2024-07-01", risk="因灾"),  # clears after D
        hh("f", "02", "2024-07-01"),                                       # after D: not yet
    )
    # monitored a–e = 5; cleared a, b = 2; at risk c, d, e = 3; unassisted c, d = 2;
    # over 15 days: d (28 days) — c is 27 days → both (27 > 15); identified in D−27…D: c
    assert got == {
        "monitored": 5, "cleared": 2, "at_risk": 3, "unassisted": 2,
        "unassisted_over_15d": 2, "identified_28d": 1, "cleared_28d": 1,
        "at_risk_by_risk": {"因学": 1, "因灾": 1, "因病": 1},
        "at_risk_by_category": {"脱贫不稳定户": 2, "边缘易致贫户": 1},
    }
    per = m.monitoring_metrics_by(frame("monitored", [hh("e", "02", "2024-05-01")]), D,
                                  ["01", "02"])
    assert per["01"]["monitored"] == 0 and per["01"]["at_risk_by_risk"] == {}
    assert per["02"]["unassisted_over_15d"] == 1


def test_unassisted_list_masked_longest_first():
    rows = frame("monitored", [hh("522799101234517", "01", "2024-06-01"),
                               hh("522799101234999", "02", "2024-05-01"),
                               hh("522799101230000", "01", "2024-06-20")])  # 10 days
    got = m.unassisted_list(rows, D)
    assert got["days_waiting"].tolist() == [60, 29]
    assert got["household"].tolist() == ["52****99", "52****17"]
    assert all(is_masked(v) for v in got["household"]) and "household_id" not in got
    assert m.unassisted_list(rows, D, ["01"])["days_waiting"].tolist() == [29]


def test_empty_monitoring():
    assert monitoring() == {"monitored": 0, "cleared": 0, "at_risk": 0, "unassisted": 0,
                            "unassisted_over_15d": 0, "identified_28d": 0, "cleared_28d": 0,
                            "at_risk_by_risk": {}, "at_risk_by_category": {}}


# ------------------------------------------------------------------------ guarantees

OK = {k: True for k in ("food_clothing_ok", "education_ok", "medical_ok", "housing_ok",
                        "water_ok")}


def chk(i, town, day, **fails):
    return {"household_id": i, "township_code": town, "check_date": day,
            **OK, **{f"{k}_ok": False for k in fails}}


TOWNS = frame("townships", [{"township_code": "01", "township_name": "甲", "households": 10},
                            {"township_code": "02", "township_name": "乙",
                             "households": None},  # empty = 0
                            {"township_code": "03", "township_name": "丙", "households": 0}])


def guarantees(*rows, townships=None):
    return m.guarantee_metrics(frame("guarantees", rows), TOWNS, D, townships)


def test_latest_check_le_D_in_its_township():
    rows = (chk("h1", "01", "2024-03-01", housing=True),   # older check with a gap
            chk("h1", "02", "2024-04-02"),                 # latest ≤ D: no gap, in 02
            chk("h1", "01", "2024-07-01", water=True),     # after D: ignored
            chk("h2", "01", "2024-04-01", education=True, water=True))
    got = guarantees(*rows)
    # h1 counts in 02 without a gap (04-02 = D − 89: in the 90 days); h2 in 01 with two
    # gaps, checked 04-01 = D − 90: outside
    assert got == {"checked": 2, "gap_food_clothing": 0, "gap_education": 1,
                   "gap_medical": 0, "gap_housing": 0, "gap_water": 1, "any_gap": 1,
                   "secured_rate": 0.5, "checked_90d": 1, "check_coverage": 0.1}
    one = guarantees(*rows, townships=["01"])
    assert (one["checked"], one["any_gap"], one["checked_90d"]) == (1, 1, 0)
    assert one["check_coverage"] == 0.0 and one["secured_rate"] == 0.0
    two = guarantees(*rows, townships=["02"])
    assert two["checked"] == 1 and two["check_coverage"] is None  # households empty = 0
    per = m.guarantee_metrics_by(frame("guarantees", rows), TOWNS, D)
    assert per["01"] == one and per["02"] == two and per["03"]["checked"] == 0
    assert per["03"]["check_coverage"] is None and per["03"]["secured_rate"] is None


def test_empty_guarantees():
    got = m.guarantee_metrics(frame("guarantees"), frame("townships"), D)
    assert got == {"checked": 0, "gap_food_clothing": 0, "gap_education": 0,
                   "gap_medical": 0, "gap_housing": 0, "gap_water": 0, "any_gap": 0,
                   "secured_rate": None, "checked_90d": 0, "check_coverage": None}


# ------------------------------------------------------------------------ relocation

SITES = frame("sites", [
    {"site_code": "s1", "site_name": "一", "township_code": "01", "planned_households": 100},
    {"site_code": "s2", "site_name": "二", "township_code": "01", "planned_households": 40},
    {"site_code": "s3", "site_name": "三", "township_code": "02", "planned_households": 60},
])


def sc(site, day, moved, employed):
    return {"site_code": site, "check_date": day, "moved_in": moved, "employed": employed}


def test_relocation_latest_check_and_90_day_window():
    checks = frame("site_checks", [
        sc("s1", "2024-04-01", 50, 20),   # D − 90
        sc("s1", "2024-04-02", 80, 30),   # D − 89: the latest ≤ D, in the window
        sc("s1", "2024-07-01", 100, 90),  # after D
        sc("s2", "2024-04-01", 10, 0),    # D − 90 only: unchecked for 90 days
    ])
    got = m.relocation_metrics(SITES, checks, D)
    # s3 has no check: 0 moved in. planned 200, moved 90, employed 30
    assert got == {"sites": 3, "planned": 200, "moved_in": 90, "occupancy_rate": 0.45,
                   "employed": 30, "employment_rate": 1 / 3, "sites_unchecked_90d": 2}
    per = m.relocation_metrics_by(SITES, checks, D, ["01", "02", "03"])
    assert per["02"] == {"sites": 1, "planned": 60, "moved_in": 0, "occupancy_rate": 0.0,
                         "employed": 0, "employment_rate": None, "sites_unchecked_90d": 1}
    assert per["03"]["sites"] == 0 and per["03"]["occupancy_rate"] is None
    t = m.site_table(SITES, checks, D)
    assert t["last_check"].tolist()[:2] == [pd.Timestamp("2024-04-02"),
                                            pd.Timestamp("2024-04-01")]
    assert t["unchecked_90d"].tolist() == [False, True, True]


def test_empty_relocation():
    got = m.relocation_metrics(frame("sites"), frame("site_checks"), D)
    assert got == {"sites": 0, "planned": 0, "moved_in": 0, "occupancy_rate": None,
                   "employed": 0, "employment_rate": None, "sites_unchecked_90d": 0}
