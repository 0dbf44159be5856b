"""阶段进度 Phases: the current phase's cards, whether it is behind, the timeline, completion
against expected, township × phase, and the overdue tasks."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from duzhan.charts import phases as charts
from duzhan.i18n import t
from duzhan.metrics import phases as pm
from duzhan.presentation import format as fmt
from duzhan.viewmodels import common
from duzhan.viewmodels.source import Source
from duzhan.viewmodels.spec import Card, Chart, Column, Table, number


@dataclass(frozen=True)
class Phases:
    phase: common.CurrentPhase | None
    cards: list[Card | None]  # five slots; None: an empty slot (no current phase)
    level: str  # "behind", "on_track", "unknown" (no verdict), "none" (no current phase)
    message: str | None
    gantt: Chart
    completion: Chart
    heat: Chart | None  # None: no township rows
    overdue: Table | None  # None: no overdue task
    overdue_caption: str


def task_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (
        # 200 px (a long name is cut, whole in its cell's pop-up and the file): at 400 the
        # days overdue and the task id were off the grid's right edge at 1366 px
        Column("task_name", T("phases.col.task"), width="medium"),
        Column("township", T("phases.col.township")),
        Column("department", T("phases.col.department")),
        Column("phase", T("phases.col.phase")),
        Column("due_date", T("phases.col.due"), "date", fmt.day_column(lang)),
        number("days_overdue", T("phases.col.days_overdue"), "count", lang),
        Column("task_id", T("phases.col.task_id")),
    )


def overdue_table(late: pd.DataFrame, phases: pd.DataFrame, names: Mapping[str, str],
                  lang: str) -> Table | None:
    """The overdue tasks (metrics.phases.overdue_tasks, most overdue first) as the page and
    the briefing pack show them: township (全县 for a county-wide task), 责任单位, phase."""
    if late.empty:
        return None
    county_wide = t("phases.county_wide", lang)
    phase_names = dict(zip(phases["phase_no"].astype(int), phases["phase_name"], strict=False))
    view = pd.DataFrame({
        "task_name": late["task_name"],
        "township": [county_wide if pd.isna(c) else names.get(c, c)
                     for c in late["township_code"]],
        "department": late["department"].fillna(fmt.DASH),
        "phase": [charts.phase_label(n, phase_names.get(int(n), ""), lang)
                  for n in late["phase_no"]],
        "due_date": late["due_date"],
        "days_overdue": late["days_overdue"].astype("int64"),
        "task_id": late["task_id"],
    })
    # static: the page's only data grid loaded the grid's bundle and canvas on every load
    return Table(view, task_columns(lang), "overdue_tasks", wrap=True)


def cards(now: dict, prev: dict, phase: common.CurrentPhase | None, as_of, prev_day,
          lang: str) -> list[Card | None]:
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    delta_help = T("phases.delta_help", date=fmt.day(prev_day, lang))
    overdue_now = sum(p["tasks_overdue"] for p in now["by_phase"])
    overdue_prev = sum(p["tasks_overdue"] for p in prev["by_phase"])
    overdue = Card(T("phases.card.overdue"), fmt.count(overdue_now), overdue_now, overdue_prev,
                   "count", "up", help=T("phases.overdue_help", date=fmt.day(prev_day, lang)))
    if phase is None:
        return [Card(T("phases.card.current"), fmt.DASH, help=T("phases.none_current")),
                None, None, None, overdue]
    p, pp_ = phase.entry, common.phase_entry(prev, phase.no) or {}
    # phase names can be long: the name goes in the grey line under the number
    return [
        Card(T("phases.card.current"), T("phases.card.current_no", no=phase.no),
             note=phase.name),
        Card(T("phases.card.days_left"), T("unit.days", n=(phase.end - as_of).days),
             help=T("phases.days_left_help", end=fmt.day(phase.end, lang))),
        Card(T("phases.card.completion"), fmt.pct(p["completion"]), p["completion"],
             pp_.get("completion"), "pp", "down", help=delta_help),
        # the expected completion moves with the calendar: neither good nor bad
        Card(T("phases.card.expected"), fmt.pct(p["expected"]), p["expected"],
             pp_.get("expected"), "pp", None, help=T("phases.expected_help")),
        overdue,
    ]


def build(src: Source, meeting: bool = False) -> Phases | None:
    """None when the campaign has no phases (the page says so)."""
    lang, D = src.lang, src.as_of
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    L = src.ledgers()
    phases = L.phases.sort_values("phase_no").reset_index(drop=True)
    if phases.empty:
        return None
    stamp = {"scope": src.scope_label(), "as_of": fmt.day(D, lang)}
    now = src.scope_figures()["phases"]
    prev_day = common.week_before(D)
    prev = src.scope_figures(prev_day)["phases"]
    phase = common.current_phase(now, phases, lang)
    cur = phase.no if phase else None

    if phase is None:
        level, message = "none", T("phases.none_current")
    else:
        words = {"phase": phase.label, "completion": fmt.pct(phase.entry["completion"]),
                 "expected": fmt.pct(phase.entry["expected"])}
        if now["behind"]:
            level, message = "behind", T("phases.behind_warn", **words)
        elif now["behind"] is False:
            level, message = "on_track", T("phases.on_track", **words)
        else:
            level, message = "unknown", None

    gantt = charts.gantt_figure(phases, now["by_phase"], as_of=D, current=cur, lang=lang,
                                meeting=meeting, title=T("phases.title.gantt", **stamp))
    completion = charts.completion_figure(phases, now["by_phase"], current=cur,
                                          behind=now["behind"], lang=lang, meeting=meeting,
                                          title=T("phases.title.completion", **stamp))
    rows = list(src.codes) if src.codes is not None else list(src.names)
    table = pm.township_phase_table(L.phases, L.tasks, D, townships=rows)
    heat = None
    if len(table):
        heat = Chart(charts.heat_figure(table, phases, src.names, lang=lang, meeting=meeting,
                                        title=T("phases.title.heat", **stamp)), "heat")

    late = pm.overdue_tasks(L.phases, L.tasks, D)
    overdue = overdue_table(late, phases, src.names, lang)
    return Phases(
        phase=phase, cards=cards(now, prev, phase, D, prev_day, lang), level=level,
        message=message, gantt=Chart(gantt, "gantt"),
        completion=Chart(completion, "completion"), heat=heat, overdue=overdue,
        overdue_caption=T("phases.caption.overdue", n=len(late)),
    )


__all__ = ["Phases", "build", "cards", "task_columns", "overdue_table"]
