"""Households charts (户情): 两不愁三保障 gaps, check coverage, the monitoring funnel, at-risk
households and the relocation sites. Pure builders, data in → titled ``go.Figure`` out, the
same figures for the page and the PNG exports. Counts are households; rates stay fractions
in the figure data (axes and hovers format them as percentages)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from duzhan.charts import date_axis, hover_day
from duzhan.charts.funds import style
from duzhan.charts.issues import iso
from duzhan.i18n import t
from duzhan.metrics.households import GUARANTEE_ITEMS
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import ACCENT, NEUTRAL, SECONDARY, STATUS_COLORS

# one colour per 三保障 item (none of them a status colour); "any gap" is drawn in red
ITEM_COLORS = {"food_clothing": "#E69F00", "education": "#56B4E9", "medical": "#CC79A7",
               "housing": "#D55E00", "water": "#0072B2"}
ANY_GAP_COLOR = STATUS_COLORS["red"]
FUNNEL_COLORS = {"identified": NEUTRAL, "assisted": ACCENT, "cleared": STATUS_COLORS["green"]}


def subtitle(lang: str, scope: str, as_of: dt.date) -> str:
    return t("households.chart.sub", lang, scope=scope, as_of=fmt.day(as_of, lang))


def item_label(item: str, lang: str) -> str:
    return t(f"households.item.{item}", lang)


def _bar_height(n: int, meeting: bool) -> int:
    return 150 + (44 if meeting else 30) * max(n, 1)


def _empty_note(fig: go.Figure, key: str, lang: str, meeting: bool) -> go.Figure:
    """No rows: hidden axes and a sentence in the middle instead of an empty frame."""
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_traces(text=None)  # nor the bars' "0" labels around it
    fig.add_annotation(text=t(key, lang), x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font={"size": 24 if meeting else 16, "color": NEUTRAL})
    return fig


def gap_items_bars(block: Mapping, *, lang: str, scope: str, as_of: dt.date,
                   meeting: bool = False) -> go.Figure:
    """Households whose latest check has each item false, and with any gap (the
    ``guarantees`` block), as horizontal bars; the share of households checked in the hover."""
    keys = [*GUARANTEE_ITEMS, "any"]
    labels = [item_label(k, lang) for k in keys]
    values = [int(block[f"gap_{k}"] if k != "any" else block["any_gap"]) for k in keys]
    checked = int(block["checked"])
    share = [v / checked if checked else None for v in values]
    fig = go.Figure(go.Bar(
        x=values, y=labels, orientation="h",
        marker={"color": [ITEM_COLORS.get(k, ANY_GAP_COLOR) for k in keys]},
        text=[fmt.count(v) for v in values], textposition="outside", cliponaxis=False,
        customdata=[[s if s is not None else float("nan")] for s in share],
        name=t("households.gaps", lang),
        hovertemplate="%{y}: %{x:,}<br>" + t("households.share_checked", lang)
        + " %{customdata[0]:.1%}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(rangemode="tozero", range=[0, max(values + [1]) * 1.2], title=None)
    fig.update_layout(showlegend=False)
    fig = style(fig, title=t("households.chart.gap_items", lang),
                sub=subtitle(lang, scope, as_of), meeting=meeting,
                height=_bar_height(len(keys), meeting))
    if not checked:
        return _empty_note(fig, "households.no_checks", lang, meeting)
    # every household checked meets all items: a sentence, not six zero bars on an empty axis
    return fig if any(values) else _empty_note(fig, "households.no_gaps", lang, meeting)


def gaps_by_township(frame: pd.DataFrame, *, labels: Mapping[str, str], lang: str, scope: str,
                     as_of: dt.date, meeting: bool = False) -> go.Figure:
    """The five items' gaps per township, stacked (a household with two gaps counts in two
    segments), most households with a gap on top; ``frame``: township_code, gap_<item>,
    any_gap, checked (hm.guarantee_metrics_by as rows)."""
    f = frame.sort_values(["any_gap", "township_code"], ascending=[False, True], kind="stable")
    names = [labels.get(c, c) for c in f["township_code"]]
    fig = go.Figure()
    custom = np.column_stack([f["any_gap"].astype("int64"), f["checked"].astype("int64")]) \
        if len(f) else np.empty((0, 2))
    for item in GUARANTEE_ITEMS:
        fig.add_trace(go.Bar(
            x=f[f"gap_{item}"].astype("int64").tolist(), y=names, orientation="h",
            name=item_label(item, lang), marker={"color": ITEM_COLORS[item]}, meta=item,
            customdata=custom,
            hovertemplate="<b>%{y}</b><br>" + item_label(item, lang) + " %{x:,}<br>"
            + t("households.any_gap", lang) + " %{customdata[0]:,} / "
            + t("households.checked", lang) + " %{customdata[1]:,}<extra></extra>",
        ))
    fig.update_yaxes(autorange="reversed", title=None, type="category")
    fig.update_xaxes(rangemode="tozero", title=None)
    fig = style(fig, title=t("households.chart.gaps_by_township", lang),
                sub=subtitle(lang, scope, as_of), meeting=meeting,
                height=_bar_height(len(f), meeting) + 40)
    # five item names beside a half-width title would cover its subtitle: under the bars
    fig.update_layout(barmode="stack", legend={"y": -0.04, "yanchor": "top", "x": 0,
                                               "xanchor": "left"})
    return fig


def gaps_over_time(series: pd.DataFrame, *, lang: str, scope: str, as_of: dt.date,
                   meeting: bool = False) -> go.Figure:
    """Households with a gap, week by week (metrics.household_series.guarantee_series):
    any gap (trace 0, thick red) and each item (thin); the last point is the as-of figure."""
    x = [iso(d) for d in series["date"]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=x, y=series["any_gap"].astype("int64").tolist(), name=t("households.any_gap", lang),
        mode="lines+markers", line={"color": ANY_GAP_COLOR, "width": 4}, meta="any_gap",
        hovertemplate=hover_day(lang) + "<br>" + t("households.any_gap", lang)
        + " %{y:,}<extra></extra>"))
    for item in GUARANTEE_ITEMS:
        fig.add_trace(go.Scatter(
            x=x, y=series[f"gap_{item}"].astype("int64").tolist(), name=item_label(item, lang),
            mode="lines", line={"color": ITEM_COLORS[item], "width": 2}, meta=f"gap_{item}",
            hovertemplate=hover_day(lang) + "<br>" + item_label(item, lang)
            + " %{y:,}<extra></extra>"))
    fig.update_yaxes(rangemode="tozero", title=None)
    date_axis(fig, lang, title=None)
    return style(fig, title=t("households.chart.gaps_over_time", lang),
                 sub=subtitle(lang, scope, as_of), meeting=meeting)


def coverage_bars(frame: pd.DataFrame, *, labels: Mapping[str, str], lang: str, scope: str,
                  as_of: dt.date, meeting: bool = False) -> go.Figure:
    """Check coverage per township (households checked in the last 90 days / 建档立卡户数),
    lowest on top; a township without 建档立卡户数 has no bar. ``frame``: township_code,
    check_coverage, checked_90d, households."""
    f = frame.assign(_c=frame["check_coverage"].astype("float64")).sort_values(
        ["_c", "township_code"], na_position="first", kind="stable")
    names = [labels.get(c, c) for c in f["township_code"]]
    cov = [None if pd.isna(v) else float(v) for v in f["_c"]]
    custom = np.column_stack([f["checked_90d"].astype("int64"),
                              f["households"].astype("int64")]) if len(f) else np.empty((0, 2))
    fig = go.Figure(go.Bar(
        x=cov, y=names, orientation="h", marker={"color": ACCENT},
        text=[fmt.pct(v) for v in cov], textposition="outside", cliponaxis=False,
        customdata=custom, name=t("households.check_coverage", lang),
        hovertemplate="<b>%{y}</b><br>" + t("households.check_coverage", lang)
        + " %{x:.1%}<br>" + t("households.checked_90d", lang) + " %{customdata[0]:,} / "
        + t("households.registered", lang) + " %{customdata[1]:,}<extra></extra>"))
    top = max([v for v in cov if v is not None] + [1.0])
    fig.update_xaxes(tickformat=".0%", range=[0, top * 1.15], title=None)
    fig.update_yaxes(title=None, type="category")
    fig.update_layout(showlegend=False)
    return style(fig, title=t("households.chart.coverage", lang),
                 sub=subtitle(lang, scope, as_of), meeting=meeting,
                 height=_bar_height(len(f), meeting))


def funnel_over_time(series: pd.DataFrame, *, lang: str, scope: str, as_of: dt.date,
                     meeting: bool = False) -> go.Figure:
    """The monitoring funnel week by week (metrics.household_series.monitoring_series):
    households identified, assisted and cleared so far (one trace each, in that order)."""
    x = [iso(d) for d in series["date"]]
    fig = go.Figure()
    for stage in ("identified", "assisted", "cleared"):
        label = t(f"households.funnel.{stage}", lang)
        fig.add_trace(go.Scatter(
            x=x, y=series[stage].astype("int64").tolist(), name=label, mode="lines",
            line={"color": FUNNEL_COLORS[stage], "width": 3}, meta=stage,
            hovertemplate=hover_day(lang) + "<br>" + label + " %{y:,}<extra></extra>"))
    fig.update_yaxes(rangemode="tozero", title=None)
    date_axis(fig, lang, title=None)
    return style(fig, title=t("households.chart.funnel", lang),
                 sub=subtitle(lang, scope, as_of), meeting=meeting)


def count_bars(counts: Mapping[str, int], *, title_key: str, lang: str, scope: str,
               as_of: dt.date, meeting: bool = False) -> go.Figure:
    """At-risk households by a ledger text (risk, category): horizontal bars, largest on top
    (``counts``: the block's ``at_risk_by_*`` object)."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    names, values = [k for k, _ in items], [int(v) for _, v in items]
    fig = go.Figure(go.Bar(
        x=values, y=names, orientation="h", marker={"color": SECONDARY},
        text=[fmt.count(v) for v in values], textposition="outside", cliponaxis=False,
        name=t("households.at_risk", lang),
        hovertemplate="%{y}: %{x:,}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title=None, type="category")
    fig.update_xaxes(rangemode="tozero", range=[0, max(values + [1]) * 1.2], title=None)
    fig.update_layout(showlegend=False)
    fig = style(fig, title=t(title_key, lang), sub=subtitle(lang, scope, as_of),
                meeting=meeting, height=_bar_height(len(items), meeting))
    return fig if items else _empty_note(fig, "households.no_at_risk", lang, meeting)


def site_bars(sites: pd.DataFrame, *, lang: str, scope: str, as_of: dt.date,
              meeting: bool = False) -> go.Figure:
    """Each site's planned households, moved in and employed (metrics.households.site_table,
    with ``site_label``), lowest occupancy on top: planned (trace 0, grey), moved in (1),
    employed (2); the rates in the hover."""
    f = sites.assign(_o=sites["occupancy_rate"].astype("float64")).sort_values(
        ["_o", "site_code"], na_position="first", kind="stable")
    names = list(f["site_label"])
    occ = f["_o"].to_numpy()
    emp = f["employment_rate"].astype("float64").to_numpy()
    custom = np.column_stack([occ, emp]) if len(f) else np.empty((0, 2))
    hover = ("<b>%{y}</b><br>%{fullData.name} %{x:,}<br>" + t("households.occupancy_rate", lang)
             + " %{customdata[0]:.1%}<br>" + t("households.employment_rate", lang)
             + " %{customdata[1]:.1%}<extra></extra>")
    fig = go.Figure()
    for key, color in (("planned", "#D9D9D9"), ("moved_in", ACCENT), ("employed", SECONDARY)):
        col = "planned_households" if key == "planned" else key
        fig.add_trace(go.Bar(
            x=f[col].astype("int64").tolist(), y=names, orientation="h", meta=key,
            name=t(f"households.site.{key}", lang), marker={"color": color},
            customdata=custom, hovertemplate=hover))
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(autorange="reversed", title=None, type="category")
    fig.update_xaxes(rangemode="tozero", title=None)
    fig = style(fig, title=t("households.chart.sites", lang), sub=subtitle(lang, scope, as_of),
                meeting=meeting, height=_bar_height(len(f) * 2, meeting))
    return fig if len(f) else _empty_note(fig, "households.no_sites", lang, meeting)


__all__ = ["ITEM_COLORS", "subtitle", "item_label", "gap_items_bars", "gaps_by_township",
           "gaps_over_time", "coverage_bars", "funnel_over_time", "count_bars",
           "site_bars"]
