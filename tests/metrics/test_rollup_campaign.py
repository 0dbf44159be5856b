"""Differential test of the SQL roll-up's supervision and reports blocks
(duzhan.metrics.rollup) against the frames' engine (``metrics_report``), on the campaign
scenarios of test_differential_campaign (edge-heavy dates around D, same-day supervisions,
runs of yellow cards, stores not in use yet, several counties) written into a store: the
whole store and a subset of townships on both as-of dates of a draw, each county on the
first; on each backend (dates as ISO text in SQLite, DATE in PostgreSQL)."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from duzhan.metrics.frames import Ledgers
from duzhan.metrics.report import metrics_report
from duzhan.metrics.rollup import rollup_report

from .stored import clear_store, store_ledgers
from .test_differential_campaign import scenarios

BLOCKS = ("supervision", "reports")


def _blocks(report: dict) -> dict:
    """The two blocks of every scope of a ``metrics`` object."""
    def cut(entry: dict) -> dict:
        return {b: entry[b] for b in BLOCKS}
    return {"county": cut(report["county"]),
            "townships": [(t["township_code"], cut(t)) for t in report["townships"]],
            "counties": [(c["county_code"], cut(c)) for c in report.get("counties", [])]}


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(case=scenarios(), data=st.data())
def test_rollup_campaign_blocks_equal_frames(engine, case, data):
    records, days, drawn_county = case
    if data.draw(st.booleans(), label="a campaign over every report's month"):
        # the scenarios' campaigns start near D: most of their reports fall outside it
        D = days[0]
        records = {**records, "phases": [
            {"phase_no": 1, "phase_name": "一", "start_date": (D - dt.timedelta(days=450))
             .isoformat(), "end_date": (D + dt.timedelta(days=45)).isoformat()}]}
    ledgers = Ledgers.from_records(**records)
    clear_store(engine)  # one store for every example
    store_ledgers(ledgers, engine)
    codes = sorted(t["township_code"] for t in records["townships"])
    counties = sorted({t["county_code"] for t in records["townships"] if t["county_code"]})
    in_county = [t["township_code"] for t in records["townships"]
                 if drawn_county is None or t["county_code"] == drawn_county]
    subset = data.draw(st.lists(st.sampled_from(in_county), min_size=1, unique=True),
                       label="townships")
    scopes = [(None, None), (subset, drawn_county)]
    for D, more in zip(days, ([(None, c) for c in counties], []), strict=True):
        for townships, county in scopes + more:
            note(f"D={D} townships={townships} county={county} of {codes}")
            want = metrics_report(ledgers, D, townships=townships, county=county)
            got = rollup_report(engine, D, townships=townships, county=county)
            assert _blocks(got) == _blocks(want)
