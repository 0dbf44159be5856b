"""Commands skip Alembic on a schema already at head: the head found from the migration
files' names is Alembic's own, and an older schema is still upgraded."""
from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import text

from duzhan.store import db


def test_file_names_give_alembic_head(engine):
    script = ScriptDirectory.from_config(db._alembic_config(engine))
    assert db.head_revision() == script.get_current_head()
    for rev in script.walk_revisions():
        assert any(p.name.startswith(f"{rev.revision}_") for p in db.MIGRATIONS.iterdir())


def test_an_older_schema_is_upgraded(tmp_path):
    from alembic import command

    engine = db.make_engine(f"sqlite:///{tmp_path}/old.db")
    command.upgrade(db._alembic_config(engine), "0003")  # the release before counties
    assert not db.at_head(engine)
    db.upgrade(engine)
    assert db.at_head(engine)
    with engine.connect() as conn:
        conn.execute(text("SELECT county_name FROM townships"))


def test_no_schema_is_not_at_head(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path}/new.db")
    assert not db.at_head(engine)
    db.upgrade(engine)
    assert db.at_head(engine)
