"""Parsing a read batch: cell values → typed values, with the single-column rules (required,
bounds, uniqueness within the import). Needs no store; every problem goes to a `Reporter`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from duzhan.contract import LEDGER_ORDER, LEDGERS, Ledger
from duzhan.store.models import LEDGER_MODELS

from . import limits
from .problems import Problem, shown_value
from .sources import RawBatch, RawTable
from .values import COORD_COLUMNS, parser_for, to_fen


def table_of(ledger: str):
    return LEDGER_MODELS[ledger].__table__


def _max_length(ledger: str, key: str) -> int | None:
    if ledger not in LEDGER_MODELS:  # no model yet: the registry test names what is missing
        return None
    col = table_of(ledger).c.get(LEDGERS[ledger].store_key(key))
    return getattr(col.type, "length", None) if col is not None else None


_PARSERS: dict[tuple[str, str], Any] = {
    (led.key, c.key): parser_for(c.type, c.key, _max_length(led.key, c.key), c.choices,
                                 c.required)
    for led in LEDGERS.values()
    for c in led.columns
}


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
        money = LEDGERS[self.ledger].money
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
        limits.add_problem(self.problems, Problem(
            led.key, table.raw.file, row.rowno if row else None, column, value, reason,
            params, column_key=key, column_in_file=in_file))
        if row is not None and key is not None:
            row.bad.add(key)


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
            if limits.full(rep.problems):
                break  # enough to fix first; the rest is not looked at
            # a column absent from the file is empty in every row (a bool: false)
            row = Row(key, raw.file, rowno, cells,
                      {c.key: (False if c.type == "bool" else None) for c in led.columns})
            pt.rows.append(row)
            for col in present:
                if (rowno, col.key) in raw.flagged:  # reported while reading the file
                    row.bad.add(col.key)
                    continue
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
    return tables


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
