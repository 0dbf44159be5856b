"""Plotly figures of the overview page: pure builders (figures in → go.Figure out).

Every figure takes the texts it shows (title, labels) already translated and a `meeting`
flag (projector: bigger fonts and heights). Colours come from the shared status palette.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from duzhan.charts import FONT_FAMILY
from duzhan.presentation import format as fmt
from duzhan.presentation.markup import escape
from duzhan.presentation.palette import (
    NEUTRAL,
    STATUS_COLORS,
    STATUS_ORDER,
    STATUS_SYMBOLS,
    STATUS_TEXT,
)


def sizes(meeting: bool) -> dict[str, int]:
    return {"font": 20 if meeting else 13, "title": 26 if meeting else 16,
            "bar_px": 44 if meeting else 26, "strip": 150 if meeting else 110}


def base_layout(fig: go.Figure, title: str, meeting: bool, height: int,
                sub: str | None = None) -> go.Figure:
    """`sub`: a line under the title (the as-of date), so that a half-width chart's title
    is not cut at 1366 px."""
    s = sizes(meeting)
    head = {"text": title, "font": {"size": s["title"]}, "x": 0, "xanchor": "left"}
    if sub:
        head["subtitle"] = {"text": sub, "font": {"size": s["font"]}}
    fig.update_layout(
        title=head,
        font={"family": FONT_FAMILY, "size": s["font"]},
        height=height + (s["font"] * 2 if sub else 0),
        margin={"l": 10, "r": 20, "t": (50 if not meeting else 70) + (s["font"] * 2 if sub else 0),
                "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    # the ticks too (township names): Streamlit's chart theme sets its own small tick type
    fig.update_xaxes(tickfont={"size": s["font"]})
    fig.update_yaxes(tickfont={"size": s["font"]})
    return fig


def strip_label(status_label: str, symbol: str, n: int, share: float) -> str:
    """A status segment's text: symbol, word and count where the segment is wide, symbol
    and count where it is narrow, nothing where even that would not fit (the cards below
    the strip give every count). Never rotated."""
    if not n:
        return ""
    if share >= 0.2:
        return f"{symbol} {status_label} {fmt.count(n)}"
    return f"{symbol} {fmt.count(n)}" if share >= 0.06 else ""


def status_strip(counts: Mapping[str, int], labels: Mapping[str, str], title: str,
                 meeting: bool = False) -> go.Figure:
    """One 100 % bar of the townships by status (red, yellow, green), each part labelled
    with its symbol, word and count (shorter on a narrow part, horizontal always).
    `labels`: status → translated word."""
    fig = go.Figure()
    total = sum(counts.get(s, 0) for s in STATUS_ORDER)
    for s in STATUS_ORDER:
        n = int(counts.get(s, 0))
        fig.add_trace(go.Bar(
            name=f"{STATUS_SYMBOLS[s]} {labels[s]}", x=[n], y=[""], orientation="h",
            marker={"color": STATUS_COLORS[s], "line": {"color": "white", "width": 2}},
            text=[strip_label(labels[s], STATUS_SYMBOLS[s], n, n / total if total else 0)],
            textposition="inside", insidetextanchor="middle", textangle=0,
            textfont={"color": STATUS_TEXT[s], "size": sizes(meeting)["title"]},
            hovertemplate=f"{STATUS_SYMBOLS[s]} {labels[s]}: %{{x}}<extra></extra>",
            customdata=[s],
        ))
    # a label that still does not fit is hidden rather than shrunk or turned
    fig.update_layout(barmode="stack", showlegend=False, bargap=0.1,
                      uniformtext={"mode": "hide", "minsize": sizes(meeting)["font"]})
    fig.update_xaxes(visible=False, range=[0, max(total, 1)])
    fig.update_yaxes(visible=False)
    return base_layout(fig, title, meeting, sizes(meeting)["strip"] + 40)


def status_strip_html(counts: Mapping[str, int], labels: Mapping[str, str], title: str,
                      meeting: bool = False) -> str:
    """The status strip as HTML for st.markdown: the same parts, colours and labels as
    `status_strip` (whose figure is the strip's PNG download), without the 4.7 MB plotly
    bundle, which this strip alone made the overview's first screen load and run. The
    texts are translated by the caller and escaped here."""
    s = sizes(meeting)
    total = sum(int(counts.get(status, 0)) for status in STATUS_ORDER)
    parts = []
    for status in STATUS_ORDER:
        n = int(counts.get(status, 0))
        if not n:
            continue
        text = strip_label(labels[status], STATUS_SYMBOLS[status], n, n / total)
        parts.append(
            f"<div class='duzhan-strip-{status}' data-count='{n}' title='{escape(labels[status])}: {n}' "
            f"style='flex:{n} 1 0;min-width:0;background:{STATUS_COLORS[status]};"
            f"color:{STATUS_TEXT[status]};display:flex;align-items:center;justify-content:center;"
            f"overflow:hidden;white-space:nowrap;border-right:2px solid white'>"
            f"{escape(text)}</div>")
    return (f"<div class='duzhan-strip' style='margin:0 0 .5rem 0'>"
            f"<div style='font-size:{s['title']}px;font-weight:600;margin:0 0 .4rem 0'>"
            f"{escape(title)}</div>"
            f"<div role='img' aria-label='{escape(title)}' style='display:flex;"
            f"height:{s['strip'] // 2}px;font-size:{s['title']}px;border-radius:4px;"
            f"overflow:hidden;background:#EEE'>{''.join(parts)}</div></div>")


def township_bars(rows: Sequence[Mapping], value_key: str, title: str, *,
                  reference: float | None = None, reference_label: str = "",
                  reference_color: str = NEUTRAL, meeting: bool = False,
                  value_format: str = ".1%", sub: str | None = None) -> go.Figure:
    """Horizontal bars of one rate per township, coloured by the township's status, with a
    vertical reference line (序时进度, the 3 % red line).

    `rows`: dicts with township_name, status and `value_key` (a fraction or None). Rows keep
    their order, top to bottom. A township whose value is null gets no bar."""
    names = [f"{STATUS_SYMBOLS[r['status']]} {r['township_name']}" for r in rows]
    values = [r.get(value_key) for r in rows]
    colors = [STATUS_COLORS[r["status"]] for r in rows]
    fig = go.Figure(go.Bar(
        x=values, y=names, orientation="h", marker={"color": colors},
        text=[None if v is None else format(v, value_format) for v in values],
        textposition="outside", cliponaxis=False,
        customdata=[r.get("township_code") for r in rows],
        hovertemplate=f"%{{y}}: %{{x:{value_format}}}<extra></extra>",
    ))
    if reference is not None:
        fig.add_vline(x=reference, line={"color": reference_color, "width": 2, "dash": "dash"})
        fig.add_annotation(x=reference, y=1, yref="paper", yanchor="bottom", showarrow=False,
                           text=f"{reference_label} {format(reference, value_format)}",
                           font={"color": reference_color})
    known = [v for v in values if v is not None] + ([reference] if reference is not None else [])
    hi = max(known + [0.0]) if known else 1.0
    lo = min(known + [0.0]) if known else 0.0
    pad = (hi - lo) * 0.18 or 0.01
    fig.update_xaxes(tickformat=value_format.replace("1%", "0%"), range=[lo, hi + pad],
                     gridcolor="#E5E5E5", zeroline=True, zerolinecolor="#999")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(showlegend=False, bargap=0.25)
    height = 90 + sizes(meeting)["bar_px"] * max(len(rows), 1)
    return base_layout(fig, title, meeting, height, sub)
