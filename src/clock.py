"""The county's clock: dates and times as read in China (UTC+8), wherever the server runs.

Stored times are UTC; "today" (the default as-of date, the demo county's present) is the
Beijing date, so the dashboard, the `duzhan` command and the exports agree after 16:00 UTC.
$DUZHAN_TODAY (YYYY-MM-DD) pins it, so the demo county and the test suite are reproducible.
"""
from __future__ import annotations

import datetime as dt
import os

BEIJING = dt.timezone(dt.timedelta(hours=8), "UTC+8")
TODAY_VARIABLE = "DUZHAN_TODAY"


class BadToday(ValueError):
    """$DUZHAN_TODAY holds something that is not a date."""


def today() -> dt.date:
    """$DUZHAN_TODAY if set, else the Beijing date now."""
    pinned = os.environ.get(TODAY_VARIABLE, "").strip()
    if not pinned:
        return dt.datetime.now(BEIJING).date()
    try:
        return dt.datetime.strptime(pinned, "%Y-%m-%d").date()
    except ValueError:
        raise BadToday(f"{TODAY_VARIABLE}={pinned!r} is not a date (YYYY-MM-DD)") from None


def beijing_time(stamp: dt.datetime) -> dt.datetime:
    """A stored (UTC-aware) time as the county reads it."""
    return stamp.astimezone(BEIJING)


def default_as_of(last_data_date: dt.date | None, now: dt.date | None = None) -> dt.date:
    """Today, or the last date in the data if that is earlier (old ledgers replay themselves)."""
    now = now or today()
    if last_data_date is not None and last_data_date < now:
        return last_data_date
    return now


def week_before(as_of: dt.date) -> dt.date:
    """D − 7: the day every card's change is measured against."""
    return as_of - dt.timedelta(days=7)
