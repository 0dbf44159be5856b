"""Demo ledgers of the fictional county 「演示县」.

    write_demo_ledgers(out_dir, today=None, seed=20240202) -> [out_dir / "演示县台账.xlsx"]
    build_demo_frames(today=None, seed=20240202) -> {ledger key: DataFrame}

The campaign runs in `today`'s year (5 phases, 2 Feb – 31 Dec). The generator simulates the
whole year and keeps what has happened by `today`: nothing is found, closed, done, allocated,
paid or issued after `today`. The data is deliberately uneven (see `duzhan.demo.county`):
河口乡 is behind on issues and tasks, 白岩乡 has a micro-loan overdue problem, 坝头镇 and
石门乡 are yellow-ish (loans 1–3 %, slow disbursement), 市级财政 funds lag, the rest are green.
The supervision and household ledgers (`duzhan.demo.supervision`, `duzhan.demo.households`)
add to the same townships: a summons due in 河口乡, reports missing in 石门乡, 三保障 gaps
in 河口乡 and 白岩乡, help slow in 坝头镇, 白岩乡's relocation site lagging.

Same seed and same `today` give byte-identical workbooks. Everything is synthetic: household
ids are made up (H + digits for loans, a village code + 4 digits for the household ledgers)
and correspond to no one.

    python -m duzhan.demo.generator OUT_DIR [--today YYYY-MM-DD] [--seed N]
"""
from __future__ import annotations

import argparse
import io
import math
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from shapely.geometry import Point
from shapely.prepared import prep

from duzhan import clock
from duzhan.contract import LEDGER_ORDER, LEDGERS

from . import DEMO_COUNTY_NAME, DEMO_MARK
from .county import (
    BANKS,
    ISSUE_CATEGORIES,
    ISSUE_SOURCES,
    LAGGING_FUNDING_SOURCE,
    TOWNSHIPS,
    Township,
)
from .households import household_ledgers
from .supervision import supervision_ledgers

DEFAULT_SEED = 20240202
WORKBOOK_NAME = f"{DEMO_COUNTY_NAME}台账.xlsx"
N_VILLAGES = 100
N_LISTED = 20
N_ISSUES = 1500
N_PROJECTS = 400
N_LOANS = 6000

PHASES = (  # (no, name, (month, day) start, (month, day) end)
    (1, "动员部署", (2, 2), (3, 15)),
    (2, "排查建账", (3, 16), (4, 30)),
    (3, "集中整改（问题清零）", (5, 1), (6, 30)),
    (4, "巩固提升", (7, 1), (9, 30)),
    (5, "总结验收", (10, 1), (12, 31)),
)

# --------------------------------------------------------------------------- vocabulary

VILLAGE_HEADS = list("大小新老上下中高石岩水龙凤杨李王黄茶竹松桃花坪坝沟田马牛羊鸡雷云金银柳梨枫")
VILLAGE_TAILS = ["寨", "坪", "湾", "冲", "坝", "沟", "山", "岭", "河", "田", "院", "堡", "口", "塘",
                 "场", "庄", "营", "屯", "坡", "井"]

TASKS_BY_PHASE: dict[int, list[str]] = {
    1: ["召开挂牌督战动员部署会", "制定挂牌督战实施方案", "成立督战工作专班", "明确包保责任人并公示",
        "签订挂牌督战目标责任书", "组织驻村工作队业务培训", "建立督战工作台账", "公布督战举报电话",
        "落实第一书记驻村管理", "制定问题清零工作计划"],
    2: ["开展“回头看”大排查", "建立问题清单和整改台账", "核查“两不愁三保障”情况", "核实建档立卡信息",
        "排查饮水安全保障情况", "排查住房安全保障情况", "排查控辍保学情况", "排查基本医疗参保情况",
        "梳理扶贫项目资产", "排查小额信贷到期逾期情况", "排查易地扶贫搬迁后续扶持情况", "比对防返贫监测对象"],
    3: ["问题整改销号", "完成危房改造扫尾", "完成饮水工程维修改造", "落实控辍保学劝返复学",
        "落实医保资助参保", "加快扶贫资金拨付", "督促到期贷款收回续贷", "完善户档村档资料",
        "落实产业奖补资金兑现", "开展问题清零验收"],
    4: ["推进产业项目提质增效", "开展就业帮扶专项行动", "落实易地搬迁后续扶持", "开展防返贫动态监测帮扶",
        "规范公益性岗位管理", "落实扶贫资产管护责任", "巩固饮水安全成果", "开展消费扶贫活动"],
    5: ["开展脱贫成效自查评估", "迎接脱贫攻坚普查准备", "户档村档资料归档", "撰写年度工作总结",
        "配合考核验收", "年度数据比对清洗", "整改结果公示", "兑现年度帮扶政策"],
}

# who answers for each task of the work plan; TOWNSHIP_GOVERNMENT: the township's own
# government (乡镇人民政府) for its tasks, the county's leading office for county-wide ones
TOWNSHIP_GOVERNMENT = "乡镇人民政府"
COUNTY_OFFICE = "县乡村振兴局"
TASK_DEPARTMENTS: dict[str, str] = {
    "召开挂牌督战动员部署会": TOWNSHIP_GOVERNMENT, "制定挂牌督战实施方案": COUNTY_OFFICE,
    "成立督战工作专班": TOWNSHIP_GOVERNMENT, "明确包保责任人并公示": TOWNSHIP_GOVERNMENT,
    "签订挂牌督战目标责任书": COUNTY_OFFICE, "组织驻村工作队业务培训": "县委组织部",
    "建立督战工作台账": COUNTY_OFFICE, "公布督战举报电话": "县纪委监委",
    "落实第一书记驻村管理": "县委组织部", "制定问题清零工作计划": COUNTY_OFFICE,
    "开展“回头看”大排查": TOWNSHIP_GOVERNMENT, "建立问题清单和整改台账": COUNTY_OFFICE,
    "核查“两不愁三保障”情况": TOWNSHIP_GOVERNMENT, "核实建档立卡信息": COUNTY_OFFICE,
    "排查饮水安全保障情况": "县水利局", "排查住房安全保障情况": "县住建局",
    "排查控辍保学情况": "县教育局", "排查基本医疗参保情况": "县医保局",
    "梳理扶贫项目资产": "县财政局", "排查小额信贷到期逾期情况": "县金融办",
    "排查易地扶贫搬迁后续扶持情况": "县生态移民局", "比对防返贫监测对象": COUNTY_OFFICE,
    "问题整改销号": TOWNSHIP_GOVERNMENT, "完成危房改造扫尾": "县住建局",
    "完成饮水工程维修改造": "县水利局", "落实控辍保学劝返复学": "县教育局",
    "落实医保资助参保": "县医保局", "加快扶贫资金拨付": "县财政局",
    "督促到期贷款收回续贷": "县金融办", "完善户档村档资料": TOWNSHIP_GOVERNMENT,
    "落实产业奖补资金兑现": "县农业农村局", "开展问题清零验收": COUNTY_OFFICE,
    "推进产业项目提质增效": "县农业农村局", "开展就业帮扶专项行动": "县人社局",
    "落实易地搬迁后续扶持": "县生态移民局", "开展防返贫动态监测帮扶": COUNTY_OFFICE,
    "规范公益性岗位管理": "县人社局", "落实扶贫资产管护责任": "县财政局",
    "巩固饮水安全成果": "县水利局", "开展消费扶贫活动": "县商务局",
    "开展脱贫成效自查评估": COUNTY_OFFICE, "迎接脱贫攻坚普查准备": "县统计局",
    "户档村档资料归档": TOWNSHIP_GOVERNMENT, "撰写年度工作总结": TOWNSHIP_GOVERNMENT,
    "配合考核验收": TOWNSHIP_GOVERNMENT, "年度数据比对清洗": COUNTY_OFFICE,
    "整改结果公示": TOWNSHIP_GOVERNMENT, "兑现年度帮扶政策": "县卫健局",
}


def task_department(task: str, township: Township | None) -> str:
    """The responsible unit of a work-plan task (chosen by name: no random draw, so the
    rest of the demo county is what it was before tasks had a department)."""
    dept = TASK_DEPARTMENTS[task]
    if dept == TOWNSHIP_GOVERNMENT:
        return f"{township.name}人民政府" if township else COUNTY_OFFICE
    return dept


ISSUE_DEPARTMENTS = {
    "义务教育": "县教育局", "基本医疗": "县卫健局", "住房安全": "县住建局", "饮水安全": "县水利局",
    "产业就业": "县人社局", "资金管理": "县财政局", "帮扶责任": "县乡村振兴局",
}
ISSUE_TEXTS = {
    "义务教育": ["脱贫户适龄子女{n}人未按时返校，控辍保学台账不完整", "义务教育阶段学生资助未及时发放到户",
                 "送教上门记录不全", "寄宿制学校学生生活补助发放不及时"],
    "基本医疗": ["{n}名脱贫人口未参加城乡居民医保", "家庭医生签约服务未落实到户",
                 "慢性病门诊待遇未及时办理", "先诊疗后付费政策宣传不到位"],
    "住房安全": ["{n}户住房安全等级鉴定资料缺失", "危房改造项目未按期竣工",
                 "老旧房屋未拆除存在安全隐患", "住房安全保障信息与实际不符"],
    "饮水安全": ["{n}户季节性缺水，供水保障不稳定", "饮水工程管护制度未落实",
                 "水质检测记录不全", "入户管网老化漏水"],
    "产业就业": ["产业项目利益联结机制不健全", "{n}名有劳动力的脱贫人口未实现就业",
                 "产业奖补资金兑现不及时", "扶贫车间吸纳就业人数未达要求"],
    "资金管理": ["扶贫资金拨付滞后", "项目资金公告公示不到位", "{n}个项目资产未登记确权",
                 "资金支出凭证不完整"],
    "帮扶责任": ["帮扶责任人对帮扶对象情况不熟悉", "驻村工作队员在岗率不足",
                 "帮扶手册填写不规范", "{n}户帮扶措施未落实到位"],
}
PROJECT_ITEMS = {
    "产业发展": ["精品水果种植基地建设项目", "生态茶园提质改造项目", "中药材种植项目", "肉牛养殖场建设项目",
                 "食用菌种植大棚项目", "林下养鸡产业项目", "蔬菜保供基地建设项目"],
    "基础设施": ["通组公路硬化项目", "产业路建设项目", "人饮安全巩固提升工程", "小型水利设施维修项目",
                 "村级活动场所建设项目", "农村电网改造项目"],
    "易地扶贫搬迁": ["安置点后续扶持配套设施项目", "安置点扶贫车间建设项目", "安置点社区服务中心建设项目"],
    "教育": ["义务教育薄弱学校改善项目", "幼儿园建设项目", "学生资助项目"],
    "健康": ["村卫生室标准化建设项目", "医疗救助项目", "家庭医生签约服务项目"],
    "就业": ["就业技能培训项目", "公益性岗位补贴项目", "外出务工交通补助项目"],
}

# money shares of the funding sources
SOURCE_WEIGHTS = {"中央财政专项": 0.38, "省级财政专项": 0.22, "市级财政": 0.08, "县级财政": 0.10,
                  "统筹整合涉农资金": 0.22}
CATEGORY_WEIGHTS = {"产业发展": 0.34, "基础设施": 0.30, "易地扶贫搬迁": 0.10, "教育": 0.09,
                    "健康": 0.07, "就业": 0.10}
BANK_WEIGHTS = (0.58, 0.22, 0.14, 0.06)


@dataclass(frozen=True)
class Behaviour:
    """How a township's people act in the simulation."""
    issue_weight: float = 1.0  # issues per household, relative
    issue_late: float = 0.0  # share of issues closed after the deadline
    issue_never: float = 0.0  # share never closed this year
    issue_speed: float = 0.5  # on-time issues close within this share of their window
    issue_min_days: int | None = None  # ... and not before this many days (None: window // 8)
    task_late: float = 0.0
    task_never: float = 0.0
    loan_late: float = 0.015  # repaid 3–40 days after the effective due date
    loan_default: float = 0.003  # never repaid in full
    task_lead: int = 25  # on-time tasks are done up to this many days before they are due
    disburse_slow: float = 1.0  # multiplies the disbursement period
    disburse_share: float = 1.0  # share of the allocation paid out this year, at most


BEHAVIOUR: dict[str, Behaviour] = {
    # 立行立改: a green township closes most issues within days of finding them, so its open
    # list shrinks week by week (the net forecast of metrics.md)
    "green": Behaviour(issue_speed=0.0, issue_min_days=0),
    "behind": Behaviour(issue_weight=1.7, issue_late=0.30, issue_never=0.10, task_late=0.40,
                        task_never=0.20, task_lead=6, issue_speed=0.9, disburse_slow=1.15),
    "loan_risk": Behaviour(loan_late=0.10, loan_default=0.18),
    "yellow_loans": Behaviour(loan_late=0.06, loan_default=0.08),
    "yellow_funds": Behaviour(issue_speed=0.7, disburse_slow=1.3, disburse_share=0.8),
}


# --------------------------------------------------------------------------- helpers

def _d(year: int, md: tuple[int, int]) -> date:
    return date(year, *md)


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 Feb
        return d.replace(year=d.year + years, day=28)


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, day)
        except ValueError:
            continue
    raise AssertionError


def _split_fen(total_fen: int, n: int, rng: np.random.Generator) -> list[int]:
    """n positive parts (in fen) adding up to total_fen."""
    n = max(1, min(n, total_fen))
    w = rng.dirichlet(np.full(n, 2.0))
    parts = np.maximum(1, np.floor(w * total_fen).astype(np.int64))
    parts[-1] = total_fen - parts[:-1].sum()
    if parts[-1] <= 0:  # pathological rounding: fall back to an even split
        parts = np.full(n, total_fen // n, dtype=np.int64)
        parts[-1] += total_fen - parts.sum()
    return [int(p) for p in parts]


def _yuan(fen: int) -> float:
    return round(fen / 100, 2)


def _pick(rng: np.random.Generator, items, weights=None):
    if weights is None:
        return items[int(rng.integers(len(items)))]
    w = np.asarray(weights, dtype=float)
    return items[int(rng.choice(len(items), p=w / w.sum()))]


# --------------------------------------------------------------------------- ledgers

def _phases(year: int) -> list[dict]:
    return [
        {"phase_no": no, "phase_name": name, "start_date": _d(year, s), "end_date": _d(year, e)}
        for no, name, s, e in PHASES
    ]


def _townships() -> list[dict]:
    return [
        {"township_code": t.code, "township_name": t.name, "area_group": t.area_group,
         "households": t.registered}
        for t in TOWNSHIPS
    ]


def _villages(rng: np.random.Generator) -> list[dict]:
    from .boundaries import township_polygons

    polys = township_polygons()
    total_hh = sum(t.households for t in TOWNSHIPS)
    counts = [max(5, round(N_VILLAGES * t.households / total_hh)) for t in TOWNSHIPS]
    i = 0
    while sum(counts) != N_VILLAGES:  # fix rounding, deterministically
        counts[i % len(counts)] += 1 if sum(counts) < N_VILLAGES else -1
        i += 1
    names = [h + t for h in VILLAGE_HEADS for t in VILLAGE_TAILS]
    order = rng.permutation(len(names))
    name_iter = iter(names[k] + "村" for k in order)
    # listed villages: 河口乡 carries the most, then one or two per township
    listed_quota = {t.code: 1 for t in TOWNSHIPS}
    listed_quota["522799109"] = 4
    extra = N_LISTED - sum(listed_quota.values())
    for k in rng.choice(len(TOWNSHIPS), size=extra, replace=False):
        listed_quota[TOWNSHIPS[int(k)].code] += 1
    rows = []
    for t, n in zip(TOWNSHIPS, counts, strict=False):
        poly = polys[t.code]
        inner = prep(poly.buffer(-0.01))  # ~1 km margin: still inside when rounded to 0.01°
        minx, miny, maxx, maxy = poly.bounds
        pts: list[tuple[float, float]] = []
        tries = 0
        while len(pts) < n:
            tries += 1
            x = round(float(rng.uniform(minx, maxx)), 5)
            y = round(float(rng.uniform(miny, maxy)), 5)
            if not inner.contains(Point(x, y)):
                continue
            if tries < 5000 and any((x - a) ** 2 + (y - b) ** 2 < 0.025 ** 2 for a, b in pts):
                continue
            pts.append((x, y))
        listed = set(rng.choice(n, size=listed_quota[t.code], replace=False).tolist())
        for j, (x, y) in enumerate(pts):
            rows.append({
                "village_code": f"{t.code}{201 + j:03d}",
                "village_name": next(name_iter),
                "township_code": t.code,
                "listed": j in listed,
                "longitude": x,
                "latitude": y,
            })
    return rows


def _tasks(rng, year, today, phases, role_of) -> list[dict]:
    rows = []
    for ph in phases:
        no, start, end = ph["phase_no"], ph["start_date"], ph["end_date"]
        span = (end - start).days
        names = TASKS_BY_PHASE[no]
        # each scope's tasks fall due at a steady pace through the phase (the work plan)
        scopes: list[tuple[Township | None, int]] = []
        for t in [*TOWNSHIPS, None]:
            n = int(rng.integers(12, 19) if t is None else rng.integers(17, 23))
            lo = min(5, span)
            scopes += [(t, start.toordinal() + lo + int((span - lo) * (k + rng.uniform(0.1, 0.9)) / n))
                       for k in range(n)]
        seq = 0
        for t, due_ord in scopes:
            seq += 1
            b = BEHAVIOUR[role_of[t.code]] if t else BEHAVIOUR["green"]
            base = _pick(rng, names)
            name = f"{t.name}{base}" if t is not None and rng.random() < 0.25 else base
            due = date.fromordinal(due_ord)
            u = rng.random()
            if u < b.task_never:
                done = None
            elif u < b.task_never + b.task_late:
                done = due + timedelta(days=int(rng.integers(5, 45)))
            else:
                done = due - timedelta(days=int(rng.integers(0, b.task_lead + 1)))
                done = max(done, start)
            if done is not None and done > today:
                done = None
            rows.append({
                "task_id": f"RW{year}{no}{seq:04d}",
                "phase_no": no,
                "township_code": t.code if t else None,
                "task_name": name,
                "department": task_department(base, t),
                "due_date": due,
                "done_date": done,
            })
    return rows


def _issues(rng, year, today, phases, role_of, villages_of) -> list[dict]:
    weights = np.array([t.households * BEHAVIOUR[role_of[t.code]].issue_weight for t in TOWNSHIPS])
    counts = rng.multinomial(N_ISSUES, weights / weights.sum())
    # found dates: front-loaded (排查建账 finds the most), none before the campaign starts
    phase_share = np.array([0.10, 0.38, 0.22, 0.16, 0.14])
    rows = []
    n = 0
    for t, k in zip(TOWNSHIPS, counts, strict=False):
        b = BEHAVIOUR[role_of[t.code]]
        vills = villages_of[t.code]
        vweights = np.array([3.0 if v["listed"] else 1.0 for v in vills])
        for _ in range(int(k)):
            ph = phases[int(rng.choice(5, p=phase_share))]
            span = (ph["end_date"] - ph["start_date"]).days
            found = ph["start_date"] + timedelta(days=int(rng.integers(0, span + 1)))
            if found > today:
                continue
            n += 1
            cat = _pick(rng, ISSUE_CATEGORIES, (12, 14, 16, 13, 18, 11, 16))
            src = _pick(rng, ISSUE_SOURCES, (14, 10, 8, 16, 18, 34))
            window = int(_pick(rng, (15, 20, 30, 30, 45, 60, 90)))
            deadline = found + timedelta(days=window)
            u = rng.random()
            if u < b.issue_never:
                closed = None
            elif u < b.issue_never + b.issue_late:
                closed = deadline + timedelta(days=int(rng.integers(5, 120)))
            else:  # on time: within the first part of the window
                lo = max(1, window // 8) if b.issue_min_days is None else b.issue_min_days
                closed = found + timedelta(days=int(rng.integers(
                    lo, max(2, int(window * b.issue_speed)) + 1)))
            if closed is not None and closed > today:
                closed = None
            vill = vills[int(rng.choice(len(vills), p=vweights / vweights.sum()))] \
                if rng.random() < 0.85 else None
            dept = ISSUE_DEPARTMENTS[cat]
            if rng.random() < 0.2:
                dept = f"{t.name}人民政府"
            text = _pick(rng, ISSUE_TEXTS[cat]).format(n=int(rng.integers(1, 6)))
            where = (vill["village_name"] if vill else t.name)
            rows.append({
                "issue_id": f"WT{year}{n:05d}",
                "township_code": t.code,
                "village_code": vill["village_code"] if vill else None,
                "source": src,
                "category": cat,
                "department": dept,
                "found_date": found,
                "deadline": deadline,
                "closed_date": closed,
                "description": f"{where}{text}",
            })
    rows.sort(key=lambda r: (r["found_date"], r["issue_id"]))
    for i, r in enumerate(rows, 1):  # number in the order they were found
        r["issue_id"] = f"WT{year}{i:05d}"
    return rows


def _allocation_date(rng, year: int) -> date:
    # 提前下达 in Jan–Feb, most by May, a trickle later
    month = int(_pick(rng, list(range(1, 12)), (16, 14, 14, 13, 11, 8, 7, 6, 5, 3, 3)))
    day = int(rng.integers(1, 29))
    return date(year, month, day)


def _projects(rng, year, today, role_of, villages_of) -> tuple[list[dict], list[dict]]:
    projects, payments = [], []
    src_names = list(SOURCE_WEIGHTS)
    src_w = np.array(list(SOURCE_WEIGHTS.values()))
    cat_names = list(CATEGORY_WEIGHTS)
    cat_w = np.array(list(CATEGORY_WEIGHTS.values()))
    hh_w = np.array([t.households for t in TOWNSHIPS], dtype=float)
    n = 0
    for _ in range(N_PROJECTS):
        t = TOWNSHIPS[int(rng.choice(len(TOWNSHIPS), p=hh_w / hh_w.sum()))]
        src = src_names[int(rng.choice(len(src_names), p=src_w))]
        cat = cat_names[int(rng.choice(len(cat_names), p=cat_w))]
        allocated = _allocation_date(rng, year)
        amount_yuan = float(np.clip(rng.lognormal(math.log(700_000), 0.6), 30_000, 8_000_000))
        amount_fen = int(round(amount_yuan / 100)) * 100 * 100  # whole hundreds of yuan
        if allocated > today:
            continue
        n += 1
        vills = villages_of[t.code]
        place = t.name
        if cat in ("产业发展", "基础设施") and rng.random() < 0.7:
            place += vills[int(rng.integers(len(vills)))]["village_name"]
        name = f"{year}年{place}{_pick(rng, PROJECT_ITEMS[cat])}"
        pid = f"XM{year}{n:04d}"
        projects.append({
            "project_id": pid, "project_name": name, "township_code": t.code,
            "funding_source": src, "category": cat,
            "allocated_amount": _yuan(amount_fen), "allocated_date": allocated,
        })
        # disbursement plan: an advance (预付) soon after allocation, then payments as the
        # works progress, the last on completion (between mid-June and late November)
        slow = BEHAVIOUR[role_of[t.code]].disburse_slow
        finish = max(allocated.toordinal() + 45,
                     date(year, 6, 10).toordinal() + int(rng.integers(0, 170)))
        period = int((finish - allocated.toordinal()) * slow)
        first = int(rng.integers(5, 30) * slow)
        advance = float(rng.uniform(0.3, 0.5))
        share = 1.0 if rng.random() < 0.7 else float(rng.uniform(0.9, 0.99))  # 质保金 held back
        if src == LAGGING_FUNDING_SOURCE:  # city money arrives late and only in part
            first = int(rng.integers(60, 130))
            period = int(period * 1.4)
            share = float(rng.uniform(0.55, 0.85))
        share = min(share, BEHAVIOUR[role_of[t.code]].disburse_share * float(rng.uniform(0.9, 1.1)))
        pay_fen = int(amount_fen * share)
        k = int(rng.integers(3, 7))
        first_fen = int(pay_fen * advance)
        parts = [first_fen] + _split_fen(pay_fen - first_fen, k - 1, rng)
        offsets = [first] + [first + int((period - first) * (j + 1) / (len(parts) - 1))
                             for j in range(len(parts) - 1)]
        for off, fen in zip(offsets, parts, strict=False):
            paid = allocated + timedelta(days=max(off, first))
            if paid <= today:
                payments.append({"project_id": pid, "paid_date": paid, "amount": _yuan(fen)})
    return projects, payments


def _loans(rng, today, role_of, villages_of) -> tuple[list[dict], list[dict]]:
    loans, repayments = [], []
    hh_w = np.array([t.households for t in TOWNSHIPS], dtype=float)
    counts = rng.multinomial(N_LOANS, hh_w / hh_w.sum())
    start = _add_years(today, -3)
    span = (today - start).days
    principals = (10_000, 20_000, 30_000, 40_000, 50_000, 15_000, 25_000, 35_000, 45_000)
    p_w = (8, 14, 18, 12, 34, 3, 4, 3, 4)
    seq = 0
    planned = []
    for _ti, (t, k) in enumerate(zip(TOWNSHIPS, counts, strict=False)):
        vills = villages_of[t.code]
        # a pool of households; some borrow twice (续贷 after repaying)
        pool = [f"H{t.code[-3:]}{int(x):07d}" for x in rng.choice(10_000_000, size=int(k), replace=False)]
        for i in range(int(k)):
            issued = start + timedelta(days=int(rng.integers(0, span + 1)))
            hh = pool[int(rng.integers(len(pool)))] if rng.random() < 0.15 else pool[i]
            planned.append((issued, t, hh, vills))
    planned.sort(key=lambda p: (p[0], p[1].code, p[2]))
    for issued, t, hh, vills in planned:
        seq += 1
        b = BEHAVIOUR[role_of[t.code]]
        bank_i = int(rng.choice(len(BANKS), p=np.array(BANK_WEIGHTS)))
        loan_id = f"{bank_i + 1:02d}{issued.year % 100:02d}{seq:06d}"
        principal = int(_pick(rng, principals, p_w))
        years = int(_pick(rng, (1, 2, 3), (30, 20, 50)))
        due = _add_years(issued, years)
        extended = _add_months(due, int(_pick(rng, (6, 12), (55, 45)))) if rng.random() < 0.085 else None
        eff = extended or due
        vill = vills[int(rng.integers(len(vills)))] if rng.random() < 0.97 else None
        loans.append({
            "loan_id": loan_id, "household_id": hh, "township_code": t.code,
            "village_code": vill["village_code"] if vill else None,
            "principal": float(principal), "issued_date": issued, "due_date": due,
            "extended_due_date": extended, "bank": BANKS[bank_i],
        })
        # repayment plan (in fen)
        p_fen = principal * 100
        pays: list[tuple[date, int]] = []
        # 3-year loans often repay a slice of principal each year
        if years >= 2 and rng.random() < 0.35:
            for y in range(1, years):
                pays.append((_add_years(issued, y) - timedelta(days=int(rng.integers(0, 20))),
                             int(p_fen * 0.2)))
        rest = p_fen - sum(a for _, a in pays)
        u = rng.random()
        late_p = b.loan_late * (2.5 if extended else 1.0)
        if u < b.loan_default:
            # a partial payment at most, then nothing
            if rng.random() < 0.5:
                part = int(rest * rng.uniform(0.1, 0.5)) // 100 * 100
                if part > 0:
                    pays.append((eff + timedelta(days=int(rng.integers(-20, 60))), part))
        elif u < b.loan_default + late_p:
            pays.append((eff + timedelta(days=int(rng.integers(3, 41))), rest))
        else:
            pays.append((eff - timedelta(days=int(rng.integers(0, 31))), rest))
        for paid, fen in pays:
            paid = max(paid, issued + timedelta(days=1))
            if fen > 0 and paid <= today:
                repayments.append({"loan_id": loan_id, "paid_date": paid,
                                   "principal_amount": _yuan(fen)})
    return loans, repayments


# --------------------------------------------------------------------------- public API

def build_demo_frames(today: date | None = None, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """The demo ledgers as DataFrames: {ledger key: frame with the ledger's column keys}.
    Dates are `datetime.date` (or None), amounts float yuan with 2 decimals, codes str."""
    today = today or clock.today()
    year = today.year
    # one stream per ledger, so that changing one ledger's recipe leaves the others alone
    sub = {name: np.random.default_rng([seed, i]) for i, name in
           enumerate(["villages", "tasks", "issues", "projects", "loans"])}
    role_of = {t.code: t.role for t in TOWNSHIPS}
    phases = _phases(year)
    villages = _villages(sub["villages"])
    villages_of: dict[str, list[dict]] = {t.code: [] for t in TOWNSHIPS}
    for v in villages:
        villages_of[v["township_code"]].append(v)
    tasks = _tasks(sub["tasks"], year, today, phases, role_of)
    issues = _issues(sub["issues"], year, today, phases, role_of, villages_of)
    projects, disbursements = _projects(sub["projects"], year, today, role_of, villages_of)
    loans, repayments = _loans(sub["loans"], today, role_of, villages_of)
    data = {
        "townships": _townships(), "villages": villages, "phases": phases, "tasks": tasks,
        "issues": issues, "projects": projects, "disbursements": disbursements,
        "loans": loans, "repayments": repayments,
    }
    data |= supervision_ledgers(seed, year, today, villages_of)  # sites, supervisions, reports
    data |= household_ledgers(seed, year, today, villages_of, data["sites"])
    frames = {}
    for key in LEDGER_ORDER:  # a ledger without a recipe yet: an empty sheet
        cols = LEDGERS[key].keys
        frames[key] = pd.DataFrame(data.get(key, []), columns=cols).astype(object)
    return frames


_TEXT_FORMAT = "@"
_MONEY_FORMAT = "0.00"
_COORD_FORMAT = "0.00000"
_DATE_FORMAT = "yyyy-mm-dd"
_MONTH_FORMAT = "yyyy-mm"


_FORMATS = (_TEXT_FORMAT, _MONEY_FORMAT, _COORD_FORMAT, _DATE_FORMAT, _MONTH_FORMAT)


def _cell_writers(fmt: dict, led) -> list[Callable]:
    """One writer per column, (worksheet, row, column, value): codes as text cells formatted
    as text (leading zeros kept when edited), amounts and dates as numbers and date cells,
    bools as 是/否 and choices as their Chinese words, as a county's clerk types them.
    `fmt`: number format → the workbook's cell format."""

    def code(ws, r, c, v):
        ws.write_string(r, c, str(v), fmt[_TEXT_FORMAT])

    def text(ws, r, c, v):
        ws.write_string(r, c, str(v))

    def number(f):
        return lambda ws, r, c, v: ws.write_number(r, c, float(v), fmt[f])

    def integer(ws, r, c, v):
        ws.write_number(r, c, int(v))

    def boolean(ws, r, c, v):
        ws.write_string(r, c, "是" if v else "否")

    def choice(words):
        return lambda ws, r, c, v: ws.write_string(r, c, words.get(v, str(v)))

    def day(f):
        return lambda ws, r, c, v: ws.write_datetime(r, c, v, fmt[f])

    out = []
    for col in led.columns:
        if col.type == "text":
            out.append(code if col.key.endswith(("_code", "_id")) else text)
        elif col.type == "decimal":
            out.append(number(_COORD_FORMAT if col.key in ("longitude", "latitude") else _MONEY_FORMAT))
        elif col.type == "int":
            out.append(integer)
        elif col.type == "bool":
            out.append(boolean)
        elif col.type == "choice":
            out.append(choice({c.key: c.zh for c in col.choices}))
        elif col.type == "month":
            out.append(day(_MONTH_FORMAT))
        else:  # date
            out.append(day(_DATE_FORMAT))
    return out


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _normalise_zip(raw: bytes, stamp: datetime) -> bytes:
    """Fix the core properties' timestamps and every zip member's time: same content, same bytes."""
    iso = stamp.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"  # data, not display
    src = zipfile.ZipFile(io.BytesIO(raw))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                              lambda m: m.group(1) + iso + m.group(3), text)
                data = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, data)
    return buf.getvalue()


def workbook_bytes(frames: dict[str, pd.DataFrame], today: date) -> bytes:
    """The ledgers as one .xlsx: sheets named by the ledgers' Chinese names, Chinese headers.
    Written with XlsxWriter (several times faster than openpyxl, and its shared-strings table
    makes the workbook quick to read back)."""
    import xlsxwriter

    buf = io.BytesIO()
    stamp = datetime(today.year, today.month, today.day)
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"title": f"{DEMO_COUNTY_NAME}台账（{DEMO_MARK}）", "subject": DEMO_MARK,
                       "author": f"duzhan {DEMO_MARK}", "keywords": DEMO_MARK,
                       "created": stamp})
    fmt = {f: wb.add_format({"num_format": f}) for f in _FORMATS}
    for key in LEDGER_ORDER:
        led = LEDGERS[key]
        ws = wb.add_worksheet(led.zh)
        ws.write_row(0, 0, [c.zh for c in led.columns])
        writers = _cell_writers(fmt, led)
        for r, row in enumerate(frames[key].itertuples(index=False, name=None), 1):
            for c, (write, v) in enumerate(zip(writers, row, strict=True)):
                if not _missing(v):
                    write(ws, r, c, v)
    wb.close()
    return _normalise_zip(buf.getvalue(), stamp)


def write_demo_ledgers(out_dir: Path, today: date | None = None,
                       seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the demo county's ledgers as one workbook 演示县台账.xlsx in out_dir."""
    today = today or clock.today()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / WORKBOOK_NAME
    path.write_bytes(workbook_bytes(build_demo_frames(today, seed), today))
    return [path]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m duzhan.demo.generator",
                                 description=f"write the {DEMO_COUNTY_NAME} demo ledgers")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--today", type=date.fromisoformat, default=None)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    a = ap.parse_args(argv)
    for p in write_demo_ledgers(a.out_dir, a.today, a.seed):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
