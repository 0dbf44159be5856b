"""问题整改 Issues: the headline cards, the forecast against the clearance target, the
burndown (ideal line from the peak of open issues to a chosen target), the burnup, the
breakdowns and the overdue list."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from duzhan.charts import issues as charts
from duzhan.i18n import t
from duzhan.metrics import issues as im
from duzhan.presentation import format as fmt
from duzhan.viewmodels import common
from duzhan.viewmodels.source import Source
from duzhan.viewmodels.spec import Card, Chart, Column, Table, number

BY = ("township_code", "department", "source", "category")


def _date(s):
    return None if s is None else pd.Timestamp(s).date()


@dataclass(frozen=True)
class Breakdown:
    by: str
    tab: str
    chart: Chart | None  # None: nothing found in this scope (the page says so)
    table: Table | None


@dataclass(frozen=True)
class Issues:
    cards: list[Card]  # found, closed, open, closure rate, overdue, closed in 28 days
    forecast_card: Card  # a later forecast than last week's is bad news
    target_card: Card
    level: str  # the line under the cards: "done", "stalled", "late", "ok"
    message: str
    forecast: dt.date | None
    series: pd.DataFrame  # burndown series
    targets: dict[str, tuple[dt.date, str]]  # option → (ideal line's end, label)
    first_day: dt.date
    default_start: dt.date | None  # the peak of open issues
    band: dict | None
    burndown_caption: str
    burnup: Chart
    breakdowns: list[Breakdown]
    compare_note: str | None  # one township: no "by township" tab, this note instead
    overdue: Table | None  # None: nothing overdue
    overdue_caption: str


def _stamp(src: Source) -> dict:
    return {"scope": src.scope_label(), "as_of": fmt.day(src.as_of, src.lang)}


def cards(now: dict, prev: dict, prev_day: dt.date, lang: str) -> tuple[list[Card], Card, Card]:
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    delta_help = T("issues.delta_help", date=fmt.day(prev_day, lang))
    spec = [  # card, figure, kind of change, which way is worse (None: neither)
        ("found", "found", "count", None), ("closed", "closed", "count", "down"),
        ("open", "open", "count", "up"), ("closure_rate", "closure_rate", "pp", "down"),
        ("overdue_open", "overdue_open", "count", "up"),
        ("closed_28d", "closed_last_28d", "count", "down"),
    ]
    out = [Card(T(f"issues.card.{card}"),
                fmt.pct(now[key]) if kind == "pp" else fmt.count(now[key]),
                now[key], prev[key], kind, worse, help=delta_help)
           for card, key, kind, worse in spec]
    # the honest forecast: new issues keep arriving (metrics.md net_forecast_clear_date)
    forecast, target = _date(now["net_forecast_clear_date"]), _date(now["clearance_target"])
    forecast_card = Card(T("issues.card.net_forecast"),
                         fmt.day(forecast, lang) if forecast else T("issues.net_forecast_none"),
                         forecast, _date(prev["net_forecast_clear_date"]), "days", "up",
                         help=T("issues.net_forecast_help"))
    target_card = Card(T("issues.card.target"), fmt.day(target, lang),
                       help=T("issues.target_help"))
    return out, forecast_card, target_card


def forecast_message(now: dict, lang: str) -> tuple[str, str]:
    """(level, sentence) on the net forecast: all closed, the list does not shrink at this
    pace (no more closed than found in 28 days), late or on time."""
    forecast, target = _date(now["net_forecast_clear_date"]), _date(now["clearance_target"])
    if now["open"] == 0:
        return "done", t("issues.all_closed", lang)
    if forecast is None:
        return "stalled", t("issues.net_forecast_stalled", lang, target=fmt.day(target, lang),
                            closed=fmt.count(now["closed_last_28d"]),
                            found=fmt.count(now["found_last_28d"]))
    late_by = charts.days_between(target, forecast)
    words = {"forecast": fmt.day(forecast, lang), "target": fmt.day(target, lang),
             "days": late_by}
    if late_by > 0:
        return "late", t("issues.net_forecast_late", lang, **words)
    return "ok", t("issues.net_forecast_ok", lang, **words)


def target_options(target: dt.date | None, phases: pd.DataFrame,
                   lang: str) -> dict[str, tuple[dt.date, str]]:
    """Where the ideal line can end: the clearance target first, then each phase's end."""
    options = {}
    if target is not None:
        options["clearance"] = (target, t("issues.target.clearance", lang,
                                          date=fmt.day(target, lang)))
    phases = phases.sort_values("phase_no")
    for no, name, end in zip(phases["phase_no"], phases["phase_name"], phases["end_date"], strict=False):
        end = end.date()
        options[f"phase{int(no)}"] = (end, t("issues.target.phase", lang, no=int(no),
                                             name=name, date=fmt.day(end, lang)))
    return options


def breakdown_columns(by: str, lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (Column("group", T(f"issues.tab.{by}")),
            *(number(c, T(f"issues.col.{c}"), "count", lang)
              for c in ("found", "closed", "open", "overdue_open")),
            number("closure_rate", T("issues.col.closure_rate"), "rate", lang, bar=True))


DESCRIPTION_PX = 160


def overdue_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (*(Column(c, T(f"issues.col.{c}"))
              for c in ("issue_id", "township", "department", "category", "source")),
            *(Column(c, T(f"issues.col.{c}"), "date", fmt.day_column(lang))
              for c in ("found_date", "deadline")),
            number("days_overdue", T("issues.col.days_overdue"), "count", lang),
            # the rest of a 1366 px page (whole in its cell's pop-up and the file): at 400 px
            # it ran off the grid's right edge
            Column("description", T("issues.col.description"), width=DESCRIPTION_PX))


def _breakdown(src: Source, issues: pd.DataFrame, by: str, meeting: bool) -> Breakdown:
    lang, D = src.lang, src.as_of
    tab = t(f"issues.tab.{by}", lang)
    names = src.names
    groups = (list(src.codes) if src.codes is not None else list(names)) \
        if by == "township_code" else None
    table = im.breakdown(issues, D, by, groups=groups)
    if table.empty or table["found"].sum() == 0:
        return Breakdown(by, tab, None, None)
    table["group"] = [names.get(c, c) for c in table[by]] if by == "township_code" \
        else table[by].fillna(fmt.DASH)
    if by != "township_code":
        table = table.sort_values(["found", "group"], ascending=[False, True])
    title = t("issues.title.breakdown", lang, by=t(f"issues.by.{by}", lang), **_stamp(src))
    figure = charts.breakdown_figure(table, "group", lang=lang, meeting=meeting, title=title)
    view = table[["group", "found", "closed", "open", "overdue_open"]].copy()
    view["closure_rate"] = table["closure_rate"] * 100
    return Breakdown(by, tab, Chart(figure, f"issues_by_{by}", key=f"issues_by_{by}"),
                     Table(view, breakdown_columns(by, lang), "issues_table",
                           key=f"dl_xlsx_issues_table_{by}", wrap=True))


def overdue_table(issues: pd.DataFrame, names: Mapping[str, str], as_of: dt.date,
                  lang: str) -> Table | None:
    """The overdue open issues (metrics.issues.overdue_list, longest overdue first) with
    township and 责任单位, as the page and the briefing pack show them."""
    late = im.overdue_list(issues, as_of)
    if late.empty:
        return None
    view = pd.DataFrame({
        "issue_id": late["issue_id"],
        "township": [names.get(c, c) for c in late["township_code"]],
        "department": late["department"],
        "category": late["category"],
        "source": late["source"],
        "found_date": late["found_date"],
        "deadline": late["deadline"],
        "days_overdue": late["days_overdue"].astype("int64"),
        "description": late["description"],
    })
    # static, as the breakdowns' tables: a data grid loads its bundle and canvas on every
    # load of the page
    return Table(view, overdue_columns(lang), "overdue_issues", wrap=True)


def build(src: Source, meeting: bool = False) -> Issues:
    lang, D = src.lang, src.as_of
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    L = src.ledgers()
    now = src.scope_figures()["issues"]
    prev_day = common.week_before(D)
    prev = src.scope_figures(prev_day)["issues"]
    six, forecast_card, target_card = cards(now, prev, prev_day, lang)
    level, message = forecast_message(now, lang)
    series = common.burndown_series(L.issues, L.phases, D)
    band = im.forecast_band(L.issues, D)
    caption = T("issues.caption.burndown")
    if now["open"] > 0:
        if band and band["p50"]:
            caption += " " + T("issues.caption.band", p50=fmt.day(band["p50"], lang),
                               p85=fmt.day(band["p85"], lang), weeks=band["window_days"] // 7,
                               runs=band["runs"])
        elif band is None:
            caption += " " + T("issues.band_none")
    burnup = charts.burnup_figure(series, lang=lang, meeting=meeting,
                                  title=T("issues.title.burnup", **_stamp(src)))
    overdue = overdue_table(L.issues, src.names, D, lang)
    note = common.compare_note(src.report(), src.scope_label(), lang)
    return Issues(
        cards=six, forecast_card=forecast_card, target_card=target_card, level=level,
        message=message, forecast=_date(now["net_forecast_clear_date"]), series=series,
        targets=target_options(_date(now["clearance_target"]), L.phases, lang),
        first_day=series["date"].iloc[0].date(), default_start=im.peak_open_date(series),
        band=band, burndown_caption=caption, burnup=Chart(burnup, "burnup"),
        breakdowns=[_breakdown(src, L.issues, by, meeting)
                    for by in (BY if note is None else BY[1:])],
        compare_note=note,
        overdue=overdue,
        overdue_caption=T("issues.caption.overdue", n=0 if overdue is None else
                          len(overdue.frame)),
    )


def burndown_chart(src: Source, vm: Issues, target: dt.date | None, start: dt.date,
                   meeting: bool = False) -> tuple[Chart, bool]:
    """The burndown toward `target` from `start` (the page's choices), and whether the
    ideal line came out empty (a target before the start)."""
    L = src.ledgers()
    b = common.burndown(L.issues, L.phases, src.as_of, target, start, series=vm.series)
    figure = charts.burndown_figure(
        vm.series, b.ideal, as_of=src.as_of, target=target, forecast_date=vm.forecast,
        band=vm.band, lang=src.lang, meeting=meeting,
        title=t("issues.title.burndown", src.lang, **_stamp(src)))
    return Chart(figure, "burndown"), target is not None and b.ideal.empty


__all__ = ["Issues", "Breakdown", "build", "burndown_chart", "cards", "forecast_message",
           "target_options", "breakdown_columns", "overdue_columns", "overdue_table", "BY"]
