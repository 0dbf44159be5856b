"""Rates in the JSON are the exact figures rounded to 6 decimals, half away from zero (四舍五入),
whatever the float's binary error. Found by the differential test (test_differential.py):
``round(float(x), 6)`` rounded the exact tie 1/640 = 0.0015625 up but 3/640 = 0.0046875
down, and 1/128 = 0.0078125 down (half-even on a binary-exact float)."""
from fractions import Fraction

import pytest

from duzhan.metrics.frames import Ledgers
from duzhan.metrics.numbers import Rate, ratio, round_half_up
from duzhan.metrics.report import metrics_report

TOWN = [{"township_code": "01", "township_name": "甲"}]


def loan(lid, fen, due):
    return {"loan_id": lid, "household_id": "h", "township_code": "01", "principal_fen": fen,
            "issued_date": "2023-01-01", "due_date": due}


@pytest.mark.parametrize("overdue_fen, balance_fen, rate", [
    (1, 640, 0.001563),    # 0.0015625
    (3, 640, 0.004688),    # 0.0046875 (was 0.004687)
    (1, 128, 0.007813),    # 0.0078125 (was 0.007812)
    (5, 128, 0.039063),    # 0.0390625 (was 0.039062)
    (1, 3, 0.333333),
    (2, 3, 0.666667),
])
def test_overdue_rate_ties_round_half_up(overdue_fen, balance_fen, rate):
    L = Ledgers.from_records(townships=TOWN, loans=[
        loan("over", overdue_fen, "2024-06-01"),                  # dpd 29 on 2024-06-30
        loan("fine", balance_fen - overdue_fen, "2024-12-31")])
    r = metrics_report(L, "2024-06-30")
    for scope in (r["county"], r["townships"][0]):
        assert scope["loans"]["overdue_rate"] == rate
        assert scope["loans"]["par30"] == 0.0


def test_expected_ties_round_half_up():
    # 2024-03-01 .. 2024-07-06 is 31 + 30 + 31 + 30 + 6 = 128 days: expected = k/128
    L = Ledgers.from_records(townships=TOWN, phases=[
        {"phase_no": 1, "phase_name": "一", "start_date": "2024-03-01",
         "end_date": "2024-07-06"}])
    got = {D: metrics_report(L, D)["county"]["phases"]["by_phase"][0]["expected"]
           for D in ("2024-03-01", "2024-03-03", "2024-03-05", "2024-07-06")}
    assert got == {"2024-03-01": 0.007813,   # 1/128 = 0.0078125
                   "2024-03-03": 0.023438,   # 3/128 = 0.0234375
                   "2024-03-05": 0.039063,   # 5/128 = 0.0390625
                   "2024-07-06": 1.0}


def test_progress_gap_rounded_from_the_exact_difference():
    # D = 2024-06-30: time progress 182/366. Allocated 3,660,000.00 yuan = 366,000,000 fen;
    # disbursed 181,999,817 fen: gap = (181,999,817 − 182,000,000) / 366,000,000
    # = −183 / 366,000,000 = −0.0000005 exactly → −0.000001 (away from zero), not −0.0.
    L = Ledgers.from_records(
        townships=TOWN,
        projects=[{"project_id": "P", "project_name": "p", "township_code": "01",
                   "funding_source": "f", "category": "c",
                   "allocated_amount_fen": 366_000_000, "allocated_date": "2024-01-02"}],
        disbursements=[{"project_id": "P", "paid_date": "2024-06-01",
                        "amount_fen": 181_999_817}])
    f = metrics_report(L, "2024-06-30")["townships"][0]["funds"]
    assert f["progress_gap"] == -0.000001
    assert f["disbursement_rate"] == 0.497267   # 0.4972672595…
    assert f["time_progress"] == 0.497268       # 0.4972677595…


def test_round_half_up_and_rate():
    assert round_half_up(Fraction(1, 2_000_000), 6) == 0.000001
    assert round_half_up(Fraction(-3, 2_000_000), 6) == -0.000002
    assert round_half_up(Fraction(1, 3), 6) == 0.333333
    assert round_half_up(0.0046875, 6) == 0.004688     # a plain float: its decimal form
    assert round_half_up(None, 6) is None
    r = ratio(3, 640)
    assert isinstance(r, float) and r == 3 / 640 and r.exact == Fraction(3, 640)
    assert ratio(1, 0) is None
    import pickle
    assert pickle.loads(pickle.dumps(r)).exact == Fraction(3, 640)
    assert Rate(Fraction(1, 2)) == 0.5
