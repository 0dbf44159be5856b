"""户情 Households: the 两不愁三保障 checks (gaps by item and township, how they closed week by
week, check coverage against 建档立卡户数), the monitored households (the funnel identified →
assisted → cleared, at risk by risk and category, those unassisted for more than 15 days,
ids masked) and the relocation sites (occupancy and employment against plan, sites not
checked for 90 days). Figures from the scope's ``guarantees``, ``monitoring`` and
``relocation`` blocks; charts and lists from duzhan.metrics.households on the same rows."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from duzhan.charts import households as charts
from duzhan.i18n import t
from duzhan.metrics import household_series as hs
from duzhan.metrics import households as hm
from duzhan.presentation import format as fmt
from duzhan.viewmodels.common import compare_note, week_before
from duzhan.viewmodels.source import Source
from duzhan.viewmodels.spec import Card, Chart, Column, Table, TableGroup, number

BLOCKS = ("guarantees", "monitoring", "relocation")


@dataclass(frozen=True)
class Households:
    cards: list[Card]
    figures: dict  # the scope's three blocks at D (the page's notes read them)
    no_checks: bool
    no_monitored: bool
    no_sites: bool
    compare_note: str | None  # one township: no "by township" charts, this note instead
    gap_items: Chart
    gaps_by_township: Chart | None
    gaps_over_time: Chart
    coverage: Chart | None
    townships_caption: str
    townships: Table  # the figures per township (the same as `duzhan metrics`)
    funnel: Chart
    by_risk: Chart
    by_category: Chart
    unassisted_caption: str
    unassisted: Table | None  # None: nobody waits more than 15 days
    sites_caption: str
    sites_chart: Chart
    sites: Table | None  # None: no site in scope
    unchecked_caption: str
    unchecked: Table | None  # None: every site checked in the last 90 days


def cards(now: dict, before: dict, lang: str) -> list[Card]:
    """The seven headline cards: gaps, secured rate, check coverage, at risk, unassisted
    over 15 days, occupancy and employment; each with its change since D − 7."""
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    g, pg = now["guarantees"], before["guarantees"]
    m, pm = now["monitoring"], before["monitoring"]
    r, pr = now["relocation"], before["relocation"]
    return [
        Card(T("households.any_gap"), fmt.count(g["any_gap"]), g["any_gap"], pg["any_gap"],
             "count", "up", T("households.card.any_gap_help", checked=fmt.count(g["checked"]))),
        Card(T("households.secured_rate"), fmt.pct(g["secured_rate"]), g["secured_rate"],
             pg["secured_rate"], "pp", "down", T("households.card.secured_help")),
        Card(T("households.check_coverage"), fmt.pct(g["check_coverage"]), g["check_coverage"],
             pg["check_coverage"], "pp", "down",
             T("households.card.coverage_help", checked=fmt.count(g["checked_90d"]))),
        Card(T("households.at_risk"), fmt.count(m["at_risk"]), m["at_risk"], pm["at_risk"],
             "count", "up", T("households.card.at_risk_help", monitored=fmt.count(
                 m["monitored"]), cleared=fmt.count(m["cleared"]))),
        Card(T("households.unassisted_over_15d"), fmt.count(m["unassisted_over_15d"]),
             m["unassisted_over_15d"], pm["unassisted_over_15d"], "count", "up",
             T("households.card.unassisted_help", days=hm.UNASSISTED_DAYS,
               unassisted=fmt.count(m["unassisted"]))),
        Card(T("households.occupancy_rate"), fmt.pct(r["occupancy_rate"]), r["occupancy_rate"],
             pr["occupancy_rate"], "pp", "down",
             T("households.card.occupancy_help", moved_in=fmt.count(r["moved_in"]),
               planned=fmt.count(r["planned"]), sites=fmt.count(r["sites"]))),
        Card(T("households.employment_rate"), fmt.pct(r["employment_rate"]),
             r["employment_rate"], pr["employment_rate"], "pp", "down",
             T("households.card.employment_help", employed=fmt.count(r["employed"]))),
    ]


def blocks(figures: dict) -> dict:
    """The scope figures' three household blocks."""
    return {k: figures[k] for k in BLOCKS}


def township_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (
        Column("township", T("households.col.township")),
        number("households", T("households.registered"), "count", lang),
        number("checked", T("households.checked"), "count", lang),
        *(number(f"gap_{i}", charts.item_label(i, lang), "count", lang)
          for i in hm.GUARANTEE_ITEMS),
        number("any_gap", T("households.any_gap"), "count", lang),
        number("secured_rate", T("households.secured_rate"), "rate", lang),
        number("checked_90d", T("households.checked_90d"), "count", lang),
        number("check_coverage", T("households.check_coverage"), "rate", lang),
        number("at_risk", T("households.at_risk"), "count", lang),
        number("unassisted_over_15d", T("households.unassisted_over_15d"), "count", lang),
        number("occupancy_rate", T("households.occupancy_rate"), "rate", lang),
    )


def unassisted_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (
        Column("household", T("households.col.household")),
        Column("township", T("households.col.township")),
        Column("village", T("households.col.village")),
        Column("category", T("households.col.category")),
        Column("risk", T("households.col.risk")),
        Column("identified_date", T("households.col.identified_date"), "date",
               fmt.day_column(lang)),
        number("days_waiting", T("households.col.days_waiting"), "count", lang),
    )


def site_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (
        Column("site_code", T("households.col.site_code")),
        Column("site_name", T("households.col.site_name"), width="medium"),
        Column("township", T("households.col.township")),
        number("planned_households", T("households.site.planned"), "count", lang),
        number("moved_in", T("households.site.moved_in"), "count", lang),
        number("occupancy_rate", T("households.occupancy_rate"), "rate", lang, bar=True),
        number("employed", T("households.site.employed"), "count", lang),
        number("employment_rate", T("households.employment_rate"), "rate", lang),
        Column("last_check", T("households.col.last_check"), "date", fmt.day_column(lang)),
        number("days_since_check", T("households.col.days_since_check"), "count", lang),
    )


def _pct100(v):
    return None if v is None else float(v) * 100


def _township_frame(report: dict, names) -> pd.DataFrame:
    rows = []
    for e in report["townships"]:
        g, m, r = e["guarantees"], e["monitoring"], e["relocation"]
        rows.append({"township_code": e["township_code"],
                     "township": names.get(e["township_code"], e["township_code"]),
                     "households": None, **{k: g[k] for k in (
                         "checked", *(f"gap_{i}" for i in hm.GUARANTEE_ITEMS), "any_gap",
                         "checked_90d")},
                     "secured_rate": _pct100(g["secured_rate"]),
                     "check_coverage": _pct100(g["check_coverage"]),
                     "at_risk": m["at_risk"], "unassisted_over_15d": m["unassisted_over_15d"],
                     "occupancy_rate": _pct100(r["occupancy_rate"])})
    cols = ["township_code", "township", "households", "checked",
            *(f"gap_{i}" for i in hm.GUARANTEE_ITEMS), "any_gap", "secured_rate",
            "checked_90d", "check_coverage", "at_risk", "unassisted_over_15d",
            "occupancy_rate"]
    return pd.DataFrame(rows, columns=cols)


def _date(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.date


def site_frame(full, codes, D, names) -> pd.DataFrame:
    """The sites in scope (None: every site) with their latest check ≤ D (hm.site_table),
    township names, the label the charts and the map show, rates as fractions, days since
    the last check, position (the map's markers)."""
    sites = hm.site_table(full.sites, full.site_checks, D).merge(
        full.sites[["site_code", "longitude", "latitude"]], on="site_code", how="left")
    if codes is not None:
        sites = sites[sites["township_code"].isin(codes)].reset_index(drop=True)
    last = pd.to_datetime(sites["last_check"])
    return pd.DataFrame({
        "site_code": sites["site_code"], "site_name": sites["site_name"],
        "site_label": sites["site_name"].fillna(sites["site_code"]),
        "township_code": sites["township_code"],
        "township": sites["township_code"].map(lambda c: names.get(c, c)),
        "planned_households": sites["planned_households"].astype("int64"),
        "moved_in": sites["moved_in"].astype("int64"),
        "employed": sites["employed"].astype("int64"),
        "occupancy_rate": sites["occupancy_rate"].astype("float64"),
        "employment_rate": sites["employment_rate"].astype("float64"),
        "last_check": last.dt.date,
        "days_since_check": ((pd.Timestamp(D) - last).dt.days).astype("Int64"),
        "unchecked_90d": sites["unchecked_90d"].astype(bool),
        "longitude": sites["longitude"].astype("float64"),
        "latitude": sites["latitude"].astype("float64"),
    })


def _site_table(frame: pd.DataFrame, lang: str, name_key: str) -> Table:
    shown = frame.assign(occupancy_rate=frame["occupancy_rate"] * 100,
                         employment_rate=frame["employment_rate"] * 100)
    order = tuple(c.key for c in site_columns(lang))
    # wrapped: its ten columns ran off the data grid's right edge at 1366 px
    return Table(shown[list(order)].reset_index(drop=True), site_columns(lang), name_key,
                 wrap=True)


def build(src: Source, meeting: bool = False) -> Households:
    lang, D = src.lang, src.as_of
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    now = blocks(src.scope_figures())
    before = blocks(src.scope_figures(week_before(D)))
    full = src.county_ledgers()
    codes = list(src.codes) if src.codes else None
    report = src.report()
    scope, as_of_text = src.scope_label(), fmt.day(D, lang)
    names = src.names
    kw = dict(lang=lang, scope=scope, as_of=D, meeting=meeting)
    note = compare_note(report, scope, lang)

    # 三保障: at D, per township, and week by week back to the campaign's start
    in_scope = [e["township_code"] for e in report["townships"]]
    by_town = hm.guarantee_metrics_by(full.guarantees, full.townships, D, in_scope)
    town_rows = pd.DataFrame([{"township_code": c, **by_town[c]} for c in in_scope],
                             columns=["township_code", "checked",
                                      *(f"gap_{i}" for i in hm.GUARANTEE_ITEMS), "any_gap",
                                      "secured_rate", "checked_90d", "check_coverage"])
    households = {c: int(v) for c, v in zip(
        full.townships["township_code"],
        pd.to_numeric(full.townships["households"], errors="coerce").fillna(0),
        strict=False)}
    town_rows["households"] = [households.get(c, 0) for c in town_rows["township_code"]]
    # each series from the campaign's start, or its ledger's first date if earlier
    gaps = hs.guarantee_series(full.guarantees, full.townships, hs.replay_days(
        hs.campaign_start(full.phases, full.guarantees["check_date"]), D), codes)
    funnel = hs.monitoring_series(full.monitored, hs.replay_days(
        hs.campaign_start(full.phases, full.monitored["identified_date"]), D), codes)

    towns = _township_frame(report, names)
    towns["households"] = [households.get(c, 0) for c in towns["township_code"]]
    # two tabs: its fifteen columns scrolled the grid sideways at 1366 px
    columns = township_columns(lang)
    keys = tuple(c.key for c in columns)
    follow_up = ("checked_90d", "check_coverage", "at_risk", "unassisted_over_15d",
                 "occupancy_rate")
    township_table = Table(towns, columns, "households_by_township", order=keys, groups=(
        TableGroup(t("households.group.guarantees", lang),
                   tuple(k for k in keys if k not in follow_up)),
        TableGroup(t("households.group.follow_up", lang), ("township", *follow_up))))

    # 防返贫监测: who waits for assistance
    villages = dict(zip(full.villages["village_code"], full.villages["village_name"],
                        strict=False))
    waiting = hm.unassisted_list(full.monitored, D, codes)
    unassisted = None
    if not waiting.empty:
        unassisted = Table(pd.DataFrame({
            "household": waiting["household"],
            "township": waiting["township_code"].map(lambda c: names.get(c, c)),
            "village": waiting["village_code"].map(
                lambda c: villages.get(c, c) if isinstance(c, str) else None),
            "category": waiting["category"], "risk": waiting["risk"],
            "identified_date": _date(waiting["identified_date"]),
            "days_waiting": waiting["days_waiting"].astype("int64"),
        }), unassisted_columns(lang), "households_unassisted", mask=("household",))

    # 易地扶贫搬迁
    sites = site_frame(full, codes, D, names)
    late = sites[sites["unchecked_90d"]]
    g, m = now["guarantees"], now["monitoring"]
    return Households(
        cards=cards(now, before, lang), figures=now,
        no_checks=not g["checked"], no_monitored=not m["monitored"],
        no_sites=not now["relocation"]["sites"], compare_note=note,
        gap_items=Chart(charts.gap_items_bars(g, **kw), "households_gap_items"),
        gaps_by_township=None if note else Chart(
            charts.gaps_by_township(town_rows, labels=names, **kw), "households_gaps_by_township"),
        gaps_over_time=Chart(charts.gaps_over_time(gaps, **kw), "households_gaps_over_time"),
        coverage=None if note else Chart(
            charts.coverage_bars(town_rows, labels=names, **kw), "households_coverage"),
        townships_caption=T("households.townships.caption", scope=scope, as_of=as_of_text),
        townships=township_table,
        funnel=Chart(charts.funnel_over_time(funnel, **kw), "households_funnel"),
        by_risk=Chart(charts.count_bars(m["at_risk_by_risk"], title_key="households.chart.by_risk",
                                        **kw), "households_by_risk"),
        by_category=Chart(charts.count_bars(
            m["at_risk_by_category"], title_key="households.chart.by_category", **kw),
            "households_by_category"),
        unassisted_caption=T("households.unassisted.caption", scope=scope, as_of=as_of_text,
                             days=hm.UNASSISTED_DAYS, n=fmt.count(len(waiting))),
        unassisted=unassisted,
        sites_caption=T("households.sites.caption", scope=scope, as_of=as_of_text),
        sites_chart=Chart(charts.site_bars(sites, **kw), "households_sites"),
        sites=None if sites.empty else _site_table(sites, lang, "households_sites_table"),
        unchecked_caption=T("households.unchecked.caption", scope=scope, as_of=as_of_text,
                            days=hm.CHECK_WINDOW_DAYS, n=fmt.count(len(late))),
        unchecked=None if late.empty else _site_table(late, lang, "households_unchecked"),
    )


__all__ = ["Households", "BLOCKS", "build", "cards", "blocks", "site_frame",
           "township_columns", "unassisted_columns", "site_columns"]
