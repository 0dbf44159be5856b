"""Ledgers written into a store as they are (no importer), for the SQL roll-up's tests:
the roll-up reads the store, the frames' engine reads the same rows as frames."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, create_engine, insert
from sqlalchemy.pool import StaticPool

from duzhan.contract import LEDGER_ORDER
from duzhan.metrics.frames import Ledgers
from duzhan.store.models import LEDGER_MODELS, Base


def _value(v):
    if v is None or v is pd.NaT or (not isinstance(v, str | bytes) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def store_ledgers(ledgers: Ledgers, engine: Engine | None = None) -> Engine:
    """``ledgers`` written into ``engine`` (a new in-memory SQLite store when None): each
    frame's rows into its table, only the table's own columns (not the township a child
    row reaches through its parent)."""
    if engine is None:
        engine = create_engine("sqlite://", poolclass=StaticPool,
                               connect_args={"check_same_thread": False})
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        for name in LEDGER_ORDER:
            table = LEDGER_MODELS[name].__table__
            df = getattr(ledgers, name)
            cols = [c for c in df.columns if c in table.c]
            rows = [{c: _value(v) for c, v in zip(cols, row, strict=True)}
                    for row in df[cols].itertuples(index=False, name=None)]
            if rows:
                conn.execute(insert(table), rows)
    return engine


def clear_store(engine: Engine) -> None:
    with engine.begin() as conn:
        for name in reversed(LEDGER_ORDER):
            conn.execute(LEDGER_MODELS[name].__table__.delete())



