"""资金拨付 Funds: allocated vs disbursed, the disbursement rate against 序时进度 over time,
breakdowns by township / funding source / category, and the stalled projects to chase."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from duzhan.charts import funds as charts
from duzhan.metrics import funds as fm
from duzhan.views import downloads, shell
from duzhan.presentation import format as fmt

ctx = shell.current()
shell.header(ctx, "page.funds")
lang = ctx.lang
now = ctx.scope_figures()["funds"]
before = ctx.scope_figures(shell.week_before(ctx))["funds"]
L = ctx.ledgers()
scope = ctx.scope_label()


def _wan_label(key: str) -> str:
    return ctx.t("funds.with_unit", label=ctx.t(key), unit=ctx.t("unit.wan_yuan"))


# money cards carry the unit in the label, so the figure itself fits the card
CARDS = [  # label, value, figure, kind of change, which way is worse, help
    (_wan_label("funds.allocated"), fmt.wan(now["allocated"], lang, unit=False), "allocated",
     "wan", "down", ctx.t("funds.card.allocated_help")),
    (_wan_label("funds.disbursed"), fmt.wan(now["disbursed"], lang, unit=False), "disbursed",
     "wan", "down", ctx.t("funds.card.disbursed_help")),
    (ctx.t("funds.disbursement_rate"), fmt.pct(now["disbursement_rate"]), "disbursement_rate",
     "pp", "down", ctx.t("funds.card.rate_help", tp=fmt.pct(now["time_progress"]))),
    (ctx.t("funds.gap"), fmt.pp(now["progress_gap"]), "progress_gap", "pp", "down",
     ctx.t("funds.card.gap_help")),
    (ctx.t("funds.stalled"), fmt.count(now["stalled_projects"]), "stalled_projects", "count",
     "up", ctx.t("funds.card.stalled_help")),
]
CAPTIONS = {"progress_gap": ctx.t("funds.card.tp_caption", tp=fmt.pct(now["time_progress"]))}
per_row = 3 if ctx.filters.meeting else len(CARDS)  # the projector's big type needs room
for start in range(0, len(CARDS), per_row):
    row = CARDS[start:start + per_row]
    for column, (label, value, key, kind, worse, tip) in zip(st.columns(per_row), row):
        with column:
            shell.week_card(ctx, label, value, now[key], before[key], kind, worse, tip,
                            caption=CAPTIONS.get(key))

if not now["allocated"]:
    st.info(ctx.t("funds.no_projects"))

# --- the disbursement rate against 序时进度, day by day -------------------------------
st.subheader(ctx.t("funds.section.trend"))
series = fm.funds_series(L.projects, L.disbursements, ctx.as_of)
trend = charts.rate_vs_time(series, lang=lang, scope=scope, as_of=ctx.as_of,
                            meeting=ctx.filters.meeting)
st.plotly_chart(trend, width="stretch", config=shell.PLOTLY_CONFIG)
downloads.chart_download(ctx, trend, "funds_series")

# --- by township, funding source, category --------------------------------------------
st.subheader(ctx.t("funds.section.breakdown"))
tp = fm.time_progress(ctx.as_of)
tabs = st.tabs([ctx.t("funds.tab.township"), ctx.t("funds.tab.source"),
                ctx.t("funds.tab.category")])
for tab, by in zip(tabs, ("township_code", "funding_source", "category")):
    with tab:
        frame = fm.breakdown(L.projects, L.disbursements, ctx.as_of, by)
        labels = ctx.directory.names if by == "township_code" else None
        bars = charts.breakdown_bars(frame, by=by, time_progress=tp, lang=lang, scope=scope,
                                     as_of=ctx.as_of, labels=labels, meeting=ctx.filters.meeting)
        st.plotly_chart(bars, width="stretch", config=shell.PLOTLY_CONFIG)
        downloads.chart_download(ctx, bars, f"funds_by_{by}")

# --- stalled projects ------------------------------------------------------------------
st.subheader(ctx.t("funds.section.stalled"))
stalled = fm.stalled_projects_list(L.projects, L.disbursements, ctx.as_of)
st.caption(ctx.t("funds.stalled.caption", scope=scope, as_of=fmt.day(ctx.as_of, lang),
                 n=len(stalled)))
if stalled.empty:
    st.success(ctx.t("funds.stalled.none"))
else:
    table = pd.DataFrame({
        "project_id": stalled["project_id"],
        "project_name": stalled["project_name"],
        "township": stalled["township_code"].map(ctx.directory.label),
        "days_waited": stalled["days_waited"].astype("int64"),
        "own_rate": stalled["own_rate"].astype("float64") * 100,
        "allocated": stalled["allocated_amount_fen"].astype("int64") / 1_000_000,
        "disbursed": stalled["disbursed_fen"].astype("int64") / 1_000_000,
        "allocated_date": pd.to_datetime(stalled["allocated_date"]).dt.date,
        "funding_source": stalled["funding_source"],
        "category": stalled["category"],
    })
    col = st.column_config
    stalled_columns = {
        "project_id": col.TextColumn(ctx.t("funds.col.project_id")),
        "project_name": col.TextColumn(ctx.t("funds.col.project_name"), width="medium"),
        "township": col.TextColumn(ctx.t("funds.col.township")),
        "funding_source": col.TextColumn(ctx.t("funds.col.funding_source")),
        "category": col.TextColumn(ctx.t("funds.col.category")),
        "allocated_date": col.DateColumn(ctx.t("funds.col.allocated_date"),
                                         format="YYYY-MM-DD"),
        "days_waited": col.NumberColumn(ctx.t("funds.col.days_waited"), format="%d"),
        "allocated": col.NumberColumn(ctx.t("funds.col.allocated"), format="%.2f"),
        "disbursed": col.NumberColumn(ctx.t("funds.col.disbursed"), format="%.2f"),
        "own_rate": col.ProgressColumn(ctx.t("funds.col.own_rate"), format="%.1f%%",
                                       min_value=0, max_value=100),
    }
    st.dataframe(table, hide_index=True, width="stretch", column_config=stalled_columns)
    downloads.table_download(ctx, table, "stalled_projects",
                             headers=downloads.column_headers(stalled_columns, table.columns))
