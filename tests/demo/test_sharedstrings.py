"""The demo workbook's shared strings: the same cells, values and formats as openpyxl wrote."""
from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
from openpyxl.cell import WriteOnlyCell

from duzhan.demo.sharedstrings import shared_strings

TEXTS = ["乡镇代码", "  leading and trailing  ", "<script>alert(1)</script>", "a & b </t> c",
         '"><svg onload=alert(3)>', "012345", "乡镇代码", "emoji 🙂", "line\nbreak"]


def _book() -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    for name in ("一", "二"):
        ws = wb.create_sheet(name)
        for i, text in enumerate(TEXTS):
            code = WriteOnlyCell(ws, value=text)
            code.number_format = "@"
            ws.append([code, text, i, date(2026, 11, i + 1), None, "是"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cells(raw: bytes) -> list[list[tuple]]:
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    return [[(c.value, c.data_type, c.number_format) for row in ws.iter_rows() for c in row]
            for ws in wb.worksheets]


def test_same_cells_read_back():
    raw = _book()
    shared = shared_strings(raw)
    assert _cells(shared) == _cells(raw)
    assert _cells(shared)[0][0] == ("乡镇代码", "s", "@")


def test_each_text_stored_once():
    shared = zipfile.ZipFile(io.BytesIO(shared_strings(_book())))
    sheet = shared.read("xl/worksheets/sheet1.xml")
    assert b"inlineStr" not in sheet
    table = shared.read("xl/sharedStrings.xml").decode("utf-8")
    distinct = len(set(TEXTS) | {"是"})
    assert f'uniqueCount="{distinct}"' in table
    assert table.count("<si>") == distinct


def test_a_workbook_with_shared_strings_is_left_alone():
    once = shared_strings(_book())
    assert shared_strings(once) == once
