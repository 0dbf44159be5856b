"""A six-township county with known figures for the map tests."""
from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from tests.geo.helpers import entry


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
    return gdf, report, dict(zip(codes, rates, strict=False)), dict(zip(codes, closures, strict=False))
