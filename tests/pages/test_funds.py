"""资金拨付 page, from the entry point: the figures shown equal metrics.funds for the same scope
and as-of date (cards with week-over-week deltas, charts' data, the stalled-projects table)."""
from __future__ import annotations

import datetime as dt

import pytest

from duzhan.i18n import t
from duzhan.metrics import funds as fm
from duzhan.presentation import format as fmt
from duzhan.viewmodels.funds import stalled_columns
from tests.pages.conftest import (
    charts_by_title,
    check_week_card,
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


TOWNSHIP = "522799110"  # 石门乡, the demo's township behind on funds


def check_page(at, ledgers, lang: str = "zh"):
    ctx = page_ctx(at)
    D, codes = ctx.as_of, list(ctx.codes) if ctx.codes else None
    now = expected_scope(ledgers, D, codes)["funds"]
    before = expected_scope(ledgers, D - dt.timedelta(days=7), codes)["funds"]
    scoped = ledgers.scoped(codes)

    # cards: value and week-over-week change (less money out, a wider gap: worse)
    cards = [  # label, value, figure, kind of change, worse
        (t("funds.allocated", lang), fmt.wan_card(now["allocated"], lang),
         "allocated", "wan", "down"),
        (t("funds.disbursed", lang), fmt.wan_card(now["disbursed"], lang),
         "disbursed", "wan", "down"),
        (t("funds.disbursement_rate", lang), fmt.pct(now["disbursement_rate"]),
         "disbursement_rate", "pp", "down"),
        (t("funds.gap", lang), fmt.pp(now["progress_gap"], lang), "progress_gap", "pp", "down"),
        (t("funds.stalled", lang), fmt.count(now["stalled_projects"]), "stalled_projects",
         "count", "up"),
    ]
    for label, value, key, kind, worse in cards:
        m = metric(at, label)
        assert m.value == value
        check_week_card(m, now[key], before[key], kind, worse, lang)

    # the cumulative series ends on the contract figures; the breakdowns, each drawn when
    # its tab is picked
    charts = charts_by_title(at)
    for _ in each_tab(at, "funds_breakdown"):
        charts.update(charts_by_title(at))
    sub = t("funds.chart.sub", lang, scope=ctx.scope_label(), as_of=fmt.day(D, lang))
    series = charts[t("funds.chart.series", lang)]
    assert series["layout"]["title"]["subtitle"]["text"] == sub
    tp, rate = series["data"]
    assert rate["x"][-1] == D.isoformat()
    assert rate["y"][-1] == pytest.approx(now["disbursement_rate"], abs=1e-6)
    assert tp["y"][-1] == pytest.approx(now["time_progress"], abs=1e-6)

    # breakdowns: same rates as metrics.funds.breakdown, the time-progress line at 序时进度;
    # one township is not compared with itself: a note instead of a one-bar chart
    one = ctx.codes is not None and len(ctx.codes) == 1
    note = t("overview.compare_one", lang, scope=ctx.scope_label())
    assert (note in [c.value for c in at.caption]) == one
    heading = t("funds.section.breakdown_one" if one else "funds.section.breakdown", lang)
    assert heading in [h.value for h in at.subheader]
    assert all(t("funds.section.breakdown", lang) != h.value for h in at.subheader) == one
    assert (t("funds.chart.by_township_code", lang) in charts) == (not one)
    for by in ("funding_source", "category") if one else ("township_code", "funding_source",
                                                            "category"):
        spec = charts[t(f"funds.chart.by_{by}", lang)]
        assert spec["layout"]["title"]["subtitle"]["text"] == sub
        exp = fm.breakdown(scoped.projects, scoped.disbursements, D, by)
        labels = ctx.directory.names if by == "township_code" else {}
        want = {labels.get(k, k): r for k, r in zip(exp[by], exp["disbursement_rate"], strict=False)}
        bar = spec["data"][0]
        got = dict(zip(bar["y"], bar["x"], strict=False))
        assert set(got) == set(want)
        for name, r in want.items():
            assert got[name] == pytest.approx(r, abs=1e-9)
        assert spec["layout"]["shapes"][0]["x0"] == pytest.approx(now["time_progress"], abs=1e-6)

    # stalled projects: exactly metrics.funds.stalled_projects_list, longest wait first
    exp = fm.stalled_projects_list(scoped.projects, scoped.disbursements, D)
    assert len(exp) == now["stalled_projects"]
    # (a static table, its names wrapped: the data grid ran off the page at 1366 px)
    assert not [d for d in at.dataframe if "days_waited" in d.value.columns]
    table = shown_table(at, "days_waited")
    if exp.empty:
        assert table is None
        return now
    assert list(table["project_id"]) == list(exp["project_id"])
    assert list(table["days_waited"]) == [fmt.count(d) for d in exp["days_waited"]]
    wan = next(c for c in stalled_columns(ctx.lang) if c.key == "allocated")
    assert list(table["allocated"]) == [fmt.column_cell(f / 1e6, wan.kind, wan.format)
                                        for f in exp["allocated_amount_fen"]]
    assert list(table["own_rate"]) == [fmt.pct(r) for r in exp["own_rate"]]
    assert (exp["days_waited"] >= 90).all() and (exp["own_rate"] < 0.5).all()
    assert list(table["township"]) == [ctx.directory.label(c) for c in exp["township_code"]]
    return now


def test_funds_county(app, demo_ledgers):
    at = open_page(app, "funds")
    assert page_ctx(at).codes is None
    now = check_page(at, demo_ledgers)
    assert now["stalled_projects"] > 0
    # the township bars agree with the report's township figures
    ctx = page_ctx(at)
    rep = expected_report(demo_ledgers, ctx.as_of)
    bars = charts_by_title(at)[t("funds.chart.by_township_code", "zh")]["data"][0]
    got = dict(zip(bars["y"], bars["x"], strict=False))
    for tw in rep["townships"]:
        if tw["funds"]["disbursement_rate"] is not None:
            assert got[tw["township_name"]] == pytest.approx(tw["funds"]["disbursement_rate"],
                                                             abs=1e-6)


def test_funds_one_township(app, demo_ledgers):
    at = open_page(app, "funds", t=TOWNSHIP)
    ctx = page_ctx(at)
    assert ctx.codes == (TOWNSHIP,)
    check_page(at, demo_ledgers)
    name = ctx.directory.label(TOWNSHIP)
    assert name in ctx.scope_label()
    spec = charts_by_title(at)[t("funds.chart.series", "zh")]
    assert name in spec["layout"]["title"]["subtitle"]["text"]


def test_funds_past_as_of(app, demo_ledgers):
    year = demo_ledgers.projects["allocated_date"].max().year
    D = dt.date(year, 6, 30)
    at = open_page(app, "funds", asof=D.isoformat())
    assert page_ctx(at).as_of == D
    now = check_page(at, demo_ledgers)
    assert now["time_progress"] == pytest.approx(fm.time_progress(D), abs=1e-6)
    stamp = " ".join(c.value for c in at.caption)
    assert fmt.day(D, "zh") in stamp


def test_funds_english(app, demo_ledgers):
    at = open_page(app, "funds", lang="en", t=TOWNSHIP)
    assert page_ctx(at).lang == "en"
    check_page(at, demo_ledgers, "en")
    assert at.title[0].value == t("page.funds", "en")
    assert metric(at, "Allocated").value == fmt.wan_card(
        expected_scope(demo_ledgers, page_ctx(at).as_of, [TOWNSHIP])["funds"]["allocated"], "en")


def test_funds_meeting_mode_bigger_chart_fonts(app, demo_ledgers):
    at = open_page(app, "funds", meeting="1")
    specs = charts_by_title(at)
    spec = specs[t("funds.chart.series", "zh")]
    assert spec["layout"]["font"]["size"] >= 20
    assert "Noto Sans CJK SC" in spec["layout"]["font"]["family"]
    assert len(at.metric) == 5  # in rows of 3 on the projector


def test_download_buttons(app):
    at = open_page(app, "funds")
    # the breakdowns' buttons: the picked tab's (the township tab as the page opens)
    for by, _ in zip(("township_code", "funding_source", "category"),
                     each_tab(at, "funds_breakdown"), strict=True):
        assert download_buttons(at) == [
            ("下载图片（PNG）", "dl_png_funds_series"),
            ("下载图片（PNG）", f"dl_png_funds_by_{by}"),
            ("下载表格（Excel）", "dl_xlsx_stalled_projects"),
        ]
