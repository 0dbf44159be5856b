"""Database URL, engine and schema upgrades."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text

from duzhan import paths

DEFAULT_SQLITE_PATH = paths.DEFAULT_SQLITE_PATH
URL_ENV = "DUZHAN_DATABASE_URL"


def database_url(explicit: str | None = None) -> str:
    """`--db` wins, then DUZHAN_DATABASE_URL, then the embedded SQLite file."""
    url = explicit or os.environ.get(URL_ENV)
    if url:
        # a bare postgresql:// URL means psycopg 3, the driver we ship
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def make_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")  # readers never wait for an import
            cur.execute("PRAGMA busy_timeout=60000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    # resolved: a new migration is found in src/ even before a strict editable reinstall
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


# pg_advisory_lock key of schema upgrades (any fixed bigint; "duzhan" in ASCII)
SCHEMA_LOCK_KEY = 0x64757A68616E


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Serialise schema upgrades between processes: the first one creates the tables, the
    others wait and then find the schema at head (without it, concurrent first imports race
    to create the same tables). PostgreSQL: a session advisory lock; SQLite: a file lock
    next to the database file."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY})
                conn.commit()
        return
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:"):
        yield  # no file other processes could share
        return
    from filelock import FileLock

    with FileLock(f"{path}.upgrade.lock"):
        yield


MIGRATIONS = Path(__file__).resolve().parent / "migrations" / "versions"


def head_revision() -> str:
    """The newest migration's revision: each file is named after its revision
    (`0004_….py` holds revision '0004'; tests/store/test_migrations.py checks it)."""
    return max(p.name[:4] for p in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


def at_head(engine: Engine) -> bool:
    """Whether the schema is already at the newest migration (one query, no Alembic)."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            return list(versions) == [head_revision()]
    except SQLAlchemyError:  # no schema yet
        return False


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration, one process at a time. A
    schema already at head is left alone without loading Alembic (a second of CPU on
    every command otherwise)."""
    if at_head(engine):
        return
    from alembic import command

    with schema_lock(engine):
        command.upgrade(_alembic_config(engine), "head")


def is_empty(engine: Engine) -> bool:
    """True when the schema has no townships yet (a new database)."""
    from sqlalchemy import func, select

    from .models import Township

    if not inspect(engine).has_table("townships"):
        return True
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Township)).scalar_one() == 0
