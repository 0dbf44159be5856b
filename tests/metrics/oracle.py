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
  ``phase_tasks_overdue``, ``summons_due``; yellow ``net_forecast_none`` (open > 0, net
  forecast null), ``forecast_after_target``, ``loan_overdue_rate_over_1pct`` (only when the
  3% rule does not fire), ``funds_gap_over_10pct`` (only when the 20% rule does not fire),
  ``phase_behind``, ``yellow_cards_28d``, ``unvisited_last_month``,
  ``reports_last_missing``, ``guarantee_gaps``, ``unassisted_over_15d``.
* ``last_missing`` is 0 when no month is due yet (no township can miss it) while the
  reports ledger is in use.
* The supervision ``unit`` of the township itself is its township_code; units are told
  apart by (township_code, unit).
* ``at_risk_by_risk`` / ``at_risk_by_category`` keys are the ledger's texts as given.
* Counties: the distinct non-empty townships.county_code, named by the county_name of
  their first township (by code); ``counties`` appears when there are more than one.
  Tasks with neither township nor county count only for the whole store.
"""
from __future__ import annotations

import calendar
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
    "site_checks": ("check_date",),
    "supervisions": ("visit_date",),
    "reports": ("submitted_date",),
    "monitored": ("identified_date", "assisted_date", "cleared_date"),
    "guarantees": ("check_date",),
}
# Every ledger of the contract, and what the oracle reads it for (a new ledger is added
# here, with the figures it feeds; tests/test_ledger_registry.py checks the list is whole).
LEDGERS_READ = {
    "townships": "the townships of the report, their names, counties and households",
    "villages": "supervision block: the listed villages",
    "phases": "phases block: current phase, expected completion",
    "tasks": "phases block: tasks per phase",
    "issues": "issues block",
    "projects": "funds block: allocations",
    "disbursements": "funds block: disbursements",
    "loans": "loans block",
    "repayments": "loans block: repayments",
    "sites": "supervision block (listed objects) and relocation block",
    "site_checks": "relocation block: occupancy and employment",
    "supervisions": "supervision block",
    "reports": "reports block",
    "monitored": "monitoring block",
    "guarantees": "guarantees block",
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
        row = {k: None if _missing(v) else v for k, v in r.items()}
        for k in DATE_KEYS.get(name, ()):
            row[k] = _date(row.get(k))
        m = MONEY.get(name)
        if m is not None:
            if m in row and not _missing(row[m]) and f"{m}_fen" not in row:
                row[f"{m}_fen"] = _fen_of_yuan(row[m])
            row["fen"] = int(row[f"{m}_fen"])
        for k in ("township_code", "project_id", "loan_id", "township_name", "county_code",
                  "county_name", "target_code"):
            if k in row:
                row[k] = _text(row[k])
        if "phase_no" in row:
            row["phase_no"] = int(row["phase_no"])
        if name == "reports":
            row["month"] = _month(row["month"])
        out.append(row)
    return out


def _month(v: Any) -> tuple[int, int]:
    """A month as (year, month): 'YYYY-MM' text or any date of the month."""
    if isinstance(v, str) and len(v.strip()) == 7:
        y, m = v.strip().split("-")
        return int(y), int(m)
    d = _date(v)
    return d.year, d.month


def read_ledgers(data: Any) -> dict[str, list[dict]]:
    L = {name: _rows(data, name) for name in NAMES}
    # disbursements / repayments: the township of their project / loan
    for child, parent, key in (("disbursements", "projects", "project_id"),
                               ("repayments", "loans", "loan_id"),
                               ("site_checks", "sites", "site_code")):
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


# --------------------------------------------------------------------------- campaign

RATINGS = ("good", "fair", "average", "poor")
ITEMS = ("food_clothing", "education", "medical", "housing", "water")

# ---------------------------------------------------------------------------- dates

def first_day(ym: tuple[int, int]) -> dt.date:
    return dt.date(ym[0], ym[1], 1)


def last_day(ym: tuple[int, int]) -> dt.date:
    return dt.date(ym[0], ym[1], calendar.monthrange(ym[0], ym[1])[1])


def prev_month(ym: tuple[int, int]) -> tuple[int, int]:
    return (ym[0] - 1, 12) if ym[1] == 1 else (ym[0], ym[1] - 1)


def next_month(ym: tuple[int, int]) -> tuple[int, int]:
    return (ym[0] + 1, 1) if ym[1] == 12 else (ym[0], ym[1] + 1)


def within(d: dt.date | None, D: dt.date, n: int) -> bool:
    """D − (n − 1) ≤ d ≤ D."""
    return d is not None and d <= D and (D - d).days <= n - 1


def in_scope(row: dict, towns: set[str] | None) -> bool:
    return towns is None or row.get("township_code") in towns


# ---------------------------------------------------------------------- supervision

def supervision(L: dict, D: dt.date, towns: set[str] | None) -> dict:
    listed = [("village", v["village_code"], v["township_code"]) for v in L["villages"]
              if v.get("listed") and in_scope(v, towns)]
    listed += [("site", s["site_code"], s["township_code"]) for s in L["sites"]
               if in_scope(s, towns)]
    visits = [s for s in L["supervisions"] if s["visit_date"] <= D]
    mine = [s for s in visits if in_scope(s, towns)]
    this_m = (D.year, D.month)
    last_m = prev_month(this_m)

    def visited(obj_code: str, ym: tuple[int, int]) -> bool:
        for s in visits:
            if s.get("target_code") == obj_code and \
                    first_day(ym) <= s["visit_date"] <= last_day(ym):
                return True
        return False

    n_visited = sum(1 for _, c, _ in listed if visited(c, this_m))
    unvisited = None
    if L["phases"] and visits:
        start = min(p["start_date"] for p in L["phases"])
        end = max(p["end_date"] for p in L["phases"])
        if not (last_day(last_m) < start or first_day(last_m) > end):
            unvisited = sum(1 for _, c, _ in listed if not visited(c, last_m))

    units: dict[tuple[str, str], list[dict]] = {}
    for s in mine:
        unit = s.get("target_code") or s["township_code"]
        units.setdefault((s["township_code"], unit), []).append(s)
    summons = []
    ratings = {k: 0 for k in RATINGS}
    for (town, unit), rows in units.items():
        rows.sort(key=lambda s: (s["visit_date"], s["supervision_id"]))
        ratings[rows[-1]["rating"]] += 1
        if len(rows) >= 2 and rows[-1].get("yellow_card") and rows[-2].get("yellow_card"):
            summons.append({"unit": unit, "township_code": town,
                            "dates": [iso(rows[-2]["visit_date"]),
                                      iso(rows[-1]["visit_date"])]})
    summons.sort(key=lambda s: (s["unit"], s["township_code"]))
    return {
        "listed_objects": len(listed),
        "visits_this_month": sum(1 for s in mine if (s["visit_date"].year,
                                                     s["visit_date"].month) == this_m),
        "visited_this_month": n_visited,
        "coverage_this_month": round6(ratio(n_visited, len(listed))),
        "unvisited_last_month": unvisited,
        "yellow_cards_28d": sum(1 for s in mine if s.get("yellow_card")
                                and within(s["visit_date"], D, 28)),
        "summons_due": len(summons),
        "summons": summons,
        "ratings": ratings,
    }


# -------------------------------------------------------------------------- reports

def reports(L: dict, D: dt.date, towns: set[str] | None) -> dict:
    keys = ("reports_expected", "reports_on_time", "reports_late", "reports_missing",
            "reporting_rate", "on_time_rate", "last_due_month", "last_missing")
    if not any(r["submitted_date"] <= D for r in L["reports"]):
        return dict.fromkeys(keys)
    months = []
    if L["phases"]:
        ym = min(p["start_date"] for p in L["phases"])
        ym = (ym.year, ym.month)
        end = max(p["end_date"] for p in L["phases"])
        while ym <= (end.year, end.month):
            months.append(ym)
            ym = next_month(ym)
    due_months = [m for m in months if dt.date(m[0], m[1], 28) < D]
    towns = sorted(t["township_code"] for t in L["townships"] if in_scope(t, towns))
    on_time = late = missing = 0
    status: dict[tuple[str, tuple[int, int]], str] = {}
    for town in towns:
        for m in due_months:
            due = dt.date(m[0], m[1], 28)
            subs = [r["submitted_date"] for r in L["reports"]
                    if r["township_code"] == town and r["month"] == m
                    and r["submitted_date"] <= D]
            if subs and min(subs) <= due:
                on_time += 1
                status[town, m] = "on_time"
            elif subs:
                late += 1
                status[town, m] = "late"
            else:
                missing += 1
                status[town, m] = "missing"
    n = on_time + late + missing
    last = max(due_months) if due_months else None
    return {
        "reports_expected": n, "reports_on_time": on_time, "reports_late": late,
        "reports_missing": missing,
        "reporting_rate": round6(ratio(on_time + late, n)),
        "on_time_rate": round6(ratio(on_time, n)),
        "last_due_month": None if last is None else f"{last[0]:04d}-{last[1]:02d}",
        "last_missing": 0 if last is None else
        sum(1 for town in towns if status[town, last] == "missing"),
    }


# ----------------------------------------------------------------------- households

def monitoring(L: dict, D: dt.date, towns: set[str] | None) -> dict:
    out = {"monitored": 0, "cleared": 0, "at_risk": 0, "unassisted": 0,
           "unassisted_over_15d": 0, "identified_28d": 0, "cleared_28d": 0}
    by_risk: dict[str, int] = {}
    by_cat: dict[str, int] = {}
    for h in L["monitored"]:
        if not in_scope(h, towns) or h["identified_date"] > D:
            continue
        out["monitored"] += 1
        if within(h["identified_date"], D, 28):
            out["identified_28d"] += 1
        cleared = h.get("cleared_date") is not None and h["cleared_date"] <= D
        if cleared:
            out["cleared"] += 1
            if within(h["cleared_date"], D, 28):
                out["cleared_28d"] += 1
            continue
        out["at_risk"] += 1
        by_risk[h["risk"]] = by_risk.get(h["risk"], 0) + 1
        by_cat[h["category"]] = by_cat.get(h["category"], 0) + 1
        if h.get("assisted_date") is None or h["assisted_date"] > D:
            out["unassisted"] += 1
            if (D - h["identified_date"]).days > 15:
                out["unassisted_over_15d"] += 1
    out["at_risk_by_risk"] = by_risk
    out["at_risk_by_category"] = by_cat
    return out


def guarantees(L: dict, D: dt.date, towns: set[str] | None) -> dict:
    latest: dict[str, dict] = {}
    for c in L["guarantees"]:
        if c["check_date"] > D:
            continue
        h = c["household_id"]
        if h not in latest or c["check_date"] > latest[h]["check_date"]:
            latest[h] = c
    counted = [c for c in latest.values() if in_scope(c, towns)]
    out = {"checked": len(counted)}
    for item in ITEMS:
        out[f"gap_{item}"] = sum(1 for c in counted if not c[f"{item}_ok"])
    any_gap = sum(1 for c in counted if not all(c[f"{i}_ok"] for i in ITEMS))
    checked_90d = sum(1 for c in counted if within(c["check_date"], D, 90))
    households = sum(int(t.get("households") or 0) for t in L["townships"] if in_scope(t, towns))
    out.update(any_gap=any_gap,
               secured_rate=round6(ratio(len(counted) - any_gap, len(counted))),
               checked_90d=checked_90d, check_coverage=round6(ratio(checked_90d, households)))
    return out


def relocation(L: dict, D: dt.date, towns: set[str] | None) -> dict:
    n = planned = moved = employed = unchecked = 0
    for s in L["sites"]:
        if not in_scope(s, towns):
            continue
        n += 1
        planned += int(s["planned_households"])
        checks = [c for c in L["site_checks"]
                  if c["site_code"] == s["site_code"] and c["check_date"] <= D]
        if checks:
            last = max(checks, key=lambda c: c["check_date"])
            moved += int(last["moved_in"])
            employed += int(last["employed"])
        if not any(within(c["check_date"], D, 90) for c in checks):
            unchecked += 1
    return {"sites": n, "planned": planned, "moved_in": moved,
            "occupancy_rate": round6(ratio(moved, planned)), "employed": employed,
            "employment_rate": round6(ratio(employed, moved)), "sites_unchecked_90d": unchecked}


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
    # the supervision and household rules
    sup, rep = fig["supervision"], fig["reports"]
    if sup["summons_due"] > 0:
        red.append("summons_due")
    if sup["yellow_cards_28d"] > 0:
        yellow.append("yellow_cards_28d")
    if sup["unvisited_last_month"] is not None and sup["unvisited_last_month"] > 0:
        yellow.append("unvisited_last_month")
    if rep["last_missing"] is not None and rep["last_missing"] > 0:
        yellow.append("reports_last_missing")
    if fig["guarantees"]["any_gap"] > 0:
        yellow.append("guarantee_gaps")
    if fig["monitoring"]["unassisted_over_15d"] > 0:
        yellow.append("unassisted_over_15d")
    status = "red" if red else "yellow" if yellow else "green"
    return status, red + yellow


# ------------------------------------------------------------------------------- JSON

def scope_figures(L: dict[str, list[dict]], D: dt.date, towns: set[str] | None,
                  county: str | None = None) -> dict:
    """Figures of the townships ``towns`` (None = every row); tasks without a township
    count only for the whole store (towns None) or for their county_code ``county``."""

    def mine(rows: list[dict]) -> list[dict]:
        if towns is None:
            return rows
        return [r for r in rows if r.get("township_code") in towns]

    tasks = mine(L["tasks"])
    if towns is not None and county is not None:
        tasks += [t for t in L["tasks"] if t.get("township_code") is None
                  and t.get("county_code") == county]
    return {
        "issues": issues_figures(mine(L["issues"]), D),
        "funds": funds_figures(mine(L["projects"]), mine(L["disbursements"]), D),
        "loans": loans_figures(mine(L["loans"]), mine(L["repayments"]), D),
        "phases": phases_figures(L["phases"], tasks, D),
        # "not in use yet" looks at the whole store: these read every row and the scope
        "supervision": supervision(L, D, towns),
        "reports": reports(L, D, towns),
        "monitoring": monitoring(L, D, towns),
        "guarantees": guarantees(L, D, towns),
        "relocation": relocation(L, D, towns),
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
        # the campaign blocks are already in their JSON form
        "supervision": fig["supervision"], "reports": fig["reports"],
        "monitoring": fig["monitoring"], "guarantees": fig["guarantees"],
        "relocation": fig["relocation"],
    }


def oracle_report(data: Any, as_of: Any, townships: Iterable[str] | None = None,
                  county: str | None = None) -> dict:
    """The ``metrics`` JSON; ``county``: one county of a store of several (``county`` is
    then its figure, ``townships`` its townships, ``counties`` just it)."""
    return report_of_rows(read_ledgers(data), as_of, townships, county)


def report_of_rows(L: dict[str, list[dict]], as_of: Any,
                   townships: Iterable[str] | None = None, county: str | None = None) -> dict:
    """``oracle_report`` of rows ``read_ledgers`` read (not changed here): a large store is
    read once for several dates."""
    D = _date(as_of)
    names = {t["township_code"]: t.get("township_name") for t in L["townships"]}
    county_of = {t["township_code"]: t.get("county_code") for t in L["townships"]}
    counties: dict[str, str | None] = {}
    for t in sorted(L["townships"], key=lambda t: t["township_code"]):
        if t.get("county_code") is not None:
            counties.setdefault(t["county_code"], t.get("county_name"))
    if county is not None and county not in counties:
        raise ValueError(f"unknown county: {county}")
    in_scope = sorted(c for c in names if county is None or county_of[c] == county)
    if townships is None or not list(townships):
        codes = in_scope
    else:
        codes = sorted(set(townships))
        unknown = [c for c in codes if c not in in_scope]
        if unknown:
            raise ValueError(f"unknown township(s): {unknown}")

    def county_figures(code: str) -> dict:
        return scope_figures(L, D, {t for t in names if county_of[t] == code}, code)

    whole = scope_figures(L, D, None) if county is None else county_figures(county)
    out = {"as_of": D.isoformat(), "county": to_json(whole)}
    out["county"]["status"] = status_of(whole)[0]
    out["townships"] = []
    for code in codes:
        fig = scope_figures(L, D, {code})
        status, reasons = status_of(fig)
        entry = {"township_code": code, "township_name": names[code]}
        entry.update(to_json(fig))
        entry["status"] = status
        entry["status_reasons"] = reasons
        out["townships"].append(entry)
    if len(counties) > 1:
        out["counties"] = []
        for code in sorted(counties) if county is None else [county]:
            fig = county_figures(code)
            status, reasons = status_of(fig)
            out["counties"].append({"county_code": code, "county_name": counties[code],
                                    **to_json(fig), "status": status,
                                    "status_reasons": reasons})
    return out
