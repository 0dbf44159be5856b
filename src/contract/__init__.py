"""The ledger contract as data (layer 1: imports nothing of duzhan but the base layer).

    from duzhan.contract import LEDGERS, LEDGER_ORDER, Ledger, Column
"""
from __future__ import annotations

from .ledgers import LEDGER_ORDER, LEDGERS, ledger_for_name
from .spec import (
    Column,
    DateOrder,
    Ledger,
    Parent,
    ParentDate,
    Reference,
    StoredUnique,
    SumCap,
    Target,
    TownshipReach,
    ValueType,
)

__all__ = [
    "LEDGERS", "LEDGER_ORDER", "ledger_for_name",
    "Column", "Ledger", "Reference", "Target", "DateOrder", "Parent", "ParentDate", "SumCap",
    "StoredUnique", "TownshipReach", "ValueType",
]
