"""metrics.loans.extended_list, hand-computed."""
import datetime as dt

from duzhan.metrics import loans as lm
from duzhan.metrics.frames import Ledgers

D = dt.date(2024, 6, 30)


def test_extended_list():
    led = Ledgers.from_records(
        loans=[
            # extended to 2024-12-31: active, not overdue
            {"loan_id": "A", "household_id": "H1", "township_code": "01", "principal": "10000",
             "issued_date": "2023-01-01", "due_date": "2024-01-01",
             "extended_due_date": "2024-12-31"},
            # extended to 2024-06-20: active, 10 days past the extended date
            {"loan_id": "B", "household_id": "H2", "township_code": "01", "principal": "20000",
             "issued_date": "2023-01-01", "due_date": "2024-01-01",
             "extended_due_date": "2024-06-20"},
            # extended but repaid: not active, not listed
            {"loan_id": "C", "household_id": "H3", "township_code": "02", "principal": "5000",
             "issued_date": "2023-01-01", "due_date": "2024-01-01",
             "extended_due_date": "2024-07-01"},
            # not extended
            {"loan_id": "D", "household_id": "H4", "township_code": "02", "principal": "5000",
             "issued_date": "2023-01-01", "due_date": "2024-03-01"},
            # issued after D: does not exist yet
            {"loan_id": "E", "household_id": "H5", "township_code": "02", "principal": "5000",
             "issued_date": "2024-07-01", "due_date": "2025-07-01",
             "extended_due_date": "2026-01-01"},
        ],
        repayments=[
            {"loan_id": "C", "paid_date": "2024-05-01", "principal_amount": "5000"},
            {"loan_id": "B", "paid_date": "2024-02-01", "principal_amount": "5000"},
        ],
    )
    out = lm.extended_list(led.loans, led.repayments, D)
    assert list(out["loan_id"]) == ["B", "A"]
    assert list(out["dpd"]) == [10, 0]
    assert list(out["outstanding_fen"]) == [1_500_000, 1_000_000]
    assert "household_id" not in out.columns
    assert len(out) == lm.loan_metrics(led.loans, led.repayments, D)["extended_loans"]
