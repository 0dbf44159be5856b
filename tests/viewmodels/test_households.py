"""户情 view model on a small hand-made county: the cards, the replay series, the lists and
the site table equal the figures computed by hand (and the metrics module's)."""
from __future__ import annotations

import datetime as dt

import pytest

from duzhan.metrics.frames import Ledgers
from duzhan.metrics.household_series import replay_days
from duzhan.presentation import format as fmt
from duzhan.viewmodels import households as vmod
from duzhan.viewmodels.source import LedgerSource

D = dt.date(2024, 6, 30)


def G(hh, town, day, **bad):
    row = {"household_id": hh, "township_code": town, "village_code": None, "check_date": day,
           **{f"{k}_ok": True for k in ("food_clothing", "education", "medical", "housing",
                                         "water")}}
    row.update({f"{k}_ok": False for k in bad})
    return row


def county() -> Ledgers:
    return Ledgers.from_records(
        townships=[{"township_code": "A", "township_name": "甲乡", "households": 4},
                   {"township_code": "B", "township_name": "乙镇", "households": 2}],
        villages=[{"village_code": "A01", "village_name": "一村", "township_code": "A"}],
        phases=[{"phase_no": 1, "phase_name": "一", "start_date": "2024-06-01",
                 "end_date": "2024-12-31"}],
        guarantees=[
            G("522799100000000001", "A", "2024-06-02", housing=1, water=1),
            G("522799100000000001", "A", "2024-06-25"),           # closed since
            G("522799100000000002", "A", "2024-06-03", water=1),  # still open
            G("522799100000000003", "A", "2024-03-01", medical=1),  # old check: > 89 days
            G("522799100000000004", "B", "2024-06-29", education=1),
            G("522799100000000005", "B", "2024-07-01", food_clothing=1),  # after D
        ],
        monitored=[
            {"household_id": "522799100000000011", "township_code": "A", "village_code": "A01",
             "category": "边缘易致贫户", "risk": "因病", "identified_date": "2024-06-14"},  # 16 d
            {"household_id": "522799100000000012", "township_code": "A",
             "category": "脱贫不稳定户", "risk": "因学", "identified_date": "2024-06-15"},  # 15 d
            {"household_id": "522799100000000013", "township_code": "B",
             "category": "脱贫不稳定户", "risk": "因病", "identified_date": "2024-05-01",
             "assisted_date": "2024-05-10", "cleared_date": "2024-06-20"},
            {"household_id": "522799100000000014", "township_code": "B",
             "category": "突发严重困难户", "risk": "因灾", "identified_date": "2024-06-01",
             "assisted_date": "2024-06-05"},
        ],
        sites=[{"site_code": "S1", "site_name": "幸福小区", "township_code": "A",
                "planned_households": 100},
               {"site_code": "S2", "site_name": "新村", "township_code": "B",
                "planned_households": 50}],
        site_checks=[{"site_code": "S1", "check_date": "2024-06-20", "moved_in": 80,
                      "employed": 60},
                     {"site_code": "S1", "check_date": "2024-06-22", "moved_in": 90,
                      "employed": 72},
                     {"site_code": "S2", "check_date": "2024-03-01", "moved_in": 10,
                      "employed": 5}],
    )


@pytest.fixture
def vm():
    return vmod.build(LedgerSource(county(), D))


def test_cards_by_hand(vm):
    by = {c.label.split("（")[0]: c for c in vm.cards}
    values = [c.value for c in vm.cards]
    # gaps: #2 water, #3 medical, #4 education (latest checks ≤ D); #1 closed; #5 after D
    # secured 1/4; checked in 90 days: #1 #2 #4 of 6 registered; at risk #11 #12 #14;
    # unassisted over 15 days: #11 only (16 days; #12 has waited 15)
    # occupancy (90 + 10) / 150, employment (72 + 5) / 100
    assert values == ["3", "25.0%", "50.0%", "3", "1", fmt.pct(100 / 150), "77.0%"]
    # D − 7: #1 (housing, water), #2 (water), #3 (medical): 3 gaps of 3 checked
    assert [c.then for c in vm.cards][:2] == [3, 0.0]
    assert by and vm.figures["guarantees"]["gap_water"] == 1


def test_replay_ends_on_the_as_of_figures(vm):
    gaps = vm.gaps_over_time.figure
    any_gap = next(tr for tr in gaps.data if tr.meta == "any_gap")
    days = replay_days(dt.date(2024, 3, 1), D)
    assert list(any_gap.x) == [d.date().isoformat() for d in days]
    # weekly back from D to the first check (03-01): 03-03 … 06-30. By hand: #3 (medical)
    # from 03-01; #1 from 06-02 (closed 06-25), #2 from 06-03, #4 from 06-29
    assert any_gap.x[0] == "2024-03-03" and len(days) == 18
    assert list(any_gap.y) == [1] * 13 + [2, 3, 3, 3, 3]
    water = next(tr for tr in gaps.data if tr.meta == "gap_water")
    assert list(water.y)[-3:] == [2, 2, 1]  # #1 and #2; #1 closed by 06-30
    funnel = {tr.meta: tr for tr in vm.funnel.figure.data}
    assert (funnel["identified"].y[-1], funnel["assisted"].y[-1], funnel["cleared"].y[-1]) \
        == (4, 2, 1)


def test_unassisted_list_masked(vm):
    f = vm.unassisted.frame
    assert list(f["household"]) == ["52****11"]
    assert list(f["village"]) == ["一村"] and list(f["days_waiting"]) == [16]
    assert list(f["township"]) == ["甲乡"]


def test_sites(vm):
    f = vm.sites.frame
    assert list(f["site_code"]) == ["S1", "S2"]
    assert list(f["occupancy_rate"]) == pytest.approx([90.0, 20.0])
    assert list(f["employment_rate"]) == pytest.approx([80.0, 50.0])
    assert list(vm.unchecked.frame["site_code"]) == ["S2"]  # last check 121 days before D
    assert list(vm.unchecked.frame["days_since_check"]) == [121]


def test_one_township_has_no_by_township_charts():
    vm = vmod.build(LedgerSource(county(), D, codes=("B",)))
    assert vm.gaps_by_township is None and vm.coverage is None and vm.compare_note
    assert [c.value for c in vm.cards][:3] == ["1", "0.0%", "50.0%"]
    assert vm.unassisted is None
    assert list(vm.sites.frame["site_code"]) == ["S2"]


def test_overview_reasons_and_attention_carry_the_household_rules():
    from duzhan.presentation.format import reason_text
    from duzhan.viewmodels import overview

    ov = overview.build(LedgerSource(county(), D))
    flagged = {f.code: f for f in ov.flagged}
    # A: #2 and #3 with a gap, #11 waiting 16 days; B: #4 with a gap (nothing else fires)
    gaps_a = reason_text({"code": "guarantee_gaps", "value": 2}, "zh")
    waiting_a = reason_text({"code": "unassisted_over_15d", "value": 1}, "zh")
    assert flagged["A"].status == "yellow" and gaps_a in flagged["A"].reasons
    assert waiting_a in flagged["A"].reasons
    assert flagged["B"].reasons == reason_text({"code": "guarantee_gaps", "value": 1}, "zh")
    # ranked by the households left behind: A 2/3 + 1/2, B 1/1 + 0/1
    frame = ov.attention.frame
    assert list(frame["township"]) == ["甲乡", "乙镇"]
    assert list(frame["score"]) == pytest.approx([2 / 3 + 1 / 2, 1.0], abs=1e-6)
    assert waiting_a in frame["reasons"].iloc[0]
