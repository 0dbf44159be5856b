"""The county map: township polygons dissolved by county, coloured by the county's status,
texts escaped, a click reports the county."""
from __future__ import annotations

import geopandas as gpd
from shapely.geometry import box

from duzhan.geo.counties import county_geojson, county_map, dissolve
from duzhan.geo.mapview import cdn_urls
from duzhan.presentation.palette import STATUS_COLORS


def _towns():
    return gpd.GeoDataFrame({"township_code": ["a1", "a2", "b1", "x"],
                             "township_name": ["甲", "乙", "丙", "无县"]},
                            geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(3, 0, 4, 1),
                                      box(9, 9, 10, 10)], crs="EPSG:4326")


def _entry(code, status):
    return {"county_code": code, "county_name": code, "status": status,
            "issues": {"open": 3, "overdue_open": 1, "closure_rate": 0.5},
            "funds": {"disbursement_rate": 0.8, "progress_gap": -0.05},
            "loans": {"overdue_rate": 0.01, "balance": 1000.0}}


def test_dissolve_unites_each_countys_townships():
    out = dissolve(_towns(), {"a1": "A", "a2": "A", "b1": "B"}, {"A": "甲县", "B": "<b>县"})
    assert list(out["county_code"]) == ["A", "B"]
    assert list(out["county_name"]) == ["甲县", "<b>县"]
    assert out.geometry[0].area == 2.0 and out.geometry[0].geom_type == "Polygon"
    assert out.geometry[1].area == 1.0  # the township in no county is left out


def test_counties_coloured_by_status_texts_escaped_offline():
    outlines = dissolve(_towns(), {"a1": "A", "a2": "A", "b1": "B"}, {"A": "甲县", "B": "<b>县"})
    counties = [_entry("A", "red"), _entry("B", "green")]
    gj = county_geojson(outlines, counties, "zh", {"A": {"red": 2}}, selected="B")
    props = {f["properties"]["county_code"]: f["properties"] for f in gj["features"]}
    assert props["A"]["fill"] == STATUS_COLORS["red"]
    assert props["B"]["fill"] == STATUS_COLORS["green"] and props["B"]["selected"]
    assert props["B"]["county_name"] == "&lt;b&gt;县"
    assert "2" in props["A"]["towns_text"]
    m, legend = county_map(outlines, counties, "zh")
    assert [c.count for c in legend.classes] == [1, 0, 1]
    assert cdn_urls(m) == []
