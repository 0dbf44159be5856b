"""What the briefing pack says, on the demo county mid-campaign (no drawing): the cover's
red townships and why, each topic's cards with the change since last week (the dashboard
pages' own figures), the overdue issues and tasks with their 责任单位."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from duzhan.demo.county import BEHIND_TOWNSHIP, LOAN_RISK_TOWNSHIP, TOWNSHIP_BY_CODE
from duzhan.exports.brief import TOPICS, brief_inputs, content, plan
from duzhan.metrics.report import scope_metrics
from duzhan.presentation import format as fmt
from duzhan.presentation.format import reason_text
from duzhan.viewmodels import common, funds, issues, loans, phases
from duzhan.viewmodels.source import LedgerSource
from tests.exports.helpers import as_of, demo_engine  # noqa: F401


@pytest.fixture(scope="module")
def inputs(demo_engine, as_of):
    return brief_inputs(demo_engine, as_of)


@pytest.fixture(scope="module")
def source(demo_ledgers, as_of):
    return LedgerSource(demo_ledgers, as_of)


def test_the_cover_names_exactly_the_red_townships_with_their_reasons(inputs):
    red = content.red_townships(inputs)
    # the demo county is built with two red townships: 河口乡 behind, 白岩乡 loans at risk
    assert [f.name for f in red] == [TOWNSHIP_BY_CODE[c].name
                                     for c in (BEHIND_TOWNSHIP, LOAN_RISK_TOWNSHIP)]
    entries = {e["township_code"]: e for e in inputs.report["townships"]}
    for f in red:
        entry = entries[f.code]
        assert entry["status"] == "red" and entry["status_reasons"]
        # every reason of the report, in its words and figures, in the report's order
        assert f.reasons == "；".join(reason_text(r, "zh")
                                     for r in common.reason_details(entry))
    behind = next(f for f in red if f.code == BEHIND_TOWNSHIP)
    n_overdue = entries[BEHIND_TOWNSHIP]["issues"]["overdue_open"]
    assert n_overdue > 0 and f"逾期未销号问题 {n_overdue} 个" in behind.reasons
    assert "超过 3.0% 红线" in next(f for f in red if f.code == LOAN_RISK_TOWNSHIP).reasons
    assert {f.name for f in content.yellow_townships(inputs)}.isdisjoint(f.name for f in red)


def _pairs(cards):
    return [(c.label, c.value, None if c.kind is None else fmt.change(c.now, c.then, c.kind))
            for c in cards if c is not None]


def test_each_topic_shows_the_change_since_last_week_of_its_page(inputs, source):
    got = {k: [(c.label, c.value, c.change) for c in v]
           for k, v in content.topic_changes(inputs).items()}
    assert got["issues"] == _pairs([*issues.build(source).cards,
                                    issues.build(source).forecast_card])
    assert got["funds"] == _pairs(funds.build(source).cards)
    assert got["loans"] == _pairs(loans.build(source).cards)
    assert got["phases"] == _pairs(phases.build(source).cards)
    # by hand: open issues now and a week before, from the metrics of each day
    now = scope_metrics(source.full, inputs.as_of)["issues"]["open"]
    then = scope_metrics(source.full, inputs.as_of - dt.timedelta(days=7))["issues"]["open"]
    (open_card,) = [c for c in content.topic_changes(inputs)["issues"] if c.label == "未销号"]
    assert open_card.value == fmt.count(now)
    assert open_card.change == (f"{now - then:+d}" if now != then else "0")
    assert open_card.tone == ("worse" if now > then else "better" if now < then else "flat")


def test_without_the_week_before_the_cards_show_no_change(inputs):
    import dataclasses

    bare = dataclasses.replace(inputs, before=None)
    changes = content.topic_changes(bare)
    assert changes["issues"][0].value == content.topic_changes(inputs)["issues"][0].value
    assert all(c.change is None for cs in changes.values() for c in cs)


def test_overdue_issues_longest_first_with_their_department(inputs, demo_ledgers):
    rows = content.overdue_issue_rows(inputs)
    L = demo_ledgers.issues
    D = pd.Timestamp(inputs.as_of)
    # by hand: open at D (not closed by D) and past the deadline
    late = L[(L["found_date"] <= D) & ~(L["closed_date"] <= D) & (L["deadline"] < D)]
    assert len(rows) == len(late) == inputs.figures["issues"]["overdue_open"] > 0
    days = [int(r["days_overdue"].replace(",", "")) for r in rows]
    assert days == sorted(days, reverse=True)
    assert days[0] == (D - late["deadline"].min()).days
    by_id = late.set_index("issue_id")
    for r in rows:
        assert r["department"] == by_id.loc[r["issue_id"], "department"]
        assert r["township"] == inputs.names[by_id.loc[r["issue_id"], "township_code"]]
        assert r["deadline"] == fmt.day(by_id.loc[r["issue_id"], "deadline"].date())
    assert [r["rank"] for r in rows[:3]] == ["1", "2", "3"]
    note = content.overdue_issues_note(inputs)
    assert f"逾期未销号问题 {len(rows)} 个" in note
    assert f"最久逾期 {days[0]} 天（{rows[0]['township']} · {rows[0]['department']}）" in note


def test_overdue_tasks_carry_their_department(inputs, source):
    rows = content.overdue_task_rows(inputs)
    table = phases.build(source).overdue.frame
    assert [r["task_id"] for r in rows] == table["task_id"].tolist()
    assert [r["department"] for r in rows] == table["department"].tolist()
    assert all(r["department"] != fmt.DASH for r in rows)  # every demo task names its unit


def test_the_plan_has_every_topic_in_order(inputs):
    keys = [p.key for p in plan(inputs)]
    assert list(dict.fromkeys(keys)) == ["cover", *TOPICS]
    overdue = [p for p in plan(inputs) if p.key == "overdue"]
    shown = [r["issue_id"] for p in overdue for r in p.slots[0].payload.rows]
    assert shown == [r["issue_id"] for r in content.overdue_issue_rows(inputs)]
    for topic in ("phases", "issues", "funds", "loans", "households"):
        page = next(p for p in plan(inputs) if p.key == topic)
        assert page.slots[0].kind == "cards"


def test_english_rows_write_days_as_days(demo_engine, as_of):
    rows = content.overdue_issue_rows(brief_inputs(demo_engine, as_of, lang="en"))
    assert rows and all(len(r["deadline"]) == 10 and r["deadline"][4] == "-" for r in rows)
