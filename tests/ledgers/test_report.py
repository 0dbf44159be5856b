"""What an import report may show: no household id unmasked wherever it lands (a file
without its header row, a row shifted by a column), no control character passed on raw,
dates outside the sane range refused with the row named, caps naming their project / loan."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from duzhan.contract import LEDGERS
from duzhan.exports.excel import frame_to_xlsx
from duzhan.ledgers import SourceFile, format_report, import_files, plan_import, problems_frame
from duzhan.ledgers.problems import Problem, printable

from .helpers import csv_bytes, dump, example_files, examples, ledger_csv, problem_tuples

LOAN_KEYS = LEDGERS["loans"].keys
# household ids: one that looks like a personal number, and two of the demo's format
# (letter + 10 digits) that no pattern alone would catch
SECRETS = ("5227011012019999", "H1014135523", "H2099988877")


def _base(engine):
    res = import_files(engine, example_files("townships", "villages"), user="t")
    assert res.accepted, res.problems


def everything_shown(res) -> str:
    """The CLI report and the problem list's Excel (as the data page and --report write it),
    in both languages, as one text."""
    out = []
    for lang in ("zh", "en"):
        out.append(format_report(res, lang, max_problems=10_000))
        xlsx = frame_to_xlsx(problems_frame(res.problems, lang), sheet_name="p")
        ws = load_workbook(io.BytesIO(xlsx)).active
        out += [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        out += [w.message(lang) for w in res.warnings]
        out += [f"{p.column_label(lang)} {p.value} {p.message(lang)}" for p in res.problems]
    return "\n".join(out)


def loan_rows() -> list[list]:
    rows = []
    for i, (base, hh) in enumerate(zip(examples("loans") * 2, SECRETS, strict=False)):
        rows.append([dict(base, loan_id=f"DK-{i}", household_id=hh).get(k) for k in LOAN_KEYS])
    return rows


def test_loans_file_without_header_row_masks_every_household_id(engine):
    _base(engine)
    body = "\n".join(",".join("" if v is None else str(v) for v in r) for r in loan_rows())
    res = import_files(engine, [SourceFile("loans.csv", body.encode())], user="t")
    assert not res.accepted
    shown = everything_shown(res)
    assert shown  # the refusal is reported ...
    for secret in SECRETS:  # ... with no household id in it
        assert secret not in shown


def test_row_shifted_by_a_column_masks_the_household_id_it_moved(engine):
    _base(engine)
    rows = loan_rows()
    rows[1].insert(1, "多填的一格")  # household_id moves into township_code, and so on
    rows[2].insert(0, "")  # one cell right: the household id lands in household_id's place +1
    res = import_files(engine, [SourceFile("loans.csv", csv_bytes(LOAN_KEYS, rows))], user="t")
    assert not res.accepted
    assert ("loans", 3, "township_code", "unknown_township") in problem_tuples(res.problems)
    shown = everything_shown(res)
    for secret in SECRETS:
        assert secret not in shown
    [moved] = [p for p in res.problems if (p.row, p.column_key) == (3, "township_code")]
    assert moved.value == "H1****23"


def test_stored_household_id_in_another_column_is_masked(engine):
    """A short id no pattern catches, stored before: masked when it turns up elsewhere."""
    _base(engine)
    loans = [dict(examples("loans")[0], household_id="HH7")]
    assert import_files(engine, [ledger_csv("loans", loans)], user="t").accepted
    bad = [dict(examples("loans")[0], loan_id="DK9", household_id="HH8", bank=None,
                township_code="HH7")]
    res = plan_import(engine, [ledger_csv("loans", bad)])
    [p] = res.problems
    assert (p.column_key, p.reason, p.value) == ("township_code", "unknown_township", "****")


def test_control_characters_are_escaped_in_every_report(engine):
    _base(engine)
    issues = [dict(examples("issues")[1], township_code="522701101",
                   description="\x1b[2J\x1b[31m红字\u202e", department="县\x07局")]
    files = [ledger_csv("issues", issues, name="issues.csv"),
             SourceFile("\x1b]0;title\x07.csv", b"a,b\n1,2\n")]
    res = import_files(engine, files, user="t")
    assert not res.accepted
    shown = everything_shown(res)
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in shown
    assert "\\x1b[2J\\x1b[31m红字\\u202e" in shown  # the value, readable as escapes
    assert "\\x1b]0;title\\x07.csv" in shown  # the file name too
    [desc] = [p for p in res.problems if p.column_key == "description"]
    assert desc.reason == "bad_text"


def test_printable_escapes_controls_and_keeps_text():
    assert printable("甲镇 A-1\u3000") == "甲镇 A-1\u3000"
    assert printable("a\tb\nc\r") == "a\\tb\\nc\\r"
    assert printable("\x00\x7f\x9b\u2028\u2066\ud800") == "\\x00\\x7f\\x9b\\u2028\\u2066\\ud800"
    # every problem, whoever makes it, is safe to print
    p = Problem("loans", "x\x1b.csv", 2, "列\x1b", "5227011012019999\x1b", "bad_text",
                {"columns": ["H\x1b", "13812345678"]})
    assert (p.file, p.column, p.value) == ("x\\x1b.csv", "列\\x1b", "52****99\\x1b")
    assert p.params == {"columns": ["H\\x1b", "13****78"]}


@pytest.mark.parametrize("ledger, column, value", [
    ("loans", "due_date", "2300-01-09"),
    ("issues", "found_date", "1500-05-01"),
    ("projects", "allocated_date", "1989-12-31"),
    ("phases", "end_date", "2101-01-01"),
])
def test_dates_outside_the_sane_range_are_refused_with_the_row_named(engine, ledger, column,
                                                                     value):
    rows = examples(ledger)
    rows[0][column] = value
    before = dump(engine)
    res = import_files(engine, example_files(**{ledger: rows}), user="t")
    assert not res.accepted
    assert (ledger, 2, column, "date_out_of_range") in problem_tuples(res.problems)
    [p] = [p for p in res.problems if p.reason == "date_out_of_range"]
    assert p.value == value
    assert p.message("zh") == "日期超出可接受的范围（1990-01-01 至 2100-12-31），请检查年份"
    assert "1990-01-01 to 2100-12-31" in p.message("en")
    assert dump(engine) == before


def test_caps_name_the_project_and_the_loan(engine):
    res = import_files(engine, example_files(), user="t")
    assert res.accepted, res.problems
    disb = [{"project_id": "XM2020-001", "paid_date": "2020-05-10", "amount": "99999999"}]
    repay = [{"loan_id": "DK2020-0002", "paid_date": "2021-06-05", "principal_amount": "99999"}]
    res = plan_import(engine, [ledger_csv("disbursements", disb), ledger_csv("repayments", repay)])
    by_reason = {p.reason: p for p in res.problems}
    assert set(by_reason) == {"over_allocated", "over_principal"}
    assert "项目 XM2020-001 累计拨付" in by_reason["over_allocated"].message("zh")
    assert "project XM2020-001" in by_reason["over_allocated"].message("en")
    assert "贷款 DK2020-0002 累计还本" in by_reason["over_principal"].message("zh")
    assert "loan DK2020-0002" in by_reason["over_principal"].message("en")
    # a re-imported parent whose stored children no longer fit names itself too
    projects = [dict(examples("projects")[0], allocated_amount="1")]
    loans = [dict(examples("loans")[1], principal="1")]
    res = plan_import(engine, [ledger_csv("projects", projects), ledger_csv("loans", loans)])
    msgs = {p.reason: p.message("zh") for p in res.problems}
    assert "项目 XM2020-001 已有拨付合计" in msgs["stored_over_allocated"]
    assert "贷款 DK2020-0002 已有还款合计" in msgs["stored_over_principal"]


def test_report_says_how_many_are_not_listed_and_where_they_are(engine):
    bad = [dict(examples("townships")[0], township_code=f"T{i}", township_name=f"镇{i}",
                households="x")
           for i in range(5)]
    res = plan_import(engine, [ledger_csv("townships", bad)])
    assert len(res.problems) == 5
    text = format_report(res, "zh", max_problems=2)
    assert "只列出前 2 个，另有 3 个问题未列出" in text and "--report" in text
    text = format_report(res, "en", max_problems=2, report_path="all.xlsx")
    assert "only the first 2 are listed, 3 more are not; all of them are in all.xlsx" in text
    assert "3 more" not in format_report(res, "en", max_problems=5)
