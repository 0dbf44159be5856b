"""A store made by the release before the supervision and household ledgers (schema 0003,
the demo county imported) upgrades in place to 0004: every row is kept, the six new tables
are there and empty, the new county columns are empty; the store reads and imports as
before. The downgrade to 0003 drops only what 0004 added."""
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from duzhan.ledgers.importer import SourceFile, import_files
from duzhan.store.db import _alembic_config, make_engine, upgrade
from duzhan.store.read import DEMO_USER, ledger_counts, load_ledgers

from .previous_release import columns, contents, demo_ledger_files, head_revision

NEW_TABLES = {"sites", "site_checks", "supervisions", "reports", "monitored", "guarantees"}
NEW_COLUMNS = {"townships": ["county_code", "county_name"], "tasks": ["county_code"]}
TOWNSHIP_COLUMNS_0003 = ["township_code", "township_name", "area_group", "households"]
TASK_COLUMNS_0003 = ["task_id", "phase_no", "township_code", "task_name", "due_date",
                     "done_date", "department"]


def named_rows(engine, table: str) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(f'SELECT * FROM "{table}"')).mappings()]


def tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_a_0003_store_with_the_demo_county_upgrades_keeping_every_row(
        backend, engine_url, demo_store_at, tmp_path):
    engine = make_engine(engine_url(backend))
    try:
        demo_store_at(engine, "0003")
        assert not NEW_TABLES & tables(engine)
        assert columns(engine, "townships") == TOWNSHIP_COLUMNS_0003
        assert columns(engine, "tasks") == TASK_COLUMNS_0003
        before = contents(engine)
        assert before["alembic_version"] == [("0003",)]
        assert len(before["tasks"]) > 500 and len(before["townships"]) > 5

        command.upgrade(_alembic_config(engine), "0004")
        engine.dispose()

        assert NEW_TABLES <= tables(engine)
        assert columns(engine, "townships") == [*TOWNSHIP_COLUMNS_0003, *NEW_COLUMNS["townships"]]
        assert columns(engine, "tasks") == [*TASK_COLUMNS_0003, *NEW_COLUMNS["tasks"]]
        after = contents(engine)
        assert after["alembic_version"] == [("0004",)]
        assert all(after[t] == [] for t in NEW_TABLES)
        # the new columns are appended, empty, to every stored row
        assert after["townships"] == sorted((r + (None, None) for r in before["townships"]),
                                            key=repr)
        assert after["tasks"] == sorted((r + (None,) for r in before["tasks"]), key=repr)
        kept = set(before) - {"townships", "tasks", "alembic_version"}
        assert {k: after[k] for k in kept} == {k: before[k] for k in kept}

        # a store without the new ledgers reads as before: empty frames, zero counts
        data = load_ledgers(engine)
        assert len(data.townships) == len(before["townships"])
        assert data.townships["county_code"].isna().all()
        assert all(len(getattr(data, t)) == 0 for t in NEW_TABLES)
        assert all(ledger_counts(engine)[t] == 0 for t in NEW_TABLES)
        # and the next import of the ledgers is accepted into it
        upgrade(engine)
        paths = demo_ledger_files(Path(tmp_path / "again"))
        assert import_files(engine, [SourceFile.from_path(p) for p in paths],
                            user=DEMO_USER).accepted
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_downgrade_to_0003_drops_only_the_new_tables_and_columns(backend, engine_url, demo_store_at):
    engine = make_engine(engine_url(backend))
    demo_store_at(engine, "0004")
    before = {t: named_rows(engine, t) for t in tables(engine) if t != "alembic_version"}
    command.downgrade(_alembic_config(engine), "0003")
    engine.dispose()
    assert not NEW_TABLES & tables(engine)
    assert columns(engine, "townships") == TOWNSHIP_COLUMNS_0003
    assert columns(engine, "tasks") == TASK_COLUMNS_0003
    for table in tables(engine) - {"alembic_version"}:
        gone = NEW_COLUMNS.get(table, [])
        want = [{k: v for k, v in r.items() if k not in gone} for r in before[table]]
        assert sorted(named_rows(engine, table), key=repr) == sorted(want, key=repr), table
    upgrade(engine)
    assert NEW_TABLES <= tables(engine)
    assert contents(engine)["alembic_version"] == [(head_revision(engine),)]
