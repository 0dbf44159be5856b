"""Fixtures for the ledger importer tests: a migrated store on SQLite and, when the PG*
variables are present (e.g. under `pg_virtualenv`), on PostgreSQL too."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from duzhan.store.db import make_engine, upgrade


def _pg_url() -> str | None:
    if not os.environ.get("PGHOST") and not os.environ.get("PGPORT"):
        return None
    user = os.environ.get("PGUSER", "postgres")
    password = os.environ.get("PGPASSWORD", "")
    host = os.environ.get("PGHOST", "localhost")
    port = os.environ.get("PGPORT", "5432")
    db = os.environ.get("PGDATABASE", "postgres")
    return f"postgresql+psycopg://{user}:{password}@{host}:{port}/{db}"


BACKENDS = ["sqlite"] + (
    [pytest.param("postgresql", marks=pytest.mark.postgres)] if _pg_url() else []
)


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    """A migrated, empty store: SQLite file, or a fresh schema in the PostgreSQL cluster."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path}/t.db")
        upgrade(eng)
        yield eng
        eng.dispose()
        return
    url = _pg_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(eng)
    yield eng
    eng.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
