"""Map classification: Fisher–Jenks classes, colours, legend labels and the figures table,
with no folium."""
from __future__ import annotations

import mapclassify
import pytest

from duzhan.geo import classification as cl
from duzhan.presentation.palette import NEUTRAL, SEQUENTIAL, STATUS_COLORS, STATUS_SYMBOLS

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed")


def test_classes_equal_mapclassify_fisher_jenks(tiny):
    gdf, report, rates, _ = tiny
    cls = cl.classify(report, "overdue_rate", "zh")
    ref = mapclassify.FisherJenks(list(rates.values()), k=5)
    assert list(cls.legend.bins) == pytest.approx(list(ref.bins))
    assert {c: int(k) for c, k in cls.class_of.items()} == dict(zip(rates, map(int, ref.yb), strict=False))
    assert [c.count for c in cls.legend.classes] == [int((ref.yb == i).sum()) for i in range(5)]
    assert cls.legend.scheme == "FisherJenks" and cls.legend.no_data is None
    # higher overdue rate = worse = darker: the ramp runs light → dark
    assert [c.color for c in cls.legend.classes] == SEQUENTIAL
    assert cls.color_of["T5"] == SEQUENTIAL[-1] and cls.color_of["T0"] == SEQUENTIAL[0]


def test_fewer_distinct_values_fewer_classes_and_no_data(tiny):
    _, report, _, closures = tiny
    cls = cl.classify(report, "closure_rate", "zh")
    # 5 known values → 5 classes; the township with no issues is "no data", grey
    assert len(cls.legend.classes) == 5
    assert cls.legend.no_data is not None and cls.legend.no_data.count == 1
    assert cls.color_of["T5"] == NEUTRAL and cls.class_of["T5"] == "none"
    # lower closure rate = worse = darker: the lowest class is the darkest
    assert cls.color_of["T4"] == SEQUENTIAL[-1] and cls.color_of["T0"] == SEQUENTIAL[0]
    two = cl.classify_values({"a": 0, "b": 0, "c": 29}, "overdue_open", "zh")
    assert [(c.label, c.count) for c in two.legend.classes] == [("0", 2), ("29", 1)]
    one = cl.classify_values({"a": 0.5, "b": 0.5}, "disbursement_rate", "en")
    assert [(c.label, c.count) for c in one.legend.classes] == [("50.0%", 2)]
    none = cl.classify_values({"a": None}, "par30", "zh")
    assert none.legend.classes == () and none.color_of == {"a": NEUTRAL}


def test_class_labels_are_member_ranges(tiny):
    _, report, _, _ = tiny
    cls = cl.classify(report, "overdue_rate", "en")
    for c in cls.legend.classes:
        assert c.label.split(" – ")[0] == f"{c.low * 100:.1f}%"
        assert c.label.split(" – ")[-1] == f"{c.high * 100:.1f}%"


def test_status_is_categorical_with_palette(tiny):
    _, report, _, _ = tiny
    cls = cl.classify(report, "status", "zh")
    assert cls.legend.kind == "categorical"
    assert [(c.key, c.color, c.symbol, c.count) for c in cls.legend.classes] == [
        ("red", STATUS_COLORS["red"], STATUS_SYMBOLS["red"], 1),
        ("yellow", STATUS_COLORS["yellow"], STATUS_SYMBOLS["yellow"], 2),
        ("green", STATUS_COLORS["green"], STATUS_SYMBOLS["green"], 3),
    ]
    assert cls.legend.classes[0].label == "● 红灯"
    for e in report["townships"]:
        assert cls.color_of[e["township_code"]] == STATUS_COLORS[e["status"]]


def test_figures_frame(tiny):
    _, report, rates, _ = tiny
    df = cl.figures_frame(report)
    assert list(df["township_code"]) == list(rates)
    assert list(df["overdue_rate"]) == list(rates.values())
    assert list(df["tasks_overdue"]) == [0] * 6
