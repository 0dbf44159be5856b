"""The township map builder: classes, colours, legend, GeoJSON properties, no CDN."""
from __future__ import annotations

import json
import re

import geopandas as gpd
import mapclassify
import pandas as pd
import pytest
from shapely.geometry import box

from duzhan.geo import mapview as mv
from duzhan.geo.assets import LEAFLET_CSS, LEAFLET_JS
from duzhan.geo.boundaries import load_boundaries
from duzhan.presentation.palette import NEUTRAL, SEQUENTIAL, STATUS_COLORS, STATUS_SYMBOLS

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed")


def entry(code, name, status="green", closure=0.9, overdue_open=0, rate=0.0, gap=0.0,
          disb=0.8, balance=100000.0, tasks_overdue=0, reasons=()):
    return {
        "township_code": code, "township_name": name, "status": status,
        "status_reasons": list(reasons),
        "issues": {"found": 10, "closed": 9, "open": 1, "closure_rate": closure,
                   "overdue_open": overdue_open, "closed_last_28d": 1,
                   "forecast_clear_date": None, "clearance_target": None},
        "funds": {"allocated": 1e6, "disbursed": 8e5, "disbursement_rate": disb,
                  "time_progress": 0.5, "progress_gap": gap, "stalled_projects": 0},
        "loans": {"active_loans": 3, "balance": balance, "overdue_loans": 0,
                  "overdue_balance": 0.0, "overdue_rate": rate, "par30": rate, "par90": 0.0,
                  "due_30d_loans": 0, "due_30d_balance": 0.0, "extended_loans": 0,
                  "buckets": {}},
        "phases": {"current_phase": 1, "by_phase": [
            {"phase_no": 1, "tasks_total": 4, "tasks_done": 2, "completion": 0.5,
             "expected": 0.5, "tasks_overdue": tasks_overdue}]},
    }


@pytest.fixture
def tiny():
    """Six square townships in a row and a report with known figures."""
    codes = [f"T{i}" for i in range(6)]
    gdf = gpd.GeoDataFrame(
        {"township_code": codes, "township_name": [f"乡{i}" for i in range(6)]},
        geometry=[box(107 + i * 0.1, 26, 107.1 + i * 0.1, 26.1) for i in range(6)],
        crs="EPSG:4326",
    )
    rates = [0.0, 0.001, 0.002, 0.02, 0.021, 0.08]
    statuses = ["green", "green", "green", "yellow", "yellow", "red"]
    closures = [0.99, 0.97, 0.95, 0.60, 0.58, None]
    report = {"as_of": "2024-06-30", "county": {}, "townships": [
        entry(c, f"乡{i}", statuses[i], closure=closures[i], rate=rates[i])
        for i, c in enumerate(codes)]}
    return gdf, report, dict(zip(codes, rates)), dict(zip(codes, closures))


def geojson_in(html: str) -> dict:
    """The township FeatureCollection embedded in a rendered map (folium's `..._add({...})`)."""
    i = re.search(r"geo_json_\w+_add\(", html).end()
    return json.JSONDecoder().raw_decode(html[i:])[0]


def test_classes_equal_mapclassify_fisher_jenks(tiny):
    gdf, report, rates, _ = tiny
    cls = mv.classify(report, "overdue_rate", "zh")
    ref = mapclassify.FisherJenks(list(rates.values()), k=5)
    assert list(cls.legend.bins) == pytest.approx(list(ref.bins))
    assert {c: int(k) for c, k in cls.class_of.items()} == dict(zip(rates, map(int, ref.yb)))
    assert [c.count for c in cls.legend.classes] == [int((ref.yb == i).sum()) for i in range(5)]
    assert cls.legend.scheme == "FisherJenks" and cls.legend.no_data is None
    # higher overdue rate = worse = darker: the ramp runs light → dark
    assert [c.color for c in cls.legend.classes] == SEQUENTIAL
    assert cls.color_of["T5"] == SEQUENTIAL[-1] and cls.color_of["T0"] == SEQUENTIAL[0]


def test_fewer_distinct_values_fewer_classes_and_no_data(tiny):
    _, report, _, closures = tiny
    cls = mv.classify(report, "closure_rate", "zh")
    # 5 known values → 5 classes; the township with no issues is "no data", grey
    assert len(cls.legend.classes) == 5
    assert cls.legend.no_data is not None and cls.legend.no_data.count == 1
    assert cls.color_of["T5"] == NEUTRAL and cls.class_of["T5"] == "none"
    # lower closure rate = worse = darker: the lowest class is the darkest
    assert cls.color_of["T4"] == SEQUENTIAL[-1] and cls.color_of["T0"] == SEQUENTIAL[0]
    two = mv.classify_values({"a": 0, "b": 0, "c": 29}, "overdue_open", "zh")
    assert [(c.label, c.count) for c in two.legend.classes] == [("0", 2), ("29", 1)]
    one = mv.classify_values({"a": 0.5, "b": 0.5}, "disbursement_rate", "en")
    assert [(c.label, c.count) for c in one.legend.classes] == [("50.0%", 2)]
    none = mv.classify_values({"a": None}, "par30", "zh")
    assert none.legend.classes == () and none.color_of == {"a": NEUTRAL}


def test_class_labels_are_member_ranges(tiny):
    _, report, _, _ = tiny
    cls = mv.classify(report, "overdue_rate", "en")
    for c in cls.legend.classes:
        assert c.label.split(" – ")[0] == f"{c.low * 100:.1f}%"
        assert c.label.split(" – ")[-1] == f"{c.high * 100:.1f}%"


def test_status_is_categorical_with_palette(tiny):
    _, report, _, _ = tiny
    cls = mv.classify(report, "status", "zh")
    assert cls.legend.kind == "categorical"
    assert [(c.key, c.color, c.symbol, c.count) for c in cls.legend.classes] == [
        ("red", STATUS_COLORS["red"], STATUS_SYMBOLS["red"], 1),
        ("yellow", STATUS_COLORS["yellow"], STATUS_SYMBOLS["yellow"], 2),
        ("green", STATUS_COLORS["green"], STATUS_SYMBOLS["green"], 3),
    ]
    assert cls.legend.classes[0].label == "● 红灯"
    for e in report["townships"]:
        assert cls.color_of[e["township_code"]] == STATUS_COLORS[e["status"]]


def test_geojson_properties_carry_colour_class_and_tooltip_texts(tiny):
    gdf, report, rates, _ = tiny
    m, legend = mv.build_map(gdf, report, "overdue_rate", "zh", scope=["T5"])
    fc = geojson_in(m.get_root().render())
    cls = mv.classify(report, "overdue_rate", "zh")
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
    fc = mv.map_geojson(gdf, part, "status", "en", mv.classify(part, "status", "en"))
    p = {f["properties"]["township_code"]: f["properties"] for f in fc["features"]}
    assert p["T3"]["fill"] == mv.OUT_OF_SCOPE and p["T3"]["cls"] == "out"
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
        assert html.count("L.circleMarker(") == 2
        assert "L.tileLayer" not in html  # no tiles: nothing fetched from a tile server


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
    report = {"townships": [entry(c, n) for c, n in zip(gdf["township_code"], gdf["township_name"])]}
    m, legend = mv.build_map(gdf, report, "status", "zh")
    fc = geojson_in(m.get_root().render())
    assert len(fc["features"]) == len(gdf) == 12
    assert all(f["properties"]["fill"] == STATUS_COLORS["green"] for f in fc["features"])
    (s, w), (n, e) = mv.county_bounds(gdf)
    assert s < n and w < e and 106 < w < 108 and 26 < s < 27


def test_figures_frame_and_legend_html(tiny):
    _, report, rates, _ = tiny
    df = mv.figures_frame(report)
    assert list(df["township_code"]) == list(rates)
    assert list(df["overdue_rate"]) == list(rates.values())
    assert list(df["tasks_overdue"]) == [0] * 6
    html = mv.legend_html(mv.classify(report, "closure_rate", "zh").legend)
    assert "问题销号率" in html and "无数据" in html and NEUTRAL in html
