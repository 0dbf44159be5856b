"""The loans model: the overdue rate against the lines of metrics.status, on hand-made
loans, and the lists on the demo county at fixed days."""
from __future__ import annotations

import datetime as dt

import pytest

from duzhan.metrics.frames import Ledgers
from duzhan.metrics.status import scope_status
from duzhan.viewmodels import loans
from duzhan.viewmodels.source import LedgerSource

D = dt.date(2024, 6, 30)


@pytest.mark.parametrize("rate, level", [
    (None, None), (0.0, "green"), (0.01, "green"), (0.0101, "yellow"), (0.02, "yellow"),
    (0.03, "yellow"), (0.0301, "red"),
])
def test_line_level_is_the_status_rule(rate, level):
    # the pinned figures: a loans yellow line moved off 1% (or a red line off 3%) fails here
    assert loans.line_level(rate) == level


def book(n_overdue: int, n: int = 50) -> Ledgers:
    """`n` loans of 1000 yuan in 甲镇, `n_overdue` of them past due on D (none repaid)."""
    rows = [{"loan_id": f"L{i}", "household_id": f"H{i:04d}", "township_code": "01",
             "village_code": None, "bank": "农商行", "principal": "1000",
             "issued_date": "2024-01-01",
             "due_date": "2024-06-01" if i < n_overdue else "2024-12-31"} for i in range(n)]
    return Ledgers.from_records(townships=[{"township_code": "01", "township_name": "甲镇"}],
                                loans=rows)


@pytest.mark.parametrize("n_overdue, rate, level", [(0, 0.0, "green"), (1, 0.02, "yellow"),
                                                     (2, 0.04, "red")])
def test_page_line_agrees_with_the_township_status(n_overdue, rate, level):
    src = LedgerSource(book(n_overdue), D)
    vm = loans.build(src)
    now = src.scope_figures()
    assert now["loans"]["overdue_rate"] == pytest.approx(rate)
    assert vm.level == level
    status = scope_status(now)[0]
    assert status == level  # the loans rule is the only one that can fire here
    assert len(vm.lists[1].table.frame) == n_overdue
    # household ids never leave unmasked
    assert all("*" in h for h in vm.lists[1].table.frame["household"])


def test_demo_lists_and_cards(demo_source, when):
    vm = loans.build(demo_source)
    now = demo_source.scope_figures()["loans"]
    assert [c.now for c in vm.cards][:2] == [now["balance"], now["active_loans"]]
    assert vm.level == loans.line_level(now["overdue_rate"])
    due, overdue, extended = (len(x.table.frame) for x in vm.lists)
    assert (due, overdue, extended) == (now["due_30d_loans"], now["overdue_loans"],
                                        now["extended_loans"])
    assert overdue > 0  # every fixed day has rows to check
    for item in vm.lists:
        assert set(item.table.headers()) == set(item.table.frame.columns)
