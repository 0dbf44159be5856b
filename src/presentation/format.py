"""Numbers the Chinese way: money in 万元, rates as percentages with one decimal; changes
(week over week) signed, in the unit of their kind."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from duzhan.i18n import t

DASH = "—"


def wan(yuan: float | Decimal | None, lang: str = "zh", unit: bool = True,
        digits: int = 2) -> str:
    """1234567.8 → '123.46 万元' (zh) / '123.46 ×10k yuan' (en)."""
    if yuan is None:
        return DASH
    text = f"{float(yuan) / 10_000:,.{digits}f}"
    return f"{text} {t('unit.wan_yuan', lang)}" if unit else text


def wan_card(yuan: float | Decimal | None, lang: str = "zh") -> str:
    """Money on a headline card: whole 万元 with the unit, '14,606 万元', so figure and unit
    fit a card at 1366 px (a card is read at a glance; tables and exports keep the fen)."""
    return wan(yuan, lang, digits=0)


def wan_label(label_key: str, lang: str = "zh") -> str:
    """A card or column label with its unit: '贷款余额（万元）'."""
    return with_unit(t(label_key, lang), t("unit.wan_yuan", lang), lang)


def with_unit(label: str, unit: str, lang: str = "zh") -> str:
    """A label with its unit, one way: '贷款余额（万元）' / 'Balance (×10k yuan)'."""
    return t("unit.label_with_unit", lang, label=label, unit=unit)


# A table's number column as each kind is written above, in printf style (Streamlit's
# NumberColumn reads it with sprintf-js, "," for thousands; column_cell reads it the same
# way). The frame holds the number in the column's unit: 万元, or 12.5 for 12.5%.
def column_format(kind: str, lang: str = "zh") -> str:
    """"count" → '%,d' (1,234); "wan" → '%,.2f' (14,605.97); "rate" → '%.1f%%' (12.5%);
    "pp" (a gap of rates) → '%+.1f个百分点' / '%+.1f pp', never a percentage; "decimal"
    → '%.2f' (a score)."""
    if kind == "pp":
        return t("unit.pp", lang, n="%+.1f")
    return {"count": "%,d", "wan": "%,.2f", "rate": "%.1f%%", "decimal": "%.2f"}[kind]


def excel_format(kind: str) -> str:
    """The Excel number format of a number column of `kind`, the cell keeping the bare
    number: 1,234 / 14,605.97 / 12.5 (the header says %) / +1.8 (the header says 个百分点)."""
    return {"count": "#,##0", "wan": "#,##0.00", "rate": "0.0", "pp": "+0.0;-0.0;0.0",
            "decimal": "0.00"}[kind]


def column_unit(kind: str, lang: str = "zh") -> str | None:
    """The unit a number column's Excel header carries (the cell holds the bare number):
    万元, %, 个百分点 / pp; None for counts and scores."""
    return {"wan": t("unit.wan_yuan", lang), "rate": "%",
            "pp": t("unit.pp", lang, n="").strip()}.get(kind)


def pct(rate: float | None, signed: bool = False) -> str:
    if rate is None:
        return DASH
    return f"{rate * 100:+.1f}%" if signed else f"{rate * 100:.1f}%"


def pp(delta: float | None, lang: str = "zh", signed: bool = True) -> str:
    """A gap or a change between two rates, in percentage points: '-1.8个百分点' (zh) /
    '-1.8 pp' (en); never a percentage (a gap of rates is not a rate)."""
    if delta is None:
        return DASH
    return t("unit.pp", lang, n=f"{delta * 100:+.1f}" if signed else f"{delta * 100:.1f}")


def pp_d3(field: str, lang: str = "zh") -> str:
    """A gap in a plotly hovertemplate as `pp` writes it, the field holding the gap in
    points (×100): pp_d3("customdata[2]") → '%{customdata[2]:+.1f}个百分点'."""
    return t("unit.pp", lang, n="%{" + field + ":+.1f}")


def count(n: int | None) -> str:
    return DASH if n is None else f"{n:,}"


def day(d: dt.date | str | None, lang: str = "zh") -> str:
    if d is None:
        return DASH
    if isinstance(d, str):
        d = dt.date.fromisoformat(d)
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.isoformat()


def month(m: str | dt.date | None, lang: str = "zh") -> str:
    """A calendar month ('YYYY-MM' as the metrics JSON writes it, or any date of it):
    2024年6月 / 2024-06."""
    if m is None:
        return DASH
    if isinstance(m, str):
        m = dt.date.fromisoformat(f"{m[:7]}-01")
    return f"{m.year}年{m.month}月" if lang == "zh" else f"{m.year:04d}-{m.month:02d}"


def moment(at: dt.datetime | None, lang: str = "zh", seconds: bool = False) -> str:
    """A time of day with its date (an import, a sign-in, a pack made): 2026年12月2日 14:05 /
    2026-12-02 14:05; the caller converts to Beijing time."""
    if at is None:
        return DASH
    return f"{day(at.date(), lang)} {at.strftime('%H:%M:%S' if seconds else '%H:%M')}"


def yuan(amount: float | Decimal | None) -> str:
    """An exact amount in yuan, to the fen (import messages name what the file says):
    1234567.8 → '1,234,567.80'. Pages and exports show 万元 (`wan`)."""
    return DASH if amount is None else f"{Decimal(str(amount)):,.2f}"


def decimal(x: float | None, digits: int = 2) -> str:
    """A plain number that is neither money nor a rate (an attention score): 1.25."""
    return DASH if x is None else f"{x:.{digits}f}"


def day_column(lang: str = "zh") -> str:
    """`day` as a Streamlit DateColumn format (moment.js): 2026年12月2日 / 2026-12-02."""
    return "YYYY年M月D日" if lang == "zh" else "YYYY-MM-DD"


def day_d3(lang: str = "zh") -> str:
    """`day` as a d3 time format, for plotly's date axes and hovers: 2026年12月2日 / 2026-12-02
    (plotly's own month names are English whatever the page's language)."""
    return "%Y年%-m月%-d日" if lang == "zh" else "%Y-%m-%d"


def tick_day_d3(lang: str = "zh") -> str:
    """A day as a date axis tick where ticks are closer than a month: 2月8日 / Feb 8 (the
    year is on the month ticks of a longer span; the hover writes the whole day)."""
    return "%-m月%-d日" if lang == "zh" else "%b %-d"


def month_d3(lang: str = "zh") -> str:
    """A month as a d3 time format (date axis ticks): 2026年3月 / Mar 2026."""
    return "%Y年%-m月" if lang == "zh" else "%b %Y"


def change(now, then, kind: str, lang: str = "zh") -> str | None:
    """now − then as a card shows it, None when either side is missing:
    "count" → '+1,234' / '-1'; "pp" (rates as fractions) → '+1.2个百分点'; "wan" (yuan) →
    '+12.34 万元'; "days" (dates or day counts) → '+13 天' / '+13 days'.
    A change that shows as zero carries no sign: '0', '0.0个百分点', '0.00 万元', '0 天'."""
    if now is None or then is None:
        return None
    d = now - then
    if isinstance(d, dt.timedelta):
        d = d.days
    if kind in ("count", "days"):
        number = f"{d:+,}"
    elif kind == "pp":
        number = f"{d * 100:+.1f}"
    elif kind == "wan":
        number = f"{d / 10_000:+,.2f}"
    else:
        raise ValueError(f"unknown kind of change: {kind!r}")
    if not any(ch in "123456789" for ch in number):
        number = number.lstrip("+-")
    if kind == "pp":
        return t("unit.pp", lang, n=number)
    if kind == "wan":
        return f"{number} {t('unit.wan_yuan', lang)}"
    if kind == "days":
        return t("unit.days", lang, n=number)
    return number


def is_no_change(shown: str | None) -> bool:
    """Whether a text from `change()` shows no change (only those carry no sign)."""
    return shown is not None and not shown.startswith(("+", "-"))


# Status reasons (duzhan.metrics.status.Reason) in words, with their figures.
_COUNT_REASONS = {"overdue_issues", "phase_tasks_overdue", "net_forecast_none", "summons_due",
                  "yellow_cards_28d", "unvisited_last_month", "reports_last_missing",
                  "guarantee_gaps", "unassisted_over_15d"}
_GAP_REASONS = {"funds_gap_over_20pct", "funds_gap_over_10pct"}


def reason_text(reason, lang: str) -> str:
    """A status reason (a status.Reason, its to_dict(), or a bare code) as a sentence with
    its figures: catalogue key `reason.<code>`, {value}/{threshold} formatted by kind."""
    if isinstance(reason, str):
        code, value, threshold = reason, None, None
    elif isinstance(reason, dict):
        code, value, threshold = reason["code"], reason.get("value"), reason.get("threshold")
    else:
        code, value, threshold = reason.code, reason.value, reason.threshold

    def show(v):
        if v is None:
            return DASH
        if code == "reports_last_missing" and isinstance(v, str):
            return month(v, lang)  # last_due_month
        if code in _COUNT_REASONS:
            return count(int(v))
        if code == "forecast_after_target":
            return day(v if not hasattr(v, "isoformat") else v.isoformat()[:10], lang)
        if code in _GAP_REASONS:
            return pp(abs(float(v)), lang, signed=False)
        return pct(float(v))

    return t(f"reason.{code}", lang, value=show(value), threshold=show(threshold))


_PRINTF = re.compile(r"%([+ ]?)(,?)(\.\d+)?([df])")


def column_cell(value, kind: str = "text", spec: str | None = None) -> str:
    """A table cell as text, as the page's column config shows it: numbers by their
    printf-style `spec` (`column_format`: "%,d", "%,.2f", "%.1f%%", "%+.1f个百分点"; "," for
    thousands as sprintf-js reads it), dates as `day` in their `day_column` format's
    language (ISO without one), a missing value as DASH.
    Used where a table is drawn as HTML (meeting mode) rather than as a data grid."""
    if value is None or (not isinstance(value, str) and _isna(value)):
        return DASH
    if kind in ("number", "progress") and spec:
        def number(m: re.Match) -> str:
            sign, comma, digits, letter = m.groups()
            x = int(round(float(value))) if letter == "d" else float(value)
            return format(x, f"{sign}{comma}{digits or ''}{letter}")
        return _PRINTF.sub(number, spec).replace("%%", "%")
    if kind == "date":  # as `day` writes it, in the language of the column's format
        text = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]
        return day(text, "zh" if spec == day_column("zh") else "en")
    return str(value)


def _isna(value) -> bool:
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        # pandas' NA (an Int64 column's gap: a site never checked) compares to NA, which
        # has no truth value
        return type(value).__name__ == "NAType"
