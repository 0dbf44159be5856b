"""阶段进度 Phase progress: the campaign timeline, completion against expected per phase,
township × phase completion, and the overdue tasks."""
import pandas as pd
import streamlit as st

from duzhan.charts import phases as charts
from duzhan.metrics import phases as pm
from duzhan.views import downloads, shell
from duzhan.presentation import format as fmt

ctx = shell.current()
shell.header(ctx, "page.phases")

lang, D, meeting = ctx.lang, ctx.as_of, ctx.filters.meeting
stamp = {"scope": ctx.scope_label(), "as_of": fmt.day(D, lang)}
ledgers = ctx.ledgers()
phases = ledgers.phases.sort_values("phase_no").reset_index(drop=True)
if phases.empty:
    st.info(ctx.t("phases.no_phases"))
    st.stop()

now = ctx.scope_figures()["phases"]
prev_day = shell.week_before(ctx)
prev = ctx.scope_figures(prev_day)["phases"]
by_no = {p["phase_no"]: p for p in now["by_phase"]}
prev_by_no = {p["phase_no"]: p for p in prev["by_phase"]}
cur = now["current_phase"]
names = dict(zip(phases["phase_no"].astype(int), phases["phase_name"]))
ends = dict(zip(phases["phase_no"].astype(int), phases["end_date"]))
delta_help = ctx.t("phases.delta_help", date=fmt.day(prev_day, lang))

# ── headline cards ────────────────────────────────────────────────────────────────────
# meeting mode: bigger type, so fewer cards per row
cols = [*st.columns(3), *st.columns(3)[:2]] if meeting else st.columns(5)
with cols[0]:
    if cur:  # phase names can be long: the name goes in the grey line under the number
        st.metric(ctx.t("phases.card.current"), ctx.t("phases.card.current_no", no=cur),
                  delta=names[cur], delta_color="off", delta_arrow="off", border=True)
    else:
        shell.card(ctx.t("phases.card.current"), fmt.DASH, help=ctx.t("phases.none_current"))
if cur:
    end = ends[cur].date()
    p, pp_ = by_no[cur], prev_by_no.get(cur, {})
    with cols[1]:
        shell.card(ctx.t("phases.card.days_left"), ctx.t("unit.days", n=(end - D).days),
                   help=ctx.t("phases.days_left_help", end=fmt.day(end, lang)))
    with cols[2]:
        shell.week_card(ctx, ctx.t("phases.card.completion"), fmt.pct(p["completion"]),
                        p["completion"], pp_.get("completion"), "pp", "down", help=delta_help)
    with cols[3]:  # the expected completion moves with the calendar: neither good nor bad
        shell.week_card(ctx, ctx.t("phases.card.expected"), fmt.pct(p["expected"]),
                        p["expected"], pp_.get("expected"), "pp", None,
                        help=ctx.t("phases.expected_help"))
overdue_now = sum(p["tasks_overdue"] for p in now["by_phase"])
overdue_prev = sum(p["tasks_overdue"] for p in prev["by_phase"])
with cols[4]:
    shell.week_card(ctx, ctx.t("phases.card.overdue"), fmt.count(overdue_now), overdue_now,
                    overdue_prev, "count", "up",
                    help=ctx.t("phases.overdue_help", date=fmt.day(prev_day, lang)))

if cur:
    p = by_no[cur]
    words = {"phase": charts.phase_label(cur, names[cur], lang),
             "completion": fmt.pct(p["completion"]), "expected": fmt.pct(p["expected"])}
    if now["behind"]:
        st.error(ctx.t("phases.behind_warn", **words), icon=":material/warning:")
    elif now["behind"] is False:
        st.success(ctx.t("phases.on_track", **words), icon=":material/check_circle:")
else:
    st.info(ctx.t("phases.none_current"))

# ── timeline and completion against expected ──────────────────────────────────────────
gantt = charts.gantt_figure(phases, now["by_phase"], as_of=D, current=cur, lang=lang,
                            meeting=meeting, title=ctx.t("phases.title.gantt", **stamp))
st.plotly_chart(gantt, width="stretch", config=shell.PLOTLY_CONFIG)
downloads.chart_download(ctx, gantt, "gantt")
completion = charts.completion_figure(phases, now["by_phase"], current=cur, behind=now["behind"],
                                      lang=lang, meeting=meeting,
                                      title=ctx.t("phases.title.completion", **stamp))
st.plotly_chart(completion, width="stretch", config=shell.PLOTLY_CONFIG)
downloads.chart_download(ctx, completion, "completion")
st.caption(ctx.t("phases.caption.completion"))

# ── township × phase ──────────────────────────────────────────────────────────────────
rows = list(ctx.codes) if ctx.codes is not None else list(ctx.directory.names)
table = pm.township_phase_table(ledgers.phases, ledgers.tasks, D, townships=rows)
if len(table):
    heat = charts.heat_figure(table, phases, ctx.directory.names, lang=lang, meeting=meeting,
                              title=ctx.t("phases.title.heat", **stamp))
    st.plotly_chart(heat, width="stretch", config=shell.PLOTLY_CONFIG)
    downloads.chart_download(ctx, heat, "heat")
    st.caption(ctx.t("phases.caption.heat"))
else:
    st.info(ctx.t("phases.heat_empty"))

# ── overdue tasks ─────────────────────────────────────────────────────────────────────
st.subheader(ctx.t("phases.title.overdue", **stamp))
late = pm.overdue_tasks(ledgers.phases, ledgers.tasks, D)
if late.empty:
    st.success(ctx.t("phases.no_overdue"))
else:
    county_wide = ctx.t("phases.county_wide")
    view = pd.DataFrame({
        "task_name": late["task_name"],
        "township": [county_wide if pd.isna(c) else ctx.directory.label(c)
                     for c in late["township_code"]],
        "phase": [charts.phase_label(n, names.get(int(n), ""), lang) for n in late["phase_no"]],
        "due_date": late["due_date"],
        "days_overdue": late["days_overdue"].astype("int64"),
        "task_id": late["task_id"],
    })
    st.caption(ctx.t("phases.caption.overdue", n=len(view)))
    task_columns = {
        "task_name": st.column_config.TextColumn(ctx.t("phases.col.task"), width="large"),
        "township": st.column_config.TextColumn(ctx.t("phases.col.township")),
        "phase": st.column_config.TextColumn(ctx.t("phases.col.phase")),
        "due_date": st.column_config.DateColumn(ctx.t("phases.col.due"), format="YYYY-MM-DD"),
        "days_overdue": st.column_config.NumberColumn(ctx.t("phases.col.days_overdue"),
                                                      format="%d"),
        "task_id": st.column_config.TextColumn(ctx.t("phases.col.task_id")),
    }
    st.dataframe(view, hide_index=True, width="stretch", column_config=task_columns)
    downloads.table_download(ctx, view, "overdue_tasks",
                             headers=downloads.column_headers(task_columns, view.columns))
