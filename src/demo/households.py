"""The demo county's household ledgers: site checks, monitored households, 三保障 checks.

    household_ledgers(seed, year, today, villages_of, sites) -> {"site_checks", "monitored",
                                                                 "guarantees"}

The whole year is simulated and only what has happened by `today` is kept. The story (see
`duzhan.demo.county`):

* site checks: each relocation site is counted once a month; occupancy and employment climb
  through the year, 白岩乡's site (LAGGING_SITE_TOWNSHIP) stays far behind its plan;
* monitored households (防返贫监测): a few hundred, helped within two weeks of being
  identified, except in 坝头镇 (SLOW_ASSIST_TOWNSHIP), where help takes weeks and the
  households hit by the late-September flood are still waiting in November;
* 三保障 checks: the spring round (排查建账) finds gaps; elsewhere they are put right and
  re-checked by mid-June (问题清零), in 河口乡 and 白岩乡 (GAP_TOWNSHIPS) housing and water
  gaps are many and close slowly, some still open at the end of the year; the autumn round
  (普查准备) re-checks nearly every household, 石门乡 (LOW_COVERAGE_TOWNSHIP) only two thirds.

Household ids are made up: a village code and a four-digit number (户编号), like the ids of
the national poverty register, corresponding to no one.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from .county import (
    GAP_TOWNSHIPS,
    LAGGING_SITE_TOWNSHIP,
    LOW_COVERAGE_TOWNSHIP,
    SLOW_ASSIST_TOWNSHIP,
    TOWNSHIPS,
)

ITEMS = ("food_clothing", "education", "medical", "housing", "water")
# the share of households with each gap at the start of the campaign
GAP_SHARE = {
    "gap": {"food_clothing": 0.002, "education": 0.012, "medical": 0.015, "housing": 0.09,
            "water": 0.08},
    "other": {"food_clothing": 0.001, "education": 0.006, "medical": 0.008, "housing": 0.012,
              "water": 0.010},
}
SPRING_SAMPLE = 0.4  # outside the gap townships the spring round records this share (and every gap)
AUTUMN_SHARE = 0.97  # the autumn round re-checks this share of households
LOW_AUTUMN_SHARE = 0.66
AUTUMN_NEW_GAP = 0.012  # the autumn round finds new housing/water gaps in the gap townships
STUCK = 0.3  # a gap township's housing or water gap still open at the end of the year


def _d(year: int, month: int, day: int) -> date:
    return date(year, month, day)


def _between(rng, a: date, b: date) -> date:
    return a + timedelta(days=int(rng.integers(0, (b - a).days + 1)))


# --------------------------------------------------------------------------- households

def _register(rng, villages_of: dict[str, list[dict]]) -> list[tuple[str, dict]]:
    """Every registered household (建档立卡户): (household_id, its village)."""
    out = []
    for t in TOWNSHIPS:
        vills = villages_of[t.code]
        w = np.array([1.5 if v["listed"] else 1.0 for v in vills])
        counts = rng.multinomial(t.registered, w / w.sum())
        for v, n in zip(vills, counts, strict=True):
            serials = np.sort(rng.choice(np.arange(1, 3000), size=int(n), replace=False))
            out += [(f"{v['village_code']}{int(s):04d}", v) for s in serials]
    return out


# --------------------------------------------------------------------------- guarantees

def _checks_of(rng, year: int, gap_township: bool, low_coverage: bool) -> list[tuple[date, dict]]:
    """One household's checks: [(check_date, {item: ok})] in date order."""
    share = GAP_SHARE["gap" if gap_township else "other"]
    spring = _between(rng, _d(year, 3, 16), _d(year, 4, 30))
    fixed: dict[str, date | None] = {}  # item → the day its gap is put right (None: not this year)
    since: dict[str, date] = {}  # item → the day a gap found in the autumn appeared
    for item in ITEMS:
        if rng.random() >= share[item]:
            continue
        if not gap_township:  # 问题清零 by mid-June
            fixed[item] = min(spring + timedelta(days=int(rng.integers(10, 50))), _d(year, 6, 15))
        elif item in ("housing", "water") and rng.random() < STUCK:
            fixed[item] = None
        elif item in ("housing", "water"):  # 危房改造, 饮水工程: months
            fixed[item] = spring + timedelta(days=int(rng.integers(40, 240)))
        else:
            fixed[item] = spring + timedelta(days=int(rng.integers(10, 60)))
    autumn_share = LOW_AUTUMN_SHARE if low_coverage else AUTUMN_SHARE
    autumn = _between(rng, _d(year, 8, 25), _d(year, 11, 10)) if rng.random() < autumn_share else None
    if gap_township and autumn is not None and rng.random() < AUTUMN_NEW_GAP:
        item = "water" if rng.random() < 0.6 else "housing"  # 季节性缺水, 房屋受损
        if item not in fixed:
            fixed[item] = autumn + timedelta(days=int(rng.integers(20, 70)))
            since[item] = autumn - timedelta(days=int(rng.integers(5, 40)))

    def state(day: date) -> dict[str, bool]:
        return {item: not (item in fixed and day >= since.get(item, day)
                           and (fixed[item] is None or day < fixed[item])) for item in ITEMS}

    has_gap = bool(fixed)
    days: list[date] = []
    if gap_township or has_gap or rng.random() < SPRING_SAMPLE:
        days.append(spring)
        if has_gap and not gap_township:  # re-checked once it is put right
            last_fix = max(d for d in fixed.values() if d is not None)
            days.append(last_fix + timedelta(days=int(rng.integers(1, 9))))
        elif has_gap:  # re-checked every month or so until it is
            day = spring
            while True:
                day = day + timedelta(days=int(rng.integers(25, 46)))
                if day >= _d(year, 8, 20):
                    break
                days.append(day)
                if all(s for s in state(day).values()):
                    break
    if autumn is not None:
        days.append(autumn)
        day = autumn
        while not all(state(day).values()):  # still a gap: again in a month
            day = day + timedelta(days=int(rng.integers(25, 40)))
            if day.year != year:
                break
            days.append(day)
    days = sorted(set(days))
    return [(d, state(d)) for d in days]


def _guarantees(rng, year: int, today: date, register) -> list[dict]:
    rows = []
    for hid, v in register:
        code = v["township_code"]
        for day, ok in _checks_of(rng, year, code in GAP_TOWNSHIPS, code == LOW_COVERAGE_TOWNSHIP):
            if day > today:
                break
            rows.append({"household_id": hid, "township_code": code,
                         "village_code": v["village_code"], "check_date": day,
                         **{f"{item}_ok": ok[item] for item in ITEMS}})
    rows.sort(key=lambda r: (r["check_date"], r["household_id"]))
    return rows


# --------------------------------------------------------------------------- monitored

CATEGORIES = ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户")
CATEGORY_WEIGHTS = (0.46, 0.40, 0.14)
RISKS = ("因病", "因残", "因学", "因灾", "因意外", "缺劳动力", "就业不稳", "产业失败")
RISK_WEIGHTS = (0.30, 0.12, 0.08, 0.07, 0.07, 0.15, 0.15, 0.06)
SLOW_RISKS = ("因病", "因残", "缺劳动力")  # risks that take long to clear
MONITORED_SHARE = 0.055  # of the registered households
FLOOD = (9, 24)  # (month, day) of the flood in SLOW_ASSIST_TOWNSHIP
FLOOD_HOUSEHOLDS = 8


def _identified(rng, year: int) -> date:
    """Carried over from last year (a third), the spring 排查 (a third), or any time."""
    u = rng.random()
    if u < 0.3:
        return _between(rng, _d(year - 1, 6, 1), _d(year, 1, 31))
    if u < 0.6:
        return _between(rng, _d(year, 3, 1), _d(year, 5, 31))
    return _between(rng, _d(year, 2, 1), _d(year, 12, 20))


def _monitored(rng, year: int, today: date, register) -> list[dict]:
    by_township: dict[str, list[tuple[str, dict]]] = {t.code: [] for t in TOWNSHIPS}
    for hid, v in register:
        by_township[v["township_code"]].append((hid, v))
    rows = []
    for t in TOWNSHIPS:
        slow = t.code == SLOW_ASSIST_TOWNSHIP
        weight = 1.5 if t.code in GAP_TOWNSHIPS else 1.0
        n = int(round(t.registered * MONITORED_SHARE * weight))
        pool = by_township[t.code]
        picks = rng.choice(len(pool), size=n, replace=False)
        used = set()
        cases = []
        for k in picks:
            hid, v = pool[int(k)]
            category = CATEGORIES[int(rng.choice(3, p=CATEGORY_WEIGHTS))]
            if category == "边缘易致贫户":  # not registered: a number of the 5000s
                hid = f"{v['village_code']}{5000 + int(rng.integers(1, 999)):04d}"
            risk = RISKS[int(rng.choice(len(RISKS), p=RISK_WEIGHTS))]
            identified = _identified(rng, year)
            wait = int(rng.integers(12, 50)) if slow else int(rng.integers(1, 15))
            cases.append((hid, v, category, risk, identified, identified + timedelta(days=wait)))
        if slow:  # the flood: households hit late in September, still waiting in November
            for _ in range(FLOOD_HOUSEHOLDS):
                hid, v = pool[int(rng.integers(len(pool)))]
                identified = _d(year, *FLOOD) + timedelta(days=int(rng.integers(1, 15)))
                assisted = _between(rng, _d(year, 11, 24), _d(year, 12, 18))
                cases.append((hid, v, "突发严重困难户", "因灾", identified, assisted))
        for hid, v, category, risk, identified, assisted in cases:
            if hid in used or identified > today:
                continue
            used.add(hid)
            stay = int(rng.integers(120, 420)) if risk in SLOW_RISKS else int(rng.integers(45, 200))
            cleared = assisted + timedelta(days=stay)
            rows.append({
                "household_id": hid, "township_code": t.code, "village_code": v["village_code"],
                "category": category, "risk": risk, "identified_date": identified,
                "assisted_date": assisted if assisted <= today else None,
                "cleared_date": cleared if cleared <= today else None,
            })
    rows.sort(key=lambda r: (r["identified_date"], r["household_id"]))
    return rows


# --------------------------------------------------------------------------- site checks

def _smooth(x: float) -> float:
    x = min(max(x, 0.0), 1.0)
    return x * x * (3 - 2 * x)


def _site_checks(rng, year: int, today: date, sites: list[dict]) -> list[dict]:
    rows = []
    for s in sites:
        planned = s["planned_households"]
        lagging = s["township_code"] == LAGGING_SITE_TOWNSHIP
        if lagging:
            occ0, occ1, emp0, emp1 = 0.32, 0.6, 0.42, 0.66
        else:
            occ0, occ1 = float(rng.uniform(0.6, 0.78)), float(rng.uniform(0.95, 1.0))
            emp0, emp1 = float(rng.uniform(0.58, 0.7)), float(rng.uniform(0.88, 0.96))
        moved = 0
        for m in range(2, 13):
            day = _d(year, m, int(rng.integers(10, 21)))
            x = _smooth((m - 2) / 8)
            moved = max(moved, min(planned, round(planned * (occ0 + (occ1 - occ0) * x))))
            employed = min(moved, round(moved * (emp0 + (emp1 - emp0) * x)))
            if day > today:
                break
            rows.append({"site_code": s["site_code"], "check_date": day, "moved_in": moved,
                         "employed": employed})
    return rows


# --------------------------------------------------------------------------- entry

def household_ledgers(seed: int, year: int, today: date, villages_of: dict[str, list[dict]],
                      sites: list[dict]) -> dict[str, list[dict]]:
    """Rows of site_checks, monitored and guarantees (one random stream each)."""
    rng = {k: np.random.default_rng([seed, 200 + i])
           for i, k in enumerate(("register", "site_checks", "monitored", "guarantees"))}
    register = _register(rng["register"], villages_of)
    return {
        "site_checks": _site_checks(rng["site_checks"], year, today, sites),
        "monitored": _monitored(rng["monitored"], year, today, register),
        "guarantees": _guarantees(rng["guarantees"], year, today, register),
    }
