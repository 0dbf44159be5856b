"""乡镇地图 Township map: the townships coloured by a chosen measure, with a legend of its
classes, tooltips with the key figures, the listed villages, and a table of the same
figures. Clicking a township filters the dashboard to it."""
from __future__ import annotations

import streamlit as st

from duzhan.geo import classification, mapview
from duzhan.presentation import format as fmt
from duzhan.presentation.markup import markdown_text
from duzhan.viewmodels import map as mapmodel
from duzhan.views import downloads, shell

ctx = shell.current()
shell.header(ctx, "page.map")
lang, meeting = ctx.lang, ctx.filters.meeting
scope, as_of = ctx.scope_label(), fmt.day(ctx.as_of, lang)

if meeting:  # the projector shows the figures, not the tools: the default measure, villages on
    metric, show_villages, show_sites = next(iter(classification.METRICS)), True, True
else:
    controls = st.columns([2, 1, 1, 1])
    with controls[0]:
        metric = st.selectbox(ctx.t("map.metric"), list(classification.METRICS),
                              key="map_metric", format_func=lambda k: ctx.t(f"map.metric.{k}"))
    with controls[1]:
        show_villages = st.toggle(ctx.t("map.show_villages"), value=True, key="map_villages")
    with controls[2]:
        show_sites = st.toggle(ctx.t("households.map.show_sites"), value=True, key="map_sites")

gdf = ctx.boundaries()
if gdf is None:
    st.warning(ctx.t("map.no_geo"))
    st.stop()

# every township is coloured (classes over the whole county); the filtered scope is outlined
vm = shell.cached(ctx, ("map", metric, show_villages, meeting, show_sites),
                  lambda: mapmodel.build(ctx, metric, show_villages, meeting, show_sites))

st.subheader(ctx.t("map.title", metric=ctx.t(f"map.metric.{metric}"), as_of=as_of))
if ctx.codes is not None:
    st.caption(markdown_text(ctx.t("map.scope_outlined", scope=scope)))


def make_map():
    """The township map, with the relocation sites on it as markers when shown."""
    m, map_legend = mapview.build_map(
        gdf, vm.county_report, metric, lang, villages=vm.villages, scope=ctx.codes,
        classification=vm.classification, label_px=classification.label_px(meeting))
    return mapview.site_markers(m, vm.sites, lang), map_legend


map_col, legend_col = st.columns([4, 1])
with map_col:
    out, legend = shell.draw_map(
        ctx, ("map", metric, show_villages, meeting, show_sites), make_map,
        key="township_map", height=600 if meeting else 560,
        returned_objects=["last_active_drawing"])
    # the static map: same classes and colours, the villages and sites as shown
    downloads.map_download(ctx, gdf, vm.county_report, metric, villages=vm.villages,
                           sites=vm.sites, classification=vm.classification)
with legend_col:
    st.markdown(mapview.legend_html(legend), unsafe_allow_html=True)
    st.caption(ctx.t("map.legend_count"))
    if show_villages:
        st.markdown(ctx.t("map.villages_legend", n=len(vm.listed)))
    if vm.sites is not None and len(vm.sites):
        st.markdown(mapview.site_legend_html(lang), unsafe_allow_html=True)
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
st.subheader(markdown_text(ctx.t("map.table_title", scope=scope, as_of=as_of)))
shell.draw_table(ctx, vm.table, height=3 + 35 * (len(vm.table.frame) + 1))
