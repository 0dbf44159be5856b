"""The schema comes from Alembic migrations, and they match the models exactly, so a model
change without a migration fails here; an existing database keeps its rows on upgrade."""
import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, select

from duzhan.store.db import upgrade
from duzhan.store.models import Base, ImportLock, Township


def test_migrations_match_models(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_keeps_existing_rows_and_lock_row(engine):
    with engine.begin() as conn:
        conn.execute(insert(Township).values(township_code="001", township_name="甲镇"))
    upgrade(engine)  # a second start on the same database
    with engine.connect() as conn:
        assert conn.execute(select(Township.township_name)).scalars().all() == ["甲镇"]
        assert conn.execute(select(ImportLock.id)).scalars().all() == [1]


def test_dates_and_fen_round_trip(engine):
    from duzhan.store.models import Project

    with engine.begin() as conn:
        conn.execute(insert(Township).values(township_code="001", township_name="甲镇"))
        conn.execute(insert(Project).values(
            project_id="P1", project_name="x", township_code="001", funding_source="s",
            category="c", allocated_amount_fen=123456789012345, allocated_date=dt.date(2024, 2, 29)))
    with engine.connect() as conn:
        row = conn.execute(select(Project.allocated_amount_fen, Project.allocated_date)).one()
    assert row == (123456789012345, dt.date(2024, 2, 29))
