"""督导 page, from the entry point: the cards, the summons list, the coverage and report
tables equal `scope_metrics` / `metrics_report` (what `duzhan metrics` prints) for the same
filters and as-of date; English, meeting mode, downloads, one township, click-through."""
from __future__ import annotations

import datetime as dt

import pytest

from duzhan.i18n import t
from duzhan.metrics import supervision as sm
from duzhan.presentation import format as fmt
from tests.pages.conftest import (
    charts_by_title,
    check_week_card,
    download_buttons,
    expected_report,
    expected_scope,
    metric,
    open_page,
    page_ctx,
    shown_table,
)

CARDS = (  # catalogue key, block, figure, value kind, change kind, worse
    ("supervision.coverage", "supervision", "coverage_this_month", "pct", "pp", "down"),
    ("supervision.visits", "supervision", "visits_this_month", "count", "count", "down"),
    ("supervision.yellow_cards", "supervision", "yellow_cards_28d", "count", "count", "up"),
    ("supervision.summons_due", "supervision", "summons_due", "count", "count", "up"),
    ("supervision.reporting_rate", "reports", "reporting_rate", "pct", "pp", "down"),
    ("supervision.on_time_rate", "reports", "on_time_rate", "pct", "pp", "down"),
)


def frames(at, key_column: str):
    return [d.value for d in at.dataframe if key_column in d.value.columns]


def check_page(at, ledgers, lang: str = "zh") -> dict:
    ctx = page_ctx(at)
    D, codes = ctx.as_of, list(ctx.codes) if ctx.codes else None
    now = expected_scope(ledgers, D, codes)
    before = expected_scope(ledgers, D - dt.timedelta(days=7), codes)
    for key, blk, fig, kind, change, worse in CARDS:
        m = metric(at, t(key, lang))
        v = now[blk][fig]
        assert m.value == (fmt.pct(v) if kind == "pct" else fmt.count(v)), key
        check_week_card(m, v, before[blk][fig], change, worse, lang)

    # the 约谈 list: each unit due, by name, with its two yellow-card dates and leaders
    scoped = ledgers.scoped(codes)
    due = sm.summons_list(scoped.villages, scoped.sites, scoped.supervisions, D)
    assert len(due) == now["supervision"]["summons_due"]
    tables = frames(at, "second_leader")
    if due.empty:
        assert not tables
    else:
        (table,) = tables
        assert list(table["unit"]) == [s["unit"] for s in now["supervision"]["summons"]]
        assert list(table["second_date"]) == [dt.date.fromisoformat(s["dates"][1])
                                              for s in now["supervision"]["summons"]]
        assert list(table["second_leader"]) == list(due["second_leader"])

    # coverage per township = the report's township entries
    rep = expected_report(ledgers, D, codes)
    (cov,) = frames(at, "listed_objects")
    want = {e["township_code"]: e["supervision"] for e in rep["townships"]}
    assert set(cov["township_code"]) == set(want)
    for row in cov.itertuples():
        s = want[row.township_code]
        assert row.listed_objects == s["listed_objects"]
        assert row.visited_this_month == s["visited_this_month"]
        if s["coverage_this_month"] is not None:
            assert row.coverage_this_month == pytest.approx(s["coverage_this_month"] * 100,
                                                            abs=1e-4)

    # the unvisited list has as many rows as the figure says
    n = now["supervision"]["unvisited_last_month"]
    lists = frames(at, "last_leader")
    unvisited = [f for f in lists if "rating" not in f.columns and "second_leader" not in
                 f.columns]
    assert (len(unvisited[0]) if unvisited else 0) == (n or 0)

    # the report grid: each township's rates are its reports block
    # (a static table: eleven months ran the data grid's rates off the page at 1366 px)
    assert not frames(at, "on_time_rate")
    grid = shown_table(at, "on_time_rate")
    if now["reports"]["reports_expected"] is None:
        assert grid is None
    else:
        got = grid.set_index("township")
        for e in rep["townships"]:
            r = e["reports"]
            for k in ("reporting_rate", "on_time_rate"):
                assert got.loc[e["township_name"], k] == fmt.pct(r[k])
    return now


def test_supervision_county(app, demo_ledgers):
    at = open_page(app, "supervision")
    assert page_ctx(at).codes is None
    now = check_page(at, demo_ledgers)
    # the demo county has a unit due a summons on the default day: named at the top
    assert now["supervision"]["summons_due"] > 0
    ctx = page_ctx(at)
    names = sm.unit_names(demo_ledgers.villages, demo_ledgers.sites, demo_ledgers.townships)
    due = [names[s["unit"]] for s in now["supervision"]["summons"]]
    (table,) = frames(at, "second_leader")
    assert list(table["unit_name"]) == due
    assert at.subheader[0].value == t("supervision.section.summons")
    card = metric(at, t("supervision.summons_due"))
    assert card.value == fmt.count(len(due))
    assert all(name in " ".join(c.value for c in at.caption) for name in due)
    assert ctx.scope_label() in " ".join(c.value for c in at.caption)


def test_supervision_one_township_by_click(app, demo_ledgers):
    """A township picked under the coverage table filters the dashboard to it: its units."""
    at = open_page(app, "supervision")
    code = sorted(demo_ledgers.townships["township_code"])[0]
    at.button_group(key="supervision_pick").select(code).run()
    assert not at.exception
    ctx = page_ctx(at)
    assert ctx.codes == (code,)
    check_page(at, demo_ledgers)
    (units,) = frames(at, "rating")
    assert set(units["township_code"]) <= {code}
    assert t("overview.compare_one", "zh", scope=ctx.scope_label()) in [c.value for c in
                                                                        at.caption]


def test_supervision_english(app, demo_ledgers):
    at = open_page(app, "supervision", lang="en")
    assert page_ctx(at).lang == "en"
    check_page(at, demo_ledgers, "en")
    assert at.title[0].value == t("page.supervision", "en")
    assert t("supervision.chart.yellow_title", "en") in charts_by_title(at)


def test_supervision_meeting_mode(app, demo_ledgers):
    at = open_page(app, "supervision", meeting="1")
    assert len(at.metric) == len(CARDS)
    assert not download_buttons(at)  # the projector shows figures, not tools
    spec = charts_by_title(at)[t("supervision.chart.yellow_title", "zh")]
    assert spec["layout"]["font"]["size"] >= 20
    assert not at.get("button_group")  # no click-through on the projector


def test_download_buttons(app, demo_ledgers):
    at = open_page(app, "supervision")
    keys = [k for _, k in download_buttons(at)]
    assert keys == ["dl_xlsx_summons", "dl_png_supervision_coverage",
                    "dl_xlsx_supervision_coverage", "dl_xlsx_unvisited", "dl_png_yellow_cards",
                    "dl_xlsx_supervision_units", "dl_png_report_grid", "dl_xlsx_report_grid"]


def test_supervision_past_as_of(app, demo_ledgers):
    """An earlier as-of date replays the page: every figure is the metrics' of that day."""
    ph = demo_ledgers.phases.sort_values("phase_no")
    D = ph.iloc[1]["start_date"].date() + dt.timedelta(days=20)
    at = open_page(app, "supervision", asof=D.isoformat())
    assert page_ctx(at).as_of == D
    check_page(at, demo_ledgers)


def test_overview_names_who_is_summoned(app, demo_ledgers):
    """The overview: a township due a summons is red, and its reason names the units."""
    at = open_page(app, "overview")
    ctx = page_ctx(at)
    rep = expected_report(demo_ledgers, ctx.as_of)
    names = sm.unit_names(demo_ledgers.villages, demo_ledgers.sites, demo_ledgers.townships)
    due = [e for e in rep["townships"] if e["supervision"]["summons_due"]]
    assert due and all(e["status"] == "red" for e in due)
    flagged = " ".join(md.value for md in at.markdown if "duzhan-flagged" in md.value)
    for e in due:
        units = t("data.list_sep", "zh").join(names[s["unit"]]
                                              for s in e["supervision"]["summons"])
        assert t("reason.summons_due_who", "zh", value=len(e["supervision"]["summons"]),
                 units=units) in flagged
    assert t("overview.group.supervision", "zh") in [md.value.strip("*") for md in at.markdown]
    summons = metric(at, t("supervision.summons_due", "zh"))
    assert summons.value == fmt.count(expected_scope(demo_ledgers, ctx.as_of)["supervision"]
                                      ["summons_due"])
