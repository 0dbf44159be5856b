"""What a page shows, declared: a headline card, a chart slot, a table column. The shell
(duzhan.views.shell) draws them; a column also gives the table's Excel header, so the
header a spreadsheet carries is the one the page shows."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from duzhan.presentation import format as fmt


@dataclass(frozen=True)
class Card:
    """A headline card. With `kind` it shows its change since D − 7 (now − then, as
    presentation.format.change words `kind`: "count", "pp", "wan", "days"); `worse` is the
    direction that is bad news ("up", "down", None: neither). Without `kind`: no change
    (a date, days left)."""

    label: str
    value: str
    now: Any = None
    then: Any = None
    kind: str | None = None
    worse: str | None = None
    help: str | None = None
    caption: str | None = None  # a grey line under the card
    note: str | None = None  # a grey line in the change's place (a long name), no kind


@dataclass(frozen=True)
class Column:
    """One table column. `kind`: "text", "number", "date" or "progress" (a bar 0–100);
    `format`: printf-style for numbers (presentation.format.column_format) or a date
    pattern; `excel`: the Excel header when it differs from the label (a rate or a gap
    carries its unit there, since the spreadsheet cell holds the bare number). Make number
    columns with `number`."""

    key: str
    label: str
    kind: str = "text"
    format: str | None = None
    width: str | None = None
    help: str | None = None
    excel: str | None = None
    excel_format: str | None = None  # the cells' Excel number format (number columns)

    @property
    def header(self) -> str:
        return self.excel or self.label


def number(key: str, label: str, kind: str, lang: str, *, bar: bool = False,
           **kw: Any) -> Column:
    """A number column of one formatter kind ("count", "wan", "rate", "pp", "decimal"),
    written as presentation.format writes it. Money carries 万元 in its label (shown and
    exported); a rate or a gap carries its unit (%, percentage points) in its Excel header
    only, its cells on the page. `bar`: a progress bar (a rate 0–100)."""
    unit = fmt.column_unit(kind, lang)
    if kind == "wan":
        label = fmt.with_unit(label, unit, lang)
    excel = fmt.with_unit(label, unit, lang) if unit and kind != "wan" else None
    return Column(key, label, "progress" if bar else "number", fmt.column_format(kind, lang),
                  excel=excel, excel_format=fmt.excel_format(kind), **kw)


def headers(columns: Sequence[Column], order: Sequence[str] | None = None) -> dict[str, str]:
    """column key → Excel header, in `order` when given (columns not declared are left out)."""
    by_key = {c.key: c for c in columns}
    keys = list(by_key) if order is None else [k for k in order if k in by_key]
    return {k: by_key[k].header for k in keys}


@dataclass(frozen=True)
class Chart:
    """A chart slot: the plotly figure and the export name of its PNG download
    (exports.name.<name_key>); `key` when one page draws the same name twice."""

    figure: Any
    name_key: str
    key: str | None = None


@dataclass(frozen=True)
class TableGroup:
    """Some columns of a table, shown as one tab: `keys` in order (the lead columns, the
    township's name and status, in each)."""

    label: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with its columns and its Excel download's name (exports.name.<name_key>)."""

    frame: Any  # pandas DataFrame
    columns: tuple[Column, ...]
    name_key: str
    order: tuple[str, ...] | None = None  # the columns shown, in order (None: the frame's)
    mask: tuple[str, ...] = ("household_id",)  # household-id columns, masked in the file
    key: str | None = None
    # drawn as a static table whose headers and wide text wrap to the page's width, not a
    # data grid (one line a cell: a township table of many columns, or of long reasons,
    # scrolled sideways at 1366 px and hid its last columns)
    wrap: bool = False
    # shown as tabs of these columns, wrapped (too many columns for one page width); the
    # download holds the whole table
    groups: tuple[TableGroup, ...] = ()

    def headers(self) -> dict[str, str]:
        return headers(self.columns, self.order or list(self.frame.columns))

    def number_formats(self) -> dict[str, str]:
        """column key → the Excel number format of its cells (number columns only)."""
        return {c.key: c.excel_format for c in self.columns if c.excel_format}


__all__ = ["Card", "Column", "number", "Chart", "Table", "TableGroup", "headers"]
