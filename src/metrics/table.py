"""Plain-text table of a :func:`duzhan.metrics.report.metrics_report` answer
(``duzhan metrics --format table``): one line for the county (the store's roll-up when it
holds several counties, then one line per county), then one per township."""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from duzhan.presentation import format as fmt

_LABELS = {
    "zh": {
        "as_of": "统计截至", "scope": "范围", "county": "全县", "status": "亮灯",
        "found": "问题数", "open": "未销号", "overdue_open": "超期未改", "closure_rate": "销号率",
        "forecast": "预计清零", "net_forecast": "净速清零", "disbursement_rate": "拨付率", "progress_gap": "较序时进度",
        "balance": "贷款余额(万元)", "overdue_rate": "逾期率", "phase": "当前阶段",
        "completion": "阶段完成率", "coverage": "本月督导覆盖率", "summons": "应约谈",
        "reporting_rate": "月报报送率", "any_gap": "三保障缺口户",
        "unassisted": "超15天未帮扶户", "occupancy": "搬迁入住率", "reasons": "原因",
        "red": "红", "yellow": "黄", "green": "绿", "never": "无法清零", "all": "合计",
    },
    "en": {
        "as_of": "As of", "scope": "Scope", "county": "County", "status": "Status",
        "found": "Issues", "open": "Open", "overdue_open": "Overdue", "closure_rate": "Closed %",
        "forecast": "Clear by", "net_forecast": "Net clear by", "disbursement_rate": "Disbursed %",
        "progress_gap": "vs time",
        "balance": "Loan balance (×10k yuan)", "overdue_rate": "Overdue %", "phase": "Phase",
        "completion": "Phase done %", "coverage": "Visited %", "summons": "Summons",
        "reporting_rate": "Reports %", "any_gap": "Guarantee gaps",
        "unassisted": "Unassisted >15d", "occupancy": "Moved in %", "reasons": "Reasons",
        "red": "red", "yellow": "yellow", "green": "green", "never": "never",
        "all": "All counties",
    },
}
_COLS = ("scope", "status", "found", "open", "overdue_open", "closure_rate", "forecast",
         "net_forecast", "disbursement_rate", "progress_gap", "balance", "overdue_rate", "phase",
         "completion", "coverage", "summons", "reporting_rate", "any_gap", "unassisted",
         "occupancy", "reasons")
_TEXT_COLS = {_COLS.index(c) for c in ("scope", "status", "forecast", "net_forecast",
                                       "reasons")}


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int, right: bool) -> str:
    fill = " " * (w - _width(s))
    return fill + s if right else s + fill


def _row(label: str, scope: Mapping[str, Any], lab: Mapping[str, str], lang: str) -> list[str]:
    """One scope's cells, written as the pages write them (presentation.format)."""
    iss, fun, loa, pha = scope["issues"], scope["funds"], scope["loans"], scope["phases"]
    sup, rep, mon = scope["supervision"], scope["reports"], scope["monitoring"]
    gua, rel = scope["guarantees"], scope["relocation"]
    cur = next((p for p in pha["by_phase"] if p["phase_no"] == pha["current_phase"]), None)
    return [
        label,
        lab.get(scope["status"], scope["status"]),
        str(iss["found"]), str(iss["open"]), str(iss["overdue_open"]),
        fmt.pct(iss["closure_rate"]), fmt.day(iss["forecast_clear_date"], lang),
        # null net forecast: at this pace the list does not shrink
        fmt.day(iss["net_forecast_clear_date"], lang) if iss["net_forecast_clear_date"]
        else lab["never"],
        fmt.pct(fun["disbursement_rate"]), fmt.pp(fun["progress_gap"], lang),
        fmt.wan(loa["balance"], lang, unit=False), fmt.pct(loa["overdue_rate"]),
        fmt.DASH if pha["current_phase"] is None else str(pha["current_phase"]),
        fmt.pct(cur["completion"]) if cur else fmt.DASH,
        # the supervision and household headlines (null when a ledger is not in use)
        fmt.pct(sup["coverage_this_month"]), fmt.count(sup["summons_due"]),
        fmt.pct(rep["reporting_rate"]), fmt.count(gua["any_gap"]),
        fmt.count(mon["unassisted_over_15d"]), fmt.pct(rel["occupancy_rate"]),
        ", ".join(scope.get("status_reasons", [])),
    ]


def _named(code: str, name: str | None) -> str:
    return f"{code} {name or ''}".strip()


def format_table(report: Mapping[str, Any], lang: str = "zh") -> str:
    lab = _LABELS.get(lang, _LABELS["zh"])
    header = [lab[c] for c in _COLS]
    counties = report.get("counties", [])
    if len(counties) == 1:  # --county: the county line is that county
        first = _named(counties[0]["county_code"], counties[0]["county_name"])
    else:
        first = lab["all"] if counties else lab["county"]
    rows = [_row(first, report["county"], lab, lang)]
    if len(counties) > 1:
        rows += [_row(_named(c["county_code"], c["county_name"]), c, lab, lang)
                 for c in counties]
    for t in report["townships"]:
        rows.append(_row(_named(t["township_code"], t.get("township_name")), t, lab, lang))
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(_COLS))]
    lines = [f"{lab['as_of']}: {fmt.day(report['as_of'], lang)}"]
    for r in [header, *rows]:
        lines.append("  ".join(_pad(v, w, i not in _TEXT_COLS)
                               for i, (v, w) in enumerate(zip(r, widths, strict=False))).rstrip())
    return "\n".join(lines)
