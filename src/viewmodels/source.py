"""What a view model reads: one scope's figures at a day, and its rows.

The dashboard's PageContext (duzhan.views.shell) answers these from its cached reads;
:class:`LedgerSource` answers them from ledgers in memory (the briefing pack, the command
line, tests)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from duzhan.metrics.frames import Ledgers
from duzhan.metrics.report import metrics_report, scope_metrics
from duzhan.presentation.words import scope_label


class Source(Protocol):
    as_of: dt.date
    lang: str
    codes: tuple[str, ...] | None  # townships in scope; None = the whole county

    @property
    def names(self) -> Mapping[str, str]: ...  # township code → name, every visible one

    def report(self, as_of: dt.date | None = None) -> dict: ...  # metrics_report of the scope

    def county_report(self, as_of: dt.date | None = None) -> dict: ...  # every township

    def scope_figures(self, as_of: dt.date | None = None) -> dict: ...  # scope_metrics

    def ledgers(self) -> Ledgers: ...  # the scope's rows

    def county_ledgers(self) -> Ledgers: ...  # every row the reader may see (a household
    # counts in the township of its latest check, which the scope's rows alone cannot tell)

    # every county the reader may see, whatever the filters (the province overview): the
    # report with its `counties` list, and each township's county
    def province_report(self, as_of: dt.date | None = None) -> dict: ...

    def county_of(self) -> Mapping[str, str]: ...  # township → county, every visible one

    def phases(self) -> pd.DataFrame: ...  # the phases ledger

    def scope_label(self) -> str: ...


@dataclass
class LedgerSource:
    """A Source over the county's ledgers in memory; figures computed once per day."""

    full: Ledgers  # every row the reader may see
    as_of: dt.date
    lang: str = "zh"
    codes: tuple[str, ...] | None = None
    _memo: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if self.codes is not None:
            self.codes = tuple(self.codes)

    @property
    def names(self) -> Mapping[str, str]:
        t = self.full.townships
        return dict(zip(t["township_code"], t["township_name"], strict=False))

    def _codes(self):
        return list(self.codes) if self.codes else None

    def _get(self, what, as_of, make):
        key = (what, as_of or self.as_of)
        if key not in self._memo:
            self._memo[key] = make(key[1])
        return self._memo[key]

    def report(self, as_of=None) -> dict:
        return self._get("report", as_of, lambda d: metrics_report(self.full, d, self._codes()))

    def county_report(self, as_of=None) -> dict:
        return self._get("county", as_of, lambda d: metrics_report(self.full, d, None))

    def scope_figures(self, as_of=None) -> dict:
        return self._get("scope", as_of, lambda d: scope_metrics(self.full, d, self._codes()))

    def ledgers(self) -> Ledgers:
        return self._get("ledgers", self.as_of, lambda d: self.full.scoped(self.codes))

    def county_ledgers(self) -> Ledgers:
        return self.full

    def province_report(self, as_of=None) -> dict:
        return self.county_report(as_of)

    def county_of(self) -> Mapping[str, str]:
        return self.full.county_of_township()

    def phases(self) -> pd.DataFrame:
        return self.full.phases

    def scope_label(self) -> str:
        return scope_label(self.codes, self.names, self.lang)


__all__ = ["Source", "LedgerSource"]
