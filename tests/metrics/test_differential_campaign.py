"""Differential test of the campaign blocks: the pandas engine (duzhan.metrics.supervision,
reports, households; JSON shaping in duzhan.metrics.report; rules in
duzhan.metrics.status.campaign_reasons) against the naive oracle (oracle_campaign.py,
written from shared/contract/metrics.md alone), on random frames drawn around D with
edge-heavy dates: the 28th and the 29th, M(D) and M(D)−1 boundaries, the campaign's first
and last day next to M(D)−1, D−27/D−28, D−89/D−90, 15/16 days, same-day supervisions
ordered by id, runs of yellow cards, checks that move a household to another township,
"not in use yet" stores."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from duzhan.metrics import households, reports, supervision
from duzhan.metrics.report import (
    json_guarantees,
    json_monitoring,
    json_relocation,
    json_reports,
    json_supervision,
)
from duzhan.metrics.status import campaign_reasons

from .campaign_frames import frames
from .oracle_campaign import oracle_campaign
from .test_differential import SPECIAL_D


def engine_campaign(F: dict, D: dt.date, codes: list[str]) -> dict:
    """The five blocks and campaign reasons of the county and each township, as the
    metrics report will carry them (JSON-ready)."""
    def shaped(sup, rep, mon, gua, rel):
        b = {"supervision": json_supervision(sup), "reports": json_reports(rep),
             "monitoring": json_monitoring(mon), "guarantees": json_guarantees(gua),
             "relocation": json_relocation(rel)}
        red, yellow = campaign_reasons(b)
        b["red"], b["yellow"] = [r.code for r in red], [r.code for r in yellow]
        return b

    args_sup = (F["villages"], F["sites"], F["supervisions"], F["phases"], D)
    args_rep = (F["townships"], F["reports"], F["phases"], D)
    county = shaped(supervision.supervision_metrics(*args_sup),
                    reports.report_metrics(*args_rep),
                    households.monitoring_metrics(F["monitored"], D),
                    households.guarantee_metrics(F["guarantees"], F["townships"], D),
                    households.relocation_metrics(F["sites"], F["site_checks"], D))
    sup = supervision.supervision_metrics_by(*args_sup, groups=codes)
    rep = reports.report_metrics_by(*args_rep, groups=codes)
    mon = households.monitoring_metrics_by(F["monitored"], D, codes)
    gua = households.guarantee_metrics_by(F["guarantees"], F["townships"], D, codes)
    rel = households.relocation_metrics_by(F["sites"], F["site_checks"], D, codes)
    towns = [{"township_code": c, **shaped(sup[c], rep[c], mon[c], gua[c], rel[c])}
             for c in codes]
    # the grouped path equals the scoped one
    for c, t in zip(codes, towns, strict=False):
        one = shaped(supervision.supervision_metrics(*args_sup, townships=[c]),
                     reports.report_metrics(*args_rep, townships=[c]),
                     households.monitoring_metrics(F["monitored"], D, [c]),
                     households.guarantee_metrics(F["guarantees"], F["townships"], D, [c]),
                     households.relocation_metrics(F["sites"], F["site_checks"], D, [c]))
        assert {"township_code": c, **one} == t, c
    return {"county": county, "townships": towns}


as_of_dates = st.one_of(st.sampled_from(SPECIAL_D + [dt.date(2024, 6, 28),
                                                     dt.date(2024, 6, 29),
                                                     dt.date(2024, 2, 1)]),
                        st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)))


def month_edges(D: dt.date) -> list[int]:
    """Offsets from D of the first/last days of M(D), M(D)−1 and the days around them."""
    first = D.replace(day=1)
    prev_last = first - dt.timedelta(days=1)
    prev_first = prev_last.replace(day=1)
    days = [first, prev_last, prev_first, prev_first - dt.timedelta(days=1),
            dt.date(D.year, D.month, 28) if D.day != 28 else D,
            prev_last.replace(day=28), prev_last.replace(day=28) + dt.timedelta(days=1)]
    return [(d - D).days for d in days]


@st.composite
def scenarios(draw):
    D = draw(as_of_dates)
    edges = month_edges(D) + [0, -1, 1, -15, -16, -27, -28, -29, -89, -90, -91]
    off = st.one_of(st.sampled_from(edges), st.integers(-120, 60))

    def day(o: int) -> str:
        return (D + dt.timedelta(days=o)).isoformat()

    codes = [f"{i:02d}" for i in range(1, draw(st.integers(1, 3)) + 1)]
    townships = [{"township_code": c, "township_name": f"乡{c}",
                  "households": draw(st.sampled_from([None, 0, 1, 3, 40]))} for c in codes]

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

    villages, sites = [], []
    for k in range(draw(st.integers(0, 5))):
        villages.append({"village_code": f"v{k}", "village_name": f"村{k}",
                         "township_code": draw(st.sampled_from(codes)),
                         "listed": draw(st.booleans())})
    for k in range(draw(st.integers(0, 3))):
        sites.append({"site_code": f"s{k}", "site_name": f"点{k}",
                      "township_code": draw(st.sampled_from(codes)),
                      "planned_households": draw(st.integers(1, 50))})

    supervisions = []
    n_sup = draw(st.integers(0, 20))
    ids = draw(st.permutations(range(n_sup)))
    for k in range(n_sup):
        town = draw(st.sampled_from(codes))
        targets = [None] + [v["village_code"] for v in villages
                            if v["township_code"] == town and v["listed"]] + \
            [s["site_code"] for s in sites if s["township_code"] == town]
        supervisions.append({
            "supervision_id": f"S{ids[k]:02d}", "township_code": town,
            "target_code": draw(st.sampled_from(targets)),
            "visit_date": day(draw(st.one_of(off, st.sampled_from([0, -3])))),
            "leader": draw(st.sampled_from([None, "张", "李"])),
            "rating": draw(st.sampled_from(["good", "fair", "average", "poor"])),
            "yellow_card": draw(st.sampled_from([True, True, False]))})

    report_rows = []
    if draw(st.integers(0, 4)):
        for c in codes:
            for mo in range(-draw(st.integers(0, 14)), 2):
                if not draw(st.integers(0, 4)):
                    continue  # missing
                y, m = D.year, D.month + mo
                while m < 1:
                    y, m = y - 1, m + 12
                while m > 12:
                    y, m = y + 1, m - 12
                due = dt.date(y, m, 28)
                sub = due + dt.timedelta(days=draw(st.sampled_from([-27, -1, 0, 1, 2, 30])))
                sub = max(sub, dt.date(y, m, 1))
                report_rows.append({"township_code": c, "month": f"{y:04d}-{m:02d}",
                                    "submitted_date": sub.isoformat()})
    if draw(st.integers(0, 5)) == 0:  # only reports after D: not in use yet
        report_rows = [r for r in report_rows if r["submitted_date"] > D.isoformat()]

    monitored = []
    for k in range(draw(st.integers(0, 10))):
        ident = draw(off)
        assisted = None if draw(st.booleans()) else ident + draw(st.sampled_from([0, 1, 16, 40]))
        cleared = None if assisted is None or draw(st.booleans()) else \
            assisted + draw(st.sampled_from([0, 5, 30]))
        monitored.append({"household_id": f"M{k}", "township_code": draw(st.sampled_from(codes)),
                          "category": draw(st.sampled_from(["脱贫不稳定户", "边缘易致贫户"])),
                          "risk": draw(st.sampled_from(["因病", "因学", "因灾"])),
                          "identified_date": day(ident),
                          "assisted_date": None if assisted is None else day(assisted),
                          "cleared_date": None if cleared is None else day(cleared)})

    checks = []
    for h in range(draw(st.integers(0, 6))):
        for o in draw(st.lists(off, max_size=3, unique=True)):
            checks.append({"household_id": f"G{h}", "township_code": draw(st.sampled_from(codes)),
                           "check_date": day(o),
                           **{f"{i}_ok": draw(st.sampled_from([True, True, False]))
                              for i in ("food_clothing", "education", "medical", "housing",
                                        "water")}})

    site_checks = []
    for s in sites:
        for o in draw(st.lists(off, max_size=3, unique=True)):
            moved = draw(st.integers(0, s["planned_households"]))
            site_checks.append({"site_code": s["site_code"], "check_date": day(o),
                                "moved_in": moved, "employed": draw(st.integers(0, moved))})

    records = {"townships": townships, "phases": phases, "villages": villages, "sites": sites,
               "supervisions": supervisions, "reports": report_rows, "monitored": monitored,
               "guarantees": checks, "site_checks": site_checks}
    return records, D, codes


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios())
def test_campaign_engine_equals_oracle(case):
    records, D, codes = case
    note(f"D={D}")
    F = frames(**records)
    engine = engine_campaign(F, D, codes)
    assert engine == oracle_campaign(records, D, codes)
    # and the oracle reads the same figures out of the engine's input frames
    assert oracle_campaign(F, D, codes) == oracle_campaign(records, D, codes)
