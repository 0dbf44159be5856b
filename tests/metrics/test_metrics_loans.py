"""Micro-loans · 小额信贷: hand-worked golden cases (D = 2024-06-30)."""
import datetime as dt
from decimal import Decimal

import pytest

from duzhan.metrics import loans as m
from duzhan.metrics.frames import Ledgers

D = dt.date(2024, 6, 30)


def day(offset):
    """D + offset days as 'YYYY-MM-DD'."""
    return (D + dt.timedelta(days=offset)).isoformat()


def loan(lid, principal, due, issued="2023-01-01", ext=None, town="01", bank="农商行"):
    return {"loan_id": lid, "household_id": "H" + lid, "township_code": town,
            "principal": principal, "issued_date": issued, "due_date": due,
            "extended_due_date": ext, "bank": bank}


def rep(lid, amount, date):
    return {"loan_id": lid, "principal_amount": amount, "paid_date": date}


def golden():
    return Ledgers.from_records(
        loans=[
            loan("A", "1000", day(10)),                      # due in 10 days: due_30d
            loan("B", "2000", day(-5)),                      # dpd 5
            loan("C", "3000", day(-40), bank="邮储"),         # dpd 40
            loan("D", "4000", day(-100), ext=day(60)),       # extended to D+60: not overdue
            loan("E", "500", day(-200)),                     # fully repaid: inactive
            loan("F", "600", day(-200), bank="邮储"),         # dpd 200, partly repaid
            loan("G", "700", day(10), issued=day(1)),        # issued after D
        ],
        repayments=[
            rep("A", "200", day(-30)),
            rep("E", "500", day(-1)),
            rep("F", "100", day(-150)),
            rep("B", "2000", day(1)),                        # after D: B still owes 2000
        ],
    )


def test_golden_loan_metrics():
    L = golden()
    got = m.loan_metrics(L.loans, L.repayments, D)
    # active: A 800, B 2000, C 3000, D 4000, F 500 → 5 loans, balance 10300
    # overdue (dpd ≥ 1): B, C, F → 3, 5500; par30: C + F = 3500; par90: F = 500
    assert got["active_loans"] == 5
    assert got["balance"] == Decimal("10300.00")
    assert got["overdue_loans"] == 3
    assert got["overdue_balance"] == Decimal("5500.00")
    assert got["overdue_rate"] == 5500 / 10300
    assert got["par30"] == 3500 / 10300
    assert got["par90"] == 500 / 10300
    # due within 30 days: A (D+10) 800; D's effective due is D+60
    assert got["due_30d_loans"] == 1 and got["due_30d_balance"] == Decimal("800.00")
    assert got["extended_loans"] == 1
    assert got["buckets"] == {
        "1-30": {"loans": 1, "balance": Decimal("2000.00")},
        "31-90": {"loans": 1, "balance": Decimal("3000.00")},
        "91-180": {"loans": 0, "balance": Decimal("0.00")},
        "181+": {"loans": 1, "balance": Decimal("500.00")},
    }


def test_loan_table_rows():
    L = golden()
    t = m.loan_table(L.loans, L.repayments, D).set_index("loan_id")
    assert "G" not in t.index
    assert "household_id" not in t.columns  # personal data stays out of metric answers
    assert t.loc["A", "repaid_fen"] == 20000 and t.loc["A", "outstanding_fen"] == 80000
    assert t.loc["D", "effective_due"].date() == D + dt.timedelta(days=60)
    assert t.loc["D", "dpd"] == 0
    assert not t.loc["E", "active"] and t.loc["E", "dpd"] == 0  # repaid: not past due
    assert t.loc["F", "dpd"] == 200 and t.loc["F", "bucket"] == "181+"


@pytest.mark.parametrize(
    "due_offset, dpd, bucket, par30, par90",
    [
        (0, 0, None, False, False),        # due day itself: dpd 0
        (5, 0, None, False, False),        # not yet due
        (-1, 1, "1-30", False, False),
        (-30, 30, "1-30", False, False),   # par30 needs dpd > 30
        (-31, 31, "31-90", True, False),
        (-90, 90, "31-90", True, False),   # par90 needs dpd > 90
        (-91, 91, "91-180", True, True),
        (-180, 180, "91-180", True, True),
        (-181, 181, "181+", True, True),
    ],
)
def test_dpd_and_bucket_edges(due_offset, dpd, bucket, par30, par90):
    L = Ledgers.from_records(loans=[loan("X", "100", day(due_offset))])
    t = m.loan_table(L.loans, L.repayments, D)
    assert t["dpd"].iloc[0] == dpd
    assert (None if t["bucket"].isna().iloc[0] else t["bucket"].iloc[0]) == bucket
    got = m.loan_metrics(L.loans, L.repayments, D)
    assert got["par30"] == (1.0 if par30 else 0.0)
    assert got["par90"] == (1.0 if par90 else 0.0)
    assert got["overdue_loans"] == (1 if dpd >= 1 else 0)


def test_extended_due_date_used():
    # due 30 days ago but extended to D − 2: dpd counts from the extension, 2
    L = Ledgers.from_records(loans=[loan("X", "100", day(-30), ext=day(-2))])
    t = m.loan_table(L.loans, L.repayments, D)
    assert t["effective_due"].iloc[0].date() == D - dt.timedelta(days=2)
    assert t["dpd"].iloc[0] == 2
    assert m.loan_metrics(L.loans, L.repayments, D)["extended_loans"] == 1


def test_extended_but_repaid_not_counted():
    L = Ledgers.from_records(loans=[loan("X", "100", day(-30), ext=day(30))],
                             repayments=[rep("X", "100", day(-1))])
    got = m.loan_metrics(L.loans, L.repayments, D)
    assert got["extended_loans"] == 0 and got["active_loans"] == 0


@pytest.mark.parametrize(
    "due_offset, counted",
    [(-1, 0), (0, 1), (30, 1), (31, 0)],  # D ≤ effective_due ≤ D + 30
)
def test_due_30d_window_edges(due_offset, counted):
    L = Ledgers.from_records(loans=[loan("X", "100", day(due_offset))])
    got = m.loan_metrics(L.loans, L.repayments, D)
    assert got["due_30d_loans"] == counted
    assert got["due_30d_balance"] == Decimal(100 * counted)
    assert len(m.due_30d_list(L.loans, L.repayments, D)) == counted


def test_zero_balance_rates_null():
    L = Ledgers.empty()
    got = m.loan_metrics(L.loans, L.repayments, D)
    assert got["active_loans"] == 0 and got["balance"] == Decimal("0")
    assert got["overdue_rate"] is None and got["par30"] is None and got["par90"] is None
    assert got["buckets"]["181+"] == {"loans": 0, "balance": Decimal("0")}


def test_breakdown_by_bank_and_township():
    L = golden()
    b = m.breakdown(L.loans, L.repayments, D, "bank").set_index("bank")
    # 农商行: A 800, B 2000 (overdue), D 4000 → 6800, overdue 2000
    # 邮储: C 3000 (overdue), F 500 (overdue) → 3500, overdue 3500
    assert b.loc["农商行", "balance_fen"] == 680000
    assert b.loc["农商行", "overdue_rate"] == 2000 / 6800
    assert b.loc["邮储", "balance_fen"] == 350000
    assert b.loc["邮储", "overdue_rate"] == 1.0
    by_town = m.loan_metrics_by(L.loans, L.repayments, D, groups=["01", "02"])
    assert by_town["01"]["balance"] == Decimal("10300.00")
    assert by_town["02"]["active_loans"] == 0 and by_town["02"]["overdue_rate"] is None


def test_due_30d_list_sorted():
    L = Ledgers.from_records(loans=[loan("X", "100", day(20)), loan("Y", "100", day(3)),
                                    loan("Z", "100", day(40))])
    got = m.due_30d_list(L.loans, L.repayments, D)
    assert got["loan_id"].tolist() == ["Y", "X"]
    assert got["days_to_due"].tolist() == [3, 20]
