"""Micro-loans · 小额信贷 in SQL: per loan its outstanding by D (its repayments summed in
SQL), per township the counts and outstanding fen of the contract's flags. Days past due are
compared as dates: dpd ≥ n ⇔ effective_due ≤ D − n."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, case, func, select

from duzhan.metrics.numbers import BUCKETS, DUE_WINDOW_DAYS, fen_to_yuan, ratio

from .sql import days, kept, table, where_kept, where_towns

NAME = "loans"
_FLAGS = ("active", "overdue", "par30", "par90", "due_30d", "extended",
          *(f"b_{name}" for name, _, _ in BUCKETS))
_SUMS = tuple(f"{k}_{x}" for k in _FLAGS for x in ("n", "fen"))


def context(conn: Connection, D: dt.date) -> None:
    return None


def parts(conn: Connection, D: dt.date, ctx: Any, towns: list[str] | None,
          county: str | None = None) -> dict[str, dict]:
    L, r = table("loans").c, table("repayments").c
    repaid = select(r.loan_id, func.sum(r.principal_amount_fen).label("fen")).where(
        r.paid_date <= D)
    if towns is not None:  # only the scope's loans' repayments
        repaid = repaid.join(table("loans"), L.loan_id == r.loan_id).where(
            L.township_code.in_(towns))
    repaid = where_kept(repaid.group_by(r.loan_id), "repayments").subquery()
    eff = func.coalesce(L.extended_due_date, L.due_date)
    # each active loan's days-past-due bucket (0: not past due), as dates: dpd ≥ n ⇔
    # effective due ≤ D − n; then one count and sum per township and kind of loan, not a
    # FILTER per figure over every row
    bucket = case(*((eff <= days(D, -lo), i) for i, (_, lo, _) in
                    reversed(list(enumerate(BUCKETS, start=1)))), else_=0)
    per = (select(L.township_code.label("town"),
                  (L.principal_fen - func.coalesce(repaid.c.fen, 0)).label("out"),
                  bucket.label("bucket"),
                  case((eff.between(D, days(D, DUE_WINDOW_DAYS)), 1), else_=0).label("due"),
                  case((L.extended_due_date.is_not(None), 1), else_=0).label("ext"))
           .select_from(table("loans")).outerjoin(repaid, repaid.c.loan_id == L.loan_id)
           .where(L.issued_date <= D, kept("loans")))
    per = where_towns(per, L.township_code, towns).subquery()
    q = (select(per.c.town, per.c.bucket, per.c.due, per.c.ext, func.count(),
                func.sum(per.c.out))
         .where(per.c.out > 0).group_by(per.c.town, per.c.bucket, per.c.due, per.c.ext))
    out: dict[str, dict] = {}
    for town, b, due, ext, n, fen in conn.execute(q):
        s = out.setdefault(town, empty(ctx))
        n, fen = int(n), int(fen)
        kinds = ["active"]
        if b:
            kinds += ["overdue", f"b_{BUCKETS[b - 1][0]}"]
            kinds += ["par30"] if BUCKETS[b - 1][1] > 30 else []
            kinds += ["par90"] if BUCKETS[b - 1][1] > 90 else []
        kinds += ["due_30d"] if due else []
        kinds += ["extended"] if ext else []
        for k in kinds:
            s[f"{k}_n"] += n
            s[f"{k}_fen"] += fen
    return out


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
