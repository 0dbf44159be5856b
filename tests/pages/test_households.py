"""户情 page, from the entry point: the figures shown equal `scope_metrics` / `duzhan metrics`
(the ``guarantees``, ``monitoring`` and ``relocation`` blocks) for the same filters and
as-of date, the replayed series equal the figures of earlier days, and no imported household
id is ever shown, downloaded or printed in the briefing pack unmasked."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest

from duzhan.i18n import t
from duzhan.metrics import households as hm
from duzhan.presentation import format as fmt
from duzhan.privacy import is_masked
from duzhan.viewmodels.households import township_columns
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
    shown_tables,
    trace_by_meta,
)

ITEMS = hm.GUARANTEE_ITEMS


def _blocks(ledgers, day, codes) -> dict:
    s = expected_scope(ledgers, day, codes)
    return {k: s[k] for k in ("guarantees", "monitoring", "relocation")}


def check_page(at, ledgers, lang: str = "zh") -> dict:
    ctx = page_ctx(at)
    D, codes = ctx.as_of, list(ctx.codes) if ctx.codes else None
    now = _blocks(ledgers, D, codes)
    before = _blocks(ledgers, D - dt.timedelta(days=7), codes)
    g, m, r = now["guarantees"], now["monitoring"], now["relocation"]
    T = lambda key: t(key, lang)  # noqa: E731

    # cards: value and week-over-week change (more gaps, fewer secured: worse)
    cards = [  # label, value, block, figure, kind, worse
        (T("households.any_gap"), fmt.count(g["any_gap"]), "guarantees", "any_gap", "count",
         "up"),
        (T("households.secured_rate"), fmt.pct(g["secured_rate"]), "guarantees",
         "secured_rate", "pp", "down"),
        (T("households.check_coverage"), fmt.pct(g["check_coverage"]), "guarantees",
         "check_coverage", "pp", "down"),
        (T("households.at_risk"), fmt.count(m["at_risk"]), "monitoring", "at_risk", "count",
         "up"),
        (T("households.unassisted_over_15d"), fmt.count(m["unassisted_over_15d"]),
         "monitoring", "unassisted_over_15d", "count", "up"),
        (T("households.occupancy_rate"), fmt.pct(r["occupancy_rate"]), "relocation",
         "occupancy_rate", "pp", "down"),
        (T("households.employment_rate"), fmt.pct(r["employment_rate"]), "relocation",
         "employment_rate", "pp", "down"),
    ]
    for label, value, block, key, kind, worse in cards:
        card = metric(at, label)
        assert card.value == value, label
        check_week_card(card, now[block][key], before[block][key], kind, worse, lang)

    # the three parts, each a tab drawn when picked (the reader's clicks, a rerun each)
    parts = each_tab(at, LAZY_TABS["households"])
    sub = t("households.chart.sub", lang, scope=ctx.scope_label(), as_of=fmt.day(D, lang))

    def pick() -> dict:
        assert next(parts)
        shown = charts_by_title(at)
        for spec in shown.values():
            assert spec["layout"]["title"]["subtitle"]["text"] == sub
        return shown

    # --- 两不愁三保障 (the tab shown first: no chart of the other parts is sent)
    charts = pick()
    assert T("households.chart.funnel") not in charts
    assert T("households.chart.sites") not in charts

    # gaps by item: the block's counts, any gap last
    bars = charts[T("households.chart.gap_items")]["data"][0]
    assert list(bars["x"]) == [g[f"gap_{i}"] for i in ITEMS] + [g["any_gap"]]

    # replayed weekly: the last point is D, and every point is the figure of its own day
    weekly = charts[T("households.chart.gaps_over_time")]
    any_gap = trace_by_meta(weekly, "any_gap")
    assert any_gap["x"][-1] == D.isoformat() and any_gap["y"][-1] == g["any_gap"]
    for back in (1, 4):
        if len(any_gap["x"]) > back:
            day = dt.date.fromisoformat(any_gap["x"][-1 - back])
            assert day == D - dt.timedelta(days=7 * back)
            then = _blocks(ledgers, day, codes)["guarantees"]
            assert any_gap["y"][-1 - back] == then["any_gap"]
            for i in ITEMS:
                assert trace_by_meta(weekly, f"gap_{i}")["y"][-1 - back] == then[f"gap_{i}"]
    # by township: the report's township entries (one township: a note, no such chart)
    rep = expected_report(ledgers, D, codes)
    one = ctx.codes is not None and len(ctx.codes) == 1
    note = t("overview.compare_one", lang, scope=ctx.scope_label())
    assert (note in [c.value for c in at.caption]) == one
    assert (T("households.chart.gaps_by_township") in charts) == (not one)
    assert (T("households.chart.coverage") in charts) == (not one)
    if not one:
        stacked = charts[T("households.chart.gaps_by_township")]
        for i in ITEMS:
            tr = trace_by_meta(stacked, i)
            assert dict(zip(tr["y"], tr["x"], strict=True)) == {
                e["township_name"]: e["guarantees"][f"gap_{i}"] for e in rep["townships"]}
        cov = charts[T("households.chart.coverage")]["data"][0]
        got = dict(zip(cov["y"], cov["x"], strict=True))
        for e in rep["townships"]:
            want = e["guarantees"]["check_coverage"]
            assert (got[e["township_name"]] is None) if want is None else \
                got[e["township_name"]] == pytest.approx(want, abs=1e-6)
    # by township, in two tabs (the guarantees; checks, monitoring and sites), as shown
    cols = {c.key: c for c in township_columns(lang)}

    def shown(key, values):
        return [fmt.column_cell(v, cols[key].kind, cols[key].format) for v in values]

    names = [e["township_name"] for e in rep["townships"]]
    towns = shown_table(at, "secured_rate")
    follow = shown_table(at, "checked_90d")
    assert list(towns["township"]) == list(follow["township"]) == names
    for col in ("checked", "any_gap", *(f"gap_{i}" for i in ITEMS)):
        assert list(towns[col]) == shown(col, [e["guarantees"][col] for e in rep["townships"]])
    assert list(follow["checked_90d"]) == shown(
        "checked_90d", [e["guarantees"]["checked_90d"] for e in rep["townships"]])
    for col in ("at_risk", "unassisted_over_15d"):
        assert list(follow[col]) == shown(col, [e["monitoring"][col] for e in rep["townships"]])
    assert list(follow["occupancy_rate"]) == shown("occupancy_rate", [
        None if e["relocation"]["occupancy_rate"] is None else
        e["relocation"]["occupancy_rate"] * 100 for e in rep["townships"]])

    # --- 防返贫监测
    charts = pick()
    funnel = charts[T("households.chart.funnel")]
    ident, assisted, cleared = (trace_by_meta(funnel, k) for k in ("identified", "assisted", "cleared"))
    assert (ident["y"][-1], assisted["y"][-1], cleared["y"][-1]) == (
        m["monitored"], m["monitored"] - m["unassisted"], m["cleared"])
    if len(ident["x"]) > 1:
        then = before["monitoring"]
        assert (ident["y"][-2], assisted["y"][-2], cleared["y"][-2]) == (
            then["monitored"], then["monitored"] - then["unassisted"], then["cleared"])

    # at risk by risk and by category: the block's objects
    for key, title in (("at_risk_by_risk", "households.chart.by_risk"),
                       ("at_risk_by_category", "households.chart.by_category")):
        bar = charts[T(title)]["data"][0]
        assert dict(zip(bar["y"], bar["x"], strict=True)) == m[key]

    # the households waiting: masked, longest first, as many as the card says
    waiting = dataframe_with(at, "days_waiting")
    if m["unassisted_over_15d"] == 0:
        assert waiting is None
    else:
        assert len(waiting) == m["unassisted_over_15d"]
        assert all(is_masked(v) for v in waiting["household"])
        assert (waiting["days_waiting"] > hm.UNASSISTED_DAYS).all()
        assert list(waiting["days_waiting"]) == sorted(waiting["days_waiting"], reverse=True)

    # --- 易地扶贫搬迁
    charts = pick()
    # sites: every site in scope by its latest check
    # (static tables: the data grid ran off the page at 1366 px)
    assert not [d for d in at.dataframe if "site_code" in d.value.columns]
    sites = [f for f in shown_tables(at) if "site_code" in f.columns]

    def total(cells):  # counts as shown: 1,234
        return sum(int(v.replace(",", "")) for v in cells)

    if r["sites"] == 0:
        assert not sites
    else:
        table = sites[0]
        assert len(table) == r["sites"]
        assert total(table["planned_households"]) == r["planned"]
        assert total(table["moved_in"]) == r["moved_in"]
        assert total(table["employed"]) == r["employed"]
        late = sites[1] if len(sites) > 1 else table.iloc[0:0]
        assert len(late) == r["sites_unchecked_90d"]
        site_bars = charts[T("households.chart.sites")]
        assert sum(trace_by_meta(site_bars, "moved_in")["x"]) == r["moved_in"]
    assert next(parts, None) is None  # the first part picked again, as the page opens
    return now


def household_ids(ledgers) -> set[str]:
    ids = set()
    for frame in (ledgers.monitored, ledgers.guarantees, ledgers.loans):
        ids |= set(frame["household_id"].dropna().astype(str))
    return ids


def test_households_county(app, demo_ledgers):
    at = open_page(app, "households")
    assert page_ctx(at).codes is None
    now = check_page(at, demo_ledgers)
    # the demo county has each part: checks with gaps, households at risk, sites
    assert now["guarantees"]["checked"] > 0 and now["monitoring"]["monitored"] > 0
    assert now["relocation"]["sites"] > 0


def test_households_one_township(app, demo_ledgers):
    D = demo_ledgers.phases["start_date"].min().date() + dt.timedelta(days=200)
    rep = expected_report(demo_ledgers, D)
    # the township with the most households with a gap: its own figures
    worst = max(rep["townships"], key=lambda e: (e["guarantees"]["any_gap"],
                                                 e["township_code"]))
    assert worst["guarantees"]["any_gap"] > 0
    at = open_page(app, "households", t=worst["township_code"], asof=D.isoformat())
    assert page_ctx(at).codes == (worst["township_code"],)
    now = check_page(at, demo_ledgers)
    assert now["guarantees"] == worst["guarantees"]
    assert now["monitoring"] == worst["monitoring"]
    # one township is not "各乡镇": its row under a heading of its own
    headings = [h.value for h in at.subheader]
    assert t("households.section.township_one", "zh") in headings
    assert t("households.section.townships", "zh") not in headings


def test_households_past_as_of(app, demo_ledgers):
    start = demo_ledgers.phases["start_date"].min().date()
    D = start + dt.timedelta(days=120)
    at = open_page(app, "households", asof=D.isoformat())
    assert page_ctx(at).as_of == D
    check_page(at, demo_ledgers)


def test_households_english(app, demo_ledgers):
    at = open_page(app, "households", lang="en")
    assert page_ctx(at).lang == "en"
    check_page(at, demo_ledgers, "en")
    assert at.title[0].value == t("page.households", "en") == "Households"
    assert metric(at, "Occupancy rate")


def test_households_meeting_mode(app, demo_ledgers):
    at = open_page(app, "households", meeting="1")
    assert len(at.metric) == 7
    # the projector: every part and its eight charts, no tab to pick
    assert t("households.section.monitoring", "zh") not in [tab.label for tab in at.tabs]
    headings = [h.value for h in at.subheader]
    for part in ("guarantees", "monitoring", "relocation"):
        assert t(f"households.section.{part}", "zh") in headings
    assert len(charts_by_title(at)) == 8
    for spec in charts_by_title(at).values():
        assert spec["layout"]["font"]["size"] >= 20
        assert "Noto Sans CJK SC" in spec["layout"]["font"]["family"]
    assert not at.get("download_button")
    # tables are HTML in the page's big type, none of them with an id unmasked
    assert assert_no_household_ids(at, household_ids(demo_ledgers)) >= 2


def test_download_buttons(app, demo_ledgers):
    at = open_page(app, "households")
    now = _blocks(demo_ledgers, page_ctx(at).as_of, None)
    png = lambda k: ("下载图片（PNG）", f"dl_png_households_{k}")  # noqa: E731
    xlsx = lambda k: ("下载表格（Excel）", f"dl_xlsx_households_{k}")  # noqa: E731
    want = [png("gap_items"), png("gaps_by_township"), png("gaps_over_time"), png("coverage"),
            xlsx("by_township"), png("funnel"), png("by_risk"), png("by_category")]
    if now["monitoring"]["unassisted_over_15d"]:
        want.append(xlsx("unassisted"))
    want += [png("sites"), xlsx("sites_table")]
    if now["relocation"]["sites_unchecked_90d"]:
        want.append(xlsx("unchecked"))
    # each part's downloads, as each tab is picked
    assert [b for _ in each_tab(at, LAZY_TABS["households"]) for b in download_buttons(at)] == want


def _workbook_text(data: bytes) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows()
                     for c in row if c.value is not None)


def test_no_household_id_unmasked_on_page_downloads_and_pack(app, demo_ledgers, demo_db_url,
                                                            downloads_made):
    """Every imported household id (monitored, guarantees, loans): none on the page, in any
    of its Excel downloads, or in the briefing pack (PDF text and PPTX)."""
    ids = household_ids(demo_ledgers)
    assert len(ids) > 100 and not demo_ledgers.monitored.empty
    # a past day too: the lists are longest mid-campaign
    start = demo_ledgers.phases["start_date"].min().date()
    for asof in (None, (start + dt.timedelta(days=120)).isoformat()):
        downloads_made.clear()
        at = open_page(app, "households", **({"asof": asof} if asof else {}))
        # every part (a tab each, drawn when picked); its downloads are recorded as drawn
        assert sum(assert_no_household_ids(at, ids)
                   for _ in each_tab(at, LAZY_TABS["households"])) >= 2
        xlsx = {k: v for k, v in downloads_made.items() if k.startswith("dl_xlsx_")}
        assert "dl_xlsx_households_by_township" in xlsx
        for key, made in xlsx.items():
            text = _workbook_text(made["data"]())
            assert not [i for i in ids if i in text], key
        waiting = xlsx.get("dl_xlsx_households_unassisted")
        if waiting is not None:
            from openpyxl import load_workbook

            ws = load_workbook(io.BytesIO(waiting["data"]())).worksheets[0]
            assert ws.cell(row=1, column=1).value == t("households.col.household", "zh")
            cells = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
            assert cells and all(is_masked(v) for v in cells)

    from pptx import Presentation

    from duzhan.exports.brief import brief_inputs, build_brief
    from duzhan.store.db import make_engine

    engine = make_engine(demo_db_url)
    try:
        inputs = brief_inputs(engine, page_ctx(at).as_of, boundaries=None)
    finally:
        engine.dispose()
    deck = Presentation(io.BytesIO(build_brief(inputs, "pptx")[0]))
    text = "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                     if shape.has_text_frame)
    text += "\n".join(str(cell.text) for slide in deck.slides for shape in slide.shapes
                      if shape.has_table for row in shape.table.rows for cell in row.cells)
    assert t("exports.brief.page.households", "zh") in text
    assert not [i for i in ids if i in text]
    if shutil.which("pdftotext"):
        pdf = build_brief(inputs, "pdf")[0]
        out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                             check=True).stdout.decode()
        assert t("exports.brief.page.households", "zh") in out
        assert not [i for i in ids if i in out.replace("\n", "")]
