"""A small hand-made county for the 督导 tests (view model, overview, briefing pack):
甲乡 (01) with listed 一村 (V1, two yellow cards in a row: summons due) and unlisted 二村,
乙乡 (02) with listed 三村 (V3) and 安置点 (S1); one phase over 2026; 01 reports every month
on time, 02 reports March late and October not at all."""
from __future__ import annotations

import datetime as dt

from duzhan.metrics.frames import Ledgers

D = dt.date(2026, 11, 18)


def _sup(i, tw, target, day, leader, rating, yellow=False):
    return {"supervision_id": i, "township_code": tw, "target_code": target,
            "visit_date": day, "leader": leader, "rating": rating, "yellow_card": yellow}


def _reports():
    rows = [{"township_code": "01", "month": f"2026-{m:02d}-01",
             "submitted_date": f"2026-{m:02d}-25"} for m in range(1, 11)]
    for m in range(1, 10):  # 02: March late, October missing
        day = "2026-03-30" if m == 3 else f"2026-{m:02d}-20"
        rows.append({"township_code": "02", "month": f"2026-{m:02d}-01", "submitted_date": day})
    return rows


def small_county() -> Ledgers:
    return Ledgers.from_records(
        townships=[{"township_code": "01", "township_name": "甲乡"},
                   {"township_code": "02", "township_name": "乙乡"}],
        villages=[
            {"village_code": "V1", "village_name": "一村", "township_code": "01", "listed": True},
            {"village_code": "V2", "village_name": "二村", "township_code": "01", "listed": False},
            {"village_code": "V3", "village_name": "三村", "township_code": "02", "listed": True}],
        sites=[{"site_code": "S1", "site_name": "安置点", "township_code": "02",
                "planned_households": 10}],
        phases=[{"phase_no": 1, "phase_name": "攻坚", "start_date": "2026-01-01",
                 "end_date": "2026-12-31"}],
        supervisions=[
            _sup("A1", "01", "V1", "2026-09-10", "张", "poor", True),
            _sup("A2", "01", "V1", "2026-10-10", "李", "poor", True),
            _sup("A3", "01", None, "2026-11-03", "王", "good"),
            _sup("A4", "02", "S1", "2026-11-05", "赵", "fair"),
            _sup("A5", "02", "V3", "2026-10-20", "钱", "average")],
        reports=_reports(),
    )
