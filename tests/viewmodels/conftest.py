"""View-model fixtures: the demo county at fixed days of its campaign (derived from its
phases, so they hold whatever day the demo was generated for)."""
from __future__ import annotations

import datetime as dt

import pytest

from duzhan.viewmodels.source import LedgerSource

WHEN = ("before", "mid", "after")


def campaign_day(ledgers, when: str) -> dt.date:
    """before: 5 days before the first phase; mid: 45 days into the third phase; after: the
    day after the campaign's last phase ended (its clearance deadline)."""
    ph = ledgers.phases.sort_values("phase_no")
    if when == "before":
        return ph.iloc[0]["start_date"].date() - dt.timedelta(days=5)
    if when == "mid":
        return ph.iloc[2]["start_date"].date() + dt.timedelta(days=45)
    return ph["end_date"].max().date() + dt.timedelta(days=1)


@pytest.fixture(params=WHEN)
def when(request) -> str:
    return request.param


@pytest.fixture
def demo_source(demo_ledgers, when) -> LedgerSource:
    return LedgerSource(demo_ledgers, campaign_day(demo_ledgers, when))
