"""The folium township map: GeoJSON properties, labels, villages, legend HTML, no CDN."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from shapely.geometry import Point

from duzhan.geo import mapview as mv
from duzhan.geo.assets import LEAFLET_CSS, LEAFLET_JS
from duzhan.geo.boundaries import load_boundaries
from duzhan.geo.classification import OUT_OF_SCOPE, classify, township_label
from duzhan.presentation.palette import NEUTRAL, STATUS_COLORS
from tests.geo.helpers import entry, geojson_in, geojson_layers, label_points, village_points

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed")


def test_geojson_properties_carry_colour_class_and_tooltip_texts(tiny):
    gdf, report, rates, _ = tiny
    m, legend = mv.build_map(gdf, report, "overdue_rate", "zh", scope=["T5"])
    fc = geojson_in(m.get_root().render())
    cls = classify(report, "overdue_rate", "zh")
    props = {f["properties"]["township_code"]: f["properties"] for f in fc["features"]}
    assert set(props) == set(rates)
    for code, p in props.items():
        assert p["fill"] == cls.color_of[code]
        assert p["cls"] == cls.class_of[code]
        assert p["value_text"] == f"{rates[code] * 100:.1f}%"
        assert p["selected"] == (code == "T5") and p["in_scope"] == (code == "T5")
    assert props["T5"]["status_text"] == "● 红灯"
    assert props["T0"]["issues_text"] == "未销号 1，逾期 0，销号率 99.0%"
    assert legend == cls.legend


def test_township_missing_from_report_is_blank(tiny):
    gdf, report, _, _ = tiny
    part = {**report, "townships": report["townships"][:2]}
    fc = mv.map_geojson(gdf, part, "status", "en", classify(part, "status", "en"))
    p = {f["properties"]["township_code"]: f["properties"] for f in fc["features"]}
    assert p["T3"]["fill"] == OUT_OF_SCOPE and p["T3"]["cls"] == "out"
    assert p["T0"]["fill"] == STATUS_COLORS["green"]


def test_map_loads_only_local_leaflet(tiny):
    gdf, report, _, _ = tiny
    villages = pd.DataFrame({"village_name": ["甲村", "乙村"], "longitude": [107.05, 107.25],
                             "latitude": [26.05, 26.05], "listed": [True, True]})
    for static in (False, True):
        m, _ = mv.build_map(gdf, report, "status", "zh", villages=villages, static=static)
        html = m.get_root().render()
        assert mv.cdn_urls(m) == []
        assert not re.search(r"<(script|link)\b[^>]*(src|href)=[\"']?(https?:)?//", html, re.I)
        assert m.default_js == LEAFLET_JS and m.default_css == LEAFLET_CSS
        assert f'src="{LEAFLET_JS[0][1]}"' in html
        assert [f["geometry"]["coordinates"] for f in village_points(html)] == [
            [107.05, 26.05], [107.25, 26.05]]
        assert "L.tileLayer" not in html  # no tiles: nothing fetched from a tile server


def test_labels_and_villages_are_one_layer_each(tiny):
    """Township labels and villages are points of one GeoJSON layer each (Leaflet makes the
    markers), so the map's size in elements does not grow with the villages."""
    gdf, report, _, _ = tiny
    n = 40
    villages = pd.DataFrame({"village_name": [f"村{i}" for i in range(n)],
                             "longitude": [107.01 + i * 0.01 for i in range(n)],
                             "latitude": [26.05] * n, "listed": [True] * n})
    villages.loc[3, "longitude"] = None  # no position: not drawn
    m, _ = mv.build_map(gdf, report, "status", "zh", villages=villages, scope=["T1"])
    html = m.get_root().render()
    assert html.count("L.geoJson(null") == len(geojson_layers(html)) == 3
    assert "L.marker(" not in html.replace("return L.marker(latlng", "")
    labels = label_points(html)
    cls = classify(report, "status", "zh")  # the status map's labels carry the symbol
    assert [f["properties"]["label"] for f in labels] == [
        township_label(n, c, cls) for n, c in zip(gdf["township_name"], gdf["township_code"],
                                                  strict=True)]
    assert {f["properties"]["township_code"]: f["properties"]["weight"] for f in labels} == {
        c: 700 if c == "T1" else 400 for c in gdf["township_code"]}
    for f, poly in zip(labels, gdf.geometry, strict=True):  # inside its own township
        assert poly.contains(Point(f["geometry"]["coordinates"]))
    points = [f["properties"] for f in village_points(html)]
    assert [p["village_name"] for p in points] == [f"村{i}" for i in range(n) if i != 3]
    assert points[0]["tip"] == mv.escape(mv.t("map.village_tip", "zh", name="村0"))
    # without villages or labels, no such layer
    bare, _ = mv.build_map(gdf, report, "status", "zh", labels=False)
    assert len(geojson_layers(bare.get_root().render())) == 1


def test_cdn_check_catches_a_cdn_element(tiny):
    import folium
    from folium.plugins import Fullscreen

    gdf, report, _, _ = tiny
    m, _ = mv.build_map(gdf, report, "status", "zh")
    Fullscreen().add_to(m)  # a plugin that brings its own CDN script
    assert any(u.startswith("https://") for u in mv.cdn_urls(m))
    stock = folium.Map(tiles=None)  # a stock map: CDN Leaflet, jQuery, bootstrap
    assert any("cdn.jsdelivr.net" in u for u in mv.cdn_urls(stock))


def test_demo_boundaries_cover_every_township():
    gdf = load_boundaries()
    report = {"townships": [entry(c, n) for c, n in zip(gdf["township_code"], gdf["township_name"], strict=False)]}
    m, legend = mv.build_map(gdf, report, "status", "zh")
    fc = geojson_in(m.get_root().render())
    assert len(fc["features"]) == len(gdf) == 12
    assert all(f["properties"]["fill"] == STATUS_COLORS["green"] for f in fc["features"])
    (s, w), (n, e) = mv.county_bounds(gdf)
    assert s < n and w < e and 106 < w < 108 and 26 < s < 27


def test_legend_html(tiny):
    _, report, _, _ = tiny
    html = mv.legend_html(classify(report, "closure_rate", "zh").legend)
    assert "问题销号率" in html and "无数据" in html and NEUTRAL in html


HOSTILE = ["<img src=x onerror=alert(1)>", "`${alert(2)}`", "</script><script>alert(3)</script>",
           "\\\"'&<b>"]


def test_hostile_names_reach_the_map_as_text(tiny):
    """Township and village names are data: escaped in tooltips, labels and village markers,
    so neither the HTML nor folium's JS template literals can run them."""
    import html

    gdf, report, _, _ = tiny
    gdf = gdf.assign(township_name=[*HOSTILE, "乡4", "乡5"])
    report = {**report, "townships": [{**e, "township_name": n}
                                      for e, n in zip(report["townships"], gdf["township_name"], strict=False)]}
    villages = pd.DataFrame({"village_name": HOSTILE, "longitude": [107.05 + i * 0.1 for i in range(4)],
                             "latitude": [26.05] * 4, "listed": [True] * 4})
    m, _ = mv.build_map(gdf, report, "status", "zh", villages=villages)
    page = m.get_root().render()
    for raw in ("<img", "onerror=alert(1)>", "${alert", "<script>alert(3)", "<b>"):
        assert raw not in page
    props = {f["properties"]["township_code"]: f["properties"] for f in geojson_in(page)["features"]}
    for code, name in zip(gdf["township_code"], gdf["township_name"], strict=False):
        assert html.unescape(props[code]["township_name"]) == name
    # each label and village tooltip is the name escaped (set as HTML: shown verbatim)
    labels = [f["properties"]["label"] for f in label_points(page)]
    cls = classify(report, "status", "zh")
    shown = [township_label(n, c, cls) for n, c in zip(gdf["township_name"],
                                                        gdf["township_code"], strict=True)]
    assert labels[:4] == [mv.escape(name) for name in shown[:4]]
    assert [html.unescape(label) for label in labels] == shown
    villages_drawn = [f["properties"] for f in village_points(page)]
    assert [html.unescape(v["village_name"]) for v in villages_drawn] == HOSTILE
    for name, v in zip(HOSTILE, villages_drawn, strict=True):
        assert v["tip"] == mv.escape(mv.t("map.village_tip", "zh", name=name))


def test_legend_html_escapes_its_texts():
    from duzhan.geo.classification import Legend, LegendClass

    legend = Legend("status", "<img src=x onerror=alert(1)>", "categorical",
                    (LegendClass("#000000", "<script>alert(2)</script>", 1),), note="`${x}`")
    html = mv.legend_html(legend)
    assert "<img" not in html and "<script>" not in html and "${" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize(("lang", "metres", "km"), [("zh", "{n} 米", "{n} 公里"),
                                                     ("en", "{n} m", "{n} km")])
def test_scale_bar_is_metric_only_in_the_pages_language(tiny, lang, metres, km):
    gdf, report, _, _ = tiny
    html = mv.build_map(gdf, report, "status", lang)[0].get_root().render()
    assert "L.control.scale({imperial: false, metric: true})" in html
    assert f"{json.dumps(metres)}.replace" in html and f"{json.dumps(km)}.replace" in html
    # folium's own control (miles and English units) is gone; the small static map has none
    assert "L.control.scale()" not in html
    static = mv.build_map(gdf, report, "status", lang, static=True)[0].get_root().render()
    assert "L.control.scale" not in static


def _decoded(m) -> str:
    """The rendered map with its JSON \\u escapes decoded (labels sit in JS strings)."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda g: chr(int(g.group(1), 16)),
                  m.get_root().render())


def test_status_labels_carry_the_symbol_and_grow_for_the_projector(tiny):
    gdf, report, _, _ = tiny
    status = {e["township_code"]: e["status"] for e in report["townships"]}
    symbol = {"red": "●", "yellow": "▲", "green": "■"}
    names = dict(zip(gdf["township_code"], gdf["township_name"], strict=False))
    page = _decoded(mv.build_map(gdf, report, "status", "zh", label_px=20)[0])
    labels = {f["properties"]["township_code"]: f["properties"]["label"]
              for f in label_points(page)}
    assert labels == {code: f"{symbol[status[code]]} {name}" for code, name in names.items()}
    assert "font:20px" in page and "font:12px" not in page
    # a classed measure's labels are the bare names, at the desk size
    page = _decoded(mv.build_map(gdf, report, "overdue_rate", "zh")[0])
    labels = {f["properties"]["township_code"]: f["properties"]["label"]
              for f in label_points(page)}
    assert labels == names
    assert "font:12px" in page


def test_inline_legend_keeps_each_count_beside_its_label(tiny):
    _, report, _, _ = tiny
    legend = classify(report, "status", "zh").legend
    html = mv.legend_html(legend, inline=True)
    assert "margin-left:auto" not in html and html.count("display:inline-flex") == 3
    assert "margin-left:auto" in mv.legend_html(legend)  # the side legend: counts at the right


def _fit_padding(m) -> list[int]:
    html = m.get_root().render()
    (pad,) = re.findall(r'"padding":\s*\[(\d+),\s*(\d+)\]', html)
    return [int(p) for p in pad]


def test_fit_bounds_keeps_the_widest_label_inside_the_map(tiny):
    gdf, report, _, _ = tiny
    # status labels "● 乡0": 4 characters; half of the widest at px across, a line down
    names = mv.label_geojson(gdf, None, classify(report, "status", "zh"))
    assert mv.label_padding(names, 20) == (6 + 40, 6 + 20)
    # an escaped name is measured as shown (<乡>0 is 4 characters, not 12)
    assert mv.label_padding({"features": [{"properties": {"label": "&lt;乡&gt;0"}}]},
                            20) == (46, 26)
    room = _fit_padding(mv.build_map(gdf, report, "status", "zh", label_px=20)[0])
    desk = _fit_padding(mv.build_map(gdf, report, "status", "zh")[0])
    assert room == [46, 26] and desk == [6 + 24, 6 + 12]
    # a very long (hostile) name: capped, or Leaflet finds no zoom and draws nothing
    assert mv.label_padding({"features": [{"properties": {"label": "乡" * 60}}]},
                            20) == (mv.MAX_PADDING[0], 6 + 20)
    # no labels, nothing to keep in: the thin margin
    assert _fit_padding(mv.build_map(gdf, report, "status", "zh", labels=False)[0]) == [6, 6]
