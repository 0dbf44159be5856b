"""Household charts that would be degenerate say so in words instead."""
from __future__ import annotations

import datetime as dt

from duzhan.charts import households as ch
from duzhan.i18n import t

D = dt.date(2026, 12, 3)


def _block(gap: int, checked: int) -> dict:
    items = {f"gap_{k}": gap for k in ch.GUARANTEE_ITEMS}
    return {**items, "any_gap": gap, "checked": checked}


def _notes(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_no_gap_among_the_checked_is_a_sentence_not_zero_bars():
    fig = ch.gap_items_bars(_block(0, 466), lang="zh", scope="龙场镇", as_of=D)
    assert _notes(fig) == [t("households.no_gaps", "zh")]
    assert fig.layout.xaxis.visible is False
    assert all(tr.text is None for tr in fig.data)  # no "0" bar labels around the sentence


def test_gaps_are_bars():
    fig = ch.gap_items_bars(_block(2, 466), lang="zh", scope="龙场镇", as_of=D)
    assert _notes(fig) == [] and list(fig.data[0].x) == [2] * (len(ch.GUARANTEE_ITEMS) + 1)


def test_no_check_says_so():
    fig = ch.gap_items_bars(_block(0, 0), lang="en", scope="X", as_of=D)
    assert _notes(fig) == [t("households.no_checks", "en")]
