"""Phases · 阶段进度 (shared/contract/metrics.md, "Phases").

Tasks have no creation date: every task of a phase counts in tasks_total whatever D is;
``done`` means done_date ≤ D. County-wide tasks (no township_code) count only for the
county: pass the scoped tasks frame (see ``Ledgers.scoped``).
"""
from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from duzhan.metrics._util import DAY, dates
from duzhan.metrics.frames import to_date
from duzhan.metrics.numbers import BEHIND_MARGIN, Rate, ratio


def _expected(start: pd.Timestamp, end: pd.Timestamp, D: pd.Timestamp) -> Fraction:
    """clamp((d(start, D) + 1) / (d(start, end) + 1), 0, 1), exactly."""
    num = (D - start) // DAY + 1
    den = (end - start) // DAY + 1
    if den <= 0:  # end before start: not a valid phase; treat as instantaneous
        return Fraction(1) if D >= start else Fraction(0)
    return min(Fraction(1), max(Fraction(0), Fraction(int(num), int(den))))


def current_phase(phases: pd.DataFrame, as_of: Any) -> int | None:
    """phase_no of the phase with start_date ≤ D ≤ end_date; None outside all phases."""
    D = to_date(as_of)
    m = (dates(phases["start_date"]) <= D) & (dates(phases["end_date"]) >= D)
    hits = phases.loc[m, "phase_no"]
    return int(hits.min()) if len(hits) else None


def _task_flags(tasks: pd.DataFrame, D: pd.Timestamp) -> pd.DataFrame:
    done = (dates(tasks["done_date"]) <= D).to_numpy()
    overdue = (dates(tasks["due_date"]) < D).to_numpy() & ~done
    return pd.DataFrame({
        "phase_no": tasks["phase_no"].astype("Int64").to_numpy(),
        "total": np.ones(len(tasks), dtype="int64"),
        "done": done.astype("int64"),
        "overdue": overdue.astype("int64"),
    }, index=tasks.index)


def _phase_plan(phases: pd.DataFrame, D: pd.Timestamp) -> tuple[int | None, list]:
    """(current phase_no, [(phase_no, exact expected, its Rate)] in phase_no order) — once
    per call."""
    ph = phases.sort_values("phase_no")
    plan = [(int(no), _expected(start, end, D)) for no, start, end in
            zip(ph["phase_no"], dates(ph["start_date"]), dates(ph["end_date"]), strict=False)]
    # the Rate made once, shared by every group (a float: immutable)
    return current_phase(phases, D), [(no, exp, Rate(exp)) for no, exp in plan]


def _build(plan: tuple[int | None, list], counts: Any) -> dict[str, Any]:
    """counts: mapping phase_no -> (total, done, overdue)."""
    cur, phases = plan
    by_phase = []
    behind = None
    for no, exp, expected in phases:
        total, done, overdue = counts.get(no, (0, 0, 0))
        by_phase.append({
            "phase_no": no,
            "tasks_total": int(total),
            "tasks_done": int(done),
            "completion": ratio(int(done), int(total)),
            "expected": expected,
            "tasks_overdue": int(overdue),
        })
        if no == cur and total > 0:
            behind = Fraction(int(done), int(total)) < exp - BEHIND_MARGIN
    return {"current_phase": cur, "by_phase": by_phase, "behind": behind}


def phase_metrics(phases: pd.DataFrame, tasks: pd.DataFrame, as_of: Any) -> dict[str, Any]:
    """``{current_phase, by_phase: [{phase_no, tasks_total, tasks_done, completion, expected,
    tasks_overdue}], behind}`` over all rows of ``tasks``. by_phase lists every phase in
    phase_no order (also those without tasks: completion None). ``behind`` = completion <
    expected − 0.10 for the current phase (exact arithmetic); None when there is no current
    phase or it has no tasks."""
    D = to_date(as_of)
    fl = _task_flags(tasks, D)
    g = fl.groupby("phase_no")[["total", "done", "overdue"]].sum()
    counts = {int(k): tuple(int(x) for x in row) for k, row in zip(g.index, g.to_numpy(), strict=False)}
    return _build(_phase_plan(phases, D), counts)


def phase_metrics_by(phases: pd.DataFrame, tasks: pd.DataFrame, as_of: Any,
                     groups: Iterable[Any] | None = None) -> dict[Any, dict[str, Any]]:
    """:func:`phase_metrics` per township_code (county-wide tasks belong to no township)."""
    D = to_date(as_of)
    fl = _task_flags(tasks, D)
    fl["_key"] = tasks["township_code"].to_numpy()
    fl = fl[tasks["township_code"].notna().to_numpy()]
    g = fl.groupby(["_key", "phase_no"])[["total", "done", "overdue"]].sum()
    per: dict[Any, dict[int, tuple]] = {}
    for (key, no), row in zip(g.index, g.to_numpy(), strict=False):
        per.setdefault(key, {})[int(no)] = tuple(int(x) for x in row)
    keys = sorted(per) if groups is None else list(groups)
    plan = _phase_plan(phases, D)
    return {k: _build(plan, per.get(k, {})) for k in keys}


def overdue_tasks(phases: pd.DataFrame, tasks: pd.DataFrame, as_of: Any) -> pd.DataFrame:
    """Tasks with due_date < D not done by D (any phase), with phase_name and
    ``days_overdue`` = d(due_date, D); most overdue first."""
    D = to_date(as_of)
    fl = _task_flags(tasks, D)
    t = tasks[fl["overdue"].to_numpy() == 1].copy()
    names = phases.set_index("phase_no")["phase_name"]
    t["phase_name"] = t["phase_no"].map(names)
    t["days_overdue"] = ((D - dates(t["due_date"])) // DAY).astype("int64")
    return t.sort_values(["days_overdue", "task_id"], ascending=[False, True]).reset_index(
        drop=True)


def township_phase_table(phases: pd.DataFrame, tasks: pd.DataFrame, as_of: Any,
                         townships: Iterable[str] | None = None) -> pd.DataFrame:
    """Completion (done by D / total, NaN when a township has no task in a phase) with one
    row per township_code and one column per phase_no (every phase, in order). County-wide
    tasks are excluded. ``townships``: the rows to show (default: those with tasks)."""
    D = to_date(as_of)
    fl = _task_flags(tasks, D)
    fl["township_code"] = tasks["township_code"].to_numpy()
    fl = fl[tasks["township_code"].notna().to_numpy()]
    g = fl.groupby(["township_code", "phase_no"])[["total", "done"]].sum()
    comp = (g["done"] / g["total"]).astype("float64").unstack("phase_no")
    cols = sorted(int(x) for x in phases["phase_no"])
    rows = sorted(comp.index) if townships is None else list(townships)
    comp = comp.reindex(index=rows, columns=cols)
    comp.index.name = "township_code"
    comp.columns.name = "phase_no"
    return comp.astype("float64")
