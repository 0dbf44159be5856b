import datetime as dt
from decimal import Decimal

import pytest

from duzhan.presentation import format as fmt


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        (Decimal("1234567.80"), "zh", "123.46 万元"),
        (0, "zh", "0.00 万元"),
        (None, "zh", "—"),
        (Decimal("123456789.00"), "en", "12,345.68 ×10k yuan"),
    ],
)
def test_wan(value, lang, expected):
    assert fmt.wan(value, lang) == expected


@pytest.mark.parametrize(
    "rate, signed, expected",
    [(0.834, False, "83.4%"), (None, False, "—"), (-0.0512, True, "-5.1%"), (0.03, True, "+3.0%")],
)
def test_pct(rate, signed, expected):
    assert fmt.pct(rate, signed) == expected


def test_day():
    assert fmt.day(dt.date(2024, 6, 30), "zh") == "2024年6月30日"
    assert fmt.day("2024-06-30", "en") == "2024-06-30"
    assert fmt.day(None) == "—"


@pytest.mark.parametrize(
    "now, then, kind, lang, expected",
    [
        # counts: signed, thousands separators
        (12, 9, "count", "zh", "+3"),
        (4, 5, "count", "zh", "-1"),
        (5_234, 1_000, "count", "en", "+4,234"),
        # rates as fractions in, percentage points out
        (0.512, 0.5, "pp", "zh", "+1.2个百分点"),
        (0.03, 0.045, "pp", "en", "-1.5 pp"),
        # yuan in, 万元 out
        (Decimal("1123400.00"), Decimal("1000000.00"), "wan", "zh", "+12.34 万元"),
        (1_000_000, 1_250_000.5, "wan", "en", "-25.00 ×10k yuan"),
        (123_456_789, 0, "wan", "zh", "+12,345.68 万元"),
        # dates (or day counts) in, days out
        (dt.date(2024, 9, 30), dt.date(2024, 9, 17), "days", "zh", "+13 天"),
        (dt.date(2024, 9, 17), dt.date(2024, 9, 30), "days", "en", "-13 days"),
        (20, 7, "days", "en", "+13 days"),
        # a change that shows as zero has no sign, whichever side it rounds from
        (7, 7, "count", "zh", "0"),
        (0.5, 0.5, "pp", "zh", "0.0个百分点"),
        (0.5004, 0.5, "pp", "en", "0.0 pp"),
        (0.5, 0.5004, "pp", "zh", "0.0个百分点"),
        (1_000_000, 1_000_049, "wan", "zh", "0.00 万元"),
        (Decimal("50.00"), Decimal("0.00"), "wan", "en", "0.00 ×10k yuan"),  # the 1 of 10k
        (dt.date(2024, 9, 30), dt.date(2024, 9, 30), "days", "zh", "0 天"),
        (0, 0, "days", "en", "0 days"),
        # the smallest change that shows keeps its sign
        (0.5006, 0.5, "pp", "zh", "+0.1个百分点"),
        (1_000_000, 1_000_051, "wan", "zh", "-0.01 万元"),
    ],
)
def test_change(now, then, kind, lang, expected):
    shown = fmt.change(now, then, kind, lang)
    assert shown == expected
    assert fmt.is_no_change(shown) == (expected[0] not in "+-")


@pytest.mark.parametrize("kind", ["count", "pp", "wan", "days"])
@pytest.mark.parametrize("now, then", [(None, 1), (1, None), (None, None)])
def test_change_none_when_a_side_is_missing(now, then, kind):
    assert fmt.change(now, then, kind, "zh") is None
    assert not fmt.is_no_change(None)


def test_change_unknown_kind():
    with pytest.raises(ValueError):
        fmt.change(2, 1, "percent", "zh")


@pytest.mark.parametrize("delta, lang, signed, expected", [
    (-0.018, "zh", True, "-1.8个百分点"), (-0.018, "en", True, "-1.8 pp"),
    (0.145, "zh", False, "14.5个百分点"), (0.0, "en", True, "+0.0 pp"), (None, "zh", True, "—"),
])
def test_percentage_points_one_way(delta, lang, signed, expected):
    # a gap of two rates (拨付率 − 序时进度) is never written as a percentage
    assert fmt.pp(delta, lang, signed) == expected


def test_plotly_day_format_matches_day():
    # d3's %-m/%-d drop the zero as format.day does: 2026年3月5日 / 2026-03-05
    assert fmt.day(dt.date(2026, 3, 5), "zh") == "2026年3月5日" and fmt.day_d3("zh") == "%Y年%-m月%-d日"
    assert fmt.day(dt.date(2026, 3, 5), "en") == "2026-03-05" and fmt.day_d3("en") == "%Y-%m-%d"
