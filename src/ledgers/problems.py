"""Problems and warnings found while reading and validating ledger files — as data."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from duzhan.contract import LEDGER_ORDER, LEDGERS
from duzhan.i18n import normalise_lang, t

from .values import display, mask

VALUE_MAX = 60


@dataclass(frozen=True)
class Problem:
    """One finding. `severity` is "error" (the import is refused) or "warning".

    `column` is the header as the user wrote it, or the column's Chinese label when the
    column is not in the file (reports show `column_label`, the label in their language);
    `value` is what the user typed (≤ 60 characters, personal
    data masked); `reason` is a catalogue code (`import.error.<reason>`), `params` its
    parameters.
    """

    ledger: str | None
    file: str | None
    row: int | None
    column: str | None
    value: str
    reason: str
    params: dict = field(default_factory=dict)
    severity: str = "error"
    column_key: str | None = None
    column_in_file: bool = True

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def column_label(self, lang: str = "zh") -> str:
        """A contract column's label in `lang` (乡镇名称 / Township), whatever header the file
        used for it; an unknown column as the file wrote it."""
        if self.column_key and self.ledger in LEDGERS:
            return column_label(self.ledger, self.column_key, lang)
        return self.column or ""

    def message(self, lang: str = "zh") -> str:
        params = {k: _localise_param(self.ledger, k, v, lang) for k, v in self.params.items()}
        return t(f"import.{self.severity}.{self.reason}", lang, **params)

    def ledger_label(self, lang: str = "zh") -> str:
        return ledger_label(self.ledger, lang) if self.ledger else ""


def ledger_label(ledger: str, lang: str = "zh") -> str:
    led = LEDGERS.get(ledger)
    if led is None:
        return ledger
    return led.zh if normalise_lang(lang) == "zh" else t(f"ledger.{led.key}", "en")


def column_label(ledger: str, key: str, lang: str = "zh") -> str:
    try:
        col = LEDGERS[ledger].column(key)
    except KeyError:
        return key
    return col.zh if normalise_lang(lang) == "zh" else (col.en or col.key)


def _localise_param(ledger: str | None, name: str, value: Any, lang: str) -> Any:
    """Params naming a column (`*_col`) or a ledger (`*_ledger`) are shown in `lang`."""
    if name.endswith("_col") and ledger:
        return column_label(ledger, str(value), lang)
    if name.endswith("_ledger"):
        return ledger_label(str(value), lang)
    if name.endswith("_cols") and ledger:
        sep = "、" if normalise_lang(lang) == "zh" else ", "
        return sep.join(column_label(ledger, str(v), lang) for v in value)
    if isinstance(value, (list, tuple)):
        sep = "、" if normalise_lang(lang) == "zh" else ", "
        return sep.join(str(v) for v in value)
    return value


def shown_value(ledger: str | None, key: str | None, raw: Any) -> str:
    """What the user typed, truncated; personal data masked."""
    s = display(raw)
    if ledger in LEDGERS and key in LEDGERS[ledger].personal and s.strip():
        return mask(s.strip())
    if len(s) > VALUE_MAX:
        s = s[: VALUE_MAX - 1] + "…"
    return s


def sort_key(p: Problem) -> tuple:
    order = LEDGER_ORDER.index(p.ledger) if p.ledger in LEDGER_ORDER else -1
    col_order = 999
    if p.ledger in LEDGERS and p.column_key:
        keys = LEDGERS[p.ledger].keys
        col_order = keys.index(p.column_key) if p.column_key in keys else 999
    return (order, p.file or "", p.row if p.row is not None else -1, col_order, p.reason)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=sort_key)


FRAME_COLUMNS = ("ledger", "row", "column", "value", "reason")


def problems_frame(problems: Iterable[Problem], lang: str = "zh"):
    """Problems as a table with localized headers (台账/行/列/值/原因), in ledger then row order."""
    import pandas as pd

    rows = []
    for p in sorted_problems(problems):
        rows.append(
            {
                t("import.frame.ledger", lang): p.ledger_label(lang) or p.file or "",
                t("import.frame.row", lang): p.row,
                t("import.frame.column", lang): p.column_label(lang),
                t("import.frame.value", lang): p.value,
                t("import.frame.reason", lang): p.message(lang),
            }
        )
    cols = [t(f"import.frame.{c}", lang) for c in FRAME_COLUMNS]
    frame = pd.DataFrame(rows, columns=cols)
    frame[t("import.frame.row", lang)] = frame[t("import.frame.row", lang)].astype("Int64")
    return frame
