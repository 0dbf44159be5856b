"""Plotly figure builders shared by the pages and the exports (data in, go.Figure out).

plotly.js reads every text it draws (category labels, bar texts, hover values, trace names,
titles, annotations) as a small HTML dialect (``<b>``, ``<br>``, ``<a href>``, entities):
a township or bank named ``<a href=…>`` would become a link. The builders put plain text
into their figures; :func:`plain_figure`, applied where a figure leaves Python (the page's
st.plotly_chart and kaleido's PNG), escapes those texts once, leaving the templates
(hovertemplate, texttemplate) that hold the builders' own markup alone.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from duzhan.presentation.fonts import CSS_FONT_FAMILY as FONT_FAMILY  # noqa: F401
from duzhan.presentation.markup import escape


def date_axis(fig, lang: str, tickformat: str | None = None, **kw) -> None:
    """The x axis as dates in the page's language: month ticks (2026年3月), and hovers that
    write a day as everywhere else (2026年12月2日); see `hover_day` for hovertemplates."""
    from duzhan.presentation.format import day_d3, month_d3, tick_day_d3

    if tickformat is None:
        # ticks closer than a month (a short span: an early as-of date, a zoom) name their
        # day; month ticks there read "2026年1月" five times over
        kw.setdefault("tickformatstops", [
            {"dtickrange": [None, DAY_MS * 28], "value": tick_day_d3(lang)},
            {"dtickrange": [DAY_MS * 28, None], "value": month_d3(lang)}])
    fig.update_xaxes(type="date", tickformat=tickformat or month_d3(lang),
                     hoverformat=day_d3(lang), **kw)


DAY_MS = 86_400_000  # plotly's dtick of a date axis is in milliseconds


def hover_day(lang: str, var: str = "x") -> str:
    """A hovertemplate's date value written as format.day writes it: %{x|%Y年%-m月%-d日}."""
    from duzhan.presentation.format import day_d3

    return "%{" + var + "|" + day_d3(lang) + "}"

# the figure keys whose strings plotly draws as text (in traces and in the layout: title,
# annotations, axis titles and tick texts, legend titles, colour bar titles)
TEXT_KEYS = frozenset({"x", "y", "text", "hovertext", "customdata", "name", "labels",
                       "ticktext"})


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "OUS":
        return [_escaped(v) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _escaped(v) if k in TEXT_KEYS and not isinstance(v, dict) else _walk(v)
                for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_walk(v) for v in node]
    return node


def plain_figure(fig: go.Figure) -> go.Figure:
    """A copy of `fig` whose texts plotly shows verbatim (escaped as HTML); the figure
    itself is left as built."""
    d = fig.to_dict()
    layout = {k: v if k == "template" else _walk(v) for k, v in d.get("layout", {}).items()}
    return go.Figure({"data": _walk(d.get("data", [])), "layout": layout})
