"""The `duzhan` command end to end: hand-written CSV ledgers in, the contract's JSON out."""
from __future__ import annotations

import json
import zipfile

import pytest

from duzhan.cli import main

LEDGERS = {
    "乡镇.csv": "乡镇代码,乡镇名称,片区,建档立卡户数\n001,甲镇,东片,100\n002,乙乡,西片,80\n003,丙乡,西片,0\n",
    "村.csv": "村代码,村名称,乡镇代码,是否挂牌督战,经度,纬度\n00101,一村,001,是,107.1,26.5\n00201,二村,002,否,,\n",
    "phases.csv": "phase_no,phase_name,start_date,end_date\n1,排查,2024-03-01,2024-04-30\n"
                  "2,整改,2024-05-01,2024-06-30\n",
    "tasks.csv": "task_id,phase_no,township_code,task_name,due_date,done_date\n"
                 "T1,2,001,建账,2024-06-01,2024-05-20\nT2,2,001,销号,2024-06-10,\nT3,2,,全县核查,2024-06-20,\n",
    "问题.csv": "问题编号,乡镇代码,村代码,问题来源,问题类别,责任单位,发现日期,整改时限,销号日期\n"
               "I1,001,00101,审计,住房安全,县住建局,2024-05-01,2024-06-29,\n"
               "I2,001,,巡视巡察,饮水安全,县水利局,2024-05-02,2024-06-30,\n"
               "I3,001,,审计,义务教育,县教育局,2024-05-03,2024-06-15,2024-06-10\n"
               "I4,002,,成效考核,基本医疗,县卫健局,2024/5/4,2024年7月1日,2024.6.2\n",
    "projects.csv": "project_id,project_name,township_code,funding_source,category,allocated_amount,allocated_date\n"
                    "P1,产业园,001,中央财政专项,产业发展,\"1,000,000.00\",2024-01-10\n"
                    "P2,道路,002,县级财政,基础设施,200000,2024-06-01\n",
    "disbursements.csv": "project_id,paid_date,amount\nP1,2024-02-01,300000\n"
                         "P1,2024-06-30,100000.50\nP2,2024-07-01,5000\n",
    "小额信贷.csv": "贷款编号,户编号,乡镇代码,村代码,贷款金额(元),放款日期,到期日期,展期到期日期,放款银行\n"
                  "L1,H0001,001,,50000,2023-01-01,2024-05-31,,农商银行\n"
                  "L2,H0002,001,,30000,2023-01-01,2024-05-31,2024-12-31,农商银行\n"
                  "L3,H0003,002,,20000,2023-06-01,2024-07-15,,邮储银行\n",
    "还款.csv": "贷款编号,还款日期,还本金额(元)\nL1,2024-03-01,10000\nL3,2024-07-01,20000\n",
}


@pytest.fixture
def ledger_dir(tmp_path):
    for name, text in LEDGERS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_import_then_metrics_json(capsys, ledger_dir, engine_url, backend):
    url = engine_url(backend)
    code, _, err = run(capsys, "import", *sorted(str(p) for p in ledger_dir.iterdir()), "--db", url)
    assert code == 0, err
    code, out, err = run(capsys, "metrics", "--as-of", "2024-06-30", "--format", "json", "--db", url)
    assert code == 0, err
    rep = json.loads(out)
    assert rep["as_of"] == "2024-06-30"
    c = rep["county"]
    # issues: 4 found; I3 (06-10) and I4 (06-02) closed → 2 open (I1, I2);
    # I1 deadline 06-29 < D → overdue; I2 deadline = D → not yet overdue
    assert c["issues"]["found"] == 4 and c["issues"]["closed"] == 2 and c["issues"]["open"] == 2
    assert c["issues"]["closure_rate"] == 0.5
    assert c["issues"]["overdue_open"] == 1
    # closures in [06-03, 06-30]: I3 only (I4 closed 06-02 = D−28) → 1; forecast D + ceil(2×28/1) = D+56
    assert c["issues"]["closed_last_28d"] == 1
    assert c["issues"]["forecast_clear_date"] == "2024-08-25"
    assert c["issues"]["clearance_target"] == "2024-06-30"
    # funds: P1 1,000,000.00 + P2 200,000 allocated by D; paid 300,000 + 100,000.50 (P2's is after D)
    assert c["funds"]["allocated"] == 1200000.0
    assert c["funds"]["disbursed"] == 400000.5
    assert c["funds"]["disbursement_rate"] == round(400000.5 / 1200000, 6)
    assert c["funds"]["time_progress"] == round(182 / 366, 6)
    # P1 allocated 2024-01-10 ≤ D−90 and 40% paid → stalled; P2 allocated 06-01 is too recent
    assert c["funds"]["stalled_projects"] == 1
    # loans: L1 40,000 outstanding, due 05-31 → dpd 30; L2 30,000 extended to 12-31 → current;
    # L3 20,000 outstanding (its repayment is after D), due 07-15 → due within 30 days
    loans = c["loans"]
    assert loans["active_loans"] == 3 and loans["balance"] == 90000.0
    assert loans["overdue_loans"] == 1 and loans["overdue_balance"] == 40000.0
    assert loans["overdue_rate"] == round(40000 / 90000, 6)
    assert loans["par30"] == 0.0  # dpd 30 is not > 30
    assert loans["due_30d_loans"] == 1 and loans["due_30d_balance"] == 20000.0
    assert loans["extended_loans"] == 1
    assert loans["buckets"]["1-30"] == {"loans": 1, "balance": 40000.0}
    # phases: D = 06-30 lies in phase 2; county counts T3 (county-wide): 3 tasks, 1 done
    assert c["phases"]["current_phase"] == 2
    p2 = c["phases"]["by_phase"][1]
    assert (p2["tasks_total"], p2["tasks_done"], p2["tasks_overdue"]) == (3, 1, 2)
    assert p2["expected"] == 1.0
    assert c["status"] == "red"
    # townships in code order, every one listed, 003 with no rows at all
    assert [t["township_code"] for t in rep["townships"]] == ["001", "002", "003"]
    t1, t2, t3 = rep["townships"]
    assert t1["township_name"] == "甲镇"
    assert t1["phases"]["by_phase"][1]["tasks_total"] == 2  # county-wide T3 not counted
    assert t3["issues"]["found"] == 0 and t3["issues"]["closure_rate"] is None
    assert t3["funds"]["disbursement_rate"] is None and t3["loans"]["overdue_rate"] is None
    assert t3["status"] == "green" and t3["status_reasons"] == []
    assert t1["status"] == "red" and t1["status_reasons"]


def test_township_filter_and_table(capsys, ledger_dir, engine_url):
    url = engine_url("sqlite")
    assert run(capsys, "import", *map(str, ledger_dir.iterdir()), "--db", url)[0] == 0
    code, out, _ = run(capsys, "metrics", "--as-of", "2024-06-30", "--township", "002",
                       "--format", "json", "--db", url)
    rep = json.loads(out)
    assert [t["township_code"] for t in rep["townships"]] == ["002"]
    assert rep["county"]["issues"]["found"] == 4  # the county is always all rows
    code, out, _ = run(capsys, "metrics", "--as-of", "2024-06-30", "--format", "table", "--db", url)
    assert code == 0 and "乙乡" in out
    code, _, err = run(capsys, "metrics", "--township", "999", "--db", url)
    assert code == 2 and "999" in err


def test_refused_import_names_rows_and_writes_nothing(capsys, ledger_dir, tmp_path, engine_url):
    url = engine_url("sqlite")
    assert run(capsys, "import", *map(str, ledger_dir.iterdir()), "--db", url)[0] == 0
    before = run(capsys, "metrics", "--as-of", "2024-06-30", "--db", url)[1]
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "issues.csv").write_text(
        "issue_id,township_code,source,category,department,found_date,deadline\n"
        "I9,001,审计,住房安全,县住建局,2024-06-01,2024-05-01\n"  # deadline before found
        "I10,999,审计,住房安全,县住建局,2024-06-01,2024-07-01\n",  # unknown township
        encoding="utf-8")
    with zipfile.ZipFile(bad / "ledgers.zip", "w") as z:
        z.write(bad / "issues.csv", "issues.csv")
    code, _, err = run(capsys, "import", str(bad / "ledgers.zip"), "--db", url, "--lang", "en")
    assert code == 1
    assert "2" in err and "3" in err and "deadline" in err.lower()
    assert run(capsys, "metrics", "--as-of", "2024-06-30", "--db", url)[1] == before


def test_template_round_trip(capsys, tmp_path, engine_url):
    url = engine_url("sqlite")
    out = tmp_path / "t.xlsx"
    assert run(capsys, "template", "--out", str(out))[0] == 0
    # the blank template holds headers only: an import of nothing is refused, not "accepted"
    code, _, err = run(capsys, "import", str(out), "--db", url, "--lang", "en")
    assert code == 1, err
    assert "no data rows" in err and "nothing was imported" in err
    from duzhan.store.db import make_engine
    from duzhan.store.read import ledger_counts

    engine = make_engine(url)
    assert set(ledger_counts(engine).values()) == {0}
    engine.dispose()


def test_missing_file_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "import", str(tmp_path / "nope.xlsx"), "--db", f"sqlite:///{tmp_path}/x.db")
    assert code == 2 and "nope.xlsx" in err


def test_default_as_of_is_the_last_day_in_old_ledgers(capsys, ledger_dir, engine_url):
    # the latest event in LEDGERS: P2's disbursement and L3's repayment on 2024-07-01
    url = engine_url("sqlite")
    assert run(capsys, "import", *map(str, ledger_dir.iterdir()), "--db", url)[0] == 0
    code, out, _ = run(capsys, "metrics", "--db", url)
    assert code == 0 and json.loads(out)["as_of"] == "2024-07-01"


# --- the import report: every problem in --report, nothing personal or raw ---------------


def _bad_issues(tmp_path, n: int) -> str:
    rows = "".join(f"X{i},999,审计,住房安全,县住建局,2024-06-01,2024-07-01\n" for i in range(n))
    path = tmp_path / "issues.csv"
    path.write_text("issue_id,township_code,source,category,department,found_date,deadline\n"
                    + rows, encoding="utf-8")
    return str(path)


def test_report_writes_every_problem_and_says_so(capsys, ledger_dir, tmp_path, engine_url):
    from openpyxl import load_workbook

    url = engine_url("sqlite")
    assert run(capsys, "import", *map(str, ledger_dir.iterdir()), "--db", url)[0] == 0
    bad = _bad_issues(tmp_path, 250)  # 250 unknown townships
    code, _, err = run(capsys, "import", bad, "--db", url)
    assert code == 1
    assert err.count("乡镇代码不存在") == 200  # the terminal lists 200 ...
    assert "另有 50 个问题未列出" in err and "--report" in err  # ... and says how to get all
    report = tmp_path / "问题清单.xlsx"
    code, _, err = run(capsys, "import", bad, "--db", url, "--report", str(report),
                       "--lang", "en")
    assert code == 1
    assert f"50 more are not; all of them are in {report}" in err
    assert f"the problem list (250 problems) is in {report}" in err
    ws = load_workbook(report).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Ledger", "Row", "Column", "Value", "Reason")
    assert len(rows) == 251
    assert sorted(r[1] for r in rows[1:]) == list(range(2, 252))  # every row named
    assert {r[3] for r in rows[1:]} == {"999"}


def test_report_path_must_be_an_xlsx_in_a_folder(capsys, ledger_dir, tmp_path, engine_url):
    url = engine_url("sqlite")
    for path in (tmp_path / "r.csv", tmp_path / "no-such-folder" / "r.xlsx"):
        code, _, err = run(capsys, "import", _bad_issues(tmp_path, 1), "--db", url,
                           "--report", str(path))
        assert code == 2 and str(path) in err
    from duzhan.store.db import make_engine, upgrade
    from duzhan.store.read import import_history

    engine = make_engine(url)
    upgrade(engine)
    assert import_history(engine) == []  # refused before importing anything
    engine.dispose()


def test_headerless_loans_and_control_characters_never_reach_the_terminal(
        capsys, ledger_dir, tmp_path, engine_url):
    from openpyxl import load_workbook

    url = engine_url("sqlite")
    assert run(capsys, "import", *map(str, ledger_dir.iterdir()), "--db", url)[0] == 0
    loans = tmp_path / "loans.csv"  # no header row; the first line is a loan
    loans.write_text("L9,H4444,001,,50000,2023-01-01,2024-05-31,,农商银行\n"
                     "L8,5227011012019999,001,,50000,2023-01-01,2024-05-31,,银行\x1b[2J\n",
                     encoding="utf-8")
    report = tmp_path / "r.xlsx"
    code, out, err = run(capsys, "import", str(loans), "--db", url, "--report", str(report))
    assert code == 1
    ws = load_workbook(report).active
    in_file = " ".join(str(c) for r in ws.iter_rows(values_only=True) for c in r if c)
    for shown in (out + err, in_file):
        assert "H4444" not in shown and "5227011012019999" not in shown
        assert "\x1b" not in shown


def test_metrics_and_brief_say_what_a_stored_bad_date_leaves_out(capsys, ledger_dir, tmp_path,
                                                                 engine_url):
    from sqlalchemy import text

    from duzhan.store.db import make_engine

    url = engine_url("sqlite")
    assert run(capsys, "import", *map(str, ledger_dir.iterdir()), "--db", url)[0] == 0
    engine = make_engine(url)
    with engine.begin() as conn:  # written around the importer
        conn.execute(text("UPDATE loans SET due_date = '2300-01-09' WHERE loan_id = 'L1'"))
    engine.dispose()
    code, out, err = run(capsys, "metrics", "--as-of", "2024-06-30", "--db", url)
    assert code == 0, err
    assert json.loads(out)["as_of"] == "2024-06-30"
    assert "1990-01-01 至 2100-12-31" in err and "小额信贷 1 行、还款 1 行" in err
    code, _, err = run(capsys, "brief", "--as-of", "2024-06-30", "--db", url, "--lang", "en",
                       "--out", str(tmp_path / "b.pdf"))
    assert code == 0, err
    assert "left out of every figure: micro-loans: 1, repayments: 1." in err
    assert (tmp_path / "b.pdf").stat().st_size > 0


def test_metrics_by_county_in_a_store_of_two(capsys, ledger_dir, engine_url):
    """Two counties (甲县: 001, 002; 乙县: 003) and a county-wide task of 乙县: --county
    limits the scope, the whole store lists its counties; unknown codes are refused."""
    (ledger_dir / "乡镇.csv").write_text(
        "乡镇代码,乡镇名称,片区,建档立卡户数,县代码,县名称\n001,甲镇,东片,100,5201,甲县\n"
        "002,乙乡,西片,80,5201,甲县\n003,丙乡,西片,0,5202,乙县\n", encoding="utf-8")
    (ledger_dir / "tasks.csv").write_text(
        "task_id,phase_no,township_code,county_code,task_name,due_date,done_date\n"
        "T1,2,001,,建账,2024-06-01,2024-05-20\nT2,2,001,,销号,2024-06-10,\n"
        "T3,2,,,全部核查,2024-06-20,\nT4,2,,5202,乙县核查,2024-06-20,2024-06-01\n",
        encoding="utf-8")
    url = engine_url("sqlite")
    code, _, err = run(capsys, "import", *map(str, ledger_dir.iterdir()), "--db", url)
    assert code == 0, err

    code, out, err = run(capsys, "metrics", "--as-of", "2024-06-30", "--db", url)
    assert code == 0, err
    rep = json.loads(out)
    assert [(c["county_code"], c["county_name"]) for c in rep["counties"]] == \
        [("5201", "甲县"), ("5202", "乙县")]
    first, second = rep["counties"]
    assert first["issues"]["found"] == 4 and second["issues"]["found"] == 0
    # tasks of phase 2: the store has all 4; 甲县 its 2 (T1, T2); 乙县 its own county-wide T4
    by_phase = [[p["tasks_total"] for p in c["phases"]["by_phase"]]
                for c in (rep["county"], first, second)]
    assert by_phase == [[0, 4], [0, 2], [0, 1]]
    assert second["status"] == "green" and second["status_reasons"] == []

    code, out, err = run(capsys, "metrics", "--as-of", "2024-06-30", "--county", "5202",
                         "--db", url)
    assert code == 0, err
    rep = json.loads(out)
    assert [t["township_code"] for t in rep["townships"]] == ["003"]
    assert rep["county"]["phases"]["by_phase"][1]["tasks_total"] == 1
    assert [c["county_code"] for c in rep["counties"]] == ["5202"]
    code, out, _ = run(capsys, "metrics", "--as-of", "2024-06-30", "--county", "5202",
                       "--format", "table", "--db", url)
    assert code == 0 and out.splitlines()[2].startswith("5202 乙县")

    code, _, err = run(capsys, "metrics", "--county", "9999", "--db", url)
    assert code == 2 and "9999" in err and "5201" in err
    code, _, err = run(capsys, "metrics", "--county", "5202", "--township", "001",
                       "--db", url)
    assert code == 2 and "001" in err


def test_metrics_without_counties_has_no_counties_list(capsys, ledger_dir, engine_url):
    url = engine_url("sqlite")
    assert run(capsys, "import", *map(str, ledger_dir.iterdir()), "--db", url)[0] == 0
    rep = json.loads(run(capsys, "metrics", "--as-of", "2024-06-30", "--db", url)[1])
    assert "counties" not in rep
    code, _, err = run(capsys, "metrics", "--county", "5201", "--db", url)
    assert code == 2 and "5201" in err
