"""Shared fixtures: a fresh, migrated store on SQLite and on PostgreSQL.

`make test` runs the suite inside `pg_virtualenv`, which sets the PG* variables; the
PostgreSQL half of `engine` runs whenever they are present.
"""
from __future__ import annotations

import os
import sqlite3
import uuid
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from duzhan.cli import main as duzhan
from duzhan.store.db import make_engine, upgrade
from duzhan.store.read import DataScope, load_ledgers

# One "today" for the whole run — the demo county, the pages' default as-of date and the
# servers the browser tests start (they inherit it) — so results do not depend on the day
# the suite runs. clock.today() reads it on every call; `DUZHAN_TODAY=… make test` tries
# another day.
PINNED_TODAY = "2026-11-18"  # final phase; red, yellow and overdue issues in the demo
os.environ.setdefault("DUZHAN_TODAY", PINNED_TODAY)


def files_missing_from_install(src: Path, installed: Path) -> list[str]:
    """Files under src/ that the installed `duzhan` lacks: a strict editable install links
    each file, so one added since `make install` stays invisible until it is re-run."""
    return sorted(str(p.relative_to(src)) for p in src.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts
                  and not (installed / p.relative_to(src)).exists())


def pytest_sessionstart(session):
    import duzhan

    src = Path(__file__).resolve().parents[1] / "src"
    missing = files_missing_from_install(src, Path(duzhan.__file__).parent)
    if missing:
        pytest.exit(f"not in the installed duzhan: {', '.join(missing)} — run `make install`",
                    returncode=2)


# `pytest -n 2 --dist loadfile` hands out files in collection order: a long file collected
# last (tests/views/ sorts after everything) runs alone at the end while the other worker
# idles. The files measured longest (make test --durations) go first; the rest keep their order.
LONG_FILES_FIRST = (
    "tests/browser/", "tests/views/test_beyond_data.py", "tests/views/test_as_of_fallback.py",
    "tests/pages/test_access.py", "tests/exports/test_brief.py", "tests/metrics/test_differential",
    "tests/ledgers/test_perf.py", "tests/pages/test_households.py", "tests/pages/test_data.py",
    "tests/store/test_migration_", "tests/exports/test_brief_hostile.py",
)


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return next((i for i, p in enumerate(LONG_FILES_FIRST) if path.startswith(p)),
                    len(LONG_FILES_FIRST))

    items.sort(key=rank)  # stable: within a rank, collection order


def postgres_url() -> str | None:
    if not os.environ.get("PGHOST") and not os.environ.get("PGPORT"):
        return None
    user = os.environ.get("PGUSER", "postgres")
    password = os.environ.get("PGPASSWORD", "")
    host = os.environ.get("PGHOST", "localhost")
    port = os.environ.get("PGPORT", "5432")
    db = os.environ.get("PGDATABASE", "postgres")
    return f"postgresql+psycopg://{user}:{password}@{host}:{port}/{db}"


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _sqlite_engine(tmp_path):
    return make_engine(f"sqlite:///{tmp_path}/duzhan-test.db")


def _postgres_engine():
    url = postgres_url()
    if url is None:
        pytest.fail("PostgreSQL tests need the PG* variables: run them with `make test`")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    from sqlalchemy import create_engine

    engine = create_engine(
        url, connect_args={"options": f"-csearch_path={schema}"}, pool_pre_ping=True
    )
    return engine, schema


@contextmanager
def migrated_store(backend: str, folder: Path):
    """A migrated, empty store on `backend` (a SQLite file in `folder`, or a PostgreSQL
    schema of its own, dropped afterwards)."""
    if backend == "sqlite":
        eng = _sqlite_engine(folder)
        upgrade(eng)
        yield eng
        eng.dispose()
        return
    eng, schema = _postgres_engine()
    upgrade(eng)
    yield eng
    eng.dispose()
    admin = make_engine(postgres_url())
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    """A migrated, empty store on each backend."""
    with migrated_store(request.param, tmp_path) as eng:
        yield eng


@pytest.fixture
def engine_url(tmp_path):
    """backend name → URL of a fresh store on it (for code that opens its own engine)."""
    schemas: list[str] = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path}/cli.db"
        url = postgres_url()
        if url is None:
            pytest.fail("PostgreSQL tests need the PG* variables: run them with `make test`")
        name = f"d_{uuid.uuid4().hex[:12]}"
        admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        schemas.append(name)
        return url.rsplit("/", 1)[0] + f"/{name}"

    yield make
    if schemas:
        admin = make_engine(postgres_url()).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in schemas:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def _demo_stores(tmp_path_factory) -> tuple[str, str]:
    """The demo county, made once, and an untouched copy of it made at once."""
    folder = tmp_path_factory.mktemp("demo")
    shared, pristine = folder / "duzhan.db", folder / "pristine.db"
    assert duzhan(["init", "--demo", "--db", f"sqlite:///{shared}"]) == 0
    with closing(sqlite3.connect(shared)) as a, closing(sqlite3.connect(pristine)) as b:
        a.backup(b)
    return f"sqlite:///{shared}", f"sqlite:///{pristine}"


@pytest.fixture(scope="session")
def demo_db_url(_demo_stores) -> str:
    """The demo county the tests share. Not read-only: each download a page test makes adds
    an export entry to its audit log."""
    return _demo_stores[0]


@pytest.fixture(scope="session")
def pristine_demo_db_url(_demo_stores) -> str:
    """The demo county as `duzhan init --demo` left it, whatever the tests before did to the
    shared one: copy private stores (sign-in, imports, the audit log) from this."""
    return _demo_stores[1]


@pytest.fixture(scope="session")
def demo_store_at(tmp_path_factory):
    """(engine, revision) → the store `engine` opens (a SQLite file, or a PostgreSQL
    database from `engine_url`) holds the demo county at schema `revision`; the county is
    imported once per backend per session."""
    from tests.store.previous_release import HeadDemoStores

    stores = HeadDemoStores(tmp_path_factory.mktemp("head-demo"), postgres_url())
    yield stores.at
    stores.drop()


@pytest.fixture(scope="session")
def demo_ledgers(demo_db_url):
    engine = make_engine(demo_db_url)
    try:
        yield load_ledgers(engine, DataScope())
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def province_store(tmp_path_factory) -> tuple[str, Path]:
    """A demo province of three counties (`duzhan demo --counties 3`, through the importer),
    made once: its URL and its township boundaries (for DUZHAN_GEO)."""
    folder = tmp_path_factory.mktemp("province")
    url = f"sqlite:///{folder / 'province.db'}"
    assert duzhan(["demo", "--counties", "3", "--db", url, "--today", PINNED_TODAY,
                   "--out", str(folder / "geo")]) == 0
    return url, folder / "geo" / "townships.geojson"
