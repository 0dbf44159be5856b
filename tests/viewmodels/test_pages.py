"""Each page's view model on the demo county at fixed days (before the campaign, mid-
campaign, after its clearance deadline): the figures equal the metrics module's, and each
branch a day takes really has rows to check."""
from __future__ import annotations

import pandas as pd
import pytest

from duzhan.i18n import t
from duzhan.metrics import issues as im
from duzhan.metrics import phases as pm
from duzhan.metrics import supervision as sm
from duzhan.metrics.status import attention_ranking
from duzhan.presentation import format as fmt
from duzhan.presentation.words import reason_texts, status_word
from duzhan.viewmodels import common, funds, issues, overview, phases
from duzhan.viewmodels import map as mapmodel
from duzhan.viewmodels.common import week_before


def test_overview(demo_source, when):
    src = demo_source
    vm = overview.build(src)
    rep, prev = src.report(), src.report(week_before(src.as_of))
    fig = src.scope_figures()
    counts = {s: sum(e["status"] == s for e in rep["townships"]) for s in ("red", "yellow",
                                                                          "green")}
    assert [(c.label, c.now) for c in vm.status_cards] == [
        (status_word(s, "zh"), n) for s, n in counts.items()]
    assert [c.then for c in vm.status_cards] == [
        sum(e["status"] == s for e in prev["townships"]) for s in counts]
    # a summons due (约谈) names its units: leaders act on who
    led = src.ledgers()
    units = sm.unit_names(led.villages, led.sites, led.townships)
    summons = (fig.get("supervision") or {}).get("summons") or []
    who = t("reason.summons_due_who", "zh", value=len(summons),
            units="、".join(units[s["unit"]] for s in summons))
    assert vm.scope_reasons == [
        who if r["code"] == "summons_due" and summons else text
        for r, text in zip(fig["status_details"], reason_texts(fig["status_details"], "zh"),
                           strict=True)]
    if when == "after":
        assert who in vm.scope_reasons, "after the deadline a summons is due"
    assert {f.code for f in vm.flagged} == {e["township_code"] for e in rep["townships"]
                                            if e["status"] != "green"}
    assert vm.flagged, "every fixed day has a flagged township"
    assert [c.value for c in vm.issue_cards] == [
        fmt.count(fig["issues"]["open"]), fmt.count(fig["issues"]["overdue_open"]),
        fmt.pct(fig["issues"]["closure_rate"])]
    ranking = attention_ranking(rep)
    assert list(vm.attention.frame["township"]) == [r["township_name"] for r in ranking]
    assert list(vm.attention.frame["score"]) == [r["score"] for r in ranking]
    assert list(vm.attention.headers()) == list(vm.attention.frame.columns)

    overdue = im.overdue_list(src.ledgers().issues, src.as_of)
    if when == "before":  # no phase yet, nothing overdue
        assert vm.phase is None and vm.phase_cards == []
        assert vm.owners is None and overdue.empty
    else:
        assert vm.owners is not None and len(vm.owners.frame) > 0
        assert vm.owners.frame["overdue_issues"].sum() == len(overdue)
        assert vm.owners.frame["max_days"].max() == overdue["days_overdue"].max()
    if when == "mid":
        entry = common.phase_entry(fig["phases"], fig["phases"]["current_phase"])
        assert vm.phase.no == fig["phases"]["current_phase"] == 3
        assert [c.label for c in vm.phase_cards][-1] and vm.phase_cards[-1].now == \
            entry["completion"]
        assert vm.changes, "mid-campaign a township changed status during the week"
    if when == "after":
        assert vm.phase is None and vm.phase_cards == []


def test_issues(demo_source, when):
    src = demo_source
    vm = issues.build(src)
    now = src.scope_figures()["issues"]
    assert [c.now for c in vm.cards] == [now[k] for k in (
        "found", "closed", "open", "closure_rate", "overdue_open", "closed_last_28d")]
    # before the campaign nothing is open; later the forecast is on time, late or stalled
    assert vm.level == "done" if when == "before" else vm.level in ("ok", "late", "stalled")
    chart, empty = issues.burndown_chart(src, vm, None, vm.default_start)
    assert chart.name_key == "burndown" and not empty
    if when == "before":
        assert vm.overdue is None and all(b.chart is None for b in vm.breakdowns)
        return
    late = im.overdue_list(src.ledgers().issues, src.as_of)
    assert len(vm.overdue.frame) == len(late) > 0
    assert list(vm.targets)[0] == "clearance"
    assert vm.targets["clearance"][0] == pd.Timestamp(now["clearance_target"]).date()
    # the ideal line runs from the peak of open issues
    series = vm.series.set_index("date")["open"]
    assert series[pd.Timestamp(vm.default_start)] == series.max()
    by_town = vm.breakdowns[0].table.frame
    assert by_town["open"].sum() == now["open"]


def test_phases(demo_source, when):
    src = demo_source
    vm = phases.build(src)
    now = src.scope_figures()["phases"]
    assert vm.cards[-1].now == sum(p["tasks_overdue"] for p in now["by_phase"])
    late = pm.overdue_tasks(src.ledgers().phases, src.ledgers().tasks, src.as_of)
    if when == "mid":
        assert vm.phase.no == 3 and all(c is not None for c in vm.cards)
        assert vm.level in ("behind", "on_track")
    else:
        assert vm.phase is None and vm.cards[1:4] == [None, None, None]
        assert vm.level == "none"
    if when == "before":
        assert vm.overdue is None and late.empty
    else:
        assert len(vm.overdue.frame) == len(late) > 0
        # every demo task names its responsible unit (tasks.department), shown as is
        assert late["department"].notna().all()
        assert vm.overdue.frame["department"].tolist() == late["department"].tolist()
        assert "责任单位" in vm.overdue.headers().values()


def test_funds(demo_source, when):
    src = demo_source
    vm = funds.build(src)
    now = src.scope_figures()["funds"]
    assert [c.now for c in vm.cards] == [now[k] for k in (
        "allocated", "disbursed", "disbursement_rate", "progress_gap", "stalled_projects")]
    assert [c.name_key for _, c in vm.breakdowns] == [f"funds_by_{b}" for b in funds.BY]
    if when == "before":
        assert vm.stalled is None
    else:
        assert len(vm.stalled.frame) == now["stalled_projects"] > 0


@pytest.mark.parametrize("metric", ["status", "overdue_rate"])
def test_map_table(demo_source, metric):
    vm = mapmodel.build(demo_source, metric)
    frame, order = vm.table.frame, vm.table.order
    assert ("cls_label" in order) == (metric != "status")
    rep = demo_source.report()
    assert list(frame["township_code"]) == [e["township_code"] for e in rep["townships"]]
    assert list(frame["status"]) == [status_word(e["status"], "zh") for e in rep["townships"]]
    assert vm.table.headers()["overdue_rate"].endswith("（%）")
    # shown in tabs (20 columns ran off a 1366 px page): every figure in exactly one tab,
    # each after the township's name, status (and class); the file keeps the code too
    lead = ("township_name", "status", *(("cls_label",) if metric != "status" else ()))
    shown = [k for g in vm.table.groups for k in g.keys[len(lead):]]
    assert all(g.keys[:len(lead)] == lead for g in vm.table.groups)
    assert sorted(shown) == sorted(set(order) - {*lead, "township_code"})
    assert len(vm.table.groups) == 3
    assert len(vm.listed) > 0 and vm.villages is vm.listed
