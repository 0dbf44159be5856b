"""What the briefing pack says, from the dashboard's own view models (duzhan.viewmodels):
the cover's headline lines and status summary, each topic page's note, the attention
rows, the burndown with the issue page's defaults."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from duzhan.exports.brief.inputs import BriefInputs
from duzhan.i18n import t
from duzhan.presentation import format as fmt
from duzhan.presentation.words import reason_texts
from duzhan.viewmodels import common


def tt(inputs: BriefInputs, key: str, **kw) -> str:
    return t(key, inputs.lang, **kw)


def day_text(d: Any, lang: str) -> str:
    if d is None:
        return fmt.DASH
    return fmt.day(d if isinstance(d, (str, dt.date)) else pd.Timestamp(d).date(), lang)


def current_phase(inputs: BriefInputs) -> common.CurrentPhase | None:
    return common.current_phase(inputs.figures["phases"], inputs.ledgers.phases, inputs.lang)


def status_counts(inputs: BriefInputs) -> dict[str, int]:
    return common.status_counts(inputs.report)


def scope_reasons(inputs: BriefInputs) -> list[str]:
    """The scope's own status reasons in words (the cover lists them)."""
    return reason_texts(inputs.figures["status_details"], inputs.lang)


def _forecast(inputs: BriefInputs) -> str:
    """The net forecast (new issues keep arriving), as the issues page shows it."""
    iss = inputs.figures["issues"]
    return (day_text(iss["net_forecast_clear_date"], inputs.lang)
            if iss["net_forecast_clear_date"] else tt(inputs, "exports.brief.forecast_none"))


def kpi_lines(inputs: BriefInputs) -> list[tuple[str, str]]:
    """(label, sentence) of the headline figures on the cover."""
    lang, f = inputs.lang, inputs.figures
    iss, fun, loa = f["issues"], f["funds"], f["loans"]
    phase = current_phase(inputs)
    if phase is None or phase.entry is None:
        phase_text = tt(inputs, "exports.brief.kpi.no_phase")
    else:
        entry = phase.entry
        phase_text = tt(inputs, "exports.brief.kpi.phases_text", phase=phase.label,
                        completion=fmt.pct(entry["completion"]),
                        expected=fmt.pct(entry["expected"]),
                        overdue=fmt.count(entry["tasks_overdue"]))
    return [
        (tt(inputs, "exports.brief.kpi.issues"),
         tt(inputs, "exports.brief.kpi.issues_text", open=fmt.count(iss["open"]),
            overdue=fmt.count(iss["overdue_open"]), rate=fmt.pct(iss["closure_rate"]),
            forecast=_forecast(inputs))),
        (tt(inputs, "exports.brief.kpi.funds"),
         tt(inputs, "exports.brief.kpi.funds_text", rate=fmt.pct(fun["disbursement_rate"]),
            tp=fmt.pct(fun["time_progress"]), gap=fmt.pp(fun["progress_gap"], lang),
            stalled=fmt.count(fun["stalled_projects"]))),
        (tt(inputs, "exports.brief.kpi.loans"),
         tt(inputs, "exports.brief.kpi.loans_text", balance=fmt.wan(loa["balance"], lang),
            rate=fmt.pct(loa["overdue_rate"]), overdue=fmt.count(loa["overdue_loans"]))),
        (tt(inputs, "exports.brief.kpi.phases"), phase_text),
    ]


def page_notes(inputs: BriefInputs) -> dict[str, str]:
    """topic → the line under the page's title (its figures in words)."""
    lang, f = inputs.lang, inputs.figures
    iss, fun, loa = f["issues"], f["funds"], f["loans"]
    phase = current_phase(inputs)
    entry = phase.entry if phase else None
    return {
        "map": tt(inputs, "exports.brief.map_note"),
        "phases": "" if entry is None else tt(
            inputs, "exports.brief.phases_note", phase=phase.label,
            completion=fmt.pct(entry["completion"]), expected=fmt.pct(entry["expected"]),
            overdue=fmt.count(entry["tasks_overdue"])),
        "issues": tt(inputs, "exports.brief.issues_note", open=fmt.count(iss["open"]),
                     overdue=fmt.count(iss["overdue_open"]),
                     c28=fmt.count(iss["closed_last_28d"]), forecast=_forecast(inputs),
                     target=day_text(iss["clearance_target"], lang)),
        "funds": tt(inputs, "exports.brief.funds_note", allocated=fmt.wan(fun["allocated"], lang),
                    disbursed=fmt.wan(fun["disbursed"], lang),
                    rate=fmt.pct(fun["disbursement_rate"]), tp=fmt.pct(fun["time_progress"]),
                    gap=fmt.pp(fun["progress_gap"], lang), stalled=fmt.count(fun["stalled_projects"])),
        "loans": tt(inputs, "exports.brief.loans_note", active=fmt.count(loa["active_loans"]),
                    balance=fmt.wan(loa["balance"], lang), overdue=fmt.count(loa["overdue_loans"]),
                    overdue_balance=fmt.wan(loa["overdue_balance"], lang),
                    rate=fmt.pct(loa["overdue_rate"]), due=fmt.count(loa["due_30d_loans"])),
        "attention": tt(inputs, "exports.brief.attention_note"),
    }


def attention_rows(inputs: BriefInputs) -> list[dict[str, Any]]:
    """The overview page's “needs attention” rows (viewmodels.common.attention_rows) as the
    pack prints them: rank, township, status, reasons, and the figures as text."""
    return [{
        "rank": r.rank, "township": r.township, "status": r.status, "reasons": r.reasons,
        "overdue_open": fmt.count(r.overdue_open), "overdue_rate": fmt.pct(r.overdue_rate),
        "progress_gap": fmt.pp(r.progress_gap, inputs.lang), "score": fmt.decimal(r.score),
    } for r in common.attention_rows(inputs.report, inputs.lang)]


def burndown_inputs(inputs: BriefInputs) -> dict[str, Any]:
    """series, ideal line, target, forecast and band of the issue burndown, with the issue
    page's defaults (viewmodels.common.burndown): the ideal line runs from the peak of open
    issues to the clearance target."""
    iss = inputs.figures["issues"]
    b = common.burndown(inputs.ledgers.issues, inputs.ledgers.phases, inputs.as_of,
                        iss["clearance_target"])
    return {"series": b.series, "ideal": b.ideal, "target": b.target,
            "forecast": iss["net_forecast_clear_date"], "band": b.band}


__all__ = ["tt", "day_text", "current_phase", "status_counts", "scope_reasons", "kpi_lines",
           "page_notes", "attention_rows", "burndown_inputs"]
