"""URL parameters → filters → scope, as a table of (input, expected)."""
import datetime as dt

import pytest

from duzhan.clock import default_as_of
from duzhan.views.filters import Filters, from_query

D = dt.date(2024, 6, 30)
KNOWN = {"101": "东片", "102": "东片", "103": "西片"}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, Filters(D)),
        ({"asof": "2024-05-01"}, Filters(dt.date(2024, 5, 1))),
        ({"asof": "2024-13-01"}, Filters(D)),  # bad date → default, not an error
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
