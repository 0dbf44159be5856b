"""The materialised figures (duzhan.store.figures): every scope's report from the kept parts
equals the roll-up's own queries (which tests/metrics/test_rollup.py holds to the frames'
engine and the oracle); an import makes them stale; a store of 0005 upgrades to 0006."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from alembic import command
from sqlalchemy import func, inspect, select

from duzhan.ledgers.clear import remove_all_ledgers
from duzhan.metrics.rollup import directory, rollup_report, store_parts
from duzhan.store import figures
from duzhan.store.db import _alembic_config, make_engine

from .previous_release import contents

KEPT = dt.date(2026, 11, 18)  # the demo's default day (PINNED_TODAY): made by `duzhan demo`


@pytest.fixture
def province(province_store, tmp_path):
    """A copy of the three-county demo store (the kept figures are written into it)."""
    path = tmp_path / "province.db"
    with sqlite3.connect(province_store[0].split("///", 1)[1]) as src, \
            sqlite3.connect(path) as copy:
        src.backup(copy)  # with what its write-ahead log holds
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def _kept_days(engine) -> dict[dt.date, set[str]]:
    f = figures.FIGURES.c
    with engine.connect() as conn:
        out: dict[dt.date, set[str]] = {}
        for day, county in conn.execute(select(f.as_of, f.county)):
            out.setdefault(day, set()).add(county)
        return out


def _scopes(engine):
    """(townships, county, within) of every kind a reader or a command asks for."""
    with engine.connect() as conn:
        d = directory(conn)
    c1, c2, c3 = d.county_names
    t1, t2 = d.townships_of(c1)[:2], d.townships_of(c2)[-1:]
    within = (*t1, *t2)
    return [(None, None, None), (t2, None, None), (None, c1, None), (None, c3, None),
            (t1, c1, None), (t2, c2, None), (None, None, within), (None, c2, within)]


def test_the_demo_import_keeps_its_opening_days_a_row_per_county(province):
    with province.connect() as conn:
        counties = set(directory(conn).county_names)
        assert counties and figures.kept_parts(conn, KEPT) is not None
    rows = counties | {figures.NO_COUNTY, figures.WHOLE}
    assert _kept_days(province) == {KEPT: rows, KEPT - dt.timedelta(7): rows}


def test_the_whole_report_is_read_as_kept_and_equals_the_rollup(province):
    def same(a, b):  # the JSON the command prints
        return json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)

    fresh = rollup_report(province, KEPT)
    assert fresh["counties"] and same(figures.report(province, KEPT), fresh)
    day = dt.date(2026, 6, 29)  # not kept: made, then read as kept
    made = figures.report(province, day)
    assert figures.WHOLE in _kept_days(province)[day]
    f = figures.FIGURES.c
    with province.begin() as conn:  # the kept row is what is read: mark it
        conn.execute(figures.FIGURES.update().where(f.as_of == day, f.county == figures.WHOLE)
                     .values(parts=json.dumps({"as_of": "marked"})))
    assert figures.report(province, day) == {"as_of": "marked"}
    assert same(made, rollup_report(province, day))
    with province.connect() as conn:  # parts are read without it
        assert figures.kept_parts(conn, day) == store_parts(conn, day)


@pytest.mark.parametrize("day", [KEPT, dt.date(2026, 6, 29)])
def test_every_scope_from_kept_parts_equals_the_rollup(province, day):
    scoped_first = [s for s in _scopes(province) if s[1] is not None or s[2] is not None]
    for towns, county, within in scoped_first:  # a scope's report keeps nothing
        assert figures.report(province, day, towns, county, within) == \
            rollup_report(province, day, towns, county, within)
    assert (day in _kept_days(province)) == (day == KEPT)
    for towns, county, within in _scopes(province):  # the whole store's keeps its day
        assert figures.report(province, day, towns, county, within) == \
            rollup_report(province, day, towns, county, within)
    assert day in _kept_days(province)
    for towns, county, within in _scopes(province):  # from kept parts
        assert figures.report(province, day, towns, county, within) == \
            rollup_report(province, day, towns, county, within)


def test_parts_round_trip_through_json(province):
    with province.connect() as conn:
        for day in (KEPT, dt.date(2026, 3, 1)):
            parts = store_parts(conn, day)
            assert figures.decode(json.loads(json.dumps(figures.encode(parts)))) == parts
    with pytest.raises(TypeError, match="float"):
        figures.encode({"x": 0.5})


def test_an_import_makes_the_kept_figures_stale(province):
    with province.connect() as conn:
        before = figures.data_version(conn)
    remove_all_ledgers(province, "test")  # through the import lock, as an import
    with province.connect() as conn:
        assert figures.data_version(conn) != before
        assert figures.kept_parts(conn, KEPT) is None
    report = figures.report(province, KEPT)
    assert report == rollup_report(province, KEPT)
    assert report["county"]["issues"]["found"] == 0
    assert _kept_days(province) == {KEPT: {figures.NO_COUNTY, figures.WHOLE}}  # the old went


def test_parts_made_while_an_import_landed_are_not_kept(province):
    day = dt.date(2026, 7, 1)
    with province.connect() as conn:
        version, parts = figures.data_version(conn), store_parts(conn, day)
    remove_all_ledgers(province, "test")
    figures._keep(province, version, day, parts)
    assert day not in _kept_days(province)


def test_a_new_release_does_not_read_kept_parts(province, monkeypatch):
    monkeypatch.setattr(figures, "fingerprint", lambda: "another-release")
    with province.connect() as conn:
        assert figures.kept_parts(conn, KEPT) is None


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_a_0005_store_with_the_demo_county_upgrades_keeping_every_row(
        backend, engine_url, demo_store_at):
    engine = make_engine(engine_url(backend))
    try:
        demo_store_at(engine, "0005")
        before = contents(engine)
        assert before["alembic_version"] == [("0005",)] and "figures" not in before

        command.upgrade(_alembic_config(engine), "0006")
        engine.dispose()
        after = contents(engine)
        assert after.pop("alembic_version") == [("0006",)]
        assert after.pop("figures") == []
        assert after == {k: v for k, v in before.items() if k != "alembic_version"}
        indexes = {ix["name"] for ix in inspect(engine).get_indexes("loans")}
        assert {"ix_loans_due_date", "ix_loans_extended_due_date"} <= indexes

        report = figures.report(engine, KEPT)  # made and kept on the upgraded store
        assert report == rollup_report(engine, KEPT)
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(figures.FIGURES)).scalar()

        command.downgrade(_alembic_config(engine), "0005")
        engine.dispose()
        assert contents(engine) == before
    finally:
        engine.dispose()
