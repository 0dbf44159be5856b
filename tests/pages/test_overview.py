"""总览 page, from the entry point: what it shows equals the metrics module for the same scope
and as-of date (status counts and reasons, headline cards with week-over-week deltas, the
attention ranking, the owners of overdue issues, the charts' data, the status map)."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from duzhan.i18n import t
from duzhan.metrics.issues import overdue_list
from duzhan.metrics.status import attention_ranking, scope_status
from duzhan.presentation import format as fmt
from duzhan.presentation.format import reason_text
from duzhan.presentation.markup import escape, markdown_text
from duzhan.presentation.palette import STATUS_COLORS, STATUS_ORDER, STATUS_SYMBOLS
from duzhan.viewmodels.overview import attention_columns
from tests.pages.conftest import (
    charts_by_title,
    check_week_card,
    download_buttons,
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


TOWNSHIP = "522799111"  # 白岩乡: red on micro-loans
BEHIND = "522799109"  # 河口乡: red on issues and tasks


def _map_features(at) -> dict[str, dict]:
    maps = at.get("component_instance")
    assert len(maps) == 1
    args = json.loads(maps[0].proto.json_args)
    assert not [u for u in args["js_links"] + args["css_links"] if "//" in u]
    i = re.search(r"geo_json_\w+_add\(", args["script"]).end()
    fc = json.JSONDecoder().raw_decode(args["script"][i:])[0]
    return {f["properties"]["township_code"]: f["properties"] for f in fc["features"]}


def check_page(at, ledgers, lang: str = "zh"):
    ctx = page_ctx(at)
    D, codes = ctx.as_of, list(ctx.codes) if ctx.codes else None
    W = D - dt.timedelta(days=7)
    rep, prev_rep = expected_report(ledgers, D, codes), expected_report(ledgers, W, codes)
    now, before = expected_scope(ledgers, D, codes), expected_scope(ledgers, W, codes)
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731

    # status counts, with the change since last week (more red = bad)
    for s in STATUS_ORDER:
        n = sum(e["status"] == s for e in rep["townships"])
        n0 = sum(e["status"] == s for e in prev_rep["townships"])
        m = metric(at, f"{STATUS_SYMBOLS[s]} {T(f'status.{s}')}")
        assert m.value == str(n)
        check_week_card(m, n, n0, "count", "down" if s == "green" else "up", lang)

    # every red/yellow township is listed with its translated reasons and figures
    shown = "\n".join(md.value for md in at.markdown)
    for e in rep["townships"]:
        if e["status"] == "green":
            continue
        details = {r.code: r for r in scope_status(e)[1]}
        for code in e["status_reasons"]:
            assert escape(reason_text(details[code], lang)) in shown  # as HTML
    for d in now["status_details"]:
        assert markdown_text(reason_text(d, lang)) in shown  # markdown, with the HTML badge

    # headline cards
    iss, piss = now["issues"], before["issues"]
    fun, pfun = now["funds"], before["funds"]
    loa, ploa = now["loans"], before["loans"]
    cards = [  # label, value, now, then, kind of change, worse
        (T("overview.card.open"), fmt.count(iss["open"]), iss, piss, "open", "count", "up"),
        (T("overview.card.overdue_open"), fmt.count(iss["overdue_open"]), iss, piss,
         "overdue_open", "count", "up"),
        (T("overview.card.closure_rate"), fmt.pct(iss["closure_rate"]), iss, piss,
         "closure_rate", "pp", "down"),
        (T("overview.card.disbursement_rate"), fmt.pct(fun["disbursement_rate"]), fun, pfun,
         "disbursement_rate", "pp", "down"),
        (T("overview.card.progress_gap", time_progress=fmt.pct(fun["time_progress"])),
         fmt.pp(fun["progress_gap"], lang), fun, pfun, "progress_gap", "pp", "down"),
        (T("overview.card.overdue_rate", line="3.0%"), fmt.pct(loa["overdue_rate"]), loa, ploa,
         "overdue_rate", "pp", "up"),
        # a balance change is neither good nor bad
        (T("overview.card.balance"), fmt.wan_card(loa["balance"], lang), loa, ploa, "balance", "wan",
         None),
    ]
    for label, value, fig, prev_fig, key, kind, worse in cards:
        m = metric(at, label)
        assert m.value == value
        check_week_card(m, fig[key], prev_fig[key], kind, worse, lang)

    cur = now["phases"]["current_phase"]
    if cur is None:
        assert metric(at, T("overview.card.phase")).value == T("overview.card.no_phase")
    else:
        ph = ledgers.phases.set_index("phase_no").loc[cur]
        assert metric(at, T("overview.card.phase")).value == T("overview.card.phase_value", no=cur)
        assert ph["phase_name"] in [c.value for c in at.caption]
        assert metric(at, T("overview.card.days_left")).value == str(
            (ph["end_date"].date() - D).days)
        p = next(p for p in now["phases"]["by_phase"] if p["phase_no"] == cur)
        p0 = next(p for p in before["phases"]["by_phase"] if p["phase_no"] == cur)
        m = metric(at, T("overview.card.phase_completion"))
        assert m.value == fmt.pct(p["completion"])
        check_week_card(m, p["completion"], p0["completion"], "pp", "down", lang)

    # the attention table ranks townships as attention_ranking does, with their figures
    # (a static table: its reasons wrap, the data grid scrolled sideways at 1366 px)
    assert not [d for d in at.dataframe if "reasons" in d.value.columns]
    table = shown_table(at, "reasons")
    cols = {c.key: c for c in attention_columns(lang)}

    def shown(key, value):
        return fmt.column_cell(value, cols[key].kind, cols[key].format)

    ranking = attention_ranking(rep)
    by_code = {e["township_code"]: e for e in rep["townships"]}
    assert list(table["rank"]) == [shown("rank", r["rank"]) for r in ranking]
    assert list(table["township"]) == [r["township_name"] for r in ranking]
    assert list(table["status"]) == [f"{STATUS_SYMBOLS[r['status']]} {T('status.' + r['status'])}"
                                     for r in ranking]
    assert list(table["score"]) == [shown("score", r["score"]) for r in ranking]
    for (_, row), r in zip(table.iterrows(), ranking, strict=True):
        e = by_code[r["township_code"]]
        assert row.overdue_open == shown("overdue_open", e["issues"]["overdue_open"])
        assert row.overdue_rate == shown("overdue_rate", e["loans"]["overdue_rate"] * 100)
        assert row.progress_gap == shown("progress_gap", e["funds"]["progress_gap"] * 100)
        if not r["status_reasons"]:
            assert row.reasons == T("reason.none")

    # who owns the overdue issues: per township and unit, summing to overdue_open
    overdue = overdue_list(ledgers.scoped(codes).issues, D)
    assert not at.dataframe  # every table static: the page loads no data grid
    owners = shown_table(at, "overdue_issues")
    if iss["overdue_open"]:
        counts = owners["overdue_issues"].str.replace(",", "").astype(int)
        assert counts.sum() == iss["overdue_open"] == len(overdue)
        want = overdue.groupby("department").size().sort_index()
        got = counts.groupby(owners["department"]).sum().sort_index()
        assert got.to_dict() == want.to_dict()
        assert owners["max_days"].str.replace(",", "").astype(int).max() == \
            overdue["days_overdue"].max()
    else:
        assert owners is None

    # the status strip (HTML): each status's count on its colour, under the strip's title
    scope, as_of = ctx.scope_label(), fmt.day(D, lang)
    n = len(rep["townships"])
    (strip,) = [md.value for md in at.markdown if "class='duzhan-strip'" in md.value]
    assert escape(T("overview.status_title", scope=scope, as_of=as_of, n=n)) in strip
    shown_counts = {s: int(c) for s, c in re.findall(
        r"class='duzhan-strip-(\w+)' data-count='(\d+)'", strip)}
    assert shown_counts == {s: c for s in STATUS_ORDER
                            if (c := sum(e["status"] == s for e in rep["townships"]))}
    for s in shown_counts:
        assert f"background:{STATUS_COLORS[s]}" in strip
    # disbursement and overdue rates per township: charts drawn once their expander is open
    charts = charts_by_title(at)
    assert not charts  # closed: no chart sent
    order = sorted(rep["townships"], key=lambda e: e["township_code"])
    funds_title = T("overview.funds_chart_title", scope=scope, as_of=as_of)
    if n == 1:  # nothing to compare one township with: no one-bar chart, a note instead
        assert not at.expander
        assert T("overview.compare_one", scope=scope) in [c.value for c in at.caption]
        assert T("overview.charts_title") not in [h.value for h in at.subheader]
    else:
        assert T("overview.charts_title") in [h.value for h in at.subheader]
        assert [e.label for e in at.expander] == [T("overview.compare_open")]
        at.session_state["overview_compare"] = True  # the reader opens it
        at.run()
        charts = charts_by_title(at)
        assert len(charts) == 2 and funds_title in charts
        funds = charts[T("overview.funds_chart_title", scope=scope, as_of=as_of)]["data"][0]
        assert funds["customdata"] == [e["township_code"] for e in order]
        assert funds["x"] == pytest.approx([e["funds"]["disbursement_rate"] for e in order])
        assert funds["marker"]["color"] == [STATUS_COLORS[e["status"]] for e in order]
        # the as-of date under the title: a half-width title is not cut at 1366 px
        title = charts[T("overview.funds_chart_title", scope=scope, as_of=as_of)]["layout"]["title"]
        assert title["subtitle"]["text"] == T("overview.chart_sub", as_of=as_of)
        tp = charts[T("overview.funds_chart_title", scope=scope, as_of=as_of)]["layout"]["shapes"][0]
        assert tp["x0"] == pytest.approx(fun["time_progress"])
        loans = charts[T("overview.loans_chart_title", scope=scope, as_of=as_of)]
        assert loans["data"][0]["x"] == pytest.approx([e["loans"]["overdue_rate"] for e in order])
        assert loans["layout"]["shapes"][0]["x0"] == pytest.approx(0.03)

    # the small map: every township coloured by its (county-report) status, scope outlined
    county = expected_report(ledgers, D, None)
    props = _map_features(at)
    assert set(props) == {e["township_code"] for e in county["townships"]}
    for e in county["townships"]:
        p = props[e["township_code"]]
        assert p["fill"] == STATUS_COLORS[e["status"]] and p["cls"] == e["status"]
        assert p["selected"] == (codes is not None and e["township_code"] in codes)
    return ctx


def test_county_today(app, demo_ledgers):
    at = open_page(app, "overview")
    ctx = check_page(at, demo_ledgers)
    assert ctx.codes is None
    assert len(shown_table(at, "reasons")) == 12


def test_single_township(app, demo_ledgers):
    at = open_page(app, "overview", t=TOWNSHIP)
    ctx = check_page(at, demo_ledgers)
    assert ctx.codes == (TOWNSHIP,)
    table = shown_table(at, "reasons")
    assert list(table["township"]) == ["白岩乡"] and list(table["status"]) == ["● 红灯"]


def test_past_date(app, demo_ledgers):
    year = demo_ledgers.phases["start_date"].min().year
    at = open_page(app, "overview", asof=f"{year}-06-30")
    ctx = check_page(at, demo_ledgers)
    assert ctx.as_of == dt.date(year, 6, 30)
    # phase 3 (集中整改) ends that day: 0 days left
    assert metric(at, t("overview.card.days_left")).value == "0"


def test_english_two_townships_past_date(app, demo_ledgers):
    year = demo_ledgers.phases["start_date"].min().year
    at = open_page(app, "overview", lang="en", t=f"{BEHIND},{TOWNSHIP}", asof=f"{year}-09-15")
    ctx = check_page(at, demo_ledgers, "en")
    assert ctx.lang == "en"
    shown = "\n".join(md.value for md in at.markdown)
    assert "open issues past their deadline" in shown
    assert not re.search(r"[\u4e00-\u9fff]", at.metric[3].label)  # labels are English


def test_meeting_mode_bigger_charts(app, demo_ledgers):
    at = open_page(app, "overview", meeting="1")
    assert not at.exception
    # the projector shows the compared townships' charts without a click, and a big strip
    assert len(at.get("plotly_chart")) == 2 and not at.expander
    (strip,) = [md.value for md in at.markdown if "class='duzhan-strip'" in md.value]
    assert "font-size:26px" in strip
    for c in at.get("plotly_chart"):
        spec = json.loads(c.proto.spec)
        assert spec["layout"]["font"]["size"] >= 20
        assert "Noto Sans CJK SC" in spec["layout"]["font"]["family"]
        # the township names on the axis too, not the chart theme's small ticks
        assert spec["layout"]["yaxis"]["tickfont"]["size"] >= 20


def test_download_buttons(app):
    at = open_page(app, "overview")
    shown = [
        ("生成汇报材料（PDF）", "dl_brief_pdf"), ("生成汇报材料（PPT）", "dl_brief_pptx"),
        ("下载图片（PNG）", "dl_png_status_strip"),
        ("下载表格（Excel）", "dl_xlsx_attention"), ("下载表格（Excel）", "dl_xlsx_overdue_owners"),
    ]
    assert download_buttons(at) == shown
    # the compared townships' charts, each with its PNG, once their expander is opened
    at.session_state["overview_compare"] = True
    at.run()
    assert download_buttons(at) == shown + [
        ("下载图片（PNG）", "dl_png_overview_funds"), ("下载图片（PNG）", "dl_png_overview_loans"),
    ]
    # the briefing pack is labelled 汇报材料 and comes before the first chart
    assert "**汇报材料**" in [md.value for md in at.markdown]


def test_no_download_buttons_in_meeting_mode(app):
    at = open_page(app, "overview", meeting="1")
    assert download_buttons(at) == []


def test_attention_table_download_has_the_pages_headers(app, downloads_made):
    import io

    from openpyxl import load_workbook

    at = open_page(app, "overview")
    made = downloads_made["dl_xlsx_attention"]
    assert made["file_name"].startswith("需重点关注乡镇_全县_") and made["file_name"].endswith(".xlsx")
    ws = load_workbook(io.BytesIO(made["data"]())).worksheets[0]
    cols = ["rank", "township", "status", "reasons", "overdue_open", "overdue_rate",
            "progress_gap", "score"]
    expected = [t(f"overview.col.{c}", "zh") for c in cols]
    expected[5] += "（%）"  # the cells hold 2.5 for 2.5%
    expected[6] += "（个百分点）"  # a gap of rates: percentage points, never %
    assert [c.value for c in ws[1]] == expected
    assert ws.max_row == len(shown_table(at, "reasons")) + 1
    # the cells keep bare numbers, shown as the page shows them: 1,234 / +1.8 (points)
    formats = {cols[j]: {ws.cell(row=i, column=j + 1).number_format
                         for i in range(2, ws.max_row + 1)
                         if isinstance(ws.cell(row=i, column=j + 1).value, (int, float))}
               for j in (4, 5, 6, 7)}
    assert formats == {"overdue_open": {"#,##0"}, "overdue_rate": {"0.0"},
                       "progress_gap": {"+0.0;-0.0;0.0"}, "score": {"0.00"}}


@pytest.mark.parametrize("page", ["overview", "map", "phases", "issues", "funds", "loans"])
def test_an_empty_scope_shows_no_figures(app, demo_ledgers, page):
    # a township outside the chosen area: the filters select nothing, which is not the county
    areas = dict(zip(demo_ledgers.townships["township_code"], demo_ledgers.townships["area_group"], strict=False))
    code, area = next(iter(areas.items()))
    other_area = next(a for a in areas.values() if a != area)
    at = open_page(app, page, t=code, area=other_area)
    assert [i.value for i in at.info] == [t("scope.empty_hint", "zh")]
    assert not at.metric and not at.get("plotly_chart") and not at.dataframe


def test_the_data_page_works_with_an_empty_scope(app, demo_ledgers):
    areas = dict(zip(demo_ledgers.townships["township_code"], demo_ledgers.townships["area_group"], strict=False))
    code, area = next(iter(areas.items()))
    other_area = next(a for a in areas.values() if a != area)
    at = open_page(app, "data", t=code, area=other_area)
    assert at.get("file_uploader")


def _in_order(node):
    """The page's elements in document order (AppTest keeps each block's children in the
    order they were drawn)."""
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    for child in children.values():
        yield from _in_order(child)


def test_meeting_mode_opens_with_red_and_yellow_townships(app, demo_ledgers):
    """The projector's first screen: the red and yellow townships and their reasons come
    before the status strip and every other figure; tables are every row, as HTML."""
    at = open_page(app, "overview", meeting="1")
    assert not at.exception
    ctx = page_ctx(at)
    rep = expected_report(demo_ledgers, ctx.as_of, None)
    red = [e["township_name"] for e in rep["townships"] if e["status"] == "red"]
    yellow = [e["township_name"] for e in rep["townships"] if e["status"] == "yellow"]
    assert red and yellow  # the demo county has both today
    elements = list(_in_order(at.main))
    kinds = [getattr(e, "type", "") for e in elements]
    flagged = next(i for i, e in enumerate(elements)
                   if "class='duzhan-flagged'" in str(getattr(e, "value", "")))
    first_chart = kinds.index("plotly_chart")
    assert flagged < first_chart
    text = elements[flagged].value
    # each red township before each yellow one, each line with its chip and reasons
    pos = {name: text.index(f"<b>{name}</b>") for name in red + yellow}
    assert max(pos[n] for n in red) < min(pos[n] for n in yellow)
    assert text.count("duzhan-status-red") == len(red)
    assert text.count("duzhan-status-yellow") == len(yellow)
    assert f"background:{STATUS_COLORS['red']}" in text
    for e in rep["townships"]:
        if e["status"] != "green":
            details = {r.code: r for r in scope_status(e)[1]}
            for code in e["status_reasons"]:
                assert escape(reason_text(details[code], "zh")) in text
    # the tables grow to their content: every township of the attention ranking, in rank
    # order, in an HTML table (no fixed-height data grid)
    assert not at.dataframe
    tables = [e.value for e in elements if "class='duzhan-table'" in str(getattr(e, "value", ""))]
    ranking = attention_ranking(rep)
    names = [r["township_name"] for r in ranking]
    attention = tables[0]
    assert [attention.index(f">{n}<") for n in names] == sorted(
        attention.index(f">{n}<") for n in names)
    assert attention.count("<tr>") == len(names) + 1


@pytest.mark.parametrize("lang, code", [("zh", "zh-CN"), ("en", "en-US")])
def test_the_browser_speaks_the_pages_language(app, lang, code):
    """Streamlit's date picker names months and weekdays in the browser's language: the page
    sets it to its own (a zh page on an English browser showed "December 2026")."""
    at = open_page(app, "overview", lang=lang)
    (script,) = [h.proto for h in at.get("html") if "navigator" in h.proto.body]
    assert f"'{code}'" in script.body and script.unsafe_allow_javascript
