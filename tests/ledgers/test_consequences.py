"""Consequences of an import beyond its rows (issue 14, item 1): named in the preview and
refused unless confirmed. Hand-made county: six townships, three phases of 2024."""
from __future__ import annotations

from duzhan.ledgers import format_report, import_files, plan_import

from .helpers import dump, examples, ledger_csv

TOWNS = [{"township_code": f"10{i}", "township_name": f"镇{i}", "area_group": "东片",
          "households": 10 * i} for i in range(1, 7)]
PHASES = [
    {"phase_no": 1, "phase_name": "排查", "start_date": "2024-03-01", "end_date": "2024-04-30"},
    {"phase_no": 2, "phase_name": "整改", "start_date": "2024-05-01", "end_date": "2024-06-30"},
    {"phase_no": 3, "phase_name": "验收", "start_date": "2024-07-01", "end_date": "2024-08-31"},
]


def stored_county(engine):
    res = import_files(engine, [ledger_csv("townships", TOWNS), ledger_csv("phases", PHASES)],
                       user="t", confirmed=False)
    assert res.accepted, format_report(res, "en")  # into an empty store: no consequence
    assert res.consequences == []


def facts(plan) -> list[tuple]:
    return [(c.ledger, c.reason, c.params) for c in plan.consequences]


def test_renamed_and_added_townships(engine):
    stored_county(engine)
    towns = [dict(t) for t in TOWNS]
    towns[0]["township_name"] = "新镇1"
    towns.append({"township_code": "107", "township_name": "镇7"})
    plan = plan_import(engine, [ledger_csv("townships", towns)])
    assert plan.ok
    # 1 of 6 stored rows changed: 16.7 %, under the 20 % share
    assert facts(plan) == [
        ("townships", "renamed", {"item": "101", "old": "镇1", "new": "新镇1"}),
        ("townships", "townships_added", {"n": 1, "names": "107 镇7"}),
    ]
    assert plan.consequences[0].message("zh") == "乡镇 101 将改名：镇1 → 新镇1"


def test_moved_and_added_phases_and_the_share_of_rows(engine):
    stored_county(engine)
    phases = [dict(p) for p in PHASES]
    phases[1]["end_date"] = "2024-06-20"
    phases.append({"phase_no": 4, "phase_name": "巩固", "start_date": "2024-09-01",
                   "end_date": "2024-12-31"})
    plan = plan_import(engine, [ledger_csv("phases", phases)])
    assert plan.ok
    assert facts(plan) == [
        ("phases", "period_changed", {"item": 2, "old_start": "2024-05-01",
                                      "old_end": "2024-06-30", "new_start": "2024-05-01",
                                      "new_end": "2024-06-20"}),
        ("phases", "period_added", {"item": 4, "start": "2024-09-01", "end": "2024-12-31"}),
        ("phases", "many_replaced", {"n": 1, "stored": 3, "share": 1 / 3}),
    ]
    assert plan.consequences[2].message("zh") == "阶段：将修改或删除已有的 1 行，占已存 3 行的 33.3%"
    before = dump(engine)
    res = import_files(engine, [ledger_csv("phases", phases)], user="t", confirmed=False)
    assert not res.accepted and [p.reason for p in res.problems] == ["unconfirmed_consequences"]
    assert dump(engine)["phases"] == before["phases"]
    assert import_files(engine, [ledger_csv("phases", phases)], user="t").accepted


def test_the_share_counts_changed_rows_at_twenty_percent(engine):
    towns = TOWNS[:5]  # five stored: one changed row is 20 %
    assert import_files(engine, [ledger_csv("townships", towns)], user="t").accepted
    changed = [dict(t) for t in towns]
    changed[2]["households"] = 999
    assert facts(plan_import(engine, [ledger_csv("townships", changed)])) == [
        ("townships", "many_replaced", {"n": 1, "stored": 5, "share": 0.2})]
    # unchanged rows again: nothing to confirm
    assert plan_import(engine, [ledger_csv("townships", towns)]).consequences == []


def test_rows_identical_to_the_template_examples(engine):
    stored_county(engine)
    rows = examples("townships") + [{"township_code": "201", "township_name": "真镇"}]
    plan = plan_import(engine, [ledger_csv("townships", rows)])
    assert ("townships", "example_rows", {"n": 2}) in facts(plan)
