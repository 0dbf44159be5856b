"""小额信贷 Micro-loans: balance and overdue risk against the 3% red line, aging, banks, and
the lists to act on (due in 30 days, overdue, extended). Household ids are always masked."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from duzhan.charts import loans as charts
from duzhan.metrics import loans as lm
from duzhan.metrics.status import LOAN_RED
from duzhan.privacy import mask_household_ids
from duzhan.views import downloads, shell
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import STATUS_SYMBOLS

ctx = shell.current()
shell.header(ctx, "page.loans")
lang = ctx.lang
now = ctx.scope_figures()["loans"]
before = ctx.scope_figures(shell.week_before(ctx))["loans"]
L = ctx.ledgers()
scope = ctx.scope_label()
as_of_text = fmt.day(ctx.as_of, lang)


def _wan_label(key: str) -> str:
    return ctx.t("loans.with_unit", label=ctx.t(key), unit=ctx.t("unit.wan_yuan"))


# money cards carry the unit in the label, so the figure itself fits the card
CARDS = [  # label, value, figure, kind of change, which way is worse (None: neither), help
    (_wan_label("loans.balance"), fmt.wan(now["balance"], lang, unit=False), "balance", "wan",
     None, ctx.t("loans.card.balance_help")),
    (ctx.t("loans.active_loans"), fmt.count(now["active_loans"]), "active_loans", "count", None,
     ctx.t("loans.card.active_help")),
    (ctx.t("loans.overdue_rate"), fmt.pct(now["overdue_rate"]), "overdue_rate", "pp", "up",
     ctx.t("loans.card.rate_help")),
    (_wan_label("loans.overdue_balance"), fmt.wan(now["overdue_balance"], lang, unit=False),
     "overdue_balance", "wan", "up", ctx.t("loans.card.overdue_help", n=now["overdue_loans"])),
    (ctx.t("loans.par30"), fmt.pct(now["par30"]), "par30", "pp", "up",
     ctx.t("loans.card.par30_help")),
    (ctx.t("loans.par90"), fmt.pct(now["par90"]), "par90", "pp", "up",
     ctx.t("loans.card.par90_help")),
    (ctx.t("loans.due_30d"), fmt.count(now["due_30d_loans"]), "due_30d_loans", "count", None,
     ctx.t("loans.card.due_help", balance=fmt.wan(now["due_30d_balance"], lang))),
    (ctx.t("loans.extended"), fmt.count(now["extended_loans"]), "extended_loans", "count", None,
     ctx.t("loans.card.extended_help")),
]
per_row = 3 if ctx.filters.meeting else 4  # the projector's big type needs room
for start in range(0, len(CARDS), per_row):
    row = CARDS[start:start + per_row]
    for column, (label, value, key, kind, worse, tip) in zip(st.columns(per_row), row):
        with column:
            shell.week_card(ctx, label, value, now[key], before[key], kind, worse, tip)

rate = now["overdue_rate"]
line = fmt.pct(LOAN_RED)
if rate is None:
    st.info(ctx.t("loans.no_loans"))
elif rate > LOAN_RED:
    st.error(f"{STATUS_SYMBOLS['red']} " + ctx.t("loans.above_red_line", rate=fmt.pct(rate), line=line))
elif rate > 0.01:
    st.warning(f"{STATUS_SYMBOLS['yellow']} " + ctx.t("loans.above_yellow", rate=fmt.pct(rate), line=line))
else:
    st.success(f"{STATUS_SYMBOLS['green']} " + ctx.t("loans.below_line", rate=fmt.pct(rate), line=line))

# --- overdue risk: by township against the red line, and aging ---------------------------
def _side_by_side(widths: list[int]) -> list:
    """Columns on a desk screen; one chart under the other on the projector."""
    if ctx.filters.meeting:
        return [st.container(), st.container()]
    return st.columns(widths)


st.subheader(ctx.t("loans.section.risk"))
left, right = _side_by_side([3, 2])
villages = dict(zip(L.villages["village_code"], L.villages["village_name"]))
with left:
    # one township in scope: drill down to its villages
    by = "village_code" if ctx.codes is not None and len(ctx.codes) == 1 else "township_code"
    rate_bars = charts.overdue_rate_bars(
        lm.breakdown(L.loans, L.repayments, ctx.as_of, by), by=by, lang=lang, scope=scope,
        as_of=ctx.as_of, labels=villages if by == "village_code" else ctx.directory.names,
        meeting=ctx.filters.meeting)
    st.plotly_chart(rate_bars, width="stretch", config=shell.PLOTLY_CONFIG)
    downloads.chart_download(ctx, rate_bars, "loans_by_township_code")
with right:
    aging = charts.aging_buckets(now["buckets"], lang=lang, scope=scope, as_of=ctx.as_of,
                                 meeting=ctx.filters.meeting)
    st.plotly_chart(aging, width="stretch", config=shell.PLOTLY_CONFIG)
    downloads.chart_download(ctx, aging, "loans_buckets")

# --- by lending bank --------------------------------------------------------------------
st.subheader(ctx.t("loans.section.banks"))
by_bank = lm.breakdown(L.loans, L.repayments, ctx.as_of, "bank")
left, right = _side_by_side([2, 3])
with left:
    bank_bars = charts.overdue_rate_bars(by_bank, by="bank", lang=lang, scope=scope,
                                         as_of=ctx.as_of, meeting=ctx.filters.meeting)
    st.plotly_chart(bank_bars, width="stretch", config=shell.PLOTLY_CONFIG)
    downloads.chart_download(ctx, bank_bars, "loans_by_bank")
col = st.column_config
with right:
    st.caption(ctx.t("loans.banks.caption", scope=scope, as_of=as_of_text))
    bank_table = pd.DataFrame({
        "bank": [charts.group_label(b, None, lang) for b in by_bank["bank"]],
        "active_loans": by_bank["active_loans"].astype("int64"),
        "balance": by_bank["balance_fen"].astype("int64") / 1_000_000,
        "overdue_balance": by_bank["overdue_balance_fen"].astype("int64") / 1_000_000,
        "overdue_rate": by_bank["overdue_rate"].astype("float64") * 100,
        "par30": by_bank["par30"].astype("float64") * 100,
        "due_30d": by_bank["due_30d_loans"].astype("int64"),
        "extended": by_bank["extended_loans"].astype("int64"),
    })
    bank_columns = {
        "bank": col.TextColumn(ctx.t("loans.col.bank")),
        "active_loans": col.NumberColumn(ctx.t("loans.col.active_loans"), format="%d"),
        "balance": col.NumberColumn(ctx.t("loans.col.balance"), format="%.2f"),
        "overdue_balance": col.NumberColumn(ctx.t("loans.col.overdue_balance"), format="%.2f"),
        "overdue_rate": col.NumberColumn(ctx.t("loans.col.overdue_rate"), format="%.1f%%"),
        "par30": col.NumberColumn(ctx.t("loans.col.par30"), format="%.1f%%"),
        "due_30d": col.NumberColumn(ctx.t("loans.col.due_30d"), format="%d"),
        "extended": col.NumberColumn(ctx.t("loans.col.extended"), format="%d"),
    }
    st.dataframe(bank_table, hide_index=True, width="stretch", column_config=bank_columns)
    downloads.table_download(ctx, bank_table, "loans_by_bank_table",
                             headers=downloads.column_headers(bank_columns, bank_table.columns))

# --- lists to act on -------------------------------------------------------------------
st.subheader(ctx.t("loans.section.lists"))
household = L.loans.set_index("loan_id")["household_id"]


def _list_frame(t: pd.DataFrame, extra: dict[str, pd.Series]) -> pd.DataFrame:
    """A loan list for the page: masked household ids, names instead of codes, 万元."""
    base = {
        "loan_id": t["loan_id"],
        "household": mask_household_ids(t["loan_id"].map(household)),
        "township": t["township_code"].map(ctx.directory.label),
        "village": t["village_code"].map(lambda c: villages.get(c, c) if isinstance(c, str) else None),
        "bank": [charts.group_label(b, None, lang) for b in t["bank"]],
        "outstanding": t["outstanding_fen"].astype("int64") / 1_000_000,
    }
    base.update(extra)
    return pd.DataFrame(base)


def _date(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.date


COLUMNS = {
    "loan_id": col.TextColumn(ctx.t("loans.col.loan_id")),
    "household": col.TextColumn(ctx.t("loans.col.household")),
    "township": col.TextColumn(ctx.t("loans.col.township")),
    "village": col.TextColumn(ctx.t("loans.col.village")),
    "bank": col.TextColumn(ctx.t("loans.col.bank")),
    "outstanding": col.NumberColumn(ctx.t("loans.col.outstanding"), format="%.2f"),
    "due_date": col.DateColumn(ctx.t("loans.col.due"), format="YYYY-MM-DD"),
    "extended_due": col.DateColumn(ctx.t("loans.col.extended_due"), format="YYYY-MM-DD"),
    "effective_due": col.DateColumn(ctx.t("loans.col.effective_due"), format="YYYY-MM-DD"),
    "days_to_due": col.NumberColumn(ctx.t("loans.col.days_to_due"), format="%d"),
    "dpd": col.NumberColumn(ctx.t("loans.col.dpd"), format="%d"),
    "bucket": col.TextColumn(ctx.t("loans.col.bucket")),
}


def _show(frame: pd.DataFrame, caption: str, name_key: str) -> None:
    st.caption(caption)
    if frame.empty:
        st.success(ctx.t("loans.empty_list"))
        return
    st.dataframe(frame, hide_index=True, width="stretch", column_config=COLUMNS)
    # the household column is masked already; the helper masks it again whatever it holds
    downloads.table_download(ctx, frame, name_key, mask=("household",),
                             headers=downloads.column_headers(COLUMNS, frame.columns))


due = lm.due_30d_list(L.loans, L.repayments, ctx.as_of)
overdue = lm.overdue_list(L.loans, L.repayments, ctx.as_of)
extended = lm.extended_list(L.loans, L.repayments, ctx.as_of)
tabs = st.tabs([ctx.t("loans.tab.due", n=len(due)), ctx.t("loans.tab.overdue", n=len(overdue)),
                ctx.t("loans.tab.extended", n=len(extended))])
with tabs[0]:
    _show(
        _list_frame(due, {"effective_due": _date(due["effective_due"]),
                          "days_to_due": due["days_to_due"].astype("int64")}),
        ctx.t("loans.due.caption", scope=scope, as_of=as_of_text, start=as_of_text,
              end=fmt.day(ctx.as_of + dt.timedelta(days=lm.DUE_WINDOW_DAYS), lang)),
        "loans_due",
    )
with tabs[1]:
    _show(
        _list_frame(overdue, {
            "effective_due": _date(overdue["effective_due"]),
            "dpd": overdue["dpd"].astype("int64"),
            "bucket": [ctx.t("loans.bucket_label", days=b) for b in overdue["bucket"]],
        }),
        ctx.t("loans.overdue.caption", scope=scope, as_of=as_of_text),
        "loans_overdue",
    )
with tabs[2]:
    _show(
        _list_frame(extended, {
            "due_date": _date(extended["due_date"]),
            "extended_due": _date(extended["extended_due_date"]),
            "dpd": extended["dpd"].astype("int64"),
        }),
        ctx.t("loans.extended.caption", scope=scope, as_of=as_of_text),
        "loans_extended",
    )
