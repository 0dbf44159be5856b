"""Micro-loans · 小额信贷 in SQL: per loan its outstanding by D (its repayments summed in
SQL), per township the counts and outstanding fen of the contract's flags. Days past due are
compared as dates: dpd ≥ n ⇔ effective_due ≤ D − n."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, and_, func, select

from duzhan.metrics.numbers import BUCKETS, DUE_WINDOW_DAYS, fen_to_yuan, ratio

from .sql import days, kept, table, where_kept, where_towns

NAME = "loans"
_FLAGS = ("active", "overdue", "par30", "par90", "due_30d", "extended",
          *(f"b_{name}" for name, _, _ in BUCKETS))
_SUMS = tuple(f"{k}_{x}" for k in _FLAGS for x in ("n", "fen"))


def context(conn: Connection, D: dt.date) -> None:
    return None


def _late(eff, D: dt.date, lo: int, hi: int | None = None):
    """lo ≤ dpd (≤ hi) for a loan with effective due date ``eff``."""
    cond = eff <= days(D, -lo)
    return cond if hi is None else and_(cond, eff >= days(D, -hi))


def parts(conn: Connection, D: dt.date, ctx: Any, towns: list[str] | None,
          county: str | None = None) -> dict[str, dict]:
    L, r = table("loans").c, table("repayments").c
    repaid = select(r.loan_id, func.sum(r.principal_amount_fen).label("fen")).where(
        r.paid_date <= D)
    if towns is not None:  # only the scope's loans' repayments
        repaid = repaid.join(table("loans"), L.loan_id == r.loan_id).where(
            L.township_code.in_(towns))
    repaid = where_kept(repaid.group_by(r.loan_id), "repayments").subquery()
    per = (select(L.township_code.label("town"),
                  (L.principal_fen - func.coalesce(repaid.c.fen, 0)).label("out"),
                  func.coalesce(L.extended_due_date, L.due_date).label("eff"),
                  L.extended_due_date.label("ext"))
           .select_from(table("loans")).outerjoin(repaid, repaid.c.loan_id == L.loan_id)
           .where(L.issued_date <= D, kept("loans")))
    per = where_towns(per, L.township_code, towns).subquery()
    out, eff = per.c.out, per.c.eff
    flags = {
        "active": None,
        "overdue": _late(eff, D, 1),
        "par30": _late(eff, D, 31),
        "par90": _late(eff, D, 91),
        "due_30d": eff.between(D, days(D, DUE_WINDOW_DAYS)),
        "extended": per.c.ext.is_not(None),
        **{f"b_{name}": _late(eff, D, lo, hi) for name, lo, hi in BUCKETS},
    }
    cols = []
    for cond in flags.values():
        if cond is None:
            cols += [func.count(), func.coalesce(func.sum(out), 0)]
        else:
            cols += [func.count().filter(cond), func.coalesce(func.sum(out).filter(cond), 0)]
    q = select(per.c.town, *cols).where(out > 0).group_by(per.c.town)
    return {code: dict(zip(_SUMS, (int(v) for v in row), strict=True))
            for code, *row in conn.execute(q)}


def empty(ctx: Any) -> dict:
    return dict.fromkeys(_SUMS, 0)


def add(a: dict, b: dict) -> dict:
    return {k: a[k] + b[k] for k in _SUMS}


def finish(s: dict, D: dt.date, ctx: Any) -> dict[str, Any]:
    bal = s["active_fen"]
    return {
        "active_loans": s["active_n"],
        "balance": fen_to_yuan(bal),
        "overdue_loans": s["overdue_n"],
        "overdue_balance": fen_to_yuan(s["overdue_fen"]),
        "overdue_rate": ratio(s["overdue_fen"], bal),
        "par30": ratio(s["par30_fen"], bal),
        "par90": ratio(s["par90_fen"], bal),
        "due_30d_loans": s["due_30d_n"],
        "due_30d_balance": fen_to_yuan(s["due_30d_fen"]),
        "extended_loans": s["extended_n"],
        "buckets": {name: {"loans": s[f"b_{name}_n"],
                           "balance": fen_to_yuan(s[f"b_{name}_fen"])}
                    for name, _, _ in BUCKETS},
    }
