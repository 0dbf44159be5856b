"""Plotly figures of the province overview: pure builders (figures in → go.Figure out)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from duzhan.charts.overview import base_layout, sizes
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import STATUS_COLORS, STATUS_ORDER, STATUS_SYMBOLS, STATUS_TEXT


def county_townships(rows: Sequence[Mapping], labels: Mapping[str, str], title: str,
                     meeting: bool = False) -> go.Figure:
    """One stacked bar per county (top to bottom in the rows' order, worst first): its
    townships by status, each part labelled with its count. `rows`: dicts with
    county_code, county_name, status and a count per status; `labels`: status → word."""
    names = [f"{STATUS_SYMBOLS[r['status']]} {r['county_name']}" for r in rows]
    fig = go.Figure()
    for s in STATUS_ORDER:
        counts = [int(r[s]) for r in rows]
        fig.add_trace(go.Bar(
            name=f"{STATUS_SYMBOLS[s]} {labels[s]}", x=counts, y=names, orientation="h",
            marker={"color": STATUS_COLORS[s], "line": {"color": "white", "width": 1}},
            text=[fmt.count(n) if n else "" for n in counts], textposition="inside",
            insidetextanchor="middle", textangle=0,
            textfont={"color": STATUS_TEXT[s], "size": sizes(meeting)["font"]},
            customdata=[r["county_code"] for r in rows],
            hovertemplate=f"%{{y}} · {STATUS_SYMBOLS[s]} {labels[s]}: %{{x}}<extra></extra>",
        ))
    fig.update_layout(barmode="stack", bargap=0.25,
                      legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0,
                              "traceorder": "normal"})
    fig.update_xaxes(gridcolor="#E5E5E5", dtick=1 if max(
        (sum(int(r[s]) for s in STATUS_ORDER) for r in rows), default=0) <= 12 else None)
    fig.update_yaxes(autorange="reversed")
    height = 110 + sizes(meeting)["bar_px"] * max(len(rows), 1)
    fig = base_layout(fig, title, meeting, height)
    fig.update_layout(margin={"t": 80 if not meeting else 100})
    return fig


__all__ = ["county_townships"]
