"""URL parameters → filters → scope, as a table of (input, expected)."""
import datetime as dt

import pytest

from duzhan.clock import default_as_of
from duzhan.views.filters import Filters, as_of_bounds, as_of_notice, from_query

D = dt.date(2024, 6, 30)
KNOWN = {"101": "东片", "102": "东片", "103": "西片"}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, Filters(D)),
        ({"asof": "2024-05-01"}, Filters(dt.date(2024, 5, 1))),
        ({"asof": "2024-13-01"}, Filters(D, refused_as_of="2024-13-01")),  # → default, noted
        ({"asof": ["2024-05-01", "2024-05-02"]}, Filters(dt.date(2024, 5, 2))),
        ({"t": "101,103"}, Filters(D, ("101", "103"))),
        ({"t": "101,999,101"}, Filters(D, ("101",))),  # unknown dropped, duplicates once
        ({"area": "东片"}, Filters(D, area="东片")),
        ({"area": "北片"}, Filters(D)),  # unknown area ignored
        ({"lang": "en"}, Filters(D, lang="en")),
        ({"lang": "fr"}, Filters(D)),
        ({"meeting": "1"}, Filters(D, meeting=True)),
        ({"meeting": "0"}, Filters(D)),
    ],
)
def test_from_query(params, expected):
    assert from_query(params, D, KNOWN) == expected


BOUNDS = as_of_bounds(dt.date(2026, 12, 2))


def test_as_of_bounds_are_the_date_pickers_range():
    assert BOUNDS == (dt.date(2015, 1, 1), dt.date(2027, 12, 3))


@pytest.mark.parametrize("asked, used", [
    ("2015-01-01", dt.date(2015, 1, 1)), ("2027-12-03", dt.date(2027, 12, 3)),  # the edges
    ("1900-01-01", None), ("2014-12-31", None), ("2028-06-01", None), ("9999-12-31", None),
    ("0001-01-01", None), ("2027-12-04", None), ("<script>", None), ("", D),
])
def test_an_as_of_outside_the_range_falls_back_and_is_kept_for_the_notice(asked, used):
    f = from_query({"asof": asked}, D, KNOWN, BOUNDS)
    assert f.as_of == (used or D)
    assert f.refused_as_of == (None if used else asked)
    assert "asof" not in f.to_query(D) or used  # the URL is rewritten to the date shown


def test_as_of_notice_names_the_range_and_the_date_shown():
    assert as_of_notice("9999-12-31", BOUNDS, D, "zh") == (
        "链接中的统计日期 9999年12月31日 不在可选范围（2015年1月1日至2027年12月3日）内，"
        "现显示截至2024年6月30日的数据。")
    assert as_of_notice("2014-12-31", BOUNDS, D, "en") == (
        "The link's as-of date 2014-12-31 lies outside the range the dashboard offers "
        "(2015-01-01 to 2027-12-03); showing 2024-06-30 instead.")
    # a text that is not a date is never echoed back
    assert as_of_notice("<img src=x onerror=alert(1)>", BOUNDS, D, "en") == (
        "The link's as-of date is not a date (YYYY-MM-DD); showing 2024-06-30 instead.")


@pytest.mark.parametrize(
    "filters, query",
    [
        (Filters(D), {}),
        (Filters(dt.date(2024, 5, 1)), {"asof": "2024-05-01"}),
        (Filters(D, ("101", "102"), "东片", "en", True),
         {"t": "101,102", "area": "东片", "lang": "en", "meeting": "1"}),
    ],
)
def test_to_query_round_trips(filters, query):
    assert filters.to_query(D) == query
    assert from_query(query, D, KNOWN) == filters


@pytest.mark.parametrize(
    "filters, codes",
    [
        (Filters(D), None),
        (Filters(D, ("103",)), ("103",)),
        (Filters(D, area="东片"), ("101", "102")),
        (Filters(D, ("102", "103"), "东片"), ("102",)),
        (Filters(D, ("103",), "东片"), ()),  # nothing of the pick lies in the area
    ],
)
def test_scope_codes(filters, codes):
    assert filters.scope_codes(KNOWN) == codes


@pytest.mark.parametrize(
    "today, last, expected",
    [
        (D, None, D),
        (D, dt.date(2024, 6, 1), dt.date(2024, 6, 1)),
        (D, dt.date(2024, 7, 1), D),
    ],
)
def test_default_as_of(today, last, expected):
    assert default_as_of(last, today) == expected
