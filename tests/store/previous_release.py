"""A store as an earlier release left it: the demo county imported, the schema at an older
revision. Today's importer writes today's columns, so the store is filled at the newest
revision (once per backend per session: HeadDemoStores, the `demo_store_at` fixture) and a
copy of it is taken down to `revision` (each downgrade drops only what its upgrade added,
which test_downgrade_* checks); what is left is the older schema with the rows an import
under it would have stored."""
from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from functools import cache
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from duzhan import clock
from duzhan.demo.generator import WORKBOOK_NAME, build_demo_frames, workbook_bytes
from duzhan.ledgers.importer import SourceFile, import_files
from duzhan.store.db import _alembic_config, make_engine, upgrade
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


class HeadDemoStores:
    """The demo county imported at head, made once per backend and copied for each test:
    importing it costs far more than copying it. SQLite: a file copied with the backup API
    (the store runs in WAL mode, so its bytes on disk need not be the whole database);
    PostgreSQL: a template the test's own database is re-created from."""

    def __init__(self, folder: Path, admin_url: str | None):
        self.folder, self.admin_url = folder, admin_url
        self.sqlite_file: Path | None = None
        self.pg_template: str | None = None

    def _fill(self, engine: Engine) -> None:
        upgrade(engine)
        paths = demo_ledger_files(self.folder / "demo")
        result = import_files(engine, [SourceFile.from_path(p) for p in paths], user=DEMO_USER)
        assert result.accepted
        engine.dispose()

    def _admin(self, *statements: str) -> None:
        admin = make_engine(self.admin_url).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for sql in statements:
                conn.execute(text(sql))
        admin.dispose()

    def copy_to(self, engine: Engine) -> None:
        """Replace the store `engine` opens (a SQLite file, or a PostgreSQL database of
        its own) with the head demo store."""
        engine.dispose()
        url = engine.url
        if url.get_backend_name() == "sqlite":
            if self.sqlite_file is None:
                self.sqlite_file = self.folder / "head-demo.db"
                self._fill(make_engine(f"sqlite:///{self.sqlite_file}"))
            with closing(sqlite3.connect(self.sqlite_file)) as a, \
                    closing(sqlite3.connect(url.database)) as b:
                a.backup(b)
            return
        if self.pg_template is None:
            name = f"head_demo_{uuid.uuid4().hex[:12]}"
            self._admin(f'CREATE DATABASE "{name}"')
            self._fill(make_engine(url.set(database=name).render_as_string(hide_password=False)))
            self.pg_template = name
        self._admin(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)',
                    f'CREATE DATABASE "{url.database}" TEMPLATE "{self.pg_template}"')

    def at(self, engine: Engine, revision: str) -> None:
        """The store `engine` opens becomes the demo county at `revision`."""
        self.copy_to(engine)
        command.downgrade(_alembic_config(engine), revision)
        engine.dispose()  # fresh connections see the changed catalogue

    def drop(self) -> None:
        if self.pg_template is not None:
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_template}" WITH (FORCE)')


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
