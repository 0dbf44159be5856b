"""The stored state an import is checked against, and what the import would write:
upserts by the ledger's key, or replacement of the rows given per `replace_by` value; and
its consequences beyond the rows (phases moved, townships added or renamed, many stored rows
replaced, template examples), which the preview names and a second confirmation accepts."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select, tuple_

from duzhan.contract import LEDGER_ORDER, LEDGERS
from duzhan.i18n import t
from duzhan.presentation import format as fmt

from .parse import ParsedTable, table_of
from .problems import ledger_label

# Changing or removing this share of a ledger's stored rows in one import is a consequence.
REPLACE_SHARE = 0.2
NAMES_SHOWN = 10  # townships named in one "added" consequence


CHUNK = 500  # values in one IN (…): within SQLite's and PostgreSQL's parameter limits


class Stored:
    """The stored rows an import is checked against, read when a rule asks for them: rows by
    their key, the groups a replacement touches, the rows holding given values in a column,
    a ledger's row count. Each rule asks for what its batch names, so an import reads what
    its rows touch, not what the store holds. Rows by key and groups are read once each."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._by_key: dict[str, dict[Any, dict | None]] = defaultdict(dict)  # None: not stored
        self._every: set[str] = set()  # ledgers read whole
        self._groups: dict[str, dict[Any, list[dict]]] = defaultdict(dict)
        self._counts: dict[str, int] = {}

    def rows(self, ledger: str, keys: Iterable) -> dict[Any, dict]:
        """An upserted ledger: key → its stored row (every column), for those of `keys`
        stored."""
        led, seen = LEDGERS[ledger], self._by_key[ledger]
        keys = [k for k in dict.fromkeys(keys) if _complete(k)]
        missing = [k for k in keys if k not in seen] if ledger not in self._every else []
        if missing:
            tbl = table_of(ledger)
            col = (tbl.c[led.upsert[0]] if len(led.upsert) == 1
                   else tuple_(*(tbl.c[k] for k in led.upsert)))
            seen.update(dict.fromkeys(missing))
            for r in self._select(select(tbl), col, missing):
                seen[led.key_of(r)] = r
        return {k: seen[k] for k in keys if seen.get(k) is not None}

    def every(self, ledger: str) -> dict[Any, dict]:
        """Every stored row of an upserted ledger, by key: for a county-wide ledger of a few
        rows (phases, whose periods are ordered across the ledger)."""
        led, seen = LEDGERS[ledger], self._by_key[ledger]
        if ledger not in self._every:
            rows = self._conn.execute(select(table_of(ledger))).mappings()
            seen.update((led.key_of(r), dict(r)) for r in rows)
            self._every.add(ledger)
        return {k: r for k, r in seen.items() if r is not None}

    def groups(self, ledger: str, values: Iterable) -> dict[Any, list[dict]]:
        """A replaced ledger: `replace_by` value → its stored rows (every column, in the
        order written), for those of `values` stored."""
        led, seen = LEDGERS[ledger], self._groups[ledger]
        values = [v for v in dict.fromkeys(values) if v is not None]
        missing = [v for v in values if v not in seen]
        if missing:
            tbl = table_of(ledger)
            seen.update((v, []) for v in missing)
            for r in self._select(select(tbl).order_by(tbl.c.id), tbl.c[led.replace_by],
                                  missing):
                seen[r[led.replace_by]].append(r)
        return {v: seen[v] for v in values if seen[v]}

    def holding(self, ledger: str, column: str, values: Iterable,
                columns: Iterable[str] = ()) -> list[dict]:
        """The stored rows whose `column` is one of `values`, with their key (upsert columns
        or `replace_by`), `column` and `columns` only: for the rules over the whole store
        (names taken, codes in use, ids of another ledger)."""
        led, tbl = LEDGERS[ledger], table_of(ledger)
        cols = dict.fromkeys([*(led.upsert or (led.replace_by,)), column, *columns])
        values = [v for v in dict.fromkeys(values) if v is not None]
        return list(self._select(select(*(tbl.c[c] for c in cols)), tbl.c[column], values))

    def count(self, ledger: str) -> int:
        if ledger not in self._counts:
            self._counts[ledger] = self._conn.execute(
                select(func.count()).select_from(table_of(ledger))).scalar_one()
        return self._counts[ledger]

    def has_shape(self, ledger: str, column: str, shape: str) -> bool:
        """Whether a stored value of `column` has this format (`privacy` shapes: 9 a digit,
        A an ASCII letter, any other character itself), read in SQL, not row by row."""
        tbl = table_of(ledger)
        col = tbl.c[column]
        if self._conn.dialect.name == "sqlite":
            pattern = "".join(_GLOB.get(c, f"[{c}]" if c in "*?[]" else c) for c in shape)
            meets = col.op("GLOB")(pattern)
        else:
            meets = col.regexp_match("^" + "".join(_REGEX.get(c, re.escape(c))
                                                   for c in shape) + "$")
        query = select(col).where(func.length(col) == len(shape), meets).limit(1)
        return self._conn.execute(query).first() is not None

    def _select(self, query, column, values: list) -> Iterator[dict]:
        for i in range(0, len(values), CHUNK):
            chunk = values[i:i + CHUNK]
            yield from (dict(r) for r in self._conn.execute(
                query.where(column.in_(chunk))).mappings())


_GLOB = {"9": "[0-9]", "A": "[A-Za-z]"}
_REGEX = _GLOB


def _complete(key: Any) -> bool:
    """A key every part of which is given (an incomplete one names no stored row)."""
    return key is not None and not (isinstance(key, tuple) and any(k is None for k in key))


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
            recs = [row.store() for row in pt.rows]
            have = stored.rows(key, (led.key_of(rec) for rec in recs))
            for rec in recs:
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
            given: dict[Any, list[dict]] = defaultdict(list)
            for row in pt.rows:
                rec = row.store()
                given[rec[gcol]].append(rec)
            have_groups = stored.groups(key, given)
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
        updated = (led.key_of(rec) for rec in plan.updates[key])
        have = stored.rows(key, updated) if led.upsert else {}
        if led.no_overlap is not None:
            start, end = led.no_overlap
            for rec in plan.updates[key]:
                old = have[led.key_of(rec)]
                if (old[start], old[end]) != (rec[start], rec[end]):
                    out.append(Consequence(key, "period_changed", {
                        "item": led.key_of(rec), "old_start": _iso(old[start]),
                        "old_end": _iso(old[end]), "new_start": _iso(rec[start]),
                        "new_end": _iso(rec[end])}))
            if plan.inserts[key] and stored.count(key):
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
        if key == "townships" and plan.inserts[key] and stored.count(key):
            names = [f"{r['township_code']} {r['township_name']}" for r in plan.inserts[key]]
            more = len(names) - NAMES_SHOWN
            out.append(Consequence(key, "townships_added", {
                "n": len(names), "names": "、".join(names[:NAMES_SHOWN])
                + (f" …(+{more})" if more > 0 else "")}))
        touched = plan.changes[key]["changed"] + plan.changes[key]["removed"]
        n_stored = stored.count(key) if touched else 0  # counted only when rows are touched
        if n_stored and touched >= REPLACE_SHARE * n_stored:
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
