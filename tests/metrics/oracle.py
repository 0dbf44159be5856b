"""A deliberately naive, independent implementation of shared/contract/metrics.md.

It is a test oracle for ``duzhan.metrics.report.metrics_report``: plain loops over rows,
``datetime.date`` for dates, ``int`` fen and ``fractions.Fraction`` for exact arithmetic,
no pandas beyond reading the rows out of a ``Ledgers``. It was written from the contract
text alone, without looking at src/metrics.

``oracle_report(data, as_of, townships=None)`` returns the JSON object of
``duzhan metrics --as-of D [--township ...]``. ``data`` is either a ``Ledgers`` or a
mapping ledger name -> list of dicts (the records given to ``Ledgers.from_records``: dates
as ISO strings or dates, money under ``<key>_fen`` as int fen or under ``<key>`` in yuan).

Readings of the contract that the text leaves open (see the report in the commit/tests):

* Rounding: rates are rounded from the *exact* ratio to 6 decimals, half away from zero
  (四舍五入); ``progress_gap`` is rounded from the exact difference.
* Status rules compare the exact (unrounded) figures.
* ``stalled_projects`` uses the project's disbursements paid on or before D.
* ``status_reasons`` codes (named by the engine's tests, the contract names none):
  red ``overdue_issues``, ``loan_overdue_rate_over_3pct``, ``funds_gap_over_20pct``,
  ``phase_tasks_overdue``; yellow ``no_recent_closures`` (open > 0, forecast null),
  ``forecast_after_target``, ``loan_overdue_rate_over_1pct`` (only when the 3% rule does
  not fire), ``funds_gap_over_10pct`` (only when the 20% rule does not fire),
  ``phase_behind``.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

MONEY = {
    "projects": "allocated_amount",
    "disbursements": "amount",
    "loans": "principal",
    "repayments": "principal_amount",
}
DATE_KEYS = {
    "phases": ("start_date", "end_date"),
    "tasks": ("due_date", "done_date"),
    "issues": ("found_date", "deadline", "closed_date"),
    "projects": ("allocated_date",),
    "disbursements": ("paid_date",),
    "loans": ("issued_date", "due_date", "extended_due_date"),
    "repayments": ("paid_date",),
}
# Every ledger of the contract, and what the oracle reads it for (a new ledger is added
# here, with the figures it feeds; tests/test_ledger_registry.py checks the list is whole).
LEDGERS_READ = {
    "townships": "the townships of the report and their names",
    "villages": "no figure (the metrics contract reads none)",
    "phases": "phases block: current phase, expected completion",
    "tasks": "phases block: tasks per phase",
    "issues": "issues block",
    "projects": "funds block: allocations",
    "disbursements": "funds block: disbursements",
    "loans": "loans block",
    "repayments": "loans block: repayments",
}
NAMES = tuple(LEDGERS_READ)


# ---------------------------------------------------------------- reading the input rows

def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN, NaT
    except Exception:  # pd.NA raises on bool()
        return True


def _date(v: Any) -> dt.date | None:
    if _missing(v):
        return None
    if isinstance(v, str):
        return dt.date.fromisoformat(v.strip()[:10])
    if isinstance(v, dt.datetime):  # also pandas.Timestamp
        return dt.date(v.year, v.month, v.day)
    if isinstance(v, dt.date):
        return v
    if hasattr(v, "astype"):  # numpy.datetime64
        return dt.date.fromisoformat(str(v)[:10])
    raise TypeError(f"not a date: {v!r}")


def _fen_of_yuan(v: Any) -> int:
    d = Decimal(str(v).replace(",", "")) * 100
    assert d == d.to_integral_value(), v
    return int(d)


def _text(v: Any) -> str | None:
    if _missing(v):
        return None
    s = str(v)
    return s if s != "" else None


def _rows(data: Any, name: str) -> list[dict]:
    if isinstance(data, Mapping):
        raw: Iterable[Mapping] = data.get(name, ())
        raw = [dict(r) for r in raw]
    else:
        df = getattr(data, name)
        raw = [dict(zip(df.columns, t, strict=False)) for t in df.itertuples(index=False, name=None)]
    out = []
    for r in raw:
        row = dict(r)
        for k in DATE_KEYS.get(name, ()):
            row[k] = _date(row.get(k))
        m = MONEY.get(name)
        if m is not None:
            if m in row and not _missing(row[m]) and f"{m}_fen" not in row:
                row[f"{m}_fen"] = _fen_of_yuan(row[m])
            row["fen"] = int(row[f"{m}_fen"])
        for k in ("township_code", "project_id", "loan_id", "township_name"):
            if k in row:
                row[k] = _text(row[k])
        if "phase_no" in row:
            row["phase_no"] = int(row["phase_no"])
        out.append(row)
    return out


def read_ledgers(data: Any) -> dict[str, list[dict]]:
    L = {name: _rows(data, name) for name in NAMES}
    # disbursements / repayments: the township of their project / loan
    for child, parent, key in (("disbursements", "projects", "project_id"),
                               ("repayments", "loans", "loan_id")):
        town = {p[key]: p["township_code"] for p in L[parent]}
        for r in L[child]:
            if r.get("township_code") is None:
                r["township_code"] = town[r[key]]
            else:
                assert r["township_code"] == town[r[key]], (child, r)
    return L


# ---------------------------------------------------------------------- exact helpers

def ratio(num: int, den: int) -> Fraction | None:
    return None if den == 0 else Fraction(num, den)


def round6(x: Fraction | None) -> float | None:
    """The exact ratio rounded to 6 decimals, half away from zero, as a JSON number."""
    if x is None:
        return None
    scaled = abs(x) * 10**6
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return float(Decimal(-whole if x < 0 else whole).scaleb(-6))


def yuan(fen: int) -> float:
    return float(Decimal(fen).scaleb(-2))


def iso(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def days(a: dt.date, b: dt.date) -> int:
    """d(a, b) = b − a in days."""
    return (b - a).days


# ----------------------------------------------------------------------------- issues

def issues_figures(issues: list[dict], D: dt.date) -> dict:
    found = closed = overdue_open = closed_28 = found_28 = 0
    target = None
    for i in issues:
        if i["found_date"] > D:
            continue
        found += 1
        if days(i["found_date"], D) <= 27:  # D − 27 ≤ found_date ≤ D
            found_28 += 1
        c = i["closed_date"]
        if c is not None and c <= D:
            closed += 1
            if days(c, D) <= 27:  # D − 27 ≤ closed_date ≤ D
                closed_28 += 1
        else:
            if i["deadline"] < D:
                overdue_open += 1
            if target is None or i["deadline"] > target:
                target = i["deadline"]
    open_ = found - closed
    if open_ == 0:
        forecast = D
    elif closed_28 == 0:
        forecast = None
    else:
        forecast = D + dt.timedelta(days=math.ceil(Fraction(open_ * 28, closed_28)))
    net = closed_28 - found_28
    if open_ == 0:
        net_forecast = D
    elif net <= 0:
        net_forecast = None
    else:
        net_forecast = D + dt.timedelta(days=math.ceil(Fraction(open_ * 28, net)))
    return {
        "found": found, "closed": closed, "open": open_,
        "closure_rate": ratio(closed, found), "overdue_open": overdue_open,
        "closed_last_28d": closed_28, "forecast_clear_date": forecast,
        "clearance_target": target, "found_last_28d": found_28,
        "net_forecast_clear_date": net_forecast,
    }


# ------------------------------------------------------------------------------ funds

def time_progress(D: dt.date) -> Fraction:
    doy = days(dt.date(D.year, 1, 1), D) + 1
    in_year = days(dt.date(D.year, 1, 1), dt.date(D.year + 1, 1, 1))
    return Fraction(doy, in_year)


def funds_figures(projects: list[dict], disbursements: list[dict], D: dt.date) -> dict:
    allocated = 0
    for p in projects:
        if p["allocated_date"] <= D:
            allocated += p["fen"]
    disbursed = 0
    paid_by_project: dict[str, int] = {}
    for d in disbursements:
        if d["paid_date"] <= D:
            disbursed += d["fen"]
            paid_by_project[d["project_id"]] = paid_by_project.get(d["project_id"], 0) + d["fen"]
    stalled = 0
    for p in projects:
        if days(p["allocated_date"], D) >= 90:  # allocated_date ≤ D − 90
            if Fraction(paid_by_project.get(p["project_id"], 0), p["fen"]) < Fraction(1, 2):
                stalled += 1
    rate = ratio(disbursed, allocated)
    tp = time_progress(D)
    return {
        "allocated": allocated, "disbursed": disbursed, "disbursement_rate": rate,
        "time_progress": tp, "progress_gap": None if rate is None else rate - tp,
        "stalled_projects": stalled,
    }


# ------------------------------------------------------------------------------ loans

BUCKETS = (("1-30", 1, 30), ("31-90", 31, 90), ("91-180", 91, 180), ("181+", 181, None))


def loans_figures(loans: list[dict], repayments: list[dict], D: dt.date) -> dict:
    repaid: dict[str, int] = {}
    for r in repayments:
        if r["paid_date"] <= D:
            repaid[r["loan_id"]] = repaid.get(r["loan_id"], 0) + r["fen"]
    f = {"active_loans": 0, "balance": 0, "overdue_loans": 0, "overdue_balance": 0,
         "par30_balance": 0, "par90_balance": 0, "due_30d_loans": 0, "due_30d_balance": 0,
         "extended_loans": 0}
    buckets = {name: {"loans": 0, "balance": 0} for name, _, _ in BUCKETS}
    for loan in loans:
        if loan["issued_date"] > D:
            continue
        outstanding = loan["fen"] - repaid.get(loan["loan_id"], 0)
        if outstanding <= 0:
            continue  # not active
        eff = loan["extended_due_date"] or loan["due_date"]
        dpd = days(eff, D) if eff < D else 0
        f["active_loans"] += 1
        f["balance"] += outstanding
        if dpd >= 1:
            f["overdue_loans"] += 1
            f["overdue_balance"] += outstanding
        if dpd > 30:
            f["par30_balance"] += outstanding
        if dpd > 90:
            f["par90_balance"] += outstanding
        if D <= eff and days(D, eff) <= 30:
            f["due_30d_loans"] += 1
            f["due_30d_balance"] += outstanding
        if loan["extended_due_date"] is not None:
            f["extended_loans"] += 1
        for name, lo, hi in BUCKETS:
            if dpd >= lo and (hi is None or dpd <= hi):
                buckets[name]["loans"] += 1
                buckets[name]["balance"] += outstanding
    f["overdue_rate"] = ratio(f["overdue_balance"], f["balance"])
    f["par30"] = ratio(f["par30_balance"], f["balance"])
    f["par90"] = ratio(f["par90_balance"], f["balance"])
    f["buckets"] = buckets
    return f


# ----------------------------------------------------------------------------- phases

def phases_figures(phases: list[dict], tasks: list[dict], D: dt.date) -> dict:
    current = None
    by_phase = []
    for ph in sorted(phases, key=lambda p: p["phase_no"]):
        if ph["start_date"] <= D <= ph["end_date"]:
            current = ph["phase_no"]
        total = done = overdue = 0
        for t in tasks:
            if t["phase_no"] != ph["phase_no"]:
                continue
            total += 1
            is_done = t["done_date"] is not None and t["done_date"] <= D
            if is_done:
                done += 1
            if t["due_date"] < D and not is_done:
                overdue += 1
        expected = Fraction(days(ph["start_date"], D) + 1,
                            days(ph["start_date"], ph["end_date"]) + 1)
        expected = min(max(expected, Fraction(0)), Fraction(1))
        by_phase.append({"phase_no": ph["phase_no"], "tasks_total": total, "tasks_done": done,
                         "completion": ratio(done, total), "expected": expected,
                         "tasks_overdue": overdue})
    return {"current_phase": current, "by_phase": by_phase}


# ----------------------------------------------------------------------------- status

def status_of(fig: dict) -> tuple[str, list[str]]:
    iss, fun, lo, ph = fig["issues"], fig["funds"], fig["loans"], fig["phases"]
    cur = None
    for p in ph["by_phase"]:
        if p["phase_no"] == ph["current_phase"]:
            cur = p
    red: list[str] = []
    yellow: list[str] = []
    if iss["overdue_open"] > 0:
        red.append("overdue_issues")
    if iss["open"] > 0:
        if iss["net_forecast_clear_date"] is None:
            yellow.append("net_forecast_none")
        elif iss["net_forecast_clear_date"] > iss["clearance_target"]:
            yellow.append("forecast_after_target")
    rate = lo["overdue_rate"]
    if rate is not None and rate > Fraction(3, 100):
        red.append("loan_overdue_rate_over_3pct")
    elif rate is not None and rate > Fraction(1, 100):
        yellow.append("loan_overdue_rate_over_1pct")
    gap = fun["progress_gap"]
    if gap is not None and gap < Fraction(-20, 100):
        red.append("funds_gap_over_20pct")
    elif gap is not None and gap < Fraction(-10, 100):
        yellow.append("funds_gap_over_10pct")
    if cur is not None:
        if cur["tasks_overdue"] > 0:
            red.append("phase_tasks_overdue")
        if cur["completion"] is not None and cur["completion"] < cur["expected"] - Fraction(1, 10):
            yellow.append("phase_behind")
    status = "red" if red else "yellow" if yellow else "green"
    return status, red + yellow


# ------------------------------------------------------------------------------- JSON

def scope_figures(L: dict[str, list[dict]], D: dt.date, code: str | None) -> dict:
    """Exact figures of the county (code None) or one township."""

    def mine(rows: list[dict]) -> list[dict]:
        if code is None:
            return rows
        return [r for r in rows if r.get("township_code") == code]  # county-wide tasks: None

    return {
        "issues": issues_figures(mine(L["issues"]), D),
        "funds": funds_figures(mine(L["projects"]), mine(L["disbursements"]), D),
        "loans": loans_figures(mine(L["loans"]), mine(L["repayments"]), D),
        "phases": phases_figures(L["phases"], mine(L["tasks"]), D),
    }


def to_json(fig: dict) -> dict:
    i, f, lo, ph = fig["issues"], fig["funds"], fig["loans"], fig["phases"]
    return {
        "issues": {
            "found": i["found"], "closed": i["closed"], "open": i["open"],
            "closure_rate": round6(i["closure_rate"]), "overdue_open": i["overdue_open"],
            "closed_last_28d": i["closed_last_28d"],
            "forecast_clear_date": iso(i["forecast_clear_date"]),
            "clearance_target": iso(i["clearance_target"]),
            "found_last_28d": i["found_last_28d"],
            "net_forecast_clear_date": iso(i["net_forecast_clear_date"]),
        },
        "funds": {
            "allocated": yuan(f["allocated"]), "disbursed": yuan(f["disbursed"]),
            "disbursement_rate": round6(f["disbursement_rate"]),
            "time_progress": round6(f["time_progress"]),
            "progress_gap": round6(f["progress_gap"]),
            "stalled_projects": f["stalled_projects"],
        },
        "loans": {
            "active_loans": lo["active_loans"], "balance": yuan(lo["balance"]),
            "overdue_loans": lo["overdue_loans"], "overdue_balance": yuan(lo["overdue_balance"]),
            "overdue_rate": round6(lo["overdue_rate"]), "par30": round6(lo["par30"]),
            "par90": round6(lo["par90"]), "due_30d_loans": lo["due_30d_loans"],
            "due_30d_balance": yuan(lo["due_30d_balance"]),
            "extended_loans": lo["extended_loans"],
            "buckets": {name: {"loans": b["loans"], "balance": yuan(b["balance"])}
                        for name, b in lo["buckets"].items()},
        },
        "phases": {
            "current_phase": ph["current_phase"],
            "by_phase": [{"phase_no": p["phase_no"], "tasks_total": p["tasks_total"],
                          "tasks_done": p["tasks_done"], "completion": round6(p["completion"]),
                          "expected": round6(p["expected"]),
                          "tasks_overdue": p["tasks_overdue"]} for p in ph["by_phase"]],
        },
    }


def oracle_report(data: Any, as_of: Any, townships: Iterable[str] | None = None) -> dict:
    D = _date(as_of)
    L = read_ledgers(data)
    names = {t["township_code"]: t.get("township_name") for t in L["townships"]}
    if townships is None or not list(townships):
        codes = sorted(names)
    else:
        codes = sorted(set(townships))
        unknown = [c for c in codes if c not in names]
        if unknown:
            raise ValueError(f"unknown township(s): {unknown}")
    county = scope_figures(L, D, None)
    out = {"as_of": D.isoformat(), "county": to_json(county)}
    out["county"]["status"] = status_of(county)[0]
    out["townships"] = []
    for code in codes:
        fig = scope_figures(L, D, code)
        status, reasons = status_of(fig)
        entry = {"township_code": code, "township_name": names[code]}
        entry.update(to_json(fig))
        entry["status"] = status
        entry["status_reasons"] = reasons
        out["townships"].append(entry)
    return out
