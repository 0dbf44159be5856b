"""Random campaign ledgers for the differential tests (hypothesis ``draw`` functions):
the supervision and household ledgers of some townships around an as-of date D, and the
counties of a store."""
from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st


def month_edges(D: dt.date) -> list[int]:
    """Offsets from D of the first/last days of M(D), M(D)−1 and the days around them."""
    first = D.replace(day=1)
    prev_last = first - dt.timedelta(days=1)
    prev_first = prev_last.replace(day=1)
    days = [first, prev_last, prev_first, prev_first - dt.timedelta(days=1),
            dt.date(D.year, D.month, 28) if D.day != 28 else D,
            prev_last.replace(day=28), prev_last.replace(day=28) + dt.timedelta(days=1)]
    return [(d - D).days for d in days]


def campaign_records(draw, D: dt.date, codes: list[str]) -> dict[str, list[dict]]:
    """villages, sites, site_checks, supervisions, reports, monitored and guarantees of the
    townships ``codes``, drawn around D on the contract's boundaries."""
    edges = month_edges(D) + [0, -1, 1, -15, -16, -27, -28, -29, -89, -90, -91]
    off = st.one_of(st.sampled_from(edges), st.integers(-120, 60))

    def day(o: int) -> str:
        return (D + dt.timedelta(days=o)).isoformat()

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

    return {"villages": villages, "sites": sites, "supervisions": supervisions,
            "reports": report_rows, "monitored": monitored, "guarantees": checks,
            "site_checks": site_checks}


def counties_of(draw, codes: list[str]) -> list[tuple[str | None, str | None]]:
    """(county_code, county_name) per township: no counties, one, or several (one name
    per code)."""
    n = draw(st.sampled_from([0, 0, 1, 2, 3]))
    if n == 0:
        return [(None, None)] * len(codes)
    return [(f"52{k:02d}", f"县{k}") for k in
            (draw(st.integers(1, n)) for _ in codes)]
