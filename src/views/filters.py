"""The global filters and their URL form (st.query_params), with no Streamlit import.

URL parameters: `asof=2024-06-30`, `t=CODE,CODE` (townships), `area=片区`, `lang=en`,
`meeting=1`. Bad or unknown values fall back to defaults rather than failing a shared link.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from duzhan.i18n import DEFAULT_LANG, LANGS


@dataclass(frozen=True)
class Filters:
    as_of: dt.date
    townships: tuple[str, ...] = ()
    area: str | None = None
    lang: str = DEFAULT_LANG
    meeting: bool = False

    def scope_codes(self, area_of: Mapping[str, str | None]) -> tuple[str, ...] | None:
        """The township codes in scope, or None for the whole county.
        A supervision area narrows to its townships; a township pick narrows further."""
        codes = tuple(self.townships)
        if self.area:
            in_area = tuple(c for c, a in area_of.items() if a == self.area)
            codes = tuple(c for c in codes if c in in_area) if codes else in_area
            return codes  # an area with no picked township in it is an empty scope
        return codes or None

    def to_query(self, default_as_of: dt.date) -> dict[str, str]:
        q: dict[str, str] = {}
        if self.as_of != default_as_of:
            q["asof"] = self.as_of.isoformat()
        if self.townships:
            q["t"] = ",".join(self.townships)
        if self.area:
            q["area"] = self.area
        if self.lang != DEFAULT_LANG:
            q["lang"] = self.lang
        if self.meeting:
            q["meeting"] = "1"
        return q


def _first(value) -> str | None:
    if isinstance(value, (list, tuple)):
        return value[-1] if value else None
    return value


def from_query(
    params: Mapping[str, object],
    default_as_of: dt.date,
    known_townships: Mapping[str, str | None],
) -> Filters:
    """Filters from URL parameters; `known_townships` maps code → supervision area."""
    as_of = default_as_of
    raw = _first(params.get("asof"))
    if raw:
        try:
            as_of = dt.date.fromisoformat(str(raw))
        except ValueError:
            pass
    raw_t = _first(params.get("t")) or ""
    townships = tuple(dict.fromkeys(c for c in str(raw_t).split(",") if c in known_townships))
    areas = {a for a in known_townships.values() if a}
    area = _first(params.get("area"))
    area = area if area in areas else None
    lang = _first(params.get("lang"))
    lang = lang if lang in LANGS else DEFAULT_LANG
    meeting = _first(params.get("meeting")) in ("1", "true")
    return Filters(as_of, townships, area, lang, meeting)
