"""问题整改 Issue burndown: headline figures, burndown with ideal line and forecasts, burnup,
breakdowns (township, responsible unit, source, category) and the overdue list."""
import pandas as pd
import streamlit as st

from duzhan.charts import issues as charts
from duzhan.metrics import issues as im
from duzhan.views import downloads, shell
from duzhan.presentation import format as fmt

ctx = shell.current()
shell.header(ctx, "page.issues")

lang, D, meeting = ctx.lang, ctx.as_of, ctx.filters.meeting
stamp = {"scope": ctx.scope_label(), "as_of": fmt.day(D, lang)}
ledgers = ctx.ledgers()
issues = ledgers.issues
phases = ledgers.phases.sort_values("phase_no").reset_index(drop=True)

now = ctx.scope_figures()["issues"]
prev_day = shell.week_before(ctx)
prev = ctx.scope_figures(prev_day)["issues"]
delta_help = ctx.t("issues.delta_help", date=fmt.day(prev_day, lang))


def _date(s):
    return None if s is None else pd.Timestamp(s).date()


# ── headline cards ────────────────────────────────────────────────────────────────────
forecast, target = _date(now["forecast_clear_date"]), _date(now["clearance_target"])
forecast0 = _date(prev["forecast_clear_date"])
if meeting:  # projector type is big: the dates get a row of their own
    row1, row2 = st.columns(4), [*st.columns(2), *st.columns(2)]
else:
    row1, row2 = st.columns(4), st.columns([1, 1, 1.25, 1.25])
CARDS = [  # card, figure, kind of change, which way is worse (None: neither)
    ("found", "found", "count", None), ("closed", "closed", "count", "down"),
    ("open", "open", "count", "up"), ("closure_rate", "closure_rate", "pp", "down"),
    ("overdue_open", "overdue_open", "count", "up"),
    ("closed_28d", "closed_last_28d", "count", "down"),
]
for column, (card, key, kind, worse) in zip([*row1, *row2[:2]], CARDS):
    with column:
        value = fmt.pct(now[key]) if kind == "pp" else fmt.count(now[key])
        shell.week_card(ctx, ctx.t(f"issues.card.{card}"), value, now[key], prev[key], kind,
                        worse, help=delta_help)
with row2[2]:  # a later forecast than last week's is bad news
    shell.week_card(ctx, ctx.t("issues.card.forecast"),
                    forecast.isoformat() if forecast else ctx.t("issues.forecast_none"),
                    forecast, forecast0, "days", "up", help=ctx.t("issues.forecast_help"))
with row2[3]:
    shell.card(ctx.t("issues.card.target"), target.isoformat() if target else fmt.DASH,
               help=ctx.t("issues.target_help"))

if now["open"] == 0:
    st.success(ctx.t("issues.all_closed"), icon=":material/check_circle:")
elif forecast is None:
    st.error(ctx.t("issues.forecast_stalled", target=fmt.day(target, lang)),
             icon=":material/warning:")
else:
    late_by = charts.days_between(target, forecast)
    words = {"forecast": fmt.day(forecast, lang), "target": fmt.day(target, lang), "days": late_by}
    if late_by > 0:
        st.warning(ctx.t("issues.forecast_late", **words), icon=":material/schedule:")
    else:
        st.success(ctx.t("issues.forecast_ok", **words), icon=":material/check_circle:")

# ── burndown ──────────────────────────────────────────────────────────────────────────
series = im.burndown_series(issues, phases, D)
first_day = series["date"].iloc[0].date()
options = {}
if target is not None:
    options["clearance"] = (target, ctx.t("issues.target.clearance", date=fmt.day(target, lang)))
for no, name, end in zip(phases["phase_no"], phases["phase_name"], phases["end_date"]):
    end = end.date()
    options[f"phase{int(no)}"] = (end, ctx.t("issues.target.phase", no=int(no), name=name,
                                             date=fmt.day(end, lang)))
left, right = st.columns(2)
with left:
    choice = st.selectbox(ctx.t("issues.target_select"), list(options),
                          format_func=lambda k: options[k][1]) if options else None
with right:
    start = st.date_input(ctx.t("issues.start_select"), value=im.peak_open_date(series),
                          min_value=first_day,
                          max_value=D, format="YYYY-MM-DD",
                          help=ctx.t("issues.start_help")) or first_day
ideal_target = options[choice][0] if choice else None
open_at_start = int(series.loc[series["date"] == pd.Timestamp(start), "open"].iloc[0])
ideal = im.ideal_line(open_at_start, start, ideal_target)
band = im.forecast_band(issues, D)
burndown = charts.burndown_figure(series, ideal, as_of=D, target=ideal_target,
                                  forecast_date=forecast, band=band, lang=lang, meeting=meeting,
                                  title=ctx.t("issues.title.burndown", **stamp))
st.plotly_chart(burndown, width="stretch", config=shell.PLOTLY_CONFIG)
downloads.chart_download(ctx, burndown, "burndown")
if ideal_target is not None and ideal.empty:
    st.info(ctx.t("issues.ideal_empty"))
caption = ctx.t("issues.caption.burndown")
if now["open"] > 0:
    if band and band["p50"]:
        caption += " " + ctx.t("issues.caption.band", p50=fmt.day(band["p50"], lang),
                               p85=fmt.day(band["p85"], lang), weeks=band["window_days"] // 7,
                               runs=band["runs"])
    elif band is None:
        caption += " " + ctx.t("issues.band_none")
st.caption(caption)

# ── burnup ────────────────────────────────────────────────────────────────────────────
burnup = charts.burnup_figure(series, lang=lang, meeting=meeting,
                              title=ctx.t("issues.title.burnup", **stamp))
st.plotly_chart(burnup, width="stretch", config=shell.PLOTLY_CONFIG)
downloads.chart_download(ctx, burnup, "burnup")
st.caption(ctx.t("issues.caption.burnup"))

# ── breakdowns ────────────────────────────────────────────────────────────────────────
BY = ("township_code", "department", "source", "category")
RATE = st.column_config.ProgressColumn(ctx.t("issues.col.closure_rate"), format="%.1f%%",
                                       min_value=0, max_value=100)
tabs = st.tabs([ctx.t(f"issues.tab.{by}") for by in BY])
for tab, by in zip(tabs, BY):
    with tab:
        groups = (list(ctx.codes) if ctx.codes is not None else list(ctx.directory.names)) \
            if by == "township_code" else None
        table = im.breakdown(issues, D, by, groups=groups)
        if table.empty or table["found"].sum() == 0:
            st.info(ctx.t("issues.breakdown_empty"))
            continue
        table["group"] = [ctx.directory.label(c) for c in table[by]] if by == "township_code" \
            else table[by].fillna(fmt.DASH)
        if by != "township_code":
            table = table.sort_values(["found", "group"], ascending=[False, True])
        title = ctx.t("issues.title.breakdown", by=ctx.t(f"issues.by.{by}"), **stamp)
        breakdown = charts.breakdown_figure(table, "group", lang=lang, meeting=meeting,
                                            title=title)
        st.plotly_chart(breakdown, width="stretch", config=shell.PLOTLY_CONFIG, key=f"issues_by_{by}")
        downloads.chart_download(ctx, breakdown, f"issues_by_{by}")
        view = table[["group", "found", "closed", "open", "overdue_open"]].copy()
        view["closure_rate"] = table["closure_rate"] * 100
        group_columns = {
            "group": st.column_config.TextColumn(ctx.t(f"issues.tab.{by}")),
            **{c: st.column_config.NumberColumn(ctx.t(f"issues.col.{c}"), format="%d")
               for c in ("found", "closed", "open", "overdue_open")},
            "closure_rate": RATE,
        }
        st.dataframe(view, hide_index=True, width="stretch", key=f"issues_table_{by}",
                     height=min(38 + 35 * len(view), 740), column_config=group_columns)
        downloads.table_download(ctx, view, "issues_table", key=f"dl_xlsx_issues_table_{by}",
                                 headers=downloads.column_headers(group_columns, view.columns))

# ── overdue list ──────────────────────────────────────────────────────────────────────
st.subheader(ctx.t("issues.title.overdue", **stamp))
late = im.overdue_list(issues, D)
if late.empty:
    st.success(ctx.t("issues.no_overdue"))
else:
    view = pd.DataFrame({
        "issue_id": late["issue_id"],
        "township": [ctx.directory.label(c) for c in late["township_code"]],
        "department": late["department"],
        "category": late["category"],
        "source": late["source"],
        "found_date": late["found_date"],
        "deadline": late["deadline"],
        "days_overdue": late["days_overdue"].astype("int64"),
        "description": late["description"],
    })
    st.caption(ctx.t("issues.caption.overdue", n=len(view)))
    day_col = {c: st.column_config.DateColumn(ctx.t(f"issues.col.{c}"), format="YYYY-MM-DD")
               for c in ("found_date", "deadline")}
    overdue_columns = {
        **{c: st.column_config.TextColumn(ctx.t(f"issues.col.{c}"))
           for c in ("issue_id", "township", "department", "category", "source")},
        **day_col,
        "days_overdue": st.column_config.NumberColumn(ctx.t("issues.col.days_overdue"),
                                                      format="%d"),
        "description": st.column_config.TextColumn(ctx.t("issues.col.description"),
                                                   width="large"),
    }
    st.dataframe(view, hide_index=True, width="stretch", key="issues_overdue",
                 column_config=overdue_columns)
    downloads.table_download(ctx, view, "overdue_issues",
                             headers=downloads.column_headers(overdue_columns, view.columns))
