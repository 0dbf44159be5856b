"""户情 Households: 两不愁三保障 gaps by item and township and how they closed, check coverage,
the monitoring funnel and the households waiting for assistance (ids masked), and the
relocation sites' occupancy and employment against plan."""
from __future__ import annotations

import streamlit as st

from duzhan.presentation.markup import markdown_text
from duzhan.viewmodels import households
from duzhan.views import shell

ctx = shell.current()
shell.header(ctx, "page.households")
meeting = ctx.filters.meeting
vm = shell.cached(ctx, ("households", meeting), lambda: households.build(ctx, meeting))

shell.draw_cards(ctx, vm.cards, 3 if meeting else 4)


def pair(left, right) -> None:
    """Two charts side by side (one under the other on the projector)."""
    if meeting or right is None:
        for chart in (left, right):
            if chart is not None:
                shell.draw_chart(ctx, chart)
        return
    a, b = st.columns(2)
    with a:
        shell.draw_chart(ctx, left)
    with b:
        shell.draw_chart(ctx, right)


# The three parts, each a tab drawn only when picked (shell.lazy_tabs): the page's eight
# plotly charts all drawn took the browser ≈0.1–0.25 s of CPU each on every load. The
# projector (meeting mode) shows every part, one under the other, without a click.
PARTS = ("households.section.guarantees", "households.section.monitoring",
         "households.section.relocation")
if meeting:
    boxes = []
    for part in PARTS:
        box = st.container()
        box.subheader(ctx.t(part))
        boxes.append(box)
    shown = [True] * len(PARTS)
else:
    boxes = shell.lazy_tabs([ctx.t(part) for part in PARTS], "households_part")
    shown = [box.open for box in boxes]


def guarantees() -> None:
    """两不愁三保障: gaps by item and township, over time, check coverage, the townships."""
    if vm.no_checks:
        st.info(ctx.t("households.no_checks_info"))
    if vm.compare_note:  # one township: nothing to compare it with
        st.caption(markdown_text(vm.compare_note))
    pair(vm.gap_items, vm.gaps_by_township)
    st.subheader(ctx.t("households.section.trend"))
    shell.draw_chart(ctx, vm.gaps_over_time)
    if vm.coverage is not None:
        st.subheader(ctx.t("households.section.coverage"))
        shell.draw_chart(ctx, vm.coverage)
    # one township: its own row, not a "各乡镇" comparison
    st.subheader(ctx.t("households.section.townships" if vm.compare_note is None
                       else "households.section.township_one"))
    st.caption(markdown_text(vm.townships_caption))
    shell.draw_table(ctx, vm.townships)


def monitoring() -> None:
    """防返贫监测: the funnel, those at risk by risk and category, the households waiting."""
    if vm.no_monitored:
        st.info(ctx.t("households.no_monitored_info"))
    shell.draw_chart(ctx, vm.funnel)
    pair(vm.by_risk, vm.by_category)
    st.subheader(ctx.t("households.section.unassisted"))
    st.caption(markdown_text(vm.unassisted_caption))
    if vm.unassisted is None:
        st.success(ctx.t("households.unassisted.none"))
    else:
        shell.draw_table(ctx, vm.unassisted)


def relocation() -> None:
    """易地扶贫搬迁: the sites' occupancy and employment, those not checked lately."""
    if vm.no_sites:
        st.info(ctx.t("households.no_sites_info"))
        return
    st.caption(markdown_text(vm.sites_caption))
    shell.draw_chart(ctx, vm.sites_chart)
    shell.draw_table(ctx, vm.sites)
    st.subheader(ctx.t("households.section.unchecked"))
    st.caption(markdown_text(vm.unchecked_caption))
    if vm.unchecked is None:
        st.success(ctx.t("households.unchecked.none"))
    else:
        shell.draw_table(ctx, vm.unchecked)


for box, open_, draw in zip(boxes, shown, (guarantees, monitoring, relocation), strict=True):
    if open_:
        with box:
            draw()
