"""Phase progress charts (阶段进度): pure plotly builders, data in → go.Figure out.

Every trace carries ``meta`` = a language-free role name ("phases", "completion",
"expected", "heat") for tests and exports.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from duzhan.charts import date_axis
from duzhan.charts.issues import apply_layout, iso, vline
from duzhan.i18n import t
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import ACCENT, LAGGARD_RAMP, NEUTRAL, SECONDARY, STATUS_COLORS

DAY_MS = 86_400_000
PAST_COLOR = "#BBBBBB"


def phase_label(no: int, name: str, lang: str = "zh") -> str:
    return t("phases.phase_label", lang, no=int(no), name=name)


def _labels(phases: pd.DataFrame, lang: str) -> list[str]:
    ph = phases.sort_values("phase_no")
    return [phase_label(n, name, lang) for n, name in zip(ph["phase_no"], ph["phase_name"], strict=False)]


def gantt_figure(phases: pd.DataFrame, by_phase: list[dict], *, as_of: Any,
                 current: int | None, title: str, lang: str = "zh",
                 meeting: bool = False) -> go.Figure:
    """The campaign timeline: one bar per phase from its start to the end of its end day,
    the current phase in the accent colour, past phases grey, later ones light; each bar
    is labelled with its completion; the as-of date is a vertical line.

    ``by_phase``: ``phase_metrics(...)["by_phase"]`` (or the contract JSON's)."""
    ph = phases.sort_values("phase_no").reset_index(drop=True)
    D = pd.Timestamp(as_of).normalize()
    comp = {int(p["phase_no"]): p for p in by_phase}
    labels = _labels(ph, lang)
    colors, texts, hovers = [], [], []
    for no, start, end in zip(ph["phase_no"], ph["start_date"], ph["end_date"], strict=False):
        no = int(no)
        p = comp.get(no, {})
        c = p.get("completion")
        done = t("phases.gantt.done", lang, pct=fmt.pct(c)) if c is not None else t(
            "phases.no_tasks", lang)
        if no == current:
            colors.append(ACCENT)
            left = (pd.Timestamp(end) - D).days
            texts.append(f"{done} · {t('phases.gantt.days_left', lang, days=left)}")
        elif pd.Timestamp(end) < D:
            colors.append(PAST_COLOR)
            texts.append(done)
        else:
            colors.append(SECONDARY)
            texts.append(t("phases.gantt.not_started", lang) if pd.Timestamp(start) > D else done)
        hovers.append(f"{fmt.day(iso(start), lang)} – {fmt.day(iso(end), lang)}")
    durations = [((pd.Timestamp(e) - pd.Timestamp(s)).days + 1) * DAY_MS
                 for s, e in zip(ph["start_date"], ph["end_date"], strict=False)]
    fig = go.Figure(go.Bar(
        y=labels, x=durations, base=[iso(s) for s in ph["start_date"]], orientation="h",
        meta="phases", marker={"color": colors, "line": {"color": "white", "width": 1}},
        text=texts, textposition="inside", insidetextanchor="start",
        customdata=hovers, hovertemplate="%{y}<br>%{customdata}<br>%{text}<extra></extra>",
        showlegend=False))
    vline(fig, D, t("phases.gantt.as_of_line", lang, date=fmt.day(iso(D), lang)), STATUS_COLORS["red"])
    date_axis(fig, lang, tickformat="%b %-d" if lang == "en" else "%-m月%-d日")
    fig.update_yaxes(autorange="reversed", showgrid=False)
    row = 70 if meeting else 48
    return apply_layout(fig, title, meeting=meeting, legend=False,
                        height=130 + row * max(1, len(labels)))


def completion_figure(phases: pd.DataFrame, by_phase: list[dict], *, current: int | None,
                      behind: bool | None, title: str, lang: str = "zh",
                      meeting: bool = False) -> go.Figure:
    """Per phase: completion (bars, fraction) and expected (a marker, fraction). The
    current phase's bar is red and labelled when it is ``behind``."""
    ph = phases.sort_values("phase_no").reset_index(drop=True)
    comp = {int(p["phase_no"]): p for p in by_phase}
    labels = _labels(ph, lang)
    ys, exps, colors, texts = [], [], [], []
    for no in ph["phase_no"]:
        p = comp.get(int(no), {})
        c, e = p.get("completion"), p.get("expected")
        ys.append(None if c is None else float(c))
        exps.append(None if e is None else float(e))
        if int(no) == current and behind:
            colors.append(STATUS_COLORS["red"])
            texts.append(f"{fmt.pct(c)} · {t('phases.behind_mark', lang)}")
        else:
            colors.append(ACCENT if int(no) == current else NEUTRAL)
            texts.append(t("phases.no_tasks", lang) if c is None else fmt.pct(c))
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=labels, y=ys, meta="completion", name=t("phases.completion", lang),
        marker={"color": colors}, text=texts, textposition="auto", insidetextanchor="start",
        cliponaxis=False,
        hovertemplate="%{x}<br>" + t("phases.completion", lang) + ": %{y:.1%}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=labels, y=exps, meta="expected", mode="markers", name=t("phases.expected", lang),
        marker={"symbol": "line-ew", "size": 60 if meeting else 44, "color": "black",
                "line": {"width": 4, "color": "black"}},
        hovertemplate="%{x}<br>" + t("phases.expected", lang) + ": %{y:.1%}<extra></extra>"))
    fig.update_yaxes(range=[0, 1.15], tickformat=".0%")
    fig.update_xaxes(showgrid=False)
    return apply_layout(fig, title, meeting=meeting)


def heat_figure(table: pd.DataFrame, phases: pd.DataFrame, township_names: dict[str, str], *,
                title: str, lang: str = "zh", meeting: bool = False) -> go.Figure:
    """Township × phase completion (``metrics.phases.township_phase_table``): one cell per
    township and phase, with its value as text (— when a township has no task in that
    phase). Low completion is the darkest red, full completion pale: the laggard is the
    cell the eye finds first."""
    ph = phases.sort_values("phase_no")
    names = {int(n): phase_label(n, nm, lang) for n, nm in zip(ph["phase_no"], ph["phase_name"], strict=False)}
    cols = [names.get(int(c), str(c)) for c in table.columns]
    rows = [township_names.get(c, c) for c in table.index]
    z = [[None if pd.isna(v) else float(v) for v in row] for row in table.to_numpy()]
    text = [[fmt.pct(v) for v in row] for row in z]
    scale = [[i / (len(LAGGARD_RAMP) - 1), c] for i, c in enumerate(LAGGARD_RAMP)]
    fig = go.Figure(go.Heatmap(
        z=z, x=cols, y=rows, text=text, texttemplate="%{text}", meta="heat",
        colorscale=scale, zmin=0, zmax=1, xgap=2, ygap=2,
        textfont={"size": 18 if meeting else 12},
        colorbar={"tickformat": ".0%", "title": {"text": t("phases.completion", lang)}},
        hovertemplate="%{y} · %{x}<br>%{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(side="top", showgrid=False)
    row = 44 if meeting else 30
    fig = apply_layout(fig, title, meeting=meeting, legend=False,
                       height=160 + row * max(1, len(rows)))
    fig.update_layout(margin={"t": 130 if meeting else 90})  # room for the phase names on top
    return fig
