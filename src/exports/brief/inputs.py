"""What the briefing pack reads: the scope's figures and rows, computed once (the pages
pass their cached values; the command line reads a store)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from duzhan.clock import BEIJING
from duzhan.exports.stamp import Stamp, export_name, file_name
from duzhan.metrics.frames import Ledgers
from duzhan.presentation.words import scope_label
from duzhan.viewmodels.common import week_before


@dataclass
class BriefInputs:
    """Everything the pack shows, computed once (the pages pass their cached values)."""

    as_of: dt.date
    lang: str
    codes: tuple[str, ...] | None  # townships in scope; None = the whole county
    ledgers: Ledgers  # the scope's rows (county-wide tasks only for the county)
    report: dict  # metrics_report over the scope's townships
    county_report: dict  # metrics_report over every township (the map colours them all)
    figures: dict  # scope_metrics of the scope
    stamp: Stamp
    names: dict[str, str]  # township code → name
    before: dict | None = None  # scope_metrics a week earlier (D − 7): each page's changes
    boundaries: Any = None  # GeoDataFrame or None
    made_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(BEIJING))
    # every row the reader may see (the households page: a household counts in its latest
    # check's township); None = `ledgers`
    full: Ledgers | None = None
    models: dict = field(default_factory=dict, repr=False)  # page view models made for the pack
    page_count: int = 0  # set by the last brief_pdf / brief_pptx

    @property
    def township_rows(self) -> list[str]:
        return list(self.codes) if self.codes is not None else list(self.names)


def brief_inputs(engine, as_of: dt.date, townships: Iterable[str] | None = None,
                 lang: str = "zh", boundaries: Any = "default") -> BriefInputs:
    """The inputs read from a store (for the command line and scripts)."""
    from duzhan.metrics.report import metrics_report, scope_metrics
    from duzhan.store.lookup import last_event_date, township_directory
    from duzhan.store.read import DataScope, data_status, load_ledgers

    directory = township_directory(engine)
    codes = tuple(sorted(set(townships))) if townships else None
    if codes:
        unknown = [c for c in codes if c not in directory.names]
        if unknown:
            raise ValueError(f"unknown township code(s): {', '.join(unknown)}")
    full = load_ledgers(engine, DataScope())
    status = data_status(engine)
    if isinstance(boundaries, str) and boundaries == "default":
        from duzhan.geo.boundaries import default_path, load_boundaries

        boundaries = load_boundaries() if default_path().exists() else None
    stamp = Stamp(scope_label(codes, directory.names, lang), as_of, status.last_import_at,
                  status.is_demo, lang, last_event_date(engine))
    return BriefInputs(
        as_of=as_of, lang=lang, codes=codes, ledgers=full.scoped(codes),
        report=metrics_report(full, as_of, list(codes) if codes else None),
        county_report=metrics_report(full, as_of, None),
        figures=scope_metrics(full, as_of, list(codes) if codes else None),
        before=scope_metrics(full, week_before(as_of), list(codes) if codes else None),
        stamp=stamp, names=dict(directory.names), boundaries=boundaries, full=full,
    )


def brief_file_name(inputs: BriefInputs, ext: str = "pdf") -> str:
    return file_name(export_name("brief", inputs.lang), inputs.stamp, ext)
