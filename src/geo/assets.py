"""Leaflet served by Streamlit itself (static/), copied from the xstatic-leaflet package,
so the map renders on an intranet with no CDN."""
from __future__ import annotations

import shutil
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet

from duzhan import paths

STATIC_DIR = paths.LEAFLET_DIR
URL_BASE = "/app/static/vendor/leaflet"  # Streamlit's static route
LEAFLET_JS = [("leaflet", f"{URL_BASE}/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{URL_BASE}/leaflet.css")]


def ensure_static_assets(target: Path = STATIC_DIR) -> Path:
    """Copy leaflet.js, leaflet.css and its images once; later calls only check."""
    source = Path(xleaflet.BASE_DIR)
    if not (target / "leaflet.js").exists() or not (target / "images").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / "leaflet.js", target / "leaflet.js")
        shutil.copy2(source / "leaflet.css", target / "leaflet.css")
        shutil.copytree(source / "images", target / "images", dirs_exist_ok=True)
    return target
