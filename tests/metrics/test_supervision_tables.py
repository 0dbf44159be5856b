"""The 督导 page's tables from metrics.supervision (unit_table, yellow_cards_by_month,
unit_names), hand-computed on the small county of tests/viewmodels/supervision_county.py,
and held against the block's own figures."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from duzhan.metrics import supervision as sm
from tests.viewmodels.supervision_county import D, small_county

L = small_county()


def test_unit_table():
    u = sm.unit_table(L.villages, L.sites, L.supervisions, D)
    assert list(u["unit"]) == ["01", "V1", "V3", "S1"]  # township first, 二村 is not listed
    assert list(u["kind"]) == ["township", "village", "village", "site"]
    assert list(u["visits_this_month"]) == [1, 0, 0, 1]
    assert list(u["visited_last_month"]) == [False, True, True, False]
    assert list(u["last_visit"].dt.date) == [dt.date(2026, 11, 3), dt.date(2026, 10, 10),
                                             dt.date(2026, 10, 20), dt.date(2026, 11, 5)]
    assert list(u["last_leader"]) == ["王", "李", "钱", "赵"]
    assert list(u["rating"]) == ["good", "poor", "average", "fair"]
    assert list(u["summons"]) == [False, True, False, False]
    # the same as the block: objects not visited last month, visited this month
    block = sm.supervision_metrics(L.villages, L.sites, L.supervisions, L.phases, D)
    objects = u[u["kind"] != "township"]
    assert (~objects["visited_last_month"]).sum() == block["unvisited_last_month"] == 1
    assert objects["visited_this_month"].sum() == block["visited_this_month"] == 1


def test_unit_table_scope_and_never_visited():
    u = sm.unit_table(L.villages, L.sites, L.supervisions, "2026-09-30", townships="02")
    assert list(u["unit"]) == ["V3", "S1"]  # no township row: 乙乡 itself had no visit
    assert u["last_visit"].isna().all() and u["rating"].isna().all()
    assert not u["visited_this_month"].any()


def test_the_day_of_the_visit_counts():
    day = sm.unit_table(L.villages, L.sites, L.supervisions, "2026-11-05", townships="02")
    before = sm.unit_table(L.villages, L.sites, L.supervisions, "2026-11-04", townships="02")
    assert list(day["visited_this_month"]) == [False, True]
    assert list(before["visited_this_month"]) == [False, False]


def test_yellow_cards_by_month():
    y = sm.yellow_cards_by_month(L.supervisions, L.phases, D)
    assert y["month"].iloc[0] == pd.Timestamp("2026-01-01")  # from the campaign's start
    assert y["month"].iloc[-1] == pd.Timestamp("2026-11-01")  # to M(D)
    by = dict(zip(y["month"].dt.strftime("%m"), zip(y["visits"], y["yellow_cards"],
                                                     strict=True), strict=True))
    assert by["09"] == (1, 1) and by["10"] == (2, 1) and by["11"] == (2, 0) and by["08"] == (0, 0)
    one = sm.yellow_cards_by_month(L.supervisions, L.phases, D, townships="02")
    assert one["yellow_cards"].sum() == 0 and one["visits"].sum() == 2
    assert sm.yellow_cards_by_month(L.supervisions.iloc[0:0], L.phases.iloc[0:0], D).empty


def test_unit_names():
    names = sm.unit_names(L.villages, L.sites, L.townships)
    assert names == {"01": "甲乡", "02": "乙乡", "V1": "一村", "V2": "二村", "V3": "三村",
                     "S1": "安置点"}
