"""Exact figures without pandas: rates that keep their fraction, and the JSON's rounding.

The SQL roll-up (duzhan.metrics.rollup) and the frames' engine both make their rates here,
so a command that never loads pandas rounds exactly as the pages do."""
from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any


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


def fen_to_yuan(fen: int) -> Decimal:
    """Whole fen -> Decimal yuan with exactly 2 decimals (``12345`` -> ``Decimal('123.45')``)."""
    return Decimal(int(fen)).scaleb(-2)


# The contract's fixed numbers that both engines count with (shared/contract/metrics.md).
STALL_DAYS = 90  # a project allocated this long ago …
STALL_SHARE = Fraction(1, 2)  # … with less than this share disbursed is stalled
BUCKETS: tuple[tuple[str, int, int | None], ...] = (  # days past due: name, from, to
    ("1-30", 1, 30), ("31-90", 31, 90), ("91-180", 91, 180), ("181+", 181, None),
)
DUE_WINDOW_DAYS = 30  # loans due within D … D + 30
BEHIND_MARGIN = Fraction(1, 10)  # a phase is behind below expected − 0.10
RATINGS = ("good", "fair", "average", "poor")  # a supervision's rating, best first
REPORT_DUE_DAY = 28  # the report of month m is due on the 28th of m
GUARANTEE_ITEMS = ("food_clothing", "education", "medical", "housing", "water")  # 两不愁三保障
UNASSISTED_DAYS = 15  # at risk, unassisted for more than this many days since identified
RECENT_DAYS = 28  # identified_28d, cleared_28d: D − 27 … D
CHECK_WINDOW_DAYS = 90  # checked_90d, sites_unchecked_90d: D − 89 … D
