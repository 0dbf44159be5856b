"""Funds · 资金拨付 in SQL: per township the fen allocated and disbursed by D and the stalled
projects (each project's own disbursements by D, summed in SQL)."""
from __future__ import annotations

import calendar
import datetime as dt
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, and_, func, select

from duzhan.metrics.numbers import STALL_DAYS, STALL_SHARE, Rate, fen_to_yuan, ratio

from .sql import days, kept, table, where_kept, where_towns

NAME = "funds"
_SUMS = ("allocated", "disbursed", "stalled")


def context(conn: Connection, D: dt.date) -> None:
    return None


def parts(conn: Connection, D: dt.date, ctx: Any, towns: list[str] | None,
          county: str | None = None) -> dict[str, dict]:
    p, d = table("projects").c, table("disbursements").c
    # each kept project's disbursements paid by D
    paid = select(d.project_id, func.sum(d.amount_fen).label("fen")).where(d.paid_date <= D)
    if towns is not None:  # only the scope's projects' disbursements
        paid = paid.join(table("projects"), p.project_id == d.project_id).where(
            p.township_code.in_(towns))
    paid = where_kept(paid.group_by(d.project_id), "disbursements").subquery()
    disbursed = func.coalesce(paid.c.fen, 0)
    stalled = and_(p.allocated_date <= days(D, -STALL_DAYS),
                   disbursed * STALL_SHARE.denominator
                   < p.allocated_amount_fen * STALL_SHARE.numerator)
    q = (select(p.township_code,
                func.coalesce(func.sum(p.allocated_amount_fen).filter(p.allocated_date <= D), 0),
                func.coalesce(func.sum(paid.c.fen), 0),
                func.count().filter(stalled))
         .select_from(table("projects")).outerjoin(paid, paid.c.project_id == p.project_id)
         .where(kept("projects")).group_by(p.township_code))
    q = where_towns(q, p.township_code, towns)
    return {code: dict(zip(_SUMS, (int(v) for v in row), strict=True))
            for code, *row in conn.execute(q)}


def empty(ctx: Any) -> dict:
    return dict.fromkeys(_SUMS, 0)


def add(a: dict, b: dict) -> dict:
    return {k: a[k] + b[k] for k in _SUMS}


def time_progress(D: dt.date) -> Fraction:
    """序时进度 = day of year of D / days in that year, exactly."""
    return Fraction(D.timetuple().tm_yday, 366 if calendar.isleap(D.year) else 365)


def finish(s: dict, D: dt.date, ctx: Any) -> dict[str, Any]:
    tp = time_progress(D)
    alloc, disb = s["allocated"], s["disbursed"]
    return {
        "allocated": fen_to_yuan(alloc),
        "disbursed": fen_to_yuan(disb),
        "disbursement_rate": ratio(disb, alloc),
        "time_progress": Rate(tp),
        "progress_gap": None if alloc == 0 else Rate(Fraction(disb, alloc) - tp),
        "stalled_projects": s["stalled"],
    }
