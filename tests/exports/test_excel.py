"""frame_to_xlsx: headers, Chinese text, types, and no formula injection."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from duzhan.exports.excel import DANGEROUS_PREFIXES, frame_to_xlsx, safe_text


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


@pytest.mark.parametrize("prefix", DANGEROUS_PREFIXES)
def test_dangerous_prefixes_are_neutralised(prefix):
    payload = f"{prefix}HYPERLINK(\"http://x\",\"点我\")"
    frame = pd.DataFrame({"值": [payload, "正常文本"]})
    data = frame_to_xlsx(frame, ["值"])
    ws = _sheet(data)
    cell = ws["A2"]
    assert cell.data_type == "s"
    assert isinstance(cell.value, str)
    assert cell.value == "'" + payload
    assert not cell.value.startswith(DANGEROUS_PREFIXES)
    assert ws["A3"].value == "正常文本"
    # the file holds no formula at all: no <f> element, only strings
    xml = _sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml


def test_formula_like_header_is_neutralised_too():
    data = frame_to_xlsx(pd.DataFrame({"a": [1]}), ["=SUM(A1:A9)"])
    cell = _sheet(data)["A1"]
    assert cell.data_type == "s" and cell.value == "'=SUM(A1:A9)"


def test_headers_bold_frozen_and_chinese_round_trip():
    frame = pd.DataFrame({
        "ledger": ["问题", "拨付"],
        "row": pd.array([3, None], dtype="Int64"),
        "reason": ["整改时限早于发现日期", "“拨付金额(元)”必须大于 0"],
    })
    data = frame_to_xlsx(frame, {"ledger": "台账", "row": "行", "reason": "原因"},
                         sheet_name="问题清单")
    ws = _sheet(data)
    assert ws.title == "问题清单"
    assert [c.value for c in ws[1]] == ["台账", "行", "原因"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[2]] == ["问题", 3, "整改时限早于发现日期"]
    assert [c.value for c in ws[3]] == ["拨付", None, "“拨付金额(元)”必须大于 0"]
    # widths follow the content; Chinese counts double
    assert ws.column_dimensions["C"].width >= 2 * len("“拨付金额(元)”必须大于 0") - 6
    assert ws.column_dimensions["B"].width >= 6


def test_header_list_must_match_columns():
    with pytest.raises(ValueError):
        frame_to_xlsx(pd.DataFrame({"a": [1], "b": [2]}), ["只有一个"])


def test_types_numbers_dates_and_missing():
    frame = pd.DataFrame({
        "n": [np.int64(-5), np.int64(7)],
        "x": [1.5, float("nan")],
        "d": [Decimal("1234.50"), None],
        "day": [dt.date(2024, 6, 30), None],
        "ts": [pd.Timestamp("2024-06-30 08:15"), pd.NaT],
        "flag": [True, False],
        "code": ["0012", "-3"],
    })
    ws = _sheet(frame_to_xlsx(frame))
    row2 = [c.value for c in ws[2]]
    assert row2[0] == -5 and ws["A2"].data_type == "n"  # negative numbers stay numbers
    assert row2[1] == 1.5 and row2[2] == 1234.5
    assert row2[3] == dt.datetime(2024, 6, 30) and ws["D2"].number_format == "yyyy-mm-dd"
    assert row2[4] == dt.datetime(2024, 6, 30, 8, 15)
    assert row2[5] is True
    assert row2[6] == "0012"  # codes keep their leading zeros
    row3 = [c.value for c in ws[3]]
    assert row3[1:5] == [None, None, None, None]
    assert row3[6] == "'-3"  # text "-3" is text, neutralised


def test_timezone_aware_datetimes_are_written():
    bj = dt.timezone(dt.timedelta(hours=8))
    frame = pd.DataFrame({"at": [dt.datetime(2024, 7, 1, 9, 30, tzinfo=bj)]}, dtype=object)
    ws = _sheet(frame_to_xlsx(frame))
    assert ws["A2"].value == dt.datetime(2024, 7, 1, 9, 30)


def test_illegal_control_characters_are_dropped():
    assert safe_text("a\x01b\x1fc") == "abc"
    assert safe_text("\x01=1+1") == "'=1+1"  # a prefix hidden behind a control character
    ws = _sheet(frame_to_xlsx(pd.DataFrame({"v": ["村\x00名"]})))
    assert ws["A2"].value == "村名"


def test_empty_frame_has_header_only():
    ws = _sheet(frame_to_xlsx(pd.DataFrame(columns=["台账", "行"])))
    assert ws.max_row == 1 and [c.value for c in ws[1]] == ["台账", "行"]


def test_sheet_name_is_made_valid():
    ws = _sheet(frame_to_xlsx(pd.DataFrame({"a": [1]}), sheet_name="a/b:c" + "长" * 40))
    assert "/" not in ws.title and ":" not in ws.title and len(ws.title) <= 31


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_text_comes_back_as_text_never_a_formula(text):
    data = frame_to_xlsx(pd.DataFrame({"v": [text]}, dtype=object))
    cell = _sheet(data)["A2"]
    if cell.value is None:  # only illegal control characters
        assert safe_text(text) == ""
        return
    assert cell.data_type == "s"
    assert not str(cell.value).startswith(DANGEROUS_PREFIXES)
    expected = safe_text(text)
    assert cell.value == expected
