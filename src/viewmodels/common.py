"""Pieces more than one page (and the briefing pack) show: status counts, reasons with
their figures, flagged townships, attention rows, owners of overdue issues, the current
phase, burndown defaults."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from duzhan import clock
from duzhan.charts.phases import phase_label
from duzhan.i18n import t
from duzhan.metrics import issues as im
from duzhan.metrics.status import Reason, attention_ranking, scope_status
from duzhan.presentation.format import reason_text
from duzhan.presentation.palette import STATUS_ORDER


def status_counts(report: Mapping[str, Any]) -> dict[str, int]:
    """status → number of townships of a metrics report."""
    return {s: sum(1 for e in report["townships"] if e["status"] == s) for s in STATUS_ORDER}


def reason_details(entry: Mapping[str, Any]) -> list[Reason | str]:
    """A report entry's status reasons with their figures, in the entry's order (the report
    keeps only the codes; the figures come from the entry's own numbers)."""
    details = {r.code: r for r in scope_status(entry)[1]}
    return [details.get(code, code) for code in entry["status_reasons"]]


def by_status(entries: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Red first, then yellow, then green; by township code within a status."""
    return sorted(entries, key=lambda e: (STATUS_ORDER.index(e["status"]), e["township_code"]))


@dataclass(frozen=True)
class Flagged:
    """A red or yellow township and why, in words."""

    code: str
    name: str
    status: str
    reasons: str  # the reasons joined as one line


def flagged_townships(report: Mapping[str, Any], lang: str,
                      units: Mapping[str, str] | None = None) -> list[Flagged]:
    """`units`: unit code → name, so that a summons due says who (see reason_words)."""
    return [Flagged(e["township_code"], e["township_name"], e["status"],
                    joined_words(reason_words(e, reason_details(e), lang, units), lang))
            for e in by_status(report["townships"]) if e["status"] != "green"]


@dataclass(frozen=True)
class StatusChange:
    name: str
    before: str
    after: str


def status_changes(report: Mapping[str, Any], before: Mapping[str, Any]) -> list[StatusChange]:
    """Townships whose status differs from the report of D − 7 (red first)."""
    was = {e["township_code"]: e["status"] for e in before["townships"]}
    changed = [e for e in report["townships"] if was.get(e["township_code"]) not in
               (None, e["status"])]
    return [StatusChange(e["township_name"], was[e["township_code"]], e["status"])
            for e in by_status(changed)]


@dataclass(frozen=True)
class AttentionRow:
    """A row of the “needs attention” ranking; rates as fractions (None: no figure)."""

    rank: int
    township: str
    status: str
    reasons: str
    overdue_open: int
    overdue_rate: float | None
    progress_gap: float | None
    score: float


ATTENTION_COLUMNS = ("rank", "township", "status", "reasons", "overdue_open", "overdue_rate",
                     "progress_gap", "score")


def attention_rows(report: Mapping[str, Any], lang: str,
                   units: Mapping[str, str] | None = None) -> list[AttentionRow]:
    """metrics.status.attention_ranking with each township's reasons in words (a summons
    due names its units when `units` is given)."""
    by_code = {e["township_code"]: e for e in report["townships"]}
    rows = []
    for r in attention_ranking(report):
        e = by_code[r["township_code"]]
        rows.append(AttentionRow(
            r["rank"], r["township_name"], r["status"],
            joined_words(reason_words(e, reason_details(e), lang, units), lang, "reason.none"),
            e["issues"]["overdue_open"], e["loans"]["overdue_rate"],
            e["funds"]["progress_gap"], r["score"]))
    return rows


def overdue_owners(issues: pd.DataFrame, names: Mapping[str, str], as_of: Any) -> pd.DataFrame:
    """Who owns the overdue issues: township, department, overdue_issues, max_days — most
    overdue issues first, then the longest overdue."""
    overdue = im.overdue_list(issues, as_of)
    if overdue.empty:
        return pd.DataFrame(columns=["township", "department", "overdue_issues", "max_days"])
    return (overdue.assign(township=overdue["township_code"].map(dict(names)))
            .groupby(["township", "department"], sort=False)
            .agg(overdue_issues=("issue_id", "size"), max_days=("days_overdue", "max"))
            .reset_index()
            .sort_values(["overdue_issues", "max_days"], ascending=False))


def phase_entry(phase_figures: Mapping[str, Any], no: int | None) -> dict | None:
    """The by_phase entry of phase `no` (None when there is none)."""
    if no is None:
        return None
    return next((p for p in phase_figures.get("by_phase", ()) if p["phase_no"] == no), None)


@dataclass(frozen=True)
class CurrentPhase:
    """The phase the as-of day falls in: its number, name, label (第一阶段：…), last day,
    and its figures (the by_phase entry of the scope's phases figures)."""

    no: int
    name: str
    label: str
    end: dt.date | None
    entry: dict | None


def current_phase(phase_figures: Mapping[str, Any], phases: pd.DataFrame,
                  lang: str) -> CurrentPhase | None:
    """The current phase of a scope's phases figures, named from the phases ledger; None
    when the day is in no phase."""
    no = phase_figures.get("current_phase")
    if no is None:
        return None
    row = phases[phases["phase_no"].astype(int) == int(no)]
    name = str(row.iloc[0]["phase_name"]) if len(row) else ""
    end = pd.Timestamp(row.iloc[0]["end_date"]).date() if len(row) else None
    return CurrentPhase(int(no), name, phase_label(no, name, lang), end,
                        phase_entry(phase_figures, no))


@dataclass(frozen=True)
class Burndown:
    """An issue burndown as drawn: the series, the ideal line from `start` to `target`
    and the forecast band."""

    series: pd.DataFrame
    start: dt.date | None
    target: Any
    ideal: pd.DataFrame
    band: dict | None


def burndown(issues: pd.DataFrame, phases: pd.DataFrame, as_of: Any, target: Any,
             start: dt.date | None = None, series: pd.DataFrame | None = None) -> Burndown:
    """The burndown with the issue page's defaults: the ideal line runs from the peak of
    open issues (metrics.issues.peak_open_date), or from `start`, to `target`. `series`:
    the burndown series when already computed."""
    if series is None:
        series = burndown_series(issues, phases, as_of)
    if start is None:
        start = im.peak_open_date(series) if len(series) else pd.Timestamp(as_of).date()
    at = series.loc[series["date"] == pd.Timestamp(start), "open"] if len(series) else []
    open_at_start = int(at.iloc[0]) if len(at) else 0
    return Burndown(series, start, target, im.ideal_line(open_at_start, start, target),
                    im.forecast_band(issues, as_of))


def burndown_series(issues: pd.DataFrame, phases: pd.DataFrame, as_of: Any) -> pd.DataFrame:
    """metrics.issues.burndown_series with the phases in order."""
    return im.burndown_series(issues, phases.sort_values("phase_no").reset_index(drop=True),
                              as_of)


def compare_note(report: Mapping[str, Any], scope: str, lang: str) -> str | None:
    """None when the scope has townships to compare; for one township the note a page shows
    instead of a one-bar "by township" chart."""
    if len(report["townships"]) > 1:
        return None
    return t("overview.compare_one", lang, scope=scope)


week_before = clock.week_before  # the one definition; view models name it here


# ------------------------------------------------------------ status reasons that say who


def reason_words(figures: Mapping[str, Any], reasons: Sequence, lang: str,
                 units: Mapping[str, str] | None = None) -> list[str]:
    """A scope's status reasons (Reason, its dict or a code) as sentences; a summons due
    (约谈) also names its units from the figures' supervision block when `units` (unit
    code → name) is given: leaders act on who, not on a count."""
    summons = ((figures.get("supervision") or {}).get("summons") or []) if units else []
    out = []
    for r in reasons:
        code = r if isinstance(r, str) else r["code"] if isinstance(r, dict) else r.code
        if code == "summons_due" and summons:
            who = t("data.list_sep", lang).join(units.get(s["unit"], s["unit"])
                                               for s in summons)
            out.append(t("reason.summons_due_who", lang, value=len(summons), units=who))
        else:
            out.append(reason_text(r, lang))
    return out


def joined_words(texts: Sequence[str], lang: str, empty_key: str | None = None) -> str:
    """Reason sentences as one line (presentation.words.joined_reasons, for texts)."""
    text = t("overview.sep", lang).join(texts)
    return text or (t(empty_key, lang) if empty_key else "")


__all__ = ["reason_words", "joined_words",
           "status_counts", "reason_details", "by_status", "Flagged", "flagged_townships",
           "StatusChange", "status_changes", "AttentionRow", "ATTENTION_COLUMNS",
           "attention_rows", "overdue_owners", "phase_entry", "CurrentPhase", "current_phase",
           "Burndown", "burndown", "burndown_series", "week_before"]
