import datetime as dt
from decimal import Decimal

import pytest

from duzhan.views import format as fmt


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
