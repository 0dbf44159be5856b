"""What the dashboard caches as shared objects (views.data: the ledger frames, per_view's view
models, figures and rendered maps) is handed to every session without a copy, so no page
may change it: after every page has run, in several scopes, modes and languages, the cached
frames equal a fresh read from the store, and a page drawn again from the cache shows the
same charts and tables as when it was first made."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from duzhan.store.db import make_engine
from duzhan.store.read import DataScope, load_ledgers
from duzhan.views import data, registry
from tests.pages.conftest import chart_specs, open_page, page_ctx
from tests.views.helpers import TimingRecords

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed")

TOWNSHIP = "522799110"
QUERIES = ({}, {"t": TOWNSHIP, "meeting": "1"}, {"lang": "en"})


def _drawn(at) -> tuple[list, list[str]]:
    """The page's charts (figure JSON; the ones drawn as HTML, such as the overview's status
    strip and the static tables, as their HTML) and data grids (as CSV) in page order."""
    specs = chart_specs(at)
    for s in specs:
        s.get("layout", {}).pop("template", None)
    strips = [md.value for md in at.markdown if md.value.lstrip().startswith("<")]
    return specs + strips, [df.value.to_csv(index=False) for df in at.dataframe]


def _visit(at, entry) -> list[str]:
    """The page drawn (its charts on demand too); the slug of each run it took."""
    at.switch_page(entry.script)
    at.run()
    assert not at.exception, at.exception
    if entry.slug != "overview" or not at.expander:
        return [entry.slug]
    at.session_state["overview_compare"] = True  # its charts: drawn once this is opened
    at.run()
    assert not at.exception, at.exception
    return [entry.slug] * 2


def _same_frame(got: pd.DataFrame, want: pd.DataFrame, name: str) -> None:
    assert list(got.columns) == list(want.columns), name
    assert list(got.dtypes.astype(str)) == list(want.dtypes.astype(str)), name
    pd.testing.assert_frame_equal(got, want, obj=name)


@pytest.mark.parametrize("query", QUERIES, ids=["county", "township-meeting", "en"])
def test_pages_leave_the_shared_objects_as_they_found_them(app, demo_db_url, query):
    first: dict[str, tuple] = {}
    at = open_page(app, registry.default_page().slug, **query)
    runs = []
    with TimingRecords() as records:
        for entry in registry.PAGES:
            runs += _visit(at, entry)
            first[entry.slug] = _drawn(at)
    # each run logged its page and server time (app.py → duzhan.timing)
    assert [r.getMessage().split()[0] for r in records] == [f"page={slug}" for slug in runs]
    ctx = page_ctx(at)

    # the frames every page read: one shared object, still equal to the store's rows
    cached = data.ledgers(ctx.version, ctx.access.allowed, None, None)
    assert data.ledgers(ctx.version, ctx.access.allowed, None, None) is cached
    fresh = load_ledgers(make_engine(demo_db_url), DataScope(ctx.access.allowed))
    for name, frame in fresh.frames.items():
        assert len(frame), name  # the demo fills every ledger
        _same_frame(cached.frames[name], frame, name)
    if ctx.codes is not None:
        scoped = data.ledgers(ctx.version, ctx.access.allowed, ctx.codes, None)
        want = load_ledgers(make_engine(demo_db_url), DataScope(ctx.access.allowed, ctx.codes))
        for name, frame in want.frames.items():
            _same_frame(scoped.frames[name], frame, name)

    # each page again, now from the cache: the same figures and tables
    for entry in registry.PAGES:
        _visit(at, entry)
        charts, tables = _drawn(at)
        want_charts, want_tables = first[entry.slug]
        assert json.dumps(charts, sort_keys=True) == json.dumps(want_charts, sort_keys=True), \
            entry.slug
        assert tables == want_tables, entry.slug
        if entry.slug not in ("data", "map", "audit"):  # the audit log is a table only
            assert charts, entry.slug  # the comparison saw something
