"""The stored state an import is checked against, and what the import would write:
upserts by the ledger's key, or replacement of the rows given per `replace_by` value; and
its consequences beyond the rows (phases moved, townships added or renamed, many stored rows
replaced, template examples), which the preview names and a second confirmation accepts."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from duzhan.contract import LEDGER_ORDER, LEDGERS
from duzhan.i18n import t
from duzhan.presentation import format as fmt

from .parse import ParsedTable, table_of
from .problems import ledger_label

# Changing or removing this share of a ledger's stored rows in one import is a consequence.
REPLACE_SHARE = 0.2
NAMES_SHOWN = 10  # townships named in one "added" consequence


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


@dataclass(frozen=True)
class Consequence:
    """A change that reaches beyond its own rows; `reason` is `import.consequence.<reason>`
    in the catalogue, `params` its parameters (dates ISO, counts as numbers)."""

    ledger: str
    reason: str
    params: dict = field(default_factory=dict, hash=False)

    def message(self, lang: str = "zh") -> str:
        params = dict(self.params)
        if "share" in params:
            params["share"] = fmt.pct(params["share"])
        return t(f"import.consequence.{self.reason}", lang,
                 ledger=ledger_label(self.ledger, lang), **params)


@dataclass
class WritePlan:
    inserts: dict[str, list[dict]] = field(default_factory=dict)
    updates: dict[str, list[dict]] = field(default_factory=dict)
    deletes: dict[str, list[int]] = field(default_factory=dict)
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    consequences: list[Consequence] = field(default_factory=list)


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
    plan.consequences = consequences(tables, stored, plan)
    return plan


def consequences(tables: dict[str, ParsedTable], stored: Stored,
                 plan: WritePlan) -> list[Consequence]:
    """What the preview names before the rows: periods (phases) moved or added to a stored
    campaign, townships added to a stored county or renamed, a large share of a ledger's
    stored rows changed or removed, rows identical to the template's examples."""
    from .template import example_signatures

    out: list[Consequence] = []
    for key in LEDGER_ORDER:
        if key not in tables:
            continue
        led = LEDGERS[key]
        have = stored.by_key.get(key, {})
        if led.no_overlap is not None:
            start, end = led.no_overlap
            for rec in plan.updates[key]:
                old = have[led.key_of(rec)]
                if (old[start], old[end]) != (rec[start], rec[end]):
                    out.append(Consequence(key, "period_changed", {
                        "item": led.key_of(rec), "old_start": _iso(old[start]),
                        "old_end": _iso(old[end]), "new_start": _iso(rec[start]),
                        "new_end": _iso(rec[end])}))
            if have:
                for rec in plan.inserts[key]:
                    out.append(Consequence(key, "period_added", {
                        "item": led.key_of(rec), "start": _iso(rec[start]),
                        "end": _iso(rec[end])}))
        for rule in led.stored_unique:  # a township's name: renamed
            for rec in plan.updates[key]:
                old = have[led.key_of(rec)]
                if old[rule.column] != rec[rule.column]:
                    out.append(Consequence(key, "renamed", {
                        "item": led.key_of(rec), "old": old[rule.column],
                        "new": rec[rule.column]}))
        if key == "townships" and have and plan.inserts[key]:
            names = [f"{r['township_code']} {r['township_name']}" for r in plan.inserts[key]]
            more = len(names) - NAMES_SHOWN
            out.append(Consequence(key, "townships_added", {
                "n": len(names), "names": "、".join(names[:NAMES_SHOWN])
                + (f" …(+{more})" if more > 0 else "")}))
        n_stored = len(stored.rows.get(key, []))
        touched = plan.changes[key]["changed"] + plan.changes[key]["removed"]
        if n_stored and touched and touched >= REPLACE_SHARE * n_stored:
            out.append(Consequence(key, "many_replaced", {
                "n": touched, "stored": n_stored, "share": touched / n_stored}))
        examples = example_signatures(key)
        first = led.columns[0].key  # a cheap test first: most rows are no example
        firsts = {dict(sig).get(first) for sig in examples}
        n_examples = sum(1 for row in tables[key].rows if row.values.get(first) in firsts
                         and tuple(sorted(row.store().items())) in examples)
        if n_examples:
            out.append(Consequence(key, "example_rows", {"n": n_examples}))
    return out


def _iso(d) -> str:
    return d.isoformat() if d is not None else ""
