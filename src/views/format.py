"""Numbers the Chinese way: money in 万元, rates as percentages with one decimal."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from duzhan.i18n import t

DASH = "—"


def wan(yuan: float | Decimal | None, lang: str = "zh", unit: bool = True) -> str:
    """1234567.8 → '123.46 万元' (zh) / '123.46 ×10k yuan' (en)."""
    if yuan is None:
        return DASH
    text = f"{float(yuan) / 10_000:,.2f}"
    return f"{text} {t('unit.wan_yuan', lang)}" if unit else text


def pct(rate: float | None, signed: bool = False) -> str:
    if rate is None:
        return DASH
    return f"{rate * 100:+.1f}%" if signed else f"{rate * 100:.1f}%"


def pp(delta: float | None) -> str:
    """A change of a rate, in percentage points."""
    return DASH if delta is None else f"{delta * 100:+.1f} pp"


def count(n: int | None) -> str:
    return DASH if n is None else f"{n:,}"


def day(d: dt.date | str | None, lang: str = "zh") -> str:
    if d is None:
        return DASH
    if isinstance(d, str):
        d = dt.date.fromisoformat(d)
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.isoformat()
