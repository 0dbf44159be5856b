"""Township boundaries as the map draws them: a GeoJSON file (EPSG:4326) with
township_code, township_name, area_group per feature. The demo county's file is generated
by `python -m duzhan.demo.boundaries`; a real county's file replaces it ($DUZHAN_GEO).
"""
from __future__ import annotations

from pathlib import Path

from duzhan import paths


def default_path() -> Path:
    return paths.townships_geojson()


def load_boundaries(path: str | Path | None = None):
    """The township polygons as a GeoDataFrame (EPSG:4326) with township_code,
    township_name, area_group. Path: argument, else $DUZHAN_GEO, else geo/townships.geojson."""
    import geopandas as gpd

    p = Path(path) if path is not None else default_path()
    gdf = gpd.read_file(p)
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    elif gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs("EPSG:4326")
    gdf["township_code"] = gdf["township_code"].astype(str)
    return gdf
