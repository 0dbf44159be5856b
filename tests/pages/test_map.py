"""乡镇地图 page, from the entry point: the map's GeoJSON colours and classes, its legend and
the table under it equal the metrics for the same scope and as-of date; a click filters."""
from __future__ import annotations

import datetime as dt
import json
import re

import mapclassify
import pytest

from duzhan.geo import classification
from duzhan.i18n import t
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import STATUS_COLORS, STATUS_SYMBOLS
from duzhan.viewmodels.map import FIGURE_GROUPS, figure_columns
from tests.geo.helpers import site_points, village_points
from tests.pages.conftest import (
    download_buttons,
    expected_report,
    open_page,
    page_ctx,
    shown_tables,
)


@pytest.fixture
def app(cached_app):
    return cached_app  # every test here only reads the demo store: caches per module


pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed")

TOWNSHIP = "522799110"  # 石门乡
OTHER = "522799111"  # 白岩乡


def _map(at) -> tuple[dict, dict[str, dict]]:
    maps = at.get("component_instance")
    assert len(maps) == 1
    args = json.loads(maps[0].proto.json_args)
    i = re.search(r"geo_json_\w+_add\(", args["script"]).end()
    fc = json.JSONDecoder().raw_decode(args["script"][i:])[0]
    return args, {f["properties"]["township_code"]: f["properties"] for f in fc["features"]}


def _table(at):
    """The figures table as shown: its tabs (a topic's columns each, after the township's
    name and status), side by side."""
    import pandas as pd

    tabs = [f for f in shown_tables(at) if "township_name" in f.columns]
    assert len(tabs) == len(FIGURE_GROUPS)
    lead = [c for c in tabs[0].columns if c in ("township_name", "status", "cls_label")]
    for f in tabs[1:]:
        assert f[lead].equals(tabs[0][lead])  # every tab: the same townships, in order
    return pd.concat([tabs[0], *(f.drop(columns=lead) for f in tabs[1:])], axis=1)


def _cell(metric: str, key: str, value, lang: str = "zh") -> str:
    """`value` as the table's column `key` shows it."""
    col = next(c for c in figure_columns(metric, lang) if c.key == key)
    return fmt.column_cell(value, col.kind, col.format)


def _legend(at) -> str:
    return next(md.value for md in at.markdown if "duzhan-legend" in md.value)


def check_map(at, ledgers, metric: str, lang: str = "zh"):
    ctx = page_ctx(at)
    D, codes = ctx.as_of, list(ctx.codes) if ctx.codes else None
    county = expected_report(ledgers, D, None)
    args, props = _map(at)

    # offline: only the local Leaflet, no tiles
    assert args["js_links"] == ["/app/static/vendor/leaflet/leaflet.js"]
    assert args["css_links"] == ["/app/static/vendor/leaflet/leaflet.css"]
    assert "tileLayer" not in args["script"]
    assert args["returned_objects"] == ["last_active_drawing"]

    # every township coloured from the county figures; the scope outlined
    assert set(props) == {e["township_code"] for e in county["townships"]}
    values = {e["township_code"]: classification.metric_value(e, metric) for e in county["townships"]}
    if metric == "status":
        for code, s in values.items():
            assert props[code]["fill"] == STATUS_COLORS[s] and props[code]["cls"] == s
    else:
        known = {c: v for c, v in values.items() if v is not None}
        k = min(5, len(set(known.values())))
        ref = mapclassify.FisherJenks(list(known.values()), k=k) if k > 1 else None
        colors = classification.ramp(k, classification.METRICS[metric].worse)
        for i, code in enumerate(known):
            cls = int(ref.yb[i]) if ref is not None else 0
            assert props[code]["cls"] == str(cls)
            assert props[code]["fill"] == colors[cls]
        legend = _legend(at)
        for c in colors:
            assert c in legend
    by_code = {e["township_code"]: e for e in county["townships"]}
    for code, p in props.items():
        e = by_code[code]
        assert p["selected"] == (codes is not None and code in codes)
        assert p["status_text"] == f"{STATUS_SYMBOLS[e['status']]} {t('status.' + e['status'], lang)}"
        assert p["value_text"] == classification.format_value(metric, values[code], lang)
        assert fmt.pct(e["issues"]["closure_rate"]) in p["issues_text"]
        assert fmt.pct(e["funds"]["disbursement_rate"]) in p["funds_text"]

    # the table: the townships in scope with their figures
    rep = expected_report(ledgers, D, codes)
    table = _table(at)
    assert list(table["township_name"]) == [e["township_name"] for e in rep["townships"]]
    for (_, row), e in zip(table.iterrows(), rep["townships"], strict=True):
        assert row.status == f"{STATUS_SYMBOLS[e['status']]} {t('status.' + e['status'], lang)}"
        assert row.overdue_open == _cell(metric, "overdue_open", e["issues"]["overdue_open"], lang)
        assert row.open_issues == _cell(metric, "open_issues", e["issues"]["open"], lang)
        for col, path in (("closure_rate", ("issues", "closure_rate")),
                          ("disbursement_rate", ("funds", "disbursement_rate")),
                          ("progress_gap", ("funds", "progress_gap")),
                          ("overdue_rate", ("loans", "overdue_rate")),
                          ("par30", ("loans", "par30"))):
            v = e[path[0]][path[1]]
            assert row[col] == _cell(metric, col, None if v is None else v * 100, lang), col
        assert row.balance == _cell(metric, "balance", e["loans"]["balance"] / 10_000, lang)
    return ctx


def test_county_status(app, demo_ledgers):
    at = open_page(app, "map")
    ctx = check_map(at, demo_ledgers, "status")
    assert ctx.codes is None
    legend = _legend(at)
    for s in ("red", "yellow", "green"):
        assert STATUS_COLORS[s] in legend and f"{STATUS_SYMBOLS[s]} {t('status.' + s)}" in legend
    # listed villages as circle markers (no image icons)
    listed = demo_ledgers.villages[demo_ledgers.villages["listed"]]
    args, _ = _map(at)
    assert sorted(p["properties"]["village_name"] for p in village_points(args["script"])) \
        == sorted(listed["village_name"]) and len(listed) > 0
    assert "L.CircleMarker(latlng" in args["script"] and "L.icon(" not in args["script"]


def test_meeting_mode_hides_the_pickers_and_shows_the_defaults(app, demo_ledgers):
    at = open_page(app, "map", meeting="1")
    assert page_ctx(at).filters.meeting
    # the projector shows the figures, not the tools (the sidebar's filters are only hidden)
    assert not [w for w in (*at.selectbox, *at.toggle) if w.key in ("map_metric", "map_villages")]
    # the default measure: status colours from the county figures
    county = expected_report(demo_ledgers, page_ctx(at).as_of, None)
    props = _map(at)[1]
    assert {c: p["fill"] for c, p in props.items()} == {
        e["township_code"]: STATUS_COLORS[e["status"]] for e in county["townships"]}
    listed = demo_ledgers.villages[demo_ledgers.villages["listed"]]
    assert len(village_points(_map(at)[0]["script"])) == len(listed) > 0  # villages on
    assert "font:20px" in json.dumps(_map(at)[0])  # the projector-size labels


@pytest.mark.parametrize("metric", ["overdue_rate", "closure_rate", "progress_gap", "overdue_open"])
def test_metric_classes(app, demo_ledgers, metric):
    at = open_page(app, "map")
    at.selectbox(key="map_metric").set_value(metric).run()
    assert not at.exception
    check_map(at, demo_ledgers, metric)


def test_single_township_past_date(app, demo_ledgers):
    year = demo_ledgers.phases["start_date"].min().year
    at = open_page(app, "map", t=TOWNSHIP, asof=f"{year}-06-30")
    ctx = check_map(at, demo_ledgers, "status")
    assert ctx.codes == (TOWNSHIP,) and ctx.as_of == dt.date(year, 6, 30)
    assert len(_table(at)) == 1
    # listed villages of the scope only
    args, _ = _map(at)
    v = demo_ledgers.villages
    assert len(village_points(args["script"])) == int(
        (v["listed"] & (v["township_code"] == TOWNSHIP)).sum()) > 0


def test_english(app, demo_ledgers):
    at = open_page(app, "map", lang="en")
    at.selectbox(key="map_metric").set_value("par30").run()
    check_map(at, demo_ledgers, "par30", "en")
    assert "Fisher-Jenks" in _legend(at)
    assert at.selectbox(key="map_metric").format_func("par30") == "PAR30"


def test_click_filters_to_township(app, demo_ledgers):
    at = open_page(app, "map")
    args, _ = _map(at)
    # what the component returns when a township polygon is clicked
    at.session_state[args["key"]] = {"last_active_drawing": {
        "type": "Feature", "properties": {"township_code": OTHER}}}
    at.run()
    assert not at.exception
    assert page_ctx(at).codes == (OTHER,)
    assert at.query_params["t"] in (OTHER, [OTHER])
    _, props = _map(at)
    assert props[OTHER]["selected"] and not props[TOWNSHIP]["selected"]
    # back to the county
    at.button(key="map_clear").click().run()
    assert not at.exception
    assert page_ctx(at).codes is None and "t" not in at.query_params


def test_click_clears_an_area_that_does_not_hold_the_township(app, demo_ledgers):
    at = open_page(app, "map", area="北部片区")
    args, _ = _map(at)
    at.session_state[args["key"]] = {"last_active_drawing": {
        "type": "Feature", "properties": {"township_code": OTHER}}}
    at.run()
    ctx = page_ctx(at)
    assert ctx.codes == (OTHER,) and ctx.filters.area is None


def test_download_buttons(app, downloads_made):
    import io

    from openpyxl import load_workbook

    at = open_page(app, "map")
    assert download_buttons(at) == [("下载地图（PNG）", "dl_map_status"),
                                    ("下载表格（Excel）", "dl_xlsx_map_table")]
    assert downloads_made["dl_map_status"]["file_name"].startswith("乡镇地图-")
    # the whole table (every tab, and the code): its headers, one row per township
    ws = load_workbook(io.BytesIO(downloads_made["dl_xlsx_map_table"]["data"]())).worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == [t("map.col.township", "zh"), t("map.col.code", "zh"),
                           t("map.col.status", "zh")]
    assert ws.max_row == len(_table(at)) + 1


@pytest.mark.parametrize("metric", ["coverage_this_month", "yellow_cards_28d", "reporting_rate"])
def test_supervision_measures_and_sites(app, demo_ledgers, metric):
    """督导 measures colour the townships from the report's supervision / reports blocks; the
    relocation sites are drawn as one layer of circle markers (a toggle hides them)."""
    at = open_page(app, "map")
    at.selectbox(key="map_metric").set_value(metric).run()
    assert not at.exception
    check_map(at, demo_ledgers, metric)
    ctx = page_ctx(at)
    rep = expected_report(demo_ledgers, ctx.as_of, None)
    table = _table(at).set_index("township_name")
    for e in rep["townships"]:
        v = classification.metric_value(e, metric)
        want = None if v is None else v * 100 if metric != "yellow_cards_28d" else v
        assert table.loc[e["township_name"], metric] == _cell(metric, metric, want)
    # one marker per county site with a position, at that position, with its tooltip
    args, _ = _map(at)
    placed = demo_ledgers.sites.dropna(subset=["longitude", "latitude"]).set_index("site_code")
    sites = site_points(args["script"])
    assert sorted(f["properties"]["site_code"] for f in sites) == sorted(placed.index) \
        and sites
    for f in sites:
        s = placed.loc[f["properties"]["site_code"]]
        assert f["geometry"]["coordinates"] == pytest.approx([s.longitude, s.latitude])
        assert s.site_name in f["properties"]["tip"]
    at.toggle(key="map_sites").set_value(False).run()
    assert not site_points(_map(at)[0]["script"])
