"""Issues · 问题整改销号 in SQL: per township the counts of the contract and the latest
deadline of the open issues; forecasts from the summed counts."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, func, or_, select

from duzhan.metrics.numbers import ratio

from .sql import as_date, days, table, where_kept, where_towns

NAME = "issues"
_COUNTS = ("found", "closed", "overdue_open", "closed_last_28d", "found_last_28d")


def context(conn: Connection, D: dt.date) -> None:
    return None


def parts(conn: Connection, D: dt.date, ctx: Any, towns: list[str] | None,
          county: str | None = None) -> dict[str, dict]:
    c = table("issues").c
    open_ = or_(c.closed_date.is_(None), c.closed_date > D)
    q = (select(c.township_code, func.count(),
                func.count().filter(c.closed_date <= D),
                func.count().filter(open_, c.deadline < D),
                func.count().filter(c.closed_date.between(days(D, -27), D)),
                func.count().filter(c.found_date >= days(D, -27)),
                func.max(c.deadline).filter(open_))
         .where(c.found_date <= D).group_by(c.township_code))
    q = where_towns(where_kept(q, "issues"), c.township_code, towns)
    return {code: {**dict(zip(_COUNTS, (int(v) for v in row[:5]), strict=True)),
                   "target": as_date(row[5])}
            for code, *row in conn.execute(q)}


def empty(ctx: Any) -> dict:
    return {**dict.fromkeys(_COUNTS, 0), "target": None}


def add(a: dict, b: dict) -> dict:
    out = {k: a[k] + b[k] for k in _COUNTS}
    targets = [t for t in (a["target"], b["target"]) if t is not None]
    out["target"] = max(targets) if targets else None
    return out


def _forecast(open_: int, pace: int, D: dt.date) -> dt.date | None:
    """D when open = 0; None when the list does not shrink (pace ≤ 0); else
    D + ceil(open × 28 / pace) days."""
    if open_ == 0:
        return D
    if pace <= 0:
        return None
    return days(D, -(-open_ * 28 // pace))


def finish(p: dict, D: dt.date, ctx: Any) -> dict[str, Any]:
    found, closed = p["found"], p["closed"]
    open_ = found - closed
    c28, f28 = p["closed_last_28d"], p["found_last_28d"]
    return {
        "found": found,
        "closed": closed,
        "open": open_,
        "closure_rate": ratio(closed, found),
        "overdue_open": p["overdue_open"],
        "closed_last_28d": c28,
        "forecast_clear_date": _forecast(open_, c28, D),
        "clearance_target": p["target"] if open_ > 0 else None,
        "found_last_28d": f28,
        "net_forecast_clear_date": _forecast(open_, c28 - f28, D),
    }
