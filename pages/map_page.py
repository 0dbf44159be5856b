"""乡镇地图 Township map: the townships coloured by a chosen measure, with a legend of its
classes, tooltips with the key figures, the listed villages, and a table of the same
figures. Clicking a township filters the dashboard to it."""
from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from duzhan.geo import classification, mapview
from duzhan.views import data, downloads, shell
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import STATUS_SYMBOLS

ctx = shell.current()
shell.header(ctx, "page.map")
lang, meeting = ctx.lang, ctx.filters.meeting
scope, as_of = ctx.scope_label(), fmt.day(ctx.as_of, lang)

# every township is coloured (classes over the whole county); the filtered scope is outlined
county_report = ctx.county_report()
report = ctx.report()

controls = st.columns([2, 1, 2])
with controls[0]:
    metric = st.selectbox(ctx.t("map.metric"), list(classification.METRICS), key="map_metric",
                          format_func=lambda k: ctx.t(f"map.metric.{k}"))
with controls[1]:
    show_villages = st.toggle(ctx.t("map.show_villages"), value=True, key="map_villages")

gdf = data.boundaries()
if gdf is None:
    st.warning(ctx.t("map.no_geo"))
    st.stop()
data.static_assets()

cls = classification.classify(county_report, metric, lang)
villages = None
listed = ctx.ledgers().villages
listed = listed[listed["listed"]]
if show_villages:
    villages = listed
m, legend = mapview.build_map(gdf, county_report, metric, lang, villages=villages,
                              scope=ctx.codes, classification=cls)

st.subheader(ctx.t("map.title", metric=ctx.t(f"map.metric.{metric}"), as_of=as_of))
if ctx.codes is not None:
    st.caption(ctx.t("map.scope_outlined", scope=scope))
map_col, legend_col = st.columns([4, 1])
with map_col:
    out = st_folium(m, key="township_map", height=760 if meeting else 560,
                    use_container_width=True, returned_objects=["last_active_drawing"])
    # the static map: same classes and colours, the villages as shown
    downloads.map_download(ctx, gdf, county_report, metric, villages=villages,
                           classification=cls)
with legend_col:
    st.markdown(mapview.legend_html(legend), unsafe_allow_html=True)
    st.caption(ctx.t("map.legend_count"))
    if show_villages:
        st.markdown(ctx.t("map.villages_legend", n=len(listed)))
    st.caption(ctx.t("map.click_hint"))
    if ctx.filters.townships:
        if st.button(ctx.t("map.clear_selection"), key="map_clear"):
            shell.select_townships(ctx, [])

# a click on a township filters the dashboard to it (the sidebar widget syncs the URL)
drawing = (out or {}).get("last_active_drawing") or {}
clicked = (drawing.get("properties") or {}).get("township_code")
if clicked and clicked in ctx.directory.names and list(ctx.filters.townships) != [clicked]:
    shell.select_townships(ctx, [clicked])

# ---------------------------------------------------------------- the same figures as a table
st.subheader(ctx.t("map.table_title", scope=scope, as_of=as_of))
table = classification.figures_frame(report)
table.insert(2, "cls_label", [
    next((c.label for c in legend.classes if c.key == cls.class_of.get(code)),
         legend.no_data.label if legend.no_data else fmt.DASH)
    for code in table["township_code"]
])
table["status"] = [f"{STATUS_SYMBOLS[s]} {ctx.t(f'status.{s}')}" for s in table["status"]]
for col in ("closure_rate", "disbursement_rate", "progress_gap", "overdue_rate", "par30"):
    table[col] = table[col].astype("float64") * 100
table["balance"] = table["balance"].astype("float64") / 10_000
pct = "%.1f%%"
order = ["township_name", "township_code", "status",
         *([] if metric == "status" else ["cls_label"]),
         *[c for c in classification.FIGURE_COLUMNS if c != "status"]]
figure_columns = {
    "township_name": st.column_config.TextColumn(ctx.t("map.col.township")),
    "township_code": st.column_config.TextColumn(ctx.t("map.col.code")),
    "status": st.column_config.TextColumn(ctx.t("map.col.status")),
    "cls_label": st.column_config.TextColumn(
        ctx.t("map.col.class") + f" · {ctx.t(f'map.metric.{metric}')}"),
    "closure_rate": st.column_config.NumberColumn(ctx.t("map.metric.closure_rate"), format=pct),
    "open_issues": st.column_config.NumberColumn(ctx.t("map.metric.open_issues"), format="%d"),
    "overdue_open": st.column_config.NumberColumn(ctx.t("map.metric.overdue_open"), format="%d"),
    "tasks_overdue": st.column_config.NumberColumn(ctx.t("map.metric.tasks_overdue"), format="%d"),
    "disbursement_rate": st.column_config.NumberColumn(ctx.t("map.metric.disbursement_rate"),
                                                       format=pct),
    "progress_gap": st.column_config.NumberColumn(ctx.t("map.metric.progress_gap"),
                                                  format="%+.1f%%"),
    "overdue_rate": st.column_config.NumberColumn(ctx.t("map.metric.overdue_rate"), format=pct),
    "par30": st.column_config.NumberColumn(ctx.t("map.metric.par30"), format=pct),
    "balance": st.column_config.NumberColumn(ctx.t("map.col.balance"), format="%.2f"),
}
st.dataframe(table, hide_index=True, width="stretch", height=3 + 35 * (len(table) + 1),
             column_order=order, column_config=figure_columns)
downloads.table_download(ctx, table[order], "map_table",
                         headers=downloads.column_headers(figure_columns, order))
