"""Validation of a read batch: values, single-column rules, uniqueness, references and
cross-field rules, evaluated against the state the store would have AFTER the import.

`parse_batch` needs no store; `check` takes a connection (inside the import transaction, or
a read-only one for a plan) and returns every problem plus the write plan.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from duzhan.store.models import LEDGER_MODELS

from .problems import Problem, shown_value
from .schema import LEDGER_ORDER, LEDGERS, MONEY_COLUMNS, Ledger
from .sources import RawBatch, RawTable
from .values import COORD_COLUMNS, parser_for, to_fen


def store_key(ledger: str, key: str) -> str:
    return f"{key}_fen" if key in MONEY_COLUMNS.get(ledger, ()) else key


def table_of(ledger: str):
    return LEDGER_MODELS[ledger].__table__


def _max_length(ledger: str, key: str) -> int | None:
    col = table_of(ledger).c.get(store_key(ledger, key))
    return getattr(col.type, "length", None) if col is not None else None


_PARSERS: dict[tuple[str, str], Any] = {
    (led.key, c.key): parser_for(c.type, c.key, _max_length(led.key, c.key))
    for led in LEDGERS.values()
    for c in led.columns
}


def fmt_yuan(fen: int) -> str:
    return f"{Decimal(fen).scaleb(-2):,.2f}"


@dataclass
class Row:
    ledger: str
    file: str
    rowno: int
    raw: dict[str, Any]
    values: dict[str, Any]  # parsed; None when missing or invalid
    bad: set[str] = field(default_factory=set)  # columns with a problem

    def ok(self, *keys: str) -> bool:
        """All of `keys` parsed to a present value."""
        return all(k not in self.bad and self.values.get(k) is not None for k in keys)

    def store(self) -> dict[str, Any]:
        """The row as the store holds it (money as fen, coordinates as float)."""
        out: dict[str, Any] = {}
        money = MONEY_COLUMNS.get(self.ledger, ())
        for k, v in self.values.items():
            if k in money:
                out[f"{k}_fen"] = to_fen(v) if v is not None else None
            elif k in COORD_COLUMNS:
                out[k] = float(v) if v is not None else None
            else:
                out[k] = v
        return out


@dataclass
class ParsedTable:
    ledger: Ledger
    raw: RawTable
    rows: list[Row]


class Reporter:
    """Builds problems with the header as written and the value as typed (masked)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, table: ParsedTable, row: Row | None, key: str | None, reason: str,
            **params: Any) -> None:
        led = table.ledger
        column = None
        in_file = True
        if key is not None:
            column = table.raw.headers.get(key)
            if column is None:
                column, in_file = led.column(key).zh, False
        value = shown_value(led.key, key, row.raw.get(key)) if (row and key) else ""
        self.problems.append(
            Problem(led.key, table.raw.file, row.rowno if row else None, column, value, reason,
                    params, column_key=key, column_in_file=in_file)
        )
        if row is not None and key is not None:
            row.bad.add(key)


# --- store-free checks ---------------------------------------------------------------------


def parse_batch(batch: RawBatch, rep: Reporter) -> dict[str, ParsedTable]:
    tables: dict[str, ParsedTable] = {}
    for key in LEDGER_ORDER:
        raw = batch.tables.get(key)
        if raw is None:
            continue
        led = LEDGERS[key]
        pt = ParsedTable(led, raw, [])
        tables[key] = pt
        present = [c for c in led.columns if c.key in raw.headers]
        seen: dict[str, dict[Any, int]] = {c.key: {} for c in led.columns if c.unique}
        for rowno, cells in raw.rows:
            # a column absent from the file is empty in every row (a bool: false)
            row = Row(key, raw.file, rowno, cells,
                      {c.key: (False if c.type == "bool" else None) for c in led.columns})
            pt.rows.append(row)
            for col in present:
                res = _PARSERS[(key, col.key)](cells.get(col.key))
                if not res.ok:
                    rep.add(pt, row, col.key, res.reason, **res.params)
                    continue
                v = res.value
                row.values[col.key] = v
                if v is None:
                    if col.required:
                        rep.add(pt, row, col.key, "required")
                    continue
                if col.min_value is not None and v < col.min_value:
                    rep.add(pt, row, col.key, "below_min", min=_num(col.min_value))
                elif col.max_value is not None and v > col.max_value:
                    rep.add(pt, row, col.key, "above_max", max=_num(col.max_value))
                elif col.positive and v <= 0:
                    rep.add(pt, row, col.key, "not_positive")
                if col.unique:
                    first = seen[col.key].setdefault(v, rowno)
                    if first != rowno:
                        rep.add(pt, row, col.key, "duplicate", other_row=first)
            _cross_field(pt, row, rep)
    return tables


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


_NOT_BEFORE = {  # ledger: [(later column, earlier column)] later ≥ earlier
    "phases": [("end_date", "start_date")],
    "issues": [("deadline", "found_date"), ("closed_date", "found_date")],
}
_AFTER = {  # later > earlier
    "loans": [("due_date", "issued_date"), ("extended_due_date", "due_date")],
}


def _cross_field(pt: ParsedTable, row: Row, rep: Reporter) -> None:
    for later, earlier in _NOT_BEFORE.get(pt.ledger.key, ()):
        if row.ok(later, earlier) and row.values[later] < row.values[earlier]:
            rep.add(pt, row, later, "before_col", other_col=earlier,
                    other=row.values[earlier].isoformat())
    for later, earlier in _AFTER.get(pt.ledger.key, ()):
        if row.ok(later, earlier) and row.values[later] <= row.values[earlier]:
            rep.add(pt, row, later, "not_after_col", other_col=earlier,
                    other=row.values[earlier].isoformat())


# --- the stored state ------------------------------------------------------------------


@dataclass
class Stored:
    by_id: dict[str, dict[Any, dict]]  # id ledgers: id → store row
    by_parent: dict[str, dict[Any, list[dict]]]  # replace ledgers: parent id → store rows


def load_store(conn: Connection) -> Stored:
    by_id: dict[str, dict[Any, dict]] = {}
    by_parent: dict[str, dict[Any, list[dict]]] = {}
    for key in LEDGER_ORDER:
        led = LEDGERS[key]
        tbl = table_of(key)
        result = conn.execute(select(tbl))
        if led.id_column:
            by_id[key] = {r[led.id_column]: dict(r) for r in result.mappings()}
        else:
            groups: dict[Any, list[dict]] = defaultdict(list)
            for r in result.mappings():
                groups[r[led.parent[0]]].append(dict(r))
            by_parent[key] = dict(groups)
    return Stored(by_id, by_parent)


# --- checks against the state after the import -------------------------------------------


@dataclass
class WritePlan:
    inserts: dict[str, list[dict]] = field(default_factory=dict)
    updates: dict[str, list[dict]] = field(default_factory=dict)
    deletes: dict[str, list[int]] = field(default_factory=dict)
    changes: dict[str, dict[str, int]] = field(default_factory=dict)


def _final_ids(tables: dict[str, ParsedTable], stored: Stored, ledger: str) -> dict[Any, Any]:
    """id → imported Row (first occurrence) or stored row dict, for the state after import."""
    idc = LEDGERS[ledger].id_column
    final: dict[Any, Any] = dict(stored.by_id.get(ledger, {}))
    pt = tables.get(ledger)
    if pt:
        seen = set()
        for row in pt.rows:
            v = row.values.get(idc)
            if v is not None and v not in seen:
                seen.add(v)
                final[v] = row
    return final


def _get(item: Any, key: str) -> Any:
    """A value from an imported Row (parsed, None if invalid) or a stored row dict."""
    if isinstance(item, Row):
        return item.values.get(key) if key not in item.bad else None
    return item.get(key)


def _money(item: Any, ledger: str, key: str) -> int | None:
    if isinstance(item, Row):
        v = _get(item, key)
        return to_fen(v) if v is not None else None
    return item.get(f"{key}_fen")


def check(conn: Connection, tables: dict[str, ParsedTable], rep: Reporter) -> WritePlan:
    stored = load_store(conn)
    final = {k: _final_ids(tables, stored, k) for k in LEDGER_ORDER if LEDGERS[k].id_column}

    _check_township_names(tables, stored, rep)
    _check_references(tables, final, rep)
    _check_phases(tables, final, rep)
    _check_village_moves(tables, stored, rep)
    _check_children(tables, stored, final, rep, "disbursements", "projects", "amount",
                    "allocated_amount", "allocated_date", "before_allocated", "over_allocated",
                    "stored_before_allocated", "stored_over_allocated")
    _check_children(tables, stored, final, rep, "repayments", "loans", "principal_amount",
                    "principal", "issued_date", "before_issued", "over_principal",
                    "stored_before_issued", "stored_over_principal")
    return _write_plan(tables, stored)


def _check_township_names(tables, stored: Stored, rep: Reporter) -> None:
    pt = tables.get("townships")
    if not pt:
        return
    imported_codes = {r.values["township_code"] for r in pt.rows if r.values["township_code"]}
    taken = {
        r["township_name"]: code
        for code, r in stored.by_id["townships"].items()
        if code not in imported_codes
    }
    for row in pt.rows:
        name = row.values.get("township_name")
        if name is not None and "township_name" not in row.bad and name in taken:
            rep.add(pt, row, "township_name", "name_taken", code=taken[name])


_REFS = {
    # ledger: [(column, target ledger, reason, required-by-contract)]
    "villages": [("township_code", "townships", "unknown_township")],
    "tasks": [("phase_no", "phases", "unknown_phase"),
              ("township_code", "townships", "unknown_township")],
    "issues": [("township_code", "townships", "unknown_township")],
    "projects": [("township_code", "townships", "unknown_township")],
    "disbursements": [("project_id", "projects", "unknown_project")],
    "loans": [("township_code", "townships", "unknown_township")],
    "repayments": [("loan_id", "loans", "unknown_loan")],
}


def _check_references(tables, final, rep: Reporter) -> None:
    for ledger, refs in _REFS.items():
        pt = tables.get(ledger)
        if not pt:
            continue
        for row in pt.rows:
            for col, target, reason in refs:
                if row.ok(col) and row.values[col] not in final[target]:
                    rep.add(pt, row, col, reason)
    villages = final["villages"]
    for ledger in ("issues", "loans"):
        pt = tables.get(ledger)
        if not pt:
            continue
        for row in pt.rows:
            if not row.ok("village_code"):
                continue
            village = villages.get(row.values["village_code"])
            if village is None:
                rep.add(pt, row, "village_code", "unknown_village")
                continue
            town = _get(village, "township_code")
            if row.ok("township_code") and town is not None and town != row.values["township_code"]:
                rep.add(pt, row, "village_code", "village_other_township", township=town)


def _check_phases(tables, final, rep: Reporter) -> None:
    pt = tables.get("phases")
    if not pt:
        return
    phases = sorted(
        (no, item) for no, item in final["phases"].items()
        if _get(item, "start_date") is not None and _get(item, "end_date") is not None
    )
    for (no_a, a), (no_b, b) in zip(phases, phases[1:]):
        if _get(b, "start_date") <= _get(a, "end_date"):
            if isinstance(b, Row):
                rep.add(pt, b, "start_date", "phase_overlap", other=no_a,
                        other_end=_get(a, "end_date").isoformat())
            elif isinstance(a, Row):
                rep.add(pt, a, "end_date", "phase_overlap_next", other=no_b,
                        other_start=_get(b, "start_date").isoformat())


def _check_village_moves(tables, stored: Stored, rep: Reporter) -> None:
    """A village moved to another township must not leave stored issues/loans behind."""
    pt = tables.get("villages")
    if not pt:
        return
    moved: dict[str, Row] = {}
    for row in pt.rows:
        code, town = row.values.get("village_code"), row.values.get("township_code")
        old = stored.by_id["villages"].get(code)
        if old is not None and town is not None and row.ok("township_code") \
                and old["township_code"] != town:
            moved[code] = row
    if not moved:
        return
    users: Counter = Counter()
    for ledger in ("issues", "loans"):
        re_imported = set()
        if ledger in tables:
            idc = LEDGERS[ledger].id_column
            re_imported = {r.values.get(idc) for r in tables[ledger].rows}
        for id_, r in stored.by_id[ledger].items():
            if r["village_code"] in moved and id_ not in re_imported:
                if r["township_code"] != moved[r["village_code"]].values["township_code"]:
                    users[r["village_code"]] += 1
    for code, n in users.items():
        rep.add(pt, moved[code], "township_code", "village_in_use", count=n)


def _check_children(tables, stored: Stored, final, rep: Reporter, child: str, parent: str,
                    amount: str, limit: str, date_col: str, r_before: str, r_over: str,
                    r_stored_before: str, r_stored_over: str) -> None:
    pcol = LEDGERS[child].parent[0]
    parents = final[parent]
    ct = tables.get(child)
    given: dict[Any, list[Row]] = defaultdict(list)
    if ct:
        for row in ct.rows:
            if row.ok(pcol):
                given[row.values[pcol]].append(row)
    # rows in the import: dates, then the sum per parent
    for pid, rows in given.items():
        item = parents.get(pid)
        if item is None:
            continue  # already reported as unknown
        start = _get(item, date_col)
        cap = _money(item, parent, limit)
        total = 0
        reported = False
        for row in rows:
            if start is not None and row.ok("paid_date") and row.values["paid_date"] < start:
                rep.add(ct, row, "paid_date", r_before, date=start.isoformat())
            if row.ok(amount):
                total += to_fen(row.values[amount])
                if cap is not None and total > cap and not reported:
                    reported = True
                    rep.add(ct, row, amount, r_over, total=fmt_yuan(sum(
                        to_fen(r.values[amount]) for r in rows if r.ok(amount))),
                        limit=fmt_yuan(cap))
    # parents re-imported whose children stay as stored
    pt = tables.get(parent)
    if not pt:
        return
    stored_children = stored.by_parent.get(child, {})
    for pid, item in parents.items():
        if not isinstance(item, Row) or pid in given:
            continue
        kids = stored_children.get(pid)
        if not kids:
            continue
        start = _get(item, date_col)
        if start is not None:
            early = [k for k in kids if k["paid_date"] < start]
            if early:
                rep.add(pt, item, date_col, r_stored_before, count=len(early),
                        date=min(k["paid_date"] for k in early).isoformat())
        cap = _money(item, parent, limit)
        total = sum(k[f"{amount}_fen"] for k in kids)
        if cap is not None and total > cap:
            rep.add(pt, item, limit, r_stored_over, total=fmt_yuan(total), limit=fmt_yuan(cap))


# --- what would change -----------------------------------------------------------------


def _write_plan(tables: dict[str, ParsedTable], stored: Stored) -> WritePlan:
    plan = WritePlan()
    for key, pt in tables.items():
        led = pt.ledger
        inserts: list[dict] = []
        updates: list[dict] = []
        deletes: list[int] = []
        counts = {"new": 0, "changed": 0, "unchanged": 0, "removed": 0}
        if led.id_column:
            have = stored.by_id[key]
            idc = led.id_column
            for row in pt.rows:
                rec = row.store()
                old = have.get(rec[idc])
                if old is None:
                    counts["new"] += 1
                    inserts.append(rec)
                elif all(old.get(k) == v for k, v in rec.items()):
                    counts["unchanged"] += 1
                else:
                    counts["changed"] += 1
                    updates.append(rec)
        else:
            pcol = led.parent[0]
            fields = [store_key(key, c.key) for c in led.columns if c.key != pcol]
            have_groups = stored.by_parent.get(key, {})
            given: dict[Any, list[dict]] = defaultdict(list)
            for row in pt.rows:
                rec = row.store()
                given[rec[pcol]].append(rec)
            for pid, recs in given.items():
                old_rows = have_groups.get(pid, [])
                pool: dict[tuple, list[dict]] = defaultdict(list)
                for o in old_rows:
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
