"""A county scope read in SQL: the rows of one county's townships and its own county-wide
tasks, the same rows as the whole read limited in pandas; the townships ledger whole."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from duzhan.contract import LEDGERS
from duzhan.demo.counties import county_code, import_counties
from duzhan.metrics.report import metrics_report
from duzhan.store.read import DataScope, ledger_counts, read_ledgers
from tests.conftest import BACKENDS, migrated_store

TODAY = date(2026, 11, 18)


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request, tmp_path_factory):
    """Two demo counties imported once per backend: the tests only read them."""
    with migrated_store(request.param, tmp_path_factory.mktemp("counties")) as eng:
        _, results = import_counties(eng, 2, TODAY, user="t")
        assert all(r.accepted for r in results)
        yield eng


def _key(led: str, df: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in df.columns if c != "id"]
    return df[cols].sort_values(cols).reset_index(drop=True)


def test_county_scope_reads_one_county(engine):
    whole = read_ledgers(engine).ledgers
    one = county_code(1)
    mine = read_ledgers(engine, DataScope(county=one)).ledgers
    towns = whole.county_townships(one)
    expected = whole.scoped(towns, county=one)
    for name in LEDGERS:
        got = getattr(mine, name)
        if name == "townships":  # the store's directory of counties stays whole
            pd.testing.assert_frame_equal(got, whole.townships)
            continue
        pd.testing.assert_frame_equal(_key(name, got), _key(name, getattr(expected, name)),
                                      check_dtype=False, obj=name)
    tasks = mine.tasks
    wide = tasks[tasks["township_code"].isna()]
    assert len(wide) and (wide["county_code"] == one).all()
    assert set(mine.loans["township_code"]) <= set(towns)
    # the other county's rows are not read at all
    other = whole.county_townships(county_code(2))
    assert not set(mine.repayments["township_code"]) & set(other)
    counts = ledger_counts(engine, DataScope(county=one))
    assert counts["loans"] == len(mine.loans) < len(whole.loans)
    # `duzhan metrics --county` reads one county in SQL: the same report as from every row
    assert metrics_report(mine, TODAY, county=one) == metrics_report(whole, TODAY, county=one)


def test_county_and_township_scope_meet(engine):
    whole = read_ledgers(engine).ledgers
    town = whole.county_townships(county_code(2))[0]
    # a township of another county: nothing of it in county 1's scope
    led = read_ledgers(engine, DataScope(selected=(town,), county=county_code(1))).ledgers
    assert led.issues.empty and led.loans.empty and led.tasks.empty
    led = read_ledgers(engine, DataScope(selected=(town,), county=county_code(2))).ledgers
    assert set(led.issues["township_code"]) == {town}
    assert led.tasks["township_code"].notna().all()  # county-wide tasks need the county
