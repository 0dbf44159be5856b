"""总览 Overview: status counts and reasons, the headline cards with their change since
last week, the current phase, who needs attention, who owns the overdue issues, and the
townships compared."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from duzhan.i18n import t
from duzhan.metrics import supervision as sm
from duzhan.metrics.status import LOAN_RED
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import STATUS_ORDER
from duzhan.presentation.words import status_word
from duzhan.viewmodels import common
from duzhan.viewmodels import supervision as supervision_vm
from duzhan.viewmodels.source import Source
from duzhan.viewmodels.spec import Card, Column, Table, number


@dataclass(frozen=True)
class Overview:
    scope: str
    as_of_text: str
    week_before_text: str
    townships: list  # the report's township entries
    counts: dict[str, int]
    status_cards: list[Card]  # one per status, more red = worse
    scope_status: str
    scope_reasons: list[str]  # the scope's own status reasons, in words
    flagged: list[common.Flagged]
    changes: list[common.StatusChange]
    issue_cards: list[Card]
    fund_cards: list[Card]
    loan_cards: list[Card]
    phase: common.CurrentPhase | None
    phase_cards: list[Card]  # empty when no phase: the page says so
    attention: Table
    owners: Table | None  # None: no overdue issue
    funds_rows: list[dict]  # township bars: disbursement rate, by code
    loans_rows: list[dict]  # township bars: loan overdue rate, by code
    time_progress: float | None
    loan_red_line: float = LOAN_RED
    # townships compared in bars: only with two or more (one bar "by township" says nothing)
    compare: bool = True
    # 督导: coverage, yellow cards, summons due (its caption names who), reporting rate
    supervision_cards: list[Card] = field(default_factory=list)


def attention_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (
        Column("rank", T("overview.col.rank"), "number", width="small"),
        Column("township", T("overview.col.township")),
        Column("status", T("overview.col.status"), width="small"),
        Column("reasons", T("overview.col.reasons"), width="large"),
        number("overdue_open", T("overview.col.overdue_open"), "count", lang),
        number("overdue_rate", T("overview.col.overdue_rate"), "rate", lang),
        number("progress_gap", T("overview.col.progress_gap"), "pp", lang),
        number("score", T("overview.col.score"), "decimal", lang,
               help=T("overview.attention_help")),
    )


def owner_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (
        Column("township", T("overview.col.township")),
        Column("department", T("overview.col.department")),
        number("overdue_issues", T("overview.col.overdue_issues"), "count", lang),
        number("max_days", T("overview.col.max_days"), "count", lang),
    )


def _pct100(v):
    return None if v is None else v * 100


def attention_table(report: dict, lang: str, units: dict | None = None) -> Table:
    rows = [{
        "rank": r.rank, "township": r.township, "status": status_word(r.status, lang),
        "reasons": r.reasons, "overdue_open": r.overdue_open,
        "overdue_rate": _pct100(r.overdue_rate), "progress_gap": _pct100(r.progress_gap),
        "score": r.score,
    } for r in common.attention_rows(report, lang, units)]
    frame = pd.DataFrame(rows, columns=list(common.ATTENTION_COLUMNS))
    # wrapped: the reasons (long in English) scrolled the grid sideways at 1366 px
    return Table(frame, attention_columns(lang), "attention", wrap=True)


def phase_cards(phase: common.CurrentPhase | None, prev_phases: dict, as_of,
                 lang: str) -> list[Card]:
    if phase is None or phase.end is None:
        return []
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    cur = phase.entry
    pcur = common.phase_entry(prev_phases, phase.no)
    return [
        Card(T("overview.card.phase"), T("overview.card.phase_value", no=phase.no),
             help=phase.name, caption=phase.name),
        Card(T("overview.card.days_left"), fmt.count((phase.end - as_of).days),
             help=T("overview.card.days_left_help", end=fmt.day(phase.end, lang))),
        Card(T("overview.card.phase_completion"), fmt.pct(cur["completion"]),
             cur["completion"], pcur and pcur["completion"], "pp", "down",
             help=T("overview.card.phase_completion_help", done=fmt.count(cur["tasks_done"]),
                    total=fmt.count(cur["tasks_total"]), expected=fmt.pct(cur["expected"]))),
    ]


def headline_cards(fig: dict, prev: dict, lang: str) -> tuple[list[Card], list[Card],
                                                               list[Card]]:
    """The issue, fund and loan cards of one scope's figures (`fig`; `prev`: at D − 7), with
    their change since last week: the overview's and the province overview's."""
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    iss, piss = fig["issues"], prev["issues"]
    fun, pfun = fig["funds"], prev["funds"]
    loa, ploa = fig["loans"], prev["loans"]
    issue_cards = [
        Card(T("overview.card.open"), fmt.count(iss["open"]), iss["open"], piss["open"],
             "count", "up"),
        Card(T("overview.card.overdue_open"), fmt.count(iss["overdue_open"]),
             iss["overdue_open"], piss["overdue_open"], "count", "up"),
        Card(T("overview.card.closure_rate"), fmt.pct(iss["closure_rate"]),
             iss["closure_rate"], piss["closure_rate"], "pp", "down",
             help=T("overview.card.closure_help", closed=fmt.count(iss["closed"]),
                    found=fmt.count(iss["found"]))),
    ]
    fund_cards = [
        Card(T("overview.card.disbursement_rate"), fmt.pct(fun["disbursement_rate"]),
             fun["disbursement_rate"], pfun["disbursement_rate"], "pp", "down",
             help=T("overview.card.disbursement_help",
                    disbursed=fmt.wan(fun["disbursed"], lang),
                    allocated=fmt.wan(fun["allocated"], lang))),
        Card(T("overview.card.progress_gap", time_progress=fmt.pct(fun["time_progress"])),
             fmt.pp(fun["progress_gap"], lang), fun["progress_gap"],
             pfun["progress_gap"], "pp", "down", help=T("overview.card.gap_help")),
    ]
    loan_cards = [
        Card(T("overview.card.overdue_rate", line=fmt.pct(LOAN_RED)),
             fmt.pct(loa["overdue_rate"]), loa["overdue_rate"], ploa["overdue_rate"],
             "pp", "up", help=T("overview.card.overdue_help",
                                overdue=fmt.wan(loa["overdue_balance"], lang))),
        Card(T("overview.card.balance"), fmt.wan_card(loa["balance"], lang), loa["balance"],
             ploa["balance"], "wan", None,
             help=T("overview.card.balance_help", loans=fmt.count(loa["active_loans"]))),
    ]
    return issue_cards, fund_cards, loan_cards


def build(src: Source) -> Overview:
    lang, as_of = src.lang, src.as_of
    before_day = common.week_before(as_of)
    report, prev_report = src.report(), src.report(before_day)
    fig, prev = src.scope_figures(), src.scope_figures(before_day)
    counts, prev_counts = common.status_counts(report), common.status_counts(prev_report)
    fun = fig["funds"]
    issue_cards, fund_cards, loan_cards = headline_cards(fig, prev, lang)
    phase = common.current_phase(fig["phases"], src.ledgers().phases, lang)

    led = src.ledgers()
    units = sm.unit_names(led.villages, led.sites, led.townships)  # a summons says who
    owners = common.overdue_owners(
        led.issues, dict(zip(led.townships["township_code"], led.townships["township_name"], strict=False)),
        as_of)
    order = sorted(report["townships"], key=lambda e: e["township_code"])

    def bar_rows(block: str, figure: str) -> list[dict]:
        return [{"township_code": e["township_code"], "township_name": e["township_name"],
                 "status": e["status"], "value": e[block][figure]} for e in order]

    return Overview(
        scope=src.scope_label(), as_of_text=fmt.day(as_of, lang),
        week_before_text=fmt.day(before_day, lang),
        townships=report["townships"], counts=counts,
        status_cards=[Card(status_word(s, lang), fmt.count(counts[s]), counts[s],
                           prev_counts[s], "count", "down" if s == "green" else "up")
                      for s in STATUS_ORDER],
        scope_status=fig["status"], scope_reasons=common.reason_words(fig, fig["status_details"], lang, units),
        flagged=common.flagged_townships(report, lang, units),
        changes=common.status_changes(report, prev_report),
        issue_cards=issue_cards, fund_cards=fund_cards, loan_cards=loan_cards,
        phase=phase,
        phase_cards=phase_cards(phase, prev["phases"], as_of, lang),
        attention=attention_table(report, lang, units),
        # static, as every table on this page: a data grid loads its bundle and canvas
        owners=None if owners.empty else Table(owners, owner_columns(lang), "overdue_owners",
                                               wrap=True),
        funds_rows=bar_rows("funds", "disbursement_rate"),
        loans_rows=bar_rows("loans", "overdue_rate"),
        time_progress=fun["time_progress"],
        compare=common.compare_note(report, "", lang) is None,
        # a store without supervisions and reports sees the overview as before
        supervision_cards=supervision_vm.overview_cards(fig, prev, units, lang)
        if led.first_use("supervisions") is not None or led.first_use("reports") is not None
        else [],
    )


__all__ = ["Overview", "build", "headline_cards", "phase_cards", "attention_table",
           "attention_columns", "owner_columns"]
