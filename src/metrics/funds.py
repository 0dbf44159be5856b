"""Funds · 资金拨付 (shared/contract/metrics.md, "Funds").

Amounts are summed as int64 fen (exact); the dict answers give Decimal yuan exact to the
fen. DataFrame answers carry ``*_fen`` int64 columns and float yuan columns for charts.
"""
from __future__ import annotations

import calendar
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from duzhan.metrics._util import DAY, dates
from duzhan.metrics.frames import to_date
from duzhan.metrics.numbers import STALL_DAYS, STALL_SHARE, Rate, fen_to_yuan, ratio

BREAKDOWN_KEYS = ("funding_source", "category", "township_code")


def time_progress(as_of: Any) -> float:
    """序时进度 = day of year of D / days in that year (2024-06-30 → 182/366)."""
    D = to_date(as_of)
    return D.day_of_year / (366 if calendar.isleap(D.year) else 365)


def _time_progress_frac(D: pd.Timestamp) -> Fraction:
    return Fraction(D.day_of_year, 366 if calendar.isleap(D.year) else 365)


def project_table(projects: pd.DataFrame, disbursements: pd.DataFrame,
                   D: pd.Timestamp) -> pd.DataFrame:
    """Projects allocated by D with disbursed_fen (paid ≤ D), own_rate, days_waited,
    stalled (allocated_date ≤ D − 90 and disbursed / allocated < 0.5, exact)."""
    p = projects[dates(projects["allocated_date"]) <= D]
    paid = disbursements[dates(disbursements["paid_date"]) <= D]
    per = paid.groupby("project_id", sort=False)["amount_fen"].sum()
    out = p.copy()
    out["disbursed_fen"] = out["project_id"].map(per).fillna(0).astype("int64")
    alloc = out["allocated_amount_fen"].astype("int64")
    out["own_rate"] = (out["disbursed_fen"] / alloc.where(alloc > 0)).astype("float64")
    out["days_waited"] = ((D - dates(out["allocated_date"])) // DAY).astype("int64")
    out["stalled"] = (out["days_waited"] >= STALL_DAYS) & (
        out["disbursed_fen"] * STALL_SHARE.denominator < alloc * STALL_SHARE.numerator
    )
    return out


def _finish(allocated_fen: int, disbursed_fen: int, stalled: int,
            D: pd.Timestamp) -> dict[str, Any]:
    tp = _time_progress_frac(D)
    rate = ratio(disbursed_fen, allocated_fen)
    gap = None if allocated_fen == 0 else Rate(Fraction(disbursed_fen, allocated_fen) - tp)
    return {
        "allocated": fen_to_yuan(allocated_fen),
        "disbursed": fen_to_yuan(disbursed_fen),
        "disbursement_rate": rate,
        "time_progress": Rate(tp),
        "progress_gap": gap,
        "stalled_projects": int(stalled),
    }


def fund_metrics(projects: pd.DataFrame, disbursements: pd.DataFrame,
                 as_of: Any, table: pd.DataFrame | None = None) -> dict[str, Any]:
    """``{allocated, disbursed (Decimal yuan), disbursement_rate, time_progress,
    progress_gap, stalled_projects}``; rate and gap are None when allocated = 0.
    ``table``: a :func:`project_table` of the same inputs and date, to reuse."""
    D = to_date(as_of)
    allocated = int(projects.loc[dates(projects["allocated_date"]) <= D,
                                 "allocated_amount_fen"].sum())
    disbursed = int(disbursements.loc[dates(disbursements["paid_date"]) <= D,
                                      "amount_fen"].sum())
    if table is None:
        table = project_table(projects, disbursements, D)
    return _finish(allocated, disbursed, int(table["stalled"].sum()), D)


def fund_metrics_by(projects: pd.DataFrame, disbursements: pd.DataFrame, as_of: Any,
                    groups: Iterable[Any] | None = None,
                    table: pd.DataFrame | None = None) -> dict[Any, dict[str, Any]]:
    """:func:`fund_metrics` per township_code in one groupby (``groups`` = keys to return)."""
    D = to_date(as_of)
    alloc = projects[dates(projects["allocated_date"]) <= D].groupby("township_code")[
        "allocated_amount_fen"].sum()
    disb = disbursements[dates(disbursements["paid_date"]) <= D].groupby("township_code")[
        "amount_fen"].sum()
    if table is None:
        table = project_table(projects, disbursements, D)
    stalled = table.groupby("township_code")[
        "stalled"].sum()
    keys = sorted(set(alloc.index) | set(disb.index)) if groups is None else list(groups)
    return {
        k: _finish(int(alloc.get(k, 0)), int(disb.get(k, 0)), int(stalled.get(k, 0)), D)
        for k in keys
    }


def breakdown(projects: pd.DataFrame, disbursements: pd.DataFrame, as_of: Any,
              by: str) -> pd.DataFrame:
    """Per value of ``by`` (funding_source, category, township_code) of the projects
    allocated by D: projects, allocated_fen, disbursed_fen (int64), allocated, disbursed
    (float yuan), disbursement_rate, progress_gap (float; NaN = null), stalled_projects.
    A disbursement counts for its project's group. Sorted by ``by``."""
    if by not in BREAKDOWN_KEYS:
        raise ValueError(f"cannot break funds down by {by!r}")
    D = to_date(as_of)
    t = project_table(projects, disbursements, D)
    g = t.groupby(by, sort=True).agg(
        projects=("project_id", "size"),
        allocated_fen=("allocated_amount_fen", "sum"),
        disbursed_fen=("disbursed_fen", "sum"),
        stalled_projects=("stalled", "sum"),
    )
    g = g.astype("int64")
    g["allocated"] = g["allocated_fen"] / 100
    g["disbursed"] = g["disbursed_fen"] / 100
    g["disbursement_rate"] = (g["disbursed_fen"] / g["allocated_fen"].where(
        g["allocated_fen"] > 0)).astype("float64")
    g["progress_gap"] = g["disbursement_rate"] - float(_time_progress_frac(D))
    return g.reset_index()


def stalled_projects_list(projects: pd.DataFrame, disbursements: pd.DataFrame,
                          as_of: Any) -> pd.DataFrame:
    """Stalled projects (allocated ≥ 90 days before D, own rate < 0.5) with disbursed_fen,
    own_rate and days_waited = d(allocated_date, D); longest wait first."""
    D = to_date(as_of)
    t = project_table(projects, disbursements, D)
    t = t[t["stalled"]].drop(columns="stalled")
    return t.sort_values(["days_waited", "project_id"], ascending=[False, True]).reset_index(
        drop=True)


def funds_series(projects: pd.DataFrame, disbursements: pd.DataFrame,
                 as_of: Any) -> pd.DataFrame:
    """Per day t from Jan 1 of D's year (or the first allocation ≤ D, if later) to D:
    ``date``, ``allocated_fen``, ``disbursed_fen`` (cumulative as of t, all years),
    ``allocated``, ``disbursed`` (float yuan), ``disbursement_rate`` (NaN when nothing
    allocated), ``time_progress``."""
    D = to_date(as_of)
    ad = dates(projects["allocated_date"])
    p = projects[ad <= D]
    pdates = ad[ad <= D]
    start = pd.Timestamp(year=D.year, month=1, day=1)
    if len(pdates) and pdates.min() > start:
        start = pdates.min()
    days = pd.date_range(start, D, freq="D").astype("datetime64[ns]")
    t = days.to_numpy()

    def cum(when: pd.Series, amount: pd.Series) -> np.ndarray:
        order = np.argsort(when.to_numpy(dtype="datetime64[ns]"), kind="stable")
        w = when.to_numpy(dtype="datetime64[ns]")[order]
        c = np.concatenate([[0], np.cumsum(amount.to_numpy(dtype="int64")[order])])
        return c[np.searchsorted(w, t, side="right")].astype("int64")

    pd_ = dates(disbursements["paid_date"])
    d = disbursements[pd_ <= D]
    alloc = cum(pdates, p["allocated_amount_fen"])
    disb = cum(pd_[pd_ <= D], d["amount_fen"])
    doy = days.day_of_year.to_numpy()
    diy = np.where(days.is_leap_year, 366, 365)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(alloc > 0, disb / np.where(alloc > 0, alloc, 1), np.nan)
    return pd.DataFrame({
        "date": days,
        "allocated_fen": alloc,
        "disbursed_fen": disb,
        "allocated": alloc / 100,
        "disbursed": disb / 100,
        "disbursement_rate": rate,
        "time_progress": doy / diy,
    })
