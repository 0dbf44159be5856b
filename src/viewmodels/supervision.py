"""督导 Supervision: who must be summoned (约谈), this month's coverage of the listed objects
per township and the ones not visited last month, yellow cards over time, the latest rating
of every listed unit, and the township × month grid of monthly reports (DHIS2's reporting-
rate table) with each township's reporting and on-time rates.

Every figure is the metrics' own: the cards and per-township figures from the report's
``supervision`` and ``reports`` blocks, the lists from duzhan.metrics.supervision/reports.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from duzhan.charts import supervision as charts
from duzhan.i18n import t
from duzhan.metrics import reports as rm
from duzhan.metrics import supervision as sm
from duzhan.presentation import format as fmt
from duzhan.viewmodels.common import compare_note, week_before
from duzhan.viewmodels.source import Source
from duzhan.viewmodels.spec import Card, Chart, Column, Table, number

SUPERVISION_KEYS = ("listed_objects", "visits_this_month", "visited_this_month",
                    "coverage_this_month", "unvisited_last_month", "yellow_cards_28d",
                    "summons_due")
REPORT_KEYS = ("reports_expected", "reports_on_time", "reports_late", "reports_missing",
               "reporting_rate", "on_time_rate", "last_due_month", "last_missing")


@dataclass(frozen=True)
class Supervision:
    cards: list[Card]
    summons_caption: str
    summons: Table | None  # None: nobody is due a summons
    coverage_caption: str
    coverage_chart: Chart | None  # None: one township (compare_note instead)
    compare_note: str | None
    coverage: Table  # per township
    townships: list[tuple[str, str]]  # (code, name) of the scope: the click-through
    unvisited_caption: str
    unvisited: Table | None  # None: the figure is null (unvisited_note) or all visited
    unvisited_note: str | None
    yellow: Chart  # the PNG download's figure
    yellow_html: str  # the same chart as the page draws it (charts.supervision.yellow_cards_html)
    units_caption: str
    units: Table  # every listed unit, its latest rating
    reports_caption: str
    reports_note: str | None  # the reports ledger is not in use yet
    reports_chart: Chart | None
    reports: Table | None  # the grid with each township's rates


def block(figures: Mapping, name: str) -> dict:
    """A scope's supervision / reports block (all figures None when the figures lack it)."""
    keys = SUPERVISION_KEYS if name == "supervision" else REPORT_KEYS
    got = figures.get(name) or {}
    out = {k: got.get(k) for k in keys}
    if name == "supervision":
        out["summons"] = list(got.get("summons") or [])
        out["ratings"] = dict(got.get("ratings") or {})
    return out


def summons_who(sup: Mapping, units: Mapping[str, str], lang: str) -> str:
    """The units due a summons, named (甲村、乙安置点), in the block's order."""
    return t("data.list_sep", lang).join(units.get(s["unit"], s["unit"])
                                         for s in sup.get("summons") or [])


def cards(now: Mapping, before: Mapping, units: Mapping[str, str], lang: str) -> list[Card]:
    """The six headline cards (figures of D and D − 7: their blocks of scope_metrics)."""
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    s, sb = block(now, "supervision"), block(before, "supervision")
    r, rb = block(now, "reports"), block(before, "reports")
    who = summons_who(s, units, lang)
    return [
        Card(T("supervision.coverage"), fmt.pct(s["coverage_this_month"]),
             s["coverage_this_month"], sb["coverage_this_month"], "pp", "down",
             T("supervision.card.coverage_help", visited=fmt.count(s["visited_this_month"]),
               listed=fmt.count(s["listed_objects"]))),
        Card(T("supervision.visits"), fmt.count(s["visits_this_month"]),
             s["visits_this_month"], sb["visits_this_month"], "count", "down",
             T("supervision.card.visits_help")),
        Card(T("supervision.yellow_cards"), fmt.count(s["yellow_cards_28d"]),
             s["yellow_cards_28d"], sb["yellow_cards_28d"], "count", "up",
             T("supervision.card.yellow_help")),
        Card(T("supervision.summons_due"), fmt.count(s["summons_due"]), s["summons_due"],
             sb["summons_due"], "count", "up", T("supervision.card.summons_help"),
             T("supervision.card.summons_who", who=who) if who else None),
        Card(T("supervision.reporting_rate"), fmt.pct(r["reporting_rate"]),
             r["reporting_rate"], rb["reporting_rate"], "pp", "down",
             T("supervision.card.reporting_help", on_time=fmt.count(r["reports_on_time"]),
               late=fmt.count(r["reports_late"]), missing=fmt.count(r["reports_missing"]),
               expected=fmt.count(r["reports_expected"]))),
        Card(T("supervision.on_time_rate"), fmt.pct(r["on_time_rate"]), r["on_time_rate"],
             rb["on_time_rate"], "pp", "down", T("supervision.card.on_time_help")),
    ]


OVERVIEW_CARDS = ("supervision.coverage", "supervision.yellow_cards", "supervision.summons_due",
                  "supervision.reporting_rate")


def overview_cards(now: Mapping, before: Mapping, units: Mapping[str, str],
                   lang: str) -> list[Card]:
    """The overview's 督导 cards: coverage, yellow cards, summons due (naming who),
    reporting rate — the page's own cards."""
    wanted = {t(k, lang) for k in OVERVIEW_CARDS}
    return [c for c in cards(now, before, units, lang) if c.label in wanted]


# ------------------------------------------------------------------------ the tables

def _dates(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.date


def summons_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    day = fmt.day_column(lang)
    return (
        Column("unit_name", T("supervision.col.unit"), width="medium"),
        Column("township", T("supervision.col.township")),
        Column("first_date", T("supervision.col.first_date"), "date", day),
        Column("first_leader", T("supervision.col.first_leader")),
        Column("second_date", T("supervision.col.second_date"), "date", day),
        Column("second_leader", T("supervision.col.second_leader")),
    )


def summons_table(L, names: Mapping[str, str], as_of, lang: str) -> Table | None:
    """The units due a summons (约谈): name, township, the two yellow cards' dates and the
    leaders who gave them, by unit (metrics.supervision.summons_list)."""
    due = sm.summons_list(L.villages, L.sites, L.supervisions, as_of)
    if due.empty:
        return None
    frame = pd.DataFrame({
        "unit_name": [names.get(tw, tw) if is_t else (n or u) for u, n, is_t, tw in zip(
            due["unit"], due["name"], due["is_township"], due["township_code"], strict=False)],
        "township": due["township_code"].map(lambda c: names.get(c, c)),
        "first_date": _dates(due["first_date"]), "first_leader": due["first_leader"],
        "second_date": _dates(due["second_date"]), "second_leader": due["second_leader"],
        "unit": due["unit"],
    })
    return Table(frame, summons_columns(lang), "summons",
                 order=tuple(c.key for c in summons_columns(lang)), wrap=True)


def coverage_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (
        Column("township", T("supervision.col.township")),
        number("listed_objects", T("supervision.col.listed_objects"), "count", lang),
        number("visited_this_month", T("supervision.col.visited_this_month"), "count", lang),
        number("coverage_this_month", T("supervision.coverage"), "rate", lang, bar=True),
        number("unvisited_last_month", T("supervision.col.unvisited_last_month"), "count",
               lang),
        number("yellow_cards_28d", T("supervision.yellow_cards"), "count", lang),
        number("summons_due", T("supervision.summons_due"), "count", lang),
    )


def _pct100(v):
    return None if v is None else v * 100


def coverage_table(report: Mapping, lang: str) -> Table:
    """Each township of the scope: listed objects, visited this month, coverage, not
    visited last month, yellow cards (28 days), summons due (the report's blocks)."""
    rows = []
    for e in report["townships"]:
        s = block(e, "supervision")
        rows.append({"township_code": e["township_code"], "township": e["township_name"],
                     **{k: s[k] for k in SUPERVISION_KEYS if k != "visits_this_month"},
                     "coverage_this_month": _pct100(s["coverage_this_month"])})
    frame = pd.DataFrame(rows, columns=["township_code", "township", "listed_objects",
                                        "visited_this_month", "coverage_this_month",
                                        "unvisited_last_month", "yellow_cards_28d",
                                        "summons_due"])
    return Table(frame, coverage_columns(lang), "supervision_coverage",
                 order=tuple(c.key for c in coverage_columns(lang)), wrap=True)


def _unit_name(row, names: Mapping[str, str]) -> str:
    if row.kind == "township":
        return names.get(row.township_code, row.township_code)
    return row.name if isinstance(row.name, str) and row.name else row.unit


def unvisited_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (
        Column("unit_name", T("supervision.col.unit"), width="medium"),
        Column("kind", T("supervision.col.kind"), width="small"),
        Column("township", T("supervision.col.township")),
        Column("last_visit", T("supervision.col.last_visit"), "date", fmt.day_column(lang)),
        Column("last_leader", T("supervision.col.last_leader")),
    )


def unit_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (
        Column("unit_name", T("supervision.col.unit"), width="medium"),
        Column("kind", T("supervision.col.kind"), width="small"),
        Column("township", T("supervision.col.township")),
        Column("rating", T("supervision.col.rating"), width="small"),
        Column("last_visit", T("supervision.col.last_visit"), "date", fmt.day_column(lang)),
        Column("last_leader", T("supervision.col.last_leader")),
        Column("last_yellow", T("supervision.col.last_yellow"), width="small"),
        Column("visited_this_month", T("supervision.col.this_month"), width="small"),
    )


def units_frame(L, names: Mapping[str, str], as_of, lang: str) -> pd.DataFrame:
    """Every listed unit of the scope (metrics.supervision.unit_table) in words."""
    u = sm.unit_table(L.villages, L.sites, L.supervisions, as_of)
    T = lambda key: t(key, lang)  # noqa: E731
    yes, no = T("supervision.yes"), T("supervision.no")
    return pd.DataFrame({
        "unit_name": [_unit_name(r, names) for r in u.itertuples(index=False)],
        "kind": [T(f"supervision.kind.{k}") for k in u["kind"]],
        "township": u["township_code"].map(lambda c: names.get(c, c)),
        "rating": [T(f"supervision.rating.{r}") if isinstance(r, str) else fmt.DASH
                   for r in u["rating"]],
        "last_visit": _dates(u["last_visit"]),
        "last_leader": u["last_leader"],
        "last_yellow": [yes if y else no for y in u["last_yellow"]],
        "visited_this_month": [yes if v else no for v in u["visited_this_month"]],
        "visited_last_month": u["visited_last_month"].astype(bool),
        "is_township": (u["kind"] == "township").to_numpy(),
        "unit": u["unit"], "township_code": u["township_code"],
    })


MONTH_PX = 75


def report_columns(months: list[str], lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (Column("township", T("supervision.col.township")),
            # a month's words may wrap (✓ on / time) in the static table
            *(Column(m, fmt.month(m, lang), width=MONTH_PX) for m in months),
            number("reporting_rate", T("supervision.reporting_rate"), "rate", lang),
            number("on_time_rate", T("supervision.on_time_rate"), "rate", lang))


def reports_table(grid: pd.DataFrame, report: Mapping, lang: str) -> Table:
    """The township × month grid in words (✓ 按时 …), each township's rates from the report's
    reports block."""
    months = list(dict.fromkeys(grid["month"].astype(str)))
    rows = []
    for e in report["townships"]:
        g = grid[grid["township_code"] == e["township_code"]]
        r = block(e, "reports")
        rows.append({"township": e["township_name"],
                     **{str(m): charts.report_word(s, lang)
                        for m, s in zip(g["month"], g["status"], strict=False)},
                     "reporting_rate": _pct100(r["reporting_rate"]),
                     "on_time_rate": _pct100(r["on_time_rate"]),
                     "township_code": e["township_code"]})
    columns = report_columns(months, lang)
    frame = pd.DataFrame(rows, columns=["township", *months, "reporting_rate", "on_time_rate",
                                        "township_code"])
    # wrapped: eleven months ran the data grid's rates off its right edge at 1366 px
    return Table(frame, columns, "report_grid", order=tuple(c.key for c in columns),
                 wrap=True)


# ------------------------------------------------------------------------- the model

def unit_names(L, names: Mapping[str, str]) -> dict[str, str]:
    """unit code → name (villages, sites, townships as their own unit)."""
    out = sm.unit_names(L.villages, L.sites, L.townships)
    out.update(names)
    return out


def build(src: Source, meeting: bool = False) -> Supervision:
    lang, D = src.lang, src.as_of
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    now, before = src.scope_figures(), src.scope_figures(week_before(D))
    report = src.report()
    L = src.ledgers()
    names = dict(src.names)
    scope = src.scope_label()
    stamp = {"scope": scope, "as_of": fmt.day(D, lang)}
    s, r = block(now, "supervision"), block(now, "reports")

    note = compare_note(report, scope, lang)
    rows = [{"township_name": e["township_name"],
             "coverage": block(e, "supervision")["coverage_this_month"],
             "visited": block(e, "supervision")["visited_this_month"],
             "listed": block(e, "supervision")["listed_objects"]} for e in report["townships"]]
    coverage_chart = None if note else Chart(charts.coverage_bars(
        rows, lang=lang, scope=scope, as_of=D, meeting=meeting), "supervision_coverage")

    units = units_frame(L, names, D, lang)
    unvisited, unvisited_note = None, None
    if s["unvisited_last_month"] is None:
        unvisited_note = T("supervision.unvisited.null")
    else:
        rows_u = units[~units["is_township"] & ~units["visited_last_month"]]
        if len(rows_u):
            shown = tuple(c.key for c in unvisited_columns(lang))
            unvisited = Table(rows_u[[*shown, "unit", "township_code"]].reset_index(drop=True),
                              unvisited_columns(lang), "unvisited", order=shown, wrap=True)

    grid = rm.report_grid(L.townships, L.reports, L.phases, D, src.codes)
    in_use = r["reports_expected"] is not None
    reports_note = None if in_use else T("supervision.reports.not_in_use")
    reports_chart = (Chart(charts.report_grid_figure(grid, names, lang=lang, scope=scope,
                                                     as_of=D, meeting=meeting), "report_grid")
                     if in_use and len(grid) else None)
    ratings = s["ratings"]
    yellow = sm.yellow_cards_by_month(L.supervisions, L.phases, D)
    drawn = {"lang": lang, "scope": scope, "as_of": D, "meeting": meeting}
    return Supervision(
        cards=cards(now, before, unit_names(L, names), lang),
        summons_caption=T("supervision.summons.caption", n=fmt.count(s["summons_due"]),
                          **stamp),
        summons=summons_table(L, names, D, lang),
        coverage_caption=T("supervision.coverage.caption", visited=fmt.count(
            s["visited_this_month"]), listed=fmt.count(s["listed_objects"]),
            coverage=fmt.pct(s["coverage_this_month"]), **stamp),
        coverage_chart=coverage_chart, compare_note=note,
        coverage=coverage_table(report, lang),
        townships=[(e["township_code"], e["township_name"]) for e in report["townships"]],
        unvisited_caption=T("supervision.unvisited.caption",
                            n=fmt.count(s["unvisited_last_month"]), **stamp),
        unvisited=unvisited, unvisited_note=unvisited_note,
        yellow=Chart(charts.yellow_cards_chart(yellow, **drawn), "yellow_cards"),
        yellow_html=charts.yellow_cards_html(yellow, **drawn),
        units_caption=T("supervision.units.caption", n=fmt.count(len(units)),
                        **{k: fmt.count(ratings.get(k)) for k in sm.RATINGS}),
        units=Table(units, unit_columns(lang), "supervision_units",
                    order=tuple(c.key for c in unit_columns(lang)), wrap=True),
        reports_caption=T("supervision.reports.caption", month=r["last_due_month"] or fmt.DASH,
                          missing=fmt.count(r["last_missing"]), **stamp),
        reports_note=reports_note, reports_chart=reports_chart,
        reports=reports_table(grid, report, lang) if in_use and len(grid) else None,
    )


__all__ = ["Supervision", "build", "cards", "overview_cards", "block", "summons_who", "summons_table",
           "coverage_table", "reports_table", "units_frame", "unit_names"]
