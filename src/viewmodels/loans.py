"""小额信贷 Micro-loans: the cards, the overdue rate against the red and yellow lines
(metrics.status LOAN_RED, LOAN_YELLOW), the charts by township and bank, and the lists to
act on (due in 30 days, overdue, extended), household ids masked."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from duzhan.charts import loans as charts
from duzhan.i18n import t
from duzhan.metrics import loans as lm
from duzhan.metrics.status import GREEN, LOAN_RED, LOAN_YELLOW, RED, YELLOW
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import STATUS_SYMBOLS
from duzhan.privacy import mask_household_ids
from duzhan.viewmodels.common import week_before
from duzhan.viewmodels.source import Source
from duzhan.viewmodels.spec import Card, Chart, Column, Table, number


def line_level(rate: float | None) -> str | None:
    """Where the overdue rate stands against the lines: red above LOAN_RED, yellow above
    LOAN_YELLOW, else green; None without loans."""
    if rate is None:
        return None
    return RED if rate > LOAN_RED else YELLOW if rate > LOAN_YELLOW else GREEN


_LINE_KEYS = {RED: "loans.above_red_line", YELLOW: "loans.above_yellow", GREEN: "loans.below_line"}


@dataclass(frozen=True)
class LoanList:
    tab: str  # the tab's label, with the count
    caption: str
    table: Table


@dataclass(frozen=True)
class Loans:
    cards: list[Card]
    level: str | None  # line_level of the overdue rate
    line_message: str  # the sentence under the cards (no loans / above red / …)
    by_area: Chart  # overdue rate by township (by village when one township is in scope)
    aging: Chart
    by_bank: Chart
    banks_caption: str
    banks: Table
    lists: list[LoanList]


def cards(now: dict, before: dict, lang: str) -> list[Card]:
    """The eight headline cards; money in whole 万元 with its unit (fmt.wan_card), so
    figure and unit fit the card."""
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731

    def card(label, value, key, kind, worse, tip):
        return Card(label, value, now[key], before[key], kind, worse, tip)

    return [
        card(T("loans.balance"), fmt.wan_card(now["balance"], lang),
             "balance", "wan", None, T("loans.card.balance_help")),
        card(T("loans.active_loans"), fmt.count(now["active_loans"]), "active_loans", "count",
             None, T("loans.card.active_help")),
        card(T("loans.overdue_rate"), fmt.pct(now["overdue_rate"]), "overdue_rate", "pp", "up",
             T("loans.card.rate_help")),
        card(T("loans.overdue_balance"), fmt.wan_card(now["overdue_balance"], lang),
             "overdue_balance", "wan", "up",
             T("loans.card.overdue_help", n=now["overdue_loans"])),
        card(T("loans.par30"), fmt.pct(now["par30"]), "par30", "pp", "up",
             T("loans.card.par30_help")),
        card(T("loans.par90"), fmt.pct(now["par90"]), "par90", "pp", "up",
             T("loans.card.par90_help")),
        card(T("loans.due_30d"), fmt.count(now["due_30d_loans"]), "due_30d_loans", "count", None,
             T("loans.card.due_help", balance=fmt.wan(now["due_30d_balance"], lang))),
        card(T("loans.extended"), fmt.count(now["extended_loans"]), "extended_loans", "count",
             None, T("loans.card.extended_help")),
    ]


def line_message(rate: float | None, lang: str) -> str:
    level = line_level(rate)
    if level is None:
        return t("loans.no_loans", lang)
    return f"{STATUS_SYMBOLS[level]} " + t(_LINE_KEYS[level], lang, rate=fmt.pct(rate),
                                            line=fmt.pct(LOAN_RED))


def bank_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    return (
        Column("bank", T("loans.col.bank")),
        number("active_loans", T("loans.col.active_loans"), "count", lang),
        number("balance", T("loans.col.balance"), "wan", lang),
        number("overdue_balance", T("loans.col.overdue_balance"), "wan", lang),
        number("overdue_rate", T("loans.col.overdue_rate"), "rate", lang),
        number("par30", T("loans.col.par30"), "rate", lang),
        number("due_30d", T("loans.col.due_30d"), "count", lang),
        number("extended", T("loans.col.extended"), "count", lang),
    )


def list_columns(lang: str) -> tuple[Column, ...]:
    T = lambda key: t(key, lang)  # noqa: E731
    day = fmt.day_column(lang)
    return (
        Column("loan_id", T("loans.col.loan_id")),
        Column("household", T("loans.col.household")),
        Column("township", T("loans.col.township")),
        Column("village", T("loans.col.village")),
        Column("bank", T("loans.col.bank")),
        number("outstanding", T("loans.col.outstanding"), "wan", lang),
        Column("due_date", T("loans.col.due"), "date", day),
        Column("extended_due", T("loans.col.extended_due"), "date", day),
        Column("effective_due", T("loans.col.effective_due"), "date", day),
        number("days_to_due", T("loans.col.days_to_due"), "count", lang),
        number("dpd", T("loans.col.dpd"), "count", lang),
        Column("bucket", T("loans.col.bucket")),
    )


def _date(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.date


def build(src: Source, meeting: bool = False) -> Loans:
    lang, D = src.lang, src.as_of
    T = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    now = src.scope_figures()["loans"]
    before = src.scope_figures(week_before(D))["loans"]
    L = src.ledgers()
    scope, as_of_text = src.scope_label(), fmt.day(D, lang)
    names = src.names
    villages = dict(zip(L.villages["village_code"], L.villages["village_name"], strict=False))

    # one township in scope: drill down to its villages
    by = "village_code" if src.codes is not None and len(src.codes) == 1 else "township_code"
    rate_bars = charts.overdue_rate_bars(
        lm.breakdown(L.loans, L.repayments, D, by), by=by, lang=lang, scope=scope, as_of=D,
        labels=villages if by == "village_code" else names, meeting=meeting)
    aging = charts.aging_buckets(now["buckets"], lang=lang, scope=scope, as_of=D,
                                 meeting=meeting)
    banks = lm.breakdown(L.loans, L.repayments, D, "bank")
    bank_bars = charts.overdue_rate_bars(banks, by="bank", lang=lang, scope=scope, as_of=D,
                                         meeting=meeting)
    bank_table = pd.DataFrame({
        "bank": [charts.group_label(b, None, lang) for b in banks["bank"]],
        "active_loans": banks["active_loans"].astype("int64"),
        "balance": banks["balance_fen"].astype("int64") / 1_000_000,
        "overdue_balance": banks["overdue_balance_fen"].astype("int64") / 1_000_000,
        "overdue_rate": banks["overdue_rate"].astype("float64") * 100,
        "par30": banks["par30"].astype("float64") * 100,
        "due_30d": banks["due_30d_loans"].astype("int64"),
        "extended": banks["extended_loans"].astype("int64"),
    })

    household = L.loans.set_index("loan_id")["household_id"]

    def list_frame(rows: pd.DataFrame, extra: dict) -> pd.DataFrame:
        """A loan list: masked household ids, names instead of codes, 万元."""
        base = {
            "loan_id": rows["loan_id"],
            "household": mask_household_ids(rows["loan_id"].map(household)),
            "township": rows["township_code"].map(lambda c: names.get(c, c)),
            "village": rows["village_code"].map(
                lambda c: villages.get(c, c) if isinstance(c, str) else None),
            "bank": [charts.group_label(b, None, lang) for b in rows["bank"]],
            "outstanding": rows["outstanding_fen"].astype("int64") / 1_000_000,
        }
        base.update(extra)
        return pd.DataFrame(base)

    columns = list_columns(lang)

    def loan_list(tab_key, rows, extra, caption, name_key) -> LoanList:
        # the household column is masked already; the download masks it again whatever it holds
        return LoanList(T(tab_key, n=len(rows)), caption,
                        Table(list_frame(rows, extra), columns, name_key, mask=("household",)))

    due = lm.due_30d_list(L.loans, L.repayments, D)
    overdue = lm.overdue_list(L.loans, L.repayments, D)
    extended = lm.extended_list(L.loans, L.repayments, D)
    lists = [
        loan_list("loans.tab.due", due, {"effective_due": _date(due["effective_due"]),
                                         "days_to_due": due["days_to_due"].astype("int64")},
                  T("loans.due.caption", scope=scope, as_of=as_of_text, start=as_of_text,
                    end=fmt.day(D + dt.timedelta(days=lm.DUE_WINDOW_DAYS), lang)), "loans_due"),
        loan_list("loans.tab.overdue", overdue, {
            "effective_due": _date(overdue["effective_due"]),
            "dpd": overdue["dpd"].astype("int64"),
            "bucket": [T("loans.bucket_label", days=b) for b in overdue["bucket"]],
        }, T("loans.overdue.caption", scope=scope, as_of=as_of_text), "loans_overdue"),
        loan_list("loans.tab.extended", extended, {
            "due_date": _date(extended["due_date"]),
            "extended_due": _date(extended["extended_due_date"]),
            "dpd": extended["dpd"].astype("int64"),
        }, T("loans.extended.caption", scope=scope, as_of=as_of_text), "loans_extended"),
    ]
    return Loans(
        cards=cards(now, before, lang), level=line_level(now["overdue_rate"]),
        line_message=line_message(now["overdue_rate"], lang),
        by_area=Chart(rate_bars, "loans_by_township_code"),
        aging=Chart(aging, "loans_buckets"), by_bank=Chart(bank_bars, "loans_by_bank"),
        banks_caption=T("loans.banks.caption", scope=scope, as_of=as_of_text),
        # a few rows: static (a data grid's canvas costs the browser on every load)
        banks=Table(bank_table, bank_columns(lang), "loans_by_bank_table", wrap=True),
        lists=lists,
    )


__all__ = ["Loans", "LoanList", "build", "cards", "line_level", "line_message",
           "bank_columns", "list_columns"]
