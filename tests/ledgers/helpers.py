"""Helpers for the ledger importer tests: building files, dumping the store."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from duzhan.contract import LEDGER_ORDER, LEDGERS
from duzhan.ledgers import SourceFile
from duzhan.ledgers.template import EXAMPLES
from duzhan.store.models import LEDGER_MODELS, ImportLock

# --- building files --------------------------------------------------------------------


def cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (dt.date, Decimal)):
        return str(v)
    return str(v)


def csv_bytes(header: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        w.writerow([cell_text(v) for v in r])
    return buf.getvalue().encode(encoding)


def ledger_csv(ledger: str, rows: list[dict], name: str | None = None,
               encoding: str = "utf-8") -> SourceFile:
    """A <ledger>.csv with the ledger's keys as header; rows as dicts by key."""
    keys = LEDGERS[ledger].keys
    data = csv_bytes(keys, [[r.get(k) for k in keys] for r in rows], encoding)
    return SourceFile(name or f"{ledger}.csv", data)


def xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def examples(ledger: str) -> list[dict]:
    return [dict(r) for r in EXAMPLES[ledger]]


def example_files(*ledgers: str, **overrides: list[dict]) -> list[SourceFile]:
    """CSV files of the template's example rows (a small consistent county)."""
    out = []
    for key in ledgers or LEDGER_ORDER:
        rows = overrides.get(key, examples(key))
        out.append(ledger_csv(key, rows))
    return out


# --- inspecting the store --------------------------------------------------------------


def dump(engine) -> dict[str, list[tuple]]:
    """Every ledger table and the import lock, rows in primary-key order."""
    out = {}
    with engine.connect() as conn:
        for key in LEDGER_ORDER:
            tbl = LEDGER_MODELS[key].__table__
            pk = list(tbl.primary_key.columns)
            out[key] = [tuple(r) for r in conn.execute(select(tbl).order_by(*pk))]
        out["import_lock"] = [tuple(r) for r in conn.execute(select(ImportLock.__table__))]
    return out


def ledger_content(engine) -> dict[str, list[tuple]]:
    """Ledger rows without surrogate ids (disbursements/repayments), sorted."""
    out = {}
    with engine.connect() as conn:
        for key in LEDGER_ORDER:
            tbl = LEDGER_MODELS[key].__table__
            cols = [c for c in tbl.columns if c.name != "id"]
            out[key] = sorted(tuple(r) for r in conn.execute(select(*cols)))
    return out


def problem_tuples(problems) -> set[tuple]:
    return {(p.ledger, p.row, p.column_key, p.reason) for p in problems}
