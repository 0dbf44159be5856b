"""Hostile sizes are refused with a clear message (issue 14, item 4): the import's unzipped
bytes, zip members and ratio, rows per sheet and per ledger, problems collected. The bounds
are lowered here so that the tests stay small; scripts/bench_import_bounds.py measures the
real ones on the issue's files."""
from __future__ import annotations

import io
import zipfile

import pytest

from duzhan.ledgers import SourceFile, format_report, import_files, limits, read_sources

from .helpers import csv_bytes, dump, xlsx_bytes, zip_bytes

TOWN_HEADER = ["乡镇代码", "乡镇名称"]


def towns(n: int, start: int = 1) -> list[list[str]]:
    return [[f"{i:03d}", f"第{i}镇"] for i in range(start, start + n)]


def reasons(batch) -> list[str]:
    return [p.reason for p in batch.problems]


def test_zip_of_blank_rows_is_refused_as_a_zip_bomb():
    """The issue's 203 KB zip of blank rows (11.6 GB before): refused before unzipping."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("乡镇.csv", "w") as out:
        out.write("乡镇代码,乡镇名称\n".encode())
        for _ in range(11 * 1024):
            out.write(b",\n" * 512)  # 11 MB of blank rows
    assert len(buf.getvalue()) < 100_000
    batch = read_sources([SourceFile("blank.zip", buf.getvalue())])
    [p] = batch.problems
    assert p.reason == "zip_bomb" and p.file == "blank.zip"
    assert "乡镇.csv" in p.message("zh") and "zip bomb" in p.message("en")
    assert batch.tables == {}


def test_xlsx_bomb_is_refused_too(monkeypatch):
    monkeypatch.setattr(limits, "ZIP_RATIO_FLOOR", 1000)
    monkeypatch.setattr(limits, "MAX_ZIP_RATIO", 2)
    data = xlsx_bytes({"乡镇": [TOWN_HEADER] + towns(200)})
    assert reasons(read_sources([SourceFile("b.xlsx", data)])) == ["zip_bomb"]


def test_unzipped_bytes_of_one_import_are_bounded(monkeypatch):
    monkeypatch.setattr(limits, "MAX_IMPORT_BYTES", 2000)
    small = SourceFile("乡镇.csv", csv_bytes(TOWN_HEADER, towns(5)))
    villages = csv_bytes(["村代码", "村名称", "乡镇代码"],
                         [[f"001{i:02d}", f"{i}村", "001"] for i in range(200)])
    batch = read_sources([small, SourceFile("v.zip", zip_bytes({"村.csv": villages}))])
    [p] = batch.problems
    assert (p.reason, p.file) == ("import_too_large", "v.zip")
    assert "MB" in p.message("en") and set(batch.tables) == {"townships"}
    # a workbook counts with its parts unzipped
    book = SourceFile("b.xlsx", xlsx_bytes({"乡镇": [TOWN_HEADER] + towns(5)}))
    assert reasons(read_sources([book])) == ["import_too_large"]


def test_a_file_too_large_is_not_read_whole(monkeypatch, tmp_path):
    monkeypatch.setattr(limits, "MAX_IMPORT_BYTES", 100)
    path = tmp_path / "乡镇.csv"
    path.write_bytes(csv_bytes(TOWN_HEADER, towns(50)))
    f = SourceFile.from_path(path)
    assert len(f.data) == 101
    assert reasons(read_sources([f])) == ["import_too_large"]


def test_zip_members_are_bounded(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ZIP_MEMBERS", 3)
    data = zip_bytes({f"{i}.txt": b"x" for i in range(3)}
                     | {"乡镇.csv": csv_bytes(TOWN_HEADER, towns(2))})
    [p] = read_sources([SourceFile("many.zip", data)]).problems
    assert p.reason == "too_many_members" and "4" in p.message("en")


def test_rows_per_ledger_are_bounded(monkeypatch, engine):
    monkeypatch.setattr(limits, "MAX_LEDGER_ROWS", 5)
    before = dump(engine)
    res = import_files(engine, [SourceFile("乡镇.csv", csv_bytes(TOWN_HEADER, towns(8)))],
                       user="t")
    assert not res.accepted
    [p] = res.problems
    assert (p.reason, p.row) == ("too_many_rows", 7)  # header row 1, rows 2-6 read
    assert "5 data rows" in p.message("en")
    assert res.rows == {"townships": 5}
    assert dump(engine)["townships"] == before["townships"]


def test_rows_per_sheet_count_blank_rows(monkeypatch):
    """Blank rows cost reading time as much as any: Excel's own bound holds for them too."""
    monkeypatch.setattr(limits, "MAX_SHEET_ROWS", 20)
    text = "乡镇代码,乡镇名称\n001,甲\n" + ",\n" * 30 + "002,乙\n"
    batch = read_sources([SourceFile("乡镇.csv", text.encode())])
    assert [(p.reason, p.row) for p in batch.problems] == [("too_many_rows", 21)]
    text = ",\n" * 30 + "乡镇代码,乡镇名称\n001,甲\n"  # nothing before the bound either
    batch = read_sources([SourceFile("乡镇.csv", text.encode())])
    assert [(p.reason, p.row) for p in batch.problems] == [("too_many_rows", 21)]
    rows = [TOWN_HEADER] + [[None, None]] * 30 + [["002", "乙"]]
    batch = read_sources([SourceFile("b.xlsx", xlsx_bytes({"乡镇": rows}))])
    assert [p.reason for p in batch.problems] == ["too_many_rows"]


@pytest.mark.parametrize("as_xlsx", [False, True])
def test_problems_collected_are_bounded(monkeypatch, engine, as_xlsx):
    monkeypatch.setattr(limits, "MAX_PROBLEMS", 10)
    rows = [[f"{i:03d}", f"第{i}镇", "很多"] for i in range(1, 60)]
    header = ["乡镇代码", "乡镇名称", "建档立卡户数"]
    f = (SourceFile("b.xlsx", xlsx_bytes({"乡镇": [header] + rows})) if as_xlsx
         else SourceFile("乡镇.csv", csv_bytes(header, rows)))
    res = import_files(engine, [f], user="t")
    assert not res.accepted
    assert len(res.problems) == 11
    [note] = [p for p in res.problems if p.reason == "too_many_problems"]
    assert "more than 10 problems" in note.message("en")
    assert {p.reason for p in res.problems} == {"bad_int", "too_many_problems"}
    assert "more than 10 problems" in format_report(res, "en")


def test_problems_found_while_reading_are_bounded_too(monkeypatch):
    monkeypatch.setattr(limits, "MAX_PROBLEMS", 4)
    rows = [[f"{i:05d}", f"{i}镇"] for i in range(1, 21)] + [[i, f"{i}镇"] for i in range(21, 31)]
    batch = read_sources([SourceFile("b.xlsx", xlsx_bytes({"乡镇": [TOWN_HEADER] + rows}))])
    assert [p.reason for p in batch.problems] == ["code_lost_zeros"] * 4 + ["too_many_problems"]


def test_blank_rows_after_the_last_allowed_row_are_not_a_problem(monkeypatch):
    monkeypatch.setattr(limits, "MAX_LEDGER_ROWS", 3)
    text = "乡镇代码,乡镇名称\n" + "".join(f"00{i},镇{i}\n" for i in range(1, 4)) + ",\n\n"
    batch = read_sources([SourceFile("乡镇.csv", text.encode())])
    assert not batch.problems and batch.rows == {"townships": 3}
