"""Read the stored ledgers into the frames the metrics module computes on.

Every read goes through a `DataScope`, so a township user's limit is applied in SQL here,
whatever the page asks for.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd
from sqlalchemy import Engine, Select, func, select

from duzhan.ledgers.schema import LEDGERS, MONEY_COLUMNS
from duzhan.metrics.frames import Ledgers

from .models import LEDGER_MODELS, ImportRecord, Loan, Project, Township


@dataclass(frozen=True)
class DataScope:
    """Which townships a reader may see (`allowed`, from the user's role; None = all) and
    which the filters select (`selected`; None = whole county). Reads use their intersection."""

    allowed: tuple[str, ...] | None = None
    selected: tuple[str, ...] | None = None

    @property
    def townships(self) -> tuple[str, ...] | None:
        if self.allowed is None:
            return self.selected
        if self.selected is None:
            return self.allowed
        return tuple(c for c in self.selected if c in set(self.allowed))

    def with_selection(self, selected: Sequence[str] | None) -> "DataScope":
        return DataScope(self.allowed, tuple(selected) if selected else None)


def _columns(ledger: str) -> list:
    model = LEDGER_MODELS[ledger].__table__.c
    money = MONEY_COLUMNS.get(ledger, ())
    return [model[f"{c.key}_fen"] if c.key in money else model[c.key] for c in LEDGERS[ledger].columns]


def _ledger_query(ledger: str, townships: tuple[str, ...] | None) -> Select:
    cols = _columns(ledger)
    if ledger == "disbursements":
        q = select(*cols, Project.township_code).join(Project)
        code = Project.township_code
    elif ledger == "repayments":
        q = select(*cols, Loan.township_code).join(Loan)
        code = Loan.township_code
    else:
        q = select(*cols)
        table = LEDGER_MODELS[ledger].__table__
        code = table.c.get("township_code")
    if townships is not None and ledger != "phases":
        # county-wide tasks (no township) belong to the county only
        q = q.where(code.in_(townships))
    return q


def _frame(conn, ledger: str, townships: tuple[str, ...] | None) -> pd.DataFrame:
    df = pd.read_sql(_ledger_query(ledger, townships), conn)
    for col in LEDGERS[ledger].columns:
        if col.type == "date":
            df[col.key] = pd.to_datetime(df[col.key])
        elif col.type == "bool":
            df[col.key] = df[col.key].fillna(False).astype(bool)
    for key in MONEY_COLUMNS.get(ledger, ()):
        df[f"{key}_fen"] = df[f"{key}_fen"].astype("int64")
    return df


def load_ledgers(engine: Engine, scope: DataScope = DataScope()) -> Ledgers:
    townships = scope.townships
    with engine.connect() as conn:
        frames = {name: _frame(conn, name, townships) for name in LEDGERS}
    return Ledgers(**frames)


def township_names(engine: Engine, scope: DataScope = DataScope()) -> dict[str, str]:
    q = select(Township.township_code, Township.township_name).order_by(Township.township_code)
    if scope.allowed is not None:
        q = q.where(Township.township_code.in_(scope.allowed))
    with engine.connect() as conn:
        return dict(conn.execute(q).all())


def data_version(engine: Engine) -> int:
    """Id of the newest import: a cache key that changes whenever the ledgers may have."""
    with engine.connect() as conn:
        return conn.execute(select(func.coalesce(func.max(ImportRecord.id), 0))).scalar_one()
