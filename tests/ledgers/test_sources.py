"""Reading files: headers, encodings, zip, xlsx cells, title rows, blank rows, row numbers."""
from __future__ import annotations

import datetime as dt

import pytest

from duzhan.ledgers import SourceFile, import_files, plan_import, read_sources

from .helpers import csv_bytes, example_files, xlsx_bytes, zip_bytes

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
    assert [w.reason for w in batch.warnings] == ["ignored_sheet", "absent_columns",
                                                  "code_as_number", "code_as_number"]
    # number cells in code columns as long as the others: kept, but warned (zeros may be lost)
    codes = [(w.row, w.column_key, w.params["count"]) for w in batch.warnings[2:]]
    assert codes == [(4, "village_code", 1), (4, "township_code", 1)]
    assert "村代码" in batch.warnings[2].message("zh")
    assert "Village code" in batch.warnings[2].message("en")
    table = batch.tables["villages"]
    assert table.header_row == 3
    assert [r for r, _ in table.rows] == [4, 7]


def test_xlsx_values_import(engine):
    phases = [["phase_no", "phase_name", "start_date", "end_date"],
              [1.0, "排查", dt.datetime(2024, 3, 1), dt.date(2024, 4, 30)],
              [None] * 4,
              [2, "整改", "2024/5/1", "2024年6月30日"]]
    towns = [["乡镇代码", "乡镇名称", "建档立卡户数"], [11101, "甲镇", 12.0], ["01102", "乙乡", "7"]]
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
    assert [tuple(r) for r in codes] == [("01102", 7), ("11101", 12)]
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
        "ignored_sheet", "unknown_columns", "absent_columns", "code_as_number"]
    # 1.0 in a column of "001": a code that lost its zeros
    assert reasons(fast.problems) == reasons(plain.problems) == {
        ("villages", 6, "乡镇代码", "code_lost_zeros")}


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


# --- strict CSV --------------------------------------------------------------------------

ISSUE_HEADER = ("issue_id,township_code,village_code,source,category,department,found_date,"
                "deadline,closed_date,description\n")


def issue_lines(n: int = 5) -> list[str]:
    return [f"W{i},001,,审计,住房安全,县住建局,2024-01-0{i},2024-02-01,,描述{i}\n"
            for i in range(1, n + 1)]


def issues_csv(lines: list[str]) -> SourceFile:
    return SourceFile("issues.csv", (ISSUE_HEADER + "".join(lines)).encode())


def test_unclosed_quote_is_refused_not_swallowing_rows(engine):
    """The issue's file: 5 issues, one unclosed quote; read loosely it gave 1 row."""
    lines = issue_lines()
    lines[1] = 'W2,001,,审计,住房安全,县住建局,2024-01-02,2024-02-01,,"漏水\n'
    res = import_files(engine, [issues_csv(lines)], user="t")
    assert not res.accepted
    [p] = [p for p in res.problems if p.reason == "unclosed_quote"]
    assert (p.ledger, p.file, p.row) == ("issues", "issues.csv", 3)
    assert "line 6" in p.message("en") and "第 6 行" in p.message("zh")


def test_quote_closed_by_a_later_one_is_refused():
    lines = issue_lines()
    lines[1] = 'W2,001,,审计,住房安全,县住建局,2024-01-02,2024-02-01,,"漏水\n'
    lines[4] = 'W5,001,,审计,住房安全,县住建局,2024-01-05,2024-02-01,,",另"\n'
    batch = read_sources([issues_csv(lines)])
    assert reasons(batch.problems) == {("issues", 3, None, "quote_spans_rows")}
    assert "4 lines" in batch.problems[0].message("en")
    lines[4] = 'W5,001,,审计,住房安全,县住建局,2024-01-05,2024-02-01,,"正常"\n'
    batch = read_sources([issues_csv(lines)])
    [p] = batch.problems
    assert (p.row, p.reason) == (3, "stray_quote")  # the swallowing record is row 3
    assert "line 6" in p.message("en")


def test_stray_quote_after_a_quoted_cell():
    lines = issue_lines()
    lines[2] = 'W3,001,,审计,住房安全,县住建局,2024-01-03,2024-02-01,,"24"寸显示器\n'
    batch = read_sources([issues_csv(lines)])
    assert reasons(batch.problems) == {("issues", 4, None, "stray_quote")}


def test_multi_line_quoted_cells_still_import(engine):
    lines = issue_lines()
    lines[1] = 'W2,001,,审计,住房安全,县住建局,2024-01-02,2024-02-01,,"第一，窗户\n第二, 屋顶"\n'
    res = import_files(engine, example_files("townships") + [
        SourceFile("issues.csv", (ISSUE_HEADER + "".join(lines)).replace(",001,", ",522701101,")
                   .encode())], user="t")
    assert res.accepted, [p.message("en") for p in res.problems]
    assert res.rows["issues"] == 5
    from sqlalchemy import text
    with engine.connect() as conn:
        desc = conn.execute(text("SELECT description FROM issues WHERE issue_id = 'W2'")).scalar()
    assert desc == "第一，窗户\n第二, 屋顶"


# --- oversize cells, header not found ------------------------------------------------------


def test_oversize_cell_same_limit_in_csv_and_xlsx():
    from duzhan.ledgers import limits

    huge, big = "x" * 140_000, "y" * (limits.MAX_CELL_CHARS + 1)
    ok = "z" * limits.MAX_CELL_CHARS
    csv_data = csv_bytes(["乡镇代码", "乡镇名称", "片区"],
                         [["001", huge, ""], ["002", "乙", big], ["003", "丙", ok]])
    # openpyxl cuts what it writes at Excel's limit: the long texts are put in afterwards
    xlsx_data = rewrite_sheets(
        xlsx_bytes({"乡镇": [["乡镇代码", "乡镇名称", "片区"], ["001", "HUGE", None],
                           ["002", "乙", "BIG"], ["003", "丙", "OK"]]}),
        lambda x: x.replace(">HUGE<", f">{huge}<").replace(">BIG<", f">{big}<")
        .replace(">OK<", f">{ok}<"))
    expected = {("townships", 2, "乡镇名称", "cell_too_long"),
                ("townships", 3, "片区", "cell_too_long")}
    for f in (SourceFile("乡镇.csv", csv_data), SourceFile("b.xlsx", xlsx_data)):
        batch = read_sources([f])
        assert reasons(batch.problems) == expected, f.name
        assert all(len(p.value) <= 60 for p in batch.problems)
        assert "32767" in batch.problems[0].message("en")


def test_oversize_csv_field_beyond_the_csv_modules_limit_names_the_row():
    from duzhan.ledgers import limits

    data = csv_bytes(["乡镇代码", "乡镇名称"], [["001", "甲"], ["002", "x" * (limits.CSV_FIELD_LIMIT + 5)]])
    batch = read_sources([SourceFile("乡镇.csv", data)])
    assert reasons(batch.problems) == {("townships", 3, None, "cell_too_long")}


def test_header_below_the_scanned_rows_is_one_problem_per_sheet():
    title = [[f"说明第{i}行", None] for i in range(12)]
    towns = title + [["乡镇代码", "乡镇名称"], ["001", "甲镇"]]
    loans = title + [["贷款编号", "户编号"], ["DK1", "522701101000001"]]
    batch = read_sources([SourceFile("b.xlsx", xlsx_bytes({"乡镇": towns, "小额信贷": loans}))])
    assert [(p.ledger, p.reason) for p in batch.problems] == [
        ("townships", "header_not_found"), ("loans", "header_not_found")]
    assert "b.xlsx [乡镇]" in batch.problems[0].message("zh")
    assert "first 10 non-blank rows" in batch.problems[0].message("en")
    assert "e.g. Township code" in batch.problems[0].message("en")
    assert "如 乡镇代码" in batch.problems[0].message("zh")
    assert not [w for w in batch.warnings if w.reason == "unknown_columns"]


def test_headerless_loans_csv_shows_no_household_ids():
    rows = "\n".join(f"DK{i},5227011010{i:05d},001,,5000,2024-01-01,2025-01-01,,"
                     for i in range(12))
    batch = read_sources([SourceFile("loans.csv", rows.encode())])
    [p] = batch.problems
    assert p.reason == "header_not_found"
    for item in batch.problems + batch.warnings:
        assert "52270110" not in item.message("zh") + item.message("en") + item.value


# --- xlsx: formulas, merged cells, hidden sheets, number codes -----------------------------


def _workbook(build) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite_sheets(data: bytes, edit) -> bytes:
    """The workbook with each worksheet's XML passed through `edit` (what openpyxl will not
    write: cached formula values, cells over Excel's limit)."""
    import io
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = edit(body.decode()).encode()
            dst.writestr(info, body)
    return out.getvalue()


def _with_cached_values(data: bytes, cached: dict[str, str]) -> bytes:
    """openpyxl writes formulas with an empty <v>; Excel saves their value."""
    import re

    def edit(text):
        for ref, value in cached.items():
            text = re.sub(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*(/>|></v>)',
                          rf"\g<1><v>{value}</v>", text)
        return text

    return rewrite_sheets(data, edit)


def test_formula_without_a_cached_value_is_named():
    def build(wb):
        ws = wb.active
        ws.title = "乡镇"
        ws.append(["乡镇代码", "乡镇名称", "建档立卡户数"])
        ws.append(["001", "甲镇", "=10*2"])
        ws.append(["002", "=B2&\"乡\"", "=10*3"])

    data = _workbook(build)
    batch = read_sources([SourceFile("b.xlsx", data)])
    assert reasons(batch.problems) == {("townships", 2, "建档立卡户数", "formula_no_value"),
                                       ("townships", 3, "乡镇名称", "formula_no_value"),
                                       ("townships", 3, "建档立卡户数", "formula_no_value")}
    p = min(batch.problems, key=lambda p: p.row)
    assert p.value == "=10*2"
    assert p.message("zh") == "公式没有计算结果，请在Excel中重新计算并保存"
    # saved by Excel (cached values): read as the values
    batch = read_sources([SourceFile("b.xlsx", _with_cached_values(data, {"C2": "20", "C3": "30"}))])
    assert reasons(batch.problems) == {("townships", 3, "乡镇名称", "formula_no_value")}
    assert batch.tables["townships"].rows[0][1]["households"] == 20


def test_formula_cells_are_not_reported_as_empty(engine):
    def build(wb):
        ws = wb.active
        ws.title = "乡镇"
        ws.append(["乡镇代码", "乡镇名称"])
        ws.append(["001", "=\"甲\"&\"镇\""])

    res = plan_import(engine, [SourceFile("b.xlsx", _workbook(build))])
    assert [p.reason for p in res.problems] == ["formula_no_value"]


def test_merged_cells_are_named_once_per_range_not_as_empty(engine):
    def build(wb):
        ws = wb.active
        ws.title = "乡镇"
        ws.append(["2024年乡镇台账"])
        ws.merge_cells("A1:D1")  # a merged title: fine
        ws.append(["乡镇代码", "乡镇名称", "片区", "建档立卡户数"])
        ws.append(["001", "甲镇", "东片", 5])
        ws.append(["002", "乙镇", None, 5])
        ws.append(["003", "丙镇", None, 5])
        ws.merge_cells("C3:C5")  # one area for three townships
        ws.append(["004", None, None, 5])
        ws.merge_cells("A6:B6")  # a required name hidden under a merge

    res = plan_import(engine, [SourceFile("b.xlsx", _workbook(build))])
    assert reasons(res.problems) == {("townships", 4, "片区", "merged_cells"),
                                     ("townships", 6, "乡镇名称", "merged_cells")}
    p = min(res.problems, key=lambda p: p.row)
    assert "C3:C5" in p.message("zh") and "C3" in p.message("en")


def test_hidden_sheets_are_warned_about_and_not_read():
    def build(wb):
        ws = wb.active
        ws.title = "乡镇"
        ws.append(["乡镇代码", "乡镇名称"])
        ws.append(["001", "甲镇"])
        old = wb.create_sheet("村")
        old.append(["村代码", "村名称", "乡镇代码"])
        old.append(["00101", "旧村", "001"])
        old.sheet_state = "hidden"

    batch = read_sources([SourceFile("b.xlsx", _workbook(build))])
    assert not batch.problems
    assert set(batch.tables) == {"townships"}
    [w] = [w for w in batch.warnings if w.reason == "hidden_sheet"]
    assert w.ledger == "villages" and "村" in w.message("zh") and "hidden" in w.message("en")


def test_number_codes_warned_shorter_ones_refused():
    rows = [["乡镇代码", "乡镇名称"], ["001", "甲"], [2, "乙"], ["003", "丙"], [104, "丁"]]
    batch = read_sources([SourceFile("b.xlsx", xlsx_bytes({"乡镇": rows}))])
    assert reasons(batch.problems) == {("townships", 3, "乡镇代码", "code_lost_zeros")}
    assert "1 digits" in batch.problems[0].message("en") and "3" in batch.problems[0].message("en")
    [w] = [w for w in batch.warnings if w.reason == "code_as_number"]
    assert (w.row, w.params["count"]) == (5, 1)
    loans = [["贷款编号", "户编号", "乡镇代码", "贷款金额(元)", "放款日期", "到期日期"],
             ["DK1", 522701101000001234.0, "001", 5000, "2024-01-01", "2025-01-01"]]
    batch = read_sources([SourceFile("b.xlsx", xlsx_bytes({"小额信贷": loans}))])
    [p] = batch.problems
    assert (p.row, p.column_key, p.reason) == (2, "household_id", "code_as_inexact_number")
    assert "5227011" not in p.value  # personal data stays masked


# --- encodings, empty imports --------------------------------------------------------------


def test_latin1_text_read_as_gb18030_is_refused():
    data = "township_code,township_name\n001,Crédit\n002,Bank\n".encode("latin-1")
    assert data.decode("gb18030") .count("閐") == 1  # the issue's mojibake
    batch = read_sources([SourceFile("townships.csv", data)])
    [p] = batch.problems
    assert (p.row, p.column, p.reason, p.value) == (2, "township_name", "latin1_text", "Cr閐it")
    assert "Crédit" in p.message("zh") and "UTF-8" in p.message("en")


def test_gbk_file_with_a_rare_character_is_not_taken_for_latin1():
    data = "乡镇代码,乡镇名称,片区\n001,堃镇,东片督战区\n002,乙乡,西片督战区\n".encode("gbk")
    batch = read_sources([SourceFile("乡镇.csv", data)])
    assert not batch.problems
    assert batch.tables["townships"].rows[0][1]["township_name"] == "堃镇"


def test_empty_import_is_refused(engine):
    for files in ([SourceFile("乡镇.csv", b"township_code,township_name\n\n,\n")],
                  [SourceFile("b.xlsx", xlsx_bytes({"乡镇": [["乡镇代码", "乡镇名称"]],
                                                    "村": []}))]):
        res = import_files(engine, files, user="t")
        assert not res.accepted and [p.reason for p in res.problems] == ["no_rows"]
        assert "no data rows" in res.problems[0].message("en")


def test_control_characters_are_read_and_refused_by_the_parser(engine):
    data = "乡镇代码,乡镇名称\n001,甲\x1b[31m镇\n002,乙\x00乡\n".encode()
    res = plan_import(engine, [SourceFile("乡镇.csv", data)])
    assert reasons(res.problems) == {("townships", 2, "乡镇名称", "bad_text"),
                                     ("townships", 3, "乡镇名称", "bad_text")}
