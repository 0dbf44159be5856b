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

from duzhan.metrics._util import dates, group_column, scope_key
from duzhan.metrics.frames import to_date
from duzhan.metrics.numbers import REPORT_DUE_DAY as DUE_DAY
from duzhan.metrics.numbers import ratio

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
    # due(m), the 28th, for each row at once
    grid["due_date"] = (grid["month"].dt.to_timestamp() +
                        pd.Timedelta(days=DUE_DAY - 1)).astype("datetime64[ns]")
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


KEYS = ("reports_expected", "reports_on_time", "reports_late", "reports_missing",
        "reporting_rate", "on_time_rate", "last_due_month", "last_missing")


def report_grouped(grid: pd.DataFrame, in_use: bool, key: Any,
             groups: Iterable[Any]) -> dict[Any, dict[str, Any]]:
    """The block of each group of townships (``group_column(township_code, key)``) in one
    pass over the grid; every figure None when the ledger is not in use."""
    groups = list(groups)
    if not in_use:
        return {g: dict.fromkeys(KEYS) for g in groups}
    due = grid[(grid["status"] != NOT_DUE).to_numpy()]
    g = group_column(due["township_code"], key)
    counts = due.groupby([g, due["status"]]).size().to_dict() if len(due) else {}
    expected = due.groupby(g).size().to_dict() if len(due) else {}
    last = due["month"].groupby(g).max().to_dict() if len(due) else {}
    missing_last = {}
    if len(due):
        at_last = due["month"].to_numpy() == g.map(last).to_numpy()
        hit = at_last & (due["status"] == MISSING).to_numpy()
        missing_last = g[hit].value_counts().to_dict()
    out = {}
    for k in groups:
        n = int(expected.get(k, 0))
        on_time, late, missing = (int(counts.get((k, s), 0)) for s in (ON_TIME, LATE, MISSING))
        m = last.get(k)
        out[k] = {
            "reports_expected": n,
            "reports_on_time": on_time,
            "reports_late": late,
            "reports_missing": missing,
            "reporting_rate": ratio(on_time + late, n),
            "on_time_rate": ratio(on_time, n),
            "last_due_month": None if m is None else str(m),
            # no month due yet: no township can miss it
            "last_missing": int(missing_last.get(k, 0)),
        }
    return out


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
    return report_grouped(grid, ledger_in_use(reports, as_of), scope_key(None), [0])[0]


def report_metrics_by(townships_frame: pd.DataFrame, reports: pd.DataFrame,
                      phases: pd.DataFrame, as_of: Any,
                      groups: Iterable[Any] | None = None,
                      key: Any = None) -> dict[Any, dict[str, Any]]:
    """:func:`report_metrics` per township (``groups``; default every township), in one
    pass. ``key`` (township_code -> group, e.g. its county) sums townships into groups;
    ``groups`` then names the groups (default: the groups of every township)."""
    if key is None:
        codes = _scope_codes(townships_frame, None) if groups is None else list(groups)
        groups = codes
    else:
        every = _scope_codes(townships_frame, None)
        mapped = group_column(pd.Series(every, dtype=object), key)
        codes = [c for c, g in zip(every, mapped, strict=True) if not pd.isna(g)]
        if groups is None:
            groups = sorted(set(mapped.dropna()))
    grid = report_grid(townships_frame, reports, phases, as_of, codes or None)
    if not codes:
        grid = grid.iloc[0:0]
    return report_grouped(grid, ledger_in_use(reports, as_of), key, groups)
