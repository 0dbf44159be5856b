"""Cell values → typed values, per the contract's value-format table.

Every parser takes what a reader produced (a CSV string, or an openpyxl cell value: str, int,
float, bool, datetime, date, time or None) and returns a `Parsed`: either a value (None =
missing) or a reason code with params. Parsers never raise.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from duzhan.contract import DATE_MAX, DATE_MIN
from duzhan.presentation import format as fmt

# Store limits that are not in the contract but that PostgreSQL enforces.
INT_MAX = 2**31 - 1  # INTEGER
DECIMAL_MAX = Decimal(10) ** 15  # yuan; ×100 fen stays far inside BIGINT

MONEY_PLACES = Decimal("0.01")
COORD_PLACES = Decimal("0.000001")
COORD_COLUMNS = frozenset({"longitude", "latitude"})


@dataclass(frozen=True)
class Parsed:
    value: Any = None
    reason: str | None = None
    params: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.reason is None


MISSING = Parsed(None)


def _fail(reason: str, **params: Any) -> Parsed:
    return Parsed(None, reason, params)


def display(raw: Any) -> str:
    """A cell value as the user sees it in the file."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        if math.isfinite(raw) and raw.is_integer() and abs(raw) < 1e16:
            return str(int(raw))
        return repr(raw)
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0, 0):
            return raw.date().isoformat()
        return raw.isoformat(sep=" ")
    if isinstance(raw, (dt.date, dt.time)):
        return raw.isoformat()
    return str(raw)


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


# --- text --------------------------------------------------------------------------------

_BAD_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def parse_text(raw: Any, max_length: int | None = None) -> Parsed:
    if _is_blank(raw):
        return MISSING
    if isinstance(raw, str):
        s = raw.strip()
    elif isinstance(raw, float) and not math.isfinite(raw):
        s = repr(raw)
    else:
        # an Excel number cell in a code column: 522701101, not 522701101.0
        s = display(raw)
    if _BAD_TEXT.search(s):
        return _fail("bad_text")
    if max_length is not None and len(s) > max_length:
        return _fail("too_long", max=max_length, length=len(s))
    return Parsed(s)


# --- numbers -----------------------------------------------------------------------------

_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def _number_text(s: str) -> Decimal | None:
    s = unicodedata.normalize("NFKC", s).strip()
    if _GROUPED.match(s):
        s = s.replace(",", "")
    if not _NUM.match(s):
        return None
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex already excludes it
        return None


def _number(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return None
        return Decimal(repr(raw))
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    if isinstance(raw, str):
        return _number_text(raw)
    return None


def parse_int(raw: Any) -> Parsed:
    if _is_blank(raw):
        return MISSING
    d = _number(raw)
    if d is None or d != d.to_integral_value():
        return _fail("bad_int")
    if abs(d) > INT_MAX:
        return _fail("too_large", max=INT_MAX)
    return Parsed(int(d))


def parse_decimal(raw: Any, places: Decimal = MONEY_PLACES) -> Parsed:
    if _is_blank(raw):
        return MISSING
    d = _number(raw)
    if d is None:
        return _fail("bad_decimal")
    if abs(d) >= DECIMAL_MAX:
        return _fail("too_large", max=fmt.count(int(DECIMAL_MAX)))
    q = d.quantize(places, rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)  # no "-0.00"
    return Parsed(q)


# --- dates -------------------------------------------------------------------------------


def in_date_range(day: dt.date) -> Parsed:
    """`day`, or the reason it is refused: outside DATE_MIN … DATE_MAX."""
    if not DATE_MIN <= day <= DATE_MAX:
        return _fail("date_out_of_range", min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat())
    return Parsed(day)


_DATE_SEP = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_DATE_ZH = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_MIDNIGHT = re.compile(r"\s+0{1,2}:00(:00(\.0+)?)?$")


def parse_date(raw: Any) -> Parsed:
    if _is_blank(raw):
        return MISSING
    if isinstance(raw, dt.datetime):
        return in_date_range(raw.date())
    if isinstance(raw, dt.date):
        return in_date_range(raw)
    if not isinstance(raw, str):
        return _fail("bad_date")
    s = _MIDNIGHT.sub("", unicodedata.normalize("NFKC", raw).strip())
    m = _DATE_SEP.match(s)
    if m:
        y, mo, d = m.group(1), m.group(3), m.group(4)
    else:
        m = _DATE_ZH.match(s)
        if not m:
            return _fail("bad_date")
        y, mo, d = m.groups()
    try:
        day = dt.date(int(y), int(mo), int(d))
    except ValueError:
        return _fail("no_such_date")
    return in_date_range(day)


# --- booleans ----------------------------------------------------------------------------

_TRUE = {"是", "y", "yes", "true", "1", "1.0"}
_FALSE = {"否", "n", "no", "false", "0", "0.0"}


def parse_bool(raw: Any) -> Parsed:
    if _is_blank(raw):
        return Parsed(False)
    if isinstance(raw, bool):
        return Parsed(raw)
    if isinstance(raw, (int, float)):
        if raw == 1:
            return Parsed(True)
        if raw == 0:
            return Parsed(False)
        return _fail("bad_bool")
    if isinstance(raw, str):
        s = unicodedata.normalize("NFKC", raw).strip().lower()
        if s in _TRUE:
            return Parsed(True)
        if s in _FALSE:
            return Parsed(False)
    return _fail("bad_bool")


# --- months and choices --------------------------------------------------------------------

_MONTH_SEP = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_ZH = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月$")


def parse_month(raw: Any) -> Parsed:
    """A month as its first day: `2024-06`, `2024/6`, `2024.6`, `2024年6月`, or any date."""
    if _is_blank(raw):
        return MISSING
    if isinstance(raw, str):
        s = unicodedata.normalize("NFKC", raw).strip()
        m = _MONTH_SEP.match(s) or _MONTH_ZH.match(s)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            if not 1 <= mo <= 12:
                return _fail("bad_month")
            return in_date_range(dt.date(y, mo, 1))
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _number_month(raw)
    day = parse_date(raw)
    if not day.ok:
        return _fail("bad_month")
    return Parsed(day.value.replace(day=1))


def _number_month(raw: float) -> Parsed:
    """An Excel number cell typed as `2024.6`: year and month, as written (2024.12 is
    December). 2024.1 is refused: Excel keeps 2024.10 (October) as 2024.1 too."""
    m = re.fullmatch(r"(\d{4})\.(\d{1,2})", repr(raw)) if isinstance(raw, float) else None
    if m is None:
        return _fail("bad_month")
    y, digits = int(m.group(1)), m.group(2)
    if digits == "1":
        return _fail("ambiguous_month", value=repr(raw), year=y)
    if not 1 <= int(digits) <= 12:
        return _fail("bad_month")
    return in_date_range(dt.date(y, int(digits), 1))


def parse_choice(raw: Any, choices: tuple) -> Parsed:
    """One of `choices` (contract.Choice), by its Chinese word or English key (any case);
    the value is the key."""
    if _is_blank(raw):
        return MISSING
    s = unicodedata.normalize("NFKC", str(raw)).strip()
    for c in choices:
        if s == c.zh or s.lower() == c.key:
            return Parsed(c.key)
    return _fail("bad_choice", words="、".join(f"{c.zh}({c.key})" for c in choices))


def parser_for(type_: str, key: str, max_length: int | None = None, choices: tuple = (),
               required: bool = False) -> Callable[[Any], Parsed]:
    if type_ == "text":
        return lambda raw: parse_text(raw, max_length)
    if type_ == "int":
        return parse_int
    if type_ == "decimal":
        places = COORD_PLACES if key in COORD_COLUMNS else MONEY_PLACES
        return lambda raw: parse_decimal(raw, places)
    if type_ == "date":
        return parse_date
    if type_ == "bool":
        # a required (✔) bool column refuses an empty cell instead of reading it as false
        return (lambda raw: MISSING if _is_blank(raw) else parse_bool(raw)) if required \
            else parse_bool
    if type_ == "month":
        return parse_month
    if type_ == "choice":
        return lambda raw: parse_choice(raw, choices)
    raise ValueError(type_)


def to_fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def mask(value: str) -> str:
    """Personal data as it may be shown: the project's one masking rule (duzhan.privacy)."""
    from duzhan.privacy import mask_household_id

    return mask_household_id(value) or ""
