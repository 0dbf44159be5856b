"""Ledgers: typed frames, money in fen, scoping."""
from decimal import Decimal

import pandas as pd
import pytest

from duzhan.metrics.frames import Ledgers, yuan_to_fen
from duzhan.metrics.numbers import fen_to_yuan


@pytest.mark.parametrize(
    "value, fen",
    [
        ("1,234.50", 123450),
        (Decimal("0.01"), 1),
        (12, 1200),
        ("0.1", 10),
        (0.29, 29),  # float goes through repr: '0.29', not 0.28999…
    ],
)
def test_yuan_to_fen_exact(value, fen):
    assert yuan_to_fen(value) == fen


def test_yuan_to_fen_rejects_sub_fen():
    with pytest.raises(ValueError):
        yuan_to_fen("1.005")


def test_fen_to_yuan_two_decimals():
    assert str(fen_to_yuan(10000)) == "100.00"
    assert fen_to_yuan(30) == Decimal("0.30")


def test_empty_dtypes():
    e = Ledgers.empty()
    assert str(e.projects["allocated_amount_fen"].dtype) == "int64"
    assert str(e.issues["found_date"].dtype) == "datetime64[ns]"
    assert "township_code" in e.disbursements.columns
    assert "township_code" in e.repayments.columns
    assert len(e.loans) == 0


def _ledgers():
    return Ledgers.from_records(
        townships=[{"township_code": "01", "township_name": "甲"},
                   {"township_code": "02", "township_name": "乙"}],
        projects=[{"project_id": "P1", "township_code": "01", "allocated_amount": "10.50",
                   "allocated_date": "2024-01-02"},
                  {"project_id": "P2", "township_code": "02", "allocated_amount_fen": 300,
                   "allocated_date": "2024-01-02"}],
        disbursements=[{"project_id": "P1", "paid_date": "2024-02-01", "amount": "1.01"},
                       {"project_id": "P2", "paid_date": "2024-02-01", "amount_fen": 7}],
        loans=[{"loan_id": "L1", "township_code": "02", "principal": 100,
                "issued_date": "2024-01-01", "due_date": "2025-01-01"}],
        repayments=[{"loan_id": "L1", "paid_date": "2024-03-01", "principal_amount": "0.5"}],
        tasks=[{"task_id": "T1", "phase_no": 1, "township_code": "01", "due_date": "2024-03-01"},
               {"task_id": "T0", "phase_no": 1, "due_date": "2024-03-01"}],
    )


def test_from_records_money_and_derived_township():
    L = _ledgers()
    assert L.projects["allocated_amount_fen"].tolist() == [1050, 300]
    assert L.disbursements["amount_fen"].tolist() == [101, 7]
    assert L.disbursements["township_code"].tolist() == ["01", "02"]
    assert L.repayments["township_code"].tolist() == ["02"]
    assert L.repayments["principal_amount_fen"].tolist() == [50]
    assert str(L.disbursements["paid_date"].dtype) == "datetime64[ns]"
    assert L.tasks["township_code"].isna().tolist() == [False, True]


def test_scoped_excludes_county_wide_tasks():
    s = _ledgers().scoped(["01"])
    assert s.tasks["task_id"].tolist() == ["T1"]
    assert s.projects["project_id"].tolist() == ["P1"]
    assert s.disbursements["amount_fen"].tolist() == [101]
    assert len(s.loans) == 0 and len(s.repayments) == 0
    assert s.townships["township_code"].tolist() == ["01"]


@pytest.mark.parametrize("codes", [None, []])
def test_scoped_none_is_county(codes):
    s = _ledgers().scoped(codes)
    assert sorted(s.tasks["task_id"]) == ["T0", "T1"]
    assert len(s.projects) == 2


def test_constructor_coerces_untyped_frames():
    # e.g. a reader that hands over object/us columns: the dataclass types them.
    raw = pd.DataFrame({"issue_id": ["I1"], "township_code": ["01"], "source": ["s"],
                        "category": ["c"], "department": ["d"],
                        "found_date": pd.to_datetime(["2024-01-01"]).astype("datetime64[us]"),
                        "deadline": ["2024-02-01"], "closed_date": [None]})
    e = Ledgers.empty()
    L = Ledgers(**{**e.frames, "issues": raw})
    assert str(L.issues["deadline"].dtype) == "datetime64[ns]"
    assert str(L.issues["found_date"].dtype) == "datetime64[ns]"
    assert L.issues["closed_date"].isna().all()


def test_scoped_and_unpickled_ledgers_keep_typed_frames():
    """Rows of typed frames (a scope, a cache hit's unpickled copy) are not coerced again,
    and keep the metric-frame dtypes and values."""
    import pickle

    led = Ledgers.from_records(
        issues=[dict(issue_id="I1", township_code="001", source="审计", category="c",
                     department="d", found_date="2024-06-01", deadline="2024-07-01"),
                dict(issue_id="I2", township_code="002", source="审计", category="c",
                     department="d", found_date="2024-06-02", deadline="2024-07-02")],
        tasks=[dict(task_id="T1", phase_no=1, township_code=None, county_code="5201",
                    task_name="t", due_date="2024-06-01")])
    copy = pickle.loads(pickle.dumps(led))
    for name, df in led.frames.items():
        pd.testing.assert_frame_equal(getattr(copy, name), df)
    one = led.scoped(["002"])
    assert one.issues["issue_id"].tolist() == ["I2"]
    assert one.issues.index.tolist() == [0]
    assert one.issues.dtypes.to_dict() == led.issues.dtypes.to_dict()
    assert one.tasks.empty and led.scoped(["002"], county="5201").tasks["task_id"].tolist() == ["T1"]
    both = led.scoped(["001", "002"])  # every row kept: the same frame
    assert both.issues is led.issues
