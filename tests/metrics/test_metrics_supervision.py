"""Supervision · 督导: hand-worked cases (D = 2024-06-30 unless said)."""
import datetime as dt

import pandas as pd
import pytest

from duzhan.metrics import supervision as m

from .ledger_frame import frame

D = "2024-06-30"
PHASES = frame("phases", [{"phase_no": 1, "phase_name": "一", "start_date": "2024-03-01",
                           "end_date": "2024-12-31"}])
VILLAGES = frame("villages", [
    {"village_code": "v1", "village_name": "一村", "township_code": "01", "listed": True},
    {"village_code": "v2", "village_name": "二村", "township_code": "01", "listed": True},
    {"village_code": "v3", "village_name": "三村", "township_code": "01", "listed": False},
    {"village_code": "v4", "village_name": "四村", "township_code": "02", "listed": True},
])
SITES = frame("sites", [{"site_code": "s1", "site_name": "安置点", "township_code": "02",
                         "planned_households": 50}])


def visit(i, day, target=None, town="01", yellow=False, rating="good", leader="张"):
    return {"supervision_id": i, "township_code": town, "target_code": target,
            "visit_date": day, "leader": leader, "rating": rating, "yellow_card": yellow}


def sup(*rows):
    return frame("supervisions", rows)


def block(*rows, as_of=D, phases=PHASES, townships=None):
    return m.supervision_metrics(VILLAGES, SITES, sup(*rows), phases, as_of, townships)


def test_golden_block():
    got = block(
        visit("a", "2024-06-03", "v1"),                    # this month, v1
        visit("b", "2024-06-20", "v1"),                    # again: one object visited
        visit("c", "2024-06-21", None),                    # the township itself: a visit,
        visit("d", "2024-05-31", "v2", rating="poor"),     # last month only
        visit("e", "2024-05-10", "s1", town="02"),         # last month
        visit("f", "2024-07-01", "v4", town="02"),         # after D: does not exist
        visit("g", "2024-06-10", "v3"),                    # v3 is not listed
    )
    # listed objects v1, v2, v4, s1 = 4; visits in June ≤ D: a, b, c, g = 4
    # visited in June: v1 only (v3 is not listed, the township is no object) → 1/4
    # unvisited in May: v1, v4 (v2 on 05-31, s1 on 05-10) = 2
    assert got == {
        "listed_objects": 4, "visits_this_month": 4, "visited_this_month": 1,
        "coverage_this_month": 0.25, "unvisited_last_month": 2, "yellow_cards_28d": 0,
        "summons_due": 0, "summons": [],
        "ratings": {"good": 4, "fair": 0, "average": 0, "poor": 1},  # v1, 01, s1, v3; v2
    }


@pytest.mark.parametrize("day, counted", [
    ("2024-06-03", 1),  # D − 27: the 28th day of the window, in
    ("2024-06-02", 0),  # D − 28: out
    ("2024-06-30", 1),  # D itself
    ("2024-07-01", 0),  # after D
])
def test_yellow_cards_window_edges(day, counted):
    assert block(visit("a", day, "v1", yellow=True))["yellow_cards_28d"] == counted


def test_two_yellow_cards_in_a_row_summons():
    got = block(visit("a", "2024-04-10", "v1", yellow=True, leader="甲"),
                visit("b", "2024-05-10", "v1", yellow=True, leader="乙"))
    assert got["summons_due"] == 1
    assert got["summons"] == [{"unit": "v1", "township_code": "01",
                               "dates": [dt.date(2024, 4, 10), dt.date(2024, 5, 10)]}]
    assert got["yellow_cards_28d"] == 0  # both older than 28 days: still due


def test_yellow_none_yellow_is_no_summons():
    got = block(visit("a", "2024-04-10", "v1", yellow=True),
                visit("b", "2024-05-10", "v1"),
                visit("c", "2024-06-10", "v1", yellow=True))
    assert got["summons_due"] == 0 and got["summons"] == []


def test_summons_only_on_the_last_two_and_replayed():
    rows = (visit("a", "2024-04-10", "v1", yellow=True),
            visit("b", "2024-05-10", "v1", yellow=True),
            visit("c", "2024-06-10", "v1"))  # a clean visit ends it
    assert block(*rows)["summons_due"] == 0
    assert block(*rows, as_of="2024-06-09")["summons_due"] == 1  # as of before c


def test_order_by_date_then_supervision_id():
    # order 0 (05-01), then a, b on 06-10 by id: the last two a, b both yellow → due
    got = block(visit("b", "2024-06-10", "v1", yellow=True),
                visit("a", "2024-06-10", "v1", yellow=True),
                visit("0", "2024-05-01", "v1"))
    assert got["summons"][0]["dates"] == [dt.date(2024, 6, 10), dt.date(2024, 6, 10)]
    # same day a, b yellow and c clean: c sorts last by id → no summons
    assert block(visit("a", "2024-06-10", "v1", yellow=True),
                 visit("b", "2024-06-10", "v1", yellow=True),
                 visit("c", "2024-06-10", "v1"))["summons_due"] == 0


def test_summons_of_the_township_itself_named_by_its_code_sorted_by_unit():
    got = block(visit("a", "2024-04-01", None, town="02", yellow=True),
                visit("b", "2024-05-01", None, town="02", yellow=True),
                visit("c", "2024-04-01", "v1", yellow=True),
                visit("d", "2024-05-01", "v1", yellow=True))
    assert [s["unit"] for s in got["summons"]] == ["02", "v1"]
    assert got["summons"][0]["township_code"] == "02"
    per = m.supervision_metrics_by(VILLAGES, SITES, sup(
        visit("a", "2024-04-01", None, town="02", yellow=True),
        visit("b", "2024-05-01", None, town="02", yellow=True)), PHASES, D, ["01", "02"])
    assert (per["01"]["summons_due"], per["02"]["summons_due"]) == (0, 1)


@pytest.mark.parametrize("phases, as_of, expected", [
    # campaign 2024-03-01 … 2024-12-31
    ([("2024-03-01", "2024-12-31")], "2024-04-15", 4),   # March overlaps
    ([("2024-03-01", "2024-12-31")], "2024-03-31", None),  # February before the start
    ([("2024-03-31", "2024-12-31")], "2024-04-01", 4),   # March's last day is the start
    ([("2024-01-01", "2024-05-01")], "2024-06-30", 4),   # May's first day is the end
    ([("2024-01-01", "2024-04-30")], "2024-06-30", None),  # May after the end
    ([], "2024-06-30", None),                             # no phases
])
def test_unvisited_last_month_campaign_edges(phases, as_of, expected):
    ph = frame("phases", [{"phase_no": i + 1, "phase_name": "p", "start_date": a,
                           "end_date": b} for i, (a, b) in enumerate(phases)])
    got = block(visit("a", "2024-01-05", None), as_of=as_of, phases=ph)
    assert got["unvisited_last_month"] == expected


def test_not_in_use_yet():
    # no supervision at all ≤ D (one only after D): unvisited_last_month is null
    got = block(visit("a", "2024-07-02", "v1"))
    assert got["unvisited_last_month"] is None
    assert got["listed_objects"] == 4 and got["coverage_this_month"] == 0.0
    # in use (a supervision anywhere in the store): the township scope is not null
    got = block(visit("a", "2024-06-02", "v4", town="02"), townships=["01"])
    assert got["unvisited_last_month"] == 2 and got["listed_objects"] == 2


def test_month_boundaries():
    # D = 2024-03-01: M(D) = March (1 day so far), M(D)−1 = February (leap: 29 days)
    ph = frame("phases", [{"phase_no": 1, "phase_name": "p", "start_date": "2024-01-01",
                           "end_date": "2024-12-31"}])
    got = block(visit("a", "2024-02-29", "v1"), visit("b", "2024-03-01", "v2"),
                visit("c", "2024-02-01", "v4", town="02"), as_of="2024-03-01", phases=ph)
    assert got["visits_this_month"] == 1 and got["visited_this_month"] == 1
    assert got["unvisited_last_month"] == 2  # v2, s1
    # January of the next year: December is the month before
    got = block(visit("a", "2023-12-31", "v1"), as_of="2024-01-01",
                phases=frame("phases", [{"phase_no": 1, "phase_name": "p",
                                         "start_date": "2023-06-01",
                                         "end_date": "2024-06-01"}]))
    assert got["unvisited_last_month"] == 3


def test_empty_inputs():
    empty = m.supervision_metrics(frame("villages"), frame("sites"), frame("supervisions"),
                                  frame("phases"), D)
    assert empty == {"listed_objects": 0, "visits_this_month": 0, "visited_this_month": 0,
                     "coverage_this_month": None, "unvisited_last_month": None,
                     "yellow_cards_28d": 0, "summons_due": 0, "summons": [],
                     "ratings": {"good": 0, "fair": 0, "average": 0, "poor": 0}}
    assert m.summons_list(frame("villages"), frame("sites"), frame("supervisions"), D).empty
    assert m.latest_ratings(frame("supervisions"), D).empty
    assert m.unvisited_last_month(VILLAGES, SITES, frame("supervisions"), PHASES, D) is None


def test_ratings_latest_per_unit():
    got = block(visit("a", "2024-04-01", "v1", rating="poor"),
                visit("b", "2024-05-01", "v1", rating="average"),
                visit("c", "2024-05-01", None, rating="fair"),
                visit("d", "2024-07-01", None, rating="poor"))  # after D
    assert got["ratings"] == {"good": 0, "fair": 1, "average": 1, "poor": 0}
    with pytest.raises(ValueError, match="rating"):
        block(visit("a", "2024-04-01", "v1", rating="较好"))


def test_by_township_and_lists():
    rows = sup(visit("a", "2024-05-03", "v1", leader="甲"),
               visit("b", "2024-04-03", "v2", yellow=True, leader="乙"),
               visit("c", "2024-05-04", "v2", yellow=True, leader="丙"),
               visit("d", "2024-06-01", "s1", town="02"))
    per = m.supervision_metrics_by(VILLAGES, SITES, rows, PHASES, D, ["01", "02", "03"])
    assert per["01"]["listed_objects"] == 2 and per["02"]["listed_objects"] == 2
    assert (per["01"]["unvisited_last_month"], per["02"]["unvisited_last_month"]) == (0, 2)
    assert per["02"]["visited_this_month"] == 1 and per["02"]["coverage_this_month"] == 0.5
    assert per["03"]["listed_objects"] == 0 and per["03"]["coverage_this_month"] is None
    county = m.supervision_metrics(VILLAGES, SITES, rows, PHASES, D)
    for k in ("listed_objects", "visits_this_month", "visited_this_month",
              "unvisited_last_month", "summons_due"):
        assert county[k] == sum(per[c][k] for c in per)

    un = m.unvisited_last_month(VILLAGES, SITES, rows, PHASES, D)
    assert un[["unit", "township_code"]].values.tolist() == [["s1", "02"], ["v4", "02"]]
    assert un["last_visit"].iloc[0] == pd.Timestamp("2024-06-01")  # latest visit ≤ D
    assert pd.isna(un["last_visit"].iloc[1]) and un["name"].iloc[0] == "安置点"

    sl = m.summons_list(VILLAGES, SITES, rows, D)
    assert sl.to_dict("records") == [{
        "unit": "v2", "name": "二村", "is_township": False, "township_code": "01",
        "first_date": pd.Timestamp("2024-04-03"), "first_leader": "乙",
        "second_date": pd.Timestamp("2024-05-04"), "second_leader": "丙"}]
    lr = m.latest_ratings(rows, D, ["01"])
    assert lr["unit"].tolist() == ["v1", "v2"]
