"""The downloadable import template: one sheet per ledger (its header only) plus an
explanation sheet (说明), which also holds the example rows: a template uploaded as
downloaded imports nothing, and example rows copied into a ledger sheet are named in the
preview (`example_rows`) and need a second confirmation."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from duzhan.contract import LEDGER_ORDER, LEDGERS, Column, Ledger
from duzhan.i18n import normalise_lang, t

from .values import COORD_COLUMNS

D = dt.date

# Plausible rows that pass the importer into an empty store (checked by the tests); written
# to the explanation sheet only, never to a ledger sheet.
EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "townships": [
        {"township_code": "522701101", "township_name": "示例镇", "area_group": "东部片区",
         "households": 1280},
        {"township_code": "522701102", "township_name": "样板乡", "area_group": "西部片区",
         "households": 946},
    ],
    "villages": [
        {"village_code": "522701101201", "village_name": "示例村", "township_code": "522701101",
         "listed": "是", "longitude": Decimal("107.512345"), "latitude": Decimal("26.254321")},
        {"village_code": "522701101202", "village_name": "新寨村", "township_code": "522701101",
         "listed": "否", "longitude": Decimal("107.530001"), "latitude": Decimal("26.260002")},
        {"village_code": "522701102201", "village_name": "样板村", "township_code": "522701102",
         "listed": "是", "longitude": Decimal("107.401234"), "latitude": Decimal("26.301234")},
    ],
    "phases": [
        {"phase_no": 1, "phase_name": "动员部署", "start_date": D(2020, 3, 1),
         "end_date": D(2020, 3, 31)},
        {"phase_no": 2, "phase_name": "集中攻坚", "start_date": D(2020, 4, 1),
         "end_date": D(2020, 10, 31)},
        {"phase_no": 3, "phase_name": "巩固提升", "start_date": D(2020, 11, 1),
         "end_date": D(2020, 12, 31)},
    ],
    "tasks": [
        {"task_id": "T001", "phase_no": 1, "township_code": None,
         "task_name": "制定挂牌督战工作方案", "department": "县乡村振兴局", "due_date": D(2020, 3, 15),
         "done_date": D(2020, 3, 12)},
        {"task_id": "T002", "phase_no": 2, "township_code": "522701101",
         "task_name": "完成危房改造清零", "department": "县住建局", "due_date": D(2020, 8, 31),
         "done_date": None},
    ],
    "issues": [
        {"issue_id": "W2020-001", "township_code": "522701101", "village_code": "522701101201",
         "source": "督查暗访", "category": "饮水安全", "department": "县水务局",
         "found_date": D(2020, 4, 10), "deadline": D(2020, 6, 30),
         "closed_date": D(2020, 6, 18), "description": "部分农户季节性缺水"},
        {"issue_id": "W2020-002", "township_code": "522701102", "village_code": None,
         "source": "审计", "category": "资金管理", "department": "样板乡人民政府",
         "found_date": D(2020, 5, 8), "deadline": D(2020, 7, 31), "closed_date": None,
         "description": "项目资金拨付滞后"},
    ],
    "projects": [
        {"project_id": "XM2020-001", "project_name": "示例村产业路硬化",
         "township_code": "522701101", "funding_source": "中央财政专项",
         "category": "基础设施", "allocated_amount": Decimal("1200000.00"),
         "allocated_date": D(2020, 4, 1)},
        {"project_id": "XM2020-002", "project_name": "样板村食用菌基地",
         "township_code": "522701102", "funding_source": "统筹整合涉农资金",
         "category": "产业发展", "allocated_amount": Decimal("800000.00"),
         "allocated_date": D(2020, 5, 15)},
    ],
    "disbursements": [
        {"project_id": "XM2020-001", "paid_date": D(2020, 5, 10),
         "amount": Decimal("600000.00")},
        {"project_id": "XM2020-001", "paid_date": D(2020, 8, 20),
         "amount": Decimal("400000.00")},
        {"project_id": "XM2020-002", "paid_date": D(2020, 6, 1),
         "amount": Decimal("320000.50")},
    ],
    "loans": [
        {"loan_id": "DK2020-0001", "household_id": "5227011012010001",
         "township_code": "522701101", "village_code": "522701101201",
         "principal": Decimal("50000.00"), "issued_date": D(2020, 3, 20),
         "due_date": D(2023, 3, 19), "extended_due_date": None, "bank": "县农商银行"},
        {"loan_id": "DK2020-0002", "household_id": "5227011022010007",
         "township_code": "522701102", "village_code": "522701102201",
         "principal": Decimal("30000.00"), "issued_date": D(2020, 6, 5),
         "due_date": D(2022, 6, 4), "extended_due_date": D(2023, 6, 4), "bank": "县农商银行"},
    ],
    "repayments": [
        {"loan_id": "DK2020-0001", "paid_date": D(2021, 3, 20),
         "principal_amount": Decimal("10000.00")},
        {"loan_id": "DK2020-0002", "paid_date": D(2021, 6, 5),
         "principal_amount": Decimal("5000.00")},
    ],
    "sites": [
        {"site_code": "AZD2020-01", "site_name": "示例镇城南安置点", "township_code": "522701101",
         "planned_households": 120, "longitude": Decimal("107.521100"),
         "latitude": Decimal("26.248800")},
        {"site_code": "AZD2020-02", "site_name": "样板乡集镇安置点", "township_code": "522701102",
         "planned_households": 60, "longitude": Decimal("107.409900"),
         "latitude": Decimal("26.296600")},
    ],
    "site_checks": [
        {"site_code": "AZD2020-01", "check_date": D(2020, 6, 30), "moved_in": 84, "employed": 61},
        {"site_code": "AZD2020-01", "check_date": D(2020, 9, 30), "moved_in": 112,
         "employed": 96},
        {"site_code": "AZD2020-02", "check_date": D(2020, 9, 30), "moved_in": 60, "employed": 43},
    ],
    "supervisions": [
        {"supervision_id": "DZ2020-05-001", "township_code": "522701101",
         "target_code": "522701101201", "visit_date": D(2020, 5, 12), "leader": "王建国",
         "rating": "较好", "yellow_card": "否", "note": "饮水工程进度滞后，限期完成"},
        {"supervision_id": "DZ2020-05-002", "township_code": "522701101",
         "target_code": "AZD2020-01", "visit_date": D(2020, 5, 13), "leader": "王建国",
         "rating": "差", "yellow_card": "是", "note": "搬迁户就业帮扶未落实"},
        {"supervision_id": "DZ2020-05-003", "township_code": "522701102", "target_code": None,
         "visit_date": D(2020, 5, 20), "leader": "李红梅", "rating": "好",
         "yellow_card": "否", "note": None},
    ],
    "reports": [
        {"township_code": "522701101", "month": "2020-05", "submitted_date": D(2020, 5, 26)},
        {"township_code": "522701102", "month": "2020-05", "submitted_date": D(2020, 5, 30)},
        {"township_code": "522701101", "month": "2020-06", "submitted_date": D(2020, 6, 24)},
    ],
    "monitored": [
        {"household_id": "5227011012010023", "township_code": "522701101",
         "village_code": "522701101201", "category": "脱贫不稳定户", "risk": "因病",
         "identified_date": D(2020, 4, 15), "assisted_date": D(2020, 4, 28),
         "cleared_date": D(2020, 9, 30)},
        {"household_id": "5227011022010031", "township_code": "522701102",
         "village_code": "522701102201", "category": "突发严重困难户", "risk": "因灾",
         "identified_date": D(2020, 7, 2), "assisted_date": None, "cleared_date": None},
    ],
    "guarantees": [
        {"household_id": "5227011012010001", "township_code": "522701101",
         "village_code": "522701101201", "check_date": D(2020, 5, 18),
         "food_clothing_ok": "是", "education_ok": "是", "medical_ok": "是",
         "housing_ok": "否", "water_ok": "是"},
        {"household_id": "5227011012010001", "township_code": "522701101",
         "village_code": "522701101201", "check_date": D(2020, 10, 20),
         "food_clothing_ok": "是", "education_ok": "是", "medical_ok": "是",
         "housing_ok": "是", "water_ok": "是"},
        {"household_id": "5227011022010007", "township_code": "522701102",
         "village_code": "522701102201", "check_date": D(2020, 6, 10),
         "food_clothing_ok": "是", "education_ok": "是", "medical_ok": "是",
         "housing_ok": "是", "water_ok": "否"},
    ],
}

_WIDTH = {"text": 16, "int": 12, "decimal": 16, "date": 14, "bool": 14, "month": 12,
          "choice": 12}


def _is_code(col: Column) -> bool:
    return col.type == "text" and col.key.endswith(("_code", "_id"))


def _rule(col: Column, lang: str) -> str:
    parts: list[str] = []
    if col.unique:
        parts.append(t("import.template.rule.unique", lang))
    if col.min_value is not None and col.max_value is not None:
        parts.append(t("import.template.rule.range", lang, min=_n(col.min_value),
                       max=_n(col.max_value)))
    elif col.min_value is not None:
        parts.append(t("import.template.rule.min", lang, min=_n(col.min_value)))
    if col.positive:
        parts.append(t("import.template.rule.positive", lang))
    note = col.note_zh if lang == "zh" else (col.note_en or col.note_zh)
    if note:
        parts.append(note)
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _formats(col: Column, lang: str) -> str:
    if col.type == "decimal" and col.key in COORD_COLUMNS:
        return t("import.template.format.coordinate", lang)
    if col.type == "bool" and col.required:
        return t("import.template.format.bool_required", lang)
    if col.type == "choice":
        words = "、".join(f"{c.zh}（{c.key}）" for c in col.choices) if lang == "zh" \
            else ", ".join(f"{c.zh} ({c.key})" for c in col.choices)
        return t("import.template.format.choice", lang, words=words)
    return t(f"import.template.format.{col.type}", lang)


def _as_text(col: Column) -> bool:
    """Cells kept as typed: codes, and months (Excel turns 2024.10 into the number 2024.1,
    which could be January or October)."""
    return _is_code(col) or col.type == "month"


def write_template(path: str | Path | IO[bytes], lang: str = "zh", examples: bool = False) -> None:
    """An .xlsx with one sheet per ledger and an explanation sheet (说明 / README)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lang = normalise_lang(lang)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wb = Workbook()
    readme = wb.active
    readme.title = t("import.template.readme_sheet", lang)

    readme.append([t("import.template.title", lang)])
    readme.append([t("import.template.rules", lang)])
    readme.append([])
    head = [t(f"import.template.col_{k}", lang)
            for k in ("ledger", "key", "label", "type", "required", "rule", "formats")]
    readme.append(head)
    for cell in readme[readme.max_row]:
        cell.font = bold
        cell.fill = fill
    for key in LEDGER_ORDER:
        led = LEDGERS[key]
        sheet = led.zh if lang == "zh" else led.key
        for col in led.columns:
            readme.append([
                f"{sheet}（{led.key}）" if lang == "zh" else f"{led.key} ({led.zh})",
                col.key, col.zh, t(f"import.template.type.{col.type}", lang),
                t("import.template.yes", lang) if col.required else "",
                _rule(col, lang), _formats(col, lang),
            ])
    for letter, width in zip("ABCDEFG", (22, 20, 16, 10, 8, 44, 48), strict=False):
        readme.column_dimensions[letter].width = width
    for row in readme.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if examples:
        _write_examples(readme, lang, bold, fill)

    for key in LEDGER_ORDER:
        led: Ledger = LEDGERS[key]
        ws = wb.create_sheet(led.zh if lang == "zh" else led.key)
        ws.append([c.zh if lang == "zh" else c.key for c in led.columns])
        for cell in ws[1]:
            cell.font = bold
            cell.fill = fill
        ws.freeze_panes = "A2"
        for i, col in enumerate(led.columns, start=1):
            letter = get_column_letter(i)
            label_width = max(len(col.zh) * 2 + 2, len(col.key) + 2)
            ws.column_dimensions[letter].width = max(_WIDTH[col.type], label_width)
            if _as_text(col):
                ws.column_dimensions[letter].number_format = "@"
            elif col.type == "date":
                ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
    if isinstance(path, (str, Path)):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _write_examples(ws, lang: str, bold, fill) -> None:
    """Below the column table: per ledger its name, its header and its example rows."""
    ws.append([])
    ws.append([t("import.template.examples_title", lang)])
    ws.cell(ws.max_row, 1).font = bold
    for key in LEDGER_ORDER:
        led = LEDGERS[key]
        ws.append([])
        ws.append([t("import.template.examples_ledger", lang,
                     sheet=led.zh if lang == "zh" else led.key)])
        ws.cell(ws.max_row, 1).font = bold
        ws.append([c.zh if lang == "zh" else c.key for c in led.columns])
        for cell in ws[ws.max_row]:
            cell.font = bold
            cell.fill = fill
        for ex in EXAMPLES[key]:
            ws.append([_cell(ex.get(c.key)) for c in led.columns])
            for col, cell in zip(led.columns, ws[ws.max_row], strict=False):
                if _as_text(col) or col.type == "text":
                    cell.number_format = "@"
                elif col.type == "date":
                    cell.number_format = "yyyy-mm-dd"
                elif col.type == "decimal":
                    cell.number_format = "0.000000" if col.key in COORD_COLUMNS else "#,##0.00"


def example_signatures(key: str) -> set[tuple]:
    """The template's example rows of ledger `key` as store rows (`Row.store()` items), to
    recognise an example copied into a ledger sheet."""
    from .parse import _PARSERS, Row

    out = set()
    for ex in EXAMPLES.get(key, []):
        values = {c.key: _PARSERS[(key, c.key)](_cell(ex.get(c.key))).value
                  for c in LEDGERS[key].columns}
        out.add(tuple(sorted(Row(key, "", 0, {}, values).store().items())))
    return out


def _cell(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v)
    return v
