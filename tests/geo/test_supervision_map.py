"""The map's 督导 measures (coverage this month, yellow cards, reporting rate); the relocation
sites: tests/geo/test_site_markers.py."""
from __future__ import annotations

from duzhan.geo import classification as cl


def _with_supervision(report):
    coverage = [1.0, 0.5, 0.5, 0.0, None, 0.25]
    yellow = [0, 0, 1, 2, 0, 3]
    rate = [1.0, 0.9, 0.9, 0.8, None, 0.5]
    for e, c, y, r in zip(report["townships"], coverage, yellow, rate, strict=True):
        e["supervision"] = {"coverage_this_month": c, "yellow_cards_28d": y}
        e["reports"] = {"reporting_rate": r}
    return report


def test_supervision_measures_classify(tiny):
    _, report, _, _ = tiny
    report = _with_supervision(report)
    cov = cl.classify(report, "coverage_this_month", "zh")
    assert cov.class_of["T4"] == "none"  # no listed objects: no data
    # low coverage is the worse end: the darkest colour
    assert cov.class_of["T3"] == "0" and cov.color_of["T3"] == cl.SEQUENTIAL[-1]
    yellow = cl.classify(report, "yellow_cards_28d", "zh")
    assert yellow.class_of["T5"] == str(len(yellow.legend.classes) - 1)  # most cards: darkest
    assert cl.metric_value(report["townships"][3], "reporting_rate") == 0.8
    tip = cl.feature_properties(report["townships"][1], "reporting_rate", "zh")
    assert tip["value_text"] == "90.0%"
    assert tip["supervision_text"] == cl.t("map.tip.supervision", "zh", coverage="50.0%",
                                           yellow="0", rate="90.0%")
    frame = cl.figures_frame(report)
    assert list(frame["yellow_cards_28d"]) == [0, 0, 1, 2, 0, 3]


