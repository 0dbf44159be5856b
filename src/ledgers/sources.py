"""Reading ledger files: .xlsx workbooks, <ledger>.csv files and .zip archives of CSVs.

openpyxl and the csv module (not pandas) so that row numbers are exactly the rows the user
sees: the header is row 1, or the first row that looks like a header (a title row above it is
tolerated); blank rows are skipped but keep their numbers.
"""
from __future__ import annotations

import csv
import hashlib
import io
import logging
import posixpath
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duzhan.contract import LEDGERS, Ledger, ledger_for_name

from .problems import Problem

log = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 10  # how far down a header row is looked for
MAX_ZIP_MEMBER = 200 * 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    """An uploaded or read file: its name (only the base name matters) and its bytes."""

    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: str | Path) -> SourceFile:
        p = Path(path)
        return cls(p.name, p.read_bytes())

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class RawTable:
    """One ledger's sheet or CSV file: header positions and raw cell values per row."""

    ledger: str
    file: str
    sheet: str | None
    headers: dict[str, str]  # column key → header as written
    rows: list[tuple[int, dict[str, Any]]]  # (row number as the user sees it, key → raw value)
    header_row: int | None = None

    @property
    def where(self) -> str:
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file


@dataclass
class RawBatch:
    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    files: list[dict[str, str]] = field(default_factory=list)  # [{name, sha256}]

    @property
    def rows(self) -> dict[str, int]:
        return {k: len(t.rows) for k, t in self.tables.items()}


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _header_index(ledger: Ledger) -> dict[str, str]:
    """Normalised header text → column key (keys lower-cased, Chinese labels as they are)."""
    index: dict[str, str] = {}
    for col in ledger.columns:
        index[col.key.lower()] = col.key
        index[_norm(col.zh)] = col.key
        index[_norm(col.zh).lower()] = col.key
    return index


def _match_header(index: dict[str, str], cell: Any) -> str | None:
    if not isinstance(cell, str):
        return None
    n = _norm(cell)
    return index.get(n) or index.get(n.lower())


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def _warn(batch: RawBatch, reason: str, *, ledger=None, file=None, **params) -> None:
    batch.warnings.append(
        Problem(ledger, file, None, None, "", reason, params, severity="warning")
    )


def _error(batch: RawBatch, reason: str, *, ledger=None, file=None, row=None, column=None,
           column_key=None, in_file=True, **params) -> None:
    batch.problems.append(
        Problem(ledger, file, row, column, "", reason, params, column_key=column_key,
                column_in_file=in_file)
    )


def _table_from_rows(batch: RawBatch, ledger: Ledger, file: str, sheet: str | None,
                     rows) -> None:
    """rows: iterable of (row number, sequence of cells)."""
    index = _header_index(ledger)
    where = f"{file} [{sheet}]" if sheet else file
    if ledger.key in batch.tables:
        other = batch.tables[ledger.key]
        _error(batch, "duplicate_ledger", ledger=ledger.key, file=file, where=where,
               other=other.where)
        return
    it = iter(rows)
    header: tuple[int, list] | None = None
    first_nonblank: tuple[int, list] | None = None
    scanned: list[tuple[int, list]] = []
    for rowno, cells in it:
        cells = list(cells)
        if all(_blank(c) for c in cells):
            continue
        if first_nonblank is None:
            first_nonblank = (rowno, cells)
        scanned.append((rowno, cells))
        if any(_match_header(index, c) for c in cells):
            header = (rowno, cells)
            break
        if len(scanned) >= HEADER_SCAN_ROWS:
            break
    if header is None:
        if first_nonblank is None:
            _warn(batch, "empty_sheet", ledger=ledger.key, file=file, where=where)
            batch.tables[ledger.key] = RawTable(ledger.key, file, sheet, {}, [])
            return
        header = first_nonblank
        pending = scanned[1:]
    else:
        pending = []
    header_row, header_cells = header

    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    for i, cell in enumerate(header_cells):
        if _blank(cell):
            continue
        key = _match_header(index, cell)
        written = str(cell).strip() if not isinstance(cell, str) else cell.strip()
        if key is None:
            unknown.append(written if isinstance(cell, str) else str(cell))
        elif key in positions:
            _error(batch, "duplicate_column", ledger=ledger.key, file=file, row=header_row,
                   column=written, column_key=key)
        else:
            positions[key] = i
            headers[key] = written
    if unknown:
        _warn(batch, "unknown_columns", ledger=ledger.key, file=file, where=where,
              columns=[u[:60] for u in unknown])
    for col in ledger.columns:
        if col.required and col.key not in positions:
            _error(batch, "missing_column", ledger=ledger.key, file=file, row=header_row,
                   column=col.zh, column_key=col.key, in_file=False, missing_col=col.key)

    data: list[tuple[int, dict[str, Any]]] = []

    def take(rowno: int, cells: list) -> None:
        if all(_blank(c) for c in cells):
            return
        values = {k: (cells[i] if i < len(cells) else None) for k, i in positions.items()}
        data.append((rowno, values))

    for rowno, cells in pending:
        take(rowno, cells)
    for rowno, cells in it:
        take(rowno, list(cells))
    absent = [c.key for c in ledger.columns if not c.required and c.key not in positions]
    if absent and data:
        _warn(batch, "absent_columns", ledger=ledger.key, file=file, where=where,
              absent_cols=absent)
    batch.tables[ledger.key] = RawTable(ledger.key, file, sheet, headers, data, header_row)


def _xlsx_sheets(data: bytes):
    """Yield (title, rows) per worksheet, rows as (row number, cell values).

    openpyxl's own reader, driven directly: `load_workbook(read_only=True)` parses every sheet
    once more just to size it when the file has no <dimension> (files written in openpyxl's
    write-only mode), which doubled the time of a county-sized import. Values are exactly
    what read_only/data_only mode gives (shared strings, date cells, cached formula values).
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        wb = reader.wb
        for sheet, rel in reader.parser.find_sheets():
            if rel.target not in reader.valid_files or "chartsheet" in rel.Type:
                continue

            def rows(target=rel.target):
                with reader.archive.open(target) as src:
                    parser = WorkSheetParser(
                        src, reader.shared_strings, data_only=True, epoch=wb.epoch,
                        date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
                    for idx, cells in parser.parse():
                        values: list[Any] = []
                        for c in cells:
                            col = c["column"]
                            if col > len(values):
                                values.extend([None] * (col - len(values)))
                            values[col - 1] = c["value"]
                        yield idx, values

            yield sheet.name, rows
    finally:
        reader.archive.close()


def _xlsx_sheets_plain(data: bytes):
    """The same through the public API (used should openpyxl's internals ever change)."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            def rows(ws=ws):
                ws.reset_dimensions()  # a wrong <dimension> must not cut columns off
                yield from enumerate(ws.iter_rows(values_only=True), start=1)

            yield ws.title, rows
    finally:
        wb.close()


def _read_xlsx(batch: RawBatch, f: SourceFile) -> None:
    try:
        _read_xlsx_with(batch, f, _xlsx_sheets)
    except (ImportError, AttributeError, TypeError):  # openpyxl internals moved
        log.warning("openpyxl fast path unavailable; using load_workbook", exc_info=True)
        _read_xlsx_with(batch, f, _xlsx_sheets_plain, retry=False)


def _read_xlsx_with(batch: RawBatch, f: SourceFile, sheets, retry: bool = True) -> None:
    mark = (len(batch.problems), len(batch.warnings), dict(batch.tables))
    try:
        found = False
        for title, rows in sheets(f.data):
            ledger = ledger_for_name(title)
            if ledger is None:
                _warn(batch, "ignored_sheet", file=f.name, sheet=title)
                continue
            found = True
            _table_from_rows(batch, ledger, f.name, title, rows())
        if not found:
            _error(batch, "no_ledger_sheets", file=f.name)
    except (ImportError, AttributeError, TypeError) as exc:
        if not retry:
            _error(batch, "unreadable_file", file=f.name, error=type(exc).__name__)
            return
        # undo this file's partial reading before the caller retries another way
        del batch.problems[mark[0]:], batch.warnings[mark[1]:]
        batch.tables.clear()
        batch.tables.update(mark[2])
        raise
    except Exception as exc:  # noqa: BLE001 - an unreadable workbook is a problem, not a crash
        _error(batch, "unreadable_file", file=f.name, error=type(exc).__name__)


def _decode(data: bytes) -> str | None:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(batch: RawBatch, name: str, data: bytes, shown: str) -> None:
    stem = posixpath.splitext(posixpath.basename(name))[0]
    ledger = ledger_for_name(stem)
    if ledger is None:
        _error(batch, "unknown_ledger_file", file=shown, name=posixpath.basename(name))
        return
    text = _decode(data)
    if text is None:
        _error(batch, "bad_encoding", ledger=ledger.key, file=shown)
        return
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        _error(batch, "unreadable_file", ledger=ledger.key, file=shown, error=str(exc)[:60])
        return
    _table_from_rows(batch, ledger, shown, None, enumerate(records, start=1))


def _member_name(info: zipfile.ZipInfo) -> str:
    """Member names without the UTF-8 flag are cp437 to zipfile, but Chinese Windows tools
    write them in GBK: 乡镇.csv must not arrive as mojibake."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


def _read_zip(batch: RawBatch, f: SourceFile) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(f.data))
        infos = zf.infolist()
    except Exception as exc:  # noqa: BLE001
        _error(batch, "unreadable_file", file=f.name, error=type(exc).__name__)
        return
    found = False
    with zf:
        for info in infos:
            name = _member_name(info).replace("\\", "/")
            base = posixpath.basename(name)
            if info.is_dir() or name.startswith("__MACOSX/") or "/__MACOSX/" in name:
                continue
            if not base or base.startswith("."):
                continue
            shown = f"{f.name}/{base}"
            if not base.lower().endswith(".csv"):
                _warn(batch, "ignored_file", file=f.name, name=base)
                continue
            found = True
            if info.file_size > MAX_ZIP_MEMBER:
                _error(batch, "unreadable_file", file=shown, error="too large")
                continue
            try:
                data = zf.read(info)
            except Exception as exc:  # noqa: BLE001
                _error(batch, "unreadable_file", file=shown, error=type(exc).__name__)
                continue
            _read_csv(batch, base, data, shown)
    if not found:
        _error(batch, "no_ledger_sheets", file=f.name)


def read_sources(files: list[SourceFile]) -> RawBatch:
    """Read every file; what cannot be read becomes a problem, never an exception."""
    batch = RawBatch()
    for f in files:
        batch.files.append({"name": f.name, "sha256": f.sha256})
        lower = f.name.lower()
        if lower.endswith(".xlsx") or lower.endswith(".xlsm"):
            _read_xlsx(batch, f)
        elif lower.endswith(".csv"):
            _read_csv(batch, f.name, f.data, f.name)
        elif lower.endswith(".zip"):
            _read_zip(batch, f)
        else:
            _error(batch, "unsupported_file", file=f.name, name=f.name)
    if not files:
        _error(batch, "no_files")
    return batch


__all__ = ["SourceFile", "RawTable", "RawBatch", "read_sources", "LEDGERS"]
