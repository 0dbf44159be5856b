"""Monthly reports · 月报 (shared/contract/metrics.md, "Monthly reports").

Pure functions of the contract's frames: ``townships`` (township_code, …), ``reports``
(township_code, month, submitted_date) and ``phases`` (start_date, end_date). ``month`` may
be a datetime64 column (any day of the month; its month counts), a ``Period[M]`` column or
``YYYY-MM`` text. Functions take the whole store's frames and a scope ``townships`` (None =
every township of the townships frame), because "not in use yet" asks whether the store
holds any report at all.

The expected months run from the month of the first phase's start_date to the month of the
last phase's end_date; the report of month m is due on the 28th, due(m). A (township, m)
pair with due(m) < D is on time (submitted_date ≤ due(m)), late (due(m) < submitted_date
≤ D) or missing; with due(m) ≥ D it is not yet due.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from duzhan.metrics._util import dates, ratio
from duzhan.metrics.frames import to_date

DUE_DAY = 28
ON_TIME, LATE, MISSING, NOT_DUE = "on_time", "late", "missing", "not_due"


def to_months(s: pd.Series) -> pd.Series:
    """A month column (datetime64, Period[M] or 'YYYY-MM' text) as Period[M]."""
    if isinstance(s.dtype, pd.PeriodDtype):
        return s.dt.asfreq("M")
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s.dt.to_period("M")
    return pd.to_datetime(s.astype(str).str.slice(0, 7), format="%Y-%m").dt.to_period("M")


def due_date(month: pd.Period) -> pd.Timestamp:
    """due(m): the 28th of month m."""
    return pd.Timestamp(month.year, month.month, DUE_DAY)


def expected_months(phases: pd.DataFrame) -> list[pd.Period]:
    """Every calendar month from the first phase's start to the last phase's end (none
    without phases)."""
    if len(phases) == 0:
        return []
    first = dates(phases["start_date"]).min().to_period("M")
    last = dates(phases["end_date"]).max().to_period("M")
    return list(pd.period_range(first, last, freq="M"))


def ledger_in_use(reports: pd.DataFrame, as_of: Any) -> bool:
    """Whether the store holds any report with submitted_date ≤ D."""
    return bool((dates(reports["submitted_date"]) <= to_date(as_of)).any())


def _scope_codes(townships_frame: pd.DataFrame,
                 townships: Iterable[str] | str | None) -> list[str]:
    known = sorted(townships_frame["township_code"].dropna().astype(str))
    if townships is None:
        return known
    if isinstance(townships, str):
        townships = [townships]
    return sorted(set(townships)) or known


def report_grid(townships_frame: pd.DataFrame, reports: pd.DataFrame, phases: pd.DataFrame,
                as_of: Any, townships: Iterable[str] | str | None = None) -> pd.DataFrame:
    """The township × month grid: one row per township in scope and expected month.

    Columns ``township_code``, ``month`` (Period[M]), ``due_date``, ``submitted_date`` (the
    township's report for that month submitted ≤ D, NaT when none — a report submitted
    after D does not exist yet) and ``status``: ``on_time`` | ``late`` | ``missing`` |
    ``not_due`` (due(m) ≥ D). Sorted by township, month. The grid does not know whether the
    ledger is in use: see :func:`report_metrics`."""
    D = to_date(as_of)
    codes = _scope_codes(townships_frame, townships)
    months = expected_months(phases)
    grid = pd.DataFrame(
        [(c, m) for c in codes for m in months], columns=["township_code", "month"])
    grid["month"] = grid["month"].astype(pd.PeriodDtype("M"))
    grid["due_date"] = pd.Series([due_date(m) for m in grid["month"]],
                                 dtype="datetime64[ns]", index=grid.index)
    sub = dates(reports["submitted_date"])
    r = pd.DataFrame({"township_code": reports["township_code"].astype(str),
                      "month": to_months(reports["month"]), "submitted_date": sub})
    r = r[r["submitted_date"] <= D]
    # one report per (township, month) by the contract; the earliest counts if several
    first = r.groupby(["township_code", "month"])["submitted_date"].min()
    keys = pd.MultiIndex.from_arrays([grid["township_code"], grid["month"]])
    grid["submitted_date"] = first.reindex(keys).to_numpy(dtype="datetime64[ns]")
    status = pd.Series(MISSING, index=grid.index, dtype="object")
    status[grid["submitted_date"] <= grid["due_date"]] = ON_TIME
    status[grid["submitted_date"] > grid["due_date"]] = LATE
    status[grid["due_date"] >= D] = NOT_DUE
    grid["status"] = status
    return grid


def _block(grid: pd.DataFrame, in_use: bool) -> dict[str, Any]:
    keys = ("reports_expected", "reports_on_time", "reports_late", "reports_missing",
            "reporting_rate", "on_time_rate", "last_due_month", "last_missing")
    if not in_use:
        return dict.fromkeys(keys)
    due = grid[grid["status"] != NOT_DUE]
    n = len(due)
    counts = due["status"].value_counts()
    on_time, late, missing = (int(counts.get(k, 0)) for k in (ON_TIME, LATE, MISSING))
    last = due["month"].max() if n else None
    return {
        "reports_expected": n,
        "reports_on_time": on_time,
        "reports_late": late,
        "reports_missing": missing,
        "reporting_rate": ratio(on_time + late, n),
        "on_time_rate": ratio(on_time, n),
        "last_due_month": None if last is None else str(last),
        # no month due yet: no township can miss it
        "last_missing": 0 if last is None else
        int(((due["month"] == last) & (due["status"] == MISSING)).sum()),
    }


def report_metrics(townships_frame: pd.DataFrame, reports: pd.DataFrame,
                   phases: pd.DataFrame, as_of: Any,
                   townships: Iterable[str] | str | None = None) -> dict[str, Any]:
    """The contract's ``reports`` block of the scope (None = every township; the county
    sums every township).

    ``{reports_expected, reports_on_time, reports_late, reports_missing, reporting_rate,
    on_time_rate, last_due_month ("YYYY-MM" | None), last_missing}``. Every figure is None
    when the store holds no report with submitted_date ≤ D (the ledger is not in use yet);
    rates are None when nothing is expected; last_missing is 0 when no month is due yet."""
    grid = report_grid(townships_frame, reports, phases, as_of, townships)
    return _block(grid, ledger_in_use(reports, as_of))


def report_metrics_by(townships_frame: pd.DataFrame, reports: pd.DataFrame,
                      phases: pd.DataFrame, as_of: Any,
                      groups: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """:func:`report_metrics` per township (``groups``; default every township)."""
    codes = _scope_codes(townships_frame, None) if groups is None else list(groups)
    grid = report_grid(townships_frame, reports, phases, as_of, codes or None)
    in_use = ledger_in_use(reports, as_of)
    by = dict(tuple(grid.groupby("township_code", sort=False)))
    empty = grid.iloc[0:0]
    return {c: _block(by.get(c, empty), in_use) for c in codes}
