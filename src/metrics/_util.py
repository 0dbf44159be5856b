"""Small shared helpers of the metrics engine (no pandas-free logic lives elsewhere)."""
from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

DAY = pd.Timedelta(days=1)


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


# A scope as one group: every row of the frames (the county, or a store's roll-up).
EVERY_ROW = "*"


def group_column(township_codes: pd.Series, key: Any) -> pd.Series:
    """Each row's group for a grouped (``_by``) metric: its township_code when ``key`` is
    None, the one group 0 when ``key`` is EVERY_ROW, else ``key[township_code]`` (a Mapping
    or Series; a row whose township has no group gets NA and counts in no group)."""
    if key is None:
        return township_codes.astype(object)
    if isinstance(key, str) and key == EVERY_ROW:
        return pd.Series(0, index=township_codes.index, dtype="int64")
    # each distinct code looked up once, not each of a province's million rows
    idx, uniques = pd.factorize(township_codes)
    groups = pd.Series(np.asarray(uniques, dtype=object), dtype=object).map(key).to_numpy()
    return pd.Series(pd.api.extensions.take(groups, idx, allow_fill=True),
                     index=township_codes.index)


def scope_key(townships: Any) -> Any:
    """The ``key`` of :func:`group_column` putting the scope ``townships`` (None/[] = every
    row; a code or codes) into the one group 0."""
    if townships is None:
        return EVERY_ROW
    if isinstance(townships, str):
        townships = [townships]
    codes = list(townships)
    return {c: 0 for c in codes} if codes else EVERY_ROW
