"""Relocation · 易地扶贫搬迁 in SQL: every site with its latest check by D (none: nobody moved
in), summed per the site's township in one GROUP BY."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, func, or_, select

from duzhan.metrics.numbers import CHECK_WINDOW_DAYS, ratio

from ._latest import latest
from .sql import days, table, where_towns

NAME = "relocation"
_SUMS = ("sites", "planned", "moved_in", "employed", "sites_unchecked_90d")


def context(conn: Connection, D: dt.date) -> None:
    return None


def parts(conn: Connection, D: dt.date, ctx: Any, towns: list[str] | None,
          county: str | None = None) -> dict[str, dict]:
    s = table("sites").c
    among = None if towns is None else select(s.site_code).where(s.township_code.in_(towns))
    checks = latest("site_checks", "site_code", D, among)
    last = checks.c
    unchecked = or_(last.check_date.is_(None),
                    last.check_date < days(D, -(CHECK_WINDOW_DAYS - 1)))
    q = (select(s.township_code, func.count(), func.coalesce(func.sum(s.planned_households), 0),
                func.coalesce(func.sum(last.moved_in), 0),
                func.coalesce(func.sum(last.employed), 0), func.count().filter(unchecked))
         .select_from(table("sites")).outerjoin(checks, last.site_code == s.site_code)
         .group_by(s.township_code))
    q = where_towns(q, s.township_code, towns)
    return {"@" if town is None else town: tuple(int(n) for n in sums)
            for town, *sums in conn.execute(q)}


def empty(ctx: Any) -> tuple[int, ...]:
    return (0,) * len(_SUMS)


def add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def finish(p: tuple[int, ...], D: dt.date, ctx: Any) -> dict[str, Any]:
    n = dict(zip(_SUMS, p, strict=True))
    return {"sites": n["sites"], "planned": n["planned"], "moved_in": n["moved_in"],
            "occupancy_rate": ratio(n["moved_in"], n["planned"]), "employed": n["employed"],
            "employment_rate": ratio(n["employed"], n["moved_in"]),
            "sites_unchecked_90d": n["sites_unchecked_90d"]}
