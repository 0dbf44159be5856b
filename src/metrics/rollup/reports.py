"""Monthly reports · 月报 in SQL: per township of the townships ledger, of the months due by
D (the campaign's months with due(m) < D) those reported on time, late, and whether the
last one is in; a township with no report has a part too (every month missing). Whether
the ledger is in use is the whole store's; the expected months are the phases'."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, case, exists, func, select

from duzhan.metrics.numbers import REPORT_DUE_DAY, ratio

from .sql import as_date, kept, table, where_kept, where_towns

NAME = "reports"
_COUNTS = ("towns", "on_time", "late", "last_seen")
KEYS = ("reports_expected", "reports_on_time", "reports_late", "reports_missing",
        "reporting_rate", "on_time_rate", "last_due_month", "last_missing")


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every calendar month from that of ``first`` to that of ``last``."""
    out, k = [], first.year * 12 + first.month - 1
    while k <= last.year * 12 + last.month - 1:
        out.append(dt.date(k // 12, k % 12 + 1, 1))
        k += 1
    return out


def context(conn: Connection, D: dt.date) -> dict:
    """Whether the store holds a report submitted ≤ D, and the expected months due by D
    (their first days; a month is stored as its first day)."""
    p, r = table("phases").c, table("reports").c
    in_use = conn.execute(select(exists().where(r.submitted_date <= D, kept("reports")))).scalar()
    start, end = conn.execute(select(func.min(p.start_date), func.max(p.end_date))
                              .where(kept("phases"))).one()
    months = [] if start is None else _months(as_date(start), as_date(end))
    return {"in_use": bool(in_use),
            "due": [m for m in months if m.replace(day=REPORT_DUE_DAY) < D]}


def parts(conn: Connection, D: dt.date, ctx: Any, towns: list[str] | None,
          county: str | None = None) -> dict[str, dict]:
    if not ctx["in_use"]:
        return {}  # every figure is null
    t, r = table("townships").c, table("reports").c
    codes = select(t.township_code)
    out = {code: {**empty(ctx), "towns": 1}
           for code in conn.scalars(where_towns(codes, t.township_code, towns))}
    due = ctx["due"]
    if not due or not out:
        return out
    # each (township, month due)'s earliest report submitted by D
    first = (select(r.township_code, r.month, func.min(r.submitted_date).label("sub"))
             .where(r.submitted_date <= D, r.month.in_(due))
             .group_by(r.township_code, r.month))
    first = where_towns(where_kept(first, "reports"), r.township_code, towns).subquery()
    f = first.c
    due_date = case({m: m.replace(day=REPORT_DUE_DAY) for m in due}, value=f.month)
    q = (select(f.township_code, func.count().filter(f.sub <= due_date),
                func.count().filter(f.sub > due_date), func.count().filter(f.month == due[-1]))
         .group_by(f.township_code))
    for code, on_time, late, last_seen in conn.execute(q):
        if code in out:  # a report of a township the townships ledger does not hold: no row
            out[code].update(on_time=on_time, late=late, last_seen=last_seen)
    return out


def empty(ctx: Any) -> dict:
    return dict.fromkeys(_COUNTS, 0)


def add(a: dict, b: dict) -> dict:
    return {k: a[k] + b[k] for k in _COUNTS}


def finish(p: dict, D: dt.date, ctx: Any) -> dict[str, Any]:
    if not ctx["in_use"]:
        return dict.fromkeys(KEYS)
    due = ctx["due"]
    n = p["towns"] * len(due)
    on_time, late = p["on_time"], p["late"]
    last = due[-1] if n else None
    return {
        "reports_expected": n,
        "reports_on_time": on_time,
        "reports_late": late,
        "reports_missing": n - on_time - late,
        "reporting_rate": ratio(on_time + late, n),
        "on_time_rate": ratio(on_time, n),
        "last_due_month": None if last is None else f"{last.year:04d}-{last.month:02d}",
        # no month due yet: no township can miss it
        "last_missing": p["towns"] - p["last_seen"] if n else 0,
    }
