"""Micro-loans · 小额信贷 (shared/contract/metrics.md, "Micro-loans").

The per-loan table (:func:`loan_table`) is computed once; every figure is a sum over it.
``household_id`` (personal data) is never part of a metrics answer.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from duzhan.metrics._util import DAY, dates
from duzhan.metrics.frames import to_date
from duzhan.metrics.numbers import BUCKETS, DUE_WINDOW_DAYS, fen_to_yuan, ratio

_SUMS = ("active", "overdue", "par30", "par90", "due_30d", "extended",
         *(f"b_{name}" for name, _, _ in BUCKETS))


def loan_table(loans: pd.DataFrame, repayments: pd.DataFrame, as_of: Any) -> pd.DataFrame:
    """One row per loan issued by D: loan_id, township_code, village_code, bank,
    principal_fen, issued_date, due_date, extended_due_date, repaid_fen (repayments paid ≤ D),
    outstanding_fen, active (outstanding > 0), effective_due, dpd, bucket ("1-30", "31-90",
    "91-180", "181+" or None), extended (active with an extended_due_date), due_30d
    (active and D ≤ effective_due ≤ D + 30)."""
    D = to_date(as_of)
    issued = dates(loans["issued_date"])
    cols = [c for c in ("loan_id", "township_code", "village_code", "bank", "principal_fen",
                        "issued_date", "due_date", "extended_due_date") if c in loans.columns]
    t = loans.loc[(issued <= D).to_numpy(), cols].reset_index(drop=True)
    paid = repayments[dates(repayments["paid_date"]) <= D]
    per = paid.groupby("loan_id", sort=False)["principal_amount_fen"].sum()
    t["repaid_fen"] = t["loan_id"].map(per).fillna(0).astype("int64")
    t["outstanding_fen"] = t["principal_fen"].astype("int64") - t["repaid_fen"]
    active = (t["outstanding_fen"] > 0).to_numpy()
    t["active"] = active
    ext = dates(t["extended_due_date"])
    eff = ext.fillna(dates(t["due_date"])).astype("datetime64[ns]")
    t["effective_due"] = eff
    late = ((D - eff) // DAY).fillna(0).to_numpy(dtype="int64")
    dpd = np.where(active & (eff < D).to_numpy(), late, 0)
    t["dpd"] = dpd
    bucket = np.full(len(t), None, dtype=object)
    for name, lo, hi in BUCKETS:
        m = (dpd >= lo) & ((dpd <= hi) if hi is not None else True)
        bucket[m] = name
    t["bucket"] = pd.Series(bucket, dtype="str")
    t["extended"] = active & ext.notna().to_numpy()
    t["due_30d"] = active & ((eff >= D) & (eff <= D + DUE_WINDOW_DAYS * DAY)).to_numpy()
    return t


def _sum_frame(t: pd.DataFrame) -> pd.DataFrame:
    """Count flags and outstanding-weighted sums per loan row (for groupby sums)."""
    out = t["outstanding_fen"].to_numpy(dtype="int64")
    act = t["active"].to_numpy()
    dpd = t["dpd"].to_numpy(dtype="int64")
    flags = {
        "active": act,
        "overdue": act & (dpd >= 1),
        "par30": act & (dpd > 30),
        "par90": act & (dpd > 90),
        "due_30d": t["due_30d"].to_numpy(),
        "extended": t["extended"].to_numpy(),
    }
    for name, lo, hi in BUCKETS:
        upper = (dpd <= hi) if hi is not None else True
        flags[f"b_{name}"] = act & (dpd >= lo) & upper
    data = {}
    for k, m in flags.items():
        data[f"{k}_n"] = m.astype("int64")
        data[f"{k}_fen"] = np.where(m, out, 0).astype("int64")
    return pd.DataFrame(data, index=t.index)


def _finish(s: Any) -> dict[str, Any]:
    bal = int(s["active_fen"])
    return {
        "active_loans": int(s["active_n"]),
        "balance": fen_to_yuan(bal),
        "overdue_loans": int(s["overdue_n"]),
        "overdue_balance": fen_to_yuan(int(s["overdue_fen"])),
        "overdue_rate": ratio(int(s["overdue_fen"]), bal),
        "par30": ratio(int(s["par30_fen"]), bal),
        "par90": ratio(int(s["par90_fen"]), bal),
        "due_30d_loans": int(s["due_30d_n"]),
        "due_30d_balance": fen_to_yuan(int(s["due_30d_fen"])),
        "extended_loans": int(s["extended_n"]),
        "buckets": {
            name: {"loans": int(s[f"b_{name}_n"]), "balance": fen_to_yuan(int(s[f"b_{name}_fen"]))}
            for name, _, _ in BUCKETS
        },
    }


def _empty_sums() -> dict[str, int]:
    return {f"{k}_{x}": 0 for k in _SUMS for x in ("n", "fen")}


def loan_metrics(loans: pd.DataFrame, repayments: pd.DataFrame, as_of: Any,
                 table: pd.DataFrame | None = None) -> dict[str, Any]:
    """``{active_loans, balance, overdue_loans, overdue_balance, overdue_rate, par30, par90,
    due_30d_loans, due_30d_balance, extended_loans, buckets}``; amounts are Decimal yuan,
    rates None when balance = 0; buckets = {"1-30"|"31-90"|"91-180"|"181+": {loans, balance}}.
    ``table``: a :func:`loan_table` of the same inputs and date, to reuse."""
    t = loan_table(loans, repayments, as_of) if table is None else table
    return _finish(_sum_frame(t).sum())


def loan_metrics_by(loans: pd.DataFrame, repayments: pd.DataFrame, as_of: Any,
                    by: str = "township_code",
                    groups: Iterable[Any] | None = None,
                    table: pd.DataFrame | None = None) -> dict[Any, dict[str, Any]]:
    """:func:`loan_metrics` per value of ``by`` (township_code, bank, village_code)."""
    t = loan_table(loans, repayments, as_of) if table is None else table
    sums = _sum_frame(t)
    sums["_key"] = t[by].to_numpy()
    g = sums.groupby("_key", sort=True).sum()
    keys = list(g.index) if groups is None else list(groups)
    empty = _empty_sums()
    rows = g.to_dict("index")  # one pass, not a Series per group
    return {k: _finish(rows.get(k, empty)) for k in keys}


def breakdown(loans: pd.DataFrame, repayments: pd.DataFrame, as_of: Any,
              by: str) -> pd.DataFrame:
    """Per value of ``by`` (township_code, bank; a missing bank is its own NaN group) of
    loans issued by D: active_loans, balance_fen, overdue_loans, overdue_balance_fen,
    balance, overdue_balance (float yuan), overdue_rate, par30, par90 (float, NaN = null),
    due_30d_loans, extended_loans. Sorted by ``by``."""
    t = loan_table(loans, repayments, as_of)
    s = _sum_frame(t)
    s[by] = t[by].to_numpy()
    g = s.groupby(by, sort=True, dropna=False).sum()
    bal = g["active_fen"].where(g["active_fen"] > 0)
    out = pd.DataFrame({
        "active_loans": g["active_n"],
        "balance_fen": g["active_fen"],
        "overdue_loans": g["overdue_n"],
        "overdue_balance_fen": g["overdue_fen"],
        "balance": g["active_fen"] / 100,
        "overdue_balance": g["overdue_fen"] / 100,
        "overdue_rate": (g["overdue_fen"] / bal).astype("float64"),
        "par30": (g["par30_fen"] / bal).astype("float64"),
        "par90": (g["par90_fen"] / bal).astype("float64"),
        "due_30d_loans": g["due_30d_n"],
        "extended_loans": g["extended_n"],
    }, index=g.index)
    return out.reset_index()


def due_30d_list(loans: pd.DataFrame, repayments: pd.DataFrame, as_of: Any) -> pd.DataFrame:
    """Active loans falling due in D ≤ effective_due ≤ D + 30, soonest first, with
    ``days_to_due`` = d(D, effective_due)."""
    D = to_date(as_of)
    t = loan_table(loans, repayments, as_of)
    t = t[t["due_30d"]].copy()
    t["days_to_due"] = ((t["effective_due"] - D) // DAY).astype("int64")
    return t.sort_values(["effective_due", "loan_id"]).reset_index(drop=True)


def overdue_list(loans: pd.DataFrame, repayments: pd.DataFrame, as_of: Any) -> pd.DataFrame:
    """Active loans with dpd ≥ 1, most days past due first."""
    t = loan_table(loans, repayments, as_of)
    t = t[t["dpd"] >= 1]
    return t.sort_values(["dpd", "loan_id"], ascending=[False, True]).reset_index(drop=True)


def extended_list(loans: pd.DataFrame, repayments: pd.DataFrame, as_of: Any) -> pd.DataFrame:
    """Active loans with an extended_due_date (``extended_loans``), earliest extended due date
    first, with dpd (0 unless past the extended date)."""
    t = loan_table(loans, repayments, as_of)
    t = t[t["extended"]]
    return t.sort_values(["effective_due", "loan_id"]).reset_index(drop=True)
