"""The map's 督导 measures (coverage this month, yellow cards, reporting rate) and the
relocation sites as plain circle markers in one layer (no icon images, no tiles)."""
from __future__ import annotations

import pandas as pd

from duzhan.geo import classification as cl
from duzhan.geo import mapview as mv
from tests.geo.helpers import geojson_layers, village_points


def _with_supervision(report):
    coverage = [1.0, 0.5, 0.5, 0.0, None, 0.25]
    yellow = [0, 0, 1, 2, 0, 3]
    rate = [1.0, 0.9, 0.9, 0.8, None, 0.5]
    for e, c, y, r in zip(report["townships"], coverage, yellow, rate, strict=True):
        e["supervision"] = {"coverage_this_month": c, "yellow_cards_28d": y}
        e["reports"] = {"reporting_rate": r}
    return report


def test_supervision_measures_classify(tiny):
    _, report, _, _ = tiny
    report = _with_supervision(report)
    cov = cl.classify(report, "coverage_this_month", "zh")
    assert cov.class_of["T4"] == "none"  # no listed objects: no data
    # low coverage is the worse end: the darkest colour
    assert cov.class_of["T3"] == "0" and cov.color_of["T3"] == cl.SEQUENTIAL[-1]
    yellow = cl.classify(report, "yellow_cards_28d", "zh")
    assert yellow.class_of["T5"] == str(len(yellow.legend.classes) - 1)  # most cards: darkest
    assert cl.metric_value(report["townships"][3], "reporting_rate") == 0.8
    tip = cl.feature_properties(report["townships"][1], "reporting_rate", "zh")
    assert tip["value_text"] == "90.0%"
    assert tip["supervision_text"] == cl.t("map.tip.supervision", "zh", coverage="50.0%",
                                           yellow="0", rate="90.0%")
    frame = cl.figures_frame(report)
    assert list(frame["yellow_cards_28d"]) == [0, 0, 1, 2, 0, 3]


def test_sites_are_circle_markers_in_one_layer(tiny):
    gdf, report, _, _ = tiny
    villages = pd.DataFrame({"village_name": ["甲村"], "longitude": [107.05],
                             "latitude": [26.05], "listed": [True]})
    sites = pd.DataFrame({"site_name": ["安置点一", "<b>安置点二</b>", "无坐标"],
                          "longitude": [107.15, 107.25, None], "latitude": [26.05, 26.06, None]})
    m, _ = mv.build_map(gdf, report, "status", "zh", villages=villages, sites=sites)
    html = m.get_root().render()
    assert mv.cdn_urls(m) == [] and "L.tileLayer" not in html and "L.icon(" not in html
    layers = geojson_layers(html)
    assert len(layers) == 4  # townships, labels, villages, sites
    points = layers[-1]["features"]
    assert [f["geometry"]["coordinates"] for f in points] == [[107.15, 26.05], [107.25, 26.06]]
    assert points[1]["properties"]["site_name"] == "&lt;b&gt;安置点二&lt;/b&gt;"  # escaped
    assert len(village_points(html)) == 1  # a site is not counted as a village
    assert html.count("L.circleMarker(latlng") + html.count("L.CircleMarker(latlng") >= 2
