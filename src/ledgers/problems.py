"""Problems and warnings found while reading and validating ledger files — as data."""
from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from duzhan.contract import LEDGER_ORDER, LEDGERS
from duzhan.i18n import normalise_lang, t
from duzhan.privacy import NO_IDS, KnownIds, mask_personal_text

from .values import display, mask

VALUE_MAX = 60

# Characters a report must not pass on as they are: C0/C1 controls (a terminal runs ESC
# sequences), line separators, bidirectional overrides (they reorder what is shown) and
# lone surrogates (they cannot even be printed).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    """`text` with every unsafe character written as an escape (`\\x1b`, `\\u202e`)."""
    def esc(m: re.Match) -> str:
        c = m.group()
        return _SHORT.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
    if text.isprintable():  # the common case, quickly: no control, separator or override
        return text
    return _UNSAFE.sub(esc, text)


def _safe(value: Any, known: KnownIds = NO_IDS) -> Any:
    """A text of a problem as it may be shown: personal numbers masked, controls escaped."""
    if isinstance(value, str):
        return printable(mask_personal_text(value, known))
    if isinstance(value, (list, tuple)):
        return type(value)(_safe(v, known) for v in value)
    return value


def _texts(value: Any) -> list[str]:
    """The texts `_safe` masks in `value`: a text, or those in a list or tuple."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return []


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

    def __post_init__(self) -> None:
        # every problem, whoever makes it, is safe to show: in the terminal, on the data
        # page and in the problem list's Excel
        for name in ("file", "column", "value"):
            object.__setattr__(self, name, _safe(getattr(self, name)))
        object.__setattr__(self, "params", {k: _safe(v) for k, v in self.params.items()})

    def masked(self, known: KnownIds, lists: bool = False) -> Problem:
        """This problem with the `known` household ids masked wherever they appear; with
        `lists`, every text listed in a parameter too (the unknown headers of a file whose
        personal column was not found: its first row may be data)."""
        if not known and not lists:
            return self
        params = {k: _safe(v, known) for k, v in self.params.items()}
        if lists:
            params = {k: type(v)(mask(x) if isinstance(x, str) else x for x in v)
                      if isinstance(v, (list, tuple)) and not k.endswith("_cols") else v
                      for k, v in params.items()}
        out = copy.copy(self)  # not dataclasses.replace: the texts are safe already
        for name in ("file", "column", "value"):
            object.__setattr__(out, name, _safe(getattr(self, name), known))
        object.__setattr__(out, "params", params)
        return out

    def texts(self) -> list[str]:
        """Every text `masked` masks: file, column, value and the parameters' texts."""
        return _texts([self.file, self.column, self.value, *self.params.values()])

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
    """What the user typed, truncated; personal data masked (before it is cut, so that no
    part of a personal number is left unmasked)."""
    s = display(raw)
    if ledger in LEDGERS and key in LEDGERS[ledger].personal and s.strip():
        return mask(s.strip())
    s = mask_personal_text(s)
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
