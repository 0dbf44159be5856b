"""Alembic environment: the engine comes from duzhan.store.db (never from an ini file)."""
from alembic import context

from duzhan.store.db import make_engine
from duzhan.store.models import Base

config = context.config
engine = config.attributes.get("engine") or make_engine()

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    context.run_migrations()
