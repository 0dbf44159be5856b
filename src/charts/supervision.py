"""督导 Supervision charts: pure builders, data in → titled ``go.Figure`` out (the page, its
PNG downloads and the briefing pack draw the same figures).

Rates stay fractions in the figure data; the report grid's cells carry a word as well as a
colour (colour is never the only cue).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from duzhan.charts import date_axis, hover_day
from duzhan.charts.funds import style
from duzhan.charts.issues import iso
from duzhan.i18n import t
from duzhan.metrics.reports import LATE, MISSING, NOT_DUE, ON_TIME
from duzhan.presentation import format as fmt
from duzhan.presentation.markup import escape
from duzhan.presentation.palette import ACCENT, NEUTRAL, STATUS_COLORS

REPORT_STATES = (ON_TIME, LATE, MISSING, NOT_DUE)
REPORT_COLORS = {ON_TIME: STATUS_COLORS["green"], LATE: STATUS_COLORS["yellow"],
                 MISSING: STATUS_COLORS["red"], NOT_DUE: "#E6E6E6"}


def subtitle(lang: str, scope: str, as_of: dt.date) -> str:
    return t("supervision.chart.sub", lang, scope=scope, as_of=fmt.day(as_of, lang))


def coverage_bars(rows: Sequence[Mapping], *, lang: str, scope: str, as_of: dt.date,
                  meeting: bool = False) -> go.Figure:
    """This month's coverage of listed objects per township (``rows``: township_name,
    coverage, visited, listed — the report's supervision block), lowest on top; a township
    without listed objects has no bar."""
    f = sorted(rows, key=lambda r: (-1 if r["coverage"] is None else r["coverage"],
                                    r["township_name"]))
    names = [r["township_name"] for r in f]
    fig = go.Figure(go.Bar(
        x=[r["coverage"] for r in f], y=names, orientation="h",
        marker={"color": ACCENT},
        text=[fmt.pct(r["coverage"]) for r in f], textposition="auto",
        customdata=[[r["visited"], r["listed"]] for r in f],
        name=t("supervision.coverage", lang),
        hovertemplate=("<b>%{y}</b><br>" + t("supervision.coverage", lang) + " %{x:.1%}<br>"
                       + t("supervision.chart.visited_of", lang,
                           visited="%{customdata[0]}", listed="%{customdata[1]}")
                       + "<extra></extra>"),
    ))
    fig.update_xaxes(tickformat=".0%", range=[0, 1.02])
    fig.update_yaxes(autorange="reversed", title=None, type="category")
    per = 44 if meeting else 30
    return style(fig, title=t("supervision.chart.coverage", lang),
                 sub=subtitle(lang, scope, as_of), meeting=meeting,
                 height=max(320, 140 + per * max(len(f), 1)))


def yellow_cards_chart(frame: pd.DataFrame, *, lang: str, scope: str, as_of: dt.date,
                       meeting: bool = False) -> go.Figure:
    """Supervisions and yellow cards per month (``metrics.supervision.yellow_cards_by_month``):
    trace 0 = visits (grey), trace 1 = yellow cards (yellow)."""
    x = [iso(d) for d in frame["month"]]
    fig = go.Figure([
        go.Bar(x=x, y=frame["visits"].astype("int64").tolist(), marker={"color": NEUTRAL},
               name=t("supervision.chart.visits", lang), meta="visits",
               hovertemplate=hover_day(lang) + "<br>" + t("supervision.chart.visits", lang)
               + " %{y}<extra></extra>"),
        go.Bar(x=x, y=frame["yellow_cards"].astype("int64").tolist(),
               marker={"color": STATUS_COLORS["yellow"], "line": {"color": "#1A1A1A",
                                                                 "width": 1}},
               name=t("supervision.chart.yellow", lang), meta="yellow_cards",
               text=[str(int(v)) if v else "" for v in frame["yellow_cards"]],
               textposition="outside",
               hovertemplate=hover_day(lang) + "<br>" + t("supervision.chart.yellow", lang)
               + " %{y}<extra></extra>"),
    ])
    fig.update_layout(barmode="group", bargap=0.25)
    date_axis(fig, lang, dtick="M1")
    top = int(frame["visits"].max()) if len(frame) else 0
    fig.update_yaxes(rangemode="tozero", title=None, tick0=0, dtick=max(1, -(-top // 5)))
    return style(fig, title=t("supervision.chart.yellow_title", lang),
                 sub=subtitle(lang, scope, as_of), meeting=meeting)


def yellow_cards_html(frame: pd.DataFrame, *, lang: str, scope: str, as_of: dt.date,
                      meeting: bool = False) -> str:
    """`yellow_cards_chart` as HTML for st.markdown: per month a grey bar of visits and a
    yellow one of yellow cards, each with its count, on the same scale (the figure stays
    the PNG download). Drawn without plotly: it was the page's one chart on first look,
    and alone made every load of the page fetch and run the 4.7 MB bundle."""
    font, title = (20, 26) if meeting else (13, 16)
    plot_px = 220 if meeting else 150
    top = max([int(v) for v in frame["visits"]] + [1])
    visits_word, yellow_word = t("supervision.chart.visits", lang), t("supervision.chart.yellow", lang)
    swatch = ("display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 .8em;"
              "vertical-align:-.05em;background:{}{}")
    edge = ";box-shadow:inset 0 0 0 1px #1A1A1A"

    def bar(n: int, color: str, word: str, month: str, extra: str = "") -> str:
        label = str(n) if n or color == NEUTRAL else ""
        return (f"<div title='{escape(month)} {escape(word)} {n}' style='flex:1 1 0;"
                f"display:flex;flex-direction:column;justify-content:flex-end;"
                f"align-items:center;min-width:0'><span>{label}</span>"
                f"<div style='width:100%;height:{round(plot_px * n / top)}px;"
                f"background:{color}{extra}'></div></div>")

    months = []
    for m, v, y in zip(frame["month"], frame["visits"], frame["yellow_cards"], strict=True):
        name = fmt.month(m.date(), lang)
        months.append(
            f"<div class='duzhan-yellow-month' data-month='{m.date().isoformat()[:7]}' "
            f"data-visits='{int(v)}' data-yellow='{int(y)}' style='flex:1 1 0;min-width:0;"
            f"display:flex;flex-direction:column'>"
            f"<div style='display:flex;gap:2px;align-items:flex-end;height:{plot_px + font * 2}px;"
            f"padding:0 12%;border-bottom:1px solid #888'>"
            f"{bar(int(v), NEUTRAL, visits_word, name)}"
            f"{bar(int(y), STATUS_COLORS['yellow'], yellow_word, name, edge)}</div>"
            f"<div style='text-align:center;white-space:nowrap;overflow:hidden;"
            f"text-overflow:ellipsis'>{escape(name)}</div></div>")
    heading = t("supervision.chart.yellow_title", lang)
    return (f"<div class='duzhan-yellow' role='img' aria-label='{escape(heading)}' "
            f"style='font-size:{font}px;margin:0 0 .5rem 0'>"
            f"<div style='font-size:{title}px;font-weight:600'>{escape(heading)}</div>"
            f"<div style='color:#666;margin:0 0 .4rem 0'>{escape(subtitle(lang, scope, as_of))}"
            f"<span style='{swatch.format(NEUTRAL, '')}'></span>{escape(visits_word)}"
            f"<span style='{swatch.format(STATUS_COLORS['yellow'], edge)}'></span>"
            f"{escape(yellow_word)}</div>"
            f"<div style='display:flex;gap:4px'>{''.join(months)}</div></div>")


def report_word(status: str, lang: str) -> str:
    """A grid cell's word: ✓ 按时 / ▲ 逾期 / ✗ 未报 / · 未到期."""
    return t(f"supervision.report.{status}", lang)


def report_grid_figure(grid: pd.DataFrame, names: Mapping[str, str], *, lang: str,
                       scope: str, as_of: dt.date, meeting: bool = False) -> go.Figure:
    """The township × month grid of reports (``metrics.reports.report_grid``) as coloured
    cells with their word: on time green, late yellow, missing red, not yet due grey."""
    codes = list(dict.fromkeys(grid["township_code"]))
    months = list(dict.fromkeys(grid["month"].astype(str)))
    cell = {(c, str(m)): s for c, m, s in zip(grid["township_code"], grid["month"],
                                              grid["status"], strict=False)}
    z = [[REPORT_STATES.index(cell[(c, m)]) for m in months] for c in codes]
    # the cell shows its symbol (a word is too wide for 12 months), the hover its word
    text = [[report_word(cell[(c, m)], lang) for m in months] for c in codes]
    marks = [[w.split(" ", 1)[0] for w in row] for row in text]
    n = len(REPORT_STATES)
    scale = []
    for i, s in enumerate(REPORT_STATES):
        scale += [[i / n, REPORT_COLORS[s]], [(i + 1) / n, REPORT_COLORS[s]]]
    fig = go.Figure(go.Heatmap(
        z=z, x=[fmt.month(m, lang) for m in months], y=[names.get(c, c) for c in codes],
        text=marks, hovertext=text,
        texttemplate="%{text}", zmin=-0.5, zmax=n - 0.5, colorscale=scale, showscale=False,
        xgap=2, ygap=2, hovertemplate="<b>%{y}</b> %{x}<br>%{hovertext}<extra></extra>"))
    fig.update_xaxes(type="category", side="top", title=None)
    fig.update_yaxes(autorange="reversed", type="category", title=None)
    per = 40 if meeting else 28
    key = "  ".join(report_word(s, lang) for s in REPORT_STATES)
    fig = style(fig, title=t("supervision.chart.reports", lang),
                sub=f"{subtitle(lang, scope, as_of)}  ·  {key}", meeting=meeting,
                height=max(300, 160 + per * max(len(codes), 1)))
    # the month labels sit on top: below the subtitle, not over it
    fig.update_layout(margin={"t": fig.layout.margin.t + (44 if meeting else 30)})
    return fig


__all__ = ["coverage_bars", "yellow_cards_chart", "yellow_cards_html", "report_grid_figure", "report_word",
           "REPORT_STATES", "REPORT_COLORS"]
