"""Reading ledger files: .xlsx workbooks, <ledger>.csv files and .zip archives of CSVs.

openpyxl and the csv module (not pandas) so that row numbers are exactly the rows the user
sees: the header is row 1, or the first row that looks like a header (a title row above it is
tolerated); blank rows are skipped but keep their numbers.

Everything is streamed and bounded (`limits`): a file that is too large, too long, a zip bomb,
a CSV with an unclosed quote, formulas without a value or merged cells is refused with the
reason, never read half or by guessing.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import logging
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from duzhan.contract import LEDGERS, Ledger, ledger_for_name
from duzhan.presentation import format as fmt

from . import limits
from .problems import Problem

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024  # bytes decoded at a time while finding a CSV's encoding


@dataclass(frozen=True)
class SourceFile:
    """An uploaded or read file: its name (only the base name matters) and its bytes."""

    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: str | Path) -> SourceFile:
        """At most one byte more than an import may hold: a larger file is refused unread."""
        p = Path(path)
        with p.open("rb") as fh:
            return cls(p.name, fh.read(limits.MAX_IMPORT_BYTES + 1))

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
    positions: dict[str, int] = field(default_factory=dict)  # column key → 0-based index
    flagged: set[tuple[int, str]] = field(default_factory=set)  # (row, key) already reported

    @property
    def where(self) -> str:
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file


@dataclass
class RawBatch:
    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    files: list[dict[str, str]] = field(default_factory=list)  # [{name, sha256}]
    bytes_read: int = 0  # unzipped bytes of this import so far

    @property
    def rows(self) -> dict[str, int]:
        return {k: len(t.rows) for k, t in self.tables.items()}


@dataclass(frozen=True)
class Uncomputed:
    """An xlsx formula cell saved without its result (data_only gives None for it)."""

    formula: str

    def __str__(self) -> str:
        return f"={self.formula}"


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


def _blank_row(cells: list) -> bool:
    try:
        return not "".join(cells).strip()  # CSV rows: at C speed (a million blank rows)
    except TypeError:  # xlsx values: numbers, dates, None
        return all(_blank(c) for c in cells)


def _warn(batch: RawBatch, reason: str, *, ledger=None, file=None, row=None, column=None,
          column_key=None, **params) -> None:
    batch.warnings.append(
        Problem(ledger, file, row, column, "", reason, params, severity="warning",
                column_key=column_key)
    )


def _error(batch: RawBatch, reason: str, *, ledger=None, file=None, row=None, column=None,
           column_key=None, in_file=True, value="", **params) -> None:
    limits.add_problem(batch.problems, Problem(
        ledger, file, row, column, value, reason, params, column_key=column_key,
        column_in_file=in_file))


def _shown(raw: Any, ledger: str, key: str | None) -> str:
    from .problems import shown_value

    return shown_value(ledger, key, str(raw) if isinstance(raw, Uncomputed) else raw)


def _table_from_rows(batch: RawBatch, ledger: Ledger, file: str, sheet: str | None,
                     rows) -> RawTable | None:
    """rows: iterable of (row number, sequence of cells). The table, None when not read."""
    index = _header_index(ledger)
    where = f"{file} [{sheet}]" if sheet else file
    if ledger.key in batch.tables:
        other = batch.tables[ledger.key]
        _error(batch, "duplicate_ledger", ledger=ledger.key, file=file, where=where,
               other=other.where)
        return None
    it = iter(rows)
    header: tuple[int, list] | None = None
    nonblank = 0
    for rowno, cells in it:
        cells = list(cells)
        if rowno > limits.MAX_SHEET_ROWS:
            _error(batch, "too_many_rows", ledger=ledger.key, file=file, row=rowno,
                   where=where, max=limits.MAX_LEDGER_ROWS, max_rows=limits.MAX_SHEET_ROWS)
            return None
        if _blank_row(cells):
            continue
        nonblank += 1
        if any(_match_header(index, c) for c in cells):
            header = (rowno, cells)
            break
        if nonblank >= limits.HEADER_SCAN_ROWS:
            break
    if header is None:
        if nonblank == 0:
            _warn(batch, "empty_sheet", ledger=ledger.key, file=file, where=where)
            table = RawTable(ledger.key, file, sheet, {}, [])
            batch.tables[ledger.key] = table
            return table
        # one reason, not a "missing column" per column (nor data rows shown as headers)
        _error(batch, "header_not_found", ledger=ledger.key, file=file, where=where,
               rows=limits.HEADER_SCAN_ROWS, example_col=ledger.columns[0].key)
        return None
    header_row, header_cells = header

    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    for i, cell in enumerate(header_cells):
        if _blank(cell):
            continue
        key = _match_header(index, cell)
        written = cell.strip() if isinstance(cell, str) else str(cell).strip()
        if key is None:
            unknown.append(written)
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

    table = RawTable(ledger.key, file, sheet, headers, [], header_row, positions)
    data = table.rows

    def flag(rowno: int, key: str, reason: str, raw: Any, **params) -> None:
        table.flagged.add((rowno, key))
        _error(batch, reason, ledger=ledger.key, file=file, row=rowno, column=headers[key],
               column_key=key, value=_shown(raw, ledger.key, key), **params)

    for rowno, cells in it:
        cells = list(cells)
        if rowno <= limits.MAX_SHEET_ROWS and _blank_row(cells):
            continue
        if rowno > limits.MAX_SHEET_ROWS or len(data) >= limits.MAX_LEDGER_ROWS:
            _error(batch, "too_many_rows", ledger=ledger.key, file=file, row=rowno,
                   where=where, max=limits.MAX_LEDGER_ROWS, max_rows=limits.MAX_SHEET_ROWS)
            break
        values = {k: (cells[i] if i < len(cells) else None) for k, i in positions.items()}
        for k, v in values.items():
            if isinstance(v, str) and len(v) > limits.MAX_CELL_CHARS:
                flag(rowno, k, "cell_too_long", v, length=len(v), max=limits.MAX_CELL_CHARS)
            elif isinstance(v, Uncomputed):
                flag(rowno, k, "formula_no_value", v)
        data.append((rowno, values))
    absent = [c.key for c in ledger.columns
              if not c.required and c.warn_absent and c.key not in positions]
    if absent and data:
        _warn(batch, "absent_columns", ledger=ledger.key, file=file, where=where,
              absent_cols=absent)
    batch.tables[ledger.key] = table
    return table


# --- xlsx --------------------------------------------------------------------------------


@dataclass
class _Sheet:
    title: str
    visible: bool
    rows: Callable[[], Any]  # () → iterator of (row number, cell values)
    merged: list[str] = field(default_factory=list)  # "B3:B9", known once rows are read


def _xlsx_sheets(data: bytes):
    """Yield a `_Sheet` per worksheet.

    openpyxl's own reader, driven directly: `load_workbook(read_only=True)` parses every sheet
    once more just to size it when the file has no <dimension> (files written in openpyxl's
    write-only mode), which doubled the time of a county-sized import. Values are exactly
    what read_only/data_only mode gives (shared strings, date cells, cached formula values),
    except that a formula without a cached value is an `Uncomputed`, not None. Merged ranges
    come after the rows in the sheet's XML: `merged` is filled when they are read.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None:
                formula = element.find(FORMULA_TAG)
                # no <v>, or an empty one that is not a text result ("" from =IF(…,"",…))
                if formula is not None and (element.find(VALUE_TAG) is None
                                            or element.get("t", "n") not in ("str", "s")):
                    cell["value"] = Uncomputed(formula.text or "")
            return cell

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
            found = _Sheet(sheet.name, (sheet.state or "visible") == "visible", lambda: ())

            def rows(target=rel.target, found=found):
                with reader.archive.open(target) as src:
                    parser = Parser(
                        src, reader.shared_strings, data_only=True, epoch=wb.epoch,
                        date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
                    for idx, cells in parser.parse():
                        parser.row_dimensions.clear()  # row heights: not needed, unbounded
                        values: list[Any] = []
                        for c in cells:
                            if c["value"] is None:
                                continue
                            col = c["column"]
                            if col > len(values):
                                values.extend([None] * (col - len(values)))
                            values[col - 1] = c["value"]
                        yield idx, values
                    if parser.merged_cells is not None:
                        found.merged.extend(m.ref for m in parser.merged_cells.mergeCell)

            found.rows = rows
            yield found
    finally:
        reader.archive.close()


def _xlsx_sheets_plain(data: bytes):
    """The same through the public API (used should openpyxl's internals ever change); it
    cannot tell a formula without a value from an empty cell, nor see merged cells."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            def rows(ws=ws):
                ws.reset_dimensions()  # a wrong <dimension> must not cut columns off
                for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
                    yield i, list(values)

            yield _Sheet(ws.title, ws.sheet_state == "visible", rows)
    finally:
        wb.close()


def _read_xlsx(batch: RawBatch, f: SourceFile) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(f.data))
    except Exception as exc:  # noqa: BLE001
        _error(batch, "unreadable_file", file=f.name, error=type(exc).__name__)
        return
    with zf:
        infos = zf.infolist()
        if not _archive_ok(batch, f.name, infos, infos):
            return
    try:
        _read_xlsx_with(batch, f, _xlsx_sheets)
    except (ImportError, AttributeError, TypeError):  # openpyxl internals moved
        log.warning("openpyxl fast path unavailable; using load_workbook", exc_info=True)
        _read_xlsx_with(batch, f, _xlsx_sheets_plain, retry=False)


def _read_xlsx_with(batch: RawBatch, f: SourceFile, sheets, retry: bool = True) -> None:
    mark = (len(batch.problems), len(batch.warnings), dict(batch.tables))
    try:
        found = False
        for sheet in sheets(f.data):
            ledger = ledger_for_name(sheet.title)
            if ledger is None:
                _warn(batch, "ignored_sheet", file=f.name, sheet=sheet.title)
                continue
            if not sheet.visible:
                # what the user cannot see is not imported behind their back
                _warn(batch, "hidden_sheet", ledger=ledger.key, file=f.name, sheet=sheet.title)
                continue
            found = True
            table = _table_from_rows(batch, ledger, f.name, sheet.title, sheet.rows())
            if table is not None:
                _check_merged(batch, ledger, table, sheet.merged)
                _check_numeric_codes(batch, ledger, table)
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


def _check_merged(batch: RawBatch, ledger: Ledger, table: RawTable, merged: list[str]) -> None:
    """A merged range holds its value in its top-left cell only: the other cells of data
    rows read as empty. One problem per range; its cells are not checked again."""
    from openpyxl.utils import get_column_letter, range_boundaries

    if not merged or table.header_row is None:
        return
    by_index = {i: k for k, i in table.positions.items()}
    data_rows = {r for r, _ in table.rows}
    for ref in merged:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        covered = [(r, by_index[c - 1]) for r in range(min_row, max_row + 1)
                   for c in range(min_col, max_col + 1)
                   if (r, c) != (min_row, min_col) and c - 1 in by_index and r in data_rows]
        if not covered:
            continue  # a title or header merged across columns, or unknown columns
        table.flagged.update(covered)
        row, key = covered[0]
        _error(batch, "merged_cells", ledger=ledger.key, file=table.file, row=row,
               column=table.headers[key], column_key=key, range=ref,
               anchor=f"{get_column_letter(min_col)}{min_row}")


_CODE_SUFFIXES = ("_code", "_id")


def _check_numeric_codes(batch: RawBatch, ledger: Ledger, table: RawTable) -> None:
    """Codes are text: an Excel number cell has lost any leading zero. A number shorter
    than the column's usual code length is refused; other number cells are warned about."""
    for col in ledger.columns:
        if col.type != "text" or not col.key.endswith(_CODE_SUFFIXES):
            continue
        if col.key not in table.positions:
            continue
        numeric: list[tuple[int, Any]] = []
        lengths: Counter[int] = Counter()
        for rowno, values in table.rows:
            v = values.get(col.key)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                numeric.append((rowno, v))
                lengths[len(_number_text(v))] += 1
            elif isinstance(v, str) and v.strip():
                lengths[len(v.strip())] += 1
        if not numeric:
            continue
        usual = max(lengths.items(), key=lambda kv: (kv[1], kv[0]))[0]
        warned = 0
        for rowno, v in numeric:
            text = _number_text(v)
            if (rowno, col.key) in table.flagged:
                continue
            if isinstance(v, float) and (not v.is_integer() or abs(v) >= 1e15):
                table.flagged.add((rowno, col.key))
                _error(batch, "code_as_inexact_number", ledger=ledger.key, file=table.file,
                       row=rowno, column=table.headers[col.key], column_key=col.key,
                       value=_shown(v, ledger.key, col.key))
            elif len(text) < usual:
                table.flagged.add((rowno, col.key))
                _error(batch, "code_lost_zeros", ledger=ledger.key, file=table.file,
                       row=rowno, column=table.headers[col.key], column_key=col.key,
                       value=_shown(v, ledger.key, col.key), length=len(text), usual=usual)
            else:
                warned += 1
        if warned:
            first = next(r for r, _ in numeric if (r, col.key) not in table.flagged)
            _warn(batch, "code_as_number", ledger=ledger.key, file=table.file, row=first,
                  column=table.headers[col.key], column_key=col.key, where=table.where,
                  code_col=col.key, count=warned, first_row=first)


def _number_text(v: int | float) -> str:
    from .values import display

    return display(v).lstrip("-")


# --- archives ----------------------------------------------------------------------------


def _archive_ok(batch: RawBatch, name: str, infos: list[zipfile.ZipInfo],
                counted: list[zipfile.ZipInfo]) -> bool:
    """Member count, zip-bomb ratio and the import's byte budget for the `counted` members
    (a workbook's parts, all read; or a zip's CSV members)."""
    if len(infos) > limits.MAX_ZIP_MEMBERS:
        _error(batch, "too_many_members", file=name, count=len(infos),
               max=limits.MAX_ZIP_MEMBERS)
        return False
    for info in counted:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ZIP_RATIO_FLOOR and ratio > limits.MAX_ZIP_RATIO:
            _error(batch, "zip_bomb", file=name, member=info.filename[:100],
                   ratio=int(ratio), max=limits.MAX_ZIP_RATIO)
            return False
    return _budget(batch, name, sum(i.file_size for i in counted))


def _budget(batch: RawBatch, name: str, size: int) -> bool:
    if batch.bytes_read + size > limits.MAX_IMPORT_BYTES:
        _error(batch, "import_too_large", file=name, mb=_mb(batch.bytes_read + size),
               max_mb=_mb(limits.MAX_IMPORT_BYTES))
        return False
    batch.bytes_read += size
    return True


def _mb(n: int) -> str:
    return fmt.decimal(n / (1024 * 1024), 1)


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
    members: list[tuple[zipfile.ZipInfo, str]] = []
    with zf:
        for info in infos:
            name = _member_name(info).replace("\\", "/")
            base = posixpath.basename(name)
            if info.is_dir() or name.startswith("__MACOSX/") or "/__MACOSX/" in name:
                continue
            if not base or base.startswith("."):
                continue
            if not base.lower().endswith(".csv"):
                _warn(batch, "ignored_file", file=f.name, name=base)
                continue
            members.append((info, base))
        if not members:
            _error(batch, "no_ledger_sheets", file=f.name)
            return
        if not _archive_ok(batch, f.name, infos, [i for i, _ in members]):
            return
        for info, base in members:
            _read_csv(batch, base, lambda info=info: zf.open(info), f"{f.name}/{base}")


# --- CSV ---------------------------------------------------------------------------------


def _latin_like(ch: str) -> bool:
    """A GB18030 character whose two bytes read as a Latin-1 letter and an ASCII letter
    ("閐" is "éd"): the mark of a Latin-1 / Windows-1252 file taken for GB18030."""
    b = ch.encode("gb18030")
    return len(b) == 2 and b[0] >= 0xC0 and 0x41 <= b[1] <= 0x7A and chr(b[1]).isalpha()


MOJIBAKE_SHARE = 0.2  # of a file's distinct non-ASCII characters


def _sniff(opener: Callable[[], IO[bytes]]) -> tuple[str | None, frozenset[str]]:
    """The file's encoding (the contract's: UTF-8 with or without BOM, else GB18030), decoded
    in chunks, and for GB18030 the characters that look like Latin-1 mojibake."""
    for enc in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(enc)()
        seen: set[str] = set()
        try:
            with opener() as src:
                while chunk := src.read(CHUNK):
                    text = decoder.decode(chunk)
                    if enc == "gb18030" and not text.isascii():
                        seen.update(text)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        wide = {c for c in seen if ord(c) > 0x7F}
        odd = frozenset(c for c in wide if _latin_like(c))
        if odd and len(odd) >= MOJIBAKE_SHARE * len(wide):
            return enc, odd
        return enc, frozenset()
    return None, frozenset()


_CSV_REASONS = {"unexpected end of data": "unclosed_quote", "expected after": "stray_quote",
                "field larger than field limit": "cell_too_long"}


def _csv_rows(batch: RawBatch, ledger: Ledger, shown: str, reader, swallow_at: int):
    """Records as (row number, cells); a malformed one ends the file with one problem. A
    quoted cell holding line breaks and `swallow_at` or more commas on one of its later
    lines has swallowed rows (an unclosed quote closed by a later one): refused too."""
    rowno = last_line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            msg = str(exc)
            reason = next((r for k, r in _CSV_REASONS.items() if k in msg), "bad_csv")
            _error(batch, reason, ledger=ledger.key, file=shown, row=rowno + 1,
                   line=reader.line_num, max=limits.MAX_CELL_CHARS, error=msg[:80])
            return
        rowno += 1
        spanned, last_line = reader.line_num - last_line, reader.line_num
        for cell in cells if spanned > 1 else ():  # only a record over several lines
            if ("\n" in cell or "\r" in cell) and any(
                    part.count(",") >= swallow_at for part in cell.splitlines()[1:]):
                # the swallowed text may be anything, personal data too: shown only if safe
                start = "" if ledger.personal else _shown(cell.splitlines()[0], "", None)
                _error(batch, "quote_spans_rows", ledger=ledger.key, file=shown, row=rowno,
                       lines=len(cell.splitlines()), value=start)
                return
        yield rowno, cells


def _read_csv(batch: RawBatch, name: str, opener: Callable[[], IO[bytes]], shown: str) -> None:
    stem = posixpath.splitext(posixpath.basename(name))[0]
    ledger = ledger_for_name(stem)
    if ledger is None:
        _error(batch, "unknown_ledger_file", file=shown, name=posixpath.basename(name))
        return
    try:
        _read_csv_text(batch, ledger, opener, shown)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:  # a damaged member
        _error(batch, "unreadable_file", ledger=ledger.key, file=shown, error=type(exc).__name__)


def _read_csv_text(batch: RawBatch, ledger: Ledger, opener: Callable[[], IO[bytes]],
                   shown: str) -> None:
    enc, odd = _sniff(opener)
    if enc is None:
        _error(batch, "bad_encoding", ledger=ledger.key, file=shown)
        return
    if csv.field_size_limit() < limits.CSV_FIELD_LIMIT:
        csv.field_size_limit(limits.CSV_FIELD_LIMIT)
    swallow_at = max(2, len(ledger.columns) - 1)
    with opener() as raw:
        text = io.TextIOWrapper(raw, encoding=enc, newline="")
        reader = csv.reader(text, strict=True)
        table = _table_from_rows(batch, ledger, shown, None,
                                 _csv_rows(batch, ledger, shown, reader, swallow_at))
    if odd and table is not None:
        _refuse_mojibake(batch, ledger, table, odd)


def _refuse_mojibake(batch: RawBatch, ledger: Ledger, table: RawTable,
                     odd: frozenset[str]) -> None:
    """Name the first cell where Latin-1 text reads as Chinese, and what it says in Latin-1."""
    pattern = re.compile("[" + re.escape("".join(sorted(odd))) + "]")
    for rowno, values in table.rows:
        for key, v in values.items():
            if isinstance(v, str) and pattern.search(v):
                latin = v.encode("gb18030").decode("cp1252", errors="replace")
                _error(batch, "latin1_text", ledger=ledger.key, file=table.file, row=rowno,
                       column=table.headers[key], column_key=key,
                       value=_shown(v, ledger.key, key), latin=_shown(latin, ledger.key, key))
                return
    _error(batch, "latin1_text", ledger=ledger.key, file=table.file,
           latin="".join(sorted(odd))[:20].encode("gb18030").decode("cp1252", "replace"))


# --- all files ---------------------------------------------------------------------------


def read_sources(files: list[SourceFile]) -> RawBatch:
    """Read every file; what cannot be read becomes a problem, never an exception."""
    batch = RawBatch()
    for f in files:
        batch.files.append({"name": f.name, "sha256": f.sha256})
        lower = f.name.lower()
        if lower.endswith(".xlsx") or lower.endswith(".xlsm"):
            _read_xlsx(batch, f)
        elif lower.endswith(".csv"):
            if _budget(batch, f.name, len(f.data)):
                _read_csv(batch, f.name, lambda f=f: io.BytesIO(f.data), f.name)
        elif lower.endswith(".zip"):
            _read_zip(batch, f)
        else:
            _error(batch, "unsupported_file", file=f.name, name=f.name)
    if not files:
        _error(batch, "no_files")
    elif not batch.problems and not any(t.rows for t in batch.tables.values()):
        _error(batch, "no_rows")  # an import that changes nothing is a mistake, not a success
    return batch


__all__ = ["SourceFile", "RawTable", "RawBatch", "read_sources", "LEDGERS", "Uncomputed"]
