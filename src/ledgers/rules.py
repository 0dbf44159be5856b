"""The contract's rules across fields, rows and ledgers, evaluated against the state the
store would have AFTER the import (a reference may name a row of the same import or a
stored one). Every rule is read from `duzhan.contract`; no ledger is named here.

The checks run in a fixed order, because a column found bad by one is skipped by the next.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from duzhan.contract import LEDGER_ORDER, LEDGERS, Ledger, Reference
from duzhan.presentation.format import yuan

from .parse import ParsedTable, Reporter, Row
from .plan import Stored
from .values import to_fen


def fmt_yuan(fen: int) -> str:
    return yuan(Decimal(fen).scaleb(-2))


def check_rows(tables: dict[str, ParsedTable], rep: Reporter) -> None:
    """Rules within one row: the date orders."""
    for pt in tables.values():
        for row in pt.rows:
            for rule in pt.ledger.date_order:
                later, earlier = rule.later, rule.earlier
                if not row.ok(later, earlier):
                    continue
                a, b = row.values[later], row.values[earlier]
                if a < b or (rule.strict and a == b):
                    rep.add(pt, row, later, rule.reason, other_col=earlier, other=b.isoformat())


def check(tables: dict[str, ParsedTable], stored: Stored, rep: Reporter) -> None:
    """Rules across rows and ledgers, against the state after the import."""
    final = {k: _final_keys(tables, stored, k) for k in LEDGER_ORDER if LEDGERS[k].upsert}
    _check_stored_unique(tables, stored, rep)
    _check_references(tables, final, rep)
    _check_no_overlap(tables, final, rep)
    _check_moves(tables, stored, rep)
    for key in LEDGER_ORDER:
        if LEDGERS[key].parent is not None:
            _check_children(tables, stored, final, rep, LEDGERS[key])


def _complete(led: Ledger, values: dict) -> bool:
    return all(values.get(k) is not None for k in led.upsert)


def _final_keys(tables: dict[str, ParsedTable], stored: Stored, ledger: str) -> dict[Any, Any]:
    """key → imported Row (first occurrence) or stored row dict, for the state after import."""
    led = LEDGERS[ledger]
    final: dict[Any, Any] = dict(stored.by_key.get(ledger, {}))
    pt = tables.get(ledger)
    if pt:
        seen = set()
        for row in pt.rows:
            if not _complete(led, row.values):
                continue
            k = led.key_of(row.values)
            if k not in seen:
                seen.add(k)
                final[k] = row
    return final


def _get(item: Any, key: str) -> Any:
    """A value from an imported Row (parsed, None if invalid) or a stored row dict."""
    if isinstance(item, Row):
        return item.values.get(key) if key not in item.bad else None
    return item.get(key)


def _money(item: Any, key: str) -> int | None:
    if isinstance(item, Row):
        v = _get(item, key)
        return to_fen(v) if v is not None else None
    return item.get(f"{key}_fen")


def _check_stored_unique(tables, stored: Stored, rep: Reporter) -> None:
    for key, pt in tables.items():
        led = pt.ledger
        for rule in led.stored_unique:
            imported = {led.key_of(r.values) for r in pt.rows
                        if all(r.values.get(k) for k in led.upsert)}
            taken = {r[rule.column]: k for k, r in stored.by_key[key].items() if k not in imported}
            for row in pt.rows:
                v = row.values.get(rule.column)
                if v is not None and rule.column not in row.bad and v in taken:
                    rep.add(pt, row, rule.column, rule.reason, code=taken[v])


def _named(final, ref: Reference, value: Any) -> Any:
    """The row `value` names among the reference's targets, or None."""
    for target in ref.targets:
        item = final[target.ledger].get(value)
        if item is not None and all(_get(item, c) == v for c, v in target.where):
            return item
    return None


def _check_references(tables, final, rep: Reporter) -> None:
    for pt in tables.values():
        refs = pt.ledger.references
        if not refs:
            continue
        for row in pt.rows:
            for ref in refs:
                if not row.ok(ref.column):
                    continue
                item = _named(final, ref, row.values[ref.column])
                if item is None:
                    rep.add(pt, row, ref.column, ref.missing)
                    continue
                if ref.match is None:
                    continue
                theirs = _get(item, ref.match)
                if row.ok(ref.match) and theirs is not None and theirs != row.values[ref.match]:
                    rep.add(pt, row, ref.column, ref.mismatch, township=theirs)


def _check_no_overlap(tables, final, rep: Reporter) -> None:
    for key, pt in tables.items():
        if pt.ledger.no_overlap is None:
            continue
        start, end = pt.ledger.no_overlap
        periods = sorted(
            (no, item) for no, item in final[key].items()
            if _get(item, start) is not None and _get(item, end) is not None
        )
        for (no_a, a), (no_b, b) in zip(periods, periods[1:], strict=False):
            if _get(b, start) <= _get(a, end):
                if isinstance(b, Row):
                    rep.add(pt, b, start, "phase_overlap", other=no_a,
                            other_end=_get(a, end).isoformat())
                elif isinstance(a, Row):
                    rep.add(pt, a, end, "phase_overlap_next", other=no_b,
                            other_start=_get(b, start).isoformat())


def _check_moves(tables, stored: Stored, rep: Reporter) -> None:
    """A row whose `match` value changes (a village moved to another township) must not
    leave stored rows behind that name it under the old value."""
    users_of: dict[tuple[str, str, str], list[tuple[Ledger, Reference]]] = defaultdict(list)
    for led in LEDGERS.values():
        for ref in led.references:
            if ref.in_use and ref.match:
                for target in ref.targets:
                    users_of[(target.ledger, ref.match, ref.in_use)].append((led, ref))
    for (target, match, reason), users in users_of.items():
        pt = tables.get(target)
        if not pt:
            continue
        idc = pt.ledger.id_column
        moved: dict[Any, Row] = {}
        for row in pt.rows:
            code, new = row.values.get(idc), row.values.get(match)
            old = stored.by_key[target].get(code)
            if old is not None and new is not None and row.ok(match) and old[match] != new:
                moved[code] = row
        if not moved:
            continue
        count: Counter = Counter()
        for led, ref in users:
            for r in _left_as_stored(tables, stored, led):
                code = r[ref.column]
                if code in moved and r[match] != moved[code].values[match]:
                    count[code] += 1
        for code, n in count.items():
            rep.add(pt, moved[code], match, reason, count=n)


def _left_as_stored(tables, stored: Stored, led: Ledger) -> list[dict]:
    """The stored rows of `led` that this import does not replace."""
    pt = tables.get(led.key)
    if led.upsert:
        given = {led.key_of(r.values) for r in pt.rows} if pt else set()
        return [r for k, r in stored.by_key[led.key].items() if k not in given]
    given = {r.values.get(led.replace_by) for r in pt.rows} if pt else set()
    return [r for g, rows in stored.by_group[led.key].items() if g not in given for r in rows]


def _check_children(tables, stored: Stored, final, rep: Reporter, child: Ledger) -> None:
    """The parent rules: children's dates not before the parent's, their sums within its cap;
    both for the rows imported and for the stored children of a re-imported parent."""
    rel = child.parent
    parents = final[rel.ledger]
    ct = tables.get(child.key)
    given: dict[Any, list[Row]] = defaultdict(list)
    if ct:
        for row in ct.rows:
            if row.ok(rel.column):
                given[row.values[rel.column]].append(row)
    # rows in the import: dates, then the sum per parent
    for pid, rows in given.items():
        item = parents.get(pid)
        if item is None:
            continue  # already reported as unknown
        starts = [(d, _get(item, d.parent_column)) for d in rel.dates]
        caps = [(c, _money(item, c.parent_column)) for c in rel.caps]
        totals = [0] * len(caps)
        reported = [False] * len(caps)
        for row in rows:
            for rule, start in starts:
                if start is not None and row.ok(rule.column) and row.values[rule.column] < start:
                    rep.add(ct, row, rule.column, rule.reason, date=start.isoformat())
            for i, (rule, cap) in enumerate(caps):
                if not row.ok(rule.column):
                    continue
                totals[i] += to_fen(row.values[rule.column])
                if cap is not None and totals[i] > cap and not reported[i]:
                    reported[i] = True
                    rep.add(ct, row, rule.column, rule.reason, parent=pid, total=fmt_yuan(sum(
                        to_fen(r.values[rule.column]) for r in rows if r.ok(rule.column))),
                        limit=fmt_yuan(cap))
    # parents re-imported whose children stay as stored
    pt = tables.get(rel.ledger)
    if not pt:
        return
    stored_children: dict[Any, list[dict]] = defaultdict(list)
    for r in stored.rows[child.key]:
        stored_children[r[rel.column]].append(r)
    for pid, item in parents.items():
        if not isinstance(item, Row) or pid in given:
            continue
        kids = stored_children.get(pid)
        if not kids:
            continue
        for rule in rel.dates:
            start = _get(item, rule.parent_column)
            if start is None:
                continue
            early = [k for k in kids if k[rule.column] < start]
            if early:
                rep.add(pt, item, rule.parent_column, rule.stored_reason, count=len(early),
                        date=min(k[rule.column] for k in early).isoformat())
        for rule in rel.caps:
            cap = _money(item, rule.parent_column)
            total = sum(k[f"{rule.column}_fen"] for k in kids)
            if cap is not None and total > cap:
                rep.add(pt, item, rule.parent_column, rule.stored_reason, parent=pid,
                        total=fmt_yuan(total), limit=fmt_yuan(cap))


def check_scope(tables: dict[str, ParsedTable], stored: Stored, allowed: tuple[str, ...],
                rep: Reporter) -> None:
    """A reader limited to some townships imports rows of those townships only: no county-wide
    rows (phases, tasks without a township), no row of another township, none reaching one
    through its parent, and no stored row of another township overwritten."""
    inside = set(allowed)
    final = {k: _final_keys(tables, stored, k) for k in LEDGER_ORDER if LEDGERS[k].upsert}
    for pt in tables.values():
        led = pt.ledger
        have = stored.by_key.get(led.key, {})
        for row in pt.rows:
            if led.township == "none":
                rep.add(pt, row, None, "county_ledger_outside_scope")
                continue
            if led.township == "parent":
                column, code = _parent_township(led, row, final)
                if column is not None and code is not None and code not in inside:
                    rep.add(pt, row, column, "parent_outside_scope", township=code)
                continue
            if not row.ok("township_code"):
                if "township_code" not in row.bad:
                    rep.add(pt, row, "township_code", "county_row_outside_scope")
                continue
            code = row.values["township_code"]
            if code not in inside:
                rep.add(pt, row, "township_code", "township_outside_scope")
                continue
            old = have.get(led.key_of(row.values)) if _complete(led, row.values) else None
            if old is not None and old.get("township_code") not in inside:
                rep.add(pt, row, "township_code", "stored_outside_scope",
                        township=old.get("township_code"))


def _parent_township(led: Ledger, row: Row, final) -> tuple[str | None, Any]:
    """The column naming the parent, and the township the row reaches through the parent
    chain (None when a parent is unknown: reported as such already)."""
    column = led.parent.column
    if not row.ok(column):
        return None, None
    item = final[led.parent.ledger].get(row.values[column])
    parent = LEDGERS[led.parent.ledger]
    while item is not None and parent.township == "parent":
        item = final[parent.parent.ledger].get(_get(item, parent.parent.column))
        parent = LEDGERS[parent.parent.ledger]
    return column, (_get(item, "township_code") if item is not None else None)
