"""Shared view-model pieces on a small hand-made county (figures computed by hand)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from duzhan.metrics.frames import Ledgers
from duzhan.metrics.status import Reason
from duzhan.viewmodels import common
from duzhan.viewmodels.source import LedgerSource

D = dt.date(2024, 6, 30)
PHASES = [
    {"phase_no": 1, "phase_name": "摸底排查", "start_date": "2024-01-01",
     "end_date": "2024-03-31"},
    {"phase_no": 2, "phase_name": "集中整改", "start_date": "2024-04-01",
     "end_date": "2024-07-30"},
]


def issue(iid, town, dept, found, deadline, closed=None):
    return {"issue_id": iid, "township_code": town, "source": "审计", "category": "住房安全",
            "department": dept, "found_date": found, "deadline": deadline,
            "closed_date": closed}


def county() -> Ledgers:
    """甲镇 (01): two issues overdue (住建局 30 and 10 days, 水利局 5 days) → red;
    乙镇 (02): one issue closed, nothing overdue → green; 丙乡 (03): no rows → green."""
    return Ledgers.from_records(
        townships=[{"township_code": "01", "township_name": "甲镇"},
                   {"township_code": "02", "township_name": "乙镇"},
                   {"township_code": "03", "township_name": "丙乡"}],
        phases=PHASES,
        tasks=[{"task_id": "T1", "phase_no": 2, "township_code": "02", "task_name": "t",
                "due_date": "2024-07-20", "done_date": "2024-05-01"}],
        issues=[
            issue("I1", "01", "住建局", "2024-04-01", "2024-05-31"),   # 30 days overdue
            issue("I2", "01", "住建局", "2024-05-01", "2024-06-20"),   # 10 days overdue
            issue("I3", "01", "水利局", "2024-05-01", "2024-06-25"),   # 5 days overdue
            issue("I4", "02", "水利局", "2024-05-01", "2024-06-01", "2024-05-20"),
        ],
    )


def test_status_counts_and_reason_details_carry_the_figures():
    rep = LedgerSource(county(), D).report()
    assert common.status_counts(rep) == {"red": 1, "yellow": 0, "green": 2}
    jia = next(e for e in rep["townships"] if e["township_code"] == "01")
    details = common.reason_details(jia)
    assert [d.code for d in details] == jia["status_reasons"]
    assert details[0] == Reason("overdue_issues", "red", 3, 0)


def test_flagged_townships_are_red_first_with_reasons_in_words():
    flagged = common.flagged_townships(LedgerSource(county(), D).report(), "zh")
    assert [(f.code, f.status) for f in flagged] == [("01", "red")]
    assert "3" in flagged[0].reasons


def test_status_changes_against_last_week():
    src = LedgerSource(county(), D)
    # on D − 7 (06-23) only I1 and I2 were overdue: 甲镇 was red already; no change
    assert common.status_changes(src.report(), src.report(common.week_before(D))) == []
    # on 05-25 nothing was overdue but 甲镇 had open issues and no closure: yellow → red
    changes = common.status_changes(src.report(), src.report(dt.date(2024, 5, 25)))
    assert changes == [common.StatusChange("甲镇", "yellow", "red")]


def test_attention_rows_follow_the_ranking():
    rows = common.attention_rows(LedgerSource(county(), D).report(), "zh")
    assert [(r.rank, r.township, r.status) for r in rows][0] == (1, "甲镇", "red")
    assert rows[0].overdue_open == 3
    # 乙镇 and 丙乡 have no reasons: the catalogue's “none”
    assert rows[1].reasons == rows[2].reasons != ""


def test_overdue_owners_count_and_longest_wait():
    owners = common.overdue_owners(county().issues, {"01": "甲镇", "02": "乙镇"}, D)
    assert owners.to_dict("records") == [
        {"township": "甲镇", "department": "住建局", "overdue_issues": 2, "max_days": 30},
        {"township": "甲镇", "department": "水利局", "overdue_issues": 1, "max_days": 5},
    ]
    assert common.overdue_owners(county().issues, {}, dt.date(2024, 5, 1)).empty


def test_current_phase_entry_and_end():
    fig = LedgerSource(county(), D).scope_figures()
    cur = common.current_phase(fig["phases"], county().phases, "zh")
    assert (cur.no, cur.name, cur.end) == (2, "集中整改", dt.date(2024, 7, 30))
    assert cur.entry["tasks_total"] == 1 and cur.entry["tasks_done"] == 1
    assert "集中整改" in cur.label
    before = LedgerSource(county(), dt.date(2023, 12, 1)).scope_figures()
    assert common.current_phase(before["phases"], county().phases, "zh") is None


def test_burndown_ideal_line_starts_at_the_peak_of_open_issues():
    L = county()
    b = common.burndown(L.issues, L.phases, D, dt.date(2024, 7, 10))
    # open issues: 1 from 04-01, 4 from 05-01, 3 from 05-20 on: the peak is 05-01 with 4
    assert b.start == dt.date(2024, 5, 1)
    assert b.ideal.iloc[0]["ideal"] == 4 and b.ideal.iloc[-1]["ideal"] == 0
    assert b.ideal.iloc[0]["date"] == pd.Timestamp("2024-05-01")
    assert b.ideal.iloc[-1]["date"] == pd.Timestamp("2024-07-10")
    chosen = common.burndown(L.issues, L.phases, D, dt.date(2024, 7, 10),
                             start=dt.date(2024, 6, 1))
    assert chosen.ideal.iloc[0]["ideal"] == 3
    assert common.burndown(L.issues, L.phases, D, None).ideal.empty
