"""数据管理 page, driven from app.py: upload → preview → confirm, problems, history, freshness.

Every test that may write works on its own copy of the demo store, so the session's demo DB
(which the other page tests read) stays as it is. Files go in through the real
`st.file_uploader` (AppTest in streamlit 1.67 can set its files).
"""
from __future__ import annotations

import datetime as dt
import io
import sqlite3

import pytest
import streamlit as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from duzhan import clock
from duzhan.contract import LEDGERS
from duzhan.ledgers.problems import Problem
from duzhan.metrics.report import metrics_report
from duzhan.store import figures
from duzhan.store.db import make_engine
from duzhan.store.lookup import last_event_date
from duzhan.store.models import LEDGER_MODELS, ImportRecord
from duzhan.store.read import DataScope, load_ledgers

from .conftest import app_test, open_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISSUE_HEADERS = ["问题编号", "乡镇代码", "村代码", "问题来源", "问题类别", "责任单位",
                 "发现日期", "整改时限", "销号日期", "问题描述"]


@pytest.fixture
def store_url(pristine_demo_db_url, tmp_path):
    """A private copy of the demo store."""
    src = sqlite3.connect(pristine_demo_db_url.removeprefix("sqlite:///"))
    dst_path = tmp_path / "duzhan-copy.db"
    dst = sqlite3.connect(dst_path)
    try:
        src.backup(dst)  # consistent even while the session's engine holds a WAL open
    finally:
        dst.close()
        src.close()
    return f"sqlite:///{dst_path}"


@pytest.fixture
def engine(store_url):
    eng = make_engine(store_url)
    yield eng
    eng.dispose()


@pytest.fixture
def page(store_url, monkeypatch):
    """The app on this test's own copy of the demo store (imports change it)."""
    with app_test(store_url, monkeypatch) as at:
        yield at


# --- helpers ---------------------------------------------------------------------------


def dump(engine) -> dict[str, list[tuple]]:
    """Every row of every ledger table, in a stable order."""
    out = {}
    with engine.connect() as conn:
        for name, model in LEDGER_MODELS.items():
            table = model.__table__
            out[name] = sorted(tuple(r) for r in conn.execute(select(table)).all())
    return out


def n_imports(engine) -> int:
    with engine.connect() as conn:
        return len(conn.execute(select(ImportRecord.id)).all())


def county_figures(engine) -> dict:
    ledgers = load_ledgers(engine, DataScope())
    return metrics_report(ledgers, clock.today())["county"]


def a_township(engine) -> str:
    with engine.connect() as conn:
        return conn.execute(select(LEDGER_MODELS["townships"].township_code)).scalars().first()


def workbook(rows: list[list], sheet: str = "问题", headers=ISSUE_HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def good_issues(town: str) -> list[list]:
    today = clock.today()  # the pages' today (pinned), so the overview counts them
    found = today - dt.timedelta(days=14)
    return [
        [f"TEST-{i}", town, None, "督查暗访", "饮水安全", "县水务局", found,
         today + dt.timedelta(days=60), None, "测试导入"]
        for i in range(1, 4)
    ]


def upload(at: AppTest, name: str, data: bytes, mime: str = XLSX) -> AppTest:
    at.file_uploader[0].set_value((name, data, mime))
    at.run()
    assert not at.exception, at.exception
    return at


def frame_with(at: AppTest, column: str):
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with column {column!r}")


def confirm_button(at: AppTest):
    return at.button(key="data_confirm")


def problem_list(downloads_made: dict[str, dict]) -> bytes:
    """The problem list's Excel, made as a click on its button makes it (on the click)."""
    from duzhan.i18n import t

    made, = (d for d in downloads_made.values()
             if d["file_name"] == t("data.problems.file_name", "zh"))
    return made["data"]()


def overview_cards(at: AppTest) -> dict[str, str]:
    at.switch_page("pages/overview_page.py")
    at.run()
    assert not at.exception, at.exception
    cards = {m.label: m.value for m in at.metric}
    at.switch_page("pages/data_page.py")
    at.run()
    assert not at.exception, at.exception
    return cards


# --- tests -----------------------------------------------------------------------------


def test_page_shows_upload_template_freshness_and_history(page, engine):
    at = open_page(page, "data")
    assert len(at.file_uploader) == 1
    up = at.file_uploader[0]
    assert up.accept_multiple_files
    assert sorted(up.allowed_type) == [".csv", ".xlsx", ".zip"]
    limit = st.get_option("server.maxUploadSize")
    assert any(f"{limit} MB" in c.value for c in at.caption)
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("模板" in label for label in labels)
    fresh = frame_with(at, "当前存储行数")
    assert list(fresh["台账"]) == ["乡镇", "村", "阶段", "任务", "问题", "项目", "拨付",
                                   "小额信贷", "还款", "安置点", "入住核查", "督导", "月报",
                                   "监测对象", "三保障核查"]
    assert list(fresh["当前存储行数"]) == [len(rows) for rows in dump(engine).values()]
    assert (fresh["当前存储行数"][:9] > 0).all()  # the demo county's first nine ledgers
    history = frame_with(at, "文件 SHA-256")
    assert list(history["导入人"]) == ["demo"]
    assert list(history["结果"]) == ["已导入"]
    assert history["文件 SHA-256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert confirm_button_absent(at)


def confirm_button_absent(at: AppTest) -> bool:
    return not any(b.key == "data_confirm" for b in at.button)


def test_template_download_is_the_examples_workbook_in_chinese():
    """What the page's template button serves: write_template(lang, examples=True) to bytes;
    the examples are on the 说明 sheet, the ledger sheets hold only their header."""
    from duzhan.ledgers.template import EXAMPLES, write_template

    buf = io.BytesIO()
    write_template(buf, lang="zh", examples=True)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    assert wb.sheetnames[0] == "说明"
    assert [c.value for c in wb["问题"][1]] == ISSUE_HEADERS
    assert wb["问题"].max_row == 1
    readme = [r[0] for r in wb["说明"].iter_rows(values_only=True)]
    assert {ex["issue_id"] for ex in EXAMPLES["issues"]} <= set(readme)


def test_template_as_downloaded_cannot_be_imported(page, engine):
    """Uploaded unchanged, the template has no rows: refused as an import of nothing, nothing
    written."""
    from duzhan.ledgers.template import write_template

    buf = io.BytesIO()
    write_template(buf, lang="zh", examples=True)
    at = open_page(page, "data")
    before = dump(engine)
    upload(at, "台账导入模板.xlsx", buf.getvalue())
    at.text_input(key="data_user").input("张三")
    at.run()
    assert not at.success  # no "检查通过"
    assert confirm_button(at).disabled
    assert set(frame_with(at, "原因")["原因"]) == {
        "所选文件中没有任何数据行（只有表头或空白），未导入任何内容"}
    assert dump(engine) == before


def test_good_workbook_previews_then_imports_and_every_page_sees_it(page, engine):
    at = open_page(page, "data")
    town = a_township(engine)
    before_store = dump(engine)
    before_figures = county_figures(engine)
    before_cards = overview_cards(at)

    good = workbook(good_issues(town))  # the same bytes both times: same name and SHA-256
    upload(at, "乡镇问题台账.xlsx", good)
    preview = frame_with(at, "文件行数")
    row = preview[preview["台账"] == "问题"].iloc[0]
    assert (row["文件行数"], row["新增"], row["修改"], row["不变"]) == (3, 3, 0, 0)
    assert not at.error
    # nothing written by the preview
    assert dump(engine) == before_store

    # no name, no import
    assert confirm_button(at).disabled
    at.text_input(key="data_user").input("县乡村振兴局 张三")
    at.run()
    assert not confirm_button(at).disabled
    confirm_button(at).click()
    at.run()
    assert not at.exception, at.exception
    assert any("导入成功" in s.value for s in at.success)
    result = frame_with(at, "文件行数")
    assert result[result["台账"] == "问题"].iloc[0]["新增"] == 3
    # the uploader was emptied; the history names who imported
    assert not at.file_uploader[0].value
    history = frame_with(at, "文件 SHA-256")
    assert history.iloc[0]["导入人"] == "县乡村振兴局 张三"
    assert history.iloc[0]["文件"] == "乡镇问题台账.xlsx"
    assert "问题 3" in history.iloc[0]["各台账行数"]

    after_figures = county_figures(engine)
    assert after_figures["issues"]["found"] == before_figures["issues"]["found"] + 3
    # the import made the kept figures of the opening day, of the new data
    day = clock.default_as_of(last_event_date(engine))
    with engine.connect() as conn:
        assert figures.kept_parts(conn, day) is not None
    assert figures.report(engine, day) == metrics_report(load_ledgers(engine, DataScope()), day)
    assert after_figures["issues"]["open"] == before_figures["issues"]["open"] + 3
    after_cards = overview_cards(at)
    assert after_cards != before_cards  # the overview shows the new numbers, no restart

    # importing the same file again changes nothing
    upload(at, "乡镇问题台账.xlsx", good)  # the very same file again, after the import
    again = frame_with(at, "文件行数")
    assert again[again["台账"] == "问题"].iloc[0]["不变"] == 3
    assert at.text_input(key="data_user").value == "县乡村振兴局 张三"  # remembered


def test_broken_workbook_lists_problems_blocks_import_and_stores_nothing(page, engine,
                                                                        downloads_made):
    at = open_page(page, "data")
    town = a_township(engine)
    today = dt.date.today()
    rows = [
        ["BAD-1", town, None, "审计", "资金管理", "县财政局", today, today, None, "正常行"],
        ["BAD-2", "999999", None, "审计", "资金管理", "县财政局", today, today, None, ""],
        [None, None, None, None, None, None, None, None, None, None],  # blank: skipped
        ["BAD-3", town, None, "审计", "资金管理", "县财政局", "-2024-13-45", today, None, ""],
        ["BAD-4", town, None, "审计", "资金管理", "县财政局", today,
         today - dt.timedelta(days=3), None, "=HYPERLINK(\"http://x\")"],
    ]
    before_store = dump(engine)
    before_imports = n_imports(engine)
    before_cards = overview_cards(at)

    upload(at, "坏台账.xlsx", workbook(rows))
    assert any("不能导入" in e.value for e in at.error)
    problems = frame_with(at, "原因")
    got = sorted(zip(problems["行"].astype(int), problems["列"], strict=False))
    # BAD-4's description is a formula openpyxl saved without its result: named as such
    assert got == [(3, "乡镇代码"), (5, "发现日期"), (6, "整改时限"), (6, "问题描述")]
    assert set(problems["台账"]) == {"问题"}
    assert "999999" in set(problems["值"])
    per_ledger = frame_with(at, "有问题的行")
    assert (per_ledger.iloc[0]["文件行数"], per_ledger.iloc[0]["有问题的行"]) == (4, 3)

    # the problem list downloads as Excel, what the user typed neutralised
    assert any("问题清单" in b.proto.label for b in at.get("download_button"))
    ws = load_workbook(io.BytesIO(problem_list(downloads_made))).active
    assert ws.title == "问题清单"
    assert [c.value for c in ws[1]] == ["台账", "行", "列", "值", "原因"]
    cells = {(r[1].value, r[2].value): r[3] for r in ws.iter_rows(min_row=2)}
    assert set(cells) == {(3, "乡镇代码"), (5, "发现日期"), (6, "整改时限"), (6, "问题描述")}
    typed = cells[(5, "发现日期")]
    assert typed.data_type == "s" and typed.value == "'-2024-13-45"
    formula = cells[(6, "问题描述")]
    assert formula.data_type == "s" and formula.value == "'=HYPERLINK(\"http://x\")"

    at.text_input(key="data_user").input("张三")
    at.run()
    assert confirm_button(at).disabled
    assert dump(engine) == before_store
    assert n_imports(engine) == before_imports  # a preview is not an import
    assert overview_cards(at) == before_cards


def test_problem_filters_narrow_the_table(page, engine):
    at = open_page(page, "data")
    town = a_township(engine)
    today = dt.date.today()
    rows = [
        ["F-1", "nope", None, "审计", "资金管理", "县财政局", today, today, None, ""],
        ["F-2", town, None, "审计", "资金管理", "县财政局", "不是日期", today, None, ""],
        ["F-3", town, None, None, "资金管理", "县财政局", today, today, None, ""],
    ]
    upload(at, "f.xlsx", workbook(rows))
    assert len(frame_with(at, "原因")) == 3
    at.multiselect(key="plan_problems_column").set_value(["发现日期"])
    at.run()
    shown = frame_with(at, "原因")
    assert list(shown["行"]) == [3]
    at.multiselect(key="plan_problems_column").set_value([])
    at.text_input(key="plan_problems_search").input("乡镇")
    at.run()
    shown = frame_with(at, "原因")
    assert list(shown["行"]) == [2]
    assert any("1 / 3" in c.value for c in at.caption)
    at.text_input(key="plan_problems_search").input("")
    at.multiselect(key="plan_problems_ledger").set_value(["问题"])
    at.run()
    assert len(frame_with(at, "原因")) == 3


def test_unreadable_file_is_a_message_naming_it(page, engine):
    at = open_page(page, "data")
    before = dump(engine)
    upload(at, "损坏的台账.xlsx", b"PK\x03\x04 this is not a workbook")
    assert not at.exception
    text = " ".join(e.value for e in at.error) + " ".join(d.value.to_string()
                                                        for d in at.dataframe)
    assert "损坏的台账.xlsx" in text
    assert confirm_button(at).disabled
    assert dump(engine) == before


def test_unexpected_failure_never_shows_a_traceback(page, engine, monkeypatch):
    import duzhan.ledgers.importer as importer

    def boom(*args, **kwargs):
        raise RuntimeError("unexpected")

    at = open_page(page, "data")
    monkeypatch.setattr(importer, "plan_import", boom)
    upload(at, "村台账.csv", "村代码,村名称,乡镇代码\n1,甲村,2\n".encode(), "text/csv")
    assert not at.exception
    assert any("村台账.csv" in e.value and "RuntimeError" in e.value for e in at.error)
    assert confirm_button_absent(at)


def test_refused_import_shows_its_problems(page, engine, monkeypatch):
    import duzhan.ledgers.importer as importer

    real = importer.import_files

    def refused(eng, files, user, lang="zh", **kw):
        result = real(eng, [], user=user, lang=lang)  # no files: refused, recorded
        result.problems = [Problem("issues", "x.xlsx", 2, "乡镇代码", "77", "unknown_township",
                                   {}, column_key="township_code")]
        return result

    at = open_page(page, "data")
    before = dump(engine)
    upload(at, "乡镇问题台账.xlsx", workbook(good_issues(a_township(engine))))
    monkeypatch.setattr(importer, "import_files", refused)
    at.text_input(key="data_user").input("李四")
    at.run()
    confirm_button(at).click()
    at.run()
    assert not at.exception, at.exception
    assert any("导入未执行" in e.value for e in at.error)
    assert list(frame_with(at, "原因")["值"]) == ["77"]
    assert dump(engine) == before
    history = frame_with(at, "文件 SHA-256")
    assert (history.iloc[0]["导入人"], history.iloc[0]["结果"]) == ("李四", "未通过")


def test_english_page(page):
    at = open_page(page, "data", lang="en")
    assert "ledger" in at.file_uploader[0].label.lower()
    assert frame_with(at, "Rows stored") is not None
    assert frame_with(at, "File SHA-256") is not None


# --- far-reaching changes, the demo county, the reader's scope (issue 14) --------------


TOWNSHIP_HEADERS = ["乡镇代码", "乡镇名称", "片区", "建档立卡户数"]


def stored_township(engine) -> tuple:
    t = LEDGER_MODELS["townships"].__table__
    with engine.connect() as conn:
        return tuple(conn.execute(select(t).order_by(t.c.township_code)).first())


def test_renamed_township_is_listed_and_needs_the_tick(page, engine):
    code, name, area, households, *_county = stored_township(engine)
    at = open_page(page, "data")
    before = dump(engine)
    upload(at, "乡镇.xlsx", workbook([[code, "新名镇", area, households]], sheet="乡镇",
                                     headers=TOWNSHIP_HEADERS))
    assert any(f"乡镇 {code} 将改名：{name} → 新名镇" in w.value for w in at.warning)
    at.text_input(key="data_user").input("张三")
    at.run()
    assert confirm_button(at).disabled  # named, but the change is not ticked yet
    assert any("勾选确认" in c.value for c in at.caption)
    assert dump(engine) == before
    tick = [c for c in at.checkbox if c.key.startswith("data_ack_")]
    assert len(tick) == 1 and "1 项" in tick[0].label
    tick[0].check()
    at.run()
    assert not confirm_button(at).disabled
    confirm_button(at).click()
    at.run()
    assert not at.exception, at.exception
    assert any("导入成功" in s.value for s in at.success)
    assert stored_township(engine)[:4] == (code, "新名镇", area, households)


def test_demo_removal_empties_the_store_and_the_stamp_goes(page, engine):
    at = open_page(page, "data")
    assert any("演示数据" in c.value for c in at.caption)
    stored = sum(frame_with(at, "当前存储行数")["当前存储行数"])
    remove = at.button(key="data_demo_remove")
    assert remove.disabled
    at.text_input(key="data_demo_user").input("县局 李四")
    at.checkbox(key="data_demo_ack").check()
    at.run()
    assert f"{stored} 行" in at.checkbox(key="data_demo_ack").label
    at.button(key="data_demo_remove").click()
    at.run()
    assert not at.exception, at.exception
    assert any(f"已删除演示数据（{stored} 行）" in s.value for s in at.success)
    assert all(not rows for rows in dump(engine).values())
    assert not any("演示数据" in c.value for c in at.caption)  # the stamp is gone
    assert not any(b.key == "data_demo_remove" for b in at.button)
    assert list(frame_with(at, "当前存储行数")["当前存储行数"]) == [0] * len(LEDGERS)
    history = frame_with(at, "文件 SHA-256")
    assert (history.iloc[0]["导入人"], history.iloc[0]["结果"]) == ("县局 李四", "已清空")


def scoped_counts(engine, town: str) -> dict[str, int]:
    """Hand-written: the rows one township's reader may see, ledger by ledger."""
    q = {
        "乡镇": "SELECT count(*) FROM townships WHERE township_code = :t",
        "村": "SELECT count(*) FROM villages WHERE township_code = :t",
        "阶段": "SELECT count(*) FROM phases",
        "任务": "SELECT count(*) FROM tasks WHERE township_code = :t",
        "问题": "SELECT count(*) FROM issues WHERE township_code = :t",
        "项目": "SELECT count(*) FROM projects WHERE township_code = :t",
        "拨付": "SELECT count(*) FROM disbursements d JOIN projects p "
                "ON p.project_id = d.project_id WHERE p.township_code = :t",
        "小额信贷": "SELECT count(*) FROM loans WHERE township_code = :t",
        "还款": "SELECT count(*) FROM repayments r JOIN loans l ON l.loan_id = r.loan_id "
                "WHERE l.township_code = :t",
        "安置点": "SELECT count(*) FROM sites WHERE township_code = :t",
        "入住核查": "SELECT count(*) FROM site_checks c JOIN sites s ON s.site_code = c.site_code "
                "WHERE s.township_code = :t",
        "督导": "SELECT count(*) FROM supervisions WHERE township_code = :t",
        "月报": "SELECT count(*) FROM reports WHERE township_code = :t",
        "监测对象": "SELECT count(*) FROM monitored WHERE township_code = :t",
        "三保障核查": "SELECT count(*) FROM guarantees WHERE township_code = :t",
    }
    from sqlalchemy import text

    with engine.connect() as conn:
        return {k: conn.execute(text(sql), {"t": town}).scalar_one() for k, sql in q.items()}


def test_a_township_reader_sees_and_imports_only_that_township(page, engine, monkeypatch):
    from duzhan.views import shell

    towns = [r[0] for r in dump(engine)["townships"]]
    mine, other = towns[0], towns[1]
    monkeypatch.setattr(shell, "reader_access", lambda: DataScope(allowed=(mine,)))
    at = open_page(page, "data")
    fresh = frame_with(at, "当前存储行数")
    want = scoped_counts(engine, mine)
    assert dict(zip(fresh["台账"], fresh["当前存储行数"], strict=True)) == want
    assert want["问题"] < len(dump(engine)["issues"])  # not the county's
    assert not any("文件 SHA-256" in df.value.columns for df in at.dataframe)  # no county log
    assert any("仅全县用户可见" in i.value for i in at.info)
    assert not any(b.key == "data_demo_remove" for b in at.button)

    before = dump(engine)
    rows = good_issues(mine) + [[f"TEST-{other}", other, None, "督查暗访", "饮水安全",
                                 "县水务局", dt.date.today(), dt.date.today(), None, "别的乡镇"]]
    upload(at, "乡镇问题台账.xlsx", workbook(rows))
    problems = frame_with(at, "原因")
    assert list(zip(problems["行"].astype(int), problems["列"], strict=True)) == [
        (5, "乡镇代码")]
    assert "不在您可查看的范围内" in problems.iloc[0]["原因"]
    at.text_input(key="data_user").input("乡镇 王五")
    at.run()
    assert confirm_button(at).disabled
    assert dump(engine) == before

    upload(at, "本乡镇问题.xlsx", workbook(good_issues(mine)))  # own rows only: accepted
    assert not at.error
    confirm_button(at).click()
    at.run()
    assert not at.exception, at.exception
    assert any("导入成功" in s.value for s in at.success)
    assert len(dump(engine)["issues"]) == len(before["issues"]) + 3


def test_empty_workbook_and_hidden_sheet_are_refused_and_warned_as_by_the_cli(page, engine):
    """Headers only: refused with the same reason `duzhan import` exits 1 with; a hidden
    ledger sheet is named in the warnings, not read."""
    wb = Workbook()
    ws = wb.active
    ws.title = "问题"
    ws.append(ISSUE_HEADERS)
    hidden = wb.create_sheet("乡镇")
    hidden.append(["乡镇代码", "乡镇名称"])
    hidden.append(["999", "隐藏镇"])
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    before = dump(engine)
    at = upload(open_page(page, "data"), "空.xlsx", buf.getvalue())
    reasons = set(frame_with(at, "原因")["原因"])
    assert reasons == {"所选文件中没有任何数据行（只有表头或空白），未导入任何内容"}
    assert any("工作表 乡镇 是隐藏的" in w.value for w in at.warning)
    assert confirm_button(at).disabled
    assert dump(engine) == before


def test_household_ids_and_control_characters_never_reach_the_page(page, engine,
                                                                    downloads_made):
    """A loans file without its header row, and one with a row shifted by a column: the
    preview, its problem table and the problem list's Excel show no household id, and no
    control character raw."""
    town = a_township(engine)
    secrets = ("H7777000111", "5227011012019999")  # a new id of the demo's format; a long one
    headerless = (f"L-1,{secrets[0]},{town},,50000,2023-01-01,2024-05-31,,农商银行\n"
                  f"L-2,{secrets[1]},{town},,50000,2023-01-01,2024-05-31,,农商银行\x1b[2J\n")
    header = "贷款编号,户编号,乡镇代码,村代码,贷款金额(元),放款日期,到期日期,展期到期日期,放款银行\n"
    shifted = header + f"L-3,多出的一格,{secrets[0]},{town},,50000,2023-01-01,2024-05-31,,银行\n"
    at = open_page(page, "data")
    for name, body in (("小额信贷.csv", headerless), ("小额信贷.csv", shifted)):
        downloads_made.clear()
        upload(at, name, body.encode(), "text/csv")
        assert at.error  # refused ...
        shown = [e.value for e in (*at.error, *at.warning, *at.caption, *at.markdown)]
        shown += [df.value.to_csv() for df in at.dataframe]
        # ... with its problem list as Excel
        ws = load_workbook(io.BytesIO(problem_list(downloads_made))).active
        shown += [str(c) for r in ws.iter_rows(values_only=True) for c in r if c is not None]
        text = "\n".join(shown)
        assert all(s not in text for s in secrets), text
        assert "\x1b" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_uploader_words_are_the_catalogues(page, lang):
    # Streamlit writes "Upload" and "50MB per file" in English with no parameter for them:
    # the page hides both and writes the catalogue's word (the limit is in its own caption)
    from duzhan.i18n import t

    at = open_page(page, "data", lang=lang)
    styles = [m.value for m in at.markdown if "stFileUploaderDropzone" in m.value]
    assert len(styles) == 1
    css = styles[0]
    assert '[data-testid="stFileUploaderDropzoneInstructions"] {display:none}' in css
    assert f'::after {{content:"{t("data.upload.button", lang)}"}}' in css
    limit = st.get_option("server.maxUploadSize")
    assert t("data.upload.limit", lang, mb=limit) in [c.value for c in at.caption]
    # the township filter offers no English "Select all" (none picked is the county)
    assert at.sidebar.multiselect[0].proto.select_all == 0
    # a select box's list that matches nothing: the catalogue's words, not "No results"
    # and a text input being typed in: not "Press Enter to apply"
    (words,) = [m.value for m in at.markdown if 'data-empty="true"' in m.value]
    assert f'::after {{content: "{t("shell.no_results", lang)}"' in words
    assert f'::after {{content: "{t("shell.press_enter", lang)}"' in words
    # a toolbar button's hover tooltip: the catalogue's words, not "Search" / "Fullscreen"
    for label, key in (("Search", "shell.toolbar_search"),
                       ("Fullscreen", "shell.toolbar_fullscreen")):
        assert f'button[aria-label^="{label}"]:hover)' in words
        assert f'p::after {{content: "{t(key, lang)}"' in words
    assert t("shell.no_results", "zh") == "无匹配项"
