"""Every value format of the contract's table: input → parsed value or problem."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from duzhan.ledgers.values import (
    COORD_PLACES,
    display,
    mask,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    to_fen,
)

D = dt.date


@pytest.mark.parametrize("raw, value, reason", [
    ("  甲镇 ", "甲镇", None),
    ("", None, None),
    ("   ", None, None),
    (None, None, None),
    ("001", "001", None),  # leading zeros kept
    (522701101, "522701101", None),  # an Excel number cell in a code column
    (522701101.0, "522701101", None),
    (1.5, "1.5", None),
    (True, "TRUE", None),
    (dt.datetime(2024, 6, 30), "2024-06-30", None),
    ("a\x00b", None, "bad_text"),
    ("x" * 65, None, "too_long"),
    ("x" * 64, "x" * 64, None),
])
def test_text(raw, value, reason):
    p = parse_text(raw, max_length=64)
    assert (p.value, p.reason) == (value, reason)


@pytest.mark.parametrize("raw, value, reason", [
    ("12", 12, None),
    (" 12 ", 12, None),
    ("12.0", 12, None),
    ("12.00", 12, None),
    ("-3", -3, None),
    ("1,234", 1234, None),
    (12, 12, None),
    (12.0, 12, None),
    ("", None, None),
    (None, None, None),
    ("12.5", None, "bad_int"),
    (12.5, None, "bad_int"),
    ("abc", None, "bad_int"),
    ("1e3", None, "bad_int"),
    (True, None, "bad_int"),
    (dt.datetime(2024, 1, 1), None, "bad_int"),
    ("99999999999", None, "too_large"),
    (float("nan"), None, "bad_int"),
    ("１２", 12, None),  # full-width digits
])
def test_int(raw, value, reason):
    p = parse_int(raw)
    assert (p.value, p.reason) == (value, reason)


@pytest.mark.parametrize("raw, value, reason", [
    ("1,234.50", Decimal("1234.50"), None),
    ("1234.5", Decimal("1234.50"), None),
    ("1234", Decimal("1234.00"), None),
    (" 0.005 ", Decimal("0.01"), None),  # half-up to the fen
    ("0.004", Decimal("0.00"), None),
    ("2.675", Decimal("2.68"), None),  # exact decimal, not float rounding
    (2.675, Decimal("2.68"), None),  # a numeric cell: its shortest repr
    (1234.5, Decimal("1234.50"), None),
    (100000, Decimal("100000.00"), None),
    ("-12.5", Decimal("-12.50"), None),
    (".5", Decimal("0.50"), None),
    ("", None, None),
    ("1,23.4", None, "bad_decimal"),
    ("12,34", None, "bad_decimal"),
    ("abc", None, "bad_decimal"),
    ("1e5", None, "bad_decimal"),
    ("¥100", None, "bad_decimal"),
    ("NaN", None, "bad_decimal"),
    (float("inf"), None, "bad_decimal"),
    (False, None, "bad_decimal"),
    ("1" * 20, None, "too_large"),
])
def test_decimal(raw, value, reason):
    p = parse_decimal(raw)
    assert (p.value, p.reason) == (value, reason)


def test_decimal_coordinates_keep_six_places():
    assert parse_decimal("107.1234565", COORD_PLACES).value == Decimal("107.123457")
    assert parse_decimal(26.5, COORD_PLACES).value == Decimal("26.500000")


def test_fen():
    assert to_fen(Decimal("1234.50")) == 123450
    assert to_fen(Decimal("0.01")) == 1


@pytest.mark.parametrize("raw, value, reason", [
    ("2024-06-30", D(2024, 6, 30), None),
    ("2024/6/30", D(2024, 6, 30), None),
    ("2024.6.30", D(2024, 6, 30), None),
    ("2024年6月30日", D(2024, 6, 30), None),
    ("2024-06-30 00:00:00", D(2024, 6, 30), None),
    ("2024/6/3 00:00", D(2024, 6, 3), None),
    (" 2024-6-3 ", D(2024, 6, 3), None),
    (dt.datetime(2024, 6, 30), D(2024, 6, 30), None),
    (dt.datetime(2024, 6, 30, 15, 30), D(2024, 6, 30), None),
    (D(2024, 6, 30), D(2024, 6, 30), None),
    ("", None, None),
    (None, None, None),
    ("2024-02-30", None, "no_such_date"),
    ("2023年2月29日", None, "no_such_date"),
    ("2024-13-01", None, "no_such_date"),
    ("2024-06/30", None, "bad_date"),  # mixed separators
    ("30/06/2024", None, "bad_date"),
    ("20240630", None, "bad_date"),
    ("2024-06-30 12:00:00", None, "bad_date"),
    (45473, None, "bad_date"),  # a bare number, not a date cell
    (dt.time(12, 0), None, "bad_date"),
    ("yesterday", None, "bad_date"),
    # a sane range (1990-01-01 … 2100-12-31): a mistyped year is refused, not stored
    ("1990-01-01", D(1990, 1, 1), None),
    ("2100-12-31", D(2100, 12, 31), None),
    ("1989-12-31", None, "date_out_of_range"),
    ("2101-01-01", None, "date_out_of_range"),
    ("2300-01-09", None, "date_out_of_range"),
    ("1500年5月1日", None, "date_out_of_range"),
    (dt.datetime(2300, 1, 9), None, "date_out_of_range"),  # an Excel date cell
    (D(1500, 5, 1), None, "date_out_of_range"),
    ("0000-01-01", None, "no_such_date"),
])
def test_date(raw, value, reason):
    p = parse_date(raw)
    assert (p.value, p.reason) == (value, reason)


@pytest.mark.parametrize("raw, value, reason", [
    ("是", True, None), ("否", False, None),
    ("Y", True, None), ("n", False, None),
    ("YES", True, None), ("no", False, None),
    ("True", True, None), ("FALSE", False, None),
    ("1", True, None), ("0", False, None),
    (True, True, None), (False, False, None),
    (1, True, None), (0, False, None), (1.0, True, None),
    ("", False, None), (None, False, None), ("  ", False, None),
    ("maybe", None, "bad_bool"), (2, None, "bad_bool"), ("对", None, "bad_bool"),
])
def test_bool(raw, value, reason):
    p = parse_bool(raw)
    assert (p.value, p.reason) == (value, reason)


@pytest.mark.parametrize("raw, shown", [
    (None, ""), (12.0, "12"), (12.5, "12.5"), (True, "TRUE"),
    (dt.datetime(2024, 6, 30), "2024-06-30"), ("  x ", "  x "),
])
def test_display(raw, shown):
    assert display(raw) == shown


def test_mask():
    assert mask("5227011012010001") == "52****01"
    assert mask("H12") == "****"
