"""The households in the attention ranking: the share of checked households with a 三保障
gap and the share of at-risk households waiting more than 15 days add to a township's
score, so that among yellow townships the one with more households left behind comes
first; a store without the household ledgers ranks as before."""
from __future__ import annotations

import pytest

from duzhan.metrics.status import attention_ranking, household_shortfall, shortfall_score
from tests.metrics.test_metrics_status import _township, green


def _with_households(code, status, any_gap, checked, waiting, at_risk):
    t = _township(code, status)
    t["guarantees"] = {"any_gap": any_gap, "checked": checked}
    t["monitoring"] = {"unassisted_over_15d": waiting, "at_risk": at_risk}
    t["status_reasons"] = ["guarantee_gaps"] if any_gap else []
    return t


def test_shares_by_hand():
    f = green()
    assert household_shortfall(f) == 0.0  # no household blocks: nothing added
    f["guarantees"] = {"any_gap": 3, "checked": 12}
    f["monitoring"] = {"unassisted_over_15d": 2, "at_risk": 5}
    assert household_shortfall(f) == pytest.approx(3 / 12 + 2 / 5)
    assert shortfall_score(f) == pytest.approx(0.65)
    # zero denominators add nothing
    f["guarantees"] = {"any_gap": 0, "checked": 0}
    f["monitoring"] = {"unassisted_over_15d": 0, "at_risk": 0}
    assert household_shortfall(f) == 0.0


def test_yellow_townships_ranked_by_households_left_behind():
    report = {"townships": [
        _with_households("01", "yellow", any_gap=1, checked=10, waiting=0, at_risk=4),  # 0.1
        _with_households("02", "yellow", any_gap=5, checked=10, waiting=1, at_risk=4),  # .75
        _with_households("03", "green", any_gap=0, checked=10, waiting=0, at_risk=0),
    ]}
    ranked = attention_ranking(report)
    assert [r["township_code"] for r in ranked] == ["02", "01", "03"]
    assert [r["score"] for r in ranked] == pytest.approx([0.75, 0.1, 0.0])
