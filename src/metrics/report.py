"""The ``metrics`` command output (shared/contract/metrics.md) and scope aggregates.

:func:`metrics_report` returns exactly the contract's JSON object, JSON-ready: dates as
``"YYYY-MM-DD"``, amounts as numbers rounded to 2 decimals, rates rounded to 6 decimals,
``None`` (null) for zero denominators. Townships are computed in one groupby per ledger.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from duzhan.metrics import funds as _funds
from duzhan.metrics import issues as _issues
from duzhan.metrics import loans as _loans
from duzhan.metrics import phases as _phases
from duzhan.metrics._util import round_half_up
from duzhan.metrics.frames import Ledgers, to_date
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


def _figures(ledgers: Ledgers, D: Any, project_table: Any = None,
             loan_table: Any = None) -> dict[str, Any]:
    """Native figures (Decimal amounts, date objects, exact 'behind') of all rows."""
    return {
        "issues": _issues.issue_metrics(ledgers.issues, D),
        "funds": _funds.fund_metrics(ledgers.projects, ledgers.disbursements, D,
                                     table=project_table),
        "loans": _loans.loan_metrics(ledgers.loans, ledgers.repayments, D, table=loan_table),
        "phases": _phases.phase_metrics(ledgers.phases, ledgers.tasks, D),
    }


def _json_scope(fig: dict[str, Any]) -> dict[str, Any]:
    return {
        "issues": json_issues(fig["issues"]),
        "funds": json_funds(fig["funds"]),
        "loans": json_loans(fig["loans"]),
        "phases": json_phases(fig["phases"]),
    }


def _check_codes(ledgers: Ledgers, townships: Iterable[str] | str | None) -> list[str]:
    known = ledgers.township_codes()
    if townships is None:
        return known
    if isinstance(townships, str):
        townships = [townships]
    codes = sorted(set(townships))
    if not codes:
        return known
    unknown = [c for c in codes if c not in set(known)]
    if unknown:
        raise ValueError(f"unknown township code(s): {', '.join(unknown)}")
    return codes


def metrics_report(ledgers: Ledgers, as_of: Any,
                   townships: Iterable[str] | None = None) -> dict[str, Any]:
    """The contract's ``metrics`` command object::

        {"as_of": "YYYY-MM-DD",
         "county": {"issues", "funds", "loans", "phases", "status"},
         "townships": [{"township_code", "township_name", "issues", "funds", "loans",
                        "phases", "status", "status_reasons": [code, ...]}, ...]}

    ``county`` always uses all rows (county-wide tasks included). ``townships`` lists the
    codes asked for (None/[] = every township of the townships ledger), sorted by code,
    each with only its own rows, also when it has none. An unknown code raises ValueError.
    """
    D = to_date(as_of)
    codes = _check_codes(ledgers, townships)
    ptable = _funds.project_table(ledgers.projects, ledgers.disbursements, D)
    ltable = _loans.loan_table(ledgers.loans, ledgers.repayments, D)
    county_fig = _figures(ledgers, D, ptable, ltable)
    county = _json_scope(county_fig)
    county["status"] = scope_status(county_fig)[0]

    iss = _issues.issue_metrics_by(ledgers.issues, D, "township_code", groups=codes)
    fun = _funds.fund_metrics_by(ledgers.projects, ledgers.disbursements, D, groups=codes,
                                 table=ptable)
    loa = _loans.loan_metrics_by(ledgers.loans, ledgers.repayments, D, "township_code",
                                 groups=codes, table=ltable)
    pha = _phases.phase_metrics_by(ledgers.phases, ledgers.tasks, D, groups=codes)
    names = dict(zip(ledgers.townships["township_code"], ledgers.townships["township_name"], strict=False))
    out = []
    for code in codes:
        fig = {"issues": iss[code], "funds": fun[code], "loans": loa[code], "phases": pha[code]}
        status, reasons = scope_status(fig)
        entry = {"township_code": code, "township_name": names.get(code)}
        entry.update(_json_scope(fig))
        entry["status"] = status
        entry["status_reasons"] = [r.code for r in reasons]
        out.append(entry)
    return {"as_of": D.date().isoformat(), "county": county, "townships": out}


def scope_metrics(ledgers: Ledgers, as_of: Any,
                  townships: Iterable[str] | str | None = None) -> dict[str, Any]:
    """JSON-ready figures of one scope: the sum of the given townships' rows (county-wide
    tasks excluded), or the county when ``townships`` is None/[].

    ``{"townships": [codes] | None, "issues", "funds", "loans", "phases" (with "behind"),
    "status", "status_reasons": [code, ...], "status_details": [{code, level, value,
    threshold}, ...]}``."""
    D = to_date(as_of)
    if isinstance(townships, str):
        townships = [townships]
    codes = sorted(set(townships)) if townships else None
    fig = _figures(ledgers.scoped(codes), D)
    status, reasons = scope_status(fig)
    out: dict[str, Any] = {"townships": codes}
    out.update(_json_scope(fig))
    out["phases"]["behind"] = fig["phases"]["behind"]
    out["status"] = status
    out["status_reasons"] = [r.code for r in reasons]
    out["status_details"] = [r.to_dict() for r in reasons]
    return out
