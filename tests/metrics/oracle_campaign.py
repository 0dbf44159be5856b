"""A naive, exact oracle of the campaign blocks of shared/contract/metrics.md:
``supervision``, ``reports``, ``monitoring``, ``guarantees``, ``relocation`` and their status
rules. Written from the contract text alone: plain loops over rows, ``datetime.date``,
``fractions.Fraction``; no pandas beyond reading rows out of DataFrames.

A sibling of tests/metrics/oracle.py (kept apart so that the ledger registry can grow
there). ``data`` is a mapping ledger name -> list of dicts (dates as ISO text or dates,
``month`` as ``YYYY-MM`` text or any date of the month) or -> DataFrame.

Readings of the contract the text leaves open:
* ``last_missing`` is 0 when no month is due yet (no township can miss it) while the
  ledger is in use.
* The supervision ``unit`` of the township itself is its township_code; units are told
  apart by (township_code, unit).
* ``at_risk_by_risk`` / ``at_risk_by_category`` keys are the ledger's texts as given.
* Status reason codes: red ``summons_due``; yellow ``yellow_cards_28d``,
  ``unvisited_last_month``, ``reports_last_missing``, ``guarantee_gaps``,
  ``unassisted_over_15d``.
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .oracle import _date, _missing, iso, round6

LEDGERS = ("townships", "villages", "phases", "sites", "site_checks", "supervisions",
           "reports", "monitored", "guarantees")
RATINGS = ("good", "fair", "average", "poor")
ITEMS = ("food_clothing", "education", "medical", "housing", "water")


# ---------------------------------------------------------------------------- input

def _records(v: Any) -> list[dict]:
    if v is None:
        return []
    if hasattr(v, "itertuples"):
        return [dict(zip(v.columns, t, strict=False)) for t in v.itertuples(index=False, name=None)]
    return [dict(r) for r in v]


def _clean(v: Any) -> Any:
    return None if _missing(v) else v


def _month(v: Any) -> tuple[int, int]:
    if isinstance(v, str) and len(v.strip()) == 7:
        y, m = v.strip().split("-")
        return int(y), int(m)
    if hasattr(v, "start_time"):  # pandas.Period
        return v.year, v.month
    d = _date(v)
    return d.year, d.month


def read(data: Mapping[str, Any]) -> dict[str, list[dict]]:
    L: dict[str, list[dict]] = {}
    for name in LEDGERS:
        rows = []
        for r in _records(data.get(name)):
            r = {k: _clean(v) for k, v in r.items()}
            for k in list(r):
                if k.endswith("_date"):
                    r[k] = _date(r[k])
            if name == "reports":
                r["month"] = _month(r["month"])
            rows.append(r)
        L[name] = rows
    return L


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


def ratio(a: int, b: int):
    from fractions import Fraction
    return None if b == 0 else Fraction(a, b)


def in_scope(row: dict, code: str | None) -> bool:
    return code is None or row.get("township_code") == code


# ---------------------------------------------------------------------- supervision

def supervision(L: dict, D: dt.date, code: str | None) -> dict:
    listed = [("village", v["village_code"], v["township_code"]) for v in L["villages"]
              if v.get("listed") and in_scope(v, code)]
    listed += [("site", s["site_code"], s["township_code"]) for s in L["sites"]
               if in_scope(s, code)]
    visits = [s for s in L["supervisions"] if s["visit_date"] <= D]
    mine = [s for s in visits if in_scope(s, code)]
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

def reports(L: dict, D: dt.date, code: str | None) -> dict:
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
    towns = sorted(t["township_code"] for t in L["townships"] if in_scope(t, code))
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

def monitoring(L: dict, D: dt.date, code: str | None) -> dict:
    out = {"monitored": 0, "cleared": 0, "at_risk": 0, "unassisted": 0,
           "unassisted_over_15d": 0, "identified_28d": 0, "cleared_28d": 0}
    by_risk: dict[str, int] = {}
    by_cat: dict[str, int] = {}
    for h in L["monitored"]:
        if not in_scope(h, code) or h["identified_date"] > D:
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


def guarantees(L: dict, D: dt.date, code: str | None) -> dict:
    latest: dict[str, dict] = {}
    for c in L["guarantees"]:
        if c["check_date"] > D:
            continue
        h = c["household_id"]
        if h not in latest or c["check_date"] > latest[h]["check_date"]:
            latest[h] = c
    counted = [c for c in latest.values() if in_scope(c, code)]
    out = {"checked": len(counted)}
    for item in ITEMS:
        out[f"gap_{item}"] = sum(1 for c in counted if not c[f"{item}_ok"])
    any_gap = sum(1 for c in counted if not all(c[f"{i}_ok"] for i in ITEMS))
    checked_90d = sum(1 for c in counted if within(c["check_date"], D, 90))
    households = sum(int(t["households"] or 0) for t in L["townships"] if in_scope(t, code))
    out.update(any_gap=any_gap,
               secured_rate=round6(ratio(len(counted) - any_gap, len(counted))),
               checked_90d=checked_90d, check_coverage=round6(ratio(checked_90d, households)))
    return out


def relocation(L: dict, D: dt.date, code: str | None) -> dict:
    n = planned = moved = employed = unchecked = 0
    for s in L["sites"]:
        if not in_scope(s, code):
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


# --------------------------------------------------------------------------- status

def campaign_reasons(blocks: dict) -> tuple[list[str], list[str]]:
    red, yellow = [], []
    sup, rep = blocks["supervision"], blocks["reports"]
    if sup["summons_due"] > 0:
        red.append("summons_due")
    if sup["yellow_cards_28d"] > 0:
        yellow.append("yellow_cards_28d")
    if sup["unvisited_last_month"] is not None and sup["unvisited_last_month"] > 0:
        yellow.append("unvisited_last_month")
    if rep["last_missing"] is not None and rep["last_missing"] > 0:
        yellow.append("reports_last_missing")
    if blocks["guarantees"]["any_gap"] > 0:
        yellow.append("guarantee_gaps")
    if blocks["monitoring"]["unassisted_over_15d"] > 0:
        yellow.append("unassisted_over_15d")
    return red, yellow


def blocks(L: dict, D: dt.date, code: str | None) -> dict:
    return {"supervision": supervision(L, D, code), "reports": reports(L, D, code),
            "monitoring": monitoring(L, D, code), "guarantees": guarantees(L, D, code),
            "relocation": relocation(L, D, code)}


def oracle_campaign(data: Mapping[str, Any], as_of: Any,
                    townships: Iterable[str] | None = None) -> dict:
    """``{"county": {5 blocks, "red", "yellow"}, "townships": [{township_code, 5 blocks,
    red, yellow}]}``, townships sorted by code (every township of the ledger when None)."""
    D = _date(as_of)
    L = read(data)
    codes = sorted(townships) if townships else sorted(t["township_code"]
                                                        for t in L["townships"])
    county = blocks(L, D, None)
    county["red"], county["yellow"] = campaign_reasons(county)
    out = []
    for code in codes:
        b = blocks(L, D, code)
        b["red"], b["yellow"] = campaign_reasons(b)
        out.append({"township_code": code, **b})
    return {"county": county, "townships": out}
