"""The cached map path (views.foliummap: render once, draw from the parts) sends
streamlit-folium's component exactly what `st_folium` would send for the same map, so
clicks, offline assets and the component's state key behave as before."""
from __future__ import annotations

import copy

import pandas as pd
import pytest
import streamlit_folium as stf

from duzhan.geo import mapview
from duzhan.geo.boundaries import load_boundaries
from duzhan.views import foliummap
from tests.geo.helpers import entry

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed")


@pytest.fixture
def demo_map():
    gdf = load_boundaries()
    report = {"townships": [entry(c, n, status="red" if i == 0 else "green")
                            for i, (c, n) in enumerate(zip(gdf["township_code"],
                                                           gdf["township_name"], strict=True))]}
    villages = pd.DataFrame({"village_name": ["甲村", "乙<b>村"], "longitude": [107.05, 107.25],
                             "latitude": [26.55, 26.55]})
    m, _ = mapview.build_map(gdf, report, "status", "zh", villages=villages,
                             scope=[gdf["township_code"].iloc[0]])
    return m


@pytest.mark.parametrize("returned", [[], ["last_active_drawing"]])
def test_parts_drawn_equal_st_folium(demo_map, monkeypatch, returned):
    calls: list[dict] = []
    monkeypatch.setattr(stf, "_component_func", lambda **kw: calls.append(kw) or kw["default"])
    stf.st_folium(copy.deepcopy(demo_map), key="township_map", height=560,
                  use_container_width=True, returned_objects=returned)
    parts = foliummap.render(copy.deepcopy(demo_map))
    out = foliummap.draw(parts, key="township_map", height=560, returned_objects=returned)
    want, got = ({k: v for k, v in c.items() if k != "on_change"} for c in calls)
    assert got == want
    assert out == want["default"] == {k: None for k in returned}
    assert "geo_json_" in got["script"] and got["js_links"] == [mapview.LEAFLET_JS[0][1]]


def test_parts_survive_a_pickle_and_draw_again(demo_map, monkeypatch):
    """The parts are plain data: the same arguments from a copy (a cache hit)."""
    import pickle

    calls: list[dict] = []
    monkeypatch.setattr(stf, "_component_func", lambda **kw: calls.append(kw))
    parts = foliummap.render(demo_map)
    for p in (parts, pickle.loads(pickle.dumps(parts))):
        foliummap.draw(p, key="overview_map", height=350)
    a, b = ({k: v for k, v in c.items() if k != "on_change"} for c in calls)
    assert a == b
