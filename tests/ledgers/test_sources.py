"""Reading files: headers, encodings, zip, xlsx cells, title rows, blank rows, row numbers."""
from __future__ import annotations

import datetime as dt

import pytest

from duzhan.ledgers import SourceFile, import_files, plan_import, read_sources

from .helpers import csv_bytes, xlsx_bytes, zip_bytes

TOWN_ROWS = [["001", "甲镇", "东片", "100"], ["002", "乙乡", "", "80"]]


def reasons(items):
    return {(p.ledger, p.row, p.column, p.reason) for p in items}


@pytest.mark.parametrize("header", [
    ["乡镇代码", "乡镇名称", "片区", "建档立卡户数"],
    ["township_code", "township_name", "area_group", "households"],
    ["Township_Code", "TOWNSHIP_NAME", "Area_Group", "Households"],
    ["  乡镇代码 ", "\t乡镇名称", "片区 ", " households"],
])
def test_header_variants(header):
    batch = read_sources([SourceFile("townships.csv", csv_bytes(header, TOWN_ROWS))])
    assert not batch.problems
    assert [w.reason for w in batch.warnings] == []
    table = batch.tables["townships"]
    assert [r for r, _ in table.rows] == [2, 3]
    assert table.rows[0][1]["township_code"] == "001"
    assert table.headers["township_code"] == header[0].strip()


def test_extra_columns_are_warned_and_ignored():
    header = ["乡镇代码", "乡镇名称", "备注", "Remarks"]
    batch = read_sources([SourceFile("乡镇.csv", csv_bytes(header, [["001", "甲镇", "x", "y"]]))])
    assert not batch.problems
    [w, absent] = batch.warnings
    assert absent.reason == "absent_columns"
    assert "片区" in absent.message("zh") and "households" in absent.message("en")
    assert w.reason == "unknown_columns" and w.params["columns"] == ["备注", "Remarks"]
    assert "备注" in w.message("zh") and "Remarks" in w.message("en")


def test_missing_required_column_is_a_problem():
    batch = read_sources([SourceFile("townships.csv", csv_bytes(["township_code"], [["001"]]))])
    [p] = batch.problems
    assert (p.ledger, p.row, p.reason, p.column_key) == ("townships", 1, "missing_column",
                                                        "township_name")
    assert "乡镇名称" in p.message("zh") and "Township" in p.message("en")


def test_duplicate_column_is_a_problem():
    header = ["乡镇代码", "township_code", "乡镇名称"]
    batch = read_sources([SourceFile("townships.csv", csv_bytes(header, [["1", "1", "x"]]))])
    assert {p.reason for p in batch.problems} == {"duplicate_column"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(encoding):
    data = csv_bytes(["乡镇代码", "乡镇名称", "片区"], [["001", "甲镇", "东片督战区"]], encoding)
    batch = read_sources([SourceFile("乡镇.csv", data)])
    assert not batch.problems, batch.problems
    assert batch.tables["townships"].rows[0][1]["area_group"] == "东片督战区"


def test_undecodable_csv():
    batch = read_sources([SourceFile("乡镇.csv", b"\xff\xfe\x00\x81\x30\xff" * 10)])
    assert {p.reason for p in batch.problems} <= {"bad_encoding", "missing_column"}
    assert batch.problems


def test_csv_names_and_unknown_files():
    batch = read_sources([
        SourceFile("Townships.CSV", csv_bytes(["township_code", "township_name"], [["1", "a"]])),
        SourceFile("data.csv", b"a,b\n1,2\n"),
        SourceFile("notes.txt", b"hello"),
    ])
    assert "townships" in batch.tables
    assert {p.reason for p in batch.problems} == {"unknown_ledger_file", "unsupported_file"}


def test_zip_of_csvs():
    data = zip_bytes({
        "ledgers/乡镇.csv": csv_bytes(["乡镇代码", "乡镇名称"], [["001", "甲镇"]], "gb18030"),
        "ledgers/phases.csv": csv_bytes(["phase_no", "phase_name", "start_date", "end_date"],
                                        [["1", "p", "2024-01-01", "2024-02-01"]]),
        "__MACOSX/ledgers/._乡镇.csv": b"\x00\x05\x16\x07junk",
        "ledgers/": b"",
        "ledgers/readme.txt": b"hi",
    })
    batch = read_sources([SourceFile("upload.zip", data)])
    assert not batch.problems, batch.problems
    assert set(batch.tables) == {"townships", "phases"}
    assert batch.tables["townships"].file == "upload.zip/乡镇.csv"
    assert [w.reason for w in batch.warnings if w.reason != "absent_columns"] == ["ignored_file"]


def test_bad_zip_and_bad_xlsx():
    batch = read_sources([SourceFile("a.zip", b"not a zip"), SourceFile("b.xlsx", b"nope")])
    assert [p.reason for p in batch.problems] == ["unreadable_file", "unreadable_file"]


def test_same_ledger_twice_is_a_problem():
    f1 = SourceFile("乡镇.csv", csv_bytes(["乡镇代码", "乡镇名称"], [["001", "甲镇"]]))
    f2 = SourceFile("book.xlsx", xlsx_bytes({"Townships": [["乡镇代码", "乡镇名称"]]}))
    batch = read_sources([f1, f2])
    [p] = batch.problems
    assert p.reason == "duplicate_ledger" and "乡镇.csv" in p.message("zh")
    assert "book.xlsx" in p.message("en")


def test_xlsx_cells_title_row_blank_rows_and_other_sheets():
    rows = [
        ["2024年村台账（县扶贫办）", None, None, None, None],  # title row 1
        [None, None, None, None, None],  # blank row 2
        ["村代码", "村名称", "乡镇代码", "是否挂牌督战", "经度"],  # header at row 3
        [522701101201, "一村", 522701101, True, 107.5],  # numeric codes, bool cell
        [None, None, None, None, None],  # blank row 5
        ["  ", None, "", None, None],  # whitespace only: blank too
        ["522701101202", "二村", "522701101", "否", "107.25"],  # row 7
    ]
    data = xlsx_bytes({"说明": [["这是说明"]], "村": rows})
    batch = read_sources([SourceFile("book.xlsx", data)])
    assert not batch.problems
    assert [w.reason for w in batch.warnings] == ["ignored_sheet", "absent_columns"]
    table = batch.tables["villages"]
    assert table.header_row == 3
    assert [r for r, _ in table.rows] == [4, 7]


def test_xlsx_values_import(engine):
    phases = [["phase_no", "phase_name", "start_date", "end_date"],
              [1.0, "排查", dt.datetime(2024, 3, 1), dt.date(2024, 4, 30)],
              [None] * 4,
              [2, "整改", "2024/5/1", "2024年6月30日"]]
    towns = [["乡镇代码", "乡镇名称", "建档立卡户数"], [1101, "甲镇", 12.0], ["01102", "乙乡", "7"]]
    data = xlsx_bytes({"Phases": phases, "乡镇": towns})
    res = import_files(engine, [SourceFile("b.xlsx", data)], user="t")
    assert res.accepted, res.problems
    assert res.rows == {"townships": 2, "phases": 2}
    from sqlalchemy import text
    with engine.connect() as conn:
        codes = conn.execute(text("SELECT township_code, households FROM townships "
                                  "ORDER BY township_code")).all()
        ph = conn.execute(text("SELECT phase_no, start_date, end_date FROM phases "
                               "ORDER BY phase_no")).all()
    assert [tuple(r) for r in codes] == [("01102", 7), ("1101", 12)]
    assert [(r[0], str(r[1]), str(r[2])) for r in ph] == [
        (1, "2024-03-01", "2024-04-30"), (2, "2024-05-01", "2024-06-30")]


def test_row_numbers_with_blank_rows_in_csv(engine):
    text = ("乡镇代码,乡镇名称,建档立卡户数\n"
            "001,甲镇,1\n"
            "\n"
            ",,\n"
            "002,乙乡,x\n")
    plan = plan_import(engine, [SourceFile("乡镇.csv", text.encode())])
    assert reasons(plan.problems) == {("townships", 5, "建档立卡户数", "bad_int")}
    assert plan.rows == {"townships": 2}


def test_title_row_in_csv(engine):
    text = "县乡镇台账,,\n乡镇代码,乡镇名称,建档立卡户数\n001,甲镇,-1\n"
    plan = plan_import(engine, [SourceFile("乡镇.csv", text.encode("utf-8-sig"))])
    assert reasons(plan.problems) == {("townships", 3, "建档立卡户数", "below_min")}


def test_xlsx_plain_reader_gives_the_same_rows(monkeypatch):
    """The load_workbook fallback (should openpyxl's internals move) reads the same."""
    from duzhan.ledgers import sources

    rows = [["县村台账", None], [None, None], ["村代码", "村名称", "乡镇代码", "经度", "其他"],
            [522701101201, "一村", "001", 107.5, None], [None] * 5,
            ["2", " 二村 ", 1.0, "107", dt.datetime(2024, 1, 2)]]
    f = SourceFile("b.xlsx", xlsx_bytes({"说明": [["x"]], "villages": rows}))
    fast = read_sources([f])

    def broken(data):
        raise ImportError("moved")
        yield  # pragma: no cover

    monkeypatch.setattr(sources, "_xlsx_sheets", broken)
    plain = read_sources([f])
    assert fast.tables["villages"].rows == plain.tables["villages"].rows
    assert fast.tables["villages"].rows[0] == (4, {"village_code": 522701101201,
                                                   "village_name": "一村",
                                                   "township_code": "001", "longitude": 107.5})
    assert [w.reason for w in fast.warnings] == [w.reason for w in plain.warnings] == [
        "ignored_sheet", "unknown_columns", "absent_columns"]


def test_zip_member_names_in_gbk():
    """Chinese Windows zip tools store names in GBK without the UTF-8 flag."""
    import io
    import zipfile

    class GBKInfo(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(GBKInfo("台账/乡镇.csv"),
                    csv_bytes(["乡镇代码", "乡镇名称"], [["001", "甲镇"]], "gb18030"))
    batch = read_sources([SourceFile("台账.zip", buf.getvalue())])
    assert not batch.problems, [p.message("en") for p in batch.problems]
    assert batch.tables["townships"].file == "台账.zip/乡镇.csv"
