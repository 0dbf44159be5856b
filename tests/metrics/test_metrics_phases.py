"""Phases · 阶段进度: hand-worked golden cases."""
import math

import pytest

from duzhan.metrics import phases as m
from duzhan.metrics.frames import Ledgers

from .ledger_frame import PHASES, task

TASKS = [
    task("t1", 1, "2024-03-31", "2024-03-01", town="01"),
    task("t2", 1, "2024-03-31", None, town="02"),           # overdue
    task("t3", 2, "2024-06-15", "2024-06-01", town="01"),
    task("t4", 2, "2024-07-15", "2024-07-02", town="01"),   # done after D: not done
    task("t5", 2, "2024-06-29", None, town=None),            # county-wide, overdue
    task("t6", 2, "2024-06-30", None, town="02"),            # due day: not overdue
]


def golden():
    return Ledgers.from_records(phases=PHASES, tasks=TASKS)


def test_golden_county():
    L = golden()
    got = m.phase_metrics(L.phases, L.tasks, "2024-06-30")
    assert got["current_phase"] == 2
    p1, p2, p3 = got["by_phase"]
    # phase 1 ended: expected = clamp((181 + 1) / 91) = 1
    assert p1 == {"phase_no": 1, "tasks_total": 2, "tasks_done": 1, "completion": 0.5,
                  "expected": 1.0, "tasks_overdue": 1}
    # phase 2: (d(04-01, 06-30) + 1) / 121 = (90 + 1) / 121; t3 done; t5 overdue
    assert p2 == {"phase_no": 2, "tasks_total": 4, "tasks_done": 1, "completion": 0.25,
                  "expected": 91 / 121, "tasks_overdue": 1}
    # phase 3 not started, no tasks: listed, completion null, expected clamped to 0
    assert p3 == {"phase_no": 3, "tasks_total": 0, "tasks_done": 0, "completion": None,
                  "expected": 0.0, "tasks_overdue": 0}
    assert got["behind"] is True  # 0.25 < 91/121 − 0.10 ≈ 0.652


def test_county_wide_tasks_only_for_county():
    L = golden()
    by = m.phase_metrics_by(L.phases, L.tasks, "2024-06-30", groups=["01", "02", "03"])
    t01 = by["01"]["by_phase"]
    assert [(p["tasks_total"], p["tasks_done"], p["tasks_overdue"]) for p in t01] == [
        (1, 1, 0), (2, 1, 0), (0, 0, 0)]
    t02 = by["02"]["by_phase"]
    assert [(p["tasks_total"], p["tasks_done"], p["tasks_overdue"]) for p in t02] == [
        (1, 0, 1), (1, 0, 0), (0, 0, 0)]
    # township totals 1+2 + 1+1 in phases 1–2 = 5 of the county's 6: t5 is county-wide
    assert by["01"]["behind"] is True    # 1/2 < 91/121 − 0.1
    assert by["03"]["behind"] is None    # no tasks: not behind
    assert [p["completion"] for p in by["03"]["by_phase"]] == [None, None, None]
    scoped = L.scoped(["01", "02"])
    agg = m.phase_metrics(scoped.phases, scoped.tasks, "2024-06-30")
    assert agg["by_phase"][1]["tasks_total"] == 3 and agg["by_phase"][1]["tasks_overdue"] == 0


@pytest.mark.parametrize(
    "as_of, current",
    [
        ("2024-04-01", 2),   # start day
        ("2024-07-30", 2),   # end day
        ("2024-07-31", None),
        ("2024-08-15", None),  # between phases
        ("2023-12-31", None),  # before all
        ("2025-01-01", None),  # after all
    ],
)
def test_current_phase(as_of, current):
    L = golden()
    got = m.phase_metrics(L.phases, L.tasks, as_of)
    assert got["current_phase"] == current
    if current is None:
        assert got["behind"] is None


@pytest.mark.parametrize(
    "as_of, expected",
    [
        ("2024-03-31", 0.0),        # day before start: (−1 + 1) / 121 = 0
        ("2024-01-01", 0.0),        # long before: clamp to 0
        ("2024-04-01", 1 / 121),    # first day counts as 1 day
        ("2024-07-30", 1.0),        # last day: 121 / 121
        ("2024-12-01", 1.0),        # after end: clamp to 1
    ],
)
def test_expected_clamp(as_of, expected):
    L = golden()
    got = m.phase_metrics(L.phases, L.tasks, as_of)
    assert got["by_phase"][1]["expected"] == expected


def _ten_day_phase(done, day):
    phases = [{"phase_no": 1, "phase_name": "一", "start_date": "2024-06-01",
               "end_date": "2024-06-10"}]
    tasks = [task(f"k{i}", 1, "2024-06-30", "2024-06-01" if i < done else None, town="01")
             for i in range(10)]
    L = Ledgers.from_records(phases=phases, tasks=tasks)
    return m.phase_metrics(L.phases, L.tasks, f"2024-06-{day:02d}")


@pytest.mark.parametrize(
    "done, day, behind",
    [
        (4, 5, False),  # expected 5/10: 0.4 < 0.4 is false (threshold itself is not behind)
        (3, 5, True),   # 0.3 < 0.4
        (7, 8, False),  # expected 0.8: 0.7 is not < 0.7 (float 0.8 − 0.1 would say so)
        (6, 8, True),
    ],
)
def test_behind_threshold(done, day, behind):
    assert _ten_day_phase(done, day)["behind"] is behind


def test_overdue_tasks_list():
    L = golden()
    got = m.overdue_tasks(L.phases, L.tasks, "2024-06-30")
    # t2 due 03-31 → 91 days; t5 due 06-29 → 1 day
    assert got["task_id"].tolist() == ["t2", "t5"]
    assert got["days_overdue"].tolist() == [91, 1]
    assert got["phase_name"].tolist() == ["一", "二"]


def test_township_phase_table():
    L = golden()
    t = m.township_phase_table(L.phases, L.tasks, "2024-06-30", townships=["01", "02", "03"])
    assert list(t.columns) == [1, 2, 3]
    assert t.loc["01", 1] == 1.0 and t.loc["01", 2] == 0.5 and math.isnan(t.loc["01", 3])
    assert t.loc["02", 1] == 0.0 and t.loc["02", 2] == 0.0
    assert t.loc["03"].isna().all()
