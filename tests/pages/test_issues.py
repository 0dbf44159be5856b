"""问题整改 page: what it shows equals metrics for the same scope and as-of date."""
import datetime as dt

import pandas as pd
import pytest

from duzhan.i18n import t
from duzhan.metrics import issues as im
from duzhan.presentation import format as fmt
from tests.pages.conftest import (
    chart_specs,
    check_week_card,
    download_buttons,
    each_tab,
    expected_scope,
    metric,
    open_case,
    open_page,
    shown_tables,
    trace_by_meta,
)

BEHIND = "522799109"  # 河口乡: the demo's slow township
CASES = {
    "county": {},
    "township": {"t": BEHIND},
    "past": {"asof": "06-30"},  # 30 June of the demo campaign year
    "english": {"lang": "en"},
    "two_townships_past_en": {"t": "522799101,522799111", "asof": "06-30", "lang": "en"},
}


def _tables(at, column):
    """The page's static tables with `column` (every table is static: no data grid)."""
    assert not at.dataframe
    return [f for f in shown_tables(at) if column in f.columns]


def _number(cells):
    return cells.str.replace(",", "").astype(int)


@pytest.fixture(scope="module", params=list(CASES))
def shown(request, demo_db_url, demo_ledgers):
    """The page opened once per case for every test reading it (none of them clicks)."""
    with open_case("issues", CASES[request.param], demo_db_url, demo_ledgers) as shown:
        yield shown


def test_cards_equal_contract_figures_with_weekly_deltas(shown, demo_ledgers):
    at, ctx, _ = shown
    lang, codes = ctx.lang, list(ctx.codes) if ctx.codes else None
    now = expected_scope(demo_ledgers, ctx.as_of, codes)["issues"]
    prev = expected_scope(demo_ledgers, ctx.as_of - dt.timedelta(days=7), codes)["issues"]
    # more open / overdue = worse; more closed = better; more found is neither
    for card, key, kind, worse in (
            ("found", "found", "count", None), ("closed", "closed", "count", "down"),
            ("open", "open", "count", "up"), ("overdue_open", "overdue_open", "count", "up"),
            ("closed_28d", "closed_last_28d", "count", "down"),
            ("closure_rate", "closure_rate", "pp", "down")):
        m = metric(at, t(f"issues.card.{card}", lang))
        assert m.value == (fmt.pct(now[key]) if kind == "pp" else fmt.count(now[key]))
        check_week_card(m, now[key], prev[key], kind, worse, lang)
    # dates in the cards as everywhere (format.day: 2027年2月23日 / 2027-02-23); the
    # net forecast's shift in days since last week, red when it moved later
    fc = metric(at, t("issues.card.net_forecast", lang))
    assert fc.value == (fmt.day(now["net_forecast_clear_date"], lang)
                        if now["net_forecast_clear_date"] else t("issues.net_forecast_none", lang))
    day = lambda s: None if s is None else dt.date.fromisoformat(s)  # noqa: E731
    check_week_card(fc, day(now["net_forecast_clear_date"]),
                    day(prev["net_forecast_clear_date"]), "days", "up", lang)
    target = metric(at, t("issues.card.target", lang))
    assert target.value == fmt.day(now["clearance_target"], lang) and target.delta == ""


def test_burndown_and_burnup_agree_with_contract(shown, demo_ledgers):
    at, ctx, scoped = shown
    codes = list(ctx.codes) if ctx.codes else None
    now = expected_scope(demo_ledgers, ctx.as_of, codes)["issues"]
    series = im.burndown_series(scoped.issues, scoped.phases, ctx.as_of)
    burndown, burnup = chart_specs(at)[:2]
    op = trace_by_meta(burndown, "open")
    assert op["y"] == series["open"].tolist()
    assert op["y"][-1] == now["open"]
    assert op["x"][-1] == ctx.as_of.isoformat()
    # the ideal line: from the peak of open(t) (the default S) to 0 at the clearance target
    ideal = trace_by_meta(burndown, "ideal")
    peak = max(op["y"])
    assert ideal["x"][0] == op["x"][op["y"].index(peak)]
    assert ideal["y"][0] == peak
    assert ideal["x"][-1] == now["clearance_target"] and ideal["y"][-1] == 0
    # the dotted forecast is the net one (closing pace minus finding pace), none when the
    # list does not shrink at this pace
    metas = [tr.get("meta") for tr in burndown["data"]]
    if now["net_forecast_clear_date"] and now["open"]:
        fc = trace_by_meta(burndown, "forecast")
        assert fc["x"] == [ctx.as_of.isoformat(), now["net_forecast_clear_date"]]
        assert fc["y"] == [now["open"], 0]
    else:
        assert "forecast" not in metas
    band = im.forecast_band(scoped.issues, ctx.as_of)
    if band and now["open"]:
        b = trace_by_meta(burndown, "band")
        assert b["x"][1:3] == [band["p50"].isoformat(), band["p85"].isoformat()]
    # the target is marked with a vertical line
    assert any(s["x0"] == now["clearance_target"] for s in burndown["layout"]["shapes"])
    assert trace_by_meta(burnup, "found")["y"][-1] == now["found"]
    assert trace_by_meta(burnup, "closed")["y"][-1] == now["closed"]
    for fig in (burndown, burnup):
        assert ctx.scope_label() in fig["layout"]["title"]["text"]
        assert fmt.day(ctx.as_of, ctx.lang) in fig["layout"]["title"]["text"]
        assert "Noto Sans CJK SC" in fig["layout"]["font"]["family"]


def test_breakdowns_add_up(shown, demo_ledgers):
    at, ctx, scoped = shown
    codes = list(ctx.codes) if ctx.codes else None
    now = expected_scope(demo_ledgers, ctx.as_of, codes)["issues"]
    # each tab's chart and table drawn when it is picked: one table a tab
    tables = [table for _ in each_tab(at, "issues_breakdown")
              for table in _tables(at, "closure_rate")]
    # township, responsible unit, source, category; one township is not compared with
    # itself: a note instead of the township tab
    one = ctx.codes is not None and len(ctx.codes) == 1
    note = t("overview.compare_one", ctx.lang, scope=ctx.scope_label())
    assert (note in [c.value for c in at.caption]) == one
    # under their own heading, with no "分乡镇" in it for one township
    heading = t("issues.section.breakdown_one" if one else "issues.section.breakdown", ctx.lang)
    headings = [h.value for h in at.subheader]
    assert heading in headings and (t("issues.section.breakdown", ctx.lang) in headings) != one
    assert [tab.label for tab in at.tabs] == [
        t(f"issues.tab.{by}", ctx.lang)
        for by in ("township_code", "department", "source", "category")[one:]]
    assert len(tables) == 4 - one
    for table in tables:
        for key in ("found", "closed", "open", "overdue_open"):
            assert _number(table[key]).sum() == now[key]
    if not one:
        by_town = tables.pop(0)
        rows = list(ctx.codes) if ctx.codes else list(ctx.directory.names)
        assert list(by_town["group"]) == [ctx.directory.label(c) for c in rows]
    dept = im.breakdown(scoped.issues, ctx.as_of, "department").set_index("department")
    shown_dept = tables[0].set_index("group")
    for name, row in dept.iterrows():
        assert shown_dept.loc[name, "open"] == fmt.count(int(row["open"]))
        assert shown_dept.loc[name, "closure_rate"] == fmt.pct(row["closure_rate"])


def test_overdue_list_equals_metrics(shown, demo_ledgers):
    at, ctx, scoped = shown
    codes = list(ctx.codes) if ctx.codes else None
    now = expected_scope(demo_ledgers, ctx.as_of, codes)["issues"]
    want = im.overdue_list(scoped.issues, ctx.as_of)
    assert len(want) == now["overdue_open"]
    if want.empty:
        assert not _tables(at, "days_overdue")
        return
    (got,) = _tables(at, "days_overdue")
    assert len(got) == now["overdue_open"]
    assert got["issue_id"].tolist() == want["issue_id"].tolist()
    assert _number(got["days_overdue"]).tolist() == want["days_overdue"].tolist()
    assert got["township"].tolist() == [ctx.directory.label(c) for c in want["township_code"]]
    assert got["description"].tolist() == want["description"].fillna(fmt.DASH).tolist()
    assert got["deadline"].tolist() == [fmt.column_cell(d, "date", fmt.day_column(ctx.lang))
                                        for d in want["deadline"]]
    assert (want["deadline"] < pd.Timestamp(ctx.as_of)).all()


def test_ideal_line_toward_a_phase_end(app, demo_ledgers):
    at = open_page(app, "issues")
    ctx = at.session_state["_page_ctx"]
    phases = demo_ledgers.phases.sort_values("phase_no")
    end = phases["end_date"].iloc[-1].date()
    box = [s for s in at.selectbox if s.label == t("issues.target_select", ctx.lang)][0]
    assert box.options[0] == t("issues.target.clearance", ctx.lang,
                               date=fmt.day(expected_scope(demo_ledgers, ctx.as_of)["issues"]
                                            ["clearance_target"], ctx.lang))
    box.select(f"phase{int(phases['phase_no'].iloc[-1])}").run()
    assert not at.exception
    burndown = chart_specs(at)[0]
    ideal = trace_by_meta(burndown, "ideal")
    assert ideal["x"][-1] == end.isoformat() and ideal["y"][-1] == 0
    # a later start S: the ideal line starts at open(S)
    start = ctx.as_of - dt.timedelta(days=60)
    [d for d in at.date_input if d.label == t("issues.start_select", ctx.lang)][0].set_value(start).run()
    assert not at.exception
    burndown = chart_specs(at)[0]
    ideal, op = trace_by_meta(burndown, "ideal"), trace_by_meta(burndown, "open")
    assert ideal["x"][0] == start.isoformat()
    assert ideal["y"][0] == op["y"][op["x"].index(start.isoformat())]
    assert any(s["x0"] == end.isoformat() for s in burndown["layout"]["shapes"])


def test_meeting_mode_enlarges_charts(app, demo_ledgers):
    at = open_page(app, "issues", meeting="1")
    assert at.session_state["_page_ctx"].filters.meeting
    figs = chart_specs(at)
    assert figs[0]["layout"]["height"] == 560
    assert figs[0]["layout"]["font"]["size"] > 13


def test_download_buttons(app):
    at = open_page(app, "issues")
    # the breakdowns' buttons: the picked tab's (the township tab as the page opens)
    for by, _ in zip(("township_code", "department", "source", "category"),
                     each_tab(at, "issues_breakdown"), strict=True):
        assert download_buttons(at) == [
            ("下载图片（PNG）", "dl_png_burndown"), ("下载图片（PNG）", "dl_png_burnup"),
            ("下载图片（PNG）", f"dl_png_issues_by_{by}"),
            ("下载表格（Excel）", f"dl_xlsx_issues_table_{by}"),
            ("下载表格（Excel）", "dl_xlsx_overdue_issues")]


def test_burndown_png_download_is_a_stamped_2x_png(app, downloads_made):
    """The callable behind the burndown's button (what Streamlit runs on the click)."""
    from duzhan.exports.stamp import DEFAULT_WIDTH, SCALE
    from tests.exports.helpers import png_size

    at = open_page(app, "issues")
    ctx = at.session_state["_page_ctx"]
    made = downloads_made["dl_png_burndown"]
    assert made["label"] == "下载图片（PNG）" and made["mime"] == "image/png"
    assert made["file_name"] == f"问题整改燃尽图_全县_{ctx.as_of.isoformat()}_演示数据.png"
    data = made["data"]()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = png_size(data)
    assert width == DEFAULT_WIDTH * SCALE and height > 400
