"""Synthetic township boundaries of the demo county (no downloaded data).

The county outline is a noisy ellipse around (107.4 E, 26.5 N); the townships are the
Voronoi cells of their seed points (`duzhan.demo.county.TOWNSHIPS`) clipped to it, on a
1e-5 degree grid so that neighbours share their edges exactly.

    python -m duzhan.demo.boundaries geo/townships.geojson

The dashboard only loads the file (`duzhan.geo.boundaries.load_boundaries`).
"""
from __future__ import annotations

import json
import math
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon, mapping
from shapely.ops import voronoi_diagram

from duzhan import paths

from .county import (
    BOUNDARY_SEED,
    COUNTY_CENTER,
    COUNTY_HALF_EXTENT,
    TOWNSHIPS,
)

GRID = 1e-5  # degrees; coordinates are written with 5 decimals
DEFAULT_PATH = paths.TOWNSHIPS_GEOJSON


def county_outline(n_vertices: int = 160) -> Polygon:
    """An irregular county outline: an ellipse whose radius wobbles with the angle."""
    rng = np.random.default_rng(BOUNDARY_SEED)
    ks = np.arange(2, 9)
    amp = rng.uniform(0.015, 0.05, ks.size) / np.sqrt(ks / 2)
    phase = rng.uniform(0, 2 * math.pi, ks.size)
    theta = np.linspace(0, 2 * math.pi, n_vertices, endpoint=False)
    r = 0.9 + (amp[:, None] * np.sin(ks[:, None] * theta + phase[:, None])).sum(axis=0)
    r += rng.normal(0, 0.006, theta.size)  # small jags, like a river or a ridge line
    cx, cy = COUNTY_CENTER
    ax, ay = COUNTY_HALF_EXTENT
    pts = np.column_stack([cx + ax * r * np.cos(theta), cy + ay * r * np.sin(theta)])
    poly = shapely.set_precision(Polygon(pts), GRID)
    assert poly.is_valid
    return poly


@lru_cache(maxsize=1)
def township_polygons() -> dict[str, Polygon]:
    """township_code → polygon (lon/lat, EPSG:4326), cached; do not mutate."""
    outline = county_outline()
    seeds = [Point(t.seed_point) for t in TOWNSHIPS]
    for t, p in zip(TOWNSHIPS, seeds, strict=False):
        if not outline.contains(p):
            raise ValueError(f"seed point of {t.name} lies outside the county outline")
    cells = voronoi_diagram(MultiPoint(seeds), envelope=outline.buffer(1.0))
    out: dict[str, Polygon] = {}
    for t, p in zip(TOWNSHIPS, seeds, strict=False):
        cell = next(c for c in cells.geoms if c.contains(p))
        cell = shapely.set_precision(cell, GRID)
        poly = shapely.intersection(cell, outline, grid_size=GRID)
        if poly.geom_type != "Polygon":  # keep the piece holding the seed
            poly = next(g for g in poly.geoms if g.geom_type == "Polygon" and g.contains(p))
        out[t.code] = poly
    return out


def _rounded(geom) -> dict:
    def rnd(coords):
        if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
            return [round(float(c), 5) for c in coords]
        return [rnd(c) for c in coords]

    m = mapping(geom)
    return {"type": m["type"], "coordinates": rnd(m["coordinates"])}


def boundaries_geojson() -> dict:
    polys = township_polygons()
    features = [
        {
            "type": "Feature",
            "properties": {
                "township_code": t.code,
                "township_name": t.name,
                "area_group": t.area_group,
            },
            "geometry": _rounded(polys[t.code]),
        }
        for t in TOWNSHIPS
    ]
    return {
        "type": "FeatureCollection",
        "name": "townships",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": features,
    }


def write_boundaries(path: str | Path = DEFAULT_PATH) -> Path:
    """Write the township polygons as GeoJSON (EPSG:4326 lon/lat, 5 decimals)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(boundaries_geojson(), ensure_ascii=False, separators=(",", ":"))
    # one feature per line: small and still readable in a diff
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    path.write_text(text + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else DEFAULT_PATH
    p = write_boundaries(target)
    print(f"wrote {p} ({p.stat().st_size} bytes, {len(TOWNSHIPS)} townships)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
