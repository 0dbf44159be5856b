"""Township status · 乡镇亮灯: one case per rule, plus null comparisons and the ranking."""
import copy
import datetime as dt

import pytest

from duzhan.metrics.status import attention_ranking, scope_status, shortfall_score


def green():
    """Figures that fire no rule."""
    return {
        "issues": {"found": 10, "closed": 10, "open": 0, "closure_rate": 1.0,
                   "overdue_open": 0, "closed_last_28d": 2,
                   "forecast_clear_date": dt.date(2024, 6, 30), "clearance_target": None,
                   "found_last_28d": 1, "net_forecast_clear_date": dt.date(2024, 6, 30)},
        "funds": {"progress_gap": 0.0},
        "loans": {"overdue_rate": 0.0},
        "phases": {"current_phase": 1, "behind": False, "by_phase": [
            {"phase_no": 1, "tasks_total": 10, "tasks_done": 5, "completion": 0.5,
             "expected": 0.5, "tasks_overdue": 0},
            {"phase_no": 2, "tasks_total": 4, "tasks_done": 0, "completion": 0.0,
             "expected": 0.0, "tasks_overdue": 0}]},
    }


def with_(**changes):
    f = green()
    for path, value in changes.items():
        part, key = path.split("__")
        f[part][key] = value
    return f


def open_issues(net_forecast, target, forecast=dt.date(2024, 7, 1)):
    """Open issues; the rule reads the net forecast, never the closing-only one."""
    return {"issues__open": 3, "issues__closed": 7, "issues__forecast_clear_date": forecast,
            "issues__net_forecast_clear_date": net_forecast,
            "issues__clearance_target": target}


CASES = [
    ("all_green", {}, "green", []),
    ("overdue_issue", {"issues__overdue_open": 1}, "red", ["overdue_issues"]),
    ("loan_over_3pct", {"loans__overdue_rate": 0.031}, "red", ["loan_overdue_rate_over_3pct"]),
    ("loan_exactly_3pct", {"loans__overdue_rate": 0.03}, "yellow",
     ["loan_overdue_rate_over_1pct"]),
    ("loan_over_1pct", {"loans__overdue_rate": 0.0101}, "yellow",
     ["loan_overdue_rate_over_1pct"]),
    ("loan_exactly_1pct", {"loans__overdue_rate": 0.01}, "green", []),
    ("gap_below_20pct", {"funds__progress_gap": -0.21}, "red", ["funds_gap_over_20pct"]),
    ("gap_exactly_20pct", {"funds__progress_gap": -0.20}, "yellow", ["funds_gap_over_10pct"]),
    ("gap_below_10pct", {"funds__progress_gap": -0.11}, "yellow", ["funds_gap_over_10pct"]),
    ("gap_exactly_10pct", {"funds__progress_gap": -0.10}, "green", []),
    ("gap_ahead", {"funds__progress_gap": 0.3}, "green", []),
    ("net_forecast_null", open_issues(None, dt.date(2024, 9, 1)), "yellow",
     ["net_forecast_none"]),
    # closing-only forecast null or late does not matter when the net one is on time
    ("closing_forecast_null_net_on_time",
     open_issues(dt.date(2024, 8, 1), dt.date(2024, 9, 1), forecast=None), "green", []),
    ("closing_forecast_on_time_net_null",
     open_issues(None, dt.date(2024, 9, 1), forecast=dt.date(2024, 7, 1)), "yellow",
     ["net_forecast_none"]),
    ("net_forecast_null_nothing_open",
     {"issues__open": 0, "issues__net_forecast_clear_date": None}, "green", []),
    ("forecast_late", open_issues(dt.date(2024, 9, 2), dt.date(2024, 9, 1)), "yellow",
     ["forecast_after_target"]),
    ("forecast_on_target", open_issues(dt.date(2024, 9, 1), dt.date(2024, 9, 1)), "green", []),
    ("forecast_iso_strings", open_issues("2024-09-02", "2024-09-01"), "yellow",
     ["forecast_after_target"]),
    ("behind", {"phases__behind": True}, "yellow", ["phase_behind"]),
    # null figures never fire
    ("null_loan_rate", {"loans__overdue_rate": None}, "green", []),
    ("null_gap", {"funds__progress_gap": None}, "green", []),
    ("null_behind", {"phases__behind": None}, "green", []),
]


@pytest.mark.parametrize("name, changes, status, codes", CASES, ids=[c[0] for c in CASES])
def test_rule(name, changes, status, codes):
    got_status, reasons = scope_status(with_(**changes))
    assert got_status == status
    assert [r.code for r in reasons] == codes


def test_phase_tasks_overdue_only_current_phase():
    f = green()
    f["phases"]["by_phase"][0]["tasks_overdue"] = 2
    status, reasons = scope_status(f)
    assert status == "red" and [r.code for r in reasons] == ["phase_tasks_overdue"]
    assert reasons[0].value == 2
    g = green()
    g["phases"]["by_phase"][1]["tasks_overdue"] = 2  # phase 2 is not current
    assert scope_status(g)[0] == "green"
    h = copy.deepcopy(f)
    h["phases"]["current_phase"] = None  # outside all phases: nothing to compare
    assert scope_status(h)[0] == "green"


def test_behind_computed_from_json_figures():
    # JSON-ready phases carry no "behind": derived from the current phase's figures
    f = green()
    del f["phases"]["behind"]
    f["phases"]["by_phase"][0].update(completion=0.3, expected=0.5)  # 0.3 < 0.4
    assert [r.code for r in scope_status(f)[1]] == ["phase_behind"]
    f["phases"]["by_phase"][0].update(completion=None)
    assert scope_status(f)[0] == "green"


def test_red_and_yellow_reasons_together_with_figures():
    f = with_(issues__overdue_open=2, loans__overdue_rate=0.05, funds__progress_gap=-0.15)
    status, reasons = scope_status(f)
    assert status == "red"
    assert [(r.code, r.level, r.value) for r in reasons] == [
        ("overdue_issues", "red", 2),
        ("loan_overdue_rate_over_3pct", "red", 0.05),   # 1% not repeated
        ("funds_gap_over_10pct", "yellow", -0.15),
    ]
    assert reasons[1].to_dict() == {"code": "loan_overdue_rate_over_3pct", "level": "red",
                                    "value": 0.05, "threshold": 0.03}


def test_net_forecast_reasons_carry_their_figures():
    # net_forecast_none: value = closed_last_28d, threshold = found_last_28d (closed ≤ found)
    f = with_(issues__open=5, issues__closed_last_28d=4, issues__found_last_28d=6,
              issues__net_forecast_clear_date=None, issues__clearance_target="2024-09-01")
    (r,) = scope_status(f)[1]
    assert r.to_dict() == {"code": "net_forecast_none", "level": "yellow", "value": 4,
                           "threshold": 6}
    g = with_(**open_issues(dt.date(2024, 9, 2), dt.date(2024, 9, 1)))
    (r,) = scope_status(g)[1]
    assert r.to_dict() == {"code": "forecast_after_target", "level": "yellow",
                           "value": "2024-09-02", "threshold": "2024-09-01"}


def _township(code, status, **figs):
    base = green()
    for path, value in figs.items():
        part, key = path.split("__")
        base[part][key] = value
    base.update(township_code=code, township_name=code, status=status, status_reasons=[])
    return base


def test_attention_ranking():
    report = {"townships": [
        _township("01", "green"),
        # score = overdue 2/10 = 0.2 + loans 0.06/0.03 = 2.0 → 2.2
        _township("02", "red", issues__overdue_open=2, loans__overdue_rate=0.06),
        # score = 4/4 = 1.0 + no net forecast 0.5 + gap 0.3/0.2 = 1.5 → 3.0
        _township("03", "red", issues__found=4, issues__overdue_open=4, issues__open=4,
                  issues__net_forecast_clear_date=None, funds__progress_gap=-0.3),
        # score = behind (0.5 − 0.2)/0.1 = 3.0, but yellow ranks after every red
        _township("04", "yellow", phases__behind=True),
        # a closing-only forecast null alone adds nothing (the net one is on time)
        _township("05", "green", issues__open=1, issues__forecast_clear_date=None,
                  issues__clearance_target="2024-12-31"),
    ]}
    report["townships"][3]["phases"]["by_phase"][0]["completion"] = 0.2
    ranked = attention_ranking(report)
    assert [r["township_code"] for r in ranked] == ["03", "02", "04", "01", "05"]
    assert [r["rank"] for r in ranked] == [1, 2, 3, 4, 5]
    assert ranked[0]["score"] == pytest.approx(3.0)
    assert ranked[1]["score"] == pytest.approx(2.2)
    assert ranked[2]["score"] == pytest.approx(3.0)
    assert ranked[3]["score"] == 0.0
    assert ranked[4]["score"] == 0.0
    assert shortfall_score(green()) == 0.0


# ---- campaign rules (supervision, reports, households): optional blocks ----

CAMPAIGN_CASES = [
    ("summons", {"supervision": {"summons_due": 1}}, "red", ["summons_due"]),
    ("yellow_cards", {"supervision": {"yellow_cards_28d": 2}}, "yellow", ["yellow_cards_28d"]),
    ("unvisited", {"supervision": {"unvisited_last_month": 3}}, "yellow",
     ["unvisited_last_month"]),
    ("unvisited_null", {"supervision": {"unvisited_last_month": None}}, "green", []),
    ("report_missing", {"reports": {"last_missing": 1, "last_due_month": "2024-06"}},
     "yellow", ["reports_last_missing"]),
    ("reports_not_in_use", {"reports": {"last_missing": None, "last_due_month": None}},
     "green", []),
    ("gap", {"guarantees": {"any_gap": 4}}, "yellow", ["guarantee_gaps"]),
    ("unassisted", {"monitoring": {"unassisted_over_15d": 1}}, "yellow",
     ["unassisted_over_15d"]),
    ("all_zero", {"supervision": {"summons_due": 0, "yellow_cards_28d": 0,
                                  "unvisited_last_month": 0},
                  "reports": {"last_missing": 0}, "guarantees": {"any_gap": 0},
                  "monitoring": {"unassisted_over_15d": 0}, "relocation": {"sites": 2}},
     "green", []),
    ("absent_blocks", {"supervision": None, "reports": {}}, "green", []),
]


@pytest.mark.parametrize("name, blocks, status, codes", CAMPAIGN_CASES,
                         ids=[c[0] for c in CAMPAIGN_CASES])
def test_campaign_rule(name, blocks, status, codes):
    f = green()
    f.update(blocks)
    got_status, reasons = scope_status(f)
    assert (got_status, [r.code for r in reasons]) == (status, codes)


def test_campaign_reasons_follow_the_others_in_each_colour():
    f = with_(issues__overdue_open=1, phases__behind=True)
    f.update(supervision={"summons_due": 2, "yellow_cards_28d": 3},
             reports={"last_missing": 1, "last_due_month": "2024-05"})
    status, reasons = scope_status(f)
    assert status == "red"
    assert [(r.code, r.value, r.threshold) for r in reasons] == [
        ("overdue_issues", 1, 0), ("summons_due", 2, 0),
        ("phase_behind", 0.5, pytest.approx(0.4)), ("yellow_cards_28d", 3, 0),
        ("reports_last_missing", 1, "2024-05")]


def test_without_campaign_blocks_statuses_are_unchanged():
    for _, changes, _status, codes in CASES:
        f = with_(**changes)
        assert scope_status(f) == scope_status({**f, "supervision": None})
        assert [r.code for r in scope_status(f)[1]] == codes


def test_county_ranking_orders_by_status_then_shortfall_then_code():
    from duzhan.metrics.status import county_ranking

    def county(code, status, overdue_rate):
        return {"county_code": code, "county_name": f"县{code}", "status": status,
                "status_reasons": [], "loans": {"overdue_rate": overdue_rate}}

    report = {"counties": [county("c1", "yellow", 0.015), county("c2", "red", 0.03),
                           county("c3", "red", 0.06), county("c4", "green", 0.0),
                           county("c5", "red", 0.06)]}
    got = county_ranking(report)
    assert [r["county_code"] for r in got] == ["c3", "c5", "c2", "c1", "c4"]
    assert [r["rank"] for r in got] == [1, 2, 3, 4, 5]
    assert [r["score"] for r in got] == [2.0, 2.0, 1.0, 0.5, 0.0]  # overdue_rate / 0.03
    assert county_ranking({"townships": []}) == []
