"""The contract's rules across fields, rows and ledgers, evaluated against the state the
store would have AFTER the import (a reference may name a row of the same import or a
stored one). Every rule is read from `duzhan.contract`; no ledger is named here.

The checks run in a fixed order, because a column found bad by one is skipped by the next.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from duzhan.contract import LEDGER_ORDER, LEDGERS, Ledger, Reference, Target
from duzhan.presentation.format import yuan

from .parse import ParsedTable, Reporter, Row
from .plan import Stored
from .values import to_fen


def fmt_yuan(fen: int) -> str:
    return yuan(Decimal(fen).scaleb(-2))


def check_rows(tables: dict[str, ParsedTable], rep: Reporter) -> None:
    """Rules within one row: the date orders, a value needing another, a number capped by
    another; then rows unique within the import."""
    for pt in tables.values():
        led = pt.ledger
        for row in pt.rows:
            for rule in led.date_order:
                later, earlier = rule.later, rule.earlier
                if not row.ok(later, earlier):
                    continue
                a, b = row.values[later], row.values[earlier]
                if a < b or (rule.strict and a == b):
                    rep.add(pt, row, later, rule.reason, other_col=earlier,
                            other=_shown_date(led, earlier, b))
            for need in led.needs:
                if (row.ok(need.column) and need.needed not in row.bad
                        and row.values.get(need.needed) is None):
                    rep.add(pt, row, need.column, need.reason, other_col=need.needed)
            for cap in led.row_caps:
                if row.ok(cap.column, cap.limit) and row.values[cap.column] > row.values[cap.limit]:
                    rep.add(pt, row, cap.column, cap.reason, other_col=cap.limit,
                            other=row.values[cap.limit])
        _check_unique_rows(pt, rep)


def _shown_date(led: Ledger, key: str, day) -> str:
    """A date as a problem names it: a month column's value as its month (2024-06)."""
    return day.isoformat()[:7] if led.column(key).type == "month" else day.isoformat()


def unique_tuples(led: Ledger) -> list[tuple[str, ...]]:
    """The column tuples unique within one import: the contract's `unique_rows` and an
    upsert key of two or more columns (a single one is a `unique` column)."""
    tuples = list(led.unique_rows)
    if len(led.upsert) > 1 and tuple(led.upsert) not in tuples:
        tuples.append(tuple(led.upsert))
    return tuples


def _check_unique_rows(pt: ParsedTable, rep: Reporter) -> None:
    for cols in unique_tuples(pt.ledger):
        first: dict[tuple, int] = {}
        for row in pt.rows:
            if not row.ok(*cols):
                continue
            at = first.setdefault(tuple(row.values[c] for c in cols), row.rowno)
            if at != row.rowno:
                rep.add(pt, row, cols[-1], "duplicate_row", other_row=at, same_cols=list(cols))


def check(tables: dict[str, ParsedTable], stored: Stored, rep: Reporter) -> None:
    """Rules across rows and ledgers, against the state after the import. Each reads from
    `stored` what its rows name: the rows of their keys, parents and children, and for the
    rules over the whole store the stored rows holding the batch's values."""
    _check_stored_unique(tables, stored, rep)
    _check_one_value_per(tables, stored, rep)
    _check_codes_apart(tables, stored, rep)
    _check_references(tables, stored, rep)
    _check_values_in_use(tables, stored, rep)
    _check_where_in_use(tables, stored, rep)
    _check_no_overlap(tables, stored, rep)
    _check_moves(tables, stored, rep)
    for key in LEDGER_ORDER:
        if LEDGERS[key].parent is not None:
            _check_children(tables, stored, rep, LEDGERS[key])


def _complete(led: Ledger, values: dict) -> bool:
    return all(values.get(k) is not None for k in led.upsert)


def _imported(tables: dict[str, ParsedTable], ledger: str) -> dict[Any, Row]:
    """key → the imported Row of that key (its first occurrence)."""
    led, pt = LEDGERS[ledger], tables.get(ledger)
    out: dict[Any, Row] = {}
    for row in pt.rows if pt else ():
        if _complete(led, row.values):
            out.setdefault(led.key_of(row.values), row)
    return out


def _final(tables: dict[str, ParsedTable], stored: Stored, ledger: str,
           keys: Iterable) -> dict[Any, Any]:
    """key → imported Row or stored row dict in the state after the import, for `keys`."""
    keys, imported = set(keys), _imported(tables, ledger)
    out: dict[Any, Any] = stored.rows(ledger, (k for k in keys if k not in imported))
    out.update((k, imported[k]) for k in keys if k in imported)
    return out


def _keys(led: Ledger, rows: list[Row]) -> list:
    """The complete keys of `rows`."""
    return [led.key_of(r.values) for r in rows if _complete(led, r.values)]


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


def _given(rows: list[Row], column: str) -> set:
    """The valid values of `column` in `rows`."""
    return {row.values[column] for row in rows if row.ok(column)}


def _left_as_stored(tables, stored: Stored, led: Ledger, column: str, values: Iterable,
                    columns: Iterable[str] = ()) -> list[dict]:
    """The stored rows of `led` that this import does not replace, whose `column` is one of
    `values`: their key, `column` and `columns`."""
    pt = tables.get(led.key)
    rows = stored.holding(led.key, column, values, columns)
    if led.upsert:
        given = {led.key_of(r.values) for r in pt.rows} if pt else set()
        return [r for r in rows if led.key_of(r) not in given]
    given = {r.values.get(led.replace_by) for r in pt.rows} if pt else set()
    return [r for r in rows if r[led.replace_by] not in given]


def _check_stored_unique(tables, stored: Stored, rep: Reporter) -> None:
    for key, pt in tables.items():
        led = pt.ledger
        for rule in led.stored_unique:
            imported = {led.key_of(r.values) for r in pt.rows
                        if all(r.values.get(k) for k in led.upsert)}
            names = {r.values[rule.column] for r in pt.rows
                     if r.values.get(rule.column) is not None}
            taken = {r[rule.column]: led.key_of(r) for r in stored.holding(key, rule.column, names)
                     if led.key_of(r) not in imported}
            for row in pt.rows:
                v = row.values.get(rule.column)
                if v is not None and rule.column not in row.bad and v in taken:
                    rep.add(pt, row, rule.column, rule.reason, code=taken[v])


UNSURE = object()  # the named row's own value is bad (reported there): no verdict here


def _check_one_value_per(tables, stored: Stored, rep: Reporter) -> None:
    """One value per key (one county name per county code) over the rows after the import;
    the value is needed wherever the key is given."""
    for pt in tables.values():
        led = pt.ledger
        for rule in led.one_value_per:
            values: dict[Any, Any] = {}
            for item in _left_as_stored(tables, stored, led, rule.key, _given(pt.rows, rule.key),
                                        (rule.value,)):
                if item.get(rule.value) is not None:
                    values.setdefault(item[rule.key], item[rule.value])
            for row in pt.rows:
                if not row.ok(rule.key) or rule.value in row.bad:
                    continue
                code, value = row.values[rule.key], row.values.get(rule.value)
                if value is None:
                    rep.add(pt, row, rule.value, rule.missing, code=code)
                elif values.setdefault(code, value) != value:
                    rep.add(pt, row, rule.value, rule.reason, code=code, name=values[code])


def _check_codes_apart(tables, stored: Stored, rep: Reporter) -> None:
    """A code is not also a key of the other ledger (a site code is no village code): on
    the rows imported, and on a new row of the other ledger taking a stored code."""
    for led in LEDGERS.values():
        for rule in led.not_codes_of:
            pt = tables.get(led.key)
            if pt:
                other_keys = _final(tables, stored, rule.ledger, _given(pt.rows, rule.column))
                for row in pt.rows:
                    if row.ok(rule.column) and row.values[rule.column] in other_keys:
                        rep.add(pt, row, rule.column, rule.reason, code=row.values[rule.column])
            other = tables.get(rule.ledger)
            if not other:
                continue
            idc = LEDGERS[rule.ledger].id_column
            given = {row.values.get(rule.column) for row in pt.rows} if pt else set()
            taken = {r[rule.column] for r in stored.holding(led.key, rule.column,
                                                            _given(other.rows, idc))} - given
            for row in other.rows:
                if row.ok(idc) and row.values[idc] in taken:
                    rep.add(other, row, idc, "code_of_other_ledger", other_ledger=led.key,
                            code=row.values[idc])


def _check_values_in_use(tables, stored: Stored, rep: Reporter) -> None:
    """A reference to a value of another column (a task's county code): a target row whose
    value changes must not leave stored rows naming a value that no row holds any more."""
    for led in LEDGERS.values():
        for ref in led.references:
            for target in ref.targets:
                tt = tables.get(target.ledger)
                if target.column is None or not tt:
                    continue
                tl, col = LEDGERS[target.ledger], target.column
                have = stored.rows(target.ledger, _keys(tl, tt.rows))
                olds = {o[col] for o in have.values() if o.get(col) is not None}
                values = _column_values(tables, stored, target.ledger, col, olds)
                dropped: dict[Any, Row] = {}
                for row in tt.rows:
                    old = have.get(tl.key_of(row.values)) if _complete(tl, row.values) else None
                    if (old is not None and col not in row.bad and old.get(col) is not None
                            and old[col] not in values):
                        dropped.setdefault(old[col], row)
                if not dropped:
                    continue
                count = Counter(r[ref.column]
                                for r in _left_as_stored(tables, stored, led, ref.column, dropped))
                for value, n in count.items():
                    rep.add(tt, dropped[value], col, "value_in_use", value_col=col, old=value,
                            count=n, other_ledger=led.key)


def _check_where_in_use(tables, stored: Stored, rep: Reporter) -> None:
    """A target row that stops meeting its `where` (a listed village made unlisted) must
    not leave stored rows naming it, that the import does not replace (its supervisions).
    Needs the stored target rows of the file's keys and the stored referencing rows."""
    for led in LEDGERS.values():
        for ref in led.references:
            for target in ref.targets:
                tt = tables.get(target.ledger)
                if target.unmet_in_use is None or target.column is not None or not tt:
                    continue
                tl = LEDGERS[target.ledger]
                have = stored.rows(target.ledger, _keys(tl, tt.rows))
                unmet: dict[Any, Row] = {}
                for row in tt.rows:
                    old = have.get(tl.key_of(row.values)) if _complete(tl, row.values) else None
                    if (old is not None and row.ok(*(c for c, _ in target.where))
                            and all(old.get(c) == v for c, v in target.where)
                            and not all(row.values.get(c) == v for c, v in target.where)):
                        unmet.setdefault(row.values[tl.id_column], row)
                if not unmet:
                    continue
                count = Counter(r[ref.column]
                                for r in _left_as_stored(tables, stored, led, ref.column, unmet))
                for code, n in count.items():
                    rep.add(tt, unmet[code], target.where[0][0], target.unmet_in_use, count=n,
                            other_ledger=led.key)


def _targets(tables, stored: Stored, ref: Reference, values: set) -> list[tuple[Target, dict]]:
    """Each target of `ref` with the rows (after the import) that `values` may name."""
    out = []
    for target in ref.targets:
        if target.column is not None:  # a value of another column (a county code)
            needed = [c for c, _ in target.where] + ([ref.match] if ref.match else [])
            found = _column_values(tables, stored, target.ledger, target.column, values,
                                   needed)
        else:
            found = _final(tables, stored, target.ledger, values)
        out.append((target, found))
    return out


def _named(targets: list[tuple[Target, dict]], ref: Reference, value: Any) -> tuple[Any, str]:
    """The row `value` names among the reference's targets (or UNSURE), else None and the
    reason: the reference's `missing`, or a target's `unmet` when the row is there but
    does not meet the target's `where` (a village that is not listed)."""
    reason = ref.missing
    for target, found in targets:
        item = found.get(value)
        if item is None:
            continue
        if isinstance(item, Row) and any(c in item.bad for c, _ in target.where):
            return UNSURE, reason
        if all(_get(item, c) == v for c, v in target.where):
            return item, reason
        reason = target.unmet or reason
    return None, reason


def _column_values(tables, stored: Stored, ledger: str, column: str, values: Iterable,
                   columns: Iterable[str] = ()) -> dict[Any, Any]:
    """value → a row holding it in `column`, in the state after the import: for `values`
    among the stored rows (with `columns`), and every value of the imported rows."""
    out: dict[Any, Any] = {}
    led = LEDGERS[ledger]
    for item in _left_as_stored(tables, stored, led, column, values, columns):
        if item.get(column) is not None:
            out.setdefault(item[column], item)
    pt = tables.get(ledger)
    for row in pt.rows if pt else ():
        if row.ok(column):
            out.setdefault(row.values[column], row)
    return out


def _check_references(tables, stored: Stored, rep: Reporter) -> None:
    for pt in tables.values():
        refs = [(ref, _targets(tables, stored, ref, _given(pt.rows, ref.column)))
                for ref in pt.ledger.references]
        for row in pt.rows if refs else ():
            for ref, targets in refs:
                if not row.ok(ref.column):
                    continue
                item, reason = _named(targets, ref, row.values[ref.column])
                if item is None:
                    rep.add(pt, row, ref.column, reason)
                    continue
                if item is UNSURE:
                    continue
                if ref.match is None:
                    continue
                theirs = _get(item, ref.match)
                if row.ok(ref.match) and theirs is not None and theirs != row.values[ref.match]:
                    rep.add(pt, row, ref.column, ref.mismatch, township=theirs)


def _check_no_overlap(tables, stored: Stored, rep: Reporter) -> None:
    for key, pt in tables.items():
        if pt.ledger.no_overlap is None:
            continue
        start, end = pt.ledger.no_overlap
        final = {**stored.every(key), **_imported(tables, key)}
        periods = sorted(
            (no, item) for no, item in final.items()
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
        have = stored.rows(target, (row.values.get(idc) for row in pt.rows))
        moved: dict[Any, Row] = {}
        for row in pt.rows:
            code, new = row.values.get(idc), row.values.get(match)
            old = have.get(code)
            if old is not None and new is not None and row.ok(match) and old[match] != new:
                moved[code] = row
        if not moved:
            continue
        count: Counter = Counter()
        for led, ref in users:
            for r in _left_as_stored(tables, stored, led, ref.column, moved, (match,)):
                code = r[ref.column]
                if r[match] != moved[code].values[match]:
                    count[code] += 1
        for code, n in count.items():
            rep.add(pt, moved[code], match, reason, count=n)


def _check_children(tables, stored: Stored, rep: Reporter, child: Ledger) -> None:
    """The parent rules: children's dates not before the parent's, their sums within its cap;
    both for the rows imported and for the stored children of a re-imported parent."""
    rel = child.parent
    ct = tables.get(child.key)
    given: dict[Any, list[Row]] = defaultdict(list)
    if ct:
        for row in ct.rows:
            if row.ok(rel.column):
                given[row.values[rel.column]].append(row)
    parents = _final(tables, stored, rel.ledger, given)
    # rows in the import: dates, then the sum per parent
    for pid, rows in given.items():
        item = parents.get(pid)
        if item is None:
            continue  # already reported as unknown
        starts = [(d, _get(item, d.parent_column)) for d in rel.dates]
        caps = [(c, _money(item, c.parent_column)) for c in rel.caps]
        limits = [(lim, _get(item, lim.parent_column)) for lim in rel.limits]
        totals = [0] * len(caps)
        reported = [False] * len(caps)
        for row in rows:
            for rule, start in starts:
                if start is not None and row.ok(rule.column) and row.values[rule.column] < start:
                    rep.add(ct, row, rule.column, rule.reason, date=start.isoformat())
            for rule, limit in limits:
                if limit is not None and row.ok(rule.column) and row.values[rule.column] > limit:
                    rep.add(ct, row, rule.column, rule.reason, parent=pid, limit=limit)
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
    kept = {pid: item for pid, item in _imported(tables, rel.ledger).items()
            if pid not in given}
    columns = [*(d.column for d in rel.dates), *(child.store_key(c.column) for c in rel.caps),
               *(lim.column for lim in rel.limits)]
    stored_children: dict[Any, list[dict]] = defaultdict(list)
    for r in stored.holding(child.key, rel.column, kept, columns):
        stored_children[r[rel.column]].append(r)
    for pid, item in kept.items():
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
        for rule in rel.limits:
            limit = _get(item, rule.parent_column)
            over = [k[rule.column] for k in kids
                    if limit is not None and k[rule.column] is not None and k[rule.column] > limit]
            if over:
                rep.add(pt, item, rule.parent_column, rule.stored_reason, parent=pid,
                        count=len(over), limit=limit, most=max(over))


def check_scope(tables: dict[str, ParsedTable], stored: Stored, allowed: tuple[str, ...],
                rep: Reporter) -> None:
    """A reader limited to some townships imports rows of those townships only: no county-wide
    rows (phases, tasks without a township), no row of another township, none reaching one
    through its parent, and no stored row of another township overwritten."""
    inside = set(allowed)
    for pt in tables.values():
        led = pt.ledger
        have = stored.rows(led.key, _keys(led, pt.rows)) if led.upsert else {}
        groups = (stored.groups(led.key, (r.values.get(led.replace_by) for r in pt.rows))
                  if led.replace_by else {})
        reached = (_parent_townships(tables, stored, led, _given(pt.rows, led.parent.column))
                   if led.township == "parent" else {})
        for row in pt.rows:
            if led.township == "none":
                rep.add(pt, row, None, "county_ledger_outside_scope")
                continue
            if led.township == "parent":
                column = led.parent.column
                code = reached.get(row.values[column]) if row.ok(column) else None
                if code is not None and code not in inside:
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
            if old is None and led.replace_by:  # the stored rows this row's group replaces
                group = groups.get(row.values.get(led.replace_by), ())
                old = next((o for o in group if o.get("township_code") not in inside), None)
            if old is not None and old.get("township_code") not in inside:
                rep.add(pt, row, "township_code", "stored_outside_scope",
                        township=old.get("township_code"))


def _parent_townships(tables, stored: Stored, led: Ledger, values: set) -> dict[Any, Any]:
    """Parent key → the township a row naming it reaches through the parent chain (None
    when a parent is unknown: reported as such already)."""
    parent = LEDGERS[led.parent.ledger]
    found = _final(tables, stored, parent.key, values)
    reached = {v: found.get(v) for v in values}
    while parent.township == "parent":
        up = {v: _get(item, parent.parent.column) for v, item in reached.items()
              if item is not None}
        found = _final(tables, stored, parent.parent.ledger,
                       {u for u in up.values() if u is not None})
        reached = {v: found.get(up.get(v)) for v in reached}
        parent = LEDGERS[parent.parent.ledger]
    return {v: _get(item, "township_code") if item is not None else None
            for v, item in reached.items()}
