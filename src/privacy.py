"""Masking of personal data (shared/contract/ledgers.md: loans.household_id is personal).

One rule for every page and export: a household id is shown as its first 2 and last 2
characters around a fixed ``****`` (``522799101234517`` → ``52****17``), so neither the
id nor its length can be read back. Short ids keep less: 5–7 characters keep 1 + 1
(``H1234`` → ``H****4``), 4 or fewer keep nothing (``****``). Missing stays missing.

Free text that may hold such a value in the wrong place (an import report of a file without
its header row, or with a row shifted by a column) goes through :func:`mask_personal_text`:
every run that looks like a personal number, and every known household id, is masked by
the same rule.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

STARS = "****"


def mask_household_id(value: Any) -> str | None:
    """The masked form of one household id; ``None`` for a missing one."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    s = str(value).strip()
    if not s:
        return None
    if len(s) <= 4:
        return STARS
    keep = 1 if len(s) < 8 else 2
    return f"{s[:keep]}{STARS}{s[-keep:]}"


def mask_household_ids(values: pd.Series) -> pd.Series:
    """:func:`mask_household_id` over a column (same index, ``str`` dtype)."""
    return pd.Series([mask_household_id(v) for v in values], index=values.index, dtype="str")


def is_masked(value: Any) -> bool:
    return value is None or STARS in str(value)


# What may be a person's number wherever it appears: a resident ID card (18 characters, the
# last may be X), a mobile number (11 digits from 13…19), or any run of 13 or more digits
# (household numbers, bank cards). Township (9) and village (12 digit) codes stay readable:
# they are what an import report must name.
_PERSONAL = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{13,}|1[3-9]\d{9})(?![0-9A-Za-z])")
# an id among other text: ASCII, with a digit (words without one are left alone, quickly)
_TOKEN = re.compile(r"[A-Za-z_\-]*[0-9][0-9A-Za-z_\-]*")
_DIGIT = re.compile(r"[0-9]")
SHAPE_MIN = 6  # shorter ids are matched as themselves only, not by their shape


def _shape(token: str) -> str:
    """The format of an id: `H1014135523` → `A9999999999`."""
    return "".join("9" if c.isdigit() else "A" if c.isascii() and c.isalpha() else c
                   for c in token)


@dataclass(frozen=True)
class KnownIds:
    """Household ids known to the store or the import, and their formats: a value equal to
    one, or of the same format (a household id not stored yet), is masked in free text."""

    values: frozenset[str] = frozenset()
    shapes: frozenset[str] = frozenset()

    @classmethod
    def of(cls, ids: Iterable[str]) -> KnownIds:
        values = frozenset(s for s in (str(i).strip() for i in ids) if s)
        return cls(values, frozenset(_shape(v) for v in values if len(v) >= SHAPE_MIN))

    def __bool__(self) -> bool:
        return bool(self.values or self.shapes)

    def __or__(self, other: KnownIds) -> KnownIds:
        return KnownIds(self.values | other.values, self.shapes | other.shapes)

    def __contains__(self, token: str) -> bool:
        return token in self.values or (len(token) >= SHAPE_MIN and _shape(token) in self.shapes)


NO_IDS = KnownIds()


def lookups(text: str) -> tuple[set[str], set[str]]:
    """What :func:`mask_personal_text` asks of its known ids for `text`: the values it
    compares (the whole text, and its id-like words) and the formats of those words; so that
    the known ids can be looked up for these alone (the store's, in SQL)."""
    if not text:
        return set(), set()
    tokens = set(_TOKEN.findall(text)) if _DIGIT.search(text) else set()
    return {text.strip()} | tokens, {_shape(w) for w in tokens if len(w) >= SHAPE_MIN}


def mask_personal_text(text: str, known: KnownIds = NO_IDS) -> str:
    """`text` with every value that may be a household id masked: one that looks like a
    personal number, or a known household id or one of the same format, whole or as a word
    of the text."""
    if not text:
        return text
    if known and text.strip() in known.values:
        return mask_household_id(text) or ""
    if not _DIGIT.search(text):  # every pattern, and every id matched in text, has a digit
        return text
    if known:
        text = _TOKEN.sub(lambda m: (mask_household_id(m.group()) or "")
                          if m.group() in known else m.group(), text)
    return _PERSONAL.sub(lambda m: mask_household_id(m.group()) or "", text)
