"""The SQL roll-up's monitoring, guarantees and relocation blocks against the frames' engine:
the same stored rows, the same JSON, for the whole store, each county and a few townships.
Households whose checks move them to another township (or county), townships with no rows,
as-of dates on the 28/90-day and 15-day edges come from the campaign's scenarios."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from duzhan.metrics.frames import Ledgers
from duzhan.metrics.report import metrics_report
from duzhan.metrics.rollup import rollup_report

from .stored import clear_store, store_ledgers
from .test_differential_campaign import scenarios

BLOCKS = ("monitoring", "guarantees", "relocation")


def _blocks(report: dict) -> dict:
    """The three blocks of every scope of a report, by scope."""
    def cut(entry):
        return {b: entry[b] for b in BLOCKS}
    out = {"county": cut(report["county"])}
    out |= {("t", e["township_code"]): cut(e) for e in report["townships"]}
    out |= {("c", e["county_code"]): cut(e) for e in report.get("counties", [])}
    return out


def _assert_same(ledgers: Ledgers, engine, D, **scope) -> None:
    assert _blocks(rollup_report(engine, D, **scope)) == _blocks(
        metrics_report(ledgers, D, **scope))


_STORE = store_ledgers(Ledgers.from_records())  # one in-memory store, emptied per example


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios(), st.data())
def test_household_blocks_equal_frames_engine(case, data):
    records, days, _ = case
    ledgers = Ledgers.from_records(**records)
    clear_store(_STORE)
    engine = store_ledgers(ledgers, _STORE)
    codes = [t["township_code"] for t in records["townships"]]
    counties = sorted({t["county_code"] for t in records["townships"] if t["county_code"]})
    some = data.draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))
    note(f"D={days} townships={some}")
    for D in days:
        _assert_same(ledgers, engine, D)
    # the scopes on the first date (the second replays the same rows)
    _assert_same(ledgers, engine, days[0], townships=some)
    for c in counties:
        _assert_same(ledgers, engine, days[0], county=c)


def _check(household: str, town: str, day: str, ok: bool = True) -> dict:
    return {"household_id": household, "township_code": town, "check_date": day,
            **{f"{i}_ok": ok for i in ("food_clothing", "education", "medical", "housing",
                                       "water")}}


def test_same_day_checks_count_the_last_written(engine):
    """Two checks of a household on its latest day (the importer lets no such rows in; a
    store written around it may hold them): both engines take the one written last, in its
    township, whichever township the scope asks for; on SQLite and PostgreSQL (its dates
    are DATEs), with the monitoring and relocation blocks beside it."""
    records = {
        "townships": [{"township_code": c, "township_name": f"乡{c}", "households": 2}
                      for c in ("01", "02")],
        "guarantees": [_check("H1", "02", "2024-06-01", ok=False),
                       _check("H1", "01", "2024-06-10", ok=False),
                       _check("H1", "02", "2024-06-10"),
                       _check("H2", "02", "2024-06-10"),
                       _check("H2", "01", "2024-06-10", ok=False),
                       _check("H2", "01", "2024-06-20")],  # after D
        "monitored": [{"household_id": "M1", "township_code": "01", "category": "边缘易致贫户",
                       "risk": "因病", "identified_date": "2024-05-01"}],
        "sites": [{"site_code": "s1", "site_name": "点1", "township_code": "02",
                   "planned_households": 10}],
        "site_checks": [{"site_code": "s1", "check_date": d, "moved_in": n, "employed": 1}
                        for d, n in (("2024-06-10", 4), ("2024-06-10", 6))],
    }
    ledgers = Ledgers.from_records(**records)
    store_ledgers(ledgers, engine)
    D = dt.date(2024, 6, 15)
    got = rollup_report(engine, D, townships=["01"])
    assert got["townships"][0]["guarantees"]["checked"] == 1  # H2, by its last row
    assert got["townships"][0]["guarantees"]["any_gap"] == 1
    assert got["county"]["monitoring"]["unassisted_over_15d"] == 1
    assert rollup_report(engine, D)["county"]["relocation"]["moved_in"] == 6
    for scope in ({}, {"townships": ["01"]}, {"townships": ["02"]}):
        _assert_same(ledgers, engine, D, **scope)
