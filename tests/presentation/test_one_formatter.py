"""One way to write a number or a date: pages, view models, charts, map, exports and the
command line go through duzhan.presentation.format. This scans the source for the hand-made
ways that drifted apart before (a gap as "-1.8%", "-1.8 pp" and "14.5个百分点"; dates as
2026年12月2日 beside 2027-01-12), so a new one fails here and names its line."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORMATTER = ROOT / "src" / "presentation" / "format.py"

# a Python format spec for decimals or percents ({x:.1f}, {v:,.2f}, {r:.1%}) or thousands
# ({n:,}); plotly's own d3 specs (%{y:.1%}) are not Python and stay
HAND = {
    "number format spec": re.compile(r"(?<![%\w])\{[^{}\n%]*:[-+ ,_]*\d*\.\d+[f%e]\}|"
                                     r"(?<![%\w])\{[^{}\n%]*:[-+ ]?,\}"),
    "strftime": re.compile(r"\.strftime\("),
    "percentage points by hand": re.compile(r"个百分点|\} ?pp[\"']"),
    "a Chinese date by hand": re.compile(r"\}年\{[^{}]*\}月|\.year\}年"),
}


def sources() -> list[Path]:
    files = sorted((ROOT / "src").rglob("*.py")) + sorted((ROOT / "pages").glob("*.py"))
    files.append(ROOT / "app.py")
    return [p for p in files if p.exists() and p != FORMATTER]


def test_the_scan_sees_the_code():
    names = {p.relative_to(ROOT).as_posix() for p in sources()}
    assert {"src/metrics/table.py", "pages/data_page.py", "src/exports/brief/content.py",
            "src/geo/classification.py", "src/charts/phases.py"} <= names


def test_the_patterns_catch_what_they_are_for():
    caught = {name for name, rx in HAND.items()
              for text in ('f"{gap * 100:+.1f}%"', 'f"{v:,.2f}"', 'f"{n:,}"',
                           'd.strftime("%Y-%m-%d")', 'f"{n}个百分点"', 'f"{d * 100:+.1f} pp"',
                           'f"{d.year}年{d.month}月"')
              if rx.search(text)}
    assert caught == set(HAND)
    # plotly's d3 specs in hovertemplates are not Python formatting
    assert not any(rx.search('"%{y:.1%}<br>%{customdata[0]:,.2f}"') for rx in HAND.values())


def test_no_hand_formatting_outside_the_formatter():
    found = []
    for path in sources():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for name, rx in HAND.items():
                if rx.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{n}: {name}: {line.strip()}")
    assert found == [], "format through duzhan.presentation.format:\n" + "\n".join(found)


# a table number column with its own printf format ("%.2f", "%+.1f%%") instead of
# viewmodels.spec.number (format.column_format): no thousands, a gap written as a percentage
HAND_COLUMN = re.compile(r"Column\(.*?(\"number\"|\"progress\"), *(\"%|pct\b)")


def test_the_column_pattern_catches_a_hand_made_format():
    assert HAND_COLUMN.search('Column("gap", T("x"), "number", "%+.1f%%")')
    assert HAND_COLUMN.search('Column("b", T("x"), "progress", "%.1f%%")')
    assert not HAND_COLUMN.search('number("gap", T("x"), "pp", lang)')


def test_every_table_number_column_is_written_by_the_formatter():
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in sources()
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if HAND_COLUMN.search(line)]
    assert found == [], "make number columns with viewmodels.spec.number:\n" + "\n".join(found)


def test_a_gap_column_is_in_points_and_money_has_thousands():
    from duzhan.presentation import format as fmt

    for lang, gap in (("zh", "-1.8个百分点"), ("en", "-1.8 pp")):
        spec = fmt.column_format("pp", lang)
        assert not spec.endswith("%%")  # a gap of rates is not a rate
        assert fmt.column_cell(-1.84, "number", spec) == gap == fmt.pp(-0.0184, lang)
    assert fmt.column_cell(14605.974, "number", fmt.column_format("wan")) == "14,605.97" \
        == fmt.wan(146059740, unit=False)
    assert fmt.column_cell(12345, "number", fmt.column_format("count")) == "12,345" \
        == fmt.count(12345)
    assert fmt.column_cell(12.54, "number", fmt.column_format("rate")) == "12.5%" \
        == fmt.pct(0.1254)
    # a gap in an Int64 column (a site never checked) is a dash, as NaN and None are
    import pandas as pd

    days = pd.Series([3, None], dtype="Int64")
    assert [fmt.column_cell(v, "number", fmt.column_format("count")) for v in days] == \
        ["3", fmt.DASH]


def test_a_money_card_shows_its_unit():
    from duzhan.presentation import format as fmt
    from duzhan.viewmodels import loans

    assert fmt.wan_card(146059740, "zh") == "14,606 万元"
    assert fmt.wan_card(146059740, "en") == "14,606 ×10k yuan"
    figures = {"balance": 146059740, "active_loans": 1, "overdue_rate": 0.01,
               "overdue_balance": 5_000_000, "overdue_loans": 1, "par30": 0.0, "par90": 0.0,
               "due_30d_loans": 0, "due_30d_balance": 0, "extended_loans": 0}
    cards = {c.label: c.value for c in loans.cards(figures, figures, "zh")}
    assert cards["贷款余额"] == "14,606 万元" and cards["逾期余额"] == "500 万元"


def test_a_date_cell_is_written_as_the_pages_dates():
    """Meeting mode's HTML tables write a date as every other date on the page
    (2026年2月7日), not ISO beside the header's 2026年12月3日."""
    import datetime as dt

    import pandas as pd

    from duzhan.presentation import format as fmt

    day = dt.date(2026, 2, 7)
    for lang in ("zh", "en"):
        for value in (day, pd.Timestamp(day), "2026-02-07"):
            assert fmt.column_cell(value, "date", fmt.day_column(lang)) == fmt.day(day, lang)
    assert fmt.column_cell(day, "date", fmt.day_column("zh")) == "2026年2月7日"
    assert fmt.column_cell(pd.NaT, "date", fmt.day_column("zh")) == fmt.DASH
