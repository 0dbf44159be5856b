"""全省/全市 Province overview (a store of several counties): the counties ranked by status
(worst first) with their reasons and their townships by status, the counties by status with
their change since last week, the whole store's headline figures with theirs, and what the
county map and the drill-down need. Every figure is the metrics report's: a county's status
and reasons are its entry of the report's `counties` list (metrics.report), the ranking is
metrics.status.county_ranking, the headline figures are the report's roll-up (`county`)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from duzhan.i18n import t
from duzhan.metrics.status import county_ranking
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import STATUS_ORDER
from duzhan.presentation.words import status_word
from duzhan.viewmodels import common
from duzhan.viewmodels.overview import headline_cards, phase_cards
from duzhan.viewmodels.source import Source
from duzhan.viewmodels.spec import Card, Column, Table, number


@dataclass(frozen=True)
class CountyRow:
    """A county in the ranking: its status and reasons in words, and how many of its
    townships are red, yellow and green."""

    rank: int
    code: str
    name: str
    status: str
    reasons: str  # every reason (the table)
    short: str  # the first SHORT_REASONS of them and how many more (the ranking's line)
    townships: dict[str, int]  # status → number of the county's townships
    before: str | None  # its status at D − 7 (None: not a county then)


@dataclass(frozen=True)
class Province:
    scope: str
    as_of_text: str
    week_before_text: str
    counties: list  # the report's county entries, worst first (the map colours them)
    ranked: list[CountyRow]  # worst first
    counts: dict[str, int]  # status → number of counties
    status_cards: list[Card]  # one per status, with its change since last week
    changes: list[common.StatusChange]  # counties whose status changed since D − 7
    issue_cards: list[Card]
    fund_cards: list[Card]
    loan_cards: list[Card]
    phase: common.CurrentPhase | None
    phase_cards: list[Card]
    table: Table  # the ranking with its figures (Excel download)
    county_of: dict[str, str]  # township_code → county_code (the map dissolves by it)
    meeting: bool = False


SHORT_REASONS = 3  # a county's line names its worst reasons; the table lists them all


def _short(words: list[str], lang: str) -> str:
    if len(words) <= SHORT_REASONS:
        return common.joined_words(words, lang, "reason.none")
    return t("province.more_reasons", lang,
             reasons=common.joined_words(words[:SHORT_REASONS], lang),
             n=len(words) - SHORT_REASONS)


def ranking_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (
        Column("rank", T("overview.col.rank"), "number", width="small"),
        Column("county", T("province.col.county")),
        Column("status", T("overview.col.status"), width="small"),
        Column("reasons", T("overview.col.reasons"), width="large"),
        number("red", T("province.col.red"), "count", lang),
        number("yellow", T("province.col.yellow"), "count", lang),
        number("green", T("province.col.green"), "count", lang),
        number("overdue_open", T("overview.col.overdue_open"), "count", lang),
        number("overdue_rate", T("overview.col.overdue_rate"), "rate", lang),
        number("progress_gap", T("overview.col.progress_gap"), "pp", lang),
        number("score", T("overview.col.score"), "decimal", lang,
               help=T("overview.attention_help")),
    )


def _pct100(v):
    return None if v is None else v * 100


def status_counts(report: dict) -> dict[str, int]:
    """status → number of counties of a metrics report."""
    return {s: sum(1 for e in report.get("counties", []) if e["status"] == s)
            for s in STATUS_ORDER}


def build(src: Source, meeting: bool = False) -> Province:
    lang, as_of = src.lang, src.as_of
    before_day = common.week_before(as_of)
    report, prev = src.province_report(), src.province_report(before_day)
    by_code = {e["county_code"]: e for e in report.get("counties", [])}
    was = {e["county_code"]: e["status"] for e in prev.get("counties", [])}
    county_of = src.county_of()
    town_status = {e["township_code"]: e["status"] for e in report["townships"]}

    # each county's townships by status, in one pass over the townships
    towns_of = {code: {s: 0 for s in STATUS_ORDER} for code in by_code}
    for code, county in county_of.items():
        if county in towns_of and code in town_status:
            towns_of[county][town_status[code]] += 1

    ranked = []
    for r in county_ranking(report):
        e = by_code[r["county_code"]]
        towns = towns_of[e["county_code"]]
        words = common.reason_words(e, common.reason_details(e), lang)
        ranked.append(CountyRow(
            r["rank"], e["county_code"], e["county_name"] or e["county_code"], e["status"],
            common.joined_words(words, lang, "reason.none"), _short(words, lang),
            towns, was.get(e["county_code"])))

    counts, prev_counts = status_counts(report), status_counts(prev)
    fig, pfig = report["county"], prev["county"]
    issue_cards, fund_cards, loan_cards = headline_cards(fig, pfig, lang)
    phase = common.current_phase(fig["phases"], src.phases(), lang)
    rows = [{
        "rank": c.rank, "county": c.name, "status": status_word(c.status, lang),
        "reasons": c.reasons, "red": c.townships["red"], "yellow": c.townships["yellow"],
        "green": c.townships["green"],
        "overdue_open": by_code[c.code]["issues"]["overdue_open"],
        "overdue_rate": _pct100(by_code[c.code]["loans"]["overdue_rate"]),
        "progress_gap": _pct100(by_code[c.code]["funds"]["progress_gap"]),
        "score": r["score"],
    } for c, r in zip(ranked, county_ranking(report), strict=True)]
    columns = ranking_columns(lang)
    frame = pd.DataFrame(rows, columns=[c.key for c in columns])
    changed = [c for c in ranked if c.before is not None and c.before != c.status]
    return Province(
        scope=src.scope_label(), as_of_text=fmt.day(as_of, lang),
        week_before_text=fmt.day(before_day, lang),
        counties=[by_code[c.code] for c in ranked], ranked=ranked, counts=counts,
        status_cards=[Card(status_word(s, lang), fmt.count(counts[s]), counts[s],
                           prev_counts[s], "count", "down" if s == "green" else "up")
                      for s in STATUS_ORDER],
        changes=[common.StatusChange(c.name, c.before, c.status) for c in changed],
        issue_cards=issue_cards, fund_cards=fund_cards, loan_cards=loan_cards,
        phase=phase, phase_cards=phase_cards(phase, pfig["phases"], as_of, lang),
        table=Table(frame, columns, "province_counties"),
        county_of=county_of, meeting=meeting,
    )


__all__ = ["Province", "CountyRow", "build", "ranking_columns", "status_counts"]
