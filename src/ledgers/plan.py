"""The stored state an import is checked against, and what the import would write:
upserts by the ledger's key, or replacement of the rows given per `replace_by` value."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from duzhan.contract import LEDGER_ORDER, LEDGERS

from .parse import ParsedTable, table_of


@dataclass
class Stored:
    rows: dict[str, list[dict]]  # every ledger: its store rows
    by_key: dict[str, dict[Any, dict]]  # upserted ledgers: key → store row
    by_group: dict[str, dict[Any, list[dict]]]  # replaced ledgers: replace_by value → rows


def load_store(conn: Connection) -> Stored:
    rows: dict[str, list[dict]] = {}
    by_key: dict[str, dict[Any, dict]] = {}
    by_group: dict[str, dict[Any, list[dict]]] = {}
    for key in LEDGER_ORDER:
        led = LEDGERS[key]
        rows[key] = [dict(r) for r in conn.execute(select(table_of(key))).mappings()]
        if led.upsert:
            by_key[key] = {led.key_of(r): r for r in rows[key]}
        else:
            groups: dict[Any, list[dict]] = defaultdict(list)
            for r in rows[key]:
                groups[r[led.replace_by]].append(r)
            by_group[key] = dict(groups)
    return Stored(rows, by_key, by_group)


@dataclass
class WritePlan:
    inserts: dict[str, list[dict]] = field(default_factory=dict)
    updates: dict[str, list[dict]] = field(default_factory=dict)
    deletes: dict[str, list[int]] = field(default_factory=dict)
    changes: dict[str, dict[str, int]] = field(default_factory=dict)


def write_plan(tables: dict[str, ParsedTable], stored: Stored) -> WritePlan:
    plan = WritePlan()
    for key, pt in tables.items():
        led = pt.ledger
        inserts: list[dict] = []
        updates: list[dict] = []
        deletes: list[int] = []
        counts = {"new": 0, "changed": 0, "unchanged": 0, "removed": 0}
        if led.upsert:
            have = stored.by_key[key]
            for row in pt.rows:
                rec = row.store()
                old = have.get(led.key_of(rec))
                if old is None:
                    counts["new"] += 1
                    inserts.append(rec)
                elif all(old.get(k) == v for k, v in rec.items()):
                    counts["unchanged"] += 1
                else:
                    counts["changed"] += 1
                    updates.append(rec)
        else:
            gcol = led.replace_by
            fields = [led.store_key(c.key) for c in led.columns if c.key != gcol]
            have_groups = stored.by_group.get(key, {})
            given: dict[Any, list[dict]] = defaultdict(list)
            for row in pt.rows:
                rec = row.store()
                given[rec[gcol]].append(rec)
            for gid, recs in given.items():
                pool: dict[tuple, list[dict]] = defaultdict(list)
                for o in have_groups.get(gid, []):
                    pool[tuple(o[f] for f in fields)].append(o)
                for rec in recs:
                    sig = tuple(rec[f] for f in fields)
                    if pool.get(sig):
                        pool[sig].pop()
                        counts["unchanged"] += 1
                    else:
                        counts["new"] += 1
                        inserts.append(rec)
                for left in pool.values():
                    for o in left:
                        counts["removed"] += 1
                        deletes.append(o["id"])
        plan.inserts[key], plan.updates[key], plan.deletes[key] = inserts, updates, deletes
        plan.changes[key] = counts
    return plan
