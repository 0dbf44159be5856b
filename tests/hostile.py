"""A demo county whose every ledger text is hostile markup (issue 14, item 10): township,
area and village names, phases, tasks, departments, sources, categories, projects, funding
sources and banks, and the township names of the boundary file. Imported through the
ordinary importer, as a county's upload would be.

    url, geo = hostile_store(tmp_path, today)      # SQLite URL, boundaries GeoJSON

Each text keeps its demo text after the payload, so names stay unique and readable; every
payload, if it ran, would call alert() (the browser test listens for dialogs)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "javascript:alert(4)//",
    "[点我](javascript:alert(5))",
    '<a href="javascript:alert(6)">链接</a>',
    "`${alert(7)}`",
    "<b>粗</b><br>$x$ **加粗** :red[红]",
)
# ledger → the text columns whose values are drawn on pages, in charts and in the pack
TEXT_COLUMNS = {
    "townships": ("township_name", "area_group"),
    "villages": ("village_name",),
    "phases": ("phase_name",),
    "tasks": ("task_name",),
    "issues": ("source", "category", "department", "description"),
    "projects": ("project_name", "funding_source", "category"),
    "loans": ("bank",),
    "sites": ("site_name",),
    "supervisions": ("leader", "note"),
    "monitored": ("category", "risk"),
}
HOSTILE_USER = "hostile-test"


def hostile(text: str, i: int) -> str:
    return f"{PAYLOADS[i % len(PAYLOADS)]}{text}"


def hostile_frames(today: dt.date) -> dict[str, pd.DataFrame]:
    """The demo ledgers with every drawn text made hostile (each distinct value of a column
    gets the next payload, so each column carries every payload)."""
    from duzhan.demo.generator import build_demo_frames

    frames = build_demo_frames(today)
    for key, columns in TEXT_COLUMNS.items():
        f = frames[key]
        for col in columns:
            values = list(dict.fromkeys(v for v in f[col] if isinstance(v, str) and v))
            mapping = {v: hostile(v, i) for i, v in enumerate(values)}
            f[col] = [mapping.get(v, v) for v in f[col]]
    return frames


def hostile_store(folder: Path, today: dt.date) -> tuple[str, Path]:
    """(SQLite URL of a store holding the hostile county, its boundaries GeoJSON)."""
    from duzhan.demo.boundaries import boundaries_geojson
    from duzhan.demo.generator import workbook_bytes
    from duzhan.ledgers.importer import SourceFile, import_files
    from duzhan.store.db import make_engine, upgrade

    frames = hostile_frames(today)
    book = folder / "hostile.xlsx"
    book.write_bytes(workbook_bytes(frames, today))
    url = f"sqlite:///{folder / 'hostile.db'}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        result = import_files(engine, [SourceFile.from_path(book)], user=HOSTILE_USER)
        assert result.accepted, result.problems[:5]
    finally:
        engine.dispose()
    towns = frames["townships"].set_index("township_code")
    geo = boundaries_geojson()
    for feature in geo["features"]:
        p = feature["properties"]
        p["township_name"] = towns.at[p["township_code"], "township_name"]
        p["area_group"] = towns.at[p["township_code"], "area_group"]
    geo_path = folder / "townships.geojson"
    geo_path.write_text(json.dumps(geo, ensure_ascii=False), encoding="utf-8")
    return url, geo_path
