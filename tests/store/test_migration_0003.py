"""A store made by the release before tasks had a responsible unit (schema 0002, the demo
county imported) upgrades in place to 0003: every row is kept, tasks gain an empty
`department` column, and the next import fills it."""
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select

from duzhan.demo.generator import build_demo_frames
from duzhan.ledgers.importer import SourceFile, import_files
from duzhan.store.db import _alembic_config, make_engine, upgrade
from duzhan.store.models import Task
from duzhan.store.read import DEMO_USER, load_ledgers

from .previous_release import columns, contents, demo_ledger_files, head_revision

TASK_COLUMNS_0002 = ["task_id", "phase_no", "township_code", "task_name", "due_date",
                     "done_date"]


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_a_0002_store_with_the_demo_county_upgrades_keeping_every_row(
        backend, engine_url, demo_store_at, tmp_path):
    engine = make_engine(engine_url(backend))
    try:
        demo_store_at(engine, "0002")
        assert columns(engine, "tasks") == TASK_COLUMNS_0002
        before = contents(engine)
        assert before["alembic_version"] == [("0002",)] and len(before["tasks"]) > 500

        command.upgrade(_alembic_config(engine), "0003")
        engine.dispose()

        assert columns(engine, "tasks") == [*TASK_COLUMNS_0002, "department"]
        after = contents(engine)
        assert after["alembic_version"] == [("0003",)]
        assert after["tasks"] == sorted((r + (None,) for r in before["tasks"]), key=repr)
        assert {k: v for k, v in after.items() if k not in ("tasks", "alembic_version")} == \
            {k: v for k, v in before.items() if k not in ("tasks", "alembic_version")}
        # at the head schema (today's reader reads its columns) the stored tasks read with no
        # unit; importing the ledgers again fills it in
        upgrade(engine)
        assert load_ledgers(engine).tasks["department"].isna().all()
        paths = demo_ledger_files(Path(tmp_path / "again"))
        assert import_files(engine, [SourceFile.from_path(p) for p in paths],
                            user=DEMO_USER).accepted
        with engine.connect() as conn:
            got = dict(conn.execute(select(Task.task_id, Task.department)).all())
        demo = build_demo_frames()["tasks"]
        assert got == dict(zip(demo["task_id"], demo["department"], strict=True))
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_downgrade_to_0002_drops_only_the_department(backend, engine_url, demo_store_at):
    engine = make_engine(engine_url(backend))
    demo_store_at(engine, "0003")
    before = contents(engine)
    command.downgrade(_alembic_config(engine), "0002")
    engine.dispose()
    assert columns(engine, "tasks") == TASK_COLUMNS_0002
    after = contents(engine)
    width = len(TASK_COLUMNS_0002)
    assert after["tasks"] == sorted((r[:width] for r in before["tasks"]), key=repr)
    upgrade(engine)
    assert contents(engine)["alembic_version"] == [(head_revision(engine),)]
