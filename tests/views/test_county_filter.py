"""The county filter without Streamlit: its URL form (`c=`), the townships it keeps, the
scope label that names the county, the counties a limited reader may choose."""
from __future__ import annotations

import datetime as dt

from duzhan.presentation.words import scope_label
from duzhan.store.db import make_engine
from duzhan.store.lookup import county_directory
from duzhan.store.read import DataScope, load_ledgers
from duzhan.views.filters import Filters, from_query

D = dt.date(2026, 11, 18)
TOWNS = {"a1": None, "a2": "东片", "b1": "西片", "b2": None}
COUNTIES = {"A": ("a1", "a2"), "B": ("b1", "b2")}


def test_a_known_county_is_read_and_keeps_only_its_townships():
    f = from_query({"c": "B", "t": "a1,b2,b1", "area": "东片"}, D, TOWNS,
                   known_counties=COUNTIES)
    assert f.county == "B" and f.townships == ("b2", "b1")
    assert f.area is None  # 东片 lies in county A
    assert f.to_query(D) == {"c": "B", "t": "b2,b1"}
    assert from_query(f.to_query(D), D, TOWNS, known_counties=COUNTIES) == f


def test_an_unknown_county_or_a_store_of_one_county_reads_no_county():
    assert from_query({"c": "Z", "t": "a1"}, D, TOWNS, known_counties=COUNTIES) == Filters(
        D, ("a1",))
    assert from_query({"c": "A"}, D, TOWNS).county is None
    assert Filters(D).to_query(D) == {}


def test_scope_label_names_the_county():
    names = {"b1": "北镇", "b2": "南乡"}
    assert scope_label(None, names, county="白安县") == "白安县"
    assert scope_label(["b1"], names, county="白安县") == "白安县·北镇"
    assert scope_label(["b1", "b2"], names, "en", county="Baian") == "Baian · 北镇、南乡"
    assert scope_label(None, names) == "全县"  # one county: as before


def test_a_limited_reader_chooses_only_among_its_own_counties(province_store):
    engine = make_engine(province_store[0])
    try:
        every = county_directory(engine)
        assert list(every.names) == sorted(every.names) and len(every.names) == 3
        first, second = list(every.names)[:2]
        mine = every.townships[first][:2]
        one = county_directory(engine, DataScope(allowed=mine))
        assert one.names == {first: every.names[first]} and one.townships == {first: mine}
        both = county_directory(engine, DataScope(allowed=(*mine, every.townships[second][0])))
        assert list(both.names) == [first, second]
        # choosing the county widens nothing: its county-wide tasks stay out, as do the
        # other townships of the county
        led = load_ledgers(engine, DataScope(allowed=mine, county=first))
        assert set(led.tasks["township_code"]) <= set(mine)
        assert set(led.issues["township_code"]) == set(mine)
    finally:
        engine.dispose()
