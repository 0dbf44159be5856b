"""Monthly reports · 月报: hand-worked cases. Campaign 2024-04-10 … 2024-07-05: expected
months April … July; due(m) = the 28th."""
import pandas as pd
import pytest

from duzhan.metrics import reports as m

from .ledger_frame import frame

TOWNS = frame("townships", [{"township_code": c, "township_name": c} for c in ("01", "02")])
PHASES = frame("phases", [
    {"phase_no": 1, "phase_name": "一", "start_date": "2024-04-10", "end_date": "2024-05-31"},
    {"phase_no": 2, "phase_name": "二", "start_date": "2024-06-01", "end_date": "2024-07-05"},
])


def rep(town, month, submitted):
    return {"township_code": town, "month": month, "submitted_date": submitted}


def metrics(*rows, as_of, townships=None, phases=PHASES):
    return m.report_metrics(TOWNS, frame("reports", rows), phases, as_of, townships)


ANCHOR = rep("02", "2024-04-01", "2024-04-01")  # keeps the ledger in use, township 02


@pytest.mark.parametrize("submitted, status", [
    ("2024-05-28", "on_time"),  # the 28th itself
    ("2024-05-29", "late"),     # the day after
    ("2024-06-30", "late"),     # on D
    ("2024-07-01", "missing"),  # after D: does not exist yet
    (None, "missing"),
])
def test_one_month_status(submitted, status):
    rows = [ANCHOR] + ([rep("01", "2024-05-01", submitted)] if submitted else [])
    got = metrics(*rows, as_of="2024-06-30", townships=["01"])
    # due before 06-30: April (04-28), May (05-28), June (06-28); July not yet
    assert got["reports_expected"] == 3
    counts = {"on_time": got["reports_on_time"], "late": got["reports_late"]}
    assert got["reports_missing"] == 3 - sum(counts.values())
    if status != "missing":
        assert counts[status] == 1
    else:
        assert sum(counts.values()) == 0


def test_due_day_itself_is_not_yet_due():
    # D = 06-28 = due(June): June is not yet due (due(m) < D is needed); D = 06-29: it is
    on_28 = metrics(ANCHOR, as_of="2024-06-28", townships=["02"])
    assert on_28["reports_expected"] == 2 and on_28["last_due_month"] == "2024-05"
    on_29 = metrics(ANCHOR, as_of="2024-06-29", townships=["02"])
    assert on_29["reports_expected"] == 3 and on_29["last_due_month"] == "2024-06"
    assert on_29["last_missing"] == 1


def test_golden_county():
    rows = [ANCHOR,                                          # 02 April on time
            rep("01", "2024-04-01", "2024-04-30"),           # late
            rep("01", "2024-05-01", "2024-05-20"),           # on time
            rep("02", "2024-05-01", "2024-05-28"),           # on time
            rep("01", "2024-06-01", "2024-06-28"),           # on time
            rep("01", "2024-07-01", "2024-07-02"),           # July: not yet due on 07-15
            rep("01", "2024-03-01", "2024-03-05")]           # March: not an expected month
    got = metrics(*rows, as_of="2024-07-15")
    # expected: 2 townships × April, May, June = 6; on time 4 (02-Apr, 01-May, 02-May,
    # 01-Jun), late 1 (01-Apr), missing 1 (02-Jun)
    assert got == {"reports_expected": 6, "reports_on_time": 4, "reports_late": 1,
                   "reports_missing": 1, "reporting_rate": 5 / 6, "on_time_rate": 4 / 6,
                   "last_due_month": "2024-06", "last_missing": 1}
    per = m.report_metrics_by(TOWNS, frame("reports", rows), PHASES, "2024-07-15")
    assert per["01"]["last_missing"] == 0 and per["02"]["last_missing"] == 1
    for k in ("reports_expected", "reports_on_time", "reports_late", "reports_missing"):
        assert got[k] == per["01"][k] + per["02"][k]


def test_not_in_use_yet_all_null():
    keys = ("reports_expected", "reports_on_time", "reports_late", "reports_missing",
            "reporting_rate", "on_time_rate", "last_due_month", "last_missing")
    # no report at all, or only one submitted after D
    for rows in ((), (rep("01", "2024-06-01", "2024-07-01"),)):
        got = metrics(*rows, as_of="2024-06-30")
        assert got == dict.fromkeys(keys)
        per = m.report_metrics_by(TOWNS, frame("reports", rows), PHASES, "2024-06-30")
        assert per["01"] == per["02"] == dict.fromkeys(keys)


def test_no_phases_or_nothing_due_yet():
    got = metrics(ANCHOR, as_of="2024-06-30", phases=frame("phases"))
    assert got == {"reports_expected": 0, "reports_on_time": 0, "reports_late": 0,
                   "reports_missing": 0, "reporting_rate": None, "on_time_rate": None,
                   "last_due_month": None, "last_missing": 0}
    early = metrics(ANCHOR, as_of="2024-04-28")  # April due on the 28th: not yet
    assert early["reports_expected"] == 0 and early["last_due_month"] is None


def test_month_as_text_or_period_and_the_grid():
    rows = [rep("01", "2024-05", "2024-05-28"), rep("02", "2024-06", "2024-06-29")]
    text = frame("reports", rows)
    text["month"] = pd.Series(["2024-05", "2024-06"], dtype="object")
    period = text.assign(month=pd.PeriodIndex(["2024-05", "2024-06"], freq="M"))
    dated = text.assign(month=pd.to_datetime(["2024-05-15", "2024-06-01"]))
    grids = [m.report_grid(TOWNS, r, PHASES, "2024-06-30") for r in (text, period, dated)]
    assert grids[0].equals(grids[1]) and grids[0].equals(grids[2])
    g = grids[0]
    assert list(g.columns) == ["township_code", "month", "due_date", "submitted_date",
                               "status"]
    assert [str(p) for p in g["month"][:4]] == ["2024-04", "2024-05", "2024-06", "2024-07"]
    assert g["status"].tolist() == ["missing", "on_time", "missing", "not_due",
                                    "missing", "missing", "late", "not_due"]
    assert g["due_date"].iloc[1] == pd.Timestamp("2024-05-28")


def test_empty_townships():
    got = m.report_metrics(frame("townships"), frame("reports", [ANCHOR]), PHASES,
                           "2024-06-30")
    assert got["reports_expected"] == 0 and got["reporting_rate"] is None
