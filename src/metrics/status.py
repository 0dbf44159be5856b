"""Township status · 乡镇亮灯 (shared/contract/metrics.md, "Township status").

:func:`scope_status` takes the figures of one scope (``{"issues": ..., "funds": ...,
"loans": ..., "phases": ...}`` as returned by the metric functions, or their JSON-ready
form) and returns ``(status, reasons)``. Each reason is a :class:`Reason` with a stable
machine ``code`` (for the UI to translate), its ``level`` and the figure that triggered it.

Red codes: ``overdue_issues`` (overdue_open > 0), ``loan_overdue_rate_over_3pct``
(overdue_rate > 0.03), ``funds_gap_over_20pct`` (progress_gap < −0.20),
``phase_tasks_overdue`` (tasks_overdue > 0 in the current phase).
Yellow codes: ``net_forecast_none`` (open > 0 and net_forecast_clear_date null: closed in
the last 28 days ≤ found in them; value = closed_last_28d, threshold = found_last_28d),
``forecast_after_target`` (open > 0 and net_forecast_clear_date > clearance_target),
``loan_overdue_rate_over_1pct`` (overdue_rate > 0.01), ``funds_gap_over_10pct``
(progress_gap < −0.10), ``phase_behind`` (current phase behind).

Campaign rules (:func:`campaign_reasons`, over the optional blocks ``supervision``,
``reports``, ``monitoring``, ``guarantees``; an absent block fires nothing, so a store
without those ledgers keeps its statuses): red ``summons_due`` (summons_due > 0); yellow
``yellow_cards_28d`` (> 0), ``unvisited_last_month`` (> 0), ``reports_last_missing``
(last_missing > 0; threshold = last_due_month), ``guarantee_gaps`` (any_gap > 0),
``unassisted_over_15d`` (> 0). They follow the rules above in each colour.

A rule whose figure is null does not fire. A yellow reason implied by a red one on the same
figure (loan rate over 1% when over 3%, gap over 10% when over 20%) is not repeated.
Reasons come red first, in the order above.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

RED, YELLOW, GREEN = "red", "yellow", "green"
STATUS_ORDER = {RED: 0, YELLOW: 1, GREEN: 2}

LOAN_RED, LOAN_YELLOW = 0.03, 0.01
GAP_RED, GAP_YELLOW = -0.20, -0.10
BEHIND_MARGIN = 0.10


@dataclass(frozen=True)
class Reason:
    code: str
    level: str
    value: Any = None  # the figure that triggered the rule
    threshold: Any = None  # what it was compared with

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("value", "threshold"):
            if isinstance(d[k], _dt.date):
                d[k] = d[k].isoformat()
        return d


def _date(v: Any) -> _dt.date | None:
    if v is None:
        return None
    if isinstance(v, str):
        return _dt.date.fromisoformat(v)
    if isinstance(v, _dt.datetime):
        return v.date()
    return v


def _current(phases: Mapping[str, Any]) -> Mapping[str, Any] | None:
    cur = phases.get("current_phase")
    if cur is None:
        return None
    for p in phases.get("by_phase", ()):
        if p["phase_no"] == cur:
            return p
    return None


def scope_status(figures: Mapping[str, Any]) -> tuple[str, list[Reason]]:
    """(status, reasons) of one scope from its issues/funds/loans/phases figures."""
    iss = figures.get("issues", {}) or {}
    fun = figures.get("funds", {}) or {}
    loa = figures.get("loans", {}) or {}
    pha = figures.get("phases", {}) or {}
    cur = _current(pha)
    red: list[Reason] = []
    yellow: list[Reason] = []

    ov = iss.get("overdue_open")
    if ov is not None and ov > 0:
        red.append(Reason("overdue_issues", RED, ov, 0))
    rate = loa.get("overdue_rate")
    if rate is not None and rate > LOAN_RED:
        red.append(Reason("loan_overdue_rate_over_3pct", RED, rate, LOAN_RED))
    gap = fun.get("progress_gap")
    if gap is not None and gap < GAP_RED:
        red.append(Reason("funds_gap_over_20pct", RED, gap, GAP_RED))
    if cur is not None and cur.get("tasks_overdue") is not None and cur["tasks_overdue"] > 0:
        red.append(Reason("phase_tasks_overdue", RED, cur["tasks_overdue"], 0))

    open_ = iss.get("open")
    if open_ is not None and open_ > 0:
        fc, target = _date(iss.get("net_forecast_clear_date")), _date(iss.get("clearance_target"))
        if fc is None:
            yellow.append(Reason("net_forecast_none", YELLOW, iss.get("closed_last_28d"),
                                 iss.get("found_last_28d")))
        elif target is not None and fc > target:
            yellow.append(Reason("forecast_after_target", YELLOW, fc, target))
    if rate is not None and LOAN_YELLOW < rate and not rate > LOAN_RED:
        yellow.append(Reason("loan_overdue_rate_over_1pct", YELLOW, rate, LOAN_YELLOW))
    if gap is not None and gap < GAP_YELLOW and not gap < GAP_RED:
        yellow.append(Reason("funds_gap_over_10pct", YELLOW, gap, GAP_YELLOW))
    if cur is not None:
        behind = pha.get("behind") if "behind" in pha else _behind(cur)
        if behind:
            yellow.append(Reason("phase_behind", YELLOW, cur.get("completion"),
                                 cur.get("expected") - BEHIND_MARGIN))
    extra_red, extra_yellow = campaign_reasons(figures)
    red += extra_red
    yellow += extra_yellow
    status = RED if red else YELLOW if yellow else GREEN
    return status, red + yellow


# (block, figure, reason code, level): a count > 0 fires
_CAMPAIGN_RULES = (
    ("supervision", "summons_due", "summons_due", RED),
    ("supervision", "yellow_cards_28d", "yellow_cards_28d", YELLOW),
    ("supervision", "unvisited_last_month", "unvisited_last_month", YELLOW),
    ("reports", "last_missing", "reports_last_missing", YELLOW),
    ("guarantees", "any_gap", "guarantee_gaps", YELLOW),
    ("monitoring", "unassisted_over_15d", "unassisted_over_15d", YELLOW),
)


def campaign_reasons(figures: Mapping[str, Any]) -> tuple[list[Reason], list[Reason]]:
    """(red, yellow) reasons of the supervision and household rules; a block absent from
    ``figures`` (or None), or a null figure, fires nothing. Value = the count, threshold 0
    (for reports_last_missing: the last_due_month)."""
    red: list[Reason] = []
    yellow: list[Reason] = []
    for block, key, code, level in _CAMPAIGN_RULES:
        part = figures.get(block)
        v = None if not part else part.get(key)
        if v is not None and v > 0:
            threshold = part.get("last_due_month") if block == "reports" else 0
            (red if level == RED else yellow).append(Reason(code, level, v, threshold))
    return red, yellow


def _behind(cur: Mapping[str, Any]) -> bool | None:
    c, e = cur.get("completion"), cur.get("expected")
    if c is None or e is None:
        return None
    return c < e - BEHIND_MARGIN


def attention_ranking(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Townships of a :func:`duzhan.metrics.report.metrics_report` answer, most in need of
    attention first.

    Order: status (red, yellow, green), then ``score`` descending, then township_code.
    ``score`` is a sum of shortfalls, each normalised by its rule's red line so that 1.0
    means "as far off as the red line" (null figures add 0):

    * issues: overdue_open / found (share of issues overdue; 0 when found = 0)
      + open issues without a net forecast or net forecast after target: 0.5;
    * loans: overdue_rate / 0.03;
    * funds: max(0, −progress_gap) / 0.20;
    * phases (current phase): max(0, expected − completion) / 0.10
      + tasks_overdue / tasks_total;
    * households (:func:`household_shortfall`): any_gap / checked
      + unassisted_over_15d / at_risk.

    Each entry: township_code, township_name, status, status_reasons, score (rounded to 6
    decimals), rank (1-based)."""
    rows = []
    for t in report.get("townships", []):
        rows.append({
            "township_code": t["township_code"],
            "township_name": t.get("township_name"),
            "status": t["status"],
            "status_reasons": list(t.get("status_reasons", [])),
            "score": round(shortfall_score(t), 6),
        })
    rows.sort(key=lambda r: (STATUS_ORDER[r["status"]], -r["score"], r["township_code"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    return rows


def shortfall_score(figures: Mapping[str, Any]) -> float:
    """The ``score`` of :func:`attention_ranking` for one scope's figures."""
    iss = figures.get("issues", {}) or {}
    loa = figures.get("loans", {}) or {}
    fun = figures.get("funds", {}) or {}
    score = 0.0
    if iss.get("found"):
        score += (iss.get("overdue_open") or 0) / iss["found"]
    if (iss.get("open") or 0) > 0:
        fc, target = _date(iss.get("net_forecast_clear_date")), _date(iss.get("clearance_target"))
        if fc is None or (target is not None and fc > target):
            score += 0.5
    if loa.get("overdue_rate") is not None:
        score += loa["overdue_rate"] / LOAN_RED
    if fun.get("progress_gap") is not None:
        score += max(0.0, -fun["progress_gap"]) / -GAP_RED
    cur = _current(figures.get("phases", {}) or {})
    if cur is not None:
        if cur.get("completion") is not None:
            score += max(0.0, cur["expected"] - cur["completion"]) / BEHIND_MARGIN
        if cur.get("tasks_total"):
            score += cur["tasks_overdue"] / cur["tasks_total"]
    return score + household_shortfall(figures)


def household_shortfall(figures: Mapping[str, Any]) -> float:
    """The households' part of :func:`shortfall_score` (rules with no red line, so each
    share adds at most 1.0): guarantees any_gap / checked (share of checked households with
    a 三保障 gap) + monitoring unassisted_over_15d / at_risk (share of at-risk households
    waiting more than 15 days for assistance). An absent block or a zero denominator adds 0."""
    gua = figures.get("guarantees") or {}
    mon = figures.get("monitoring") or {}
    score = 0.0
    if gua.get("checked"):
        score += (gua.get("any_gap") or 0) / gua["checked"]
    if mon.get("at_risk"):
        score += (mon.get("unassisted_over_15d") or 0) / mon["at_risk"]
    return score


def county_ranking(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The counties of a :func:`duzhan.metrics.report.metrics_report` answer (its
    ``counties`` list; [] in a store of one county), most in need of attention first, by
    the order of :func:`attention_ranking`: status, then :func:`shortfall_score`
    descending, then county_code. Each entry: county_code, county_name, status,
    status_reasons, score (rounded to 6 decimals), rank (1-based)."""
    rows = [{"county_code": c["county_code"], "county_name": c.get("county_name"),
             "status": c["status"], "status_reasons": list(c.get("status_reasons", [])),
             "score": round(shortfall_score(c), 6)} for c in report.get("counties", [])]
    rows.sort(key=lambda r: (STATUS_ORDER[r["status"]], -r["score"], r["county_code"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    return rows
