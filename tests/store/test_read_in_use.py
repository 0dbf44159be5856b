""""Not in use yet" (metrics.md: the store holds no supervision / no report with its date ≤ D)
is the whole store's, also when the read is limited in SQL (a township user, a township
filter, `--county`): a township or county without a single supervision or report, in a
store where others have some, gets its blocks counted (not visited, missing), not null."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete

from duzhan.demo.counties import county_code, import_counties
from duzhan.ledgers import import_files
from duzhan.metrics.report import metrics_report, scope_metrics
from duzhan.store.db import make_engine, upgrade
from duzhan.store.models import Report, Supervision
from duzhan.store.read import DataScope, read_ledgers
from duzhan.viewmodels import overview
from duzhan.viewmodels.source import LedgerSource
from tests.ledgers.helpers import example_files
from tests.metrics.oracle import oracle_report

TODAY = date(2026, 11, 18)
CAMPAIGN = ("supervision", "reports")


def _drop_campaign_rows(engine, townships: list[str]) -> None:
    with engine.begin() as conn:
        for model in (Supervision, Report):
            conn.execute(delete(model).where(model.township_code.in_(townships)))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Two demo counties (read only by these tests, made once); county 2 and county 1's
    first township without any supervision or report. → (engine, whole frames, that
    township)."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('in_use')}/duzhan.db")
    upgrade(engine)
    assert all(r.accepted for r in import_counties(engine, 2, TODAY, user="t")[1])
    whole = read_ledgers(engine).ledgers
    bare = whole.county_townships(county_code(1))[0]
    _drop_campaign_rows(engine, [bare, *whole.county_townships(county_code(2))])
    yield engine, read_ledgers(engine).ledgers, bare
    engine.dispose()


def _blocks(entry: dict) -> dict:
    return {b: entry[b] for b in (*CAMPAIGN, "status")}


def test_a_township_without_rows_of_a_ledger_the_store_uses(store):
    engine, whole, bare = store
    oracle = oracle_report(whole, TODAY, [bare])["townships"][0]
    assert oracle["reports"]["reports_missing"] > 0  # the oracle counts it missing
    assert oracle["supervision"]["unvisited_last_month"] == \
        oracle["supervision"]["listed_objects"] > 0
    for scope in (DataScope(allowed=(bare,)), DataScope(selected=(bare,)),
                  DataScope(allowed=(bare,), county=county_code(1))):
        mine = read_ledgers(engine, scope).ledgers
        assert mine.supervisions.empty and mine.reports.empty
        report = metrics_report(mine, TODAY, [bare])
        assert _blocks(report["townships"][0]) == _blocks(oracle), scope
        # the reader's county block is its one township
        assert {b: report["county"][b] for b in CAMPAIGN} == \
            {b: oracle[b] for b in CAMPAIGN}, scope
        figures = scope_metrics(mine, TODAY, [bare])
        assert {b: figures[b] for b in CAMPAIGN} == {b: oracle[b] for b in CAMPAIGN}
        assert figures["status_reasons"] == oracle["status_reasons"]
        # the overview has its supervision cards
        assert overview.build(LedgerSource(mine, TODAY, codes=(bare,))).supervision_cards


def test_a_county_without_rows_of_a_ledger_the_store_uses(store):
    engine, whole, _ = store
    two = county_code(2)
    oracle = oracle_report(whole, TODAY, county=two)
    assert oracle["county"]["reports"]["reports_missing"] > 0
    mine = read_ledgers(engine, DataScope(county=two)).ledgers
    assert mine.supervisions.empty and mine.reports.empty
    report = metrics_report(mine, TODAY, county=two)
    assert _blocks(report["county"]) == _blocks(oracle["county"])
    assert [_blocks(t) for t in report["townships"]] == \
        [_blocks(t) for t in oracle["townships"]]


def test_before_the_store_used_a_ledger_the_scoped_read_says_not_in_use(store):
    engine, whole, bare = store
    first = min(whole.reports["submitted_date"]).date()
    mine = read_ledgers(engine, DataScope(allowed=(bare,))).ledgers
    assert mine.first_use("reports").date() == first
    before = metrics_report(mine, first - timedelta(days=1), [bare])
    on_day = metrics_report(mine, first, [bare])
    assert set(before["county"]["reports"].values()) == {None}
    assert on_day["county"]["reports"]["reports_expected"] is not None


def test_a_limited_read_knows_the_stores_first_dates(engine):
    assert import_files(engine, example_files(), user="t").accepted
    whole = read_ledgers(engine).ledgers
    for scope in (DataScope(allowed=("522701102",)), DataScope(county="522701")):
        mine = read_ledgers(engine, scope).ledgers
        for ledger, key in (("supervisions", "visit_date"), ("reports", "submitted_date")):
            assert mine.first_use(ledger) == whole.first_use(ledger) \
                == min(getattr(whole, ledger)[key]), (scope, ledger)
    assert read_ledgers(engine, DataScope(allowed=("522701102",))).ledgers.scoped(
        ["522701102"]).first_use("reports") == whole.first_use("reports")
