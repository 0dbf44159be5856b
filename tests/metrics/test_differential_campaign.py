"""Differential test of the supervision and household blocks: the whole ``metrics_report``
JSON (every block, status, status_reasons, townships, counties) against the naive oracle
(oracle.py, written from shared/contract/metrics.md alone), on random ledgers drawn around
D with edge-heavy dates: the 28th and the 29th, M(D) and M(D)−1 boundaries, the campaign's
first and last day next to M(D)−1, D−27/D−28, D−89/D−90, 15/16 days, same-day supervisions
ordered by id, runs of yellow cards, checks that move a household to another township,
"not in use yet" stores, stores of several counties. Each draw is replayed on a second
as-of date near the first (the day after, the 28th, the month's end, past the campaign)."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from duzhan.metrics.frames import Ledgers
from duzhan.metrics.report import metrics_report

from .draws import campaign_records, counties_of, month_edges
from .oracle import oracle_report
from .test_differential import SPECIAL_D, assert_same

as_of_dates = st.one_of(st.sampled_from(SPECIAL_D + [dt.date(2024, 6, 28),
                                                     dt.date(2024, 6, 29),
                                                     dt.date(2024, 2, 1)]),
                        st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)))


@st.composite
def scenarios(draw):
    D = draw(as_of_dates)

    def day(o: int) -> str:
        return (D + dt.timedelta(days=o)).isoformat()

    codes = [f"{i:02d}" for i in range(1, draw(st.integers(1, 4)) + 1)]
    townships = [{"township_code": c, "township_name": f"乡{c}",
                  "households": draw(st.sampled_from([None, 0, 1, 3, 40])),
                  "county_code": cc, "county_name": cn}
                 for c, (cc, cn) in zip(codes, counties_of(draw, codes), strict=True)]

    phases = []
    if draw(st.integers(0, 4)):
        # around M(D)−1: the campaign may start after it or end before it, by one day
        start = draw(st.sampled_from(month_edges(D) + [-400, -60, 1]))
        end = start + draw(st.sampled_from([0, 30, 90, 400]))
        phases.append({"phase_no": 1, "phase_name": "一", "start_date": day(start),
                       "end_date": day(end)})
        if draw(st.booleans()):
            phases.append({"phase_no": 2, "phase_name": "二", "start_date": day(end + 1),
                           "end_date": day(end + 1 + draw(st.integers(0, 120)))})
    records = {"townships": townships, "phases": phases,
               **campaign_records(draw, D, codes)}
    # a second as-of date: the day after, the 28th and the 29th of M(D), M(D)'s last day,
    # the day before the campaign and the day after it
    again = [D + dt.timedelta(days=1), D.replace(day=28), D.replace(day=28) +
             dt.timedelta(days=1), (D.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
             - dt.timedelta(days=1)]
    if phases:
        again += [dt.date.fromisoformat(phases[0]["start_date"]) - dt.timedelta(days=1),
                  dt.date.fromisoformat(phases[-1]["end_date"]) + dt.timedelta(days=1)]
    counties = sorted({t["county_code"] for t in townships if t["county_code"]})
    county = draw(st.sampled_from([None, *counties]))
    return records, [D, draw(st.sampled_from(again))], county


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios())
def test_campaign_report_equals_oracle(case):
    records, days, county = case
    ledgers = Ledgers.from_records(**records)
    for D in days:
        note(f"D={D} county={county}")
        assert_same(metrics_report(ledgers, D, county=county),
                    oracle_report(records, D, county=county))
    # and the oracle reads the same figures out of the engine's input frames
    assert oracle_report(ledgers, days[0]) == oracle_report(records, days[0])
