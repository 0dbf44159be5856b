"""Tables as .xlsx bytes for download: headers as given, bold and frozen, sensible widths,
and no formula injection.

Every text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return (what a
spreadsheet may read as the start of a formula, OWASP "CSV injection") is written as a
literal string with a leading apostrophe, `'=1+1`, and openpyxl data type "s": the file
holds text, never a formula, whatever the user typed into a ledger.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH = 6
MAX_WIDTH = 60
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def safe_text(value: str) -> str:
    """The text a cell may safely hold: illegal control characters dropped, and a leading
    apostrophe before anything a spreadsheet could take for a formula."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if text.startswith(DANGEROUS_PREFIXES):
        # tab/CR are control characters openpyxl accepts; keep them after the apostrophe
        return "'" + text
    return text


def _width(text: str) -> int:
    """Display width: CJK (wide) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, (str, bytes, list, tuple, dict, set)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _cell_value(value: Any) -> tuple[Any, str | None]:
    """(value for openpyxl, number format or None)."""
    if _is_missing(value):
        return None, None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:  # Excel has no time zones: keep the wall-clock time
            value = value.replace(tzinfo=None)
        if value.time() == dt.time(0):
            return value.date(), DATE_FORMAT
        return value, DATETIME_FORMAT
    if isinstance(value, dt.date):
        return value, DATE_FORMAT
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, (bool, int, float, Decimal)):
        if isinstance(value, float) and math.isinf(value):
            return str(value), None
        return value, None
    return str(value), None


def _headers(frame: pd.DataFrame, headers: Sequence[str] | Mapping[Any, str] | None) -> list[str]:
    if headers is None:
        return [str(c) for c in frame.columns]
    if isinstance(headers, Mapping):
        return [str(headers.get(c, c)) for c in frame.columns]
    headers = [str(h) for h in headers]
    if len(headers) != len(frame.columns):
        raise ValueError(f"{len(headers)} headers for {len(frame.columns)} columns")
    return headers


def _text_cell(ws, row: int, col: int, text: str):
    cell = ws.cell(row=row, column=col)
    cell.value = safe_text(text)
    cell.data_type = "s"  # a literal string, never a formula
    return cell


def frame_to_xlsx(
    frame: pd.DataFrame,
    headers: Sequence[str] | Mapping[Any, str] | None = None,
    sheet_name: str = "Sheet1",
    number_formats: Mapping[Any, str] | None = None,
) -> bytes:
    """`frame` as an .xlsx workbook (bytes) with one sheet.

    headers: one header per column (list), or column → header (mapping; columns not in it
    keep their name), or None for the frame's column names. The header row is bold and
    frozen; column widths follow the content (CJK counted double, at most 60).
    number_formats: column → Excel number format of its numbers ("#,##0.00"), as the page
    shows them.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    names = _headers(frame, headers)
    wb = Workbook()
    ws = wb.active
    ws.title = (sheet_name.translate(_SHEET_FORBIDDEN).strip("'") or "Sheet1")[:31]
    bold = Font(bold=True)
    widths = [_width(h) for h in names]
    by_position = [(number_formats or {}).get(c) for c in frame.columns]
    for j, name in enumerate(names, start=1):
        _text_cell(ws, 1, j, name).font = bold
    for i, row in enumerate(frame.itertuples(index=False, name=None), start=2):
        for j, raw in enumerate(row, start=1):
            value, number_format = _cell_value(raw)
            if value is None:
                continue
            if isinstance(value, str):
                cell = _text_cell(ws, i, j, value)
                shown = cell.value
            else:
                cell = ws.cell(row=i, column=j, value=value)
                if number_format is None and not isinstance(value, (bool, dt.date)):
                    number_format = by_position[j - 1]
                shown = value.isoformat()[:16] if isinstance(value, (dt.date, dt.datetime)) else str(value)
            if number_format:
                cell.number_format = number_format
            widths[j - 1] = max(widths[j - 1], _width(shown.split("\n", 1)[0]))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH, max(MIN_WIDTH, w + 2))
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = ["frame_to_xlsx", "safe_text", "DANGEROUS_PREFIXES", "XLSX_MIME"]
