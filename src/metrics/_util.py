"""Small shared helpers of the metrics engine (no pandas-free logic lives elsewhere)."""
from __future__ import annotations

import datetime as _dt
from typing import Any

import pandas as pd

DAY = pd.Timedelta(days=1)


def ratio(num: int | float, den: int | float) -> float | None:
    """num / den; ``None`` when den is 0 (contract: zero denominator = null)."""
    if den == 0:
        return None
    return num / den


def days_between(a: pd.Timestamp, b: pd.Timestamp) -> int:
    """d(a, b) = b - a in whole days."""
    return int((b - a) // DAY)


def to_py_date(ts: Any) -> _dt.date | None:
    if ts is None or pd.isna(ts):
        return None
    return pd.Timestamp(ts).date()


def dates(s: pd.Series) -> pd.Series:
    """A date column as datetime64 (no-op when it already is one)."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s
    return pd.to_datetime(s)
