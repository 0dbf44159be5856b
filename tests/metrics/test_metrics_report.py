"""The `metrics` command object: JSON shape, ordering, rounding, scopes."""
import json

import numpy as np
import pandas as pd
import pytest

from duzhan.metrics.frames import Ledgers
from duzhan.metrics.report import metrics_report, scope_metrics

from .ledger_frame import PHASES, task

D = "2024-06-30"


def golden():
    return Ledgers.from_records(
        townships=[{"township_code": "02", "township_name": "乙镇"},
                   {"township_code": "01", "township_name": "甲镇"},
                   {"township_code": "03", "township_name": "丙乡"}],   # 03: no rows at all
        phases=PHASES,
        tasks=[
            task("t2", 1, "2024-03-31", None, town="02"),            # overdue, phase 1
            task("t3", 2, "2024-06-15", "2024-06-01", town="01"),
            task("t4", 2, "2024-07-15", None, town="01"),
            task("t5", 2, "2024-06-29", None, town=None),             # county-wide, overdue
            task("t6", 2, "2024-07-10", None, town="02"),
        ],
        issues=[
            {"issue_id": "I1", "township_code": "01", "source": "审计", "category": "住房安全",
             "department": "住建局", "found_date": "2024-05-01", "deadline": "2024-06-01"},
            {"issue_id": "I2", "township_code": "02", "source": "审计", "category": "饮水安全",
             "department": "水利局", "found_date": "2024-05-01", "deadline": "2024-07-01",
             "closed_date": "2024-06-20"},
        ],
        projects=[
            {"project_id": "P1", "project_name": "p1", "township_code": "01",
             "funding_source": "中央财政专项", "category": "产业发展",
             "allocated_amount": "3.00", "allocated_date": "2024-01-01"},
            {"project_id": "P2", "project_name": "p2", "township_code": "02",
             "funding_source": "县级财政", "category": "基础设施",
             "allocated_amount": "1234.56", "allocated_date": "2024-05-01"},
        ],
        disbursements=[{"project_id": "P1", "paid_date": "2024-02-01", "amount": "1.00"}],
        loans=[{"loan_id": "L1", "household_id": "H1", "township_code": "02",
                "principal": "1000", "issued_date": "2023-06-01", "due_date": "2024-06-25"}],
    )


def test_shape_and_ordering():
    r = metrics_report(golden(), D)
    assert list(r) == ["as_of", "county", "townships"]
    assert r["as_of"] == "2024-06-30"
    blocks = ["issues", "funds", "loans", "phases", "supervision", "reports", "monitoring",
              "guarantees", "relocation"]
    assert list(r["county"]) == [*blocks, "status"]
    assert [t["township_code"] for t in r["townships"]] == ["01", "02", "03"]
    assert list(r["townships"][0]) == ["township_code", "township_name", *blocks, "status",
                                       "status_reasons"]
    assert list(r["county"]["supervision"]) == [
        "listed_objects", "visits_this_month", "visited_this_month", "coverage_this_month",
        "unvisited_last_month", "yellow_cards_28d", "summons_due", "summons", "ratings"]
    assert list(r["county"]["reports"]) == [
        "reports_expected", "reports_on_time", "reports_late", "reports_missing",
        "reporting_rate", "on_time_rate", "last_due_month", "last_missing"]
    assert list(r["county"]["monitoring"]) == [
        "monitored", "cleared", "at_risk", "unassisted", "unassisted_over_15d",
        "identified_28d", "cleared_28d", "at_risk_by_risk", "at_risk_by_category"]
    assert list(r["county"]["guarantees"]) == [
        "checked", "gap_food_clothing", "gap_education", "gap_medical", "gap_housing",
        "gap_water", "any_gap", "secured_rate", "checked_90d", "check_coverage"]
    assert list(r["county"]["relocation"]) == [
        "sites", "planned", "moved_in", "occupancy_rate", "employed", "employment_rate",
        "sites_unchecked_90d"]
    # none of the campaign ledgers in the store: not in use, nothing fires
    assert r["county"]["reports"] == dict.fromkeys(r["county"]["reports"])
    assert r["county"]["supervision"]["unvisited_last_month"] is None
    assert list(r["county"]["issues"]) == [
        "found", "closed", "open", "closure_rate", "overdue_open", "closed_last_28d",
        "forecast_clear_date", "clearance_target", "found_last_28d", "net_forecast_clear_date"]
    assert list(r["county"]["funds"]) == [
        "allocated", "disbursed", "disbursement_rate", "time_progress", "progress_gap",
        "stalled_projects"]
    assert list(r["county"]["loans"]) == [
        "active_loans", "balance", "overdue_loans", "overdue_balance", "overdue_rate", "par30",
        "par90", "due_30d_loans", "due_30d_balance", "extended_loans", "buckets"]
    assert list(r["county"]["loans"]["buckets"]) == ["1-30", "31-90", "91-180", "181+"]
    assert list(r["county"]["phases"]) == ["current_phase", "by_phase"]
    assert list(r["county"]["phases"]["by_phase"][0]) == [
        "phase_no", "tasks_total", "tasks_done", "completion", "expected", "tasks_overdue"]
    # plain JSON: no Decimal, no date objects
    assert json.loads(json.dumps(r)) == r


def test_county_figures():
    c = metrics_report(golden(), D)["county"]
    # issues: I1 open overdue (deadline 06-01), I2 closed 06-20 (in the 28-day window)
    # forecast = D + ceil(1*28/1) = D + 28 = 2024-07-28
    assert c["issues"] == {"found": 2, "closed": 1, "open": 1, "closure_rate": 0.5,
                           "overdue_open": 1, "closed_last_28d": 1,
                           "forecast_clear_date": "2024-07-28",
                           "clearance_target": "2024-06-01",
                           "found_last_28d": 0, "net_forecast_clear_date": "2024-07-28"}
    # funds: 3.00 + 1234.56 = 1237.56 allocated, 1.00 paid: 100/123756 = 0.000808…
    # time progress 182/366 = 0.4972677… ; gap = 0.000808… − 0.497267… = −0.4964597…
    assert c["funds"] == {"allocated": 1237.56, "disbursed": 1.0, "disbursement_rate": 0.000808,
                          "time_progress": 0.497268, "progress_gap": -0.49646,
                          "stalled_projects": 1}  # P1 (181 days, 1/3); P2 only 60 days old
    # loans: L1 1000 due 06-25 → dpd 5
    assert c["loans"] == {
        "active_loans": 1, "balance": 1000.0, "overdue_loans": 1, "overdue_balance": 1000.0,
        "overdue_rate": 1.0, "par30": 0.0, "par90": 0.0, "due_30d_loans": 0,
        "due_30d_balance": 0.0, "extended_loans": 0,
        "buckets": {"1-30": {"loans": 1, "balance": 1000.0},
                    "31-90": {"loans": 0, "balance": 0.0},
                    "91-180": {"loans": 0, "balance": 0.0},
                    "181+": {"loans": 0, "balance": 0.0}}}
    # phases: county-wide t5 counts here; expected phase 2 = 91/121 = 0.752066…
    assert c["phases"] == {"current_phase": 2, "by_phase": [
        {"phase_no": 1, "tasks_total": 1, "tasks_done": 0, "completion": 0.0, "expected": 1.0,
         "tasks_overdue": 1},
        {"phase_no": 2, "tasks_total": 4, "tasks_done": 1, "completion": 0.25,
         "expected": 0.752066, "tasks_overdue": 1},
        {"phase_no": 3, "tasks_total": 0, "tasks_done": 0, "completion": None, "expected": 0.0,
         "tasks_overdue": 0}]}
    assert c["status"] == "red"


def test_township_figures_and_status():
    r = {t["township_code"]: t for t in metrics_report(golden(), D)["townships"]}
    t1 = r["01"]
    assert t1["township_name"] == "甲镇"
    assert t1["funds"]["disbursement_rate"] == 0.333333  # 1.00 / 3.00
    assert t1["phases"]["by_phase"][1]["tasks_total"] == 2  # t3, t4 (t5 is county-wide)
    assert t1["status"] == "red"
    # I1 overdue; nothing closed (or found) in 28 days: net pace 0, no net forecast;
    # gap 1/3 − 182/366 ≈ −0.164; phase 2: 0.5 < 0.652
    assert t1["issues"]["net_forecast_clear_date"] is None
    assert t1["status_reasons"] == ["overdue_issues", "net_forecast_none",
                                    "funds_gap_over_10pct", "phase_behind"]
    t2 = r["02"]
    assert t2["issues"]["forecast_clear_date"] == "2024-06-30"  # nothing open → D
    assert t2["phases"]["by_phase"][0]["tasks_overdue"] == 1      # phase 1: not current
    # loans 100% overdue; 0 paid of 1234.56 → gap −0.497; phase 2: 0/1 behind
    assert t2["status_reasons"] == ["loan_overdue_rate_over_3pct", "funds_gap_over_20pct",
                                    "phase_behind"]


def test_township_with_no_rows_listed():
    t3 = metrics_report(golden(), D)["townships"][2]
    assert t3["township_code"] == "03" and t3["township_name"] == "丙乡"
    assert t3["issues"] == {"found": 0, "closed": 0, "open": 0, "closure_rate": None,
                            "overdue_open": 0, "closed_last_28d": 0,
                            "forecast_clear_date": "2024-06-30", "clearance_target": None,
                            "found_last_28d": 0, "net_forecast_clear_date": "2024-06-30"}
    assert t3["funds"] == {"allocated": 0.0, "disbursed": 0.0, "disbursement_rate": None,
                           "time_progress": 0.497268, "progress_gap": None,
                           "stalled_projects": 0}
    assert t3["loans"]["balance"] == 0.0 and t3["loans"]["overdue_rate"] is None
    assert t3["loans"]["par30"] is None and t3["loans"]["par90"] is None
    assert [p["phase_no"] for p in t3["phases"]["by_phase"]] == [1, 2, 3]
    assert all(p["tasks_total"] == 0 and p["completion"] is None
               for p in t3["phases"]["by_phase"])
    assert (t3["status"], t3["status_reasons"]) == ("green", [])


def test_requested_townships_sorted_county_unchanged():
    L = golden()
    r = metrics_report(L, D, ["03", "01"])
    assert [t["township_code"] for t in r["townships"]] == ["01", "03"]
    assert r["county"] == metrics_report(L, D)["county"]
    with pytest.raises(ValueError):
        metrics_report(L, D, ["99"])


def test_scope_metrics_sum_of_townships():
    L = golden()
    s = scope_metrics(L, D, ["01", "02"])
    assert s["townships"] == ["01", "02"]
    assert s["issues"]["found"] == 2
    assert s["funds"]["allocated"] == 1237.56
    # county-wide t5 excluded: phase 2 = t3, t4, t6
    assert s["phases"]["by_phase"][1]["tasks_total"] == 3
    assert s["phases"]["by_phase"][1]["tasks_overdue"] == 0
    county = scope_metrics(L, D, None)
    assert county["phases"]["by_phase"][1]["tasks_total"] == 4
    assert county["status"] == metrics_report(L, D)["county"]["status"]
    assert s["status_details"][0]["code"] == s["status_reasons"][0]


def test_gap_exactly_minus_20pct_is_not_red():
    # D = 2024-07-01: 183/366 = 0.5; 30% paid → gap = −0.20 exactly: yellow, not red
    L = Ledgers.from_records(
        townships=[{"township_code": "01", "township_name": "甲"}],
        projects=[{"project_id": "P", "project_name": "p", "township_code": "01",
                   "funding_source": "s", "category": "c", "allocated_amount": "100.00",
                   "allocated_date": "2024-06-01"}],
        disbursements=[{"project_id": "P", "paid_date": "2024-06-02", "amount": "30.00"}])
    t = metrics_report(L, "2024-07-01")["townships"][0]
    assert t["funds"]["progress_gap"] == -0.2
    assert (t["status"], t["status_reasons"]) == ("yellow", ["funds_gap_over_10pct"])


# ---- consistency on a random county: the grouped township path equals the scoped path ----

def synthetic(seed, n_town=4, n=120):
    rng = np.random.default_rng(seed)
    codes = [f"{i:02d}" for i in range(1, n_town + 1)]
    base = pd.Timestamp("2024-01-01")

    def days(lo, hi, k):
        return base + pd.to_timedelta(rng.integers(lo, hi, k), unit="D")

    found = days(-60, 240, n)
    closed = pd.Series(found + pd.to_timedelta(rng.integers(0, 90, n), unit="D")).where(
        rng.random(n) < 0.6)
    alloc = rng.integers(10_000, 1_000_000, n // 4)
    pdates = days(-100, 200, n // 4)
    pick = rng.integers(0, n // 4, n // 2)
    princ = rng.integers(100_000, 500_000, n)
    issued = days(-800, 200, n)
    due = issued + pd.to_timedelta(rng.integers(200, 900, n), unit="D")
    lpick = rng.integers(0, n, n)
    tdue = days(0, 365, n // 2)
    return Ledgers.from_frames(
        townships=pd.DataFrame({"township_code": codes, "township_name": codes}),
        phases=pd.DataFrame({"phase_no": [1, 2, 3], "phase_name": ["a", "b", "c"],
                             "start_date": pd.to_datetime(["2024-01-01", "2024-04-01",
                                                           "2024-08-01"]),
                             "end_date": pd.to_datetime(["2024-03-31", "2024-07-15",
                                                         "2024-12-31"])}),
        tasks=pd.DataFrame({"task_id": [f"k{i}" for i in range(n // 2)],
                            "phase_no": rng.integers(1, 4, n // 2),
                            "township_code": rng.choice(codes + [None], n // 2),
                            "task_name": "k", "due_date": tdue,
                            "done_date": pd.Series(tdue - pd.Timedelta(days=5)).where(
                                rng.random(n // 2) < 0.5)}),
        issues=pd.DataFrame({"issue_id": [f"i{i}" for i in range(n)],
                             "township_code": rng.choice(codes, n), "source": "s",
                             "category": "c", "department": "d", "found_date": found,
                             "deadline": found + pd.to_timedelta(rng.integers(5, 60, n), "D"),
                             "closed_date": closed}),
        projects=pd.DataFrame({"project_id": [f"p{i}" for i in range(n // 4)],
                               "project_name": "p", "township_code": rng.choice(codes, n // 4),
                               "funding_source": "f", "category": "c",
                               "allocated_amount_fen": alloc, "allocated_date": pdates}),
        disbursements=pd.DataFrame({"project_id": [f"p{i}" for i in pick],
                                    "paid_date": pdates[pick] + pd.to_timedelta(
                                        rng.integers(0, 150, n // 2), unit="D"),
                                    "amount_fen": alloc[pick] // 4}),
        loans=pd.DataFrame({"loan_id": [f"l{i}" for i in range(n)], "household_id": "h",
                            "township_code": rng.choice(codes, n), "principal_fen": princ,
                            "issued_date": issued, "due_date": due,
                            "extended_due_date": pd.Series(due + pd.Timedelta(days=90)).where(
                                rng.random(n) < 0.1),
                            "bank": rng.choice(["a", "b"], n)}),
        repayments=pd.DataFrame({"loan_id": [f"l{i}" for i in lpick],
                                 "paid_date": issued[lpick] + pd.to_timedelta(
                                     rng.integers(1, 900, n), unit="D"),
                                 "principal_amount_fen": princ[lpick] // 3}),
    )


@pytest.mark.parametrize("seed, as_of", [(1, "2024-06-30"), (2, "2024-03-15"),
                                         (3, "2024-12-31"), (4, "2024-08-10")])
def test_township_entries_equal_scoped_figures(seed, as_of):
    L = synthetic(seed)
    r = metrics_report(L, as_of)
    for t in r["townships"]:
        s = scope_metrics(L, as_of, [t["township_code"]])
        for part in ("issues", "funds", "loans", "supervision", "reports", "monitoring",
                     "guarantees", "relocation"):
            assert t[part] == s[part], (t["township_code"], part)
        assert t["phases"]["by_phase"] == s["phases"]["by_phase"]
        assert (t["status"], t["status_reasons"]) == (s["status"], s["status_reasons"])
    c = r["county"]
    for key in ("found", "closed", "open", "overdue_open", "closed_last_28d", "found_last_28d"):
        assert c["issues"][key] == sum(t["issues"][key] for t in r["townships"])
    assert c["loans"]["active_loans"] == sum(t["loans"]["active_loans"] for t in r["townships"])
    assert c["funds"]["allocated"] == pytest.approx(
        sum(t["funds"]["allocated"] for t in r["townships"]), abs=1e-6)


def test_format_table_lists_every_scope():
    from duzhan.metrics.table import format_table

    r = metrics_report(golden(), D)
    zh = format_table(r, "zh").splitlines()
    assert zh[0] == "统计截至: 2024年6月30日"  # dates, rates and gaps as the pages write them
    assert zh[2].startswith("全县") and zh[3].startswith("01 甲镇") and zh[5].startswith("03 丙乡")
    assert "overdue_issues" in zh[3]
    # net-forecast column: the county's date (D + 28), 01's null as a word, 03's D
    head = zh[1].split()
    col = head.index("净速清零")
    assert head[col - 1] == "预计清零"
    assert zh[2].split()[col] == "2024年7月28日"
    assert zh[3].split()[col + 1] == "无法清零"  # "01 甲镇" is two words
    assert zh[5].split()[col + 1] == "2024年6月30日"
    assert "个百分点" in zh[2] and "%" in zh[2]
    en = format_table(r, "en")
    assert "County" in en and "50.0%" in en  # county closure rate 1/2
    assert "Net clear by" in en and "never" in en and " pp" in en and "2024-07-28" in en


# ------------------------------------------------- supervision and household blocks


OLD_BLOCKS = ("issues", "funds", "loans", "phases")


@pytest.mark.parametrize("seed, as_of", [(1, "2024-06-30"), (3, "2024-12-31")])
def test_without_campaign_ledgers_statuses_are_as_before(seed, as_of):
    """No supervision, report, monitored, guarantee or site row: every status and reason
    is what the issues, funds, loans and phases rules alone give."""
    from duzhan.metrics.status import scope_status

    r = metrics_report(synthetic(seed), as_of)
    assert any(t["status_reasons"] for t in r["townships"])  # the rules have work to do
    for t in r["townships"]:
        status, reasons = scope_status({k: t[k] for k in OLD_BLOCKS})
        assert (t["status"], t["status_reasons"]) == (status, [x.code for x in reasons])
    assert r["county"]["status"] == scope_status({k: r["county"][k] for k in OLD_BLOCKS})[0]


def campaign_store(**extra):
    """01: a listed village v1 with two yellow cards in a row (summons due) and no May
    report; 02: reports on time, a household waiting 16 days, a housing gap."""
    return Ledgers.from_records(
        townships=[{"township_code": "01", "township_name": "甲镇", "households": 4},
                   {"township_code": "02", "township_name": "乙镇", "households": 0}],
        villages=[{"village_code": "v1", "village_name": "一村", "township_code": "01",
                   "listed": True}],
        phases=PHASES,
        supervisions=[
            {"supervision_id": "S1", "township_code": "01", "target_code": "v1",
             "visit_date": "2024-05-10", "leader": "张", "rating": "poor", "yellow_card": True},
            {"supervision_id": "S2", "township_code": "01", "target_code": "v1",
             "visit_date": "2024-06-10", "leader": "李", "rating": "average",
             "yellow_card": True}],
        reports=[{"township_code": "02", "month": f"2024-{m:02d}",
                  "submitted_date": f"2024-{m:02d}-20"} for m in range(1, 7)],
        monitored=[{"household_id": "H1", "township_code": "02", "category": "边缘易致贫户",
                    "risk": "因病", "identified_date": "2024-06-14"}],
        guarantees=[{"household_id": "H2", "township_code": "02", "check_date": "2024-06-01",
                     "food_clothing_ok": True, "education_ok": True, "medical_ok": True,
                     "housing_ok": False, "water_ok": True}],
        **extra)


def test_campaign_rules_in_the_report():
    r = metrics_report(campaign_store(), D)
    t1, t2 = r["townships"]
    assert t1["supervision"]["summons"] == [
        {"unit": "v1", "township_code": "01", "dates": ["2024-05-10", "2024-06-10"]}]
    assert t1["status"] == "red"
    assert t1["status_reasons"] == ["summons_due", "yellow_cards_28d", "reports_last_missing"]
    # June is due on 06-28 < D: 01 sent none (6 missing: Jan … Jun), 02 all on time
    assert (t1["reports"]["reports_missing"], t2["reports"]["reports_on_time"]) == (6, 6)
    assert r["county"]["reports"]["last_missing"] == 1
    assert t2["monitoring"]["unassisted_over_15d"] == 1  # identified D − 16
    assert t2["guarantees"]["any_gap"] == 1 and t2["guarantees"]["check_coverage"] is None
    assert t2["status_reasons"] == ["guarantee_gaps", "unassisted_over_15d"]
    assert r["county"]["status"] == "red"
    # replayed the day before the second yellow card: no summons yet, May is the last due
    before = metrics_report(campaign_store(), "2024-06-09")
    assert before["townships"][0]["supervision"]["summons_due"] == 0
    assert before["townships"][0]["reports"]["last_due_month"] == "2024-05"
    # scope figures carry the blocks and reasons with their figures
    s = scope_metrics(campaign_store(), D, ["01"])
    assert s["supervision"] == t1["supervision"]
    assert s["status_details"][0] == {"code": "summons_due", "level": "red", "value": 1,
                                      "threshold": 0}
    assert s["status_details"][2]["threshold"] == "2024-06"


def two_counties():
    """甲县 (5201): 01, 02; 乙县 (5202): 03. Tasks of phase 2: one of 01, one county-wide
    of 乙县, one of the whole store."""
    return Ledgers.from_records(
        townships=[{"township_code": "01", "township_name": "甲镇", "county_code": "5201",
                    "county_name": "甲县", "households": 10},
                   {"township_code": "02", "township_name": "乙镇", "county_code": "5201",
                    "county_name": "甲县"},
                   {"township_code": "03", "township_name": "丙乡", "county_code": "5202",
                    "county_name": "乙县", "households": 5}],
        phases=PHASES,
        tasks=[task("a", 2, "2024-07-15", "2024-06-20", town="01"),
               {**task("b", 2, "2024-06-01", None), "county_code": "5202"},  # overdue
               task("c", 2, "2024-07-15", "2024-06-01")],
        issues=[{"issue_id": "I1", "township_code": "03", "source": "审计", "category": "c",
                 "department": "d", "found_date": "2024-05-01", "deadline": "2024-06-01"}],
        guarantees=[{"household_id": "H1", "township_code": "01", "check_date": "2024-06-01",
                     "food_clothing_ok": True, "education_ok": True, "medical_ok": True,
                     "housing_ok": True, "water_ok": True}],
    )


def test_counties_roll_up_and_one_county():
    L = two_counties()
    r = metrics_report(L, D)
    assert list(r) == ["as_of", "county", "townships", "counties"]
    assert [(c["county_code"], c["county_name"]) for c in r["counties"]] == \
        [("5201", "甲县"), ("5202", "乙县")]
    c1, c2 = r["counties"]
    total = [p["tasks_total"] for p in r["county"]["phases"]["by_phase"]]
    assert total == [0, 3, 0]  # the whole store: every task
    assert [p["tasks_total"] for p in c1["phases"]["by_phase"]] == [0, 1, 0]  # a
    assert [p["tasks_total"] for p in c2["phases"]["by_phase"]] == [0, 1, 0]  # b
    assert c2["status_reasons"] == ["overdue_issues", "phase_tasks_overdue",
                                    "net_forecast_none", "phase_behind"]
    assert c1["status"] == "green" and c1["guarantees"]["check_coverage"] == 0.1
    assert c2["issues"]["found"] == 1 and c1["issues"]["found"] == 0

    one = metrics_report(L, D, county="5202")
    assert one["county"] == {k: v for k, v in c2.items()
                             if k not in ("county_code", "county_name", "status_reasons")}
    assert [t["township_code"] for t in one["townships"]] == ["03"]
    assert one["counties"] == [c2]
    assert metrics_report(L, D, ["02"], county="5201")["townships"][0]["township_code"] == "02"
    s = scope_metrics(L, D, county="5202")
    assert s["county"] == "5202" and s["phases"]["by_phase"] == c2["phases"]["by_phase"]
    assert s["status_reasons"] == c2["status_reasons"]
    with pytest.raises(ValueError, match="9999"):
        metrics_report(L, D, county="9999")
    with pytest.raises(ValueError, match="01"):
        metrics_report(L, D, ["01"], county="5202")


def test_one_county_with_a_code_lists_no_counties():
    L = Ledgers.from_records(townships=[{"township_code": "01", "township_name": "甲",
                                         "county_code": "5201", "county_name": "甲县"}])
    r = metrics_report(L, D)
    assert "counties" not in r and L.counties() == {"5201": "甲县"}
    assert metrics_report(L, D, county="5201")["county"] == r["county"]
    assert "counties" not in metrics_report(golden(), D) and golden().counties() == {}


def test_format_table_shows_campaign_headlines_and_counties():
    from duzhan.metrics.table import format_table

    lines = format_table(metrics_report(campaign_store(), D), "zh").splitlines()
    head = lines[1].split()
    for label in ("本月督导覆盖率", "应约谈", "月报报送率", "三保障缺口户", "超15天未帮扶户",
                  "搬迁入住率"):
        assert label in head
    col = head.index("应约谈")
    town01 = lines[3].split()
    assert town01[col + 1] == "1"  # "01 甲镇" is two words
    assert town01[col] == "100.0%"  # v1 visited in June
    assert town01[col + 2] == "0.0%" and lines[4].split()[col + 2] == "100.0%"
    assert town01[col + 5] == "—"  # no site: occupancy null
    two = format_table(metrics_report(two_counties(), D), "en").splitlines()
    assert two[2].startswith("All counties") and two[3].startswith("5201 甲县")
    assert two[4].startswith("5202 乙县") and two[5].startswith("01 甲镇")
