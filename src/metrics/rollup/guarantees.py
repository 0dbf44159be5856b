"""两不愁三保障 · guarantees in SQL: each household's latest check by D (over all its rows,
wherever they are), counted per that check's township in one GROUP BY; every township's part
also carries its households (建档立卡户数), check_coverage's denominator."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, func, or_, select

from duzhan.metrics.numbers import CHECK_WINDOW_DAYS, GUARANTEE_ITEMS, ratio

from ._latest import latest
from .sql import days, table, where_towns

NAME = "guarantees"
_GAPS = tuple(f"gap_{i}" for i in GUARANTEE_ITEMS)
_COUNTS = ("checked", *_GAPS, "any_gap", "checked_90d")


def context(conn: Connection, D: dt.date) -> None:
    return None


def parts(conn: Connection, D: dt.date, ctx: Any, towns: list[str] | None,
          county: str | None = None) -> dict[str, dict]:
    g = table("guarantees").c
    # the households checked in the townships asked for: their latest check may be elsewhere
    among = None if towns is None else select(g.household_id).where(
        g.township_code.in_(towns), g.check_date <= D)
    last = latest("guarantees", "household_id", D, among).c
    # an item stored empty is not secured (the frames read it as False)
    gaps = [or_(last[f"{i}_ok"].is_(None), last[f"{i}_ok"].is_(False)) for i in GUARANTEE_ITEMS]
    q = (select(last.township_code, func.count(), *(func.count().filter(x) for x in gaps),
                func.count().filter(or_(*gaps)),
                func.count().filter(last.check_date >= days(D, -(CHECK_WINDOW_DAYS - 1))))
         .group_by(last.township_code))
    q = where_towns(q, last.township_code, towns)
    out = {"@" if town is None else town: {"counts": tuple(int(n) for n in counts),
                                           "households": 0}
           for town, *counts in conn.execute(q)}
    t = table("townships").c
    q = where_towns(select(t.township_code, func.coalesce(t.households, 0)), t.township_code,
                    towns)
    for town, households in conn.execute(q):  # every township, also one never checked
        out.setdefault(town, empty(ctx))["households"] = int(households)
    return out


def empty(ctx: Any) -> dict:
    return {"counts": (0,) * len(_COUNTS), "households": 0}


def add(a: dict, b: dict) -> dict:
    return {"counts": tuple(x + y for x, y in zip(a["counts"], b["counts"], strict=True)),
            "households": a["households"] + b["households"]}


def finish(p: dict, D: dt.date, ctx: Any) -> dict[str, Any]:
    n = dict(zip(_COUNTS, p["counts"], strict=True))
    return {**{k: n[k] for k in ("checked", *_GAPS, "any_gap")},
            "secured_rate": ratio(n["checked"] - n["any_gap"], n["checked"]),
            "checked_90d": n["checked_90d"],
            "check_coverage": ratio(n["checked_90d"], p["households"])}
