"""The demo county's townships: the one list that the ledger generator and the map share.

A fictional county 「演示县」 with 12 townships in 4 supervision areas (督战片区). The
county code 522799 is not a real administrative code. Each township has a seed point
(lon, lat) from which `duzhan.demo.boundaries` grows its polygon, and a role that the
generator uses to make the data uneven in a way the dashboard should reveal.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from . import DEMO_COUNTY_NAME

COUNTY_CODE = "522799"
COUNTY_NAME = DEMO_COUNTY_NAME
# centre of the county outline (lon, lat) and its half-extent in degrees
COUNTY_CENTER = (107.40, 26.50)
COUNTY_HALF_EXTENT = (0.40, 0.30)
BOUNDARY_SEED = 522799  # the outline does not depend on the data seed

Role = Literal["green", "behind", "loan_risk", "yellow_loans", "yellow_funds"]


@dataclass(frozen=True)
class Township:
    code: str
    name: str
    area_group: str
    households: int  # size: the weight of its villages, issues, projects and loans
    seed_point: tuple[float, float]  # (lon, lat) the Voronoi cell is grown from
    role: Role = "green"
    # 建档立卡户数 (the townships ledger), the households whose 两不愁三保障 is checked
    registered: int = 0


TOWNSHIPS: tuple[Township, ...] = (
    Township("522799101", "青石镇", "中部片区", 2860, (107.42, 26.50), registered=586),
    Township("522799102", "新桥镇", "中部片区", 2140, (107.54, 26.45), registered=421),
    Township("522799103", "龙场镇", "西部片区", 2380, (107.27, 26.56), registered=478),
    Township("522799104", "云雾镇", "北部片区", 1960, (107.50, 26.68), registered=402),
    Township("522799105", "高峰镇", "北部片区", 1720, (107.31, 26.71), registered=338),
    Township("522799106", "松林镇", "北部片区", 2050, (107.64, 26.60), registered=415),
    Township("522799107", "平寨镇", "东南片区", 1880, (107.68, 26.42), registered=372),
    Township("522799108", "坝头镇", "东南片区", 1640, (107.42, 26.31), "yellow_loans", registered=331),
    Township("522799109", "河口乡", "东南片区", 2460, (107.57, 26.32), "behind", registered=517),
    Township("522799110", "石门乡", "中部片区", 1420, (107.30, 26.39), "yellow_funds", registered=296),
    Township("522799111", "白岩乡", "西部片区", 1580, (107.12, 26.58), "loan_risk", registered=343),
    Township("522799112", "沙坪乡", "西部片区", 1260, (107.14, 26.43), registered=247),
)

TOWNSHIP_BY_CODE = {t.code: t for t in TOWNSHIPS}
TOWNSHIP_BY_NAME = {t.name: t for t in TOWNSHIPS}

# the unevenness built into the demo data
BEHIND_TOWNSHIP = "522799109"  # 河口乡: open overdue issues, overdue tasks, slow closures
LOAN_RISK_TOWNSHIP = "522799111"  # 白岩乡: micro-loan overdue rate well above 3%
YELLOW_TOWNSHIPS = ("522799108", "522799110")  # 坝头镇 (loans 1–3%), 石门乡 (funds lag)
LAGGING_FUNDING_SOURCE = "市级财政"
# ... and in the supervision and household ledgers (duzhan.demo.supervision, .households)
MISSING_REPORTS_TOWNSHIP = "522799110"  # 石门乡: often sends no monthly report
SLOW_ASSIST_TOWNSHIP = "522799108"  # 坝头镇: monitored households wait weeks for help
GAP_TOWNSHIPS = ("522799109", "522799111")  # 河口乡, 白岩乡: housing and water gaps
LAGGING_SITE_TOWNSHIP = "522799111"  # 白岩乡's relocation site fills slowly
LOW_COVERAGE_TOWNSHIP = "522799110"  # 石门乡: its autumn round of 三保障 checks falls short

FUNDING_SOURCES = ("中央财政专项", "省级财政专项", "市级财政", "县级财政", "统筹整合涉农资金")
PROJECT_CATEGORIES = ("产业发展", "基础设施", "易地扶贫搬迁", "教育", "健康", "就业")
ISSUE_SOURCES = ("成效考核", "巡视巡察", "审计", "第三方评估", "督查暗访", "回头看大排查")
ISSUE_CATEGORIES = ("义务教育", "基本医疗", "住房安全", "饮水安全", "产业就业", "资金管理", "帮扶责任")
BANKS = ("农商银行", "邮储银行", "农业银行", "村镇银行")
