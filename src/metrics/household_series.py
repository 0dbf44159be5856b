"""The households' figures replayed week by week (the 户情 page's "how it closed" charts).

Each point is the contract's block (duzhan.metrics.households) computed as of that day, so
the last point equals the as-of figure and any point equals what the page shows with the
as-of date set to that day. Points fall every 7 days back from D (D, D − 7, …) to the
campaign's start: the first phase's start_date or the ledger's first date, whichever is
earlier.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from duzhan.metrics import households as hm
from duzhan.metrics.frames import to_date

STEP_DAYS = 7


def replay_days(start: Any, as_of: Any, step: int = STEP_DAYS) -> list[pd.Timestamp]:
    """D, D − step, … not before `start`, in date order; [D] when start is missing or
    after D."""
    D = to_date(as_of)
    if start is None or pd.isna(start):
        return [D]
    first = to_date(start)
    n = max(0, (D - first).days // step)
    return [D - pd.Timedelta(days=step * i) for i in range(n, -1, -1)]


def campaign_start(phases: pd.DataFrame, *dates: pd.Series) -> pd.Timestamp | None:
    """The earliest of the first phase's start_date and the given date columns."""
    found = [pd.to_datetime(phases["start_date"]).min(),
             *(pd.to_datetime(d).min() for d in dates)]
    found = [d for d in found if d is not None and not pd.isna(d)]
    return min(found) if found else None


def guarantee_series(guarantees: pd.DataFrame, townships_frame: pd.DataFrame,
                     days: Iterable[Any],
                     townships: Iterable[str] | str | None = None) -> pd.DataFrame:
    """One row per day: ``date`` and the ``guarantees`` block's counts and rates
    (hm.guarantee_metrics as of that day)."""
    rows = []
    for d in days:
        m = hm.guarantee_metrics(guarantees, townships_frame, d, townships)
        rows.append({"date": to_date(d), **{k: (None if v is None else float(v))
                                            if k in ("secured_rate", "check_coverage") else v
                                            for k, v in m.items()}})
    cols = ["date", "checked", *(f"gap_{i}" for i in hm.GUARANTEE_ITEMS), "any_gap",
            "secured_rate", "checked_90d", "check_coverage"]
    return pd.DataFrame(rows, columns=cols)


def monitoring_series(monitored: pd.DataFrame, days: Iterable[Any],
                      townships: Iterable[str] | str | None = None) -> pd.DataFrame:
    """The monitoring funnel per day: ``date``, ``identified`` (= monitored), ``assisted``
    (identified with an assisted_date ≤ that day: monitored − unassisted, since a cleared
    household was assisted first), ``cleared``, ``at_risk``, ``unassisted_over_15d``."""
    rows = []
    for d in days:
        m = hm.monitoring_metrics(monitored, d, townships)
        rows.append({"date": to_date(d), "identified": m["monitored"],
                     "assisted": m["monitored"] - m["unassisted"], "cleared": m["cleared"],
                     "at_risk": m["at_risk"], "unassisted_over_15d": m["unassisted_over_15d"]})
    return pd.DataFrame(rows, columns=["date", "identified", "assisted", "cleared", "at_risk",
                                       "unassisted_over_15d"])


__all__ = ["STEP_DAYS", "replay_days", "campaign_start", "guarantee_series",
           "monitoring_series"]
