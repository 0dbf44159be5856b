"""资金拨付 Funds: the cards, the disbursement rate against 序时进度 day by day, the
breakdowns by township / funding source / category, and the stalled projects."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from duzhan.charts import funds as charts
from duzhan.i18n import t
from duzhan.metrics import funds as fm
from duzhan.presentation import format as fmt
from duzhan.viewmodels.common import compare_note, week_before
from duzhan.viewmodels.source import Source
from duzhan.viewmodels.spec import Card, Chart, Column, Table, number

BY = ("township_code", "funding_source", "category")
_TABS = {"township_code": "funds.tab.township", "funding_source": "funds.tab.source",
         "category": "funds.tab.category"}


@dataclass(frozen=True)
class Funds:
    cards: list[Card]
    no_projects: bool
    trend: Chart
    breakdowns: list[tuple[str, Chart]]  # (tab label, chart)
    compare_note: str | None  # one township: no "by township" tab, this note instead
    stalled_caption: str
    stalled: Table | None  # None: no stalled project


def cards(now: dict, before: dict, lang: str) -> list[Card]:
    """The five headline cards; money cards carry the unit in the label."""
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    tp = fmt.pct(now["time_progress"])

    def card(label, value, key, kind, worse, tip, caption=None):
        return Card(label, value, now[key], before[key], kind, worse, tip, caption)

    return [
        card(T("funds.allocated"), fmt.wan_card(now["allocated"], lang),
             "allocated", "wan", "down", T("funds.card.allocated_help")),
        card(T("funds.disbursed"), fmt.wan_card(now["disbursed"], lang),
             "disbursed", "wan", "down", T("funds.card.disbursed_help")),
        card(T("funds.disbursement_rate"), fmt.pct(now["disbursement_rate"]),
             "disbursement_rate", "pp", "down", T("funds.card.rate_help", tp=tp)),
        card(T("funds.gap"), fmt.pp(now["progress_gap"], lang), "progress_gap", "pp", "down",
             T("funds.card.gap_help"), T("funds.card.tp_caption", tp=tp)),
        card(T("funds.stalled"), fmt.count(now["stalled_projects"]), "stalled_projects",
             "count", "up", T("funds.card.stalled_help")),
    ]


def stalled_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (
        Column("project_id", T("funds.col.project_id")),
        Column("project_name", T("funds.col.project_name"), width="large"),  # wraps
        Column("township", T("funds.col.township")),
        Column("funding_source", T("funds.col.funding_source"), width="large"),  # wraps
        Column("category", T("funds.col.category")),
        Column("allocated_date", T("funds.col.allocated_date"), "date", fmt.day_column(lang)),
        number("days_waited", T("funds.col.days_waited"), "count", lang),
        number("allocated", T("funds.col.allocated"), "wan", lang),
        number("disbursed", T("funds.col.disbursed"), "wan", lang),
        number("own_rate", T("funds.col.own_rate"), "rate", lang, bar=True),
    )


def build(src: Source, meeting: bool = False) -> Funds:
    lang, D = src.lang, src.as_of
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    now = src.scope_figures()["funds"]
    before = src.scope_figures(week_before(D))["funds"]
    L = src.ledgers()
    scope = src.scope_label()
    trend = charts.rate_vs_time(fm.funds_series(L.projects, L.disbursements, D), lang=lang,
                                scope=scope, as_of=D, meeting=meeting)
    tp = fm.time_progress(D)
    note = compare_note(src.report(), scope, lang)
    breakdowns = []
    for by in BY if note is None else BY[1:]:
        bars = charts.breakdown_bars(
            fm.breakdown(L.projects, L.disbursements, D, by), by=by, time_progress=tp,
            lang=lang, scope=scope, as_of=D,
            labels=src.names if by == "township_code" else None, meeting=meeting)
        breakdowns.append((T(_TABS[by]), Chart(bars, f"funds_by_{by}")))
    stalled = fm.stalled_projects_list(L.projects, L.disbursements, D)
    table = None
    if not stalled.empty:
        frame = pd.DataFrame({
            "project_id": stalled["project_id"],
            "project_name": stalled["project_name"],
            "township": stalled["township_code"].map(lambda c: src.names.get(c, c)),
            "days_waited": stalled["days_waited"].astype("int64"),
            "own_rate": stalled["own_rate"].astype("float64") * 100,
            "allocated": stalled["allocated_amount_fen"].astype("int64") / 1_000_000,
            "disbursed": stalled["disbursed_fen"].astype("int64") / 1_000_000,
            "allocated_date": pd.to_datetime(stalled["allocated_date"]).dt.date,
            "funding_source": stalled["funding_source"],
            "category": stalled["category"],
        })
        # wrapped: its ten columns ran off the data grid's right edge at 1366 px
        table = Table(frame, stalled_columns(lang), "stalled_projects", wrap=True)
    return Funds(
        cards=cards(now, before, lang), no_projects=not now["allocated"],
        trend=Chart(trend, "funds_series"), breakdowns=breakdowns,
        compare_note=note,
        stalled_caption=T("funds.stalled.caption", scope=scope, as_of=fmt.day(D, lang),
                          n=len(stalled)),
        stalled=table,
    )


__all__ = ["Funds", "build", "cards", "stalled_columns"]
