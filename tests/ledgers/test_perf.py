"""A county-sized workbook (~42,000 rows) imports in a few seconds; a re-import is a no-op."""
from __future__ import annotations

import datetime as dt
import io
import random
import time

from duzhan.contract import LEDGER_ORDER, LEDGERS
from duzhan.ledgers import SourceFile, import_files


def county_workbook(seed: int = 7) -> tuple[bytes, int]:
    from openpyxl import Workbook

    rnd = random.Random(seed)
    d0 = dt.date(2020, 3, 1)
    rows: dict[str, list[list]] = {k: [] for k in LEDGER_ORDER}
    towns = [f"5227011{i:02d}" for i in range(1, 21)]
    for i, t in enumerate(towns):
        rows["townships"].append([t, f"第{i + 1}镇", f"片区{i % 4}", rnd.randint(100, 3000)])
    villages = []
    for t in towns:
        for j in range(15):
            v = f"{t}2{j:02d}"
            villages.append((v, t))
            rows["villages"].append([v, f"{v}村", t, rnd.choice(["是", "否"]),
                                     round(107 + rnd.random(), 6), round(26 + rnd.random(), 6)])
    for p in range(4):
        rows["phases"].append([p + 1, f"阶段{p + 1}", d0 + dt.timedelta(days=90 * p),
                               d0 + dt.timedelta(days=90 * p + 89)])
    for i in range(200):
        rows["tasks"].append([f"T{i:04d}", i % 4 + 1, rnd.choice(towns + [None]), None,
                              f"任务{i}", "县住建局", d0 + dt.timedelta(days=rnd.randint(0, 360)),
                              None])
    for i in range(3000):
        v, t = rnd.choice(villages)
        found = d0 + dt.timedelta(days=rnd.randint(0, 300))
        rows["issues"].append([f"W{i:05d}", t, v, "审计", "住房安全", "县住建局", found,
                               found + dt.timedelta(days=30),
                               found + dt.timedelta(days=10) if i % 2 else None, "描述"])
    for i in range(1500):
        alloc = d0 + dt.timedelta(days=rnd.randint(0, 200))
        rows["projects"].append([f"XM{i:05d}", f"项目{i}", rnd.choice(towns), "中央财政专项",
                                 "产业发展", "1,000,000.00", alloc])
        for k in range(4):
            rows["disbursements"].append([f"XM{i:05d}", alloc + dt.timedelta(days=10 * k + 1),
                                          f"{rnd.randint(1, 2400000) / 10:.2f}"])
    for i in range(12000):
        v, t = rnd.choice(villages)
        issued = d0 + dt.timedelta(days=rnd.randint(0, 300))
        rows["loans"].append([f"DK{i:06d}", f"52270110{i:08d}", t, v, 50000, issued,
                              issued + dt.timedelta(days=1095), None, "农商银行"])
        rows["repayments"].append([f"DK{i:06d}", issued + dt.timedelta(days=365),
                                   rnd.choice([5000, 10000, 12345.67])])
    listed = [(r[0], r[2]) for r in rows["villages"] if r[3] == "是"]
    sites = [(f"AZD{t}-{k}", t) for t in towns for k in range(3)]
    for code, t in sites:
        rows["sites"].append([code, f"{code}安置点", t, 100, None, None])
        for k in range(10):
            rows["site_checks"].append([code, d0 + dt.timedelta(days=30 * k), 5 + 9 * k, 4 * k])
    units = listed + sites
    for i in range(1500):
        code, t = rnd.choice(units)
        rows["supervisions"].append([f"DZ{i:05d}", t, code, d0 + dt.timedelta(days=rnd.randint(
            0, 300)), "组长", rnd.choice(["好", "较好", "一般", "差"]),
            "是" if i % 17 == 0 else "否", None])
    for t in towns:
        for m in range(12):
            month = dt.date(2020, 3 + m, 1) if m < 10 else dt.date(2021, m - 9, 1)
            rows["reports"].append([t, f"{month.year}-{month.month:02d}",
                                    month + dt.timedelta(days=rnd.randint(20, 35))])
    for i in range(600):
        v, t = rnd.choice(villages)
        seen = d0 + dt.timedelta(days=rnd.randint(0, 300))
        helped = seen + dt.timedelta(days=rnd.randint(1, 30)) if i % 3 else None
        rows["monitored"].append([f"53270110{i:08d}", t, v, "边缘易致贫户", "因病", seen, helped,
                                  helped + dt.timedelta(days=90) if helped and i % 2 else None])
    for i in range(3000):
        v, t = villages[i % len(villages)]
        rows["guarantees"].append([f"54270110{i % 1500:08d}", t, v,
                                   d0 + dt.timedelta(days=(i // 1500) * 120 + rnd.randint(0, 60)),
                                   "是", "是", "是", rnd.choice(["是", "否"]), "是"])
    wb = Workbook(write_only=True)
    for key in LEDGER_ORDER:
        ws = wb.create_sheet(LEDGERS[key].zh)
        ws.append([c.zh for c in LEDGERS[key].columns])
        for r in rows[key]:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), sum(len(r) for r in rows.values())


def test_county_workbook_imports_and_reimports_unchanged(engine):
    data, n = county_workbook()
    assert n > 40000
    f = SourceFile("county.xlsx", data)
    t0 = time.perf_counter()
    res = import_files(engine, [f], user="perf")
    first = time.perf_counter() - t0
    assert res.accepted, res.problems[:5]
    assert sum(res.rows.values()) == n
    t0 = time.perf_counter()
    again = import_files(engine, [f], user="perf")
    second = time.perf_counter() - t0
    assert again.accepted
    assert sum(c["unchanged"] for c in again.changes.values()) == n
    print(f"\n{engine.dialect.name}: {n} rows imported in {first:.1f}s, re-import {second:.1f}s")
