"""The SQL roll-up (duzhan.metrics.rollup) against the frames' engine and the oracle: the
whole ``metrics`` object equal to the engine's (every block, status and reasons, townships,
counties) and to the oracle's (written from the contract alone) on random ledgers stored as
they are; equal to the engine's on the demo county, on a province of three demo counties,
for a reader limited to some townships, and on a store holding rows no figure may count."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, note, settings
from sqlalchemy import text

from duzhan.metrics.frames import Ledgers
from duzhan.metrics.report import metrics_report
from duzhan.metrics.rollup import left_out, rollup_report
from duzhan.store.db import make_engine
from duzhan.store.read import DataScope, load_ledgers, read_ledgers

from . import test_differential as differential
from . import test_differential_campaign as campaign
from .oracle import oracle_report
from .stored import clear_store, store_ledgers
from .test_differential import diff

_STORE = store_ledgers(Ledgers.from_records())  # one in-memory store, emptied per example


def assert_equal(rollup: dict, frames: dict) -> None:
    assert rollup == frames, "\n".join(diff(rollup, frames)[:20])


def _stored(records) -> Ledgers:
    ledgers = Ledgers.from_records(**records)
    clear_store(_STORE)
    store_ledgers(ledgers, _STORE)
    return ledgers


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(differential.scenarios())
def test_rollup_equals_frames_on_random_ledgers(case):
    records, D, subset, county = case
    note(f"D={D} subset={subset} county={county}")
    ledgers = _stored(records)
    rollup = rollup_report(_STORE, D, subset, county=county)
    assert_equal(rollup, metrics_report(ledgers, D, subset, county=county))
    differential.assert_same(rollup, oracle_report(records, D, subset, county=county))


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(campaign.scenarios())
def test_rollup_equals_frames_on_random_campaign_ledgers(case):
    records, days, county = case
    ledgers = _stored(records)
    for D in days:
        note(f"D={D} county={county}")
        rollup = rollup_report(_STORE, D, county=county)
        assert_equal(rollup, metrics_report(ledgers, D, county=county))
        differential.assert_same(rollup, oracle_report(records, D, county=county))


def _demo_days(ledgers: Ledgers) -> list[dt.date]:
    start = ledgers.phases["start_date"].min().date()
    return [start - dt.timedelta(days=1), start, dt.date(2026, 6, 28), dt.date(2026, 6, 29),
            dt.date(2026, 6, 30), dt.date(2026, 11, 18), dt.date(2027, 1, 31)]


def test_rollup_equals_frames_on_the_demo_county(demo_db_url, demo_ledgers):
    engine = make_engine(demo_db_url)
    codes = demo_ledgers.township_codes()
    for D in _demo_days(demo_ledgers):
        assert_equal(rollup_report(engine, D), metrics_report(demo_ledgers, D))
        assert_equal(rollup_report(engine, D, codes[:3]), metrics_report(demo_ledgers, D, codes[:3]))
    engine.dispose()


def test_rollup_equals_frames_in_a_province(province_store):
    engine = make_engine(province_store[0])
    whole = load_ledgers(engine, DataScope())
    counties = list(whole.counties())
    assert len(counties) == 3
    for D in (dt.date(2026, 6, 29), dt.date(2026, 11, 18)):
        assert_equal(rollup_report(engine, D), metrics_report(whole, D))
        for c in counties:
            # a county is read alone, as the command reads it
            alone = load_ledgers(engine, DataScope(county=c))
            town = whole.county_townships(c)[-1]
            assert_equal(rollup_report(engine, D, county=c), metrics_report(alone, D, county=c))
            assert_equal(rollup_report(engine, D, [town], county=c),
                         metrics_report(alone, D, [town], county=c))
        town = whole.county_townships(counties[1])[0]  # bare: the store's roll-up beside it
        assert_equal(rollup_report(engine, D, [town]), metrics_report(whole, D, [town]))
    engine.dispose()


def test_a_reader_limited_to_townships_sees_their_rows_alone(province_store):
    engine = make_engine(province_store[0])
    whole = load_ledgers(engine, DataScope())
    c1, c2 = list(whole.counties())[:2]
    allowed = (*whole.county_townships(c1)[:2], whole.county_townships(c2)[0])
    seen = load_ledgers(engine, DataScope(allowed))
    for D in ("2026-06-29", "2026-11-18"):
        assert_equal(rollup_report(engine, D, within=allowed), metrics_report(seen, D))
    engine.dispose()


def test_unknown_codes_are_refused_alike(province_store):
    engine = make_engine(province_store[0])
    whole = load_ledgers(engine, DataScope())
    c1, c2 = list(whole.counties())[:2]
    other = whole.county_townships(c2)[0]
    for args, kwargs in [((["nowhere"],), {}), (([other],), {"county": c1}),
                         ((None,), {"county": "999999"})]:
        with pytest.raises(ValueError) as frames_error:
            metrics_report(whole, "2026-11-18", *args, **kwargs)
        with pytest.raises(ValueError) as rollup_error:
            rollup_report(engine, "2026-11-18", *args, **kwargs)
        assert str(rollup_error.value) == str(frames_error.value)
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_rows_no_figure_counts_are_left_out_alike(backend, engine_url, tmp_path):
    """Dates no import would take, written around the importer: the roll-up leaves out the
    same rows as a read into frames (and what names them), and counts them the same."""
    from duzhan.cli import main as duzhan

    url = engine_url(backend)
    assert duzhan(["init", "--demo", "--db", url]) == 0
    engine = make_engine(url)
    assert left_out(engine) == {}
    clean = load_ledgers(engine, DataScope())
    for D in ("2026-03-01", "2026-06-29"):  # and on this backend, with nothing left out
        assert_equal(rollup_report(engine, D), metrics_report(clean, D))
    with engine.begin() as conn:
        conn.execute(text("UPDATE loans SET due_date = '2300-01-09' WHERE loan_id = "
                          "(SELECT min(loan_id) FROM repayments)"))
        conn.execute(text("UPDATE issues SET found_date = '1500-05-01' WHERE issue_id = "
                          "(SELECT min(issue_id) FROM issues)"))
        conn.execute(text("UPDATE projects SET allocated_date = '2300-01-01' WHERE "
                          "project_id = (SELECT min(project_id) FROM disbursements)"))
        conn.execute(text("UPDATE phases SET end_date = '2300-01-01' WHERE phase_no = 2"))
    read = read_ledgers(engine, DataScope())
    assert set(read.left_out) == {"loans", "repayments", "issues", "projects",
                                  "disbursements", "phases", "tasks"}
    assert left_out(engine) == read.left_out
    for D in ("2026-06-30", "2026-11-18"):
        assert_equal(rollup_report(engine, D), metrics_report(read.ledgers, D))
    engine.dispose()


def test_the_rollup_has_every_block_of_the_contract():
    from duzhan.metrics import output, rollup

    assert [b.NAME for b in rollup.BLOCKS] == list(output.BLOCKS)
    for block in rollup.BLOCKS:
        for name in ("context", "parts", "empty", "add", "finish"):
            assert callable(getattr(block, name)), (block.NAME, name)
