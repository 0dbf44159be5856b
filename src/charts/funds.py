"""Funds charts (资金拨付): pure builders, data in → titled ``go.Figure`` out.

No Streamlit here: the same figures go to the page and to PNG exports. Every figure's
title says what it shows and its subtitle the scope and the as-of date. Rates stay
fractions in the figure data (axes and hovers format them as percentages with one
decimal); money is shown in 万元.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from duzhan.charts import FONT_FAMILY, date_axis, hover_day
from duzhan.charts.issues import iso
from duzhan.i18n import t
from duzhan.metrics.status import GAP_RED, GAP_YELLOW
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import ACCENT, NEUTRAL, STATUS_COLORS, STATUS_INK

WAN = 10_000


def subtitle(lang: str, scope: str, as_of: dt.date) -> str:
    return t("funds.chart.sub", lang, scope=scope, as_of=fmt.day(as_of, lang))


def style(fig: go.Figure, *, title: str, sub: str, meeting: bool = False,
          height: int | None = None) -> go.Figure:
    """The shared look: CJK fonts, title + scope/date subtitle, bigger type in meeting mode."""
    base = 20 if meeting else 13
    fig.update_layout(
        title={"text": title, "subtitle": {"text": sub, "font": {"size": base}},
               "font": {"size": base + 6}, "x": 0, "xanchor": "left"},
        font={"family": FONT_FAMILY, "size": base},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": base}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 1, "xanchor": "right",
                "font": {"size": base}},
        margin={"l": 10, "r": 10, "t": 110 if meeting else 90, "b": 10},
        height=height or (560 if meeting else 420),
        plot_bgcolor="white",
        separators=".,",
    )
    fig.update_xaxes(gridcolor="#eeeeee", zerolinecolor="#cccccc")
    fig.update_yaxes(gridcolor="#eeeeee", zerolinecolor="#cccccc")
    return fig


# a status colour written as text on white (yellow darkens to gold)
_INK = {STATUS_COLORS[k]: STATUS_INK[k] for k in STATUS_COLORS}


def gap_color(gap: float | None) -> str:
    """Bar colour by progress gap, with the township-status thresholds (−20 / −10 pp)."""
    if gap is None or pd.isna(gap):
        return NEUTRAL
    if gap < GAP_RED:
        return STATUS_COLORS["red"]
    if gap < GAP_YELLOW:
        return STATUS_COLORS["yellow"]
    return STATUS_COLORS["green"]


def rate_vs_time(series: pd.DataFrame, *, lang: str, scope: str, as_of: dt.date,
                 meeting: bool = False) -> go.Figure:
    """Cumulative disbursement rate against 序时进度 per day (``metrics.funds.funds_series``).

    Trace 0 = time progress (dashed), trace 1 = disbursement rate, filled to trace 0 so
    the gap is shaded; the last day's gap is written at the end of the line."""
    x = [iso(d) for d in series["date"]]
    rate = series["disbursement_rate"].astype("float64")
    tp = series["time_progress"].astype("float64")
    custom = np.column_stack([
        series["allocated"].astype("float64") / WAN,
        series["disbursed"].astype("float64") / WAN,
        (rate - tp).to_numpy() * 100,  # points, as fmt.pp_d3 reads them
    ]) if len(series) else np.empty((0, 3))
    wan = t("unit.wan_yuan", lang)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=x, y=tp.tolist(), name=t("funds.time_progress", lang), mode="lines",
        line={"color": NEUTRAL, "dash": "dash", "width": 2},
        hovertemplate=hover_day(lang) + "<br>" + t("funds.time_progress", lang) + " %{y:.1%}<extra></extra>",
    ))
    last_gap = None if not len(series) or pd.isna(rate.iloc[-1]) else rate.iloc[-1] - tp.iloc[-1]
    shade = gap_color(last_gap)
    fig.add_trace(go.Scatter(
        x=x, y=[None if pd.isna(v) else float(v) for v in rate],
        name=t("funds.disbursement_rate", lang), mode="lines",
        line={"color": ACCENT, "width": 3},
        fill="tonexty", fillcolor=_alpha(shade, 0.18),
        customdata=custom,
        hovertemplate=(
            hover_day(lang) + "<br>" + t("funds.disbursement_rate", lang) + " %{y:.1%}"
            + "<br>" + t("funds.gap", lang) + " " + fmt.pp_d3("customdata[2]", lang)
            + "<br>" + t("funds.allocated", lang) + " %{customdata[0]:,.2f} " + wan
            + "<br>" + t("funds.disbursed", lang) + " %{customdata[1]:,.2f} " + wan
            + "<extra></extra>"
        ),
    ))
    top = None
    if last_gap is not None:
        # above the upper line when ahead, under the lower one when behind: between them it
        # crossed the dashed line; on white, so the shade and the lines do not run through it
        ahead = last_gap >= 0
        fig.add_annotation(
            x=x[-1], y=float((max if ahead else min)(rate.iloc[-1], tp.iloc[-1])),
            xanchor="right", yanchor="bottom" if ahead else "top",
            yshift=4 if ahead else -4, bgcolor="rgba(255,255,255,0.85)",
            text=t("funds.gap_label", lang, gap=fmt.pp(last_gap, lang)), showarrow=False,
            font={"color": _INK.get(shade, shade), "size": 22 if meeting else 14},
        )
        # room above the lines for the label inside the plot (not under the legend)
        top = max(rate.max(), tp.max(), 0.05) * 1.15
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", title=None,
                     **({} if top is None else {"range": [0, top]}))
    date_axis(fig, lang, title=None)
    return style(fig, title=t("funds.chart.series", lang), sub=subtitle(lang, scope, as_of),
                 meeting=meeting)


def breakdown_bars(frame: pd.DataFrame, *, by: str, time_progress: float, lang: str,
                   scope: str, as_of: dt.date, labels: Mapping[str, str] | None = None,
                   meeting: bool = False) -> go.Figure:
    """Disbursement rate per group (``metrics.funds.breakdown``) as horizontal bars, lowest
    rate on top, coloured by the gap to 序时进度 (drawn as a vertical line); amounts,
    projects and stalled projects in the hover. ``labels`` maps codes to names."""
    f = frame.sort_values(["disbursement_rate", by], na_position="first", kind="stable")
    names = [(labels or {}).get(k, k) for k in f[by]]
    rates = f["disbursement_rate"].astype("float64")
    gaps = f["progress_gap"].astype("float64")
    wan = t("unit.wan_yuan", lang)
    custom = np.column_stack([
        f["allocated"].astype("float64") / WAN,
        f["disbursed"].astype("float64") / WAN,
        f["projects"].astype("int64"),
        f["stalled_projects"].astype("int64"),
        gaps.to_numpy() * 100,  # points, as fmt.pp_d3 reads them
    ]) if len(f) else np.empty((0, 5))
    fig = go.Figure(go.Bar(
        x=[None if pd.isna(v) else float(v) for v in rates], y=names, orientation="h",
        marker={"color": [gap_color(g) for g in gaps]},
        text=[fmt.pct(None if pd.isna(v) else v) for v in rates], textposition="auto",
        customdata=custom, name=t("funds.disbursement_rate", lang),
        hovertemplate=(
            "<b>%{y}</b><br>" + t("funds.disbursement_rate", lang) + " %{x:.1%}"
            + "<br>" + t("funds.gap", lang) + " " + fmt.pp_d3("customdata[4]", lang)
            + "<br>" + t("funds.allocated", lang) + " %{customdata[0]:,.2f} " + wan
            + "<br>" + t("funds.disbursed", lang) + " %{customdata[1]:,.2f} " + wan
            + "<br>" + t("funds.projects", lang) + " %{customdata[2]}"
            + "<br>" + t("funds.stalled", lang) + " %{customdata[3]}<extra></extra>"
        ),
    ))
    fig.add_vline(x=time_progress, line={"color": NEUTRAL, "dash": "dash", "width": 2})
    fig.add_annotation(x=time_progress, y=1, yref="paper", yanchor="bottom", showarrow=False,
                       text=t("funds.time_progress_at", lang, pct=fmt.pct(time_progress)),
                       font={"color": NEUTRAL})
    top = float(np.nanmax(rates)) if rates.notna().any() else 1.0
    fig.update_xaxes(tickformat=".0%", range=[0, max(1.0, top) * 1.02])
    fig.update_yaxes(autorange="reversed", title=None, type="category")
    n = max(len(f), 1)
    per = 44 if meeting else 30
    return style(fig, title=t(f"funds.chart.by_{by}", lang), sub=subtitle(lang, scope, as_of),
                 meeting=meeting, height=max(320, 140 + per * n))


def _alpha(hex_color: str, a: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{a})"
