"""Every rule of the contract produces a problem at the right (ledger, row, column, reason)."""
from __future__ import annotations

import pytest

from duzhan.ledgers import SourceFile, format_report, import_files, plan_import, problems_frame

from .helpers import csv_bytes, dump, example_files, examples, problem_tuples

T1, T2 = "522701101", "522701102"
V1, V1b, V2 = "522701101201", "522701101202", "522701102201"


def files_with(ledger, idx, changes):
    rows = examples(ledger)
    rows[idx].update(changes)
    return example_files(**{ledger: rows})


# (ledger, row index in the examples, changes) → {(ledger, row, column, reason)}
CASES = [
    ("townships", 1, {"township_name": None}, {("townships", 3, "township_name", "required")}),
    ("townships", 1, {"township_name": "示例镇"},
     {("townships", 3, "township_name", "duplicate")}),
    ("townships", 0, {"households": -1}, {("townships", 2, "households", "below_min")}),
    ("townships", 0, {"households": "1.5"}, {("townships", 2, "households", "bad_int")}),
    ("villages", 0, {"longitude": "180.5"}, {("villages", 2, "longitude", "above_max")}),
    ("villages", 0, {"latitude": "-90.01"}, {("villages", 2, "latitude", "below_min")}),
    ("villages", 0, {"listed": "maybe"}, {("villages", 2, "listed", "bad_bool")}),
    ("villages", 1, {"township_code": "999"},
     {("villages", 3, "township_code", "unknown_township")}),
    ("villages", 2, {"village_code": V1},  # and V2, now gone, was the village of a loan ...
     {("villages", 4, "village_code", "duplicate"), ("loans", 3, "village_code", "unknown_village"),
      ("monitored", 3, "village_code", "unknown_village"),
      ("guarantees", 4, "village_code", "unknown_village")}),
    ("phases", 1, {"end_date": "2020-03-31"}, {("phases", 3, "end_date", "before_col")}),
    ("phases", 1, {"start_date": "2020-03-31"}, {("phases", 3, "start_date", "phase_overlap")}),
    ("phases", 2, {"start_date": "2020-01-01", "end_date": "2020-01-31"},
     {("phases", 4, "start_date", "phase_overlap")}),
    ("phases", 2, {"phase_no": "0"},
     {("phases", 4, "phase_no", "below_min"), ("phases", 2, "start_date", "phase_overlap")}),
    ("phases", 0, {"start_date": "2020-02-30"}, {("phases", 2, "start_date", "no_such_date")}),
    ("tasks", 0, {"phase_no": 9}, {("tasks", 2, "phase_no", "unknown_phase")}),
    ("tasks", 0, {"township_code": "999"}, {("tasks", 2, "township_code", "unknown_township")}),
    ("tasks", 0, {"due_date": None}, {("tasks", 2, "due_date", "required")}),
    ("issues", 0, {"deadline": "2020-04-09"}, {("issues", 2, "deadline", "before_col")}),
    ("issues", 0, {"closed_date": "2020-04-01"}, {("issues", 2, "closed_date", "before_col")}),
    ("issues", 1, {"village_code": V1}, {("issues", 3, "village_code", "village_other_township")}),
    ("issues", 1, {"village_code": "999"}, {("issues", 3, "village_code", "unknown_village")}),
    ("issues", 1, {"township_code": "999"}, {("issues", 3, "township_code", "unknown_township")}),
    ("issues", 1, {"source": " "}, {("issues", 3, "source", "required")}),
    ("projects", 0, {"allocated_amount": "0"},
     {("projects", 2, "allocated_amount", "not_positive")}),
    ("projects", 0, {"allocated_amount": "abc"},
     {("projects", 2, "allocated_amount", "bad_decimal")}),
    ("projects", 0, {"township_code": "999"},
     {("projects", 2, "township_code", "unknown_township")}),
    ("projects", 0, {"allocated_amount": "999,999.99"},
     {("disbursements", 3, "amount", "over_allocated")}),
    ("projects", 0, {"allocated_date": "2020-06-01"},
     {("disbursements", 2, "paid_date", "before_allocated")}),
    ("disbursements", 2, {"project_id": "XM9"},
     {("disbursements", 4, "project_id", "unknown_project")}),
    ("disbursements", 0, {"amount": "-1"}, {("disbursements", 2, "amount", "not_positive")}),
    ("disbursements", 0, {"paid_date": "2020/5/32"},
     {("disbursements", 2, "paid_date", "no_such_date")}),
    ("loans", 0, {"due_date": "2020-03-20"}, {("loans", 2, "due_date", "not_after_col")}),
    ("loans", 1, {"extended_due_date": "2022-06-04"},
     {("loans", 3, "extended_due_date", "not_after_col")}),
    ("loans", 0, {"village_code": V2}, {("loans", 2, "village_code", "village_other_township")}),
    ("loans", 0, {"household_id": None}, {("loans", 2, "household_id", "required")}),
    ("loans", 0, {"principal": "9999.99"},
     {("repayments", 2, "principal_amount", "over_principal")}),
    ("loans", 0, {"loan_id": "DK2020-0002"},
     {("loans", 3, "loan_id", "duplicate"), ("repayments", 2, "loan_id", "unknown_loan")}),
    ("repayments", 0, {"paid_date": "2020-03-19"},
     {("repayments", 2, "paid_date", "before_issued")}),
    ("repayments", 1, {"loan_id": "DK9"}, {("repayments", 3, "loan_id", "unknown_loan")}),
    ("repayments", 1, {"principal_amount": "0"},
     {("repayments", 3, "principal_amount", "not_positive")}),
]


@pytest.mark.parametrize("ledger, idx, changes, expected", CASES,
                         ids=[f"{c[0]}-{'-'.join(c[2])}" for c in CASES])
def test_rule(engine, ledger, idx, changes, expected):
    before = dump(engine)
    res = import_files(engine, files_with(ledger, idx, changes), user="t")
    assert not res.accepted
    assert problem_tuples(res.problems) == expected
    for p in res.problems:
        assert p.message("zh") and p.message("en")
        assert p.column_label("zh")
    assert dump(engine) == before


def test_examples_import_cleanly(engine):
    res = import_files(engine, example_files(), user="t")
    assert res.accepted, format_report(res, "en")


def test_every_problem_of_an_import_is_reported(engine):
    towns = examples("townships")
    towns[0]["households"] = "many"
    villages = examples("villages")
    villages[1]["longitude"] = "999"
    issues = examples("issues")
    issues[0]["deadline"] = "2019-01-01"
    issues[1]["found_date"] = "someday"
    disb = examples("disbursements")
    disb[2]["amount"] = "900,000"
    res = import_files(engine, example_files(townships=towns, villages=villages, issues=issues,
                                             disbursements=disb), user="t")
    assert problem_tuples(res.problems) == {
        ("townships", 2, "households", "bad_int"),
        ("villages", 3, "longitude", "above_max"),
        ("issues", 2, "deadline", "before_col"),
        ("issues", 3, "found_date", "bad_date"),
        ("disbursements", 4, "amount", "over_allocated"),
    }
    frame = problems_frame(res.problems, "zh")
    assert list(frame.columns) == ["台账", "行", "列", "值", "原因"]
    assert list(frame["台账"]) == ["乡镇", "村", "问题", "问题", "拨付"]
    assert list(frame["行"]) == [2, 3, 2, 3, 4]
    assert list(frame["值"]) == ["many", "999", "2019-01-01", "someday", "900,000"]
    en = problems_frame(res.problems, "en")
    assert list(en.columns) == ["Ledger", "Row", "Column", "Value", "Reason"]
    # the columns' English labels, not their keys (the example files' headers)
    assert en["Column"].tolist() == ["Registered households", "Longitude", "Deadline", "Found",
                                     "Amount (yuan)"]
    report = format_report(res, "zh")
    assert "导入被拒绝" in report and "第 4 行" in report


def test_column_is_the_header_as_written(engine):
    data = csv_bytes(["乡镇代码", " Township_Name ", "建档立卡户数"], [["001", "甲", "-2"]])
    plan = plan_import(engine, [SourceFile("乡镇.csv", data)])
    [p] = plan.problems
    assert p.column == "建档立卡户数"
    data = csv_bytes(["乡镇代码", " Township_Name "], [["001", ""]])
    [p] = plan_import(engine, [SourceFile("乡镇.csv", data)]).problems
    assert (p.column, p.reason) == ("Township_Name", "required")


def test_missing_column_names_the_label_in_the_users_language(engine):
    data = csv_bytes(["乡镇代码"], [["001"]])
    [p] = plan_import(engine, [SourceFile("乡镇.csv", data)]).problems
    assert (p.row, p.reason) == (1, "missing_column")
    assert p.column_label("zh") == "乡镇名称" and p.column_label("en") == "Township"


def _base(engine):
    res = import_files(engine, example_files(), user="t")
    assert res.accepted, res.problems


# stored state: rules evaluated on the merged stored + imported set
STORED_CASES = [
    ("townships", [{"township_code": "103", "township_name": "示例镇"}],
     {("townships", 2, "township_name", "name_taken")}),
    ("projects", [dict(examples("projects")[0], allocated_amount="999999.99")],
     {("projects", 2, "allocated_amount", "stored_over_allocated")}),
    ("projects", [dict(examples("projects")[0], allocated_date="2020-06-01")],
     {("projects", 2, "allocated_date", "stored_before_allocated")}),
    ("loans", [dict(examples("loans")[0], principal="9999")],
     {("loans", 2, "principal", "stored_over_principal")}),
    ("loans", [dict(examples("loans")[0], issued_date="2021-04-01")],
     {("loans", 2, "issued_date", "stored_before_issued")}),
    ("villages", [dict(examples("villages")[0], township_code=T2)],
     {("villages", 2, "township_code", "village_in_use")}),
    ("phases", [{"phase_no": 4, "phase_name": "x", "start_date": "2020-12-31",
                 "end_date": "2021-01-31"}], {("phases", 2, "start_date", "phase_overlap")}),
    ("phases", [{"phase_no": 0, "phase_name": "x", "start_date": "2020-01-01",
                 "end_date": "2020-03-01"}], {("phases", 2, "phase_no", "below_min"),
                                              ("phases", 2, "end_date", "phase_overlap_next")}),
    ("issues", [dict(examples("issues")[1], village_code=V1)],
     {("issues", 2, "village_code", "village_other_township")}),
    ("repayments", [{"loan_id": "DK2020-0001", "paid_date": "2021-01-01",
                     "principal_amount": "50000.01"}],
     {("repayments", 2, "principal_amount", "over_principal")}),
]


@pytest.mark.parametrize("ledger, rows, expected", STORED_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(STORED_CASES)])
def test_rule_against_stored_rows(engine, ledger, rows, expected):
    from .helpers import ledger_csv

    _base(engine)
    before = dump(engine)
    res = import_files(engine, [ledger_csv(ledger, rows)], user="t")
    assert problem_tuples(res.problems) == expected
    assert dump(engine) == before


def test_village_move_with_its_records_is_accepted(engine):
    from .helpers import ledger_csv

    _base(engine)
    villages = [dict(examples("villages")[0], township_code=T2)]
    # every record naming the village moves with it (a household's checks all together)
    moved = {key: [dict(r, township_code=T2) for r in examples(key)
                   if r.get("village_code", r.get("target_code")) == V1]
             for key in ("issues", "loans", "monitored", "guarantees", "supervisions")}
    res = import_files(engine, [ledger_csv("villages", villages),
                                *(ledger_csv(k, rows) for k, rows in moved.items())], user="t")
    assert res.accepted, res.problems


def test_township_names_may_swap(engine):
    from .helpers import ledger_csv

    _base(engine)
    a, b = examples("townships")
    a["township_name"], b["township_name"] = b["township_name"], a["township_name"]
    res = import_files(engine, [ledger_csv("townships", [a, b])], user="t")
    assert res.accepted, res.problems
    assert res.changes["townships"]["changed"] == 2


def test_household_id_is_masked_in_problems(engine):
    from .helpers import ledger_csv

    _base(engine)
    secret = "5227011012019999" + "7" * 60
    loans = [dict(examples("loans")[0], household_id=secret)]
    res = import_files(engine, [ledger_csv("loans", loans)], user="t")
    [p] = res.problems
    assert (p.column_key, p.reason) == ("household_id", "too_long")
    assert p.value == "52****77"
    for lang in ("zh", "en"):
        assert "5227011012019999" not in format_report(res, lang)
        assert "5227011012019999" not in problems_frame(res.problems, lang).to_csv()
