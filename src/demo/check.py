"""A rough, independent look at the demo data as of a date: is the intended unevenness there?

This is a sanity check for the demo generator and its tests, written straight from
shared/contract/metrics.md on plain frames. The dashboard's figures come from
`duzhan.metrics`, not from here.

    python -m duzhan.demo.check [--today YYYY-MM-DD] [--seed N]
"""
from __future__ import annotations

from duzhan import clock

import argparse
import math
from datetime import date, timedelta

import pandas as pd

from .county import TOWNSHIPS


def _d(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.date


def rough_summary(frames: dict[str, pd.DataFrame], as_of: date) -> dict:
    """Per township: issues (open, overdue_open, forecast), loans (overdue_rate), funds
    (disbursement_rate, progress_gap), tasks overdue in the current phase, and a light."""
    D = as_of
    iss = frames["issues"].copy()
    for c in ("found_date", "deadline", "closed_date"):
        iss[c] = _d(iss[c])
    iss = iss[iss["found_date"] <= D]
    closed = iss["closed_date"].notna() & (iss["closed_date"] <= D)
    iss = iss.assign(is_closed=closed,
                     overdue=~closed & (iss["deadline"] < D),
                     last28=closed & (iss["closed_date"] >= D - timedelta(days=27)))

    prj = frames["projects"].copy()
    prj["allocated_date"] = _d(prj["allocated_date"])
    prj = prj[prj["allocated_date"] <= D]
    dis = frames["disbursements"].copy()
    dis["paid_date"] = _d(dis["paid_date"])
    dis = dis[dis["paid_date"] <= D].merge(prj[["project_id", "township_code", "funding_source"]],
                                           on="project_id")
    days_in_year = 366 if (D.year % 4 == 0 and (D.year % 100 != 0 or D.year % 400 == 0)) else 365
    time_progress = D.timetuple().tm_yday / days_in_year

    loans = frames["loans"].copy()
    for c in ("issued_date", "due_date", "extended_due_date"):
        loans[c] = _d(loans[c])
    loans = loans[loans["issued_date"] <= D]
    rep = frames["repayments"].copy()
    rep["paid_date"] = _d(rep["paid_date"])
    repaid = rep[rep["paid_date"] <= D].groupby("loan_id")["principal_amount"].sum()
    loans["outstanding"] = (loans["principal"].astype(float)
                            - loans["loan_id"].map(repaid).fillna(0.0)).round(2)
    eff = loans["extended_due_date"].where(loans["extended_due_date"].notna(), loans["due_date"])
    loans["active"] = loans["outstanding"] > 0
    loans["overdue"] = loans["active"] & (eff < D)

    ph = frames["phases"].copy()
    ph["start_date"], ph["end_date"] = _d(ph["start_date"]), _d(ph["end_date"])
    cur = ph[(ph["start_date"] <= D) & (ph["end_date"] >= D)]
    cur_no = int(cur["phase_no"].iloc[0]) if len(cur) else None
    tasks = frames["tasks"].copy()
    tasks["due_date"], tasks["done_date"] = _d(tasks["due_date"]), _d(tasks["done_date"])
    done = tasks["done_date"].notna() & (tasks["done_date"] <= D)
    tasks = tasks.assign(done=done, overdue=~done & (tasks["due_date"] < D))

    out = {"as_of": D.isoformat(), "time_progress": round(time_progress, 4), "townships": [],
           "funding_sources": {}}
    for src, g in prj.groupby("funding_source"):
        alloc = float(g["allocated_amount"].sum())
        paid = float(dis.loc[dis["funding_source"] == src, "amount"].sum())
        out["funding_sources"][src] = round(paid / alloc, 4) if alloc else None
    for t in TOWNSHIPS:
        i = iss[iss["township_code"] == t.code]
        n_open = int((~i["is_closed"]).sum())
        c28 = int(i["last28"].sum())
        if n_open == 0:
            forecast = D
        elif c28 == 0:
            forecast = None
        else:
            forecast = D + timedelta(days=math.ceil(n_open * 28 / c28))
        target = i.loc[~i["is_closed"], "deadline"].max() if n_open else None
        a = float(prj.loc[prj["township_code"] == t.code, "allocated_amount"].sum())
        p = float(dis.loc[dis["township_code"] == t.code, "amount"].sum())
        rate = p / a if a else None
        gap = rate - time_progress if rate is not None else None
        lo = loans[(loans["township_code"] == t.code) & loans["active"]]
        bal = float(lo["outstanding"].sum())
        od = float(lo.loc[lo["overdue"], "outstanding"].sum()) / bal if bal else None
        tk = tasks[(tasks["township_code"] == t.code) & (tasks["phase_no"] == cur_no)]
        tk_over = int(tk["overdue"].sum())
        expected = None
        completion = None
        if cur_no is not None and len(tk):
            r = cur.iloc[0]
            expected = min(1.0, max(0.0, ((D - r["start_date"]).days + 1)
                                    / ((r["end_date"] - r["start_date"]).days + 1)))
            completion = float(tk["done"].mean())
        reasons_red, reasons_yellow = [], []
        overdue_open = int(i["overdue"].sum())
        if overdue_open > 0:
            reasons_red.append("overdue_open")
        if od is not None and od > 0.03:
            reasons_red.append("loans>3%")
        if gap is not None and gap < -0.20:
            reasons_red.append("gap<-20%")
        if tk_over > 0:
            reasons_red.append("tasks_overdue")
        if n_open > 0 and (forecast is None or (target is not None and forecast > target)):
            reasons_yellow.append("forecast")
        if od is not None and od > 0.01:
            reasons_yellow.append("loans>1%")
        if gap is not None and gap < -0.10:
            reasons_yellow.append("gap<-10%")
        if completion is not None and completion < expected - 0.10:
            reasons_yellow.append("behind")
        light = "red" if reasons_red else "yellow" if reasons_yellow else "green"
        out["townships"].append({
            "township_code": t.code, "township_name": t.name, "role": t.role,
            "found": len(i), "open": n_open, "overdue_open": overdue_open,
            "closed_last_28d": c28,
            "forecast_clear_date": forecast.isoformat() if forecast else None,
            "clearance_target": target.isoformat() if target else None,
            "disbursement_rate": round(rate, 4) if rate is not None else None,
            "progress_gap": round(gap, 4) if gap is not None else None,
            "loan_balance": round(bal, 2), "overdue_rate": round(od, 4) if od is not None else None,
            "tasks_overdue_current_phase": tk_over,
            "completion": round(completion, 3) if completion is not None else None,
            "expected": round(expected, 3) if expected is not None else None,
            "light": light, "reasons": reasons_red or reasons_yellow,
        })
    return out


def format_summary(s: dict) -> str:
    lines = [f"as of {s['as_of']} (time progress {s['time_progress']:.1%})",
             f"{'township':<8}{'role':<13}{'found':>6}{'open':>6}{'overdue':>8}{'loan od':>9}"
             f"{'disb':>8}{'gap':>8}{'tasks od':>9}  light"]
    for t in s["townships"]:
        def pct(x):
            return "-" if x is None else f"{x:.1%}"
        lines.append(f"{t['township_name']:<6}  {t['role']:<13}{t['found']:>6}{t['open']:>6}"
                     f"{t['overdue_open']:>8}{pct(t['overdue_rate']):>9}"
                     f"{pct(t['disbursement_rate']):>8}{pct(t['progress_gap']):>8}"
                     f"{t['tasks_overdue_current_phase']:>9}  {t['light']} {','.join(t['reasons'])}")
    lines.append("disbursement rate by funding source: " + ", ".join(
        f"{k} {v:.1%}" for k, v in s["funding_sources"].items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from .generator import DEFAULT_SEED, build_demo_frames

    ap = argparse.ArgumentParser(prog="python -m duzhan.demo.check")
    ap.add_argument("--today", type=date.fromisoformat, default=None)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    a = ap.parse_args(argv)
    today = a.today or clock.today()
    print(format_summary(rough_summary(build_demo_frames(today, a.seed), today)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
