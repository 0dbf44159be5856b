"""Each key's latest row with check_date ≤ D (a household's check, a site's check), the one
the frames' engine picks: the latest date, and of same-day rows the last written (the
highest id; a read keeps the rows in the order they were written)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, Subquery, and_, exists, func, select

from .sql import ROW_ID, kept, table


def latest(ledger: str, key: str, D: dt.date, among: Select | None = None) -> Subquery:
    """The kept rows of ``ledger`` (every column) that are the latest of their ``key`` by D;
    ``among``: a select of the keys to look at (None: every key)."""
    t = table(ledger)
    row, mine, other = t.alias("row"), t.alias("mine"), t.alias("other")
    last = (select(mine.c[key], func.max(mine.c.check_date).label("day"))
            .where(mine.c.check_date <= D, kept(ledger, mine)).group_by(mine.c[key]))
    if among is not None:
        last = last.where(mine.c[key].in_(among))
    last = last.subquery("last")
    # A key's rows dated from its last day to D are those of its last day: said as a range,
    # not an equality, so that SQLite finds them by the key's index, not by the date's
    # (every row of that day; the store has no statistics to tell them apart).
    def upto_d(r):
        return and_(r.c.check_date <= D, kept(ledger, r))
    written_later = exists().where(other.c[key] == row.c[key],
                                   other.c.check_date >= row.c.check_date, upto_d(other),
                                   other.c[ROW_ID] > row.c[ROW_ID])
    return (select(row)
            .join(last, and_(row.c[key] == last.c[key], row.c.check_date >= last.c.day))
            .where(upto_d(row), ~written_later)
            .subquery("latest"))
