"""Issues · 问题整改销号 (shared/contract/metrics.md, "Issues").

All functions take the issues metric frame and the as-of date D; an issue found after D
does not exist, a closure after D has not happened (replay).
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from duzhan.metrics._util import DAY, dates, to_py_date
from duzhan.metrics.frames import to_date
from duzhan.metrics.numbers import ratio

BREAKDOWN_KEYS = ("township_code", "department", "source", "category", "village_code")
_COUNTS = ("found", "closed", "open", "overdue_open", "closed_last_28d", "found_last_28d")


def _flags(issues: pd.DataFrame, D: pd.Timestamp) -> pd.DataFrame:
    """Per issue: 0/1 flags found, closed, open, overdue_open, closed_last_28d,
    found_last_28d (as of D; the 28-day windows are D − 27 … D)."""
    found_d = dates(issues["found_date"])
    closed_d = dates(issues["closed_date"])
    deadline = dates(issues["deadline"])
    found = (found_d <= D).to_numpy()
    closed = found & (closed_d <= D).to_numpy()
    open_ = found & ~closed
    overdue = open_ & (deadline < D).to_numpy()
    c28 = closed & (closed_d >= D - 27 * DAY).to_numpy()
    f28 = found & (found_d >= D - 27 * DAY).to_numpy()
    return pd.DataFrame(
        {
            "found": found.astype("int64"),
            "closed": closed.astype("int64"),
            "open": open_.astype("int64"),
            "overdue_open": overdue.astype("int64"),
            "closed_last_28d": c28.astype("int64"),
            "found_last_28d": f28.astype("int64"),
            # deadline of the open ones only, for clearance_target = max over open
            "_open_deadline": deadline.where(open_),
        },
        index=issues.index,
    )


def _forecast(open_: int, pace: int, D: pd.Timestamp) -> pd.Timestamp | None:
    """D when open = 0; None when ``pace`` (issues the list shrinks by in 28 days) ≤ 0;
    else D + ceil(open * 28 / pace) days (integer ceil, exact).

    pace = closed_last_28d gives forecast_clear_date, closed_last_28d − found_last_28d
    the net_forecast_clear_date."""
    if open_ == 0:
        return D
    if pace <= 0:
        return None
    return D + (-(-open_ * 28 // pace)) * DAY


def _finish(counts: dict[str, Any], target: Any, D: pd.Timestamp) -> dict[str, Any]:
    found, closed, open_ = int(counts["found"]), int(counts["closed"]), int(counts["open"])
    c28, f28 = int(counts["closed_last_28d"]), int(counts["found_last_28d"])
    return {
        "found": found,
        "closed": closed,
        "open": open_,
        "closure_rate": ratio(closed, found),
        "overdue_open": int(counts["overdue_open"]),
        "closed_last_28d": c28,
        "forecast_clear_date": to_py_date(_forecast(open_, c28, D)),
        "clearance_target": to_py_date(target) if open_ > 0 else None,
        "found_last_28d": f28,
        "net_forecast_clear_date": to_py_date(_forecast(open_, c28 - f28, D)),
    }


def issue_metrics(issues: pd.DataFrame, as_of: Any) -> dict[str, Any]:
    """The contract's issue figures over all rows of ``issues``.

    Returns ``{found, closed, open, closure_rate, overdue_open, closed_last_28d,
    forecast_clear_date, clearance_target, found_last_28d, net_forecast_clear_date}``;
    dates are ``datetime.date`` or None, closure_rate is None when found = 0."""
    D = to_date(as_of)
    fl = _flags(issues, D)
    counts = {k: int(fl[k].sum()) for k in _COUNTS}
    return _finish(counts, fl["_open_deadline"].max(), D)


def issue_metrics_by(
    issues: pd.DataFrame, as_of: Any, by: str = "township_code",
    groups: Iterable[Any] | None = None,
) -> dict[Any, dict[str, Any]]:
    """:func:`issue_metrics` per value of column ``by`` in one groupby.

    ``groups``: the keys to return (those without rows get the empty answer); default =
    the values present."""
    D = to_date(as_of)
    fl = _flags(issues, D)
    fl["_key"] = issues[by].to_numpy()
    agg = fl.groupby("_key", sort=True).agg(
        **{k: (k, "sum") for k in _COUNTS}, _target=("_open_deadline", "max")
    )
    keys = list(agg.index) if groups is None else list(groups)
    empty = {k: 0 for k in _COUNTS}
    rows = agg.to_dict("index")  # one pass, not a Series per group
    out = {}
    for key in keys:
        row = rows.get(key)
        out[key] = _finish(empty, None, D) if row is None else _finish(row, row["_target"], D)
    return out


def breakdown(
    issues: pd.DataFrame, as_of: Any, by: str, groups: Iterable[Any] | None = None
) -> pd.DataFrame:
    """Per value of ``by`` (township_code, department, source, category, village_code):
    found, closed, open, overdue_open, closed_last_28d, found_last_28d (ints) and closure_rate (float,
    NaN = null when found = 0). Groups with no issue found by D are left out unless listed
    in ``groups``. Sorted by ``by``."""
    if by not in issues.columns:
        raise ValueError(f"cannot break issues down by {by!r}")
    D = to_date(as_of)
    fl = _flags(issues, D)
    fl[by] = issues[by].to_numpy()
    fl = fl[fl["found"] == 1]
    agg = fl.groupby(by, sort=True)[list(_COUNTS)].sum()
    if groups is not None:
        agg = agg.reindex(list(groups), fill_value=0)
    agg = agg.astype("int64")
    agg["closure_rate"] = (agg["closed"] / agg["found"].where(agg["found"] > 0)).astype(
        "float64"
    )
    return agg.reset_index().rename(columns={"index": by})


def overdue_list(issues: pd.DataFrame, as_of: Any) -> pd.DataFrame:
    """Open issues (as of D) whose deadline < D, with ``days_overdue`` = d(deadline, D);
    most overdue first, then by issue_id."""
    D = to_date(as_of)
    fl = _flags(issues, D)
    out = issues[fl["overdue_open"].to_numpy() == 1].copy()
    out["days_overdue"] = ((D - dates(out["deadline"])) // DAY).astype("int64")
    return out.sort_values(["days_overdue", "issue_id"], ascending=[False, True]).reset_index(
        drop=True
    )


def burndown_series(issues: pd.DataFrame, phases: pd.DataFrame, as_of: Any) -> pd.DataFrame:
    """Per day t from min(first phase start, earliest found_date ≤ D) to D:
    ``date``, ``open`` = found − closed, ``found`` = issues with found_date ≤ t,
    ``closed`` = issues with closed_date ≤ t.

    When neither a phase nor an issue gives a start, or the start is after D, the series is
    the single day D."""
    D = to_date(as_of)
    found_d = dates(issues["found_date"])
    found_d = found_d[found_d <= D]
    closed_d = dates(issues["closed_date"])
    closed_d = closed_d[closed_d <= D]
    starts = []
    if len(phases):
        starts.append(dates(phases["start_date"]).min())
    if len(found_d):
        starts.append(found_d.min())
    starts = [s for s in starts if not pd.isna(s)]
    start = min(starts) if starts else D
    if start > D:
        start = D
    days = pd.date_range(start, D, freq="D").astype("datetime64[ns]")
    f_sorted = np.sort(found_d.to_numpy(dtype="datetime64[ns]"))
    c_sorted = np.sort(closed_d.to_numpy(dtype="datetime64[ns]"))
    t = days.to_numpy()
    found = np.searchsorted(f_sorted, t, side="right").astype("int64")
    closed = np.searchsorted(c_sorted, t, side="right").astype("int64")
    return pd.DataFrame({"date": days, "open": found - closed, "found": found, "closed": closed})


def peak_open_date(series: pd.DataFrame) -> datetime.date | None:
    """The first day on which open(t) of a burndown series reached its maximum: where a
    burndown toward the target starts by default (None for an empty series)."""
    if series.empty:
        return None
    return series.loc[series["open"].idxmax(), "date"].date()


def ideal_line(open_at_start: int, start: Any, target: Any) -> pd.DataFrame:
    """Ideal burndown from S = ``start`` to T = ``target``:
    ideal(t) = open(S) × max(0, d(t, T)) / d(S, T) for S ≤ t ≤ T.

    Columns ``date``, ``ideal`` (float). Empty when target is None or before start; when
    T = S the single point has ideal = NaN (zero denominator = null)."""
    if target is None or pd.isna(target):
        return pd.DataFrame({"date": pd.Series([], dtype="datetime64[ns]"),
                             "ideal": pd.Series([], dtype="float64")})
    S, T = to_date(start), to_date(target)
    days = (pd.date_range(S, T, freq="D").astype("datetime64[ns]") if T >= S
            else pd.DatetimeIndex([], dtype="datetime64[ns]"))
    total = (T - S) // DAY
    left = np.maximum(0, ((T - days) // DAY).to_numpy(dtype="int64")) if len(days) else np.array([], dtype="int64")
    ideal = (open_at_start * left / total) if total > 0 else np.full(len(days), np.nan)
    return pd.DataFrame({"date": days, "ideal": np.asarray(ideal, dtype="float64")})


def forecast_band(
    issues: pd.DataFrame, as_of: Any, weeks: int = 4, runs: int = 2000, seed: int = 0,
    max_days: int = 36_500,
) -> dict[str, Any] | None:
    """Monte Carlo clear-date band on the net pace (closings minus findings).

    The window is the last ``weeks``×7 days, D−(7·weeks−1)…D. For each day t of it the
    observed net closing is net(t) = (issues closed on t) − (issues found on t); days with
    neither count as 0. Each run draws days' net closings with replacement from those
    7·weeks values and counts the days n until the running sum first reaches ``open``
    (as of D); the run's clear date is D + n. P50/P85 are the smallest n by which at least
    50% / 85% of runs have cleared (inverted-CDF quantile). Deterministic for a ``seed``.

    Returns ``{"p50": date, "p85": date, "runs": runs, "window_days": 7·weeks}``; both dates
    are D when nothing is open. None when the window's net closing Σ net(t) ≤ 0 (closed −
    found in the window; for 4 weeks that is closed_last_28d − found_last_28d): at this
    pace the list does not shrink, as net_forecast_clear_date is null. A run not cleared
    within ``max_days`` counts as never (its date is None if a quantile hits it).
    """
    D = to_date(as_of)
    window = 7 * weeks
    fl = _flags(issues, D)
    open_ = int(fl["open"].sum())
    res = {"p50": None, "p85": None, "runs": runs, "window_days": window}
    if open_ == 0:
        res.update(p50=D.date(), p85=D.date())
        return res
    start = D - (window - 1) * DAY

    def per_day(col: str, flag: str) -> np.ndarray:
        d = dates(issues[col])[fl[flag].to_numpy() == 1]
        d = d[d >= start]
        return np.bincount(((D - d) // DAY).to_numpy(dtype="int64"), minlength=window)

    daily = per_day("closed_date", "closed") - per_day("found_date", "found")
    if daily.sum() <= 0:
        return None
    rng = np.random.default_rng(seed)
    n_days = np.full(runs, -1, dtype="int64")
    cum = np.zeros(runs, dtype="int64")
    done_days = 0
    chunk = max(32, min(4096, int(np.ceil(open_ * window / daily.sum()) * 2)))
    while (n_days < 0).any() and done_days < max_days:
        todo = np.flatnonzero(n_days < 0)
        draws = rng.choice(daily, size=(len(todo), chunk), replace=True)
        c = cum[todo, None] + np.cumsum(draws, axis=1)
        hit = c >= open_
        any_hit = hit.any(axis=1)
        first = hit.argmax(axis=1)
        n_days[todo[any_hit]] = done_days + first[any_hit] + 1
        cum[todo] = c[:, -1]
        done_days += chunk
    n = np.where(n_days < 0, np.iinfo("int64").max, n_days)
    for key, q in (("p50", 0.5), ("p85", 0.85)):
        k = int(np.quantile(n, q, method="inverted_cdf"))
        res[key] = None if k == np.iinfo("int64").max else (D + k * DAY).date()
    return res
