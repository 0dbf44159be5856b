"""The ``metrics`` command's JSON form of each block (shared/contract/metrics.md): dates as
``"YYYY-MM-DD"``, amounts as numbers rounded to 2 decimals, rates to 6 (half away from
zero), ``None`` for zero denominators. Pandas-free: the frames' engine (report) and the SQL
roll-up (rollup) both write their figures through it."""
from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from duzhan.metrics.numbers import round_half_up
from duzhan.metrics.status import scope_status

RATE_DIGITS = 6
AMOUNT_DIGITS = 2


def _rate(x: float | None) -> float | None:
    """Rounded exactly, half away from zero (see ``_util.round_half_up``): ties such as
    1/640 = 0.0015625 go up whatever the float's binary error."""
    return round_half_up(x, RATE_DIGITS)


def _amount(x: Decimal | None) -> float | None:
    return None if x is None else round(float(x), AMOUNT_DIGITS)


def _date(x: _dt.date | None) -> str | None:
    return None if x is None else x.isoformat()


def json_issues(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "found": m["found"],
        "closed": m["closed"],
        "open": m["open"],
        "closure_rate": _rate(m["closure_rate"]),
        "overdue_open": m["overdue_open"],
        "closed_last_28d": m["closed_last_28d"],
        "forecast_clear_date": _date(m["forecast_clear_date"]),
        "clearance_target": _date(m["clearance_target"]),
        "found_last_28d": m["found_last_28d"],
        "net_forecast_clear_date": _date(m["net_forecast_clear_date"]),
    }


def json_funds(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "allocated": _amount(m["allocated"]),
        "disbursed": _amount(m["disbursed"]),
        "disbursement_rate": _rate(m["disbursement_rate"]),
        "time_progress": _rate(m["time_progress"]),
        "progress_gap": _rate(m["progress_gap"]),
        "stalled_projects": m["stalled_projects"],
    }


def json_loans(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "active_loans": m["active_loans"],
        "balance": _amount(m["balance"]),
        "overdue_loans": m["overdue_loans"],
        "overdue_balance": _amount(m["overdue_balance"]),
        "overdue_rate": _rate(m["overdue_rate"]),
        "par30": _rate(m["par30"]),
        "par90": _rate(m["par90"]),
        "due_30d_loans": m["due_30d_loans"],
        "due_30d_balance": _amount(m["due_30d_balance"]),
        "extended_loans": m["extended_loans"],
        "buckets": {
            k: {"loans": b["loans"], "balance": _amount(b["balance"])}
            for k, b in m["buckets"].items()
        },
    }


def json_phases(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "current_phase": m["current_phase"],
        "by_phase": [
            {
                "phase_no": p["phase_no"],
                "tasks_total": p["tasks_total"],
                "tasks_done": p["tasks_done"],
                "completion": _rate(p["completion"]),
                "expected": _rate(p["expected"]),
                "tasks_overdue": p["tasks_overdue"],
            }
            for p in m["by_phase"]
        ],
    }


def json_supervision(m: dict[str, Any]) -> dict[str, Any]:
    """``supervision`` block (duzhan.metrics.supervision) as JSON: dates YYYY-MM-DD."""
    return {
        "listed_objects": m["listed_objects"],
        "visits_this_month": m["visits_this_month"],
        "visited_this_month": m["visited_this_month"],
        "coverage_this_month": _rate(m["coverage_this_month"]),
        "unvisited_last_month": m["unvisited_last_month"],
        "yellow_cards_28d": m["yellow_cards_28d"],
        "summons_due": m["summons_due"],
        "summons": [{"unit": s["unit"], "township_code": s["township_code"],
                     "dates": [_date(d) for d in s["dates"]]} for s in m["summons"]],
        "ratings": {k: m["ratings"][k] for k in ("good", "fair", "average", "poor")},
    }


def json_reports(m: dict[str, Any]) -> dict[str, Any]:
    """``reports`` block (duzhan.metrics.reports) as JSON (all null when not in use)."""
    out = dict(m)
    out["reporting_rate"] = _rate(m["reporting_rate"])
    out["on_time_rate"] = _rate(m["on_time_rate"])
    keys = ("reports_expected", "reports_on_time", "reports_late", "reports_missing",
            "reporting_rate", "on_time_rate", "last_due_month", "last_missing")
    return {k: out[k] for k in keys}


def json_monitoring(m: dict[str, Any]) -> dict[str, Any]:
    keys = ("monitored", "cleared", "at_risk", "unassisted", "unassisted_over_15d",
            "identified_28d", "cleared_28d")
    out = {k: m[k] for k in keys}
    out["at_risk_by_risk"] = dict(m["at_risk_by_risk"])
    out["at_risk_by_category"] = dict(m["at_risk_by_category"])
    return out


def json_guarantees(m: dict[str, Any]) -> dict[str, Any]:
    keys = ("checked", "gap_food_clothing", "gap_education", "gap_medical", "gap_housing",
            "gap_water", "any_gap", "secured_rate", "checked_90d", "check_coverage")
    out = {k: m[k] for k in keys}
    out["secured_rate"] = _rate(m["secured_rate"])
    out["check_coverage"] = _rate(m["check_coverage"])
    return out


def json_relocation(m: dict[str, Any]) -> dict[str, Any]:
    keys = ("sites", "planned", "moved_in", "occupancy_rate", "employed", "employment_rate",
            "sites_unchecked_90d")
    out = {k: m[k] for k in keys}
    out["occupancy_rate"] = _rate(m["occupancy_rate"])
    out["employment_rate"] = _rate(m["employment_rate"])
    return out


BLOCKS = ("issues", "funds", "loans", "phases", "supervision", "reports", "monitoring",
          "guarantees", "relocation")
_JSON = {"issues": json_issues, "funds": json_funds, "loans": json_loans,
         "phases": json_phases, "supervision": json_supervision, "reports": json_reports,
         "monitoring": json_monitoring, "guarantees": json_guarantees,
         "relocation": json_relocation}


def json_scope(fig: dict[str, Any]) -> dict[str, Any]:
    """Every block of one scope's native figures, JSON-ready."""
    return {b: _JSON[b](fig[b]) for b in BLOCKS}


def status_entry(fig: dict[str, Any]) -> dict[str, Any]:
    """A scope's status and its reasons' codes, as the JSON lists them."""
    status, reasons = scope_status(fig)
    return {"status": status, "status_reasons": [r.code for r in reasons]}


def asked_townships(known: list[str], townships: Iterable[str] | str | None,
                    county: str | None = None) -> list[str]:
    """The townships asked for among ``known`` (the store's, or ``county``'s, in code
    order; None/[] = all of them), sorted; ValueError naming unknown codes, or codes
    outside ``county``."""
    if townships is None:
        return known
    if isinstance(townships, str):
        townships = [townships]
    codes = sorted(set(townships))
    if not codes:
        return known
    unknown = [c for c in codes if c not in set(known)]
    if unknown and county is not None:
        raise ValueError(f"township code(s) not in county {county}: {', '.join(unknown)}")
    if unknown:
        raise ValueError(f"unknown township code(s): {', '.join(unknown)}")
    return codes
