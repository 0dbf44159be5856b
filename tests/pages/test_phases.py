"""阶段进度 page: what it shows equals metrics for the same scope and as-of date."""
import datetime as dt
import math

import pandas as pd
import pytest

from duzhan.charts.phases import phase_label
from duzhan.i18n import t
from duzhan.metrics import phases as pm
from duzhan.presentation import format as fmt
from tests.pages.conftest import (
    chart_specs,
    check_week_card,
    download_buttons,
    expected_scope,
    metric,
    open_case,
    open_page,
    shown_table,
    trace_by_meta,
)

BEHIND = "522799109"  # 河口乡: overdue tasks in the demo
CASES = {
    "county": {},
    "township": {"t": BEHIND},
    "past": {"asof": "06-30"},  # 30 June of the demo campaign year: phase 3's last day
    "english": {"lang": "en"},
    "two_townships_past_en": {"t": "522799101,522799109", "asof": "06-30", "lang": "en"},
    "before_campaign": {"asof": "01-15"},  # no current phase
}


@pytest.fixture(scope="module", params=list(CASES))
def shown(request, demo_db_url, demo_ledgers):
    """The page opened once per case for every test reading it (none of them clicks)."""
    with open_case("phases", CASES[request.param], demo_db_url, demo_ledgers) as shown:
        at, ctx, scoped = shown
        codes = list(ctx.codes) if ctx.codes else None
        now = expected_scope(demo_ledgers, ctx.as_of, codes)["phases"]
        prev = expected_scope(demo_ledgers, ctx.as_of - dt.timedelta(days=7), codes)["phases"]
        yield at, ctx, scoped, now, prev


def test_cards(shown, demo_ledgers):
    at, ctx, _, now, prev = shown
    lang, cur = ctx.lang, now["current_phase"]
    phases = demo_ledgers.phases.set_index("phase_no")
    card = metric(at, t("phases.card.current", lang))
    overdue = metric(at, t("phases.card.overdue", lang))
    n_now = sum(p["tasks_overdue"] for p in now["by_phase"])
    n_prev = sum(p["tasks_overdue"] for p in prev["by_phase"])
    assert overdue.value == fmt.count(n_now)
    check_week_card(overdue, n_now, n_prev, "count", "up", lang)
    if cur is None:
        assert card.value == fmt.DASH
        assert any(i.value == t("phases.none_current", lang) for i in at.info)
        return
    assert card.value == t("phases.card.current_no", lang, no=cur)
    assert card.delta == phases.loc[cur, "phase_name"]
    p = next(x for x in now["by_phase"] if x["phase_no"] == cur)
    p0 = next(x for x in prev["by_phase"] if x["phase_no"] == cur)
    end = phases.loc[cur, "end_date"].date()
    assert metric(at, t("phases.card.days_left", lang)).value == t(
        "unit.days", lang, n=(end - ctx.as_of).days)
    comp = metric(at, t("phases.card.completion", lang))
    assert comp.value == fmt.pct(p["completion"])
    check_week_card(comp, p["completion"], p0["completion"], "pp", "down", lang)
    expected = metric(at, t("phases.card.expected", lang))
    assert expected.value == fmt.pct(p["expected"])
    check_week_card(expected, p["expected"], p0["expected"], "pp", None, lang)
    # behind (or not) is said in words
    said = [e.value for e in at.error] if now["behind"] else [s.value for s in at.success]
    key = "phases.behind_warn" if now["behind"] else "phases.on_track"
    if now["behind"] is not None:
        assert t(key, lang, phase=phase_label(cur, card.delta, lang), completion=fmt.pct(p["completion"]),
                 expected=fmt.pct(p["expected"])) in said


def test_gantt_and_completion_charts(shown, demo_ledgers):
    at, ctx, _, now, _ = shown
    gantt, completion = chart_specs(at)[:2]
    phases = demo_ledgers.phases.sort_values("phase_no")
    bars = trace_by_meta(gantt, "phases")
    assert bars["base"] == [d.date().isoformat() for d in phases["start_date"]]
    assert bars["y"] == [phase_label(n, nm, ctx.lang)
                         for n, nm in zip(phases["phase_no"], phases["phase_name"], strict=False)]
    # today's as-of date is marked with a vertical line
    assert gantt["layout"]["shapes"][0]["x0"] == ctx.as_of.isoformat()
    assert completion["data"][0]["y"] == [p["completion"] for p in now["by_phase"]]
    assert trace_by_meta(completion, "expected")["y"] == [p["expected"] for p in now["by_phase"]]
    cur = now["current_phase"]
    if cur is not None:
        i = [p["phase_no"] for p in now["by_phase"]].index(cur)
        end = phases.set_index("phase_no").loc[cur, "end_date"].date()
        assert t("phases.gantt.days_left", ctx.lang, days=(end - ctx.as_of).days) in bars["text"][i]
        behind_mark = t("phases.behind_mark", ctx.lang)
        assert (behind_mark in completion["data"][0]["text"][i]) == bool(now["behind"])
    for fig in (gantt, completion):
        assert ctx.scope_label() in fig["layout"]["title"]["text"]
        assert fmt.day(ctx.as_of, ctx.lang) in fig["layout"]["title"]["text"]


def test_township_heat_table(shown, demo_ledgers):
    at, ctx, scoped, _, _ = shown
    heat = trace_by_meta(chart_specs(at)[2], "heat")
    rows = list(ctx.codes) if ctx.codes else list(ctx.directory.names)
    want = pm.township_phase_table(scoped.phases, scoped.tasks, ctx.as_of, townships=rows)
    assert heat["y"] == [ctx.directory.label(c) for c in rows]
    for got_row, want_row in zip(heat["z"], want.to_numpy(), strict=False):
        for got, exp in zip(got_row, want_row, strict=False):
            assert (got is None) if math.isnan(exp) else got == pytest.approx(exp)


def test_overdue_tasks_table(shown, demo_ledgers):
    at, ctx, scoped, now, _ = shown
    want = pm.overdue_tasks(scoped.phases, scoped.tasks, ctx.as_of)
    assert len(want) == sum(p["tasks_overdue"] for p in now["by_phase"])
    assert not at.dataframe  # a static table: the page loads no data grid
    got = shown_table(at, "days_overdue")
    if want.empty:
        assert got is None
        return
    assert got["task_id"].tolist() == want["task_id"].tolist()
    assert got["days_overdue"].tolist() == [fmt.count(d) for d in want["days_overdue"]]
    assert got["department"].tolist() == want["department"].fillna(fmt.DASH).tolist()
    assert got["due_date"].tolist() == [fmt.column_cell(d, "date", fmt.day_column(ctx.lang))
                                        for d in want["due_date"]]
    assert (want["due_date"] < pd.Timestamp(ctx.as_of)).all()
    county_wide = t("phases.county_wide", ctx.lang)
    assert got["township"].tolist() == [
        county_wide if pd.isna(c) else ctx.directory.label(c) for c in want["township_code"]]
    if ctx.codes:
        assert county_wide not in got["township"].tolist()


def test_download_buttons(app):
    at = open_page(app, "phases")
    assert download_buttons(at) == [
        ("下载图片（PNG）", "dl_png_gantt"), ("下载图片（PNG）", "dl_png_completion"),
        ("下载图片（PNG）", "dl_png_heat"), ("下载表格（Excel）", "dl_xlsx_overdue_tasks"),
    ]
