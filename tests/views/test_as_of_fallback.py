"""A link whose asof lies outside the date picker's range opens every page on the default
date with a notice saying so, never a traceback."""
from __future__ import annotations

import pytest

from duzhan import clock
from duzhan.i18n import t
from duzhan.views import filters, registry
from tests.pages.conftest import (
    cached_app,  # noqa: F401
    caches_per_module,  # noqa: F401
    open_page,
    page_ctx,
)

ASKED = ["1900-01-01", "2014-12-31", "2028-06-01", "9999-12-31", "not-a-date"]


@pytest.fixture
def app(cached_app):
    return cached_app  # every test falls back to the same default date on the same store


@pytest.mark.parametrize("page", [p.slug for p in registry.PAGES])
@pytest.mark.parametrize("asked", ASKED)
def test_out_of_range_as_of_falls_back_with_a_notice(app, page, asked):
    at = open_page(app, page, asof=asked, lang="en")  # asserts no exception
    ctx = page_ctx(at)
    bounds = filters.as_of_bounds(clock.today())
    if asked == "2028-06-01" and asked <= bounds[1].isoformat():
        pytest.fail("the range moved: pick a date beyond today + 366 days")
    notice = filters.as_of_notice(asked, bounds, ctx.as_of, "en")
    assert [w.value for w in at.warning if w.value == notice] == [notice]
    assert at.sidebar.date_input[0].value == ctx.as_of
    # the notice stays until the reader picks a date
    at.run()
    assert notice in [w.value for w in at.warning]
    at.sidebar.date_input[0].set_value(bounds[0]).run()
    assert not at.exception and notice not in [w.value for w in at.warning]
    assert t("filter.as_of", "en") == at.sidebar.date_input[0].label
