"""What every block of the SQL roll-up needs: the ledgers' tables, the rows the frames keep,
the township filter, dates as Python dates.

A read into frames (duzhan.store.read) leaves out a row holding a date outside
DATE_MIN … DATE_MAX, and a row naming such a row (a repayment of such a loan); `kept` is the
same rule in SQL, so that both paths count the same rows.
"""
from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, String, TableClause, and_, column, or_
from sqlalchemy import table as sql_table

from duzhan.contract import DATE_MAX, DATE_MIN, LEDGERS

DATED = ("date", "month")
# the row id of a ledger without a key of its own (the store's surrogate key): the order of
# same-day rows
ROW_ID = "id"
_NO_KEY = ("disbursements", "repayments", "site_checks", "guarantees")


def _type(ledger: str, col) -> Any:
    led = LEDGERS[ledger]
    if col.type in DATED:
        return Date()
    if col.key in led.money or col.type == "int":
        return Integer()  # money as whole fen
    return {"bool": Boolean(), "decimal": Float()}.get(col.type, String())


@cache
def table(ledger: str) -> TableClause:
    """The ledger's stored table as the contract names its columns (store keys: money in
    fen), without the store's models: the metrics layer sits below the store."""
    led = LEDGERS[ledger]
    cols = [column(led.store_key(c.key), _type(ledger, c)) for c in led.columns]
    if ledger in _NO_KEY:
        cols.append(column(ROW_ID, Integer()))
    return sql_table(ledger, *cols)


def kept(ledger: str, tbl: TableClause | None = None):
    """The rows of ``ledger`` a read into frames keeps: each of its dates empty or within
    DATE_MIN … DATE_MAX (``tbl``: an alias of its table)."""
    cols = (table(ledger) if tbl is None else tbl).c
    conds = [or_(cols[c.key].is_(None), cols[c.key].between(DATE_MIN, DATE_MAX))
             for c in LEDGERS[ledger].columns if c.type in DATED]
    return and_(*conds) if conds else None


def where_kept(query, ledger: str, tbl: TableClause | None = None):
    cond = kept(ledger, tbl)
    return query if cond is None else query.where(cond)


def in_towns(column, towns: list[str] | None):
    """``column`` (a township_code) within ``towns``; None = every township."""
    return None if towns is None else column.in_(towns)


def where_towns(query, column, towns: list[str] | None):
    cond = in_towns(column, towns)
    return query if cond is None else query.where(cond)


def days(D: dt.date, n: int) -> dt.date:
    """D + n days (n may be negative)."""
    return D + dt.timedelta(days=n)


def as_date(value: Any) -> dt.date | None:
    """A date the driver returned (a date, a datetime, or the ISO text SQLite holds)."""
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


# a child row a frames read leaves out with its parent (a repayment of a left-out loan)
PARENTS = {"tasks": ("phases", "phase_no", "phase_no"),
           "disbursements": ("projects", "project_id", "project_id"),
           "repayments": ("loans", "loan_id", "loan_id"),
           "site_checks": ("sites", "site_code", "site_code")}
