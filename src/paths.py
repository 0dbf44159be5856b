"""Where the checkout's files are: the one place that knows the repository layout."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
APP = REPO_ROOT / "app.py"
DATA_DIR = REPO_ROOT / "data"
DEFAULT_SQLITE_PATH = DATA_DIR / "duzhan.db"
GEO_DIR = REPO_ROOT / "geo"
TOWNSHIPS_GEOJSON = GEO_DIR / "townships.geojson"
STATIC_DIR = REPO_ROOT / "static"  # served by Streamlit (enableStaticServing)
LEAFLET_DIR = STATIC_DIR / "vendor" / "leaflet"


def townships_geojson() -> Path:
    """The township boundaries: $DUZHAN_GEO, else geo/townships.geojson."""
    return Path(os.environ.get("DUZHAN_GEO") or TOWNSHIPS_GEOJSON)
