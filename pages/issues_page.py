"""问题整改 Issue burndown: headline figures, burndown with ideal line and forecasts, burnup,
breakdowns (township, responsible unit, source, category) and the overdue list."""
import streamlit as st

from duzhan.presentation import format as fmt
from duzhan.presentation.markup import markdown_text
from duzhan.viewmodels import issues
from duzhan.views import shell

ctx = shell.current()
shell.header(ctx, "page.issues")
meeting = ctx.filters.meeting
vm = shell.cached(ctx, ("issues", meeting), lambda: issues.build(ctx, meeting))

# ── headline cards ────────────────────────────────────────────────────────────────────
# six counts and rates in two rows of three; the two dates (2027年2月26日, or the words for
# "never at this pace") get a row of their own, as wide as a card needs
slots = [*st.columns(3), *st.columns(3), *st.columns(2)]
for column, card in zip(slots, [*vm.cards, vm.forecast_card, vm.target_card], strict=False):
    with column:
        shell.draw_card(ctx, card)

ICONS = {"done": ":material/check_circle:", "stalled": ":material/warning:",
         "late": ":material/schedule:", "ok": ":material/check_circle:"}
SAY = {"done": st.success, "stalled": st.error, "late": st.warning, "ok": st.success}
SAY[vm.level](markdown_text(vm.message), icon=ICONS[vm.level])

# ── burndown ──────────────────────────────────────────────────────────────────────────
options = vm.targets
if meeting:  # the projector shows the figures, not the tools: the default ideal line
    choice, start = next(iter(options), None), vm.default_start
else:
    left, right = st.columns(2)
    with left:
        choice = st.selectbox(ctx.t("issues.target_select"), list(options),
                              format_func=lambda k: options[k][1]) if options else None
    with right:
        start = st.date_input(ctx.t("issues.start_select"), value=vm.default_start,
                              min_value=vm.first_day, max_value=ctx.as_of,
                              format="YYYY-MM-DD", help=ctx.t("issues.start_help")) \
            or vm.first_day
target = options[choice][0] if choice else None
burndown, ideal_empty = shell.cached(ctx, ("issues.burndown", target, start, meeting),
                                     lambda: issues.burndown_chart(ctx, vm, target, start, meeting))
shell.draw_chart(ctx, burndown)
if ideal_empty:
    st.info(ctx.t("issues.ideal_empty"))
st.caption(markdown_text(vm.burndown_caption))

# ── burnup ────────────────────────────────────────────────────────────────────────────
shell.draw_chart(ctx, vm.burnup)
st.caption(ctx.t("issues.caption.burnup"))

# ── breakdowns ────────────────────────────────────────────────────────────────────────
# a heading of their own, so one township's note reads as theirs (not the burnup's): no
# "分乡镇" in it then, and the note says why
st.subheader(ctx.t("issues.section.breakdown" if vm.compare_note is None
                   else "issues.section.breakdown_one"))
if vm.compare_note:
    st.caption(markdown_text(vm.compare_note))
for tab, b in zip(shell.lazy_tabs([b.tab for b in vm.breakdowns], "issues_breakdown"),
                  vm.breakdowns, strict=False):
    if not tab.open:
        continue
    with tab:
        if b.chart is None:
            st.info(ctx.t("issues.breakdown_empty"))
            continue
        shell.draw_chart(ctx, b.chart)
        shell.draw_table(ctx, b.table, key=f"issues_table_{b.by}",
                         height=min(38 + 35 * len(b.table.frame), 740))

# ── overdue list ──────────────────────────────────────────────────────────────────────
st.subheader(markdown_text(ctx.t("issues.title.overdue", scope=ctx.scope_label(),
                                 as_of=fmt.day(ctx.as_of, ctx.lang))))
if vm.overdue is None:
    st.success(ctx.t("issues.no_overdue"))
else:
    st.caption(markdown_text(vm.overdue_caption))
    shell.draw_table(ctx, vm.overdue, key="issues_overdue")
