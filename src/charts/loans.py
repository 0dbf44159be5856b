"""Micro-loan charts (小额信贷): pure builders, data in → titled ``go.Figure`` out.

Rates stay fractions in the figure data; money is shown in 万元. No household data ever
reaches a chart: the builders take aggregates only.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from duzhan.charts.funds import WAN, style
from duzhan.i18n import t
from duzhan.metrics.loans import BUCKETS
from duzhan.metrics.status import LOAN_RED, LOAN_YELLOW
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import BUCKET_COLORS, NEUTRAL, STATUS_COLORS


def subtitle(lang: str, scope: str, as_of: dt.date) -> str:
    return t("loans.chart.sub", lang, scope=scope, as_of=fmt.day(as_of, lang))


def rate_color(rate: float | None) -> str:
    """Bar colour by overdue rate, with the township-status thresholds (3% red, 1% yellow)."""
    if rate is None or pd.isna(rate):
        return NEUTRAL
    if rate > LOAN_RED:
        return STATUS_COLORS["red"]
    if rate > LOAN_YELLOW:
        return STATUS_COLORS["yellow"]
    return STATUS_COLORS["green"]


def group_label(value, labels: Mapping[str, str] | None, lang: str,
                missing: str = "loans.no_bank") -> str:
    """A group's name (``labels`` maps codes to names); a missing value has its own name."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return t(missing, lang)
    return (labels or {}).get(value, value)


def overdue_rate_bars(frame: pd.DataFrame, *, by: str, lang: str, scope: str, as_of: dt.date,
                      labels: Mapping[str, str] | None = None,
                      meeting: bool = False) -> go.Figure:
    """Overdue rate per group (``metrics.loans.breakdown``; by township_code, village_code or
    bank) as bars in the frame's order, against the 3% red line; balance, overdue balance
    and loan counts in the hover."""
    missing = "loans.no_village" if by == "village_code" else "loans.no_bank"
    names = [group_label(v, labels, lang, missing) for v in frame[by]]
    rates = frame["overdue_rate"].astype("float64")
    wan = t("unit.wan_yuan", lang)
    custom = np.column_stack([
        frame["balance"].astype("float64") / WAN,
        frame["overdue_balance"].astype("float64") / WAN,
        frame["active_loans"].astype("int64"),
        frame["overdue_loans"].astype("int64"),
    ]) if len(frame) else np.empty((0, 4))
    fig = go.Figure(go.Bar(
        x=names, y=[None if pd.isna(v) else float(v) for v in rates],
        marker={"color": [rate_color(v) for v in rates]},
        text=[fmt.pct(None if pd.isna(v) else v) for v in rates], textposition="outside",
        customdata=custom, name=t("loans.overdue_rate", lang),
        hovertemplate=(
            "<b>%{x}</b><br>" + t("loans.overdue_rate", lang) + " %{y:.1%}"
            + "<br>" + t("loans.balance", lang) + " %{customdata[0]:,.2f} " + wan
            + "<br>" + t("loans.overdue_balance", lang) + " %{customdata[1]:,.2f} " + wan
            + "<br>" + t("loans.active_loans", lang) + " %{customdata[2]}"
            + "<br>" + t("loans.overdue_loans", lang) + " %{customdata[3]}<extra></extra>"
        ),
    ))
    fig.add_hline(y=LOAN_RED, line={"color": STATUS_COLORS["red"], "dash": "dash", "width": 2},
                  annotation_text=t("loans.red_line", lang, pct=fmt.pct(LOAN_RED)),
                  annotation_position="top right",
                  annotation_font={"color": STATUS_COLORS["red"]},
                  annotation_bgcolor="rgba(255,255,255,0.85)")
    top = float(np.nanmax(rates)) if rates.notna().any() else 0.0
    fig.update_yaxes(tickformat=".1%", range=[0, max(top, LOAN_RED) * 1.25], title=None)
    fig.update_xaxes(type="category", title=None)
    return style(fig, title=t(f"loans.chart.by_{by}", lang), sub=subtitle(lang, scope, as_of),
                 meeting=meeting)


def aging_buckets(buckets: Mapping[str, Mapping[str, float]], *, lang: str, scope: str,
                  as_of: dt.date, meeting: bool = False) -> go.Figure:
    """Overdue loans by days past due (1–30, 31–90, 91–180, 181+): balance in 万元 (trace 0,
    top) and number of loans (trace 1, below), one panel above the other so the bucket
    names have the chart's whole width. ``buckets`` = the contract's ``loans.buckets``
    object ({name: {"loans", "balance" (yuan)}}). No overdue loan: no axes, a note says so."""
    names = [name for name, _, _ in BUCKETS]
    labels = list(names)
    bal = [float(buckets.get(n, {}).get("balance") or 0) / WAN for n in names]
    cnt = [int(buckets.get(n, {}).get("loans") or 0) for n in names]
    wan = t("unit.wan_yuan", lang)
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.2, shared_xaxes=False)
    fig.add_trace(go.Bar(
        x=labels, y=bal, marker={"color": list(BUCKET_COLORS)}, name=t("loans.bucket_balance", lang),
        text=[fmt.wan(v * WAN, lang, unit=False) for v in bal], textposition="outside",
        showlegend=False, cliponaxis=False, hovertemplate="%{x}<br>%{y:,.2f} " + wan + "<extra></extra>",
    ), row=1, col=1)
    fig.add_trace(go.Bar(
        x=labels, y=cnt, marker={"color": list(BUCKET_COLORS)}, name=t("loans.bucket_count", lang),
        text=[fmt.count(v) for v in cnt], textposition="outside", showlegend=False,
        cliponaxis=False, hovertemplate="%{x}<br>%{y:,}<extra></extra>",
    ), row=2, col=1)
    fig = style(fig, title=t("loans.chart.buckets", lang), sub=subtitle(lang, scope, as_of),
                meeting=meeting, height=640 if meeting else 460)
    if not any(cnt) and not any(bal):
        # an empty scope would draw two empty 0–0.012 axes: say what is there instead
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        fig.update_traces(text=None)  # nor the bars' "0.00" and "0" labels around it
        fig.add_annotation(text=t("loans.aging_empty", lang), x=0.5, y=0.5, xref="paper",
                           yref="paper", showarrow=False,
                           font={"size": 24 if meeting else 16, "color": NEUTRAL})
        return fig
    fig.update_yaxes(range=[0, max(bal) * 1.3 or 1], title=fmt.wan_label("loans.bucket_balance", lang),
                     row=1, col=1)
    fig.update_yaxes(range=[0, max(cnt) * 1.3 or 1], title=t("loans.bucket_count", lang),
                     row=2, col=1)
    fig.update_xaxes(type="category", tickangle=0)
    fig.update_xaxes(title=t("loans.dpd_axis", lang), row=2, col=1)
    return fig
