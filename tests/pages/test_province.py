"""The province overview and the county filter, on a demo province of three counties
(`duzhan demo --counties 3`, made once per session): the counties ranked as the metrics
report's `counties` list says, their change since last week, the drill-down to a county's
overview (the county filter set, only its townships), the filter's URL; and a store of one
county shows neither."""
from __future__ import annotations

import datetime as dt

import pytest

from duzhan.i18n import t
from duzhan.metrics.report import metrics_report, scope_metrics
from duzhan.metrics.status import shortfall_score
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import STATUS_ORDER
from duzhan.presentation.words import status_word
from duzhan.store import read
from duzhan.store.db import make_engine
from duzhan.store.read import DataScope, load_ledgers
from duzhan.views import registry
from tests.pages.conftest import app_test, check_week_card, metric, page_ctx
from tests.pages.signin_helpers import page_scripts


@pytest.fixture(scope="module")
def province_ledgers(province_store):
    engine = make_engine(province_store[0])
    try:
        yield load_ledgers(engine, DataScope())
    finally:
        engine.dispose()


@pytest.fixture
def papp(province_store, monkeypatch):
    url, geo = province_store
    monkeypatch.setenv("DUZHAN_GEO", str(geo))
    with app_test(url, monkeypatch) as at:
        yield at


def _town_counts(report: dict, led, county: str) -> dict[str, int]:
    mine = set(led.county_townships(county))
    return {s: sum(1 for e in report["townships"]
                   if e["township_code"] in mine and e["status"] == s) for s in STATUS_ORDER}


def test_province_page_ranks_the_counties_and_drills_down(papp, province_ledgers,
                                                          downloads_made, monkeypatch):
    at = papp
    scopes = []  # every ledger read the first load makes: none (kept figures, store.figures)
    real_load = read.load_ledgers

    def counted(engine, scope):
        scopes.append(scope)
        return real_load(engine, scope)

    monkeypatch.setattr(read, "load_ledgers", counted)
    at.run()
    assert not at.exception, at.exception
    assert scopes == [], scopes
    monkeypatch.setattr(read, "load_ledgers", real_load)
    assert [x.value for x in at.title] == [t("page.province", "zh")]
    ctx = page_ctx(at)
    D = ctx.as_of
    led = province_ledgers
    report = metrics_report(led, D)
    prev = metrics_report(led, D - dt.timedelta(days=7))
    counties = {c["county_code"]: c for c in report["counties"]}
    assert len(counties) == 3

    # worst first: status, then the shortfall score (the townships' attention order)
    want = sorted(counties, key=lambda c: (STATUS_ORDER.index(counties[c]["status"]),
                                           -shortfall_score(counties[c]), c))
    opened = [b.key.removeprefix("province_open_") for b in at.button
              if b.key and b.key.startswith("province_open_")]
    assert opened == want
    table = at.dataframe[0].value
    assert list(table["county"]) == [counties[c]["county_name"] for c in want]
    assert list(table["status"]) == [status_word(counties[c]["status"], "zh") for c in want]
    assert list(table["overdue_open"]) == [counties[c]["issues"]["overdue_open"] for c in want]
    for s in STATUS_ORDER:
        assert list(table[s]) == [_town_counts(report, led, c)[s] for c in want], s
    # every township of a county is counted once
    assert [sum(table[s][i] for s in STATUS_ORDER) for i in range(3)] == [
        len(led.county_townships(c)) for c in want]

    # the counties by status, and the whole store's figures, with their change since D − 7
    for s in STATUS_ORDER:
        now = sum(1 for c in report["counties"] if c["status"] == s)
        then = sum(1 for c in prev["counties"] if c["status"] == s)
        m = metric(at, status_word(s, "zh"))
        assert m.value == fmt.count(now)
        check_week_card(m, now, then, "count", "down" if s == "green" else "up", "zh")
    iss, piss = report["county"]["issues"], prev["county"]["issues"]
    m = metric(at, t("overview.card.overdue_open", "zh"))
    assert m.value == fmt.count(iss["overdue_open"])
    check_week_card(m, iss["overdue_open"], piss["overdue_open"], "count", "up", "zh")
    loa, ploa = report["county"]["loans"], prev["county"]["loans"]
    m = metric(at, t("overview.card.overdue_rate", "zh", line=fmt.pct(0.03)))
    assert m.value == fmt.pct(loa["overdue_rate"])
    check_week_card(m, loa["overdue_rate"], ploa["overdue_rate"], "pp", "up", "zh")
    assert t("map.no_geo", "zh") not in [w.value for w in at.warning]
    assert "全部3个县" in at.caption[0].value

    assert all("全部3个县" in d["file_name"] for d in downloads_made.values())
    downloads_made.clear()

    # drill-down: the worst county's button opens its overview, filtered to it
    worst = want[0]
    at.button(key=f"province_open_{worst}").click().run()
    assert not at.exception, at.exception
    assert [x.value for x in at.title] == [t("page.overview", "zh")]
    ctx = page_ctx(at)
    assert ctx.county == worst and ctx.codes is None
    assert at.query_params["c"] == worst and "t" not in at.query_params
    assert list(ctx.directory.names) == led.county_townships(worst)
    towns = [m for m in at.multiselect if m.label == t("filter.townships", "zh")][0]
    assert list(towns.options) == [led.townships.set_index("township_code")
                                   .loc[c, "township_name"] for c in led.county_townships(worst)]
    mine = metrics_report(led, D, county=worst)
    assert [e["township_code"] for e in ctx.report()["townships"]] == led.county_townships(worst)
    for s in STATUS_ORDER:
        assert metric(at, status_word(s, "zh")).value == fmt.count(
            _town_counts(mine, led, worst)[s])
    fig = scope_metrics(led, D, county=worst)  # its townships and its county-wide tasks
    assert metric(at, t("overview.card.open", "zh")).value == fmt.count(fig["issues"]["open"])
    tasks = led.tasks
    wide = (tasks["township_code"].isna() & (tasks["county_code"] == worst)).to_numpy()
    own = tasks["township_code"].isin(led.county_townships(worst)).to_numpy()
    assert wide.any()
    assert sum(p["tasks_total"] for p in fig["phases"]["by_phase"]) == int((wide | own).sum())
    assert ctx.scope_figures()["phases"]["by_phase"] == fig["phases"]["by_phase"]
    # the page and its files name the county
    name = counties[worst]["county_name"]
    assert ctx.scope_label() == name and name in at.caption[0].value
    assert downloads_made and all(name in d["file_name"] for d in downloads_made.values())


def test_county_filter_round_trips_through_the_url(papp, province_ledgers):
    led = province_ledgers
    codes = list(led.counties())
    other, mine = led.county_townships(codes[0])[0], led.county_townships(codes[2])[1]
    at = papp
    at.query_params["c"] = codes[2]
    at.query_params["t"] = f"{other},{mine}"  # a township of another county is dropped
    at.run()
    assert not at.exception, at.exception
    ctx = page_ctx(at)
    assert ctx.county == codes[2] and ctx.filters.townships == (mine,)
    assert dict(at.query_params) == {"c": codes[2], "t": mine}
    county = [s for s in at.selectbox if s.label == t("filter.county", "zh")][0]
    assert county.value == codes[2]
    assert ctx.scope_label() == t("scope.in_county", "zh", county=led.counties()[codes[2]],
                                  townships=ctx.directory.names[mine])
    # another page keeps it
    at.switch_page(registry.page("issues").script)
    at.run()
    assert not at.exception, at.exception
    assert page_ctx(at).county == codes[2] and dict(at.query_params)["c"] == codes[2]
    # back to every county: the township picker lists them all again
    county = [s for s in at.selectbox if s.label == t("filter.county", "zh")][0]
    county.set_value(None).run()
    assert not at.exception, at.exception
    assert page_ctx(at).county is None and "c" not in at.query_params
    assert list(page_ctx(at).directory.names) == led.township_codes()


def test_one_county_store_has_no_county_filter_and_no_province_page(app):
    at = app
    at.run()
    assert not at.exception, at.exception
    assert t("filter.county", "zh") not in [s.label for s in at.selectbox]
    assert [x.value for x in at.title] == [t("page.overview", "zh")]
    assert registry.page("province").script not in page_scripts(at)
    assert page_ctx(at).county is None and not page_ctx(at).several_counties
