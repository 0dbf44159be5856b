"""Phases · 阶段进度 in SQL: per township (and per county for its county-wide tasks) the
tasks of each phase, done by D and overdue; the phases' plan (current phase, expected) once
per report."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from duzhan.metrics.numbers import BEHIND_MARGIN, Rate, ratio

from .sql import as_date, kept, table

NAME = "phases"


def _expected(start: dt.date, end: dt.date, D: dt.date) -> Fraction:
    """clamp((d(start, D) + 1) / (d(start, end) + 1), 0, 1), exactly."""
    num = (D - start).days + 1
    den = (end - start).days + 1
    if den <= 0:  # end before start: not a valid phase; treat as instantaneous
        return Fraction(1) if D >= start else Fraction(0)
    return min(Fraction(1), max(Fraction(0), Fraction(num, den)))


def context(conn: Connection, D: dt.date) -> dict:
    """The kept phases in phase_no order with their expected share at D, and the current
    phase (the lowest phase_no with start ≤ D ≤ end)."""
    p = table("phases").c
    q = select(p.phase_no, p.start_date, p.end_date).order_by(p.phase_no)
    q = q.where(kept("phases"))
    plan, current = [], None
    for no, start, end in conn.execute(q):
        start, end = as_date(start), as_date(end)
        exp = _expected(start, end, D)
        plan.append((int(no), exp, Rate(exp)))
        if start <= D <= end and current is None:
            current = int(no)
    return {"plan": plan, "current": current}


def parts(conn: Connection, D: dt.date, ctx: Any, towns: list[str] | None,
          county: str | None = None) -> dict[str, dict]:
    t, p = table("tasks").c, table("phases").c
    done = t.done_date <= D
    q = (select(t.township_code, t.county_code, t.phase_no, func.count(),
                func.count().filter(done),
                func.count().filter(t.due_date < D, or_(t.done_date.is_(None), t.done_date > D)))
         .join(table("phases"), p.phase_no == t.phase_no)
         .where(kept("tasks"), kept("phases"))
         .group_by(t.township_code, t.county_code, t.phase_no))
    if towns is not None:
        own = t.township_code.in_(towns)
        if county is not None:  # the county's own tasks
            own = or_(own, and_(t.township_code.is_(None), t.county_code == county))
        q = q.where(own)
    out: dict[str, dict] = {}
    for town, cty, no, total, n_done, overdue in conn.execute(q):
        key = town if town is not None else "@" + (cty or "")
        counts = out.setdefault(key, {})
        old = counts.get(int(no), (0, 0, 0))
        counts[int(no)] = (old[0] + total, old[1] + n_done, old[2] + overdue)
    return out


def empty(ctx: Any) -> dict:
    return {}


def add(a: dict, b: dict) -> dict:
    out = dict(a)
    for no, (t, d, o) in b.items():
        x = out.get(no, (0, 0, 0))
        out[no] = (x[0] + t, x[1] + d, x[2] + o)
    return out


def finish(counts: dict, D: dt.date, ctx: Any) -> dict[str, Any]:
    cur = ctx["current"]
    by_phase, behind = [], None
    for no, exp, expected in ctx["plan"]:
        total, done, overdue = counts.get(no, (0, 0, 0))
        by_phase.append({"phase_no": no, "tasks_total": total, "tasks_done": done,
                         "completion": ratio(done, total), "expected": expected,
                         "tasks_overdue": overdue})
        if no == cur and total > 0:
            behind = Fraction(done, total) < exp - BEHIND_MARGIN
    return {"current_phase": cur, "by_phase": by_phase, "behind": behind}
