"""Township boundaries: 12 valid, non-overlapping polygons that hold their villages."""
from __future__ import annotations

import json
from datetime import date

import pytest
import shapely
from shapely.geometry import Point, shape

from duzhan.demo import boundaries
from duzhan.demo.boundaries import DEFAULT_PATH, write_boundaries
from duzhan.demo.county import TOWNSHIPS
from duzhan.demo.generator import build_demo_frames
from duzhan.geo.boundaries import load_boundaries


@pytest.fixture(scope="module")
def gdf():
    return load_boundaries()


def test_committed_file_is_current(tmp_path):
    fresh = write_boundaries(tmp_path / "t.geojson")
    assert fresh.read_text(encoding="utf-8") == DEFAULT_PATH.read_text(encoding="utf-8")
    assert DEFAULT_PATH.stat().st_size < 50_000


def test_twelve_valid_polygons(gdf):
    assert len(gdf) == 12
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.is_valid.all()
    assert (gdf.geometry.geom_type == "Polygon").all()
    minx, miny, maxx, maxy = gdf.total_bounds
    assert 106.9 <= minx and maxx <= 107.9 and 26.1 <= miny and maxy <= 26.9


def test_no_overlaps_no_gaps(gdf):
    geoms = list(gdf.geometry)
    for i, a in enumerate(geoms):
        for b in geoms[i + 1:]:
            assert a.intersection(b).area < 1e-9
    union = shapely.union_all(geoms)
    assert union.geom_type == "Polygon"  # one county, no holes between townships
    assert len(union.interiors) == 0
    assert abs(union.area - sum(g.area for g in geoms)) < 1e-9


def test_codes_and_names_match_the_county(gdf):
    assert list(gdf["township_code"]) == [t.code for t in TOWNSHIPS]
    assert list(gdf["township_name"]) == [t.name for t in TOWNSHIPS]
    for t, geom in zip(TOWNSHIPS, gdf.geometry, strict=False):
        assert geom.contains(Point(t.seed_point))


def test_coordinates_have_five_decimals():
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    for f in data["features"]:
        for x, y in f["geometry"]["coordinates"][0]:
            assert round(x, 5) == x and round(y, 5) == y


@pytest.mark.parametrize("seed", [20240202, 1, 99])
def test_villages_inside_their_township(gdf, seed):
    polys = dict(zip(gdf["township_code"], gdf.geometry, strict=False))
    v = build_demo_frames(date(2026, 6, 30), seed=seed)["villages"]
    for row in v.itertuples():
        poly = polys[row.township_code]
        assert poly.contains(Point(row.longitude, row.latitude)), row.village_code
        # still inside when a reader keeps only 2 decimals
        assert poly.contains(Point(round(row.longitude, 2), round(row.latitude, 2)))


def test_env_var_overrides_the_path(tmp_path, monkeypatch):
    p = write_boundaries(tmp_path / "other.geojson")
    data = json.loads(p.read_text(encoding="utf-8"))
    data["features"] = data["features"][:3]
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("DUZHAN_GEO", str(p))
    assert len(load_boundaries()) == 3
    assert len(load_boundaries(DEFAULT_PATH)) == 12


def test_cli_writes_the_file(tmp_path, capsys):
    target = tmp_path / "geo" / "townships.geojson"
    assert boundaries.main([str(target)]) == 0
    assert shape(json.loads(target.read_text(encoding="utf-8"))["features"][0]["geometry"]).is_valid
