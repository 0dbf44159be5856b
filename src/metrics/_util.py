"""Small shared helpers of the metrics engine (no pandas-free logic lives elsewhere)."""
from __future__ import annotations

import datetime as _dt
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

DAY = pd.Timedelta(days=1)


class Rate(float):
    """A rate: the float nearest to it (for pages, charts, comparisons) that also keeps its
    exact value ``.exact`` (a Fraction), so that the JSON can round it exactly."""

    def __new__(cls, exact: Fraction | int) -> Rate:
        if type(exact) is not Fraction:  # a Fraction is immutable: kept as it is
            exact = Fraction(exact)
        self = super().__new__(cls, exact)  # float(Fraction) is correctly rounded
        self.exact = exact
        return self

    def __reduce__(self):  # pickles (st.cache_data) as itself
        return (Rate, (self.exact,))


def ratio(num: int | float, den: int | float) -> Rate | None:
    """num / den, exact (see :class:`Rate`); ``None`` when den is 0 (contract: zero
    denominator = null)."""
    if den == 0:
        return None
    if type(num) is int and type(den) is int:  # most figures: counts and fen
        return Rate(Fraction(num, den))
    return Rate(Fraction(num) / Fraction(den))


# the float fast path of round_half_up: |x| below this, and farther than the margin from
# a tie after scaling (a float's error there is below 1e-9)
_FAST_LIMIT = 1e6
_TIE_MARGIN = 1e-6


def round_half_up(x: Any, digits: int) -> float | None:
    """``x`` rounded to ``digits`` decimals, half away from zero (四舍五入), as a float.

    Rounds the exact value: a :class:`Rate`'s fraction, a Fraction, Decimal or int as it is,
    a plain float as its shortest decimal form (``repr``), so that 0.0015625 (= 1/640) and
    0.0046875 (= 3/640) both round up, whatever their binary approximations."""
    if x is None:
        return None
    if isinstance(x, float) and abs(x) < _FAST_LIMIT:
        # far from a tie, the float's own digits decide (exact division, correctly
        # rounded like the Decimal below); only near a tie is the exact value needed
        scaled = abs(x) * 10**digits
        whole = math.floor(scaled)
        if abs(scaled - whole - 0.5) > _TIE_MARGIN:
            whole += scaled - whole > 0.5
            return (-whole if x < 0 else whole) / 10**digits
    exact = getattr(x, "exact", None)
    if exact is None:
        exact = Fraction(repr(x)) if isinstance(x, float) else Fraction(x)
    scaled = abs(exact) * 10**digits
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return float(Decimal(-whole if exact < 0 else whole).scaleb(-digits))


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
