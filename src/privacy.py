"""Masking of personal data (shared/contract/ledgers.md: loans.household_id is personal).

One rule for every page and export: a household id is shown as its first 2 and last 2
characters around a fixed ``****`` (``522799101234517`` → ``52****17``), so neither the
id nor its length can be read back. Short ids keep less: 5–7 characters keep 1 + 1
(``H1234`` → ``H****4``), 4 or fewer keep nothing (``****``). Missing stays missing.
"""
from __future__ import annotations

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
