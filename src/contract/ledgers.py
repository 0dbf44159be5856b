"""The ledger contract (shared/contract/ledgers.md) as data: which ledgers exist, their
columns, types and single-column rules, and the relations between them (references, date
orders, sums per parent, how each reaches its township).

Adding a ledger starts here: one `Ledger(...)` entry in `LEDGERS`, after every ledger it
references (the list order is the import order).
"""
from __future__ import annotations

from .spec import (
    Choice,
    Column,
    DateOrder,
    Ledger,
    Needs,
    NotCodeOf,
    OneValuePer,
    Parent,
    ParentDate,
    ParentLimit,
    Reference,
    RowCap,
    StoredUnique,
    SumCap,
    Target,
)

C = Column


def ref(column: str, ledger: str, missing: str, **kw) -> Reference:
    return Reference(column, (Target(ledger),), missing, **kw)


TOWNSHIP_REF = ref("township_code", "townships", "unknown_township")
# "a known village of that township"
VILLAGE_REF = ref("village_code", "villages", "unknown_village", match="township_code",
                  mismatch="village_other_township", in_use="village_in_use")

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
                C("county_code", "县代码", "text", en="County code", warn_absent=False,
                  note_zh="多县汇总库中所属县；空 = 本库唯一的县",
                  note_en="the township's county in a multi-county store; empty = the one county"),
                C("county_name", "县名称", "text", en="County", warn_absent=False,
                  note_zh="每个县代码一个名称；填县代码时必填",
                  note_en="one name per county code; needed when the county code is given"),
            ),
            upsert=("township_code",),
            stored_unique=(StoredUnique("township_name", "name_taken"),),
            one_value_per=(OneValuePer("county_code", "county_name", "county_name_differs",
                                       "county_name_missing"),),
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
            upsert=("village_code",),
            references=(TOWNSHIP_REF,),
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
            upsert=("phase_no",),
            date_order=(DateOrder("end_date", "start_date"),),
            no_overlap=("start_date", "end_date"),
            township="none",
        ),
        Ledger(
            "tasks", "任务", "Tasks",
            (
                C("task_id", "任务编号", "text", True, unique=True, en="Task id"),
                C("phase_no", "阶段序号", "int", True, en="Phase no.",
                  note_zh="须为已知阶段", note_en="a known phase"),
                C("township_code", "乡镇代码", "text", en="Township code",
                  note_zh="空 = 全县任务", note_en="empty = county-wide task"),
                C("county_code", "县代码", "text", en="County code", warn_absent=False,
                  note_zh="多县汇总库中的全县任务：须为已知县代码；空 = 全库任务",
                  note_en="a county-wide task's county in a multi-county store (a known "
                          "county code); empty = a task of the whole store"),
                C("task_name", "任务名称", "text", True, en="Task"),
                C("department", "责任单位", "text", en="Responsible unit",
                  note_zh="如 县教育局、乡镇人民政府",
                  note_en="e.g. county education bureau, township government"),
                C("due_date", "完成时限", "date", True, en="Due date"),
                C("done_date", "完成日期", "date", en="Done date", event=True),
            ),
            upsert=("task_id",),
            references=(ref("phase_no", "phases", "unknown_phase"), TOWNSHIP_REF,
                        Reference("county_code", (Target("townships", column="county_code"),),
                                  "unknown_county")),
            township="optional",
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
                C("found_date", "发现日期", "date", True, en="Found", event=True),
                C("deadline", "整改时限", "date", True, en="Deadline",
                  note_zh="不早于发现日期", note_en="≥ found date"),
                C("closed_date", "销号日期", "date", en="Closed", event=True,
                  note_zh="不早于发现日期；空 = 未销号", note_en="≥ found date; empty = still open"),
                C("description", "问题描述", "text", en="Description"),
            ),
            upsert=("issue_id",),
            references=(TOWNSHIP_REF, VILLAGE_REF),
            date_order=(DateOrder("deadline", "found_date"),
                        DateOrder("closed_date", "found_date")),
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
                  en="Allocated (yuan)", money=True),
                C("allocated_date", "下达日期", "date", True, en="Allocated on", event=True),
            ),
            upsert=("project_id",),
            references=(TOWNSHIP_REF,),
        ),
        Ledger(
            "disbursements", "拨付", "Disbursements",
            (
                C("project_id", "项目编号", "text", True, en="Project id",
                  note_zh="须为已知项目", note_en="a known project"),
                C("paid_date", "拨付日期", "date", True, en="Paid on", event=True,
                  note_zh="不早于项目下达日期", note_en="≥ the project's allocated date"),
                C("amount", "拨付金额(元)", "decimal", True, positive=True, en="Amount (yuan)",
                  note_zh="同一项目累计拨付不超过下达资金",
                  note_en="a project's disbursements may not exceed its allocation", money=True),
            ),
            replace_by="project_id",
            parent=Parent(
                "project_id", "projects",
                dates=(ParentDate("paid_date", "allocated_date", "before_allocated",
                                  "stored_before_allocated"),),
                caps=(SumCap("amount", "allocated_amount", "over_allocated",
                             "stored_over_allocated"),),
            ),
            references=(ref("project_id", "projects", "unknown_project"),),
            township="parent",
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
                  en="Principal (yuan)", money=True),
                C("issued_date", "放款日期", "date", True, en="Issued on", event=True),
                C("due_date", "到期日期", "date", True, en="Due date",
                  note_zh="晚于放款日期", note_en="> issued date"),
                C("extended_due_date", "展期到期日期", "date", en="Extended due date",
                  note_zh="晚于到期日期（展期）", note_en="> due date (an extension)"),
                C("bank", "放款银行", "text", en="Bank"),
            ),
            upsert=("loan_id",),
            references=(TOWNSHIP_REF, VILLAGE_REF),
            date_order=(DateOrder("due_date", "issued_date", strict=True),
                        DateOrder("extended_due_date", "due_date", strict=True)),
            personal=("household_id",),
        ),
        Ledger(
            "repayments", "还款", "Repayments",
            (
                C("loan_id", "贷款编号", "text", True, en="Loan id",
                  note_zh="须为已知贷款", note_en="a known loan"),
                C("paid_date", "还款日期", "date", True, en="Repaid on", event=True,
                  note_zh="不早于放款日期", note_en="≥ the loan's issued date"),
                C("principal_amount", "还本金额(元)", "decimal", True, positive=True,
                  en="Principal repaid (yuan)",
                  note_zh="同一笔贷款累计还本不超过贷款金额",
                  note_en="a loan's repayments may not exceed its principal", money=True),
            ),
            replace_by="loan_id",
            parent=Parent(
                "loan_id", "loans",
                dates=(ParentDate("paid_date", "issued_date", "before_issued",
                                  "stored_before_issued"),),
                caps=(SumCap("principal_amount", "principal", "over_principal",
                             "stored_over_principal"),),
            ),
            references=(ref("loan_id", "loans", "unknown_loan"),),
            township="parent",
        ),
        Ledger(
            "sites", "安置点", "Relocation sites",
            (
                C("site_code", "安置点代码", "text", True, unique=True, en="Site code",
                  note_zh="不得与村代码相同", note_en="not the code of a village"),
                C("site_name", "安置点名称", "text", True, en="Site"),
                C("township_code", "乡镇代码", "text", True, en="Township code"),
                C("planned_households", "计划安置户数", "int", True, min_value=1,
                  en="Planned households"),
                C("longitude", "经度", "decimal", min_value=-180, max_value=180, en="Longitude"),
                C("latitude", "纬度", "decimal", min_value=-90, max_value=90, en="Latitude"),
            ),
            upsert=("site_code",),
            references=(TOWNSHIP_REF,),
            not_codes_of=(NotCodeOf("site_code", "villages", "site_is_village"),),
        ),
        Ledger(
            "site_checks", "入住核查", "Site checks",
            (
                C("site_code", "安置点代码", "text", True, en="Site code",
                  note_zh="须为已知安置点", note_en="a known site"),
                C("check_date", "核查日期", "date", True, en="Checked on", event=True,
                  note_zh="每个安置点每天一行", note_en="one row per site and day"),
                C("moved_in", "实际入住户数", "int", True, min_value=0, en="Moved in",
                  note_zh="不超过计划安置户数", note_en="at most the site's planned households"),
                C("employed", "已就业户数", "int", True, min_value=0, en="Employed",
                  note_zh="至少一人就业的户数，不超过实际入住户数",
                  note_en="households with a member in work; at most moved in"),
            ),
            replace_by="site_code",
            parent=Parent("site_code", "sites",
                          limits=(ParentLimit("moved_in", "planned_households",
                                              "over_planned", "stored_over_planned"),)),
            references=(ref("site_code", "sites", "unknown_site"),),
            township="parent",
            unique_rows=(("site_code", "check_date"),),
            row_caps=(RowCap("employed", "moved_in", "employed_over_moved_in"),),
        ),
        Ledger(
            "supervisions", "督导", "Supervisions",
            (
                C("supervision_id", "督导编号", "text", True, unique=True, en="Supervision id"),
                C("township_code", "乡镇代码", "text", True, en="Township code"),
                C("target_code", "督战对象代码", "text", en="Listed unit code",
                  note_zh="该乡镇的挂牌村或安置点；空 = 乡镇本身",
                  note_en="a listed village or a site of that township; empty = the township"),
                C("visit_date", "督导日期", "date", True, en="Visited on", event=True),
                C("leader", "带队领导", "text", en="Team leader"),
                C("rating", "评估结果", "choice", True, en="Rating",
                  choices=(Choice("good", "好"), Choice("fair", "较好"),
                           Choice("average", "一般"), Choice("poor", "差"))),
                C("yellow_card", "黄牌警告", "bool", en="Yellow card"),
                C("note", "督导意见", "text", en="Findings"),
            ),
            upsert=("supervision_id",),
            references=(TOWNSHIP_REF,
                        Reference("target_code",
                                  (Target("villages", (("listed", True),),
                                          unmet="target_not_listed",
                                          unmet_in_use="target_unlisted_in_use"),
                                   Target("sites")),
                                  "unknown_target", match="township_code",
                                  mismatch="target_other_township", in_use="target_in_use")),
        ),
        Ledger(
            "reports", "月报", "Monthly reports",
            (
                C("township_code", "乡镇代码", "text", True, en="Township code"),
                C("month", "月份", "month", True, en="Month"),
                C("submitted_date", "报送日期", "date", True, en="Submitted on", event=True,
                  note_zh="不早于该月第一天；每月28日前报送",
                  note_en="≥ the month's first day; due by the 28th"),
            ),
            upsert=("township_code", "month"),
            references=(TOWNSHIP_REF,),
            date_order=(DateOrder("submitted_date", "month"),),
        ),
        Ledger(
            "monitored", "监测对象", "Monitored households",
            (
                C("household_id", "户编号", "text", True, unique=True, en="Household id",
                  note_zh="个人信息，任何页面和导出均脱敏", note_en="personal data, always masked"),
                C("township_code", "乡镇代码", "text", True, en="Township code"),
                C("village_code", "村代码", "text", en="Village code"),
                C("category", "监测类型", "text", True, en="Category",
                  note_zh="如 脱贫不稳定户、边缘易致贫户、突发严重困难户"),
                C("risk", "主要风险", "text", True, en="Main risk",
                  note_zh="如 因病、因残、因学、因灾、因意外、缺劳动力、就业不稳、产业失败"),
                C("identified_date", "纳入监测日期", "date", True, en="Identified on", event=True),
                C("assisted_date", "落实帮扶日期", "date", en="Assisted on", event=True,
                  note_zh="不早于纳入监测日期", note_en="≥ identified date"),
                C("cleared_date", "风险消除日期", "date", en="Cleared on", event=True,
                  note_zh="不早于落实帮扶日期；须先落实帮扶",
                  note_en="≥ assisted date; needs an assisted date"),
            ),
            upsert=("household_id",),
            references=(TOWNSHIP_REF, VILLAGE_REF),
            date_order=(DateOrder("assisted_date", "identified_date"),
                        DateOrder("cleared_date", "assisted_date")),
            needs=(Needs("cleared_date", "assisted_date", "cleared_without_assisted"),),
            personal=("household_id",),
        ),
        Ledger(
            "guarantees", "三保障核查", "Guarantee checks",
            (
                C("household_id", "户编号", "text", True, en="Household id",
                  note_zh="个人信息，任何页面和导出均脱敏", note_en="personal data, always masked"),
                C("township_code", "乡镇代码", "text", True, en="Township code"),
                C("village_code", "村代码", "text", en="Village code"),
                C("check_date", "核查日期", "date", True, en="Checked on", event=True,
                  note_zh="每户每天一行", note_en="one row per household and day"),
                C("food_clothing_ok", "不愁吃穿", "bool", True, en="Food and clothing"),
                C("education_ok", "义务教育有保障", "bool", True, en="Education secured"),
                C("medical_ok", "基本医疗有保障", "bool", True, en="Medical care secured"),
                C("housing_ok", "住房安全有保障", "bool", True, en="Safe housing"),
                C("water_ok", "饮水安全有保障", "bool", True, en="Safe drinking water"),
            ),
            replace_by="household_id",
            references=(TOWNSHIP_REF, VILLAGE_REF),
            unique_rows=(("household_id", "check_date"),),
            personal=("household_id",),
        ),
    ]
}

# Import order: a ledger comes after every ledger it references.
LEDGER_ORDER: tuple[str, ...] = tuple(LEDGERS)


def _check_relations() -> None:
    """Every ledger named exists and comes earlier in the import order."""
    for i, led in enumerate(LEDGERS.values()):
        before = set(LEDGER_ORDER[:i])
        named = [t.ledger for r in led.references for t in r.targets]
        named += [led.parent.ledger] if led.parent else []
        late = [n for n in named if n not in before]
        if late:
            raise ValueError(f"ledger {led.key} names {late}, which are not listed before it")


_check_relations()


def ledger_for_name(name: str) -> Ledger | None:
    """A sheet or file stem, by English key (any case) or Chinese name."""
    n = name.strip()
    for led in LEDGERS.values():
        if n.lower() == led.key or n == led.zh:
            return led
    return None
