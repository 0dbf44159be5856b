"""小额信贷 page, from the entry point: the figures shown equal metrics.loans for the same scope
and as-of date, and no household id from the ledgers is ever shown unmasked."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from duzhan.i18n import t
from duzhan.metrics import loans as lm
from duzhan.presentation import format as fmt
from duzhan.privacy import mask_household_id
from tests.pages.conftest import (
    LAZY_TABS,
    assert_no_household_ids,
    charts_by_title,
    check_week_card,
    dataframe_with,
    download_buttons,
    each_tab,
    expected_report,
    expected_scope,
    metric,
    open_page,
    page_ctx,
    shown_table,
)


@pytest.fixture
def app(cached_app):
    return cached_app  # every test here only reads the demo store: caches per module


TOWNSHIP = "522799111"  # 白岩乡, the demo's loan-risk township


def check_page(at, ledgers, lang: str = "zh") -> dict:
    ctx = page_ctx(at)
    D, codes = ctx.as_of, list(ctx.codes) if ctx.codes else None
    now = expected_scope(ledgers, D, codes)["loans"]
    before = expected_scope(ledgers, D - dt.timedelta(days=7), codes)["loans"]
    scoped = ledgers.scoped(codes)

    cards = [  # label key, figure, kind, worse (None = neutral, grey)
        ("loans.balance", "balance", "wan", None),
        ("loans.active_loans", "active_loans", "count", None),
        ("loans.overdue_rate", "overdue_rate", "pp", "up"),
        ("loans.overdue_balance", "overdue_balance", "wan", "up"),
        ("loans.par30", "par30", "pp", "up"),
        ("loans.par90", "par90", "pp", "up"),
        ("loans.due_30d", "due_30d_loans", "count", None),
        ("loans.extended", "extended_loans", "count", None),
    ]
    for key, fig, kind, worse in cards:
        m = metric(at, t(key, lang))
        a = now[fig]
        # money in whole 万元 with its unit, so figure and unit fit the card
        value = {"wan": fmt.wan_card(a, lang), "pp": fmt.pct(a), "count": fmt.count(a)}
        assert m.value == value[kind]
        check_week_card(m, a, before[fig], kind, worse, lang)

    charts = charts_by_title(at)
    sub = t("loans.chart.sub", lang, scope=ctx.scope_label(), as_of=fmt.day(D, lang))
    # overdue rate by township (by village when one township is in scope) vs the 3% red line
    by = "village_code" if codes and len(codes) == 1 else "township_code"
    spec = charts[t(f"loans.chart.by_{by}", lang)]
    assert spec["layout"]["title"]["subtitle"]["text"] == sub
    assert spec["layout"]["shapes"][0]["y0"] == 0.03 == spec["layout"]["shapes"][0]["y1"]
    exp = lm.breakdown(scoped.loans, scoped.repayments, D, by)
    bar = spec["data"][0]
    if by == "township_code":
        assert bar["x"] == [ctx.directory.label(c) for c in exp["township_code"]]
    else:
        names = dict(zip(scoped.villages["village_code"], scoped.villages["village_name"], strict=False))
        assert bar["x"] == [names.get(c, c) if isinstance(c, str) else t("loans.no_village", lang)
                            for c in exp["village_code"]]
    for got, want in zip(bar["y"], exp["overdue_rate"], strict=False):
        assert (got is None and pd.isna(want)) or got == pytest.approx(want, abs=1e-12)
    # aging buckets = the contract's buckets (万元, counts)
    spec = charts[t("loans.chart.buckets", lang)]
    assert spec["layout"]["title"]["subtitle"]["text"] == sub
    bal, cnt = spec["data"]
    names = [n for n, _, _ in lm.BUCKETS]
    assert bal["y"] == pytest.approx([now["buckets"][n]["balance"] / 10_000 for n in names])
    assert cnt["y"] == [now["buckets"][n]["loans"] for n in names]
    # by bank
    spec = charts[t("loans.chart.by_bank", lang)]
    exp_bank = lm.breakdown(scoped.loans, scoped.repayments, D, "bank")
    assert len(spec["data"][0]["x"]) == len(exp_bank)
    assert dataframe_with(at, "par30") is None  # a static table
    banks = shown_table(at, "par30")
    assert list(banks["active_loans"]) == [fmt.count(n) for n in exp_bank["active_loans"]]
    balances = banks["balance"].str.replace(",", "").astype(float)
    assert balances.sum() == pytest.approx(now["balance"] / 10_000, abs=0.005 * len(banks))

    # the lists to act on: exactly metrics.loans' lists, household ids masked
    hh = scoped.loans.set_index("loan_id")["household_id"]
    lists = [
        ("days_to_due", lm.due_30d_list, now["due_30d_loans"]),
        ("bucket", lm.overdue_list, now["overdue_loans"]),
        ("extended_due", lm.extended_list, now["extended_loans"]),
    ]
    # a tab each, drawn when picked (the reader's clicks): one grid a pick
    for (column, fn, count), _ in zip(lists, each_tab(at, LAZY_TABS["loans"]), strict=True):
        assert len([d for d in at.dataframe if "loan_id" in d.value.columns]) <= 1
        exp = fn(scoped.loans, scoped.repayments, D)
        assert len(exp) == count
        table = dataframe_with(at, column)
        if exp.empty:
            assert table is None
            continue
        assert list(table["loan_id"]) == list(exp["loan_id"])
        assert list(table["outstanding"]) == pytest.approx(list(exp["outstanding_fen"] / 1e6))
        assert list(table["household"]) == [mask_household_id(hh[i]) for i in exp["loan_id"]]
        assert list(table["township"]) == [ctx.directory.label(c) for c in exp["township_code"]]
        if column == "days_to_due":
            assert list(table["days_to_due"]) == list(exp["days_to_due"])
            assert table["days_to_due"].between(0, 30).all()
            assert list(table["effective_due"]) == [d.date() for d in exp["effective_due"]]
        if column == "bucket":
            assert list(table["dpd"]) == list(exp["dpd"])
            assert (table["dpd"] >= 1).all()
            assert list(table["bucket"]) == [t("loans.bucket_label", lang, days=b)
                                             for b in exp["bucket"]]
    return now


def assert_no_loan_household_ids(at, ledgers) -> None:
    """No household id of the loans appears anywhere on the page, in any element."""
    ids = set(ledgers.loans["household_id"].dropna().astype(str))
    assert len(ids) > 100
    # every list too (a tab each, drawn when picked)
    assert sum(assert_no_household_ids(at, ids) for _ in each_tab(at, LAZY_TABS["loans"])) >= 3


def test_loans_county(app, demo_ledgers):
    at = open_page(app, "loans")
    assert page_ctx(at).codes is None
    now = check_page(at, demo_ledgers)
    assert now["due_30d_loans"] > 0 and now["extended_loans"] > 0
    assert_no_loan_household_ids(at, demo_ledgers)
    # township bars agree with the report's township figures
    ctx = page_ctx(at)
    rep = expected_report(demo_ledgers, ctx.as_of)
    bar = charts_by_title(at)[t("loans.chart.by_township_code", "zh")]["data"][0]
    got = dict(zip(bar["x"], bar["y"], strict=False))
    for tw in rep["townships"]:
        if tw["loans"]["overdue_rate"] is not None:
            assert got[tw["township_name"]] == pytest.approx(tw["loans"]["overdue_rate"], abs=1e-6)


def test_loans_one_township(app, demo_ledgers):
    at = open_page(app, "loans", t=TOWNSHIP)
    ctx = page_ctx(at)
    assert ctx.codes == (TOWNSHIP,)
    now = check_page(at, demo_ledgers)
    assert_no_loan_household_ids(at, demo_ledgers)
    name = ctx.directory.label(TOWNSHIP)
    table = dataframe_with(at, "bucket")
    if table is not None:
        assert set(table["township"]) == {name}
    # the red-line message matches the figure
    if now["overdue_rate"] is not None and now["overdue_rate"] > 0.03:
        assert at.error and fmt.pct(now["overdue_rate"]) in at.error[0].value


def test_loans_past_as_of(app, demo_ledgers):
    year = demo_ledgers.projects["allocated_date"].max().year
    D = dt.date(year, 6, 30)
    at = open_page(app, "loans", asof=D.isoformat())
    assert page_ctx(at).as_of == D
    check_page(at, demo_ledgers)
    assert_no_loan_household_ids(at, demo_ledgers)
    due = dataframe_with(at, "days_to_due")
    assert due is None or (pd.Series(due["effective_due"]) <= D + dt.timedelta(days=30)).all()


def test_loans_english(app, demo_ledgers):
    at = open_page(app, "loans", lang="en")
    assert page_ctx(at).lang == "en"
    check_page(at, demo_ledgers, "en")
    assert_no_loan_household_ids(at, demo_ledgers)
    assert at.title[0].value == t("page.loans", "en")
    balance = expected_scope(demo_ledgers, page_ctx(at).as_of)["loans"]["balance"]
    assert metric(at, "Balance").value == fmt.wan_card(balance, "en")
    assert metric(at, "Balance").value == f"{round(float(balance) / 10_000):,} ×10k yuan"


def test_loans_meeting_mode(app, demo_ledgers):
    at = open_page(app, "loans", meeting="1")
    assert len(at.metric) == 8
    for spec in charts_by_title(at).values():
        assert spec["layout"]["font"]["size"] >= 20
        assert "Noto Sans CJK SC" in spec["layout"]["font"]["family"]
    assert_no_loan_household_ids(at, demo_ledgers)
    # the lists are HTML tables in the page's big type, ids masked, long lists cut with a note
    lists = [md.value for md in at.markdown if "class='duzhan-table'" in md.value]
    assert len(lists) == 4 and all("****" in v for v in lists[1:])
    assert any("会议模式显示前 40 行" in c.value for c in at.caption)


def test_download_buttons(app):
    at = open_page(app, "loans")
    # the lists' downloads, a tab each as it is picked
    assert list(dict.fromkeys(b for _ in each_tab(at, LAZY_TABS["loans"])
                              for b in download_buttons(at))) == [
        ("下载图片（PNG）", "dl_png_loans_by_township_code"),
        ("下载图片（PNG）", "dl_png_loans_buckets"),
        ("下载图片（PNG）", "dl_png_loans_by_bank"),
        ("下载表格（Excel）", "dl_xlsx_loans_by_bank_table"),
        ("下载表格（Excel）", "dl_xlsx_loans_due"),
        ("下载表格（Excel）", "dl_xlsx_loans_overdue"),
        ("下载表格（Excel）", "dl_xlsx_loans_extended"),
    ]


def test_loan_list_download_masks_household_ids(app, demo_ledgers, downloads_made):
    import io

    from openpyxl import load_workbook

    from duzhan.privacy import is_masked

    at = open_page(app, "loans")
    assert "dl_xlsx_loans_overdue" not in downloads_made  # its tab not picked yet
    at.session_state[LAZY_TABS["loans"]] = at.tabs[1].label
    at.run()
    made = downloads_made["dl_xlsx_loans_overdue"]
    assert made["file_name"].startswith("逾期贷款清单_全县_")
    ws = load_workbook(io.BytesIO(made["data"]())).worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:2] == [t("loans.col.loan_id", "zh"), t("loans.col.household", "zh")]
    ids = [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)]
    assert ids and all(is_masked(v) for v in ids)
    raw = set(demo_ledgers.loans["household_id"].astype(str))
    assert not raw & set(ids)
