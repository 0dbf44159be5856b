"""A store as an earlier release left it: the demo county imported, the schema at an older
revision. Today's importer writes today's columns, so the store is filled at the newest
revision and then taken down to `revision` (each downgrade drops only what its upgrade
added, which test_downgrade_* checks); what is left is the older schema with the rows an
import under it would have stored."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from duzhan import clock
from duzhan.demo.generator import WORKBOOK_NAME, build_demo_frames, workbook_bytes
from duzhan.ledgers.importer import SourceFile, import_files
from duzhan.store.db import _alembic_config, upgrade
from duzhan.store.read import DEMO_USER


def head_revision(engine: Engine) -> str:
    return ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()


@cache
def _demo_workbook(today) -> bytes:
    return workbook_bytes(build_demo_frames(today), today)


def demo_ledger_files(out_dir: Path) -> list[Path]:
    """What `write_demo_ledgers(out_dir)` writes, the workbook made once per test process:
    the generator is deterministic (tests/demo/test_generator.py: same seed, same bytes),
    and making it costs as much CPU as importing it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / WORKBOOK_NAME
    path.write_bytes(_demo_workbook(clock.today()))
    return [path]


def demo_store_at(engine: Engine, revision: str, work: Path) -> None:
    upgrade(engine)
    paths = demo_ledger_files(work / "demo")
    result = import_files(engine, [SourceFile.from_path(p) for p in paths], user=DEMO_USER)
    assert result.accepted
    command.downgrade(_alembic_config(engine), revision)
    engine.dispose()  # fresh connections see the changed catalogue


def contents(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    out = {}
    with engine.connect() as conn:
        for name in sorted(inspect(conn).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def columns(engine: Engine, table: str) -> list[str]:
    return [c["name"] for c in inspect(engine).get_columns(table)]
