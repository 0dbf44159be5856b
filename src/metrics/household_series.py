"""The households' figures replayed week by week (the 户情 page's "how it closed" charts).

Each point is the contract's block (duzhan.metrics.households) as of that day, so the last
point equals the as-of figure and any point equals what the page shows with the as-of date
set to that day. All days are counted at once (a 77-week replay costs what one call of the
block functions costs, not 77 of them); tests/metrics/test_household_series.py holds every
point against the block functions. Points fall every 7 days back from D (D, D − 7, …) to the
campaign's start: the first phase's start_date or the ledger's first date, whichever is
earlier.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from duzhan.metrics import households as hm
from duzhan.metrics._util import dates
from duzhan.metrics.frames import to_date
from duzhan.metrics.numbers import ratio

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


def _scope(townships: Iterable[str] | str | None) -> set[str] | None:
    if townships is None:
        return None
    return {townships} if isinstance(townships, str) else (set(townships) or None)


def _day_values(days: Iterable[Any]) -> tuple[list[pd.Timestamp], np.ndarray]:
    days = [to_date(d) for d in days]
    return days, np.array(days, dtype="datetime64[ns]")


def guarantee_series(guarantees: pd.DataFrame, townships_frame: pd.DataFrame,
                     days: Iterable[Any],
                     townships: Iterable[str] | str | None = None) -> pd.DataFrame:
    """One row per day: ``date``, ``checked``, ``gap_<item>``, ``any_gap``, ``checked_90d``
    and ``check_coverage`` — the ``guarantees`` block as of that day
    (hm.guarantee_metrics), for all days at once: a check is a household's latest one from
    its own date until the household's next check, and counts in its own township."""
    days, t = _day_values(days)
    codes = _scope(townships)
    g = guarantees[["household_id", "township_code", "check_date",
                    *(f"{i}_ok" for i in hm.GUARANTEE_ITEMS)]].copy()
    g["check_date"] = dates(g["check_date"])
    g = g[g["check_date"].notna()].sort_values(["household_id", "check_date"], kind="stable")
    start = g["check_date"].to_numpy(dtype="datetime64[ns]")
    nxt = g.groupby("household_id", sort=False)["check_date"].shift(-1)
    end = nxt.to_numpy(dtype="datetime64[ns]")
    end = np.where(np.isnat(end), np.datetime64("2262-01-01", "ns"), end)
    keep = np.ones(len(g), bool) if codes is None else g["township_code"].isin(codes).to_numpy()
    start, end = start[keep], end[keep]
    # latest[i, j]: check i is its household's latest check as of day j
    latest = (start[:, None] <= t[None, :]) & (t[None, :] < end[:, None])
    window = start[:, None] >= t[None, :] - np.timedelta64(hm.CHECK_WINDOW_DAYS - 1, "D")
    out = {"date": days, "checked": latest.sum(axis=0)}
    any_gap = np.zeros_like(latest)
    for item in hm.GUARANTEE_ITEMS:
        gap = ~g[f"{item}_ok"].fillna(False).astype(bool).to_numpy()[keep]
        out[f"gap_{item}"] = (latest & gap[:, None]).sum(axis=0)
        any_gap |= latest & gap[:, None]
    out["any_gap"] = any_gap.sum(axis=0)
    checked, gaps = out["checked"], out["any_gap"]
    out["secured_rate"] = [None if c == 0 else float(ratio(int(c - a), int(c)))
                           for c, a in zip(checked, gaps, strict=True)]
    out["checked_90d"] = (latest & window).sum(axis=0)
    towns = townships_frame if codes is None else \
        townships_frame[townships_frame["township_code"].isin(codes)]
    households = int(pd.to_numeric(towns["households"], errors="coerce").fillna(0).sum())
    out["check_coverage"] = [None if households == 0 else float(ratio(int(n), households))
                             for n in out["checked_90d"]]
    frame = pd.DataFrame(out)
    for c in ("checked", *(f"gap_{i}" for i in hm.GUARANTEE_ITEMS), "any_gap", "checked_90d"):
        frame[c] = frame[c].astype("int64")
    return frame


def monitoring_series(monitored: pd.DataFrame, days: Iterable[Any],
                      townships: Iterable[str] | str | None = None) -> pd.DataFrame:
    """The monitoring funnel per day, the ``monitoring`` block as of that day
    (hm.monitoring_metrics) for all days at once: ``date``, ``identified`` (= monitored),
    ``assisted`` (identified with an assisted_date ≤ that day, or cleared: monitored −
    unassisted), ``cleared``, ``at_risk``, ``unassisted_over_15d``."""
    days, t = _day_values(days)
    codes = _scope(townships)
    m = monitored if codes is None else monitored[monitored["township_code"].isin(codes)]
    ident, assisted, cleared = (dates(m[c]).to_numpy(dtype="datetime64[ns]")[:, None]
                                for c in ("identified_date", "assisted_date", "cleared_date"))
    T = t[None, :]
    known = ident <= T  # NaT compares False: not yet (or never) that stage
    is_cleared = known & (cleared <= T)
    unassisted = known & ~is_cleared & ~(assisted <= T)
    late = T - np.timedelta64(hm.UNASSISTED_DAYS, "D")  # d(identified, D) > 15
    out = pd.DataFrame({
        "date": days,
        "identified": known.sum(axis=0),
        "assisted": (known & ~unassisted).sum(axis=0),
        "cleared": is_cleared.sum(axis=0),
        "at_risk": (known & ~is_cleared).sum(axis=0),
        "unassisted_over_15d": (unassisted & (ident < late)).sum(axis=0),
    })
    for c in out.columns[1:]:
        out[c] = out[c].astype("int64")
    return out


__all__ = ["STEP_DAYS", "replay_days", "campaign_start", "guarantee_series",
           "monitoring_series"]
