"""督导 Supervision: who must be summoned (约谈), this month's coverage of the listed objects
and who was not visited last month, yellow cards over time, every unit's latest rating, and
the township × month grid of monthly reports. Clicking a township shows its units."""
from __future__ import annotations

import streamlit as st

from duzhan.presentation.markup import markdown_text
from duzhan.viewmodels import supervision
from duzhan.views import shell

ctx = shell.current()
shell.header(ctx, "page.supervision")
meeting = ctx.filters.meeting
vm = shell.cached(ctx, ("supervision", meeting), lambda: supervision.build(ctx, meeting))

# --- 约谈: at the top when anyone is due ----------------------------------------------
if vm.summons is not None:
    st.subheader(ctx.t("supervision.section.summons"))
    st.caption(markdown_text(vm.summons_caption))
    shell.draw_table(ctx, vm.summons)

# two rows of three: six a row cut the week-over-week pills (+28.0个百…) at 1366 px
shell.draw_cards(ctx, vm.cards, 3)

# --- this month's coverage per township; a click shows the township's units ------------
st.subheader(ctx.t("supervision.section.coverage"))
st.caption(markdown_text(vm.coverage_caption))
if vm.compare_note:  # one township: nothing to compare it with
    st.caption(markdown_text(vm.compare_note))
if vm.coverage_chart is not None:  # the table under it holds the same figures
    box, shown = shell.on_demand(ctx, ctx.t("supervision.coverage_chart_open"),
                                 "supervision_coverage_chart")
    if shown:
        with box:
            shell.draw_chart(ctx, vm.coverage_chart)
shell.draw_table(ctx, vm.coverage)
if not meeting and len(vm.townships) > 1:
    codes = [c for c, _ in vm.townships]
    names = dict(vm.townships)  # pill labels are markdown: a township's name shown verbatim
    picked = st.pills(ctx.t("supervision.pick_township"), codes, key="supervision_pick",
                      format_func=lambda c: markdown_text(names[c]), selection_mode="single")
    if picked:  # the pick is a one-off: back on the county the pills start empty
        st.session_state.pop("supervision_pick", None)
        shell.select_townships(ctx, [picked])
if ctx.filters.townships and not meeting:
    if st.button(ctx.t("supervision.back_to_county"), key="supervision_clear"):
        shell.select_townships(ctx, [])

# --- not visited last month --------------------------------------------------------------
st.subheader(ctx.t("supervision.section.unvisited"))
if vm.unvisited_note:
    st.info(vm.unvisited_note)
else:
    st.caption(markdown_text(vm.unvisited_caption))
    if vm.unvisited is None:
        st.success(ctx.t("supervision.unvisited.none"))
    else:
        shell.draw_table(ctx, vm.unvisited)

# --- yellow cards over time ------------------------------------------------------------
st.subheader(ctx.t("supervision.section.yellow"))
shell.draw_chart_html(ctx, vm.yellow, vm.yellow_html)

# --- every unit's latest rating ---------------------------------------------------------
st.subheader(ctx.t("supervision.section.units"))
st.caption(markdown_text(vm.units_caption))
shell.draw_table(ctx, vm.units)

# --- monthly reports: township × month --------------------------------------------------
st.subheader(ctx.t("supervision.section.reports"))
if vm.reports_note:
    st.info(vm.reports_note)
else:
    st.caption(markdown_text(vm.reports_caption))
    if vm.reports_chart is not None:  # the table under it holds the same months
        box, shown = shell.on_demand(ctx, ctx.t("supervision.reports_chart_open"),
                                     "supervision_reports_chart")
        if shown:
            with box:
                shell.draw_chart(ctx, vm.reports_chart)
    if vm.reports is not None:
        shell.draw_table(ctx, vm.reports)
