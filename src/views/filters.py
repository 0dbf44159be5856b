"""The global filters and their URL form (st.query_params), with no Streamlit import.

URL parameters: `asof=2024-06-30`, `c=COUNTY` (a county of a store of several),
`t=CODE,CODE` (townships), `area=片区`, `lang=en`, `meeting=1`. Bad or unknown values
fall back to defaults rather than failing a shared link; an `asof` that is no date or
lies outside :func:`as_of_bounds` (the date picker's range, which the `duzhan` command
holds to as well) is kept as `refused_as_of` so the page can say which date it shows
instead (:func:`as_of_notice`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from duzhan.i18n import DEFAULT_LANG, LANGS, t
from duzhan.presentation import format as fmt

AS_OF_EARLIEST = dt.date(2015, 1, 1)  # the campaign's ledgers start after this
AS_OF_AHEAD = dt.timedelta(days=366)  # a look ahead of up to a year from today


def as_of_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates the dashboard can be asked about (first, last): the date picker's range,
    the URL's and the command line's."""
    return AS_OF_EARLIEST, today + AS_OF_AHEAD


@dataclass(frozen=True)
class Filters:
    as_of: dt.date
    townships: tuple[str, ...] = ()
    area: str | None = None
    lang: str = DEFAULT_LANG
    meeting: bool = False
    refused_as_of: str | None = None  # the URL's asof when it was not used (not a date / out of range)
    county: str | None = None  # a county_code of a store of several counties; None = all

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
        if self.county:
            q["c"] = self.county
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
    bounds: tuple[dt.date, dt.date] | None = None,
    known_counties: Mapping[str, tuple[str, ...]] | None = None,
) -> Filters:
    """Filters from URL parameters; `known_townships` maps code → supervision area;
    `bounds`: the as-of dates allowed (first, last), None = any; `known_counties`: county
    code → its townships, the counties a reader may choose (a store of several counties).
    With a county chosen, only its townships are kept from `t`."""
    as_of, refused = default_as_of, None
    raw = _first(params.get("asof"))
    if raw:
        asked = _date(str(raw))
        if asked is not None and (bounds is None or bounds[0] <= asked <= bounds[1]):
            as_of = asked
        else:
            refused = str(raw)
    raw_t = _first(params.get("t")) or ""
    county = _first(params.get("c"))
    county = county if county and county in (known_counties or {}) else None
    if county is not None:
        known_townships = {c: a for c, a in known_townships.items()
                           if c in set(known_counties[county])}
    townships = tuple(dict.fromkeys(c for c in str(raw_t).split(",") if c in known_townships))
    areas = {a for a in known_townships.values() if a}
    area = _first(params.get("area"))
    area = area if area in areas else None
    lang = _first(params.get("lang"))
    lang = lang if lang in LANGS else DEFAULT_LANG
    meeting = _first(params.get("meeting")) in ("1", "true")
    return Filters(as_of, townships, area, lang, meeting, refused, county)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def as_of_notice(refused: str, bounds: tuple[dt.date, dt.date], shown: dt.date,
                 lang: str) -> str:
    """What a page says when the URL's asof was not used: the date asked for (only when it
    is a date: the raw text is a visitor's, never echoed), the range, the date shown."""
    asked = _date(refused)
    first, last = (fmt.day(d, lang) for d in bounds)
    if asked is None:
        return t("filter.as_of_not_a_date", lang, shown=fmt.day(shown, lang))
    return t("filter.as_of_out_of_range", lang, asked=fmt.day(asked, lang), first=first, last=last,
             shown=fmt.day(shown, lang))


def beyond_data_notice(as_of: dt.date, last_event: dt.date | None, lang: str) -> str | None:
    """The banner every page shows when the as-of date lies after the ledgers' last event
    (nothing after it is recorded, so figures there are not a picture of that day)."""
    if last_event is None or as_of <= last_event:
        return None
    return t("filter.beyond_data", lang, as_of=fmt.day(as_of, lang),
             last=fmt.day(last_event, lang))
