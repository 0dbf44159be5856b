"""乡镇地图 Map: the classes of the chosen measure over the whole county, the listed
villages, and the table of the same figures (the page draws the folium map)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

# map classification (helper C splits it from the folium map: retarget these two names)
from duzhan.geo.classification import FIGURE_COLUMNS, classify, figures_frame
from duzhan.i18n import t
from duzhan.presentation import format as fmt
from duzhan.presentation.words import status_word
from duzhan.viewmodels.common import by_status
from duzhan.viewmodels.households import site_frame
from duzhan.viewmodels.source import Source
from duzhan.viewmodels.spec import Column, Table, TableGroup, number

_PERCENT = ("closure_rate", "disbursement_rate", "progress_gap", "overdue_rate", "par30",
            "occupancy_rate")
_PERCENT += ("coverage_this_month", "reporting_rate")


@dataclass(frozen=True)
class MapView:
    metric: str
    county_report: dict  # every township is coloured (classes over the whole county)
    classification: Any  # geo Classification: class_of, legend
    listed: pd.DataFrame  # the listed villages
    villages: pd.DataFrame | None  # the villages drawn (None: hidden)
    table: Table
    sites: pd.DataFrame | None = None  # the relocation sites drawn (None: hidden)


# the table's figures by topic, one tab each: its 20 columns scrolled sideways at 1366 px
FIGURE_GROUPS = (
    ("map.group.issues", ("closure_rate", "open_issues", "overdue_open", "tasks_overdue")),
    ("map.group.money", ("disbursement_rate", "progress_gap", "overdue_rate", "par30",
                         "balance")),
    ("map.group.people", ("coverage_this_month", "yellow_cards_28d", "reporting_rate",
                          "any_gap", "at_risk", "occupancy_rate")),
)


def figure_columns(metric: str, lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (
        Column("township_name", T("map.col.township")),
        Column("township_code", T("map.col.code")),
        Column("status", T("map.col.status")),
        Column("cls_label", T("map.col.class") + f" · {T(f'map.metric.{metric}')}"),
        number("closure_rate", T("map.metric.closure_rate"), "rate", lang),
        number("open_issues", T("map.metric.open_issues"), "count", lang),
        number("overdue_open", T("map.metric.overdue_open"), "count", lang),
        number("tasks_overdue", T("map.metric.tasks_overdue"), "count", lang),
        number("disbursement_rate", T("map.metric.disbursement_rate"), "rate", lang),
        number("progress_gap", T("map.metric.progress_gap"), "pp", lang),
        number("overdue_rate", T("map.metric.overdue_rate"), "rate", lang),
        number("par30", T("map.metric.par30"), "rate", lang),
        number("balance", T("map.col.balance"), "wan", lang),
        *supervision_columns(lang),
        number("any_gap", T("map.metric.any_gap"), "count", lang),
        number("at_risk", T("map.metric.at_risk"), "count", lang),
        number("occupancy_rate", T("map.metric.occupancy_rate"), "rate", lang),
    )


def supervision_columns(lang: str) -> tuple[Column, ...]:
    """The table's 督导 columns (the map's supervision measures)."""
    T = lambda key: t(key, lang)  # noqa: E731
    return (number("coverage_this_month", T("map.metric.coverage_this_month"), "rate", lang),
            number("yellow_cards_28d", T("map.metric.yellow_cards_28d"), "count", lang),
            number("reporting_rate", T("map.metric.reporting_rate"), "rate", lang))


def figures_table(report: dict, cls, metric: str, lang: str,
                  worst_first: bool = False) -> Table:
    """The scope's townships with their class, status in words, rates in %, balance in 万元;
    `worst_first`: red, then yellow, then green (the projector), else the report's order."""
    legend = cls.legend
    if worst_first:
        report = {**report, "townships": by_status(report.get("townships", []))}
    table = figures_frame(report)
    table.insert(2, "cls_label", [
        next((c.label for c in legend.classes if c.key == cls.class_of.get(code)),
             legend.no_data.label if legend.no_data else fmt.DASH)
        for code in table["township_code"]
    ])
    table["status"] = [status_word(s, lang) for s in table["status"]]
    for col in _PERCENT:
        table[col] = table[col].astype("float64") * 100
    table["balance"] = table["balance"].astype("float64") / 10_000
    order = ("township_name", "township_code", "status",
             *([] if metric == "status" else ["cls_label"]),
             *[c for c in FIGURE_COLUMNS if c != "status"])
    lead = ("township_name", "status", *([] if metric == "status" else ["cls_label"]))
    groups = tuple(TableGroup(t(key, lang), (*lead, *keys)) for key, keys in FIGURE_GROUPS)
    return Table(table, figure_columns(metric, lang), "map_table", order=order, groups=groups)


def build(src: Source, metric: str, show_villages: bool = True,
          meeting: bool = False, show_sites: bool = True) -> MapView:
    county_report = src.county_report()
    cls = classify(county_report, metric, src.lang)
    listed = src.ledgers().villages
    listed = listed[listed["listed"]]
    # every site of the county, as every township is coloured
    sites = site_frame(src.county_ledgers(), None, src.as_of, src.names) if show_sites else None
    return MapView(metric, county_report, cls, listed, listed if show_villages else None,
                   figures_table(src.report(), cls, metric, src.lang, worst_first=meeting),
                   sites)


__all__ = ["MapView", "build", "figures_table", "figure_columns"]
