"""A store made by the release before the event-date indexes (schema 0004, the demo county
imported) upgrades in place to 0005: every row is kept, each event date of the contract gets
its index, and the data's last day is the same; a downgrade drops only those indexes."""
import pytest
from alembic import command
from sqlalchemy import inspect

from duzhan.contract import LEDGERS
from duzhan.store.db import _alembic_config, make_engine
from duzhan.store.lookup import last_event_date

from .previous_release import contents

EVENT_INDEXES = {f"ix_{led.key}_{c}" for led in LEDGERS.values() for c in led.events}


def _indexes(engine) -> set[str]:
    insp = inspect(engine)
    return {ix["name"] for t in insp.get_table_names() for ix in insp.get_indexes(t)}


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_a_0004_store_with_the_demo_county_upgrades_keeping_every_row(
        backend, engine_url, demo_store_at):
    engine = make_engine(engine_url(backend))
    try:
        demo_store_at(engine, "0004")
        before, last = contents(engine), last_event_date(engine)
        assert before["alembic_version"] == [("0004",)] and len(before["issues"]) > 50
        older = _indexes(engine)
        assert not older & EVENT_INDEXES and len(EVENT_INDEXES) == 14

        command.upgrade(_alembic_config(engine), "0005")
        engine.dispose()

        assert _indexes(engine) == older | EVENT_INDEXES
        after = contents(engine)
        assert after.pop("alembic_version") == [("0005",)]
        assert after == {k: v for k, v in before.items() if k != "alembic_version"}
        assert last_event_date(engine) == last is not None

        command.downgrade(_alembic_config(engine), "0004")
        engine.dispose()
        assert _indexes(engine) == older
        assert contents(engine) == before
    finally:
        engine.dispose()
