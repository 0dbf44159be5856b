"""The dashboard's data boundary: the one engine, and cached reads keyed by data version.

Every cached read takes `version` (the newest import id), so an import anywhere makes every
page read fresh numbers on its next run, with no restart. Call them with every argument,
positionally: the cache keys the arguments as given, so `ledgers(v, a, None)` and
`ledgers(v, a, None, None)` would be two entries and two reads of the store.

Shared, never copied: the ledger frames (`ledgers`) and what a page made once for a data
version, reader, scope, day and language (`per_view`: view models, figures, rendered maps)
are `st.cache_resource`, one object for every session, handed out without the unpickled copy
`st.cache_data` makes on each hit. Nothing downstream mutates them (pages, view models and
metrics derive new frames); tests/pages/test_shared_frames.py runs every page and checks
the cached frames are unchanged.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from duzhan.metrics.frames import Ledgers
from duzhan.metrics.report import metrics_report, scope_metrics
from duzhan.store import figures, lookup, read
from duzhan.store.db import make_engine, upgrade
from duzhan.store.read import DataScope


@st.cache_resource(show_spinner=False)
def engine():
    eng = make_engine()
    upgrade(eng)
    return eng


def version() -> int:
    return read.data_version(engine())


@st.cache_resource(show_spinner=False, max_entries=64)
def ledgers(version: int, allowed: tuple[str, ...] | None,
            selected: tuple[str, ...] | None, county: str | None) -> Ledgers:
    """The rows of the `selected` townships (None = all) among those the reader may see,
    of `county` (its townships and county-wide tasks; None = every county). Shared by every
    session: read, never mutate."""
    return read.load_ledgers(engine(), DataScope(allowed, selected, county))


@st.cache_data(show_spinner=False, max_entries=16)
def left_out(version: int, allowed: tuple[str, ...] | None) -> dict[str, int]:
    """Stored rows no figure counts (a date outside the accepted range), per ledger."""
    return read.left_out_rows(engine(), DataScope(allowed))


@st.cache_data(show_spinner=False, max_entries=16)
def townships(version: int, allowed: tuple[str, ...] | None) -> lookup.TownshipDirectory:
    return lookup.township_directory(engine(), DataScope(allowed))


@st.cache_data(show_spinner=False, max_entries=16)
def counties(version: int, allowed: tuple[str, ...] | None) -> lookup.CountyDirectory:
    """The counties of the townships the reader may see (empty: a store of one county)."""
    return lookup.county_directory(engine(), DataScope(allowed))


@st.cache_data(show_spinner=False, max_entries=16)
def last_event_date(version: int):
    return lookup.last_event_date(engine())


@st.cache_data(show_spinner=False, max_entries=16)
def data_status(version: int) -> read.DataStatus:
    return read.data_status(engine())


@st.cache_data(show_spinner=False, max_entries=256)
def report(version: int, allowed: tuple[str, ...] | None, as_of: dt.date,
           townships: tuple[str, ...] | None, county: str | None) -> dict:
    """The contract's metrics JSON: the county (all rows the reader may see, of `county`
    when given) and the townships in scope (None = every one the reader may see)."""
    return metrics_report(ledgers(version, allowed, None, county), as_of,
                          list(townships) if townships else None, county=county)


@st.cache_data(show_spinner=False, max_entries=64)
def province_report(version: int, allowed: tuple[str, ...] | None, as_of: dt.date) -> dict:
    """`report` of every county the reader may see, from the materialised figures (no
    read of the rows): the same JSON (tests/metrics/test_rollup.py); from the frames when
    some stored rows are left out, as the frames count those."""
    if left_out(version, allowed):
        return report(version, allowed, as_of, None, None)
    return figures.report(engine(), as_of, within=allowed)


@st.cache_data(show_spinner=False, max_entries=16)
def phases(version: int):
    """The phases ledger alone (where a page needs no other rows)."""
    return read.phases(engine())


@st.cache_data(show_spinner=False, max_entries=256)
def scope(version: int, allowed: tuple[str, ...] | None, as_of: dt.date,
          townships: tuple[str, ...] | None, county: str | None) -> dict:
    """The figures of the filtered scope: the county (`county`, or every row), or the sum
    of the chosen townships."""
    return scope_metrics(ledgers(version, allowed, None, county), as_of,
                         list(townships) if townships else None, county=county)


T = TypeVar("T")


@st.cache_resource(show_spinner=False, max_entries=512)
def per_view(what: tuple, version: int, allowed: tuple[str, ...] | None,
             codes: tuple[str, ...] | None, as_of: dt.date, lang: str,
             _make: Callable[[], T], county: str | None = None) -> T:
    """`_make()`, once per (`what`, data version, reader, county, scope, as-of day,
    language): `what`
    names the thing and holds every other input it depends on (page, meeting mode, a
    widget's value). Shared by every session: read, never mutate."""
    return _make()


@st.cache_resource(show_spinner=False)
def _all_boundaries():
    from duzhan.geo.boundaries import default_path, load_boundaries

    if not default_path().exists():
        return None
    return load_boundaries()


@st.cache_resource(show_spinner=False, max_entries=64)
def boundaries(allowed: tuple[str, ...] | None):
    """The polygons (geo/townships.geojson, or $DUZHAN_GEO) of the townships a reader may
    see (`allowed`, None = all) as a GeoDataFrame: another township's name or outline never
    reaches its map. None when the file is missing. Shared, do not mutate."""
    gdf = _all_boundaries()
    if gdf is None or allowed is None:
        return gdf
    mine = gdf[gdf["township_code"].isin(allowed)].reset_index(drop=True)
    return mine if len(mine) else None


@st.cache_resource(show_spinner=False)
def static_assets() -> str:
    """Copy the local Leaflet into static/ once per process (the maps load it from there)."""
    from duzhan.geo.assets import ensure_static_assets

    return str(ensure_static_assets())
