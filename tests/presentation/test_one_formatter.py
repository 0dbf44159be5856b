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
