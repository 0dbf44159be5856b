"""Monitored households · 防返贫监测 in SQL: per township, risk and category the contract's
counts in one GROUP BY; the township's part sums them and keeps the at-risk counts by text."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from duzhan.metrics.numbers import RECENT_DAYS, UNASSISTED_DAYS

from .sql import days, table, where_kept, where_towns

NAME = "monitoring"
_COUNTS = ("monitored", "cleared", "unassisted", "unassisted_over_15d", "identified_28d",
           "cleared_28d")


def context(conn: Connection, D: dt.date) -> None:
    return None


def parts(conn: Connection, D: dt.date, ctx: Any, towns: list[str] | None,
          county: str | None = None) -> dict[str, dict]:
    m = table("monitored").c
    recent = days(D, -(RECENT_DAYS - 1))
    unassisted = and_(or_(m.cleared_date.is_(None), m.cleared_date > D),
                      or_(m.assisted_date.is_(None), m.assisted_date > D))
    q = (select(m.township_code, m.risk, m.category, func.count(),
                func.count().filter(m.cleared_date <= D),
                func.count().filter(unassisted),
                func.count().filter(unassisted, m.identified_date < days(D, -UNASSISTED_DAYS)),
                func.count().filter(m.identified_date >= recent),
                func.count().filter(m.cleared_date.between(recent, D)))
         .where(m.identified_date <= D).group_by(m.township_code, m.risk, m.category))
    q = where_towns(where_kept(q, "monitored"), m.township_code, towns)
    out: dict[str, dict] = {}
    for town, risk, category, *counts in conn.execute(q):
        key = "@" if town is None else town
        out[key] = add(out.get(key, empty(None)), _part(counts, risk, category))
    return out


def _part(counts: list[int], risk: str | None, category: str | None) -> dict:
    at_risk = counts[0] - counts[1]
    return {"counts": tuple(int(n) for n in counts),
            # a text the frames hold as missing is in no group there
            "by_risk": Counter({str(risk): at_risk} if risk is not None else {}),
            "by_category": Counter({str(category): at_risk} if category is not None else {})}


def empty(ctx: Any) -> dict:
    return {"counts": (0,) * len(_COUNTS), "by_risk": Counter(), "by_category": Counter()}


def add(a: dict, b: dict) -> dict:
    return {"counts": tuple(x + y for x, y in zip(a["counts"], b["counts"], strict=True)),
            "by_risk": a["by_risk"] + b["by_risk"],  # Counter's + keeps counts > 0 only
            "by_category": a["by_category"] + b["by_category"]}


def finish(p: dict, D: dt.date, ctx: Any) -> dict[str, Any]:
    n = dict(zip(_COUNTS, p["counts"], strict=True))
    return {"monitored": n["monitored"], "cleared": n["cleared"],
            "at_risk": n["monitored"] - n["cleared"],
            **{k: n[k] for k in _COUNTS[2:]},
            "at_risk_by_risk": dict(sorted(p["by_risk"].items())),
            "at_risk_by_category": dict(sorted(p["by_category"].items()))}
