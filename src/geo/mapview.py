"""The township map: classes, colours, legend and the folium map, with no Streamlit.

    cls = classify(report, "overdue_rate", "zh")          # classes + colour per township
    m, legend = build_map(gdf, report, "overdue_rate", "zh", villages=villages)
    html = legend_html(legend)                            # the legend drawn next to the map

`report` is the contract's metrics JSON (:func:`duzhan.metrics.report.metrics_report`);
its ``townships`` are the ones in scope. Continuous metrics are classed with mapclassify
(Fisher–Jenks natural breaks, deterministic, k ≤ 5, fewer when there are fewer distinct
values); status is categorical with the shared palette. A :class:`Legend` carries the
classes, colours and labels, so a static export can draw the same map.

The folium map loads only the local Leaflet (:mod:`duzhan.geo.assets`): no tiles, no CDN.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import folium
import jinja2
import pandas as pd

from duzhan.geo.assets import LEAFLET_CSS, LEAFLET_JS, URL_BASE
from duzhan.i18n import t
from duzhan.presentation import format as fmt
from duzhan.presentation.fonts import CSS_FONT_FAMILY_SINGLE
from duzhan.presentation.palette import (
    ACCENT,
    NEUTRAL,
    SEQUENTIAL,
    STATUS_COLORS,
    STATUS_ORDER,
    STATUS_SYMBOLS,
)

OUT_OF_SCOPE = "#FFFFFF"
BORDER = "#4D4D4D"
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
    )
}


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
        return fmt.pct(value, signed=True)
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
        yb = {c: int(i) for c, i in zip(codes, mc.yb)}
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


# --------------------------------------------------------------------------- table / tooltip


FIGURE_COLUMNS = ("status", "closure_rate", "open_issues", "overdue_open", "tasks_overdue",
                  "disbursement_rate", "progress_gap", "overdue_rate", "par30", "balance")


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
                        gap=fmt.pct(fun.get("progress_gap"), signed=True)),
        "loans_text": t("map.tip.loans", lang, rate=fmt.pct(loa.get("overdue_rate")),
                        balance=fmt.wan(loa.get("balance"), lang)),
        "tasks_text": fmt.count(metric_value(entry, "tasks_overdue")),
    }


def tooltip_fields(metric: str) -> list[str]:
    """The tooltip rows; the chosen measure's own row unless it is the status itself."""
    return [f for f in TOOLTIP_FIELDS if not (metric == "status" and f == "value_text")]


def tooltip_aliases(metric: str, lang: str) -> list[str]:
    label = {
        "township_name": t("map.tip.township", lang), "status_text": t("map.tip.status", lang),
        "value_text": t(f"map.metric.{metric}", lang),
        "issues_text": t("map.tip.issues_label", lang), "funds_text": t("map.tip.funds_label", lang),
        "loans_text": t("map.tip.loans_label", lang), "tasks_text": t("map.tip.tasks_label", lang),
    }
    return [label[f] for f in tooltip_fields(metric)]


# --------------------------------------------------------------------------- folium map


def county_bounds(gdf) -> list[list[float]]:
    """[[south, west], [north, east]] of the township polygons."""
    minx, miny, maxx, maxy = (float(v) for v in gdf.total_bounds)
    return [[miny, minx], [maxy, maxx]]


class _LocalIconPath(folium.MacroElement):
    """Point Leaflet's default marker images at the local copy (no 404s, no CDN)."""

    _template = jinja2.Template(
        "{% macro script(this, kwargs) %}L.Icon.Default.imagePath = {{ this.path|tojson }};"
        "{% endmacro %}")

    def __init__(self, path: str):
        super().__init__()
        self._name = "LocalIconPath"
        self.path = path


def local_map(bounds: Sequence[Sequence[float]], static: bool = False) -> folium.Map:
    """A folium map with no tiles that loads only the locally served Leaflet."""
    (s, w), (n, e) = bounds
    opts: dict[str, Any] = {}
    if static:
        opts = dict(dragging=False, scrollWheelZoom=False, doubleClickZoom=False,
                    touchZoom=False, boxZoom=False, keyboard=False)
    m = folium.Map(location=[(s + n) / 2, (w + e) / 2], zoom_start=9, tiles=None,
                   zoom_control=not static, control_scale=not static, attribution_control=False,
                   zoom_snap=0.25, **opts)
    m.default_js = list(LEAFLET_JS)
    m.default_css = list(LEAFLET_CSS)
    _LocalIconPath(f"{URL_BASE}/images/").add_to(m)
    m.get_root().header.add_child(folium.Element(
        "<style>.leaflet-container{background:#F4F6F8}"
        f".leaflet-tooltip{{font-family:{CSS_FONT_FAMILY_SINGLE}}}</style>"))
    m.fit_bounds(bounds, padding=(6, 6))
    return m


def map_geojson(gdf, report: Mapping[str, Any], metric: str, lang: str,
                cls: Classification, scope: Iterable[str] | None = None) -> dict:
    """The townships as GeoJSON whose properties carry the fill colour, the class and the
    formatted tooltip texts. `scope`: the codes in the filtered scope (None = all), drawn
    outlined while the others fade; a township missing from the report is drawn blank."""
    entries = {e["township_code"]: e for e in report.get("townships", [])}
    scope_set = None if scope is None else set(scope)
    features = []
    for row in gdf.itertuples(index=False):
        code = str(row.township_code)
        e = entries.get(code)
        props: dict[str, Any] = {
            "township_code": code,
            "township_name": str(row.township_name),
            "in_scope": scope_set is None or code in scope_set,
            "selected": scope_set is not None and code in scope_set,
        }
        if e is not None:
            props["fill"] = cls.color_of.get(code, NEUTRAL)
            props["cls"] = cls.class_of.get(code, "none")
            props.update(feature_properties(e, metric, lang))
        else:
            props["fill"] = OUT_OF_SCOPE
            props["cls"] = "out"
            props.update({f: "" for f in TOOLTIP_FIELDS if f != "township_name"})
            props["status_text"] = t("map.out_of_scope", lang)
        features.append({"type": "Feature", "id": code, "properties": props,
                         "geometry": row.geometry.__geo_interface__})
    return {"type": "FeatureCollection", "features": features}


def _style(feature: Mapping[str, Any]) -> dict[str, Any]:
    p = feature["properties"]
    return {
        "fillColor": p["fill"],
        "fillOpacity": 0.85 if p["in_scope"] else 0.3,
        "color": "#000000" if p["selected"] else BORDER,
        "weight": 3 if p["selected"] else 1,
    }


def _highlight(feature: Mapping[str, Any]) -> dict[str, Any]:
    return {"weight": 3, "color": ACCENT}


def build_map(gdf, report: Mapping[str, Any], metric: str, lang: str, *,
              villages: pd.DataFrame | None = None, scope: Iterable[str] | None = None,
              static: bool = False, labels: bool = True,
              classification: Classification | None = None) -> tuple[folium.Map, Legend]:
    """(folium map, legend) of the townships coloured by `metric`.

    `report` holds the townships to colour (classes are computed over them); `scope`: the
    codes of the filtered scope (outlined; the others fade), None = the whole county.
    `villages`: rows with village_name, longitude, latitude of the listed villages (drawn
    as circle markers). `static`: no zoom/drag (the small overview map)."""
    cls = classification or classify(report, metric, lang)
    m = local_map(county_bounds(gdf), static=static)
    data = map_geojson(gdf, report, metric, lang, cls, scope)
    gj = folium.GeoJson(
        data,
        name=t(f"map.metric.{metric}", lang),
        style_function=_style,
        highlight_function=None if static else _highlight,
        tooltip=folium.GeoJsonTooltip(fields=tooltip_fields(metric),
                                      aliases=tooltip_aliases(metric, lang), sticky=True),
        zoom_on_click=False,
    )
    gj.add_to(m)
    if labels:
        _add_labels(m, gdf, scope)
    if villages is not None and len(villages):
        _add_villages(m, villages, lang)
    return m, cls.legend


def _add_labels(m: folium.Map, gdf, scope: Iterable[str] | None) -> None:
    """Township names at a point inside each polygon (plain text, no icon images)."""
    scope_set = None if scope is None else set(scope)
    for row in gdf.itertuples(index=False):
        p = row.geometry.representative_point()
        weight = 700 if scope_set is None or str(row.township_code) in scope_set else 400
        folium.Marker(
            [p.y, p.x],
            icon=folium.DivIcon(
                html=(f"<div style=\"font:{weight} 12px {CSS_FONT_FAMILY_SINGLE};color:#1a1a1a;text-shadow:0 0 3px #fff,0 0 3px #fff;"
                      f"white-space:nowrap;transform:translate(-50%,-50%);"
                      f"pointer-events:none\">{row.township_name}</div>"),
                icon_size=(0, 0), class_name="duzhan-label"),
            interactive=False,
        ).add_to(m)


def _add_villages(m: folium.Map, villages: pd.DataFrame, lang: str) -> None:
    group = folium.FeatureGroup(name=t("map.listed_villages", lang))
    for v in villages.itertuples(index=False):
        if v.longitude is None or v.latitude is None or _isnan(v.longitude) or _isnan(v.latitude):
            continue
        folium.CircleMarker(
            [float(v.latitude), float(v.longitude)], radius=4, weight=1.5, color="#1a1a1a",
            fill=True, fill_color="#FFFFFF", fill_opacity=1.0,
            tooltip=t("map.village_tip", lang, name=v.village_name),
        ).add_to(group)
    group.add_to(m)


def cdn_urls(m: folium.Map) -> list[str]:
    """Every remote (http/https) script or stylesheet the map would load: [] = offline-safe."""
    import re

    html = m.get_root().render()
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html, flags=re.IGNORECASE)
    urls = [u for tag in tags for u in re.findall(r"(?:src|href)=[\"']([^\"']+)", tag)]
    for el in _walk(m):
        urls += [u for _, u in getattr(el, "default_js", [])]
        urls += [u for _, u in getattr(el, "default_css", [])]
    return sorted({u for u in urls if u.lower().startswith(("http:", "https:", "//"))})


def _walk(el) -> Iterable[Any]:
    yield el
    for child in getattr(el, "_children", {}).values():
        yield from _walk(child)


# --------------------------------------------------------------------------- legend


def legend_html(legend: Legend, symbols: bool = True) -> str:
    """The legend as HTML (swatch, label, number of townships) for st.markdown / exports."""
    rows = list(legend.classes) + ([legend.no_data] if legend.no_data else [])
    items = "".join(
        "<div style='display:flex;align-items:center;gap:.5em;margin:.25em 0'>"
        f"<span style='display:inline-block;width:1.4em;height:1em;background:{c.color};"
        "border:1px solid #4D4D4D;border-radius:2px'></span>"
        f"<span>{c.label}</span>"
        f"<span style='color:#666;margin-left:auto'>{c.count}</span></div>"
        for c in rows
    )
    note = f"<div style='color:#666;font-size:.85em;margin-top:.4em'>{legend.note}</div>" if legend.note else ""
    return (f"<div class='duzhan-legend' style='line-height:1.3'>"
            f"<div style='font-weight:600;margin-bottom:.3em'>{legend.title}</div>{items}{note}</div>")
