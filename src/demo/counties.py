"""A demo province: N deterministic counties in one store (`duzhan demo --counties N`).

Each county is the demo generator (`duzhan.demo.generator.build_demo_frames`) run with its
own seed, keeping a connected subset of the demo county's townships (6 to 12, drawn per
county), so that counties differ in size and in which kinds of trouble they hold: one keeps
河口乡's behind issues, another only green townships. Codes, names and ids are made
distinct per county (township and village codes start with the county's code, every other
id is prefixed with it; township names with the county's stem), and the counties are laid
out side by side on a grid, with their townships' synthetic polygons moved along, so that a
province map has room for all of them. The county outline is the union of its townships.

    build_county(i, today) -> County          # frames, polygons, outline of county i (1-based)
    import_counties(engine, n, today, ...)     # each county through the importer, one
                                               # transaction per county (low peak memory)
    outline(i, n)                              # county i's polygons, without its ledgers
    write_province_geojson(outlines, dir)      # townships.geojson + counties.geojson

Everything is synthetic; the codes (52 80 01 …) are not real administrative codes.
"""
from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely import affinity
from shapely.geometry import Polygon

from duzhan.contract import LEDGER_ORDER, LEDGERS

from .boundaries import GRID, _rounded, township_polygons
from .county import BOUNDARY_SEED, COUNTY_CODE, TOWNSHIPS
from .generator import DEFAULT_SEED, build_demo_frames

# two characters of a county's name: HEADS × TAILS distinct names, so at most this many counties
HEADS = "青白红金银龙凤云雾山石岩松柏桃梅兰竹茶花水清明丹"
TAILS = "安平宁远江川阳源溪河城林丰泰和山台原峰岭"
MAX_COUNTIES = len(HEADS) * len(TAILS)
MIN_TOWNSHIPS = 6
# grid step between county centres, in degrees: the demo county is 0.8° × 0.6° wide
STEP = (0.9, 0.7)


@dataclass(frozen=True)
class County:
    code: str
    name: str
    frames: dict[str, pd.DataFrame]
    polygons: dict[str, Polygon]  # township_code → polygon, moved to the county's place
    outline: Polygon


def county_code(i: int) -> str:
    """County i (1-based): 50 counties per prefecture code 80, 81, …"""
    _check(i)
    return f"52{80 + (i - 1) // 50:02d}{(i - 1) % 50 + 1:02d}"


def county_name(i: int) -> str:
    _check(i)
    k = i - 1
    return f"{HEADS[k % len(HEADS)]}{TAILS[(k // len(HEADS)) % len(TAILS)]}县"


def _check(i: int) -> None:
    if not 1 <= i <= MAX_COUNTIES:
        raise ValueError(f"county number {i} outside 1…{MAX_COUNTIES}")


def kept_townships(i: int) -> list[str]:
    """The demo townships county i keeps (codes of `duzhan.demo.county`): a connected set
    grown from a random one through shared borders, 6 to 12 of them, in code order."""
    polys = township_polygons()
    rng = np.random.default_rng([BOUNDARY_SEED, i])
    size = int(rng.integers(MIN_TOWNSHIPS, len(TOWNSHIPS) + 1))
    codes = [t.code for t in TOWNSHIPS]
    kept = [codes[int(rng.integers(len(codes)))]]
    while len(kept) < size:
        border = sorted(c for c in codes if c not in kept
                        and any(polys[c].intersection(polys[k]).length > 0 for k in kept))
        kept.append(border[int(rng.integers(len(border)))])
    return sorted(kept)


def _offset(i: int, n: int) -> tuple[float, float]:
    """Where county i of n sits: a grid of ceil(√n) columns, row by row from the south-west."""
    cols = max(1, math.ceil(math.sqrt(n)))
    k = i - 1
    return (k % cols) * STEP[0], (k // cols) * STEP[1]


def _keep_rows(frames: dict[str, pd.DataFrame], kept: set[str]) -> dict[str, pd.DataFrame]:
    """Only the rows of the kept townships (and county-wide rows), through the parent chain."""
    out: dict[str, pd.DataFrame] = {}
    for key in LEDGER_ORDER:  # a ledger after its parent
        led, df = LEDGERS[key], frames[key]
        if led.township in ("own", "optional"):
            df = df[df["township_code"].isna() | df["township_code"].isin(kept)]
        elif led.township == "parent":
            parent = LEDGERS[led.parent.ledger]
            df = df[df[led.parent.column].isin(out[parent.key][parent.id_column])]
        out[key] = df.reset_index(drop=True)
    return out


def _recode(frames: dict[str, pd.DataFrame], code: str, stem: str,
            shift: tuple[float, float]) -> dict[str, pd.DataFrame]:
    """Codes, ids, names and coordinates of county `code`: township and village codes get
    the county's code in place of the demo's, every other id or code the county's code in
    front (the same on both sides of a reference; a supervision's target_code follows the
    village or site it names), township names the county's stem."""
    def code_of(v):
        return v if v is None or pd.isna(v) else code + str(v)[len(COUNTY_CODE):]

    def id_of(v):
        return v if v is None or pd.isna(v) else f"{code}{v}"

    # a supervision's target is a village (recoded like a village) or a site (prefixed)
    villages = set(frames["villages"]["village_code"])

    def target_of(v):
        return code_of(v) if v in villages else id_of(v)

    out = {}
    for key, df in frames.items():
        df = df.copy()
        for col in LEDGERS[key].columns:
            if col.key not in df or col.type != "text":
                continue
            if col.key in ("township_code", "village_code"):
                df[col.key] = df[col.key].map(code_of)
            elif col.key == "target_code":
                df[col.key] = df[col.key].map(target_of)
            elif col.key == "county_code":
                if "township_code" in df:  # a county-wide task belongs to this county
                    df[col.key] = df["township_code"].map(lambda v: code if pd.isna(v) else None)
            elif col.key.endswith(("_id", "_code")):
                df[col.key] = df[col.key].map(id_of)
        if key == "townships":
            df["township_name"] = stem + df["township_name"]
            df["county_code"] = code
            df["county_name"] = stem + "县"
        for col, d in (("longitude", shift[0]), ("latitude", shift[1])):
            if col in df:
                df[col] = df[col].map(lambda v, d=d: v if pd.isna(v) else round(float(v) + d, 5))
        out[key] = df.astype(object).where(df.notna(), None)
    return out


def build_county(i: int, n: int, today: date, seed: int = DEFAULT_SEED) -> County:
    """County i of n: the generator's ledgers with seed (seed, i), its kept townships, moved
    to its place on the grid."""
    place = outline(i, n)
    frames = build_demo_frames(today, seed=seed * 1000 + i)
    frames = _recode(_keep_rows(frames, set(kept_townships(i))), place.code,
                     place.name[:-1], _offset(i, n))
    return County(place.code, place.name, frames, place.polygons, place.outline)


def iter_counties(n: int, today: date, seed: int = DEFAULT_SEED) -> Iterator[County]:
    """Counties 1…n one after another (one in memory at a time)."""
    if not 1 <= n <= MAX_COUNTIES:
        raise ValueError(f"number of counties {n} outside 1…{MAX_COUNTIES}")
    for i in range(1, n + 1):
        yield build_county(i, n, today, seed)


@dataclass(frozen=True)
class Outline:
    """County i's place on the province map: its townships' names, polygons and outline
    (no ledger needed)."""

    code: str
    name: str
    townships: dict[str, tuple[str, str | None]]  # code → (name, area_group)
    polygons: dict[str, Polygon]
    outline: Polygon


def outline(i: int, n: int) -> Outline:
    """County i of n on the province map: its kept townships' polygons moved to its grid
    cell, and their union."""
    code, name = county_code(i), county_name(i)
    dx, dy = _offset(i, n)
    demo = {t.code: t for t in TOWNSHIPS}
    towns, polys = {}, {}
    for c in kept_townships(i):
        new = code + c[len(COUNTY_CODE):]
        towns[new] = (name[:-1] + demo[c].name, demo[c].area_group)
        polys[new] = shapely.set_precision(
            affinity.translate(township_polygons()[c], dx, dy), GRID)
    return Outline(code, name, towns, polys, shapely.union_all(list(polys.values()),
                                                               grid_size=GRID))


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def zip_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """The ledgers as a zip of `<ledger>.csv` files headed by the column keys (the importer
    reads CSV many times faster than a workbook); ledgers without rows are left out."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for key in LEDGER_ORDER:
            df = frames[key]
            if df.empty:
                continue
            text = io.StringIO()
            w = csv.writer(text, lineterminator="\n")
            w.writerow(LEDGERS[key].keys)
            w.writerows([_cell(v) for v in row] for row in df.itertuples(index=False, name=None))
            info = zipfile.ZipInfo(f"{key}.csv", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.getvalue().encode("utf-8"))
    return buf.getvalue()


def import_counties(engine, n: int, today: date, user: str, lang: str = "zh",
                    seed: int = DEFAULT_SEED,
                    on_county: Callable[[County, object], None] | None = None,
                    ) -> tuple[list[Outline], list]:
    """Generate and import counties 1…n, each as its own zip of CSVs in its own import (one
    transaction each), so that only one county's rows are in memory at a time. Stops at the
    first refused import. Returns the counties' outlines and the import results."""
    from duzhan.ledgers.importer import SourceFile, import_files

    outlines, results = [], []
    for i, county in enumerate(iter_counties(n, today, seed), 1):
        data = zip_bytes(county.frames)
        result = import_files(engine, [SourceFile(f"{county.code}{county.name}台账.zip", data)],
                              user=user, lang=lang)
        results.append(result)
        outlines.append(outline(i, n))
        if on_county is not None:
            on_county(county, result)
        if not result.accepted:
            break
    return outlines, results


def _collection(name: str, features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "name": name,
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            "features": features}


def province_geojson(outlines: list[Outline]) -> tuple[dict, dict]:
    """(townships, counties) as GeoJSON: townships with their county, county outlines."""
    towns, counties = [], []
    for c in outlines:
        for code, poly in sorted(c.polygons.items()):
            tname, area = c.townships[code]
            towns.append({"type": "Feature", "properties": {
                "township_code": code, "township_name": tname, "area_group": area,
                "county_code": c.code, "county_name": c.name}, "geometry": _rounded(poly)})
        counties.append({"type": "Feature", "properties": {
            "county_code": c.code, "county_name": c.name}, "geometry": _rounded(c.outline)})
    return _collection("townships", towns), _collection("counties", counties)


TOWNSHIPS_FILE = "townships.geojson"
COUNTIES_FILE = "counties.geojson"


def write_province_geojson(outlines: list[Outline], out_dir: Path) -> tuple[Path, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fname, doc in zip((TOWNSHIPS_FILE, COUNTIES_FILE), province_geojson(outlines),
                          strict=True):
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
        text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
        p = out_dir / fname
        p.write_text(text + "\n", encoding="utf-8")
        paths.append(p)
    return paths[0], paths[1]
