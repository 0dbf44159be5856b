"""督导 page, from the entry point: the cards, the summons list, the coverage and report
tables equal `scope_metrics` / `metrics_report` (what `duzhan metrics` prints) for the same
filters and as-of date; English, meeting mode, downloads, one township, click-through."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from duzhan.i18n import t
from duzhan.metrics import supervision as sm
from duzhan.presentation import format as fmt
from duzhan.presentation.markup import escape
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
    shown_tables,
)


@pytest.fixture
def app(cached_app):
    return cached_app  # every test here only reads the demo store: caches per module


CARDS = (  # catalogue key, block, figure, value kind, change kind, worse
    ("supervision.coverage", "supervision", "coverage_this_month", "pct", "pp", "down"),
    ("supervision.visits", "supervision", "visits_this_month", "count", "count", "down"),
    ("supervision.yellow_cards", "supervision", "yellow_cards_28d", "count", "count", "up"),
    ("supervision.summons_due", "supervision", "summons_due", "count", "count", "up"),
    ("supervision.reporting_rate", "reports", "reporting_rate", "pct", "pp", "down"),
    ("supervision.on_time_rate", "reports", "on_time_rate", "pct", "pp", "down"),
)


def day_cell(day, lang: str) -> str:
    """A date as the page's static tables write it."""
    return fmt.column_cell(day, "date", fmt.day_column(lang))


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
    # every table is static (the page loads no data grid): its cells as shown, by key
    table = shown_table(at, "second_leader")
    names = sm.unit_names(scoped.villages, scoped.sites, ledgers.townships)
    if due.empty:
        assert table is None
    else:
        assert list(table["unit_name"]) == [names[s["unit"]]
                                            for s in now["supervision"]["summons"]]
        assert list(table["second_date"]) == [day_cell(dt.date.fromisoformat(s["dates"][1]),
                                                       lang)
                                              for s in now["supervision"]["summons"]]
        assert list(table["second_leader"]) == list(due["second_leader"])

    # coverage per township = the report's township entries
    rep = expected_report(ledgers, D, codes)
    cov = shown_table(at, "listed_objects").set_index("township")
    want = {e["township_name"]: e["supervision"] for e in rep["townships"]}
    assert set(cov.index) == set(want)
    for name, s in want.items():
        assert cov.loc[name, "listed_objects"] == fmt.count(s["listed_objects"])
        assert cov.loc[name, "visited_this_month"] == fmt.count(s["visited_this_month"])
        assert cov.loc[name, "coverage_this_month"] == fmt.pct(s["coverage_this_month"])

    # the unvisited list has as many rows as the figure says
    n = now["supervision"]["unvisited_last_month"]
    unvisited = [f for f in shown_tables(at) if "last_leader" in f.columns
                 and "rating" not in f.columns]
    assert (len(unvisited[0]) if unvisited else 0) == (n or 0)

    # yellow cards over time (HTML, no plotly): each month's visits and yellow cards
    by_month = sm.yellow_cards_by_month(scoped.supervisions, ledgers.phases, D)
    (yellow,) = [md.value for md in at.markdown if "class='duzhan-yellow'" in md.value]
    assert escape(t("supervision.chart.yellow_title", lang)) in yellow
    assert re.findall(r"data-month='([\d-]+)' data-visits='(\d+)' data-yellow='(\d+)'",
                      yellow) == [(m.strftime("%Y-%m"), str(v), str(y)) for m, v, y in zip(
                          by_month["month"], by_month["visits"], by_month["yellow_cards"],
                          strict=True)]

    # the report grid: each township's rates are its reports block
    # (a static table: eleven months ran the data grid's rates off the page at 1366 px)
    assert not at.dataframe
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
    assert list(shown_table(at, "second_leader")["unit_name"]) == due
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
    units = shown_table(at, "rating")
    assert len(units) and set(units["township"]) == {ctx.names[code]}
    assert t("overview.compare_one", "zh", scope=ctx.scope_label()) in [c.value for c in
                                                                        at.caption]


def test_supervision_english(app, demo_ledgers):
    at = open_page(app, "supervision", lang="en")
    assert page_ctx(at).lang == "en"
    check_page(at, demo_ledgers, "en")
    assert at.title[0].value == t("page.supervision", "en")


def test_supervision_meeting_mode(app, demo_ledgers):
    at = open_page(app, "supervision", meeting="1")
    assert len(at.metric) == len(CARDS)
    assert not download_buttons(at)  # the projector shows figures, not tools
    for spec in charts_by_title(at).values():
        assert spec["layout"]["font"]["size"] >= 20
    (yellow,) = [md.value for md in at.markdown if "class='duzhan-yellow'" in md.value]
    assert "font-size:20px" in yellow
    assert not at.get("button_group")  # no click-through on the projector
    # every chart at once, none behind a click
    assert not at.expander
    assert set(charts_by_title(at)) == {t(f"supervision.chart.{k}", "zh")
                                        for k in ("coverage", "reports")}


def test_download_buttons(app, demo_ledgers):
    at = open_page(app, "supervision")
    keys = [k for _, k in download_buttons(at)]
    assert keys == ["dl_xlsx_summons", "dl_xlsx_supervision_coverage", "dl_xlsx_unvisited",
                    "dl_png_yellow_cards", "dl_xlsx_supervision_units", "dl_xlsx_report_grid"]
    # the on-demand charts come with their PNG once opened
    at.session_state["supervision_coverage_chart"] = True
    at.session_state["supervision_reports_chart"] = True
    at.run()
    keys = [k for _, k in download_buttons(at)]
    assert keys == ["dl_xlsx_summons", "dl_png_supervision_coverage",
                    "dl_xlsx_supervision_coverage", "dl_xlsx_unvisited", "dl_png_yellow_cards",
                    "dl_xlsx_supervision_units", "dl_png_report_grid", "dl_xlsx_report_grid"]


def test_table_charts_on_demand(app, demo_ledgers):
    """The page sends no plotly chart until the reader asks: the yellow cards' chart is
    HTML, and the coverage and report-grid charts (their tables hold the same figures) are
    sent once their expander is opened (the projector shows them at once:
    test_supervision_meeting_mode)."""
    at = open_page(app, "supervision")
    coverage_title = t("supervision.chart.coverage", "zh")
    reports_title = t("supervision.chart.reports", "zh")
    assert not charts_by_title(at)
    assert [e.label for e in at.expander] == [t("supervision.coverage_chart_open", "zh"),
                                             t("supervision.reports_chart_open", "zh")]
    at.session_state["supervision_coverage_chart"] = True
    at.run()
    assert set(charts_by_title(at)) == {coverage_title}
    at.session_state["supervision_reports_chart"] = True
    at.run()
    assert set(charts_by_title(at)) == {coverage_title, reports_title}


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
