"""资金拨付 Funds: allocated vs disbursed, the disbursement rate against 序时进度 over time,
breakdowns by township / funding source / category, and the stalled projects to chase."""
from __future__ import annotations

import streamlit as st

from duzhan.presentation.markup import markdown_text
from duzhan.viewmodels import funds
from duzhan.views import shell

ctx = shell.current()
shell.header(ctx, "page.funds")
meeting = ctx.filters.meeting
vm = shell.cached(ctx, ("funds", meeting), lambda: funds.build(ctx, meeting))

# the projector's big type needs room
shell.draw_cards(ctx, vm.cards, 3 if ctx.filters.meeting else len(vm.cards))
if vm.no_projects:
    st.info(ctx.t("funds.no_projects"))

# --- the disbursement rate against 序时进度, day by day -------------------------------
st.subheader(ctx.t("funds.section.trend"))
shell.draw_chart(ctx, vm.trend)

# --- by township, funding source, category --------------------------------------------
# one township: nothing to compare it with, so no "分乡镇" in the heading and a note instead
st.subheader(ctx.t("funds.section.breakdown" if vm.compare_note is None
                   else "funds.section.breakdown_one"))
if vm.compare_note:
    st.caption(markdown_text(vm.compare_note))
for tab, (_, chart) in zip(shell.lazy_tabs([label for label, _ in vm.breakdowns],
                                           "funds_breakdown"), vm.breakdowns, strict=False):
    if tab.open:
        with tab:
            shell.draw_chart(ctx, chart)

# --- stalled projects ------------------------------------------------------------------
st.subheader(ctx.t("funds.section.stalled"))
st.caption(markdown_text(vm.stalled_caption))
if vm.stalled is None:
    st.success(ctx.t("funds.stalled.none"))
else:
    shell.draw_table(ctx, vm.stalled)
