"""The ledger contract as data (layer 1: imports nothing of duzhan but the base layer).

    from duzhan.contract import LEDGERS, LEDGER_ORDER, Ledger, Column

Adding a ledger (tests/test_ledger_registry.py fails until every part is there):
1. a `Ledger(...)` entry in `duzhan.contract.ledgers.LEDGERS`, after the ledgers it names;
2. its model in `duzhan.store.models` (table named as the key; money as `<key>_fen`
   BIGINT; a ledger replaced per `replace_by` value has an `id` surrogate key);
3. an Alembic migration in `src/store/migrations/versions/`;
4. the catalogue label `ledger.<key>` (zh and en); column labels are the entry's zh/en;
5. template examples in `duzhan.ledgers.template.EXAMPLES`;
6. a demo recipe in `duzhan.demo.generator.build_demo_frames`;
7. its entry in `LEDGERS_READ` of tests/metrics/oracle.py (and the figures it feeds).
Validation, the write plan, reads and the township filter, the last event date and the
metric frames (`Ledgers.<key>`) follow from the entry.
"""
from __future__ import annotations

from .ledgers import LEDGER_ORDER, LEDGERS, ledger_for_name
from .spec import (
    DATE_MAX,
    DATE_MIN,
    Choice,
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
    "Choice", "Column", "Ledger", "Reference", "Target", "DateOrder", "Parent", "ParentDate", "SumCap",
    "StoredUnique", "TownshipReach", "ValueType", "DATE_MIN", "DATE_MAX",
]
