"""Removing the demo county before real ledgers go in: every ledger row deleted in one
transaction, recorded in the import log (outcome "cleared") and the audit log. After it the
store no longer counts as demo (`store.read.data_status`), so the 演示数据 stamp goes."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert

from duzhan.auth.audit import record
from duzhan.contract import LEDGER_ORDER
from duzhan.store.models import ImportLock, ImportRecord
from duzhan.store.read import CLEARED

from .importer import LOCK_SQL
from .parse import table_of


@dataclass(frozen=True)
class Cleared:
    import_id: int
    removed: dict[str, int]  # ledger → rows deleted


def remove_all_ledgers(engine: Engine, user: str) -> Cleared:
    """Delete every ledger row (children first), all or nothing, and log who did it."""
    started = dt.datetime.now(dt.UTC)
    user = (user or "")[:200]
    with engine.begin() as conn:
        if conn.execute(LOCK_SQL).rowcount == 0:  # serialised with imports
            conn.execute(insert(ImportLock.__table__).values(id=1, imports=1))
        removed = {key: conn.execute(delete(table_of(key))).rowcount or 0
                   for key in reversed(LEDGER_ORDER)}
        removed = {key: removed[key] for key in LEDGER_ORDER}
        finished = dt.datetime.now(dt.UTC)
        res = conn.execute(insert(ImportRecord.__table__).values(
            started_at=started, finished_at=finished, user=user, files=[], rows={},
            changes={k: {"new": 0, "changed": 0, "unchanged": 0, "removed": n}
                     for k, n in removed.items()},
            outcome=CLEARED, problems=0))
        import_id = res.inserted_primary_key[0]
        record(conn, "import", user or None, finished, files=[], outcome=CLEARED,
               import_id=import_id, removed=removed)
    return Cleared(import_id, removed)
