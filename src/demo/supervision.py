"""The demo county's supervision ledgers: relocation sites, monthly supervisions, monthly reports.

    supervision_ledgers(seed, year, today, villages_of) -> {"sites", "supervisions", "reports"}

Like the rest of the demo, the whole campaign year is simulated and only what has happened
by `today` is kept, so replaying an earlier day shows what the county saw then. The story
(see `duzhan.demo.county`):

* every listed village and site is visited once a month (Feb–Dec), each township too; a few
  units of the weaker townships are skipped in a month (unvisited last month);
* ratings follow the township's role; a yellow card (黄牌警告) goes with a poor rating, and a
  unit that got one improves at its next visit — except SUMMONS_UNIT (河口乡's first listed
  village), carded in October and November: it is due a summons (约谈) from its November visit
  until its December one;
* green townships get yellow cards only in the spring (问题整改 months), so none is yellow
  for that reason in the autumn;
* reports are due on the 28th: mostly on time, a few a few days late, and 石门乡
  (MISSING_REPORTS_TOWNSHIP) often sends none.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from shapely.geometry import Point
from shapely.prepared import prep

from .county import (
    BEHIND_TOWNSHIP,
    LOAN_RISK_TOWNSHIP,
    MISSING_REPORTS_TOWNSHIP,
    TOWNSHIP_BY_CODE,
    TOWNSHIPS,
    YELLOW_TOWNSHIPS,
)

CAMPAIGN_MONTHS = range(2, 13)  # supervision and reports, February to December
SPRING_MONTHS = (3, 4, 5)  # 问题整改: the only months a green township may be carded

# the relocation sites (易地扶贫搬迁集中安置点): township, name, planned households
SITES = (
    ("522799101", "青石镇城东社区安置点", 640),
    ("522799103", "龙场镇{village}安置点", 186),
    ("522799106", "松林镇{village}安置点", 142),
    ("522799109", "河口乡{village}安置点", 214),
    ("522799111", "白岩乡{village}安置点", 168),
)

# who leads a supervision team: a county leader per area (联乡包村县级领导), the campaign's
# commander and his deputy (督战总指挥长, 副总指挥长), and heads of the county's departments
AREA_LEADERS = {
    "中部片区": "县委常委、常务副县长",
    "西部片区": "县人大常委会副主任",
    "北部片区": "县政协副主席",
    "东南片区": "县委常委、政法委书记",
}
COMMANDER = "县委副书记（督战总指挥长）"
DEPUTY = "副县长（督战副总指挥长）"
DEPARTMENT_LEADERS = ("县乡村振兴局局长", "县乡村振兴局副局长", "县教育局副局长", "县卫健局副局长",
                      "县医保局副局长", "县住建局副局长", "县水利局副局长", "县人社局副局长",
                      "县农业农村局副局长", "县民政局副局长")
SITE_LEADERS = ("县生态移民局局长", "县发改局副局长", "县人社局副局长")

RATINGS = ("good", "fair", "average", "poor")
RATING_WEIGHTS = {  # by township role; green townships are never rated poor after the spring
    "green": (0.52, 0.36, 0.12, 0.0),
    "behind": (0.14, 0.30, 0.36, 0.20),
    "weak": (0.30, 0.40, 0.22, 0.08),
}
SPRING_POOR = 0.05  # a green township's chance of a poor rating in the spring
CARD_ON_POOR = 0.55  # a poor rating brings a yellow card this often

NOTES = {
    "good": ["各项工作推进有序，问题整改到位", "台账资料齐全，帮扶措施落实到户",
             "入户核查{n}户，未发现“两不愁三保障”问题", "驻村工作队在岗履职，群众满意度高"],
    "fair": ["工作推进总体较好，个别户档资料不完善", "入户核查{n}户，发现{k}户帮扶手册填写不规范，已当场反馈",
             "问题整改基本到位，个别问题需巩固", "产业项目推进正常，利益联结机制有待完善"],
    "average": ["问题整改进度偏慢，要求限期整改", "入户核查{n}户，发现{k}户饮水保障不稳定",
                "部分帮扶责任人对帮扶对象情况不熟悉", "项目资金拨付滞后，要求加快进度"],
    "poor": ["问题整改不到位，存在虚假销号", "工作推进严重滞后，群众反映强烈",
             "入户核查{n}户，发现{k}户住房安全未保障", "帮扶措施未落实到户，台账与实际不符"],
}
SITE_NOTES = {
    "good": ["入住率和就业率稳步提升，社区服务到位", "后续扶持措施落实，扶贫车间运转正常"],
    "fair": ["入住工作推进较好，个别搬迁户未实际入住", "就业帮扶有成效，技能培训需加强"],
    "average": ["搬迁户回流原住地较多，要求逐户核实", "配套设施建设滞后，要求加快进度"],
    "poor": ["实际入住率偏低，后续扶持措施未落实", "搬迁户就业帮扶不到位，群众反映强烈"],
}
TOWNSHIP_NOTES = {
    "good": ["听取乡镇工作汇报，抽查{n}个村，工作扎实", "乡镇督战工作专班运转正常，问题清单管理规范"],
    "fair": ["抽查{n}个村，总体推进较好，个别村进度偏慢", "问题整改台账较规范，需加强跟踪督办"],
    "average": ["抽查{n}个村，问题整改进度不平衡", "乡镇主体责任落实不够，要求专题研究整改"],
    "poor": ["问题清零任务未完成，乡镇主体责任落实不到位", "督战发现问题整改严重滞后"],
}
CARD_NOTE = "给予黄牌警告并通报，限{d}日内整改到位并书面报告"
CARD_DAYS = (15, 20, 30)  # days given to put things right
SUMMONS_NOTES = {
    10: "问题整改严重滞后，去年遗留住房安全问题仍未解决",
    11: "上次黄牌警告后整改仍不到位，群众反映强烈",
    12: "约谈后整改有所好转，要求持续巩固",
}


def role(code: str) -> str:
    """The supervision role of a township: behind, weak (the other non-green ones) or green."""
    if code == BEHIND_TOWNSHIP:
        return "behind"
    if code in (LOAN_RISK_TOWNSHIP, MISSING_REPORTS_TOWNSHIP, *YELLOW_TOWNSHIPS):
        return "weak"
    return "green"


def _day(rng: np.random.Generator, year: int, month: int, lo: int, hi: int) -> date:
    return date(year, month, int(rng.integers(lo, hi + 1)))


# --------------------------------------------------------------------------- sites

def _sites(rng: np.random.Generator, villages_of: dict[str, list[dict]]) -> list[dict]:
    from .boundaries import township_polygons

    polys = township_polygons()
    rows = []
    for n, (code, name, planned) in enumerate(SITES, 1):
        vills = villages_of[code]
        village = vills[int(rng.integers(len(vills)))]
        inner = prep(polys[code].buffer(-0.01))
        # near the village it is named after (or the township's seed, the town), inside
        x0, y0 = ((village["longitude"], village["latitude"]) if "{village}" in name
                  else TOWNSHIP_BY_CODE[code].seed_point)
        while True:
            x = round(float(x0 + rng.uniform(-0.012, 0.012)), 5)
            y = round(float(y0 + rng.uniform(-0.012, 0.012)), 5)
            if inner.contains(Point(x, y)):
                break
        rows.append({
            "site_code": f"AZD{code[-3:]}{n:02d}",
            "site_name": name.format(village=village["village_name"]),
            "township_code": code,
            "planned_households": planned,
            "longitude": x,
            "latitude": y,
        })
    return rows


# --------------------------------------------------------------------------- supervisions

def summons_unit(villages_of: dict[str, list[dict]]) -> str:
    """The one unit due a summons on the default day: 河口乡's first listed village."""
    return next(v["village_code"] for v in villages_of[BEHIND_TOWNSHIP] if v["listed"])


def _skipped(rng, units: list[tuple[str, str]], keep: set[str]) -> dict[int, set[str]]:
    """month → the listed objects not visited that month: one to three units of the weaker
    townships each month from March (February's first round covers every unit)."""
    weak = [u for u, code in units if role(code) != "green" and u not in keep]
    out: dict[int, set[str]] = {}
    for m in CAMPAIGN_MONTHS:
        if m == 2:
            out[m] = set()
            continue
        k = int(rng.integers(1, 4))
        out[m] = {weak[int(i)] for i in rng.choice(len(weak), size=k, replace=False)}
    return out


def _note(rng, table: dict[str, list[str]], rating: str) -> str:
    return str(table[rating][int(rng.integers(len(table[rating])))]).format(
        n=int(rng.integers(8, 31)), k=int(rng.integers(1, 5)))


def _supervisions(rng, year: int, today: date, villages_of, sites: list[dict]) -> list[dict]:
    summoned = summons_unit(villages_of)
    units: list[tuple[str, str]] = []  # (unit, township_code) of every listed object
    for t in TOWNSHIPS:
        units += [(v["village_code"], t.code) for v in villages_of[t.code] if v["listed"]]
    units += [(s["site_code"], s["township_code"]) for s in sites]
    site_codes = {s["site_code"] for s in sites}
    skipped = _skipped(rng, units, keep={summoned})
    # the townships themselves: the area's team, monthly
    all_units = [*units, *((None, t.code) for t in TOWNSHIPS)]
    visits: list[dict] = []
    for unit, code in all_units:
        area = TOWNSHIP_BY_CODE[code].area_group
        carded_last = False
        for m in CAMPAIGN_MONTHS:
            if unit in skipped[m]:
                continue
            # February: the first full round late in the month; later months 3rd–26th
            visit = _day(rng, year, m, 16, 27) if m == 2 else _day(rng, year, m, 3, 26)
            r = role(code)
            w = np.array(RATING_WEIGHTS[r])
            if r == "green" and m in SPRING_MONTHS:
                w = np.array([w[0], w[1], w[2] - SPRING_POOR, SPRING_POOR])
            rating = RATINGS[int(rng.choice(4, p=w / w.sum()))]
            card = rating == "poor" and rng.random() < CARD_ON_POOR
            if carded_last:  # carded last time: the unit has put things right since
                rating, card = ("average" if rating == "poor" else rating), False
            if unit is None:
                leader = AREA_LEADERS[area] if rng.random() < 0.8 else DEPUTY
                notes = TOWNSHIP_NOTES
            elif unit in site_codes:
                leader = (AREA_LEADERS[area] if rng.random() < 0.4
                          else SITE_LEADERS[int(rng.integers(len(SITE_LEADERS)))])
                notes = SITE_NOTES
            else:
                leader = (AREA_LEADERS[area] if rng.random() < 0.45
                          else DEPARTMENT_LEADERS[int(rng.integers(len(DEPARTMENT_LEADERS)))])
                notes = NOTES
            note = _note(rng, notes, rating)
            if unit == summoned and m in SUMMONS_NOTES:
                # carded in October and November (both before the default day), better in December
                visit = _day(rng, year, m, 5, 10)
                rating, card = ("average", False) if m == 12 else ("poor", True)
                leader = COMMANDER if m == 11 else AREA_LEADERS[area]
                note = SUMMONS_NOTES[m]
            elif unit == summoned and m == 9:
                rating, card = "average", False
            if card:
                if rng.random() < 0.3:
                    leader = COMMANDER
                note = f"{note}；{CARD_NOTE.format(d=CARD_DAYS[int(rng.integers(len(CARD_DAYS)))])}"
            carded_last = card
            if visit > today:
                continue
            visits.append({"township_code": code, "target_code": unit, "visit_date": visit,
                           "leader": leader, "rating": rating, "yellow_card": card,
                           "note": note})
    visits.sort(key=lambda v: (v["visit_date"], v["township_code"], v["target_code"] or ""))
    return [{"supervision_id": f"DZ{year}{i:04d}", **v} for i, v in enumerate(visits, 1)]


# --------------------------------------------------------------------------- reports

MISSING_MONTHS = (4, 7, 9, 10)  # 石门乡 sends nothing for these months
LATE_SHARE = 0.07  # the other townships: a report a few days late this often


def _reports(rng, year: int, today: date) -> list[dict]:
    rows = []
    for t in TOWNSHIPS:
        sloppy = t.code == MISSING_REPORTS_TOWNSHIP
        for m in CAMPAIGN_MONTHS:
            if sloppy and m in MISSING_MONTHS:
                continue
            due = date(year, m, 28)
            late = rng.random() < (0.3 if sloppy else LATE_SHARE)
            if late:  # a few days after the 28th
                submitted = due + timedelta(days=int(rng.integers(1, 7)))
            else:  # the last week or so before it
                submitted = due - timedelta(days=int(rng.integers(0, 9)))
            if submitted > today:
                continue
            rows.append({"township_code": t.code, "month": date(year, m, 1),
                         "submitted_date": submitted})
    return rows


# --------------------------------------------------------------------------- entry

def supervision_ledgers(seed: int, year: int, today: date,
                        villages_of: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Rows of sites, supervisions and reports (one random stream each)."""
    rng = {k: np.random.default_rng([seed, 100 + i])
           for i, k in enumerate(("sites", "supervisions", "reports"))}
    sites = _sites(rng["sites"], villages_of)
    return {
        "sites": sites,
        "supervisions": _supervisions(rng["supervisions"], year, today, villages_of, sites),
        "reports": _reports(rng["reports"], year, today),
    }
