"""总览 Overview: which townships are red and why, the headline figures with their change
since last week, the status map, who needs attention and who owns the overdue issues."""
from __future__ import annotations

import streamlit as st

from duzhan.charts import overview as charts
from duzhan.geo import classification, mapview
from duzhan.presentation.markup import markdown_text
from duzhan.presentation.palette import STATUS_COLORS, STATUS_ORDER
from duzhan.viewmodels import overview
from duzhan.viewmodels.spec import Chart
from duzhan.views import downloads, shell

ctx = shell.current()
shell.header(ctx, "page.overview")
lang, meeting = ctx.lang, ctx.filters.meeting
vm = shell.cached(ctx, ("overview",), lambda: overview.build(ctx))
scope, as_of = vm.scope, vm.as_of_text
SEP = ctx.t("overview.sep")
STATUS_WORDS = {s: ctx.t(f"status.{s}") for s in STATUS_ORDER}
STRIP_TITLE = ctx.t("overview.status_title", scope=scope, as_of=as_of, n=len(vm.townships))


def figures() -> dict[str, Chart]:
    """The page's three charts (made once per data version, scope, day, language, mode)."""
    out = {"strip": Chart(charts.status_strip(vm.counts, STATUS_WORDS, STRIP_TITLE, meeting),
                          "status_strip")}
    out["funds"] = Chart(charts.township_bars(
        vm.funds_rows, "value", ctx.t("overview.funds_chart_title", scope=scope, as_of=as_of),
        reference=vm.time_progress, reference_label=ctx.t("overview.time_progress"),
        meeting=meeting, sub=ctx.t("overview.chart_sub", as_of=as_of)), "overview_funds")
    out["loans"] = Chart(charts.township_bars(
        vm.loans_rows, "value", ctx.t("overview.loans_chart_title", scope=scope, as_of=as_of),
        reference=vm.loan_red_line, reference_label=ctx.t("overview.red_line"),
        reference_color=STATUS_COLORS["red"], meeting=meeting,
        sub=ctx.t("overview.chart_sub", as_of=as_of)), "overview_loans")
    return out


figs = shell.cached(ctx, ("overview.figures", meeting), figures) if vm.townships else {}

# ---------------------------------------------------------------- 0. the briefing pack (汇报材料)
downloads.brief_download(ctx)

# ---------------------------------------------------------------- 1. status, reasons, map


def status_summary() -> None:
    # HTML, not plotly: the first screen needs no plotly bundle (its figure is the PNG)
    shell.draw_chart_html(ctx, figs["strip"], charts.status_strip_html(
        vm.counts, STATUS_WORDS, STRIP_TITLE, meeting))
    for col, c in zip(st.columns(len(STATUS_ORDER)), vm.status_cards, strict=False):
        with col:
            shell.draw_card(ctx, c)
    st.markdown(ctx.t("overview.scope_status", scope=markdown_text(scope),
                      badge=shell.status_badge(vm.scope_status, lang))
                + (f" — {markdown_text(SEP.join(vm.scope_reasons))}" if vm.scope_reasons else ""),
                unsafe_allow_html=True)


def flagged_list() -> None:
    st.markdown(f"**{ctx.t('overview.reasons_title')}**")
    if not vm.flagged:
        st.success(ctx.t("overview.all_green"))
    shell.draw_flagged(ctx, vm.flagged)


def week_changes() -> None:
    shell.draw_status_changes(ctx, vm, "overview")


def status_map(height: int) -> None:
    st.markdown(f"**{ctx.t('overview.map_title', as_of=as_of)}**")
    if ctx.codes is not None:
        st.caption(markdown_text(ctx.t("map.scope_outlined", scope=scope)))
    gdf = ctx.boundaries()
    if gdf is None:
        st.warning(ctx.t("map.no_geo"))
        return
    _, legend = shell.draw_map(
        ctx, ("overview", meeting), lambda: mapview.build_map(
            gdf, ctx.county_report(), "status", lang, static=True, scope=ctx.codes,
            label_px=classification.label_px(meeting)),
        key="overview_map", height=height)
    st.markdown(mapview.legend_html(legend, inline=True), unsafe_allow_html=True)
    if not meeting:
        st.caption(ctx.t("overview.map_more"))


if meeting:
    # the projector's first screen: who is red or yellow and why, in big type, the map
    # beside it; the counts follow
    status_col, map_col = st.columns([3, 2])
    with status_col:
        if not vm.townships:
            st.info(ctx.t("overview.empty"))
        else:
            flagged_list()
    with map_col:
        status_map(480)
    if vm.townships:
        status_summary()
        week_changes()
else:
    st.subheader(ctx.t("overview.status_heading"))
    status_col, map_col = st.columns([3, 2])
    with status_col:
        if not vm.townships:
            st.info(ctx.t("overview.empty"))
        else:
            status_summary()
            flagged_list()
            week_changes()
    with map_col:
        status_map(350)

# ---------------------------------------------------------------- 2. headline cards
shell.draw_headline_cards(ctx, vm, scope, as_of)

# 督导: coverage, yellow cards, who is due a summons, reporting rate (when in use)
if vm.supervision_cards:
    st.markdown(f"**{ctx.t('overview.group.supervision')}**")
    shell.draw_cards(ctx, vm.supervision_cards, 2 if meeting else len(vm.supervision_cards))

# ---------------------------------------------------------------- 3. who needs attention
st.subheader(markdown_text(ctx.t("overview.attention_title", scope=scope, as_of=as_of)))
shell.draw_table(ctx, vm.attention, height=min(38 + 35 * max(len(vm.attention.frame), 1), 560))

# ---------------------------------------------------------------- 4. who owns the overdue issues
st.subheader(markdown_text(ctx.t("overview.responsible_title", scope=scope, as_of=as_of)))
if vm.owners is None:
    st.caption(ctx.t("overview.no_overdue"))
else:
    shell.draw_table(ctx, vm.owners)

# ---------------------------------------------------------------- 5. townships compared
# one township has nothing to be compared with: no one-bar "各乡镇" chart, nor its heading
if vm.townships and not vm.compare:
    st.caption(markdown_text(ctx.t("overview.compare_one", scope=scope)))
elif vm.townships:
    st.subheader(ctx.t("overview.charts_title"))
    # the page's only plotly charts, whose 4.7 MB bundle took the browser longer than the
    # rest of the page
    box, shown = shell.on_demand(ctx, ctx.t("overview.compare_open"), "overview_compare")
    if shown:
        with box:
            fc, lc = st.columns(2)
            with fc:
                shell.draw_chart(ctx, figs["funds"])
            with lc:
                shell.draw_chart(ctx, figs["loans"])
