"""Issue burndown charts (问题整改销号): pure plotly builders, data in → go.Figure out.

No Streamlit here: the page and the PNG exports call the same builders. Every trace carries
``meta`` = a stable, language-free role name ("open", "ideal", "forecast", "band", …) so
tests and exports can find it whatever the display language.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from duzhan.charts import FONT_FAMILY, date_axis, hover_day
from duzhan.i18n import t
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import (
    ACCENT,
    FORECAST,
    NEUTRAL,
    SECONDARY,
    STATUS_COLORS,
    rgba,
)

OPEN_FILL = rgba(STATUS_COLORS["yellow"], 0.18)  # the yellow status colour, light: "still open"
BAND_FILL = rgba(ACCENT, 0.15)  # the accent colour, light: forecast band


def apply_layout(fig: go.Figure, title: str, *, meeting: bool = False, height: int | None = None,
                 legend: bool = True) -> go.Figure:
    """The look shared by the dashboard's plotly figures: CJK fonts, a title, a legend on
    top, bigger type and height in meeting mode."""
    base = 20 if meeting else 13
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": base + 5}},
        font={"family": FONT_FAMILY, "size": base},
        height=height or (560 if meeting else 420),
        margin={"l": 10, "r": 10, "b": 10,
                "t": (100 if meeting else 70) if legend else (70 if meeting else 50)},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0,
                "font": {"size": base}},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        plot_bgcolor="white",
    )
    axis = {"showgrid": True, "gridcolor": "#eeeeee", "linecolor": "#cccccc", "automargin": True,
            "tickfont": {"family": FONT_FAMILY, "size": base},
            "title": {"font": {"family": FONT_FAMILY, "size": base}}}
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    return fig


def iso(d: Any) -> str | None:
    """A date as 'YYYY-MM-DD' (the x values of every date axis here)."""
    if d is None or (not isinstance(d, str) and pd.isna(d)):
        return None
    return pd.Timestamp(d).date().isoformat()


def vline(fig: go.Figure, day: Any, text: str, color: str, *, dash: str = "dash",
          position: float = 1.0, anchor: str = "left") -> None:
    """A vertical line at a date across the plot, labelled at the top."""
    x = iso(day)
    fig.add_shape(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                  line={"color": color, "width": 2, "dash": dash})
    # inside the plot area, at the top: the legend sits above the plot
    fig.add_annotation(x=x, y=position, xref="x", yref="paper", text=text, showarrow=False,
                       xanchor=anchor, yanchor="top", font={"color": color},
                       bgcolor="rgba(255,255,255,0.8)")


def burndown_figure(series: pd.DataFrame, ideal: pd.DataFrame, *, as_of: Any,
                    target: Any, forecast_date: Any, band: dict | None, title: str,
                    lang: str = "zh", meeting: bool = False) -> go.Figure:
    """open(t) per day (``series``: date, open — from ``metrics.issues.burndown_series``),
    the ideal line (``ideal``: date, ideal — ``metrics.issues.ideal_line``), the contract's
    net forecast (a straight line from (D, open(D)) to (forecast_date, 0): pass
    net_forecast_clear_date, closing pace minus finding pace), the
    P50–P85 band of ``metrics.issues.forecast_band`` and the target date T as a vertical
    line."""
    D = iso(as_of)
    x = [iso(d) for d in series["date"]]
    y = [int(v) for v in series["open"]]
    open_now = y[-1] if y else 0
    fig = go.Figure()
    if band and band.get("p50") and band.get("p85") and open_now > 0:
        p50, p85 = iso(band["p50"]), iso(band["p85"])
        fig.add_trace(go.Scatter(
            x=[D, p50, p85, D], y=[open_now, 0, 0, open_now], fill="toself", mode="lines",
            line={"width": 0}, fillcolor=BAND_FILL, hoverinfo="skip", meta="band",
            name=t("issues.chart.band", lang, weeks=band.get("window_days", 28) // 7)))
        fig.add_trace(go.Scatter(
            x=[p50, p85], y=[0, 0], mode="markers+text", meta="band_points",
            marker={"color": ACCENT, "size": 9, "symbol": "triangle-up"},
            text=["P50", "P85"], textposition=["top left", "top right"], showlegend=False,
            hovertemplate="%{text}: " + hover_day(lang) + "<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=x, y=y, mode="lines", name=t("issues.chart.open", lang), meta="open",
        line={"color": ACCENT, "width": 4 if meeting else 3},
        hovertemplate=hover_day(lang) + "<br>" + t("issues.chart.open", lang)
        + ": %{y}<extra></extra>"))
    if len(ideal):
        fig.add_trace(go.Scatter(
            x=[iso(d) for d in ideal["date"]], y=[None if pd.isna(v) else float(v) for v in ideal["ideal"]],
            mode="lines", name=t("issues.chart.ideal", lang), meta="ideal",
            line={"color": NEUTRAL, "width": 2, "dash": "dash"},
            hovertemplate=hover_day(lang) + "<br>" + t("issues.chart.ideal", lang)
            + ": %{y:.1f}<extra></extra>"))
    if forecast_date is not None and open_now > 0:
        fc = iso(forecast_date)
        fig.add_trace(go.Scatter(
            x=[D, fc], y=[open_now, 0], mode="lines+markers", meta="forecast",
            name=t("issues.chart.forecast", lang, date=fmt.day(fc, lang)),
            line={"color": FORECAST, "width": 2, "dash": "dot"},
            marker={"size": [0, 10], "symbol": "x"},
            hovertemplate=hover_day(lang) + ": %{y}<extra></extra>"))
    if target is not None:
        vline(fig, target, t("issues.chart.target_line", lang, date=fmt.day(iso(target), lang)),
              STATUS_COLORS["red"], anchor="right")
    ends = [d for d in (iso(target), iso(forecast_date),
                        iso(band.get("p85")) if band else None, D) if d]
    start = x[0] if x else D
    last = max(ends)
    pad = max(3, (pd.Timestamp(last) - pd.Timestamp(start)).days // 30)
    date_axis(fig, lang, range=[start, iso(pd.Timestamp(last) + pd.Timedelta(days=pad))])
    fig.update_yaxes(rangemode="tozero", title_text=t("issues.chart.axis_open", lang))
    return apply_layout(fig, title, meeting=meeting)


def burnup_figure(series: pd.DataFrame, *, title: str, lang: str = "zh",
                  meeting: bool = False) -> go.Figure:
    """found(t) and closed(t) per day; the gap between them (shaded) is open(t)."""
    x = [iso(d) for d in series["date"]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=x, y=[int(v) for v in series["found"]], mode="lines", meta="found",
        name=t("issues.chart.found", lang), line={"color": ACCENT, "width": 3}))
    fig.add_trace(go.Scatter(
        x=x, y=[int(v) for v in series["closed"]], mode="lines", meta="closed",
        name=t("issues.chart.closed", lang), line={"color": SECONDARY, "width": 3},
        fill="tonexty", fillcolor=OPEN_FILL))
    date_axis(fig, lang)
    fig.update_yaxes(rangemode="tozero", title_text=t("issues.chart.axis_count", lang))
    fig = apply_layout(fig, title, meeting=meeting)
    fig.update_layout(legend={"traceorder": "normal"})
    return fig


def breakdown_figure(table: pd.DataFrame, label_col: str, *, title: str, lang: str = "zh",
                     meeting: bool = False) -> go.Figure:
    """Horizontal stacked bars per group: closed, open (not yet overdue), overdue; their
    sum is found. ``table``: a ``metrics.issues.breakdown`` frame plus a display column
    ``label_col``. Rows are drawn in the table's order, top to bottom."""
    labels = list(table[label_col])
    closed = [int(v) for v in table["closed"]]
    overdue = [int(v) for v in table["overdue_open"]]
    not_due = [int(o) - int(v) for o, v in zip(table["open"], table["overdue_open"], strict=False)]
    fig = go.Figure()
    for meta, values, color in (
        ("closed", closed, SECONDARY),
        ("open_not_overdue", not_due, STATUS_COLORS["yellow"]),
        ("overdue_open", overdue, STATUS_COLORS["red"]),
    ):
        fig.add_trace(go.Bar(
            y=labels, x=values, orientation="h", meta=meta, name=t(f"issues.chart.{meta}", lang),
            marker={"color": color}, text=[v or "" for v in values], textposition="inside",
            insidetextanchor="middle", textangle=0,
            hovertemplate="%{y}: %{x}<extra>" + t(f"issues.chart.{meta}", lang) + "</extra>"))
    row = 38 if meeting else 26
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(title_text=t("issues.chart.axis_count", lang))
    return apply_layout(fig, title, meeting=meeting, height=max(260, 120 + row * len(labels)))


def days_between(a: dt.date | None, b: dt.date | None) -> int | None:
    """b − a in days, None when either is missing."""
    if a is None or b is None:
        return None
    return (pd.Timestamp(b) - pd.Timestamp(a)).days
