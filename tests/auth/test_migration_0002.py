"""A store made by the release before sign-in (schema 0001, the demo county imported)
upgrades in place to 0002: every row is kept, the new tables exist and work."""
import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from duzhan.auth import add_user, authenticate, read_audit, sign_in_enabled
from duzhan.store.db import _alembic_config, make_engine, upgrade
from duzhan.store.models import Base
from tests.store.previous_release import contents, head_revision

from .conftest import PASSWORD, T0

NEW_TABLES = {"users", "user_townships", "sign_in_failures", "audit_log"}


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_a_0001_store_with_the_demo_county_upgrades_keeping_every_row(
        backend, engine_url, demo_store_at):
    engine = make_engine(engine_url(backend))
    try:
        demo_store_at(engine, "0001")
        before = contents(engine)
        assert not NEW_TABLES & set(before)
        assert len(before["loans"]) > 100 and len(before["imports"]) == 1

        command.upgrade(_alembic_config(engine), "0002")

        after = contents(engine)
        assert {k: v for k, v in after.items() if k not in NEW_TABLES | {"alembic_version"}} == \
            {k: v for k, v in before.items() if k != "alembic_version"}
        assert after["alembic_version"] == [("0002",)]
        assert NEW_TABLES <= set(after) and all(after[t] == [] for t in NEW_TABLES)
        # the upgraded store starts with sign-in off, and the first user turns it on
        assert not sign_in_enabled(engine)
        code = after["townships"][0][0]
        add_user(engine, "wang", "township", PASSWORD, T0, townships=[code])
        assert authenticate(engine, "wang", PASSWORD, T0).user.townships == (code,)
        assert [e.kind for e in read_audit(engine)] == ["sign_in", "user"]
    finally:
        engine.dispose()


def test_models_name_exactly_the_tables_the_migrations_make(engine):
    assert NEW_TABLES <= set(Base.metadata.tables)
    assert NEW_TABLES <= set(inspect(engine).get_table_names())


def test_downgrade_to_0001_drops_only_the_new_tables(engine):
    # from 0002 itself: later revisions add tables of their own, which their tests check
    command.downgrade(_alembic_config(engine), "0002")
    engine.dispose()
    before = set(inspect(engine).get_table_names())
    assert NEW_TABLES <= before
    command.downgrade(_alembic_config(engine), "0001")
    engine.dispose()  # fresh connections see the changed catalogue
    assert set(inspect(engine).get_table_names()) == before - NEW_TABLES
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(select(text("version_num")).select_from(
            text("alembic_version"))).scalar_one() == head_revision(engine)
