"""What the briefing pack says, from the dashboard's own view models (duzhan.viewmodels):
the cover's headline lines, status summary and red townships with their reasons, each topic
page's note and its cards with the change since last week, the overdue issues and tasks
with their 责任单位, the attention rows, the burndown with the issue page's defaults."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from duzhan.exports.brief.inputs import BriefInputs
from duzhan.i18n import t
from duzhan.presentation import format as fmt
from duzhan.viewmodels import common
from duzhan.viewmodels import funds as funds_vm
from duzhan.viewmodels import households as households_vm
from duzhan.viewmodels import issues as issues_vm
from duzhan.viewmodels import loans as loans_vm
from duzhan.viewmodels import phases as phases_vm
from duzhan.viewmodels import supervision as supervision_vm
from duzhan.viewmodels.spec import Card, Table


def tt(inputs: BriefInputs, key: str, **kw) -> str:
    return t(key, inputs.lang, **kw)


def day_text(d: Any, lang: str) -> str:
    if d is None:
        return fmt.DASH
    if isinstance(d, str) or (isinstance(d, dt.date) and not isinstance(d, dt.datetime)):
        return fmt.day(d, lang)
    return fmt.day(pd.Timestamp(d).date(), lang)  # a datetime or Timestamp: its day


def current_phase(inputs: BriefInputs) -> common.CurrentPhase | None:
    return common.current_phase(inputs.figures["phases"], inputs.ledgers.phases, inputs.lang)


def status_counts(inputs: BriefInputs) -> dict[str, int]:
    return common.status_counts(inputs.report)


def scope_reasons(inputs: BriefInputs) -> list[str]:
    """The scope's own status reasons in words (the cover lists them; a summons names
    who)."""
    return common.reason_words(inputs.figures, inputs.figures["status_details"], inputs.lang,
                               unit_names(inputs))


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
        **households_notes(inputs),
    }


def attention_rows(inputs: BriefInputs) -> list[dict[str, Any]]:
    """The overview page's “needs attention” rows (viewmodels.common.attention_rows) as the
    pack prints them: rank, township, status, reasons, and the figures as text."""
    return [{
        "rank": r.rank, "township": r.township, "status": r.status, "reasons": r.reasons,
        "overdue_open": fmt.count(r.overdue_open), "overdue_rate": fmt.pct(r.overdue_rate),
        "progress_gap": fmt.pp(r.progress_gap, inputs.lang), "score": fmt.decimal(r.score),
    } for r in common.attention_rows(inputs.report, inputs.lang, unit_names(inputs))]


def burndown_inputs(inputs: BriefInputs) -> dict[str, Any]:
    """series, ideal line, target, forecast and band of the issue burndown, with the issue
    page's defaults (viewmodels.common.burndown): the ideal line runs from the peak of open
    issues to the clearance target."""
    iss = inputs.figures["issues"]
    b = common.burndown(inputs.ledgers.issues, inputs.ledgers.phases, inputs.as_of,
                        iss["clearance_target"])
    return {"series": b.series, "ideal": b.ideal, "target": b.target,
            "forecast": iss["net_forecast_clear_date"], "band": b.band}


def red_townships(inputs: BriefInputs) -> list[common.Flagged]:
    """The red townships of the scope with their reasons in words (the overview's flagged
    townships), in code order: the cover names them."""
    return [f for f in common.flagged_townships(inputs.report, inputs.lang, unit_names(inputs))
            if f.status == "red"]


def yellow_townships(inputs: BriefInputs) -> list[common.Flagged]:
    return [f for f in common.flagged_townships(inputs.report, inputs.lang, unit_names(inputs))
            if f.status == "yellow"]


@dataclass(frozen=True)
class Change:
    """A page's card as the pack prints it: the figure, its change since D − 7 in words
    (presentation.format.change; None: a figure with no change, such as days left) and
    whether that change is bad news ("worse", "better", "flat", "neutral")."""

    label: str
    value: str
    change: str | None
    tone: str
    note: str | None = None  # a grey line in the change's place (the phase's name)


def _tone(card: Card, shown: str | None) -> str:
    if shown is None or card.worse is None:
        return "neutral"
    if fmt.is_no_change(shown):
        return "flat"
    rising = not shown.startswith("-")
    return "worse" if rising == (card.worse == "up") else "better"


def _changes(cards: list[Card | None], lang: str, known: bool) -> list[Change]:
    """`known`: the figures of D − 7 are at hand (without them, no change is shown)."""
    out = []
    for c in cards:
        if c is None:
            continue
        shown = fmt.change(c.now, c.then, c.kind, lang) if c.kind and known else None
        out.append(Change(c.label, c.value, shown, _tone(c, shown), c.note))
    return out


def topic_cards(inputs: BriefInputs) -> dict[str, list[Card | None]]:
    """topic → the headline cards of its dashboard page (each view model's `cards`, with
    the figures of D and of D − 7; without the week before, no change)."""
    lang, now = inputs.lang, inputs.figures
    before = inputs.before or {}
    prev_day = common.week_before(inputs.as_of)

    def then(block: str) -> dict:
        return before.get(block) or {k: None for k in now[block]}

    six, forecast, _target = issues_vm.cards(now["issues"], then("issues"), prev_day, lang)
    out = {"issues": [*six, forecast],
           "funds": funds_vm.cards(now["funds"], then("funds"), lang),
           "loans": loans_vm.cards(now["loans"], then("loans"), lang),
           "households": households_vm.cards(
               households_vm.blocks(now), {b: then(b) for b in households_vm.BLOCKS}, lang)}
    if not inputs.ledgers.phases.empty:
        prev_phases = before.get("phases") or {"by_phase": []}
        out["phases"] = phases_vm.cards(now["phases"], prev_phases, current_phase(inputs),
                                        inputs.as_of, prev_day, lang)
    if supervision_in_use(inputs):
        out["supervision"] = supervision_vm.cards(now, before, unit_names(inputs), lang)
    return out


def topic_changes(inputs: BriefInputs) -> dict[str, list[Change]]:
    """topic → its cards with the change since last week, as printed."""
    return {topic: _changes(cards, inputs.lang, inputs.before is not None)
            for topic, cards in topic_cards(inputs).items()}


def _rows(table: Table | None, texts: dict[str, Any]) -> list[dict[str, str]]:
    """A view model's table as the pack prints it: every cell text; `texts` says how a
    column is written (a function of the cell), other columns as they are."""
    if table is None:
        return []
    frame = table.frame
    return [{key: (texts[key](row[key]) if key in texts else str(row[key]))
             for key in frame.columns} for _, row in frame.iterrows()]


def overdue_issue_rows(inputs: BriefInputs) -> list[dict[str, str]]:
    """The issue page's overdue list (open issues past their deadline, longest overdue
    first) with rank, township, 责任单位, category, deadline, days overdue, description."""
    lang = inputs.lang
    table = issues_vm.overdue_table(inputs.ledgers.issues, inputs.names, inputs.as_of, lang)
    rows = _rows(table, {"found_date": lambda d: day_text(d, lang),
                         "deadline": lambda d: day_text(d, lang),
                         "days_overdue": lambda n: fmt.count(int(n)),
                         "description": lambda s: fmt.DASH if pd.isna(s) else str(s)})
    for i, r in enumerate(rows, 1):
        r["rank"] = fmt.count(i)
    return rows


def overdue_issues_note(inputs: BriefInputs) -> str:
    """The overdue page's line: how many, how many responsible units, the longest."""
    late = issues_vm.overdue_table(inputs.ledgers.issues, inputs.names, inputs.as_of,
                                   inputs.lang)
    if late is None:
        return tt(inputs, "exports.brief.overdue_none")
    f = late.frame
    top = f.iloc[0]
    return tt(inputs, "exports.brief.overdue_note", n=fmt.count(len(f)),
              units=fmt.count(f[["township", "department"]].drop_duplicates().shape[0]),
              days=fmt.count(int(top["days_overdue"])), township=top["township"],
              department=top["department"])


def overdue_task_rows(inputs: BriefInputs) -> list[dict[str, str]]:
    """The phases page's overdue tasks (most overdue first) with township, 责任单位,
    phase, due date and days overdue."""
    from duzhan.metrics import phases as pm

    L, lang = inputs.ledgers, inputs.lang
    late = pm.overdue_tasks(L.phases, L.tasks, inputs.as_of)
    table = phases_vm.overdue_table(late, L.phases, inputs.names, lang)
    return _rows(table, {"due_date": lambda d: day_text(d, lang),
                         "days_overdue": lambda n: fmt.count(int(n))})


# --------------------------------------------------------------------------- 督导


def unit_names(inputs: BriefInputs) -> dict[str, str]:
    """unit code → name: a summons due names who (viewmodels.supervision.unit_names)."""
    return supervision_vm.unit_names(inputs.ledgers, inputs.names)


def map_sites(inputs: BriefInputs) -> pd.DataFrame:
    """The relocation sites the pack's map draws: every site of the county, as the
    interactive map (viewmodels.map) shows them."""
    led = inputs.full if inputs.full is not None else inputs.ledgers
    return households_vm.site_frame(led, None, inputs.as_of, inputs.names)


def supervision_in_use(inputs: BriefInputs) -> bool:
    """The pack has its 督导 pages when the store holds supervisions or reports, also for a
    scope without any (a store without these ledgers gets the pack as before)."""
    led = inputs.ledgers
    return led.first_use("supervisions") is not None or led.first_use("reports") is not None


def supervision_note(inputs: BriefInputs) -> str:
    """The 督导 page's line: coverage, not visited last month, yellow cards, summons due,
    reporting and on-time rates."""
    s = supervision_vm.block(inputs.figures, "supervision")
    r = supervision_vm.block(inputs.figures, "reports")
    return tt(inputs, "exports.brief.supervision_note",
              coverage=fmt.pct(s["coverage_this_month"]),
              visited=fmt.count(s["visited_this_month"]), listed=fmt.count(s["listed_objects"]),
              unvisited=fmt.count(s["unvisited_last_month"]),
              yellow=fmt.count(s["yellow_cards_28d"]), summons=fmt.count(s["summons_due"]),
              rate=fmt.pct(r["reporting_rate"]), on_time=fmt.pct(r["on_time_rate"]))


def summons_rows(inputs: BriefInputs) -> list[dict[str, str]]:
    """The 督导 page's 约谈 list (viewmodels.supervision.summons_table) as printed."""
    lang = inputs.lang
    table = supervision_vm.summons_table(inputs.ledgers, inputs.names, inputs.as_of, lang)
    text = lambda v: fmt.DASH if v is None or pd.isna(v) else str(v)  # noqa: E731
    return _rows(table, {"first_date": lambda d: day_text(d, lang),
                         "second_date": lambda d: day_text(d, lang),
                         "first_leader": text, "second_leader": text})



# --------------------------------------------------------------------------- households


def households_source(inputs: BriefInputs):
    """The households page's Source over the pack's inputs: its figures of D and D − 7 are
    the ones the pack already holds (nothing computed twice)."""
    from duzhan.viewmodels.source import LedgerSource

    src = LedgerSource(inputs.full if inputs.full is not None else inputs.ledgers,
                       inputs.as_of, inputs.lang, inputs.codes)
    src._memo.update({("scope", inputs.as_of): inputs.figures,
                      ("report", inputs.as_of): inputs.report,
                      ("county", inputs.as_of): inputs.county_report})
    if inputs.before is not None:
        src._memo[("scope", common.week_before(inputs.as_of))] = inputs.before
    return src


def households_model(inputs: BriefInputs):
    """The 户情 page's own view model (viewmodels.households.build), once per inputs."""
    if "households" not in inputs.models:
        inputs.models["households"] = households_vm.build(households_source(inputs))
    return inputs.models["households"]


def households_notes(inputs: BriefInputs) -> dict[str, str]:
    """The households page's line and its list's."""
    f = inputs.figures
    g, m, r = f["guarantees"], f["monitoring"], f["relocation"]
    lang = inputs.lang
    return {
        "households": tt(inputs, "exports.brief.households_note",
                         gap=fmt.count(g["any_gap"]), checked=fmt.count(g["checked"]),
                         secured=fmt.pct(g["secured_rate"]), at_risk=fmt.count(m["at_risk"]),
                         waiting=fmt.count(m["unassisted_over_15d"]),
                         occupancy=fmt.pct(r["occupancy_rate"]),
                         employment=fmt.pct(r["employment_rate"])),
        "unassisted": tt(inputs, "exports.brief.unassisted_note",
                         n=fmt.count(m["unassisted_over_15d"]), as_of=fmt.day(inputs.as_of, lang)),
    }


def unassisted_rows(inputs: BriefInputs) -> list[dict[str, str]]:
    """The households page's list of households unassisted for more than 15 days (ids
    masked, longest waiting first)."""
    lang = inputs.lang
    table = households_model(inputs).unassisted
    return _rows(table, {"identified_date": lambda d: day_text(d, lang),
                         "days_waiting": lambda n: fmt.count(int(n)),
                         "village": lambda s: fmt.DASH if s is None or pd.isna(s) else str(s)})


__all__ = ["unit_names", "map_sites", "supervision_in_use", "supervision_note", "summons_rows",
           "households_source", "households_model", "households_notes", "unassisted_rows",
           "tt", "day_text", "current_phase", "status_counts", "scope_reasons", "kpi_lines",
           "page_notes", "attention_rows", "burndown_inputs", "red_townships",
           "yellow_townships", "Change", "topic_cards", "topic_changes", "overdue_issue_rows",
           "overdue_issues_note", "overdue_task_rows"]
