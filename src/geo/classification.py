"""Map classification: each township's figure for a measure, its class, colour and legend,
and the formatted texts its tooltip shows; pure (no folium, no Streamlit).

    cls = classify(report, "overdue_rate", "zh")   # classes + colour per township
    cls.legend                                     # classes, colours, labels, counts

`report` is the contract's metrics JSON (:func:`duzhan.metrics.report.metrics_report`);
its ``townships`` are the ones in scope. Continuous metrics are classed with mapclassify
(Fisher–Jenks natural breaks, deterministic, k ≤ 5, fewer when there are fewer distinct
values); status is categorical with the shared palette. The interactive map
(:mod:`duzhan.geo.mapview`) and the static image (:mod:`duzhan.exports.mapimage`) draw the
same classes from here. Texts are plain: whoever puts them into HTML escapes them.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from duzhan.i18n import t
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import (
    NEUTRAL,
    SEQUENTIAL,
    STATUS_COLORS,
    STATUS_ORDER,
    STATUS_SYMBOLS,
)

OUT_OF_SCOPE = "#FFFFFF"  # a township missing from the report: drawn blank
BORDER = "#4D4D4D"  # township outlines, on the page and in the image
MAX_CLASSES = 5
SCHEME = "FisherJenks"


@dataclass(frozen=True)
class MetricSpec:
    key: str
    path: tuple[str, ...]  # into a report township entry; () = derived
    kind: str  # "status" | "rate" | "gap" | "count" | "money"
    worse: str = "high"  # the end that needs attention: "high" / "low" (darker = worse);
    # "none": darker = larger


METRICS: dict[str, MetricSpec] = {
    m.key: m
    for m in (
        MetricSpec("status", ("status",), "status"),
        MetricSpec("closure_rate", ("issues", "closure_rate"), "rate", "low"),
        MetricSpec("open_issues", ("issues", "open"), "count"),
        MetricSpec("overdue_open", ("issues", "overdue_open"), "count"),
        MetricSpec("disbursement_rate", ("funds", "disbursement_rate"), "rate", "low"),
        MetricSpec("progress_gap", ("funds", "progress_gap"), "gap", "low"),
        MetricSpec("overdue_rate", ("loans", "overdue_rate"), "rate"),
        MetricSpec("par30", ("loans", "par30"), "rate"),
        MetricSpec("balance", ("loans", "balance"), "money", "none"),
        MetricSpec("tasks_overdue", (), "count"),
        # the households (户情): 三保障 gaps, at-risk monitored households, site occupancy
        MetricSpec("any_gap", ("guarantees", "any_gap"), "count"),
        MetricSpec("at_risk", ("monitoring", "at_risk"), "count"),
        MetricSpec("occupancy_rate", ("relocation", "occupancy_rate"), "rate", "low"),
    )
}

# 督导 measures (issue 9): the report's supervision and reports blocks
SUPERVISION_METRICS = (
    MetricSpec("coverage_this_month", ("supervision", "coverage_this_month"), "rate", "low"),
    MetricSpec("yellow_cards_28d", ("supervision", "yellow_cards_28d"), "count"),
    MetricSpec("reporting_rate", ("reports", "reporting_rate"), "rate", "low"),
)
METRICS.update({m.key: m for m in SUPERVISION_METRICS})


def current_phase(entry: Mapping[str, Any]) -> Mapping[str, Any] | None:
    ph = entry.get("phases") or {}
    cur = ph.get("current_phase")
    return next((p for p in ph.get("by_phase", ()) if p["phase_no"] == cur), None)


def metric_value(entry: Mapping[str, Any], metric: str) -> Any:
    """The figure of one township (a report entry) for a metric; None when null."""
    spec = METRICS[metric]
    if metric == "tasks_overdue":
        cur = current_phase(entry)
        return None if cur is None else cur["tasks_overdue"]
    v: Any = entry
    for k in spec.path:
        v = (v or {}).get(k)
    return v


def format_value(metric: str, value: Any, lang: str) -> str:
    kind = METRICS[metric].kind
    if kind == "status":
        return fmt.DASH if value is None else f"{STATUS_SYMBOLS[value]} {t(f'status.{value}', lang)}"
    if kind == "rate":
        return fmt.pct(value)
    if kind == "gap":
        return fmt.pp(value, lang)
    if kind == "money":
        return fmt.wan(value, lang)
    return fmt.count(None if value is None else int(value))


# --------------------------------------------------------------------------- classes


@dataclass(frozen=True)
class LegendClass:
    color: str
    label: str
    count: int
    key: str = ""  # status word or class index as text
    symbol: str = ""
    low: float | None = None  # smallest member value (classed metrics)
    high: float | None = None  # mapclassify upper bound = largest member value


@dataclass(frozen=True)
class Legend:
    metric: str
    title: str
    kind: str  # "categorical" | "classed"
    classes: tuple[LegendClass, ...]
    no_data: LegendClass | None = None
    scheme: str | None = None
    bins: tuple[float, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Classification:
    legend: Legend
    color_of: dict[str, str] = field(default_factory=dict)  # township_code → fill colour
    class_of: dict[str, str] = field(default_factory=dict)  # township_code → class key


def ramp(k: int, worse: str = "high") -> list[str]:
    """k colours of the sequential palette, light → dark from the better end to the worse."""
    if k <= 0:
        return []
    if k == 1:
        colors = [SEQUENTIAL[len(SEQUENTIAL) // 2]]
    else:
        n = len(SEQUENTIAL) - 1
        colors = [SEQUENTIAL[round(i * n / (k - 1))] for i in range(k)]
    return colors[::-1] if worse == "low" else colors


def classify_values(values: Mapping[str, float | None], metric: str, lang: str,
                    k: int = MAX_CLASSES) -> Classification:
    """Fisher–Jenks classes (k ≤ 5, at most the number of distinct values) of township
    figures; None = no data (neutral grey)."""
    spec = METRICS[metric]
    known = {c: float(v) for c, v in values.items() if v is not None and not _isnan(v)}
    missing = [c for c in values if c not in known]
    distinct = sorted(set(known.values()))
    k = min(k, len(distinct))
    bins: list[float] = []
    yb: dict[str, int] = {}
    if k == 1:
        bins = [distinct[0]]
        yb = {c: 0 for c in known}
    elif k > 1:
        import mapclassify

        codes = list(known)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Numba not installed": the pure version is fine
            mc = mapclassify.FisherJenks([known[c] for c in codes], k=k)
        bins = [float(b) for b in mc.bins]
        yb = {c: int(i) for c, i in zip(codes, mc.yb, strict=False)}
        k = len(bins)
    colors = ramp(k, spec.worse)
    classes = []
    for i in range(k):
        members = [known[c] for c, j in yb.items() if j == i]
        lo = min(members) if members else None
        hi = bins[i]
        label = _range_label(metric, lo, hi, lang)
        classes.append(LegendClass(colors[i], label, len(members), str(i), low=lo, high=hi))
    no_data = (LegendClass(NEUTRAL, t("map.no_data", lang), len(missing), "none")
               if missing else None)
    color_of = {c: colors[yb[c]] for c in known}
    class_of = {c: str(yb[c]) for c in known}
    for c in missing:
        color_of[c], class_of[c] = NEUTRAL, "none"
    note = ""
    if k > 1:
        note = t("map.legend_note_worse" if spec.worse != "none" else "map.legend_note_larger", lang)
    legend = Legend(metric, t(f"map.metric.{metric}", lang), "classed", tuple(classes), no_data,
                    SCHEME if k > 1 else None, tuple(bins), note)
    return Classification(legend, color_of, class_of)


def classify_status(statuses: Mapping[str, str], lang: str) -> Classification:
    """Status is categorical: the palette's colour and symbol of red / yellow / green."""
    classes = tuple(
        LegendClass(STATUS_COLORS[s], f"{STATUS_SYMBOLS[s]} {t(f'status.{s}', lang)}",
                    sum(1 for v in statuses.values() if v == s), s, STATUS_SYMBOLS[s])
        for s in STATUS_ORDER
    )
    legend = Legend("status", t("map.metric.status", lang), "categorical", classes)
    return Classification(legend, {c: STATUS_COLORS[s] for c, s in statuses.items()},
                          dict(statuses))


def classify(report: Mapping[str, Any], metric: str, lang: str) -> Classification:
    """Classes of the townships of a metrics report (those in scope) for one metric."""
    entries = report.get("townships", [])
    if metric == "status":
        return classify_status({e["township_code"]: e["status"] for e in entries}, lang)
    return classify_values({e["township_code"]: metric_value(e, metric) for e in entries},
                           metric, lang)


def _isnan(v: Any) -> bool:
    return isinstance(v, float) and math.isnan(v)


def _range_label(metric: str, lo: float | None, hi: float | None, lang: str) -> str:
    if lo is None or hi is None:
        return format_value(metric, hi, lang)
    a, b = format_value(metric, lo, lang), format_value(metric, hi, lang)
    return a if a == b else f"{a} – {b}"


# --------------------------------------------------------------------------- polygon labels

LABEL_PX = 12  # township names on the page's map
MEETING_LABEL_PX = 20  # … on the projector


def label_px(meeting: bool) -> int:
    return MEETING_LABEL_PX if meeting else LABEL_PX


def township_label(name: str, code: str, cls: Classification) -> str:
    """A township's label on the map: its status symbol first on the status map (● 河口乡),
    so a colour-blind reader finds red and yellow on the polygons too; plain text."""
    key = cls.class_of.get(str(code)) if cls.legend.metric == "status" else None
    return f"{STATUS_SYMBOLS[key]} {name}" if key in STATUS_SYMBOLS else str(name)


# --------------------------------------------------------------------------- table / tooltip


FIGURE_COLUMNS = ("status", "closure_rate", "open_issues", "overdue_open", "tasks_overdue",
                  "disbursement_rate", "progress_gap", "overdue_rate", "par30", "balance",
                  "any_gap", "at_risk", "occupancy_rate")
FIGURE_COLUMNS += tuple(m.key for m in SUPERVISION_METRICS)


def figures_frame(report: Mapping[str, Any]) -> pd.DataFrame:
    """One row per township in scope: code, name and the map's metrics (raw numbers)."""
    rows = []
    for e in report.get("townships", []):
        row = {"township_code": e["township_code"], "township_name": e.get("township_name")}
        for m in FIGURE_COLUMNS:
            row[m] = metric_value(e, m)
        rows.append(row)
    return pd.DataFrame(rows, columns=["township_code", "township_name", *FIGURE_COLUMNS])


TOOLTIP_FIELDS = ("township_name", "status_text", "value_text", "issues_text",
                  "funds_text", "loans_text", "tasks_text")
TOOLTIP_FIELDS += ("supervision_text",)


def feature_properties(entry: Mapping[str, Any], metric: str, lang: str) -> dict[str, str]:
    """The formatted strings a township's tooltip shows (computed here, not in the browser)."""
    iss, fun, loa = entry.get("issues", {}), entry.get("funds", {}), entry.get("loans", {})
    return {
        "status_text": format_value("status", entry.get("status"), lang),
        "value_text": format_value(metric, metric_value(entry, metric), lang),
        "issues_text": t("map.tip.issues", lang, open=fmt.count(iss.get("open")),
                         overdue=fmt.count(iss.get("overdue_open")),
                         rate=fmt.pct(iss.get("closure_rate"))),
        "funds_text": t("map.tip.funds", lang, rate=fmt.pct(fun.get("disbursement_rate")),
                        gap=fmt.pp(fun.get("progress_gap"), lang)),
        "loans_text": t("map.tip.loans", lang, rate=fmt.pct(loa.get("overdue_rate")),
                        balance=fmt.wan(loa.get("balance"), lang)),
        "tasks_text": fmt.count(metric_value(entry, "tasks_overdue")),
        **supervision_properties(entry, lang),
    }


def supervision_properties(entry: Mapping[str, Any], lang: str) -> dict[str, str]:
    """The tooltip's 督导 line: coverage this month, yellow cards (28 days), reporting rate."""
    return {"supervision_text": t(
        "map.tip.supervision", lang,
        coverage=format_value("coverage_this_month", metric_value(entry, "coverage_this_month"),
                              lang),
        yellow=format_value("yellow_cards_28d", metric_value(entry, "yellow_cards_28d"), lang),
        rate=format_value("reporting_rate", metric_value(entry, "reporting_rate"), lang))}


def tooltip_fields(metric: str) -> list[str]:
    """The tooltip rows; the chosen measure's own row unless it is the status itself."""
    return [f for f in TOOLTIP_FIELDS if not (metric == "status" and f == "value_text")]


def tooltip_aliases(metric: str, lang: str) -> list[str]:
    label = {
        "township_name": t("map.tip.township", lang), "status_text": t("map.tip.status", lang),
        "value_text": t(f"map.metric.{metric}", lang),
        "issues_text": t("map.tip.issues_label", lang), "funds_text": t("map.tip.funds_label", lang),
        "loans_text": t("map.tip.loans_label", lang), "tasks_text": t("map.tip.tasks_label", lang),
        "supervision_text": t("map.tip.supervision_label", lang),
    }
    return [label[f] for f in tooltip_fields(metric)]
