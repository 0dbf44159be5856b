"""全省/全市总览 Province overview (a store of several counties): the counties ranked by
status with their reasons, the county map, the headline figures with their change since last
week; a county's button or a click on it opens that county's overview."""
from __future__ import annotations

import streamlit as st

from duzhan.charts import province as charts
from duzhan.geo import classification, counties, mapview
from duzhan.presentation.markup import escape, markdown_text
from duzhan.presentation.palette import STATUS_ORDER
from duzhan.viewmodels import province
from duzhan.viewmodels.spec import Chart
from duzhan.views import shell

chosen = shell.current().county  # outlined on the map
ctx = shell.current().above_counties()  # every county the reader may see
shell.header(ctx, "page.province", scoped=False)
lang, meeting = ctx.lang, ctx.filters.meeting
vm = shell.cached(ctx, ("province", meeting), lambda: province.build(ctx, meeting))
scope, as_of = vm.scope, vm.as_of_text
towns = {c.code: c.townships for c in vm.ranked}


def figures() -> dict[str, Chart]:
    rows = [{"county_code": c.code, "county_name": c.name, "status": c.status, **c.townships}
            for c in vm.ranked]
    return {"towns": Chart(charts.county_townships(
        rows, {s: ctx.t(f"status.{s}") for s in STATUS_ORDER},
        ctx.t("province.towns_chart_title", scope=scope, as_of=as_of), meeting),
        "province_townships")}


figs = shell.cached(ctx, ("province.figures", meeting), figures)


def ranking() -> None:
    st.markdown(f"**{ctx.t('province.ranking_title')}**")
    for c in vm.ranked:
        line, button = st.columns([5, 1], vertical_alignment="center")
        with line:
            n = ctx.t("province.towns_line", **c.townships)
            st.markdown(
                f"<div class='duzhan-flagged'>{c.rank}. {shell.status_badge(c.status, lang)} "
                f"<b>{escape(c.name)}</b> {escape(n)} — {escape(c.short)}</div>",
                unsafe_allow_html=True)
        with button:
            if st.button(ctx.t("province.open"), key=f"province_open_{c.code}",
                         help=ctx.t("province.open_help", county=c.name)):
                shell.select_county(c.code, "overview")


def county_map(height: int) -> None:
    st.markdown(f"**{ctx.t('province.map_title', as_of=as_of)}**")
    gdf = ctx.boundaries()
    if gdf is None:
        st.warning(ctx.t("map.no_geo"))
        return
    names = {c.code: c.name for c in vm.ranked}
    out, legend = shell.draw_map(
        ctx, ("province", meeting, chosen), lambda: counties.county_map(
            counties.dissolve(gdf, vm.county_of, names), vm.counties, lang, towns=towns,
            selected=chosen, label_px=classification.label_px(meeting)),
        key="province_map", height=height, returned_objects=["last_active_drawing"])
    st.markdown(mapview.legend_html(legend, inline=True), unsafe_allow_html=True)
    if not meeting:
        st.caption(ctx.t("province.map_click"))
    # a click opens the county's overview; the map keeps reporting its last click when the
    # page is drawn again, so each (map, click) is followed once
    drawing = (out or {}).get("last_active_drawing") or {}
    clicked = (drawing.get("properties") or {}).get("county_code")
    followed = st.session_state.setdefault("_province_clicks", set())
    if clicked in names and (chosen, clicked) not in followed:
        followed.add((chosen, clicked))
        shell.select_county(clicked, "overview")


def status_summary() -> None:
    for col, c in zip(st.columns(len(STATUS_ORDER)), vm.status_cards, strict=False):
        with col:
            shell.draw_card(ctx, c)
    shell.draw_status_changes(ctx, vm, "province")


st.subheader(markdown_text(ctx.t("province.status_heading", scope=scope, as_of=as_of)))
left, right = st.columns([3, 2])
with left:
    ranking()
    if not meeting:
        status_summary()
with right:
    county_map(480 if meeting else 420)
if meeting:
    status_summary()

shell.draw_headline_cards(ctx, vm, scope, as_of)

st.subheader(markdown_text(ctx.t("province.table_title", scope=scope, as_of=as_of)))
shell.draw_table(ctx, vm.table, height=min(38 + 35 * max(len(vm.table.frame), 1), 560))
shell.draw_chart(ctx, figs["towns"])
