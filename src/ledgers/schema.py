"""The ledger contract (shared/contract/ledgers.md) as data.

One place says which ledgers exist, their columns, types and single-column rules; the
importer, the template, the demo generator and the store all read it from here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ValueType = Literal["text", "int", "decimal", "date", "bool"]


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    type: ValueType
    required: bool = False
    # single-value rules checked while parsing
    unique: bool = False
    min_value: float | None = None  # inclusive bound
    max_value: float | None = None
    positive: bool = False  # > 0
    en: str = ""  # English label (headers of exports, English UI)
    note_zh: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Ledger:
    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    id_column: str | None  # upsert key; None = replaced per parent (disbursements, repayments)
    parent: tuple[str, str] | None = None  # (column, parent ledger) for replace semantics
    personal: tuple[str, ...] = field(default_factory=tuple)  # columns never shown unmasked

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


C = Column

LEDGERS: dict[str, Ledger] = {
    led.key: led
    for led in [
        Ledger(
            "townships", "乡镇", "Townships",
            (
                C("township_code", "乡镇代码", "text", True, unique=True, en="Township code"),
                C("township_name", "乡镇名称", "text", True, unique=True, en="Township"),
                C("area_group", "片区", "text", en="Supervision area",
                  note_zh="督战片区", note_en="supervision area (督战片区)"),
                C("households", "建档立卡户数", "int", min_value=0, en="Registered households"),
            ),
            id_column="township_code",
        ),
        Ledger(
            "villages", "村", "Villages",
            (
                C("village_code", "村代码", "text", True, unique=True, en="Village code"),
                C("village_name", "村名称", "text", True, en="Village"),
                C("township_code", "乡镇代码", "text", True, en="Township code",
                  note_zh="须为已知乡镇", note_en="a known township"),
                C("listed", "是否挂牌督战", "bool", en="Listed for supervision",
                  note_zh="挂牌督战村", note_en="listed (挂牌) village"),
                C("longitude", "经度", "decimal", min_value=-180, max_value=180, en="Longitude"),
                C("latitude", "纬度", "decimal", min_value=-90, max_value=90, en="Latitude"),
            ),
            id_column="village_code",
        ),
        Ledger(
            "phases", "阶段", "Phases",
            (
                C("phase_no", "阶段序号", "int", True, unique=True, min_value=1, en="Phase no."),
                C("phase_name", "阶段名称", "text", True, en="Phase"),
                C("start_date", "开始日期", "date", True, en="Start date"),
                C("end_date", "结束日期", "date", True, en="End date",
                  note_zh="不早于开始日期；各阶段按序号排列且不重叠",
                  note_en="≥ start date; phases ordered by number and not overlapping"),
            ),
            id_column="phase_no",
        ),
        Ledger(
            "tasks", "任务", "Tasks",
            (
                C("task_id", "任务编号", "text", True, unique=True, en="Task id"),
                C("phase_no", "阶段序号", "int", True, en="Phase no.",
                  note_zh="须为已知阶段", note_en="a known phase"),
                C("township_code", "乡镇代码", "text", en="Township code",
                  note_zh="空 = 全县任务", note_en="empty = county-wide task"),
                C("task_name", "任务名称", "text", True, en="Task"),
                C("due_date", "完成时限", "date", True, en="Due date"),
                C("done_date", "完成日期", "date", en="Done date"),
            ),
            id_column="task_id",
        ),
        Ledger(
            "issues", "问题", "Issues",
            (
                C("issue_id", "问题编号", "text", True, unique=True, en="Issue id"),
                C("township_code", "乡镇代码", "text", True, en="Township code"),
                C("village_code", "村代码", "text", en="Village code",
                  note_zh="须为该乡镇的已知村", note_en="a known village of that township"),
                C("source", "问题来源", "text", True, en="Source",
                  note_zh="如 成效考核、巡视巡察、审计、第三方评估、督查暗访、回头看大排查",
                  note_en="e.g. assessment, inspection, audit, third-party review"),
                C("category", "问题类别", "text", True, en="Category",
                  note_zh="如 义务教育、基本医疗、住房安全、饮水安全、产业就业、资金管理、帮扶责任"),
                C("department", "责任单位", "text", True, en="Responsible unit"),
                C("found_date", "发现日期", "date", True, en="Found"),
                C("deadline", "整改时限", "date", True, en="Deadline",
                  note_zh="不早于发现日期", note_en="≥ found date"),
                C("closed_date", "销号日期", "date", en="Closed",
                  note_zh="不早于发现日期；空 = 未销号", note_en="≥ found date; empty = still open"),
                C("description", "问题描述", "text", en="Description"),
            ),
            id_column="issue_id",
        ),
        Ledger(
            "projects", "项目", "Projects",
            (
                C("project_id", "项目编号", "text", True, unique=True, en="Project id"),
                C("project_name", "项目名称", "text", True, en="Project"),
                C("township_code", "乡镇代码", "text", True, en="Township code"),
                C("funding_source", "资金来源", "text", True, en="Funding source",
                  note_zh="如 中央财政专项、省级财政专项、市级财政、县级财政、统筹整合涉农资金"),
                C("category", "项目类别", "text", True, en="Category",
                  note_zh="如 产业发展、基础设施、易地扶贫搬迁、教育、健康、就业"),
                C("allocated_amount", "下达资金(元)", "decimal", True, positive=True,
                  en="Allocated (yuan)"),
                C("allocated_date", "下达日期", "date", True, en="Allocated on"),
            ),
            id_column="project_id",
        ),
        Ledger(
            "disbursements", "拨付", "Disbursements",
            (
                C("project_id", "项目编号", "text", True, en="Project id",
                  note_zh="须为已知项目", note_en="a known project"),
                C("paid_date", "拨付日期", "date", True, en="Paid on",
                  note_zh="不早于项目下达日期", note_en="≥ the project's allocated date"),
                C("amount", "拨付金额(元)", "decimal", True, positive=True, en="Amount (yuan)",
                  note_zh="同一项目累计拨付不超过下达资金",
                  note_en="a project's disbursements may not exceed its allocation"),
            ),
            id_column=None,
            parent=("project_id", "projects"),
        ),
        Ledger(
            "loans", "小额信贷", "Micro-loans",
            (
                C("loan_id", "贷款编号", "text", True, unique=True, en="Loan id"),
                C("household_id", "户编号", "text", True, en="Household id",
                  note_zh="个人信息，任何页面和导出均脱敏", note_en="personal data, always masked"),
                C("township_code", "乡镇代码", "text", True, en="Township code"),
                C("village_code", "村代码", "text", en="Village code"),
                C("principal", "贷款金额(元)", "decimal", True, positive=True,
                  en="Principal (yuan)"),
                C("issued_date", "放款日期", "date", True, en="Issued on"),
                C("due_date", "到期日期", "date", True, en="Due date",
                  note_zh="晚于放款日期", note_en="> issued date"),
                C("extended_due_date", "展期到期日期", "date", en="Extended due date",
                  note_zh="晚于到期日期（展期）", note_en="> due date (an extension)"),
                C("bank", "放款银行", "text", en="Bank"),
            ),
            id_column="loan_id",
            personal=("household_id",),
        ),
        Ledger(
            "repayments", "还款", "Repayments",
            (
                C("loan_id", "贷款编号", "text", True, en="Loan id",
                  note_zh="须为已知贷款", note_en="a known loan"),
                C("paid_date", "还款日期", "date", True, en="Repaid on",
                  note_zh="不早于放款日期", note_en="≥ the loan's issued date"),
                C("principal_amount", "还本金额(元)", "decimal", True, positive=True,
                  en="Principal repaid (yuan)",
                  note_zh="同一笔贷款累计还本不超过贷款金额",
                  note_en="a loan's repayments may not exceed its principal"),
            ),
            id_column=None,
            parent=("loan_id", "loans"),
        ),
    ]
}

# Import order: a ledger comes after every ledger it references.
LEDGER_ORDER: tuple[str, ...] = tuple(LEDGERS)

# Decimal (yuan) columns kept as whole fen in the store and in metric frames.
MONEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "projects": ("allocated_amount",),
    "disbursements": ("amount",),
    "loans": ("principal",),
    "repayments": ("principal_amount",),
}


def ledger_for_name(name: str) -> Ledger | None:
    """A sheet or file stem, by English key (any case) or Chinese name."""
    n = name.strip()
    for led in LEDGERS.values():
        if n.lower() == led.key or n == led.zh:
            return led
    return None
