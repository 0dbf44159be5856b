"""The township map in folium, with no Streamlit: the classes of
:mod:`duzhan.geo.classification` drawn as Leaflet polygons, labels and village markers,
and the legend as HTML.

    m, legend = build_map(gdf, report, "overdue_rate", "zh", villages=villages)
    html = legend_html(legend)                            # the legend drawn next to the map

The folium map loads only the local Leaflet (:mod:`duzhan.geo.assets`): no tiles, no CDN.
Every text that reaches the browser's HTML (tooltips, labels, legend) goes through
:func:`duzhan.presentation.markup.escape`: ledger names are data, never markup.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import unescape
from typing import Any

import folium
import jinja2
import pandas as pd
from folium.utilities import JsCode

from duzhan.geo.assets import LEAFLET_CSS, LEAFLET_JS, URL_BASE
from duzhan.geo.classification import (
    BORDER,
    LABEL_PX,
    NEUTRAL,
    OUT_OF_SCOPE,
    TOOLTIP_FIELDS,
    Classification,
    Legend,
    classify,
    feature_properties,
    tooltip_aliases,
    tooltip_fields,
    township_label,
)
from duzhan.i18n import t
from duzhan.presentation.fonts import CSS_FONT_FAMILY_SINGLE
from duzhan.presentation.markup import escape
from duzhan.presentation.palette import ACCENT


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


class _ScaleBar(folium.MacroElement):
    """Leaflet's scale control, metric only, its units in the page's language (10 公里):
    folium's `control_scale` adds miles and English units."""

    _template = jinja2.Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = L.control.scale({imperial: false, metric: true});"
        "{{ this.get_name() }}._updateMetric = function (maxMeters) {"
        "var m = this._getRoundNum(maxMeters);"
        "var label = m < 1000 ? {{ this.m|tojson }}.replace('{n}', m)"
        " : {{ this.km|tojson }}.replace('{n}', m / 1000);"
        "this._updateScale(this._mScale, label, m / maxMeters); };"
        "{{ this.get_name() }}.addTo({{ this._parent.get_name() }});"
        "{% endmacro %}")

    def __init__(self, lang: str):
        super().__init__()
        self._name = "ScaleBar"
        self.m = t("unit.metres", lang, n="{n}")
        self.km = t("exports.map.scale_km", lang, km="{n}")


def local_map(bounds: Sequence[Sequence[float]], static: bool = False,
              lang: str = "zh", padding: tuple[int, int] = (6, 6)) -> folium.Map:
    """A folium map with no tiles that loads only the locally served Leaflet; `padding`:
    pixels (across, down) kept free around `bounds`."""
    (s, w), (n, e) = bounds
    opts: dict[str, Any] = {}
    if static:
        opts = dict(dragging=False, scrollWheelZoom=False, doubleClickZoom=False,
                    touchZoom=False, boxZoom=False, keyboard=False)
    m = folium.Map(location=[(s + n) / 2, (w + e) / 2], zoom_start=9, tiles=None,
                   zoom_control=not static, control_scale=False, attribution_control=False,
                   zoom_snap=0.25, **opts)
    if not static:
        _ScaleBar(lang).add_to(m)
    m.default_js = list(LEAFLET_JS)
    m.default_css = list(LEAFLET_CSS)
    _LocalIconPath(f"{URL_BASE}/images/").add_to(m)
    m.get_root().header.add_child(folium.Element(
        "<style>.leaflet-container{background:#F4F6F8}"
        f".leaflet-tooltip{{font-family:{CSS_FONT_FAMILY_SINGLE}}}</style>"))
    m.fit_bounds(bounds, padding=padding)
    return m


def map_geojson(gdf, report: Mapping[str, Any], metric: str, lang: str,
                cls: Classification, scope: Iterable[str] | None = None) -> dict:
    """The townships as GeoJSON whose properties carry the fill colour, the class and the
    formatted tooltip texts, escaped (folium's tooltip sets them as innerHTML). `scope`: the
    codes in the filtered scope (None = all), drawn outlined while the others fade; a
    township missing from the report is drawn blank."""
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
        props.update({f: escape(props[f]) for f in TOOLTIP_FIELDS})
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
              classification: Classification | None = None,
              label_px: int = LABEL_PX) -> tuple[folium.Map, Legend]:
    """(folium map, legend) of the townships coloured by `metric`.

    `report` holds the townships to colour (classes are computed over them); `scope`: the
    codes of the filtered scope (outlined; the others fade), None = the whole county.
    `villages`: rows with village_name, longitude, latitude of the listed villages (drawn
    as circle markers). `static`: no zoom/drag (the small overview map). `label_px`: the
    township names' size (classification.label_px(meeting)). Relocation sites go on
    with `site_markers`."""
    cls = classification or classify(report, metric, lang)
    names = label_geojson(gdf, scope, cls) if labels else None
    m = local_map(county_bounds(gdf), static=static, lang=lang,
                  padding=label_padding(names, label_px))
    data = map_geojson(gdf, report, metric, lang, cls, scope)
    gj = folium.GeoJson(
        data,
        name=t(f"map.metric.{metric}", lang),
        style_function=_style,
        highlight_function=None if static else _highlight,
        tooltip=folium.GeoJsonTooltip(fields=tooltip_fields(metric),
                                      aliases=[escape(a) for a in tooltip_aliases(metric, lang)],
                                      sticky=True),
        zoom_on_click=False,
    )
    gj.add_to(m)
    if names is not None:
        _add_labels(m, names, label_px)
    if villages is not None and len(villages):
        _add_villages(m, villages, lang)
    return m, cls.legend


# Labels and villages are one GeoJSON layer each: Leaflet makes the markers from the points
# (pointToLayer), so a map costs the same few templates whatever the number of townships and
# villages (one folium Marker per feature compiled a Jinja template each, on every rerun).
_LABEL_TO_LAYER = JsCode(
    "function(feature, latlng) {var p = feature.properties;"
    " return L.marker(latlng, {interactive: false, keyboard: false, icon: L.divIcon({"
    "className: 'duzhan-label', iconSize: [0, 0],"
    " html: '<div style=\"font-weight:' + p.weight + '\">' + p.label + '</div>'})});}")
_VILLAGE_TOOLTIP = JsCode(
    "function(feature, layer) {layer.bindTooltip(feature.properties.tip, {sticky: true});}")


def _points(rows: Iterable[tuple[float, float, dict[str, Any]]]) -> dict:
    """A FeatureCollection of (longitude, latitude, properties) points."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props,
         "geometry": {"type": "Point", "coordinates": [lon, lat]}} for lon, lat, props in rows]}


def label_geojson(gdf, scope: Iterable[str] | None = None,
                  cls: Classification | None = None) -> dict:
    """Township names at a point inside each polygon (with the status symbol on the status
    map), escaped (the label is set as HTML); bold in the scope (or everywhere when no scope
    is chosen)."""
    scope_set = None if scope is None else set(scope)
    rows = []
    for row in gdf.itertuples(index=False):
        p = row.geometry.representative_point()
        weight = 700 if scope_set is None or str(row.township_code) in scope_set else 400
        rows.append((float(p.x), float(p.y), {"township_code": str(row.township_code),
                                              "label": escape(
                                                  row.township_name if cls is None else
                                                  township_label(row.township_name,
                                                                 row.township_code, cls)),
                                              "weight": weight}))
    return _points(rows)


def village_geojson(villages: pd.DataFrame, lang: str) -> dict:
    """The listed villages with a position, their tooltip text escaped."""
    return _points(
        (float(v.longitude), float(v.latitude),
         {"village_name": escape(v.village_name),
          "tip": escape(t("map.village_tip", lang, name=v.village_name))})
        for v in villages.itertuples(index=False)
        if not (pd.isna(v.longitude) or pd.isna(v.latitude)))


MAX_PADDING = (80, 40)  # px across, down: the overview's map is about 350 px high, 450 wide


def label_padding(names: Mapping[str, Any] | None, px: int) -> tuple[int, int]:
    """fit_bounds padding (across, down) in pixels that keeps a label centred on a township at
    the county's edge inside the map (平寨镇 at 20 px on the projector was cut at the right):
    half the widest label (a CJK character is about `px` wide) and a line's height, at most
    MAX_PADDING: a padding wider than the map (a 60-character name) leaves Leaflet no zoom
    (NaN) and draws no polygon at all."""
    labels = [f["properties"]["label"] for f in (names or {}).get("features", [])]
    if not labels:
        return (6, 6)
    widest = max(len(unescape(label)) for label in labels)
    return (min(6 + (widest * px + 1) // 2, MAX_PADDING[0]), min(6 + px, MAX_PADDING[1]))


def _add_labels(m: folium.Map, names: dict, px: int) -> None:
    """Township names (with the status symbol on the status map) as plain text (no icon
    images), not clickable; `px`: their size."""
    m.get_root().header.add_child(folium.Element(
        f"<style>.duzhan-label div{{font:{px}px {CSS_FONT_FAMILY_SINGLE};color:#1a1a1a;"
        "text-shadow:0 0 3px #fff,0 0 3px #fff;white-space:nowrap;"
        "transform:translate(-50%,-50%);pointer-events:none}</style>"))
    folium.GeoJson(names, name="labels", control=False,
                   point_to_layer=_LABEL_TO_LAYER).add_to(m)


def _add_villages(m: folium.Map, villages: pd.DataFrame, lang: str) -> None:
    """The listed villages as white circle markers with their name as tooltip."""
    folium.GeoJson(
        village_geojson(villages, lang), name=t("map.listed_villages", lang),
        marker=folium.CircleMarker(radius=4, weight=1.5, color="#1a1a1a", fill=True,
                                   fill_color="#FFFFFF", fill_opacity=1.0),
        on_each_feature=_VILLAGE_TOOLTIP,
    ).add_to(m)


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


def legend_html(legend: Legend, symbols: bool = True, inline: bool = False) -> str:
    """The legend as HTML (swatch, label, number of townships) for st.markdown / exports;
    its texts escaped. `inline`: the classes side by side, wrapping as a whole (under the
    small overview map), each count right after its label so none is cut."""
    rows = list(legend.classes) + ([legend.no_data] if legend.no_data else [])
    row_style = ("display:inline-flex;align-items:center;gap:.35em;margin:.2em 1.2em .2em 0;"
                 "white-space:nowrap" if inline else
                 "display:flex;align-items:center;gap:.5em;margin:.25em 0")
    count_style = "color:#666" if inline else "color:#666;margin-left:auto"
    items = "".join(
        f"<div style='{row_style}'>"
        f"<span style='display:inline-block;width:1.4em;height:1em;background:{c.color};"
        "border:1px solid #4D4D4D;border-radius:2px;flex:none'></span>"
        f"<span>{escape(c.label)}</span>"
        f"<span style='{count_style}'>{c.count}</span></div>"
        for c in rows
    )
    note = (f"<div style='color:#666;font-size:.85em;margin-top:.4em'>{escape(legend.note)}</div>"
            if legend.note else "")
    return (f"<div class='duzhan-legend' style='line-height:1.3'>"
            f"<div style='font-weight:600;margin-bottom:.3em'>{escape(legend.title)}</div>{items}{note}</div>")


# --------------------------------------------------------------------------- relocation sites

SITE_RADIUS = (5.0, 16.0)  # px: a site's marker from the smallest plan to the largest
_TIP_TO_LAYER = _VILLAGE_TOOLTIP  # a point's tooltip: its escaped `tip` property


def site_radius(planned: float, largest: float) -> float:
    """Marker radius by planned households, its area proportional to the plan."""
    lo, hi = SITE_RADIUS
    if largest <= 0:
        return lo
    return round(lo + (hi - lo) * (max(planned, 0) / largest) ** 0.5, 2)


def site_marker_geojson(sites: pd.DataFrame, lang: str) -> dict:
    """The sites with a position (viewmodels.households.site_frame rows): radius by
    planned households, fill by occupancy (palette.occupancy_color), the tooltip text
    escaped."""
    from duzhan.presentation import format as fmt
    from duzhan.presentation.palette import occupancy_color

    placed = sites.dropna(subset=["longitude", "latitude"])
    largest = float(placed["planned_households"].max()) if len(placed) else 0.0
    rows = []
    for s in placed.itertuples(index=False):
        occ = None if pd.isna(s.occupancy_rate) else float(s.occupancy_rate)
        emp = None if pd.isna(s.employment_rate) else float(s.employment_rate)
        rows.append((float(s.longitude), float(s.latitude), {
            "site_code": str(s.site_code),
            "radius": site_radius(float(s.planned_households), largest),
            "fill": occupancy_color(occ),
            "tip": escape(t("households.map.site_tip", lang, name=s.site_label,
                            moved_in=fmt.count(int(s.moved_in)),
                            planned=fmt.count(int(s.planned_households)), occupancy=fmt.pct(occ),
                            employed=fmt.count(int(s.employed)), employment=fmt.pct(emp))),
        }))
    return _points(rows)


def _site_style(feature: Mapping[str, Any]) -> dict[str, Any]:
    p = feature["properties"]
    return {"radius": p["radius"], "fillColor": p["fill"]}


def site_markers(m: folium.Map, sites: pd.DataFrame | None, lang: str) -> folium.Map:
    """The relocation sites on a map as one layer of plain CircleMarkers (no icon images,
    no tiles): sized by planned households, coloured by occupancy, the site's figures as
    tooltip. Returns the map (for `build_map(...)` chains); no sites, no layer."""
    if sites is None or not len(sites):
        return m
    data = site_marker_geojson(sites, lang)
    if not data["features"]:
        return m
    folium.GeoJson(
        data, name=t("households.map.layer", lang),
        marker=folium.CircleMarker(radius=SITE_RADIUS[0], weight=1.5, color="#1a1a1a",
                                   fill=True, fill_color="#FFFFFF", fill_opacity=0.9),
        style_function=_site_style, on_each_feature=_TIP_TO_LAYER,
    ).add_to(m)
    return m


def site_legend_bands() -> list[tuple[str, str]]:
    """(colour, label) of each occupancy band of the site markers (the page's legend and
    the map image's)."""
    from duzhan.presentation import format as fmt
    from duzhan.presentation.palette import LAGGARD_RAMP, occupancy_color

    steps = len(LAGGARD_RAMP) - 1
    return [(occupancy_color(i / steps), fmt.pct(i / steps) if i == steps else
             f"{fmt.pct(i / steps)} – {fmt.pct((i + 1) / steps)}") for i in range(steps + 1)]


def site_legend_html(lang: str) -> str:
    """The site markers' legend: occupancy bands in their colours, and what the size says."""
    bands = site_legend_bands()
    items = "".join(
        "<div style='display:flex;align-items:center;gap:.5em;margin:.2em 0'>"
        f"<span style='display:inline-block;width:.9em;height:.9em;border-radius:50%;"
        f"background:{color};border:1.5px solid #1a1a1a;flex:none'></span>"
        f"<span>{escape(label)}</span></div>" for color, label in bands)
    return (f"<div class='duzhan-legend' style='line-height:1.3;margin-top:.8em'>"
            f"<div style='font-weight:600;margin-bottom:.3em'>{escape(t('households.map.sites_legend', lang))}"
            f"</div>{items}<div style='color:#666;font-size:.85em;margin-top:.4em'>"
            f"{escape(t('households.map.sites_size', lang))}</div></div>")
