"""小额信贷 Micro-loans: balance and overdue risk against the 3% red line, aging, banks, and
the lists to act on (due in 30 days, overdue, extended). Household ids are always masked."""
from __future__ import annotations

import streamlit as st

from duzhan.presentation.markup import markdown_text
from duzhan.viewmodels import loans
from duzhan.views import shell

ctx = shell.current()
shell.header(ctx, "page.loans")
meeting = ctx.filters.meeting
vm = shell.cached(ctx, ("loans", meeting), lambda: loans.build(ctx, meeting))

shell.draw_cards(ctx, vm.cards, 3 if meeting else 4)  # the projector's big type needs room
{None: st.info, "red": st.error, "yellow": st.warning, "green": st.success}[vm.level](
    markdown_text(vm.line_message))


def _side_by_side(widths: list[int]) -> list:
    """Columns on a desk screen; one chart under the other on the projector."""
    if meeting:
        return [st.container(), st.container()]
    return st.columns(widths)


# --- overdue risk: by township against the red line, and aging ---------------------------
st.subheader(ctx.t("loans.section.risk"))
left, right = _side_by_side([3, 2])
with left:
    shell.draw_chart(ctx, vm.by_area)
with right:
    shell.draw_chart(ctx, vm.aging)

# --- by lending bank --------------------------------------------------------------------
st.subheader(ctx.t("loans.section.banks"))
# beside the chart the table was too narrow for its eight columns at 1366 px (it scrolled
# sideways and hid the loan columns): chart and table one under the other
shell.draw_chart(ctx, vm.by_bank)
st.caption(markdown_text(vm.banks_caption))
shell.draw_table(ctx, vm.banks)

# --- lists to act on -------------------------------------------------------------------
st.subheader(ctx.t("loans.section.lists"))
# a list's data grid drawn only in the tab picked (shell.lazy_tabs; the projector shows all).
# Its label carries the count: a filter that changes a count shows the first list again.
for tab, item in zip(shell.lazy_tabs([item.tab for item in vm.lists], "loans_list"), vm.lists,
                     strict=False):
    if not (meeting or tab.open):
        continue
    with tab:
        st.caption(markdown_text(item.caption))
        if item.table.frame.empty:
            st.success(ctx.t("loans.empty_list"))
        else:
            shell.draw_table(ctx, item.table)
