"""阶段进度 Phase progress: the campaign timeline, completion against expected per phase,
township × phase completion, and the overdue tasks."""
import streamlit as st

from duzhan.presentation import format as fmt
from duzhan.presentation.markup import markdown_text
from duzhan.viewmodels import phases
from duzhan.views import shell

ctx = shell.current()
shell.header(ctx, "page.phases")
meeting = ctx.filters.meeting
vm = shell.cached(ctx, ("phases", meeting), lambda: phases.build(ctx, meeting))
if vm is None:
    st.info(ctx.t("phases.no_phases"))
    st.stop()

# ── headline cards ────────────────────────────────────────────────────────────────────
# meeting mode: bigger type, so fewer cards per row
cols = [*st.columns(3), *st.columns(3)[:2]] if meeting else st.columns(5)
for column, card in zip(cols, vm.cards, strict=False):
    if card is not None:
        with column:
            shell.draw_card(ctx, card)

SAY = {"behind": (st.error, ":material/warning:"), "on_track": (st.success,
                                                                ":material/check_circle:")}
if vm.level == "none":
    st.info(markdown_text(vm.message))
elif vm.level in SAY:
    say, icon = SAY[vm.level]
    say(markdown_text(vm.message), icon=icon)

# ── timeline and completion against expected ──────────────────────────────────────────
shell.draw_chart(ctx, vm.gantt)
shell.draw_chart(ctx, vm.completion)
st.caption(ctx.t("phases.caption.completion"))

# ── township × phase ──────────────────────────────────────────────────────────────────
if vm.heat is not None:
    shell.draw_chart(ctx, vm.heat)
    st.caption(ctx.t("phases.caption.heat"))
else:
    st.info(ctx.t("phases.heat_empty"))

# ── overdue tasks ─────────────────────────────────────────────────────────────────────
st.subheader(markdown_text(ctx.t("phases.title.overdue", scope=ctx.scope_label(),
                                 as_of=fmt.day(ctx.as_of, ctx.lang))))
if vm.overdue is None:
    st.success(ctx.t("phases.no_overdue"))
else:
    st.caption(markdown_text(vm.overdue_caption))
    shell.draw_table(ctx, vm.overdue)
