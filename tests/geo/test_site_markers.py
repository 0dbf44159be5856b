"""Relocation sites on the township map: one layer of plain CircleMarkers sized by planned
households and coloured by occupancy, tooltips escaped, nothing loaded from outside."""
from __future__ import annotations

import folium
import pandas as pd

from duzhan.geo import mapview
from duzhan.presentation.palette import LAGGARD_RAMP, NEUTRAL, occupancy_color


def sites() -> pd.DataFrame:
    return pd.DataFrame({
        "site_code": ["S1", "S2", "S3", "S4"],
        "site_label": ["幸福<b>小区</b>", "新村", "无坐标", "未核查"],
        "planned_households": [100, 25, 40, 64],
        "moved_in": [90, 5, 1, 0], "employed": [72, 1, 0, 0],
        "occupancy_rate": [0.9, 0.2, 0.025, 0.0],
        "employment_rate": [0.8, 0.2, 0.0, float("nan")],
        "longitude": [107.5, 107.6, None, 107.7], "latitude": [26.5, 26.6, None, 26.7],
    })


def test_sizes_colours_and_tips():
    data = mapview.site_marker_geojson(sites(), "zh")
    props = {f["properties"]["site_code"]: f["properties"] for f in data["features"]}
    assert set(props) == {"S1", "S2", "S4"}  # a site without a position is not drawn
    lo, hi = mapview.SITE_RADIUS
    # area proportional to the plan: the largest at hi, a quarter of it halfway in radius
    assert props["S1"]["radius"] == hi
    assert props["S2"]["radius"] == lo + (hi - lo) * 0.5
    assert props["S4"]["radius"] == round(lo + (hi - lo) * 0.8, 2)
    assert props["S1"]["fill"] == LAGGARD_RAMP[3] and props["S4"]["fill"] == LAGGARD_RAMP[0]
    assert props["S2"]["fill"] == LAGGARD_RAMP[0]
    assert "&lt;b&gt;" in props["S1"]["tip"] and "<b>" not in props["S1"]["tip"]
    assert "90/100" in props["S1"]["tip"] and "90.0%" in props["S1"]["tip"]


def test_occupancy_colour_bands():
    assert occupancy_color(None) == NEUTRAL and occupancy_color(float("nan")) == NEUTRAL
    assert [occupancy_color(r) for r in (0, 0.249, 0.25, 0.5, 0.75, 0.999, 1.0)] == [
        LAGGARD_RAMP[0], LAGGARD_RAMP[0], LAGGARD_RAMP[1], LAGGARD_RAMP[2], LAGGARD_RAMP[3],
        LAGGARD_RAMP[3], LAGGARD_RAMP[4]]


def test_one_layer_of_circle_markers_offline():
    m = mapview.local_map([[26, 107], [27, 108]])
    before = sum(isinstance(c, folium.GeoJson) for c in m._children.values())
    assert mapview.site_markers(m, sites(), "en") is m
    layers = [c for c in m._children.values() if isinstance(c, folium.GeoJson)]
    assert len(layers) == before + 1
    layer = layers[-1]
    assert isinstance(layer.marker, folium.CircleMarker)  # a vector circle, no icon image
    html = m.get_root().render()
    assert "new L.CircleMarker(latlng, opts)" in html and "L.icon(" not in html
    assert mapview.cdn_urls(m) == []
    # no sites: no layer
    m2 = mapview.local_map([[26, 107], [27, 108]])
    n = len(m2._children)
    mapview.site_markers(m2, sites().iloc[0:0], "zh")
    mapview.site_markers(m2, None, "zh")
    assert len(m2._children) == n


def test_legend_names_the_bands():
    html = mapview.site_legend_html("zh")
    assert html.count("border-radius:50%") == len(LAGGARD_RAMP)
    assert "0.0% – 25.0%" in html and "100.0%" in html and "计划安置户数" in html
