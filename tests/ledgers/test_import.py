"""Import semantics: one transaction, upsert by id, replace per parent, idempotence, the log."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from duzhan.contract import LEDGERS
from duzhan.ledgers import SourceFile, format_report, import_files, plan_import
from duzhan.ledgers.template import write_template
from duzhan.store.models import Disbursement, ImportRecord, Project, Repayment, Village

from .helpers import dump, example_files, examples, ledger_content, ledger_csv, xlsx_bytes


def accepted(engine, files, user="t"):
    res = import_files(engine, files, user=user)
    assert res.accepted, format_report(res, "en")
    return res


def test_first_import_then_identical_import_changes_nothing(engine):
    res = accepted(engine, example_files())
    assert res.changes["townships"] == {"new": 2, "changed": 0, "unchanged": 0, "removed": 0}
    assert res.changes["disbursements"]["new"] == 3
    before = dump(engine)
    plan = plan_import(engine, example_files())
    assert plan.ok
    assert all(c["new"] == c["changed"] == c["removed"] == 0 for c in plan.changes.values())
    res2 = accepted(engine, example_files())
    assert all(c["new"] == c["changed"] == c["removed"] == 0 for c in res2.changes.values())
    assert {k: c["unchanged"] for k, c in res2.changes.items()} == res.rows
    after = dump(engine)
    after["import_lock"] = before["import_lock"]  # bumped by every import, nothing else
    assert after == before


def test_money_is_stored_as_fen_and_values_as_typed(engine):
    accepted(engine, example_files())
    with engine.connect() as conn:
        fen = conn.execute(select(Disbursement.amount_fen).where(
            Disbursement.project_id == "XM2020-002")).scalar_one()
        lon = conn.execute(select(Village.longitude).where(
            Village.village_code == "522701101201")).scalar_one()
    assert fen == 32000050
    assert lon == pytest.approx(107.512345, abs=1e-9)


def test_upsert_updates_changed_rows_only(engine):
    accepted(engine, example_files())
    projects = examples("projects")
    projects[1]["project_name"] = "样板村食用菌基地（二期）"
    projects.append(dict(projects[0], project_id="XM2020-003", project_name="新项目"))
    plan = plan_import(engine, [ledger_csv("projects", projects)])
    assert plan.changes["projects"] == {"new": 1, "changed": 1, "unchanged": 1, "removed": 0}
    res = accepted(engine, [ledger_csv("projects", projects)])
    assert res.changes == plan.changes
    with engine.connect() as conn:
        names = dict(conn.execute(select(Project.project_id, Project.project_name)).all())
    assert names == {"XM2020-001": "示例村产业路硬化", "XM2020-002": "样板村食用菌基地（二期）",
                     "XM2020-003": "新项目"}


def test_disbursements_of_a_project_replace_its_stored_rows(engine):
    accepted(engine, example_files())
    with engine.connect() as conn:
        kept_id = conn.execute(select(Disbursement.id).where(
            Disbursement.project_id == "XM2020-002")).scalar_one()
    rows = [{"project_id": "XM2020-001", "paid_date": "2020-05-10", "amount": "600000"},
            {"project_id": "XM2020-001", "paid_date": "2020-12-01", "amount": "100000"},
            {"project_id": "XM2020-001", "paid_date": "2020-12-02", "amount": "100000"}]
    res = accepted(engine, [ledger_csv("disbursements", rows)])
    assert res.changes["disbursements"] == {"new": 2, "changed": 0, "unchanged": 1, "removed": 1}
    with engine.connect() as conn:
        got = conn.execute(select(Disbursement.id, Disbursement.project_id,
                                  Disbursement.paid_date, Disbursement.amount_fen)
                           .order_by(Disbursement.project_id, Disbursement.paid_date)).all()
    assert [(p, str(d), f) for _, p, d, f in got] == [
        ("XM2020-001", "2020-05-10", 60000000), ("XM2020-001", "2020-12-01", 10000000),
        ("XM2020-001", "2020-12-02", 10000000), ("XM2020-002", "2020-06-01", 32000050)]
    assert got[-1][0] == kept_id  # other projects' rows untouched
    # the same file again: nothing changes
    again = accepted(engine, [ledger_csv("disbursements", rows)])
    assert again.changes["disbursements"] == {"new": 0, "changed": 0, "unchanged": 3,
                                              "removed": 0}


def test_repayments_replace_and_duplicates_are_kept(engine):
    accepted(engine, example_files())
    rows = [{"loan_id": "DK2020-0001", "paid_date": "2021-03-20", "principal_amount": "5000"},
            {"loan_id": "DK2020-0001", "paid_date": "2021-03-20", "principal_amount": "5000"}]
    res = accepted(engine, [ledger_csv("repayments", rows)])
    assert res.changes["repayments"] == {"new": 2, "changed": 0, "unchanged": 0, "removed": 1}
    with engine.connect() as conn:
        n = conn.execute(select(Repayment.principal_amount_fen).where(
            Repayment.loan_id == "DK2020-0001")).scalars().all()
    assert n == [500000, 500000]
    assert accepted(engine, [ledger_csv("repayments", rows)]).changes["repayments"][
        "unchanged"] == 2


def test_references_to_stored_rows(engine):
    accepted(engine, example_files("townships", "villages", "phases", "projects", "loans"))
    res = accepted(engine, example_files("tasks", "issues", "disbursements", "repayments"))
    assert res.rows == {"tasks": 2, "issues": 2, "disbursements": 3, "repayments": 2}


def test_sums_are_checked_after_the_import(engine):
    accepted(engine, example_files())
    # a smaller allocation with new disbursements that fit it: accepted
    projects = [dict(examples("projects")[0], allocated_amount="500000")]
    disb = [{"project_id": "XM2020-001", "paid_date": "2020-05-10", "amount": "500000"}]
    accepted(engine, [ledger_csv("projects", projects), ledger_csv("disbursements", disb)])
    # a larger total than the stored allocation: refused
    disb.append({"project_id": "XM2020-001", "paid_date": "2020-05-11", "amount": "0.01"})
    res = import_files(engine, [ledger_csv("disbursements", disb)], user="t")
    [p] = res.problems
    assert (p.row, p.reason, p.params["total"], p.params["limit"]) == (
        3, "over_allocated", "500,000.01", "500,000.00")
    # a larger allocation in the same import makes it fit
    projects[0]["allocated_amount"] = "500000.01"
    accepted(engine, [ledger_csv("projects", projects), ledger_csv("disbursements", disb)])


def test_refused_import_leaves_every_table_unchanged(engine):
    accepted(engine, example_files())
    before = dump(engine)
    towns = examples("townships") + [{"township_code": "103", "township_name": "新乡"}]
    projects = examples("projects")
    projects[0]["project_name"] = "改名"
    disb = examples("disbursements")[:1]
    loans = examples("loans")
    loans[1]["bank"] = "另一家银行"
    repay = [{"loan_id": "DK2020-0001", "paid_date": "2019-01-01", "principal_amount": "1"}]
    res = import_files(engine, [ledger_csv("townships", towns), ledger_csv("projects", projects),
                                ledger_csv("disbursements", disb), ledger_csv("loans", loans),
                                ledger_csv("repayments", repay)], user="t")
    assert not res.accepted and res.changes == {}
    assert [p.reason for p in res.problems] == ["before_issued"]
    assert dump(engine) == before
    with Session(engine) as session:
        rec = session.scalars(select(ImportRecord).order_by(ImportRecord.id.desc())).first()
        assert (rec.outcome, rec.problems, rec.user) == ("refused", 1, "t")
        assert rec.rows["townships"] == 3 and rec.changes == {}


def test_every_import_is_recorded(engine):
    files = example_files()
    res = accepted(engine, files, user="张三")
    bad = import_files(engine, [SourceFile("x.txt", b"?")], user="李四")
    assert not bad.accepted
    with Session(engine) as session:
        recs = session.scalars(select(ImportRecord).order_by(ImportRecord.id)).all()
    assert [r.id for r in recs] == [res.import_id, bad.import_id]
    first = recs[0]
    assert first.user == "张三" and first.outcome == "accepted" and first.problems == 0
    assert first.files == [{"name": f.name, "sha256": f.sha256} for f in files]
    assert first.rows == res.rows and first.changes == res.changes
    assert first.started_at <= first.finished_at
    assert recs[1].outcome == "refused" and recs[1].files[0]["name"] == "x.txt"


def test_plan_writes_nothing(engine):
    before = dump(engine)
    plan = plan_import(engine, example_files())
    assert plan.ok and plan.changes["loans"]["new"] == 2
    assert dump(engine) == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM imports")).scalar_one() == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_with_examples_uploaded_as_downloaded_imports_nothing(engine, tmp_path, lang):
    """The examples live on the explanation sheet only: the ledger sheets hold their header,
    so the template as downloaded is refused as an import of nothing."""
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    write_template(path, lang=lang, examples=True)
    wb = load_workbook(path)
    assert all(wb[name].max_row == 1 for name in wb.sheetnames[1:])
    res = import_files(engine, [SourceFile.from_path(path)], user="t", lang=lang)
    assert not res.accepted and [p.reason for p in res.problems] == ["no_rows"]
    assert len(res.rows) == len(LEDGERS) and sum(res.rows.values()) == 0
    assert all(not rows for rows in ledger_content(engine).values())
    assert res.consequences == []


def _examples_copied_into_sheets(src, dst, lang: str) -> None:
    """What a user might do: copy each example block of the explanation sheet into its sheet."""
    from openpyxl import load_workbook

    from duzhan.contract import LEDGER_ORDER
    from duzhan.i18n import t

    wb = load_workbook(src)
    readme = list(wb.worksheets[0].iter_rows(values_only=True))
    for key in LEDGER_ORDER:
        sheet = LEDGERS[key].zh if lang == "zh" else key
        title = t("import.template.examples_ledger", lang, sheet=sheet)
        at = next(i for i, r in enumerate(readme) if r[0] == title)
        n = len(examples(key))
        assert list(readme[at + 1][:len(LEDGERS[key].columns)]) == [
            c.value for c in wb[sheet][1]]  # the block's header is the sheet's
        for r in readme[at + 2:at + 2 + n]:
            wb[sheet].append(list(r[:len(LEDGERS[key].columns)]))
    wb.save(dst)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_examples_copied_into_the_sheets_need_a_second_confirmation(engine, tmp_path,
                                                                            lang):
    from duzhan.contract import LEDGER_ORDER

    src, copied = tmp_path / "t.xlsx", tmp_path / "copied.xlsx"
    write_template(src, lang=lang, examples=True)
    _examples_copied_into_sheets(src, copied, lang)
    before = dump(engine)
    res = import_files(engine, [SourceFile.from_path(copied)], user="t", confirmed=False)
    assert not res.accepted
    assert [p.reason for p in res.problems] == ["unconfirmed_consequences"]
    assert [(c.ledger, c.reason, c.params["n"]) for c in res.consequences] == [
        (k, "example_rows", len(examples(k))) for k in LEDGER_ORDER]
    assert dump(engine)["townships"] == before["townships"] == []
    res = accepted_confirmed = import_files(engine, [SourceFile.from_path(copied)], user="t")
    assert accepted_confirmed.accepted, format_report(res, "en")
    # the examples are exactly the rows of the CSV examples
    assert ledger_content(engine) == _content_of_examples(tmp_path)


def _content_of_examples(tmp_path):
    from duzhan.store.db import make_engine, upgrade

    other = make_engine(f"sqlite:///{tmp_path}/examples.db")
    upgrade(other)
    accepted(other, example_files())
    return ledger_content(other)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_blank_template_imports_zero_rows(engine, tmp_path, lang):
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    write_template(path, lang=lang)
    before = ledger_content(engine)
    res = import_files(engine, [SourceFile.from_path(path)], user="t", lang=lang)
    # an import that holds no row at all changes nothing: refused, not "accepted"
    assert not res.accepted and [p.reason for p in res.problems] == ["no_rows"]
    assert len(res.rows) == len(LEDGERS) and sum(res.rows.values()) == 0
    assert ledger_content(engine) == before
    wb = load_workbook(path)
    names = wb.sheetnames
    assert names[0] == ("说明" if lang == "zh" else "README")
    ws = wb["项目" if lang == "zh" else "projects"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.b
    assert ws["A1"].value == ("项目编号" if lang == "zh" else "project_id")
    assert ws.column_dimensions["A"].number_format == "@"
    readme = [r for r in wb[names[0]].iter_rows(values_only=True)]
    keys = {r[1] for r in readme}
    assert {"household_id", "allocated_amount", "phase_no"} <= keys


def test_concurrent_imports_serialise(engine, tmp_path):
    """Two imports at once both finish; the store equals one of the two serial orders."""
    accepted(engine, example_files("townships", "villages", "phases"))
    a = [ledger_csv("townships", [{"township_code": "522701101", "township_name": "甲名"},
                                  {"township_code": "201", "township_name": "甲新乡"}]),
         ledger_csv("projects", examples("projects"))]
    b = [ledger_csv("townships", [{"township_code": "522701101", "township_name": "乙名"},
                                  {"township_code": "202", "township_name": "乙新乡"}]),
         ledger_csv("loans", examples("loans"))]
    start = threading.Barrier(2)
    results = {}

    def run(name, files):
        start.wait()
        results[name] = import_files(engine, files, user=name)

    threads = [threading.Thread(target=run, args=("a", a)),
               threading.Thread(target=run, args=("b", b))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert all(r.accepted for r in results.values()), results
    got = ledger_content(engine)

    def serial(order):
        from duzhan.store.db import make_engine, upgrade

        eng = make_engine(f"sqlite:///{tmp_path}/serial-{order}.db")
        upgrade(eng)
        accepted(eng, example_files("townships", "villages", "phases"))
        for name in order:
            accepted(eng, {"a": a, "b": b}[name])
        return ledger_content(eng)

    assert got in (serial("ab"), serial("ba"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT imports FROM import_lock")).scalar_one() == 3


def test_garbage_file_is_reported_not_raised(engine):
    res = import_files(engine, [SourceFile("book.xlsx", xlsx_bytes({"说明": [["x"]]}))], user="t")
    assert [p.reason for p in res.problems] == ["no_ledger_sheets"]
    res = import_files(engine, [], user="t")
    assert [p.reason for p in res.problems] == ["no_files"]
    assert "no files" in format_report(res, "en")


def test_missing_lock_row_is_recreated(engine):
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM import_lock"))
    accepted(engine, example_files("townships"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id, imports FROM import_lock")).all() == [(1, 1)]


def test_absent_optional_columns_are_empty(engine):
    """A file without an optional column: bool columns false, others empty (and warned)."""
    from .helpers import csv_bytes

    accepted(engine, example_files("townships", "villages"))
    data = csv_bytes(["村代码", "村名称", "乡镇代码"], [["522701101201", "示例村", "522701101"],
                                                  ["522701101299", "新村", "522701101"]])
    res = accepted(engine, [SourceFile("村.csv", data)])
    assert [w.reason for w in res.warnings] == ["absent_columns"]
    assert res.changes["villages"] == {"new": 1, "changed": 1, "unchanged": 0, "removed": 0}
    with engine.connect() as conn:
        rows = conn.execute(select(Village.village_code, Village.listed, Village.longitude)
                            .where(Village.village_code.in_(["522701101201", "522701101299"]))
                            .order_by(Village.village_code)).all()
    assert [tuple(r) for r in rows] == [("522701101201", False, None),
                                        ("522701101299", False, None)]


def test_store_error_during_write_is_a_problem_and_rolls_back(engine, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from duzhan.ledgers import importer

    accepted(engine, example_files("townships"))
    before = dump(engine)
    real_write = importer._write

    def failing(conn, wp):
        real_write(conn, wp)  # writes, then the store refuses
        raise IntegrityError("INSERT …", {}, Exception("boom"))

    monkeypatch.setattr(importer, "_write", failing)
    res = import_files(engine, example_files("villages"), user="t")
    assert not res.accepted and [p.reason for p in res.problems] == ["store_error"]
    assert "boom" in res.problems[0].message("en")
    assert dump(engine) == before
