"""The demo province (`duzhan demo --counties N`): distinct, deterministic, uneven counties
side by side, imported through the importer one county at a time."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, shape

from duzhan.cli import main as duzhan
from duzhan.contract import LEDGERS
from duzhan.demo.counties import (
    COUNTIES_FILE,
    MAX_COUNTIES,
    TOWNSHIPS_FILE,
    build_county,
    county_code,
    county_name,
    kept_townships,
)
from duzhan.demo.county import TOWNSHIPS
from duzhan.demo.generator import build_demo_frames
from duzhan.store.db import make_engine
from duzhan.store.read import DataScope, load_ledgers

TODAY = date(2026, 11, 18)
N = 3


@pytest.fixture(scope="module")
def counties():
    return [build_county(i, N, TODAY) for i in range(1, N + 1)]


def test_codes_and_names_distinct_up_to_the_limit():
    codes = [county_code(i) for i in range(1, MAX_COUNTIES + 1)]
    names = [county_name(i) for i in range(1, MAX_COUNTIES + 1)]
    assert len(set(codes)) == len(codes) == len(set(names))
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    with pytest.raises(ValueError):
        county_code(MAX_COUNTIES + 1)


def test_every_id_and_name_differs_between_counties(counties):
    for key, led in LEDGERS.items():
        if not led.upsert or key == "phases":
            continue
        ids = [led.key_of(r) for c in counties for r in c.frames[key].to_dict("records")]
        assert len(ids) == len(set(ids)), key
    names = pd.concat([c.frames["townships"]["township_name"] for c in counties])
    assert names.is_unique


def test_codes_start_with_the_county(counties):
    for c in counties:
        f = c.frames
        assert (f["townships"]["county_code"] == c.code).all()
        assert (f["townships"]["county_name"] == c.name).all()
        for key in ("townships", "villages", "issues", "projects", "loans"):
            assert f[key]["township_code"].str.startswith(c.code).all(), key
        assert f["villages"]["village_code"].str.startswith(c.code).all()
        # county-wide tasks are this county's, township tasks name no county
        tasks = f["tasks"]
        wide = tasks["township_code"].isna()
        assert wide.any() and (tasks.loc[wide, "county_code"] == c.code).all()
        assert tasks.loc[~wide, "county_code"].isna().all()


def test_references_stay_inside_the_county(counties):
    for c in counties:
        f = c.frames
        towns = set(f["townships"]["township_code"])
        assert set(f["villages"]["township_code"]) <= towns
        assert set(f["issues"]["village_code"].dropna()) <= set(f["villages"]["village_code"])
        assert set(f["disbursements"]["project_id"]) <= set(f["projects"]["project_id"])
        assert set(f["repayments"]["loan_id"]) <= set(f["loans"]["loan_id"])
        villages, sites = set(f["villages"]["village_code"]), set(f["sites"]["site_code"])
        assert set(f["site_checks"]["site_code"]) <= sites
        targets = set(f["supervisions"]["target_code"].dropna())
        assert targets & villages and targets & sites and targets <= villages | sites
        for key in ("sites", "supervisions", "reports", "monitored", "guarantees"):
            assert set(f[key]["township_code"]) <= towns, key
        for key in ("monitored", "guarantees"):
            assert set(f[key]["village_code"].dropna()) <= villages, key


def test_a_county_keeps_only_its_townships_rows(counties):
    c = counties[0]
    kept = kept_townships(1)
    full = build_demo_frames(TODAY, seed=20240202 * 1000 + 1)
    kept_loans = full["loans"][full["loans"]["township_code"].isin(kept)]
    assert len(c.frames["loans"]) == len(kept_loans)
    assert len(c.frames["townships"]) == len(kept) >= 6
    # the same county twice: the same ledgers
    again = build_county(1, N, TODAY)
    for key in LEDGERS:
        pd.testing.assert_frame_equal(c.frames[key], again.frames[key])


def test_counties_are_uneven_in_their_own_way():
    kept = [tuple(kept_townships(i)) for i in range(1, 21)]
    assert len(set(kept)) > 10  # different townships, so different kinds of trouble
    assert {len(k) for k in kept} != {len(TOWNSHIPS)}


def test_polygons_side_by_side_and_villages_inside(counties):
    outlines = [c.outline for c in counties]
    for a in range(N):
        for b in range(a + 1, N):
            assert outlines[a].intersection(outlines[b]).area == 0
    for c in counties:
        assert c.outline.geom_type == "Polygon"
        assert c.outline.area == pytest.approx(sum(p.area for p in c.polygons.values()))
        assert set(c.polygons) == set(c.frames["townships"]["township_code"])
        for v in c.frames["villages"].itertuples():
            assert c.polygons[v.township_code].contains(Point(v.longitude, v.latitude))


def test_demo_counties_through_the_importer(tmp_path):
    url = f"sqlite:///{tmp_path / 'province.db'}"
    geo = tmp_path / "geo"
    assert duzhan(["demo", "--counties", "2", "--db", url, "--today", TODAY.isoformat(),
                   "--out", str(geo)]) == 0
    engine = make_engine(url)
    try:
        led = load_ledgers(engine, DataScope())
    finally:
        engine.dispose()
    assert sorted(led.townships["county_code"].unique()) == [county_code(1), county_code(2)]
    wide = led.tasks[led.tasks["township_code"].isna()]
    assert sorted(wide["county_code"].unique()) == [county_code(1), county_code(2)]
    assert len(led.phases) == 5  # shared by the counties
    mine = [build_county(i, 2, TODAY) for i in (1, 2)]
    assert len(led.loans) == sum(len(c.frames["loans"]) for c in mine)
    towns = json.loads((geo / TOWNSHIPS_FILE).read_text(encoding="utf-8"))
    outlines = json.loads((geo / COUNTIES_FILE).read_text(encoding="utf-8"))
    assert {f["properties"]["township_code"] for f in towns["features"]} == set(
        led.townships["township_code"])
    assert [f["properties"]["county_code"] for f in outlines["features"]] == [
        county_code(1), county_code(2)]
    dissolved = shapely.union_all([shape(f["geometry"]) for f in towns["features"]
                                   if f["properties"]["county_code"] == county_code(1)])
    assert dissolved.symmetric_difference(shape(outlines["features"][0]["geometry"])).area \
        < 1e-6


def test_bad_county_count_is_refused(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert duzhan(["demo", "--counties", "0", "--db", url]) == 2
    assert "--counties" in capsys.readouterr().err
