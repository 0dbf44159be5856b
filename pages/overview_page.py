"""总览 Overview: which townships are red and why, the headline figures with their change
since last week, the status map, who needs attention and who owns the overdue issues."""
from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from duzhan.charts import overview as charts
from duzhan.geo import mapview
from duzhan.metrics.issues import overdue_list
from duzhan.metrics.status import attention_ranking, scope_status
from duzhan.views import data, downloads, shell
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import STATUS_COLORS, STATUS_ORDER, STATUS_SYMBOLS

ctx = shell.current()
shell.header(ctx, "page.overview")
lang, meeting = ctx.lang, ctx.filters.meeting
report = ctx.report()
fig = ctx.scope_figures()
before_day = shell.week_before(ctx)
prev = ctx.scope_figures(before_day)
prev_report = ctx.report(before_day)
scope, as_of = ctx.scope_label(), fmt.day(ctx.as_of, lang)
week_before = fmt.day(before_day, lang)
townships = report["townships"]
SEP = ctx.t("overview.sep")


def status_word(status: str) -> str:
    return f"{STATUS_SYMBOLS[status]} {ctx.t(f'status.{status}')}"


def township_reasons(entry: dict) -> list[str]:
    """The entry's reasons (codes from the report) as sentences with their figures."""
    details = {r.code: r for r in scope_status(entry)[1]}
    return [fmt.reason_text(details.get(code, code), lang) for code in entry["status_reasons"]]


# ---------------------------------------------------------------- 0. the briefing pack (汇报材料)
downloads.brief_download(ctx)

# ---------------------------------------------------------------- 1. status, reasons, map
counts = {s: sum(1 for e in townships if e["status"] == s) for s in STATUS_ORDER}
st.subheader(ctx.t("overview.status_heading"))
status_col, map_col = st.columns([3, 2])
with status_col:
    if not townships:
        st.info(ctx.t("overview.empty"))
    else:
        strip = charts.status_strip(counts, {s: ctx.t(f"status.{s}") for s in STATUS_ORDER},
                                    ctx.t("overview.status_title", scope=scope, as_of=as_of,
                                          n=len(townships)), meeting)
        st.plotly_chart(strip, width="stretch", config=shell.PLOTLY_CONFIG)
        downloads.chart_download(ctx, strip, "status_strip")
        cols = st.columns(len(STATUS_ORDER))
        prev_counts = {s: sum(1 for e in prev_report["townships"] if e["status"] == s)
                       for s in STATUS_ORDER}
        for col, s in zip(cols, STATUS_ORDER):
            with col:
                shell.week_card(ctx, status_word(s), fmt.count(counts[s]), counts[s],
                                prev_counts[s], "count", "down" if s == "green" else "up")
        st.markdown(ctx.t("overview.scope_status", scope=scope,
                          badge=shell.status_badge(fig["status"], lang))
                    + (f" — {SEP.join(fmt.reason_text(d, lang) for d in fig['status_details'])}"
                       if fig["status_details"] else ""))
        st.markdown(f"**{ctx.t('overview.reasons_title')}**")
        flagged = [e for e in sorted(townships, key=lambda e: (STATUS_ORDER.index(e["status"]),
                                                               e["township_code"]))
                   if e["status"] != "green"]
        if not flagged:
            st.success(ctx.t("overview.all_green"))
        for e in flagged:
            reasons = SEP.join(township_reasons(e))
            st.markdown(f"{shell.status_badge(e['status'], lang)} **{e['township_name']}** — {reasons}")
        st.markdown(f"**{ctx.t('overview.changes_title', week_before=week_before)}**")
        before = {e["township_code"]: e["status"] for e in prev_report["townships"]}
        changes = [e for e in townships if before.get(e["township_code"]) not in (None, e["status"])]
        changes.sort(key=lambda e: (STATUS_ORDER.index(e["status"]), e["township_code"]))
        if not changes:
            st.caption(ctx.t("overview.no_changes"))
        for e in changes:
            st.markdown("- " + ctx.t(
                "overview.change_line", township=e["township_name"],
                before=shell.status_badge(before[e["township_code"]], lang),
                after=shell.status_badge(e["status"], lang)))

with map_col:
    st.markdown(f"**{ctx.t('overview.map_title', as_of=as_of)}**")
    if ctx.codes is not None:
        st.caption(ctx.t("map.scope_outlined", scope=scope))
    gdf = data.boundaries()
    if gdf is None:
        st.warning(ctx.t("map.no_geo"))
    else:
        data.static_assets()
        county_report = ctx.county_report()
        m, legend = mapview.build_map(gdf, county_report, "status", lang, static=True,
                                      scope=ctx.codes)
        st_folium(m, key="overview_map", height=520 if meeting else 350,
                  use_container_width=True, returned_objects=[])
        st.markdown(mapview.legend_html(legend).replace(
            "display:flex;", "display:inline-flex;margin-right:1.2em;"), unsafe_allow_html=True)
        st.caption(ctx.t("overview.map_more"))

# ---------------------------------------------------------------- 2. headline cards
st.subheader(ctx.t("overview.cards_title", scope=scope, as_of=as_of, week_before=week_before))
iss, piss = fig["issues"], prev["issues"]
fun, pfun = fig["funds"], prev["funds"]
loa, ploa = fig["loans"], prev["loans"]
c_iss, c_fun, c_loa, c_pha = st.columns(4)
with c_iss:
    st.markdown(f"**{ctx.t('overview.group.issues')}**")
    shell.week_card(ctx, ctx.t("overview.card.open"), fmt.count(iss["open"]),
                    iss["open"], piss["open"], "count", "up")
    shell.week_card(ctx, ctx.t("overview.card.overdue_open"), fmt.count(iss["overdue_open"]),
                    iss["overdue_open"], piss["overdue_open"], "count", "up")
    shell.week_card(ctx, ctx.t("overview.card.closure_rate"), fmt.pct(iss["closure_rate"]),
                    iss["closure_rate"], piss["closure_rate"], "pp", "down",
                    help=ctx.t("overview.card.closure_help", closed=fmt.count(iss["closed"]),
                               found=fmt.count(iss["found"])))
with c_fun:
    st.markdown(f"**{ctx.t('overview.group.funds')}**")
    shell.week_card(ctx, ctx.t("overview.card.disbursement_rate"),
                    fmt.pct(fun["disbursement_rate"]),
                    fun["disbursement_rate"], pfun["disbursement_rate"], "pp", "down",
                    help=ctx.t("overview.card.disbursement_help",
                               disbursed=fmt.wan(fun["disbursed"], lang),
                               allocated=fmt.wan(fun["allocated"], lang)))
    shell.week_card(ctx, ctx.t("overview.card.progress_gap",
                               time_progress=fmt.pct(fun["time_progress"])),
                    fmt.pct(fun["progress_gap"], signed=True),
                    fun["progress_gap"], pfun["progress_gap"], "pp", "down",
                    help=ctx.t("overview.card.gap_help"))
with c_loa:
    st.markdown(f"**{ctx.t('overview.group.loans')}**")
    shell.week_card(ctx, ctx.t("overview.card.overdue_rate", line=fmt.pct(0.03)),
                    fmt.pct(loa["overdue_rate"]),
                    loa["overdue_rate"], ploa["overdue_rate"], "pp", "up",
                    help=ctx.t("overview.card.overdue_help",
                               overdue=fmt.wan(loa["overdue_balance"], lang)))
    shell.week_card(ctx, ctx.t("overview.card.balance"), fmt.wan(loa["balance"], lang),
                    loa["balance"], ploa["balance"], "wan", None,
                    help=ctx.t("overview.card.balance_help", loans=fmt.count(loa["active_loans"])))
with c_pha:
    st.markdown(f"**{ctx.t('overview.group.phase')}**")
    phases = ctx.ledgers().phases
    cur_no = fig["phases"]["current_phase"]
    row = phases[phases["phase_no"] == cur_no] if cur_no is not None else phases.iloc[0:0]
    if row.empty:
        shell.card(ctx.t("overview.card.phase"), ctx.t("overview.card.no_phase"))
    else:
        name = str(row.iloc[0]["phase_name"])
        end = row.iloc[0]["end_date"].date()
        shell.card(ctx.t("overview.card.phase"), ctx.t("overview.card.phase_value", no=cur_no),
                   help=name)
        st.caption(name)
        shell.card(ctx.t("overview.card.days_left"), fmt.count((end - ctx.as_of).days),
                   help=ctx.t("overview.card.days_left_help", end=fmt.day(end, lang)))
        cur = next(p for p in fig["phases"]["by_phase"] if p["phase_no"] == cur_no)
        pcur = next((p for p in prev["phases"]["by_phase"] if p["phase_no"] == cur_no), None)
        shell.week_card(ctx, ctx.t("overview.card.phase_completion"), fmt.pct(cur["completion"]),
                        cur["completion"], pcur and pcur["completion"], "pp", "down",
                        help=ctx.t("overview.card.phase_completion_help",
                                   done=fmt.count(cur["tasks_done"]),
                                   total=fmt.count(cur["tasks_total"]),
                                   expected=fmt.pct(cur["expected"])))

# ---------------------------------------------------------------- 3. who needs attention
st.subheader(ctx.t("overview.attention_title", scope=scope, as_of=as_of))
by_code = {e["township_code"]: e for e in townships}
rows = []
for r in attention_ranking(report):
    e = by_code[r["township_code"]]
    rows.append({
        "rank": r["rank"],
        "township": r["township_name"],
        "status": status_word(r["status"]),
        "reasons": SEP.join(township_reasons(e)) or ctx.t("reason.none"),
        "overdue_open": e["issues"]["overdue_open"],
        "overdue_rate": None if e["loans"]["overdue_rate"] is None else e["loans"]["overdue_rate"] * 100,
        "progress_gap": None if e["funds"]["progress_gap"] is None else e["funds"]["progress_gap"] * 100,
        "score": r["score"],
    })
table = pd.DataFrame(rows, columns=["rank", "township", "status", "reasons", "overdue_open",
                                    "overdue_rate", "progress_gap", "score"])
attention_columns = {
    "rank": st.column_config.NumberColumn(ctx.t("overview.col.rank"), width="small"),
    "township": st.column_config.TextColumn(ctx.t("overview.col.township")),
    "status": st.column_config.TextColumn(ctx.t("overview.col.status"), width="small"),
    "reasons": st.column_config.TextColumn(ctx.t("overview.col.reasons"), width="large"),
    "overdue_open": st.column_config.NumberColumn(ctx.t("overview.col.overdue_open"),
                                                  format="%d"),
    "overdue_rate": st.column_config.NumberColumn(ctx.t("overview.col.overdue_rate"),
                                                  format="%.1f%%"),
    "progress_gap": st.column_config.NumberColumn(ctx.t("overview.col.progress_gap"),
                                                  format="%+.1f%%"),
    "score": st.column_config.NumberColumn(ctx.t("overview.col.score"), format="%.2f",
                                           help=ctx.t("overview.attention_help")),
}
st.dataframe(table, hide_index=True, width="stretch",
             height=min(38 + 35 * max(len(table), 1), 560), column_config=attention_columns)
downloads.table_download(ctx, table, "attention",
                         headers=downloads.column_headers(attention_columns, table.columns))

# ---------------------------------------------------------------- 4. who owns the overdue issues
st.subheader(ctx.t("overview.responsible_title", scope=scope, as_of=as_of))
led = ctx.ledgers()
overdue = overdue_list(led.issues, ctx.as_of)
if overdue.empty:
    st.caption(ctx.t("overview.no_overdue"))
else:
    names = dict(zip(led.townships["township_code"], led.townships["township_name"]))
    owners = (overdue.assign(township=overdue["township_code"].map(names))
              .groupby(["township", "department"], sort=False)
              .agg(overdue_issues=("issue_id", "size"), max_days=("days_overdue", "max"))
              .reset_index()
              .sort_values(["overdue_issues", "max_days"], ascending=False))
    owner_columns = {
        "township": st.column_config.TextColumn(ctx.t("overview.col.township")),
        "department": st.column_config.TextColumn(ctx.t("overview.col.department")),
        "overdue_issues": st.column_config.NumberColumn(ctx.t("overview.col.overdue_issues"), format="%d"),
        "max_days": st.column_config.NumberColumn(ctx.t("overview.col.max_days"), format="%d"),
    }
    st.dataframe(owners, hide_index=True, width="stretch", column_config=owner_columns)
    downloads.table_download(ctx, owners, "overdue_owners",
                             headers=downloads.column_headers(owner_columns, owners.columns))

# ---------------------------------------------------------------- 5. townships compared
if townships:
    st.subheader(ctx.t("overview.charts_title"))
    order = sorted(townships, key=lambda e: e["township_code"])
    f_rows = [{"township_code": e["township_code"], "township_name": e["township_name"],
               "status": e["status"], "value": e["funds"]["disbursement_rate"]} for e in order]
    l_rows = [{"township_code": e["township_code"], "township_name": e["township_name"],
               "status": e["status"], "value": e["loans"]["overdue_rate"]} for e in order]
    fc, lc = st.columns(2)
    with fc:
        funds_fig = charts.township_bars(
            f_rows, "value", ctx.t("overview.funds_chart_title", scope=scope, as_of=as_of),
            reference=fun["time_progress"], reference_label=ctx.t("overview.time_progress"),
            meeting=meeting)
        st.plotly_chart(funds_fig, width="stretch", config=shell.PLOTLY_CONFIG)
        downloads.chart_download(ctx, funds_fig, "overview_funds")
    with lc:
        loans_fig = charts.township_bars(
            l_rows, "value", ctx.t("overview.loans_chart_title", scope=scope, as_of=as_of),
            reference=0.03, reference_label=ctx.t("overview.red_line"),
            reference_color=STATUS_COLORS["red"], meeting=meeting)
        st.plotly_chart(loans_fig, width="stretch", config=shell.PLOTLY_CONFIG)
        downloads.chart_download(ctx, loans_fig, "overview_loans")
