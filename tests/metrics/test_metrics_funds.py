"""Funds · 资金拨付: hand-worked golden cases (D = 2024-06-30 unless said)."""
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from duzhan.metrics import funds as m
from duzhan.metrics.frames import Ledgers

D = "2024-06-30"


def proj(pid, amount, date, town="01", source="中央财政专项", cat="产业发展"):
    return {"project_id": pid, "project_name": pid, "township_code": town,
            "funding_source": source, "category": cat, "allocated_amount": amount,
            "allocated_date": date}


def pay(pid, amount, date):
    return {"project_id": pid, "amount": amount, "paid_date": date}


def ledgers(projects, disbursements=()):
    return Ledgers.from_records(projects=projects, disbursements=list(disbursements))


@pytest.mark.parametrize(
    "day, num, den",
    [
        ("2024-06-30", 182, 366),  # leap year: 31+29+31+30+31+30 = 182
        ("2023-06-30", 181, 365),  # non-leap: 31+28+31+30+31+30 = 181
        ("2024-12-31", 366, 366),
        ("2023-01-01", 1, 365),
        ("2024-03-01", 61, 366),   # 31 + 29 + 1
    ],
)
def test_time_progress(day, num, den):
    assert m.time_progress(day) == num / den


def golden():
    return ledgers(
        [proj("P1", "1000.00", "2024-01-10", source="中央财政专项", cat="产业发展"),
         proj("P2", "500.50", "2024-04-01", source="县级财政", cat="产业发展"),  # D − 90
         proj("P3", "300.00", "2024-07-05")],                                   # after D
        [pay("P1", "600.00", "2024-02-01"),
         pay("P1", "100.00", "2024-07-02"),   # after D
         pay("P2", "250.24", "2024-05-01"),   # 250.24 / 500.50 < 0.5
         pay("P3", "1.00", "2024-07-06")],    # after D
    )


def test_golden_fund_metrics():
    L = golden()
    got = m.fund_metrics(L.projects, L.disbursements, D)
    # allocated = 1000.00 + 500.50 = 1500.50; disbursed = 600.00 + 250.24 = 850.24
    assert got["allocated"] == Decimal("1500.50")
    assert got["disbursed"] == Decimal("850.24")
    assert got["disbursement_rate"] == 85024 / 150050
    assert got["time_progress"] == 182 / 366
    assert got["progress_gap"] == pytest.approx(85024 / 150050 - 182 / 366, abs=1e-15)
    # P1 own 0.6 → no; P2 allocated exactly D − 90 with 0.49998 → stalled
    assert got["stalled_projects"] == 1


def test_amounts_exact_to_the_fen():
    L = ledgers([proj("P1", "0.10", "2024-01-01"), proj("P2", "0.20", "2024-01-01")],
                [pay("P1", "0.10", "2024-01-02"), pay("P2", "0.20", "2024-01-02")])
    got = m.fund_metrics(L.projects, L.disbursements, D)
    assert got["allocated"] == Decimal("0.30") and str(got["allocated"]) == "0.30"
    assert got["disbursement_rate"] == 1.0


def test_zero_allocated_is_null():
    L = Ledgers.empty()
    got = m.fund_metrics(L.projects, L.disbursements, D)
    assert got["allocated"] == Decimal("0") and got["disbursed"] == Decimal("0")
    assert got["disbursement_rate"] is None and got["progress_gap"] is None
    assert got["time_progress"] == 182 / 366
    assert got["stalled_projects"] == 0


@pytest.mark.parametrize(
    "allocated_date, paid, stalled",
    [
        ("2024-04-01", "0.00", 1),    # exactly 90 days (Jun 30 − 90 = Apr 1), nothing paid
        ("2024-04-02", "0.00", 0),    # 89 days: too early to call stalled
        ("2024-04-01", "499.99", 1),  # 499.99 / 1000 < 0.5
        ("2024-04-01", "500.00", 0),  # exactly half is not < 0.5
    ],
)
def test_stalled_edges(allocated_date, paid, stalled):
    pays = [pay("P", paid, allocated_date)] if paid != "0.00" else []
    L = ledgers([proj("P", "1000.00", allocated_date)], pays)
    assert m.fund_metrics(L.projects, L.disbursements, D)["stalled_projects"] == stalled


def test_stalled_list_days_waited():
    L = golden()
    got = m.stalled_projects_list(L.projects, L.disbursements, D)
    assert got["project_id"].tolist() == ["P2"]
    assert got["days_waited"].tolist() == [90]
    assert got["disbursed_fen"].tolist() == [25024]
    assert got["own_rate"].iloc[0] == 25024 / 50050


def test_progress_gap_negative_when_behind():
    # 2024-06-30: 182/366 ≈ 0.497; disbursed 10% → gap ≈ −0.397
    L = ledgers([proj("P", "100.00", "2024-01-01")], [pay("P", "10.00", "2024-02-01")])
    gap = m.fund_metrics(L.projects, L.disbursements, D)["progress_gap"]
    assert gap == float(Fraction(1, 10) - Fraction(182, 366))


def test_breakdown_by_source_and_category():
    L = golden()
    by_src = m.breakdown(L.projects, L.disbursements, D, "funding_source").set_index(
        "funding_source")
    assert sorted(by_src.index) == ["中央财政专项", "县级财政"]  # P3 not allocated yet
    assert by_src.loc["中央财政专项", "allocated_fen"] == 100000
    assert by_src.loc["中央财政专项", "disbursed_fen"] == 60000
    assert by_src.loc["中央财政专项", "disbursement_rate"] == 0.6
    assert by_src.loc["县级财政", "stalled_projects"] == 1
    by_cat = m.breakdown(L.projects, L.disbursements, D, "category").set_index("category")
    assert by_cat.loc["产业发展", "allocated_fen"] == 150050
    assert by_cat.loc["产业发展", "disbursed_fen"] == 85024
    assert by_cat.loc["产业发展", "projects"] == 2


def test_funds_series_from_jan_first():
    # allocated last year: series starts Jan 1 of D's year, cumulative over all years
    L = ledgers([proj("P", "100.00", "2023-12-01")], [pay("P", "50.00", "2024-01-03")])
    s = m.funds_series(L.projects, L.disbursements, "2024-01-05")
    assert [d.date() for d in s["date"]] == [dt.date(2024, 1, k) for k in range(1, 6)]
    assert s["allocated_fen"].tolist() == [10000] * 5
    assert s["disbursed_fen"].tolist() == [0, 0, 5000, 5000, 5000]
    assert s["disbursement_rate"].tolist() == [0, 0, 0.5, 0.5, 0.5]
    assert s["time_progress"].tolist() == [k / 366 for k in range(1, 6)]


def test_funds_series_from_first_allocation():
    L = ledgers([proj("P", "100.00", "2024-03-01"), proj("Q", "100.00", "2024-03-02")],
                [pay("P", "100.00", "2024-03-03"), pay("Q", "1.00", "2024-03-04")])  # Q after D
    s = m.funds_series(L.projects, L.disbursements, "2024-03-03")
    assert [d.date() for d in s["date"]] == [dt.date(2024, 3, k) for k in (1, 2, 3)]
    assert s["allocated_fen"].tolist() == [10000, 20000, 20000]
    assert s["disbursement_rate"].tolist() == [0.0, 0.0, 0.5]
    # the last day agrees with fund_metrics
    fm = m.fund_metrics(L.projects, L.disbursements, "2024-03-03")
    assert s["disbursement_rate"].iloc[-1] == fm["disbursement_rate"]
