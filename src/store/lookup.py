"""What a command asks the store before it counts anything: who may see which townships
(`DataScope`), the townships and counties, the data's last day. No pandas and no ORM models
(plain tables from the contract), so a command for one township starts quickly."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from duzhan.contract import DATE_MAX, DATE_MIN, LEDGERS
from duzhan.metrics.rollup.sql import table

_T = table("townships").c


@dataclass(frozen=True)
class DataScope:
    """Which townships a reader may see (`allowed`, from the user's role; None = all) and
    which the filters select (`selected`; None = whole county). Reads use their intersection.
    `county` (a county_code of a store of several counties; None = every county) limits
    the rows further to that county's townships and its own county-wide tasks; the
    townships ledger itself stays whole, the store's directory of its counties."""

    allowed: tuple[str, ...] | None = None
    selected: tuple[str, ...] | None = None
    county: str | None = None

    @property
    def townships(self) -> tuple[str, ...] | None:
        if self.allowed is None:
            return self.selected
        if self.selected is None:
            return self.allowed
        return tuple(c for c in self.selected if c in set(self.allowed))


@dataclass(frozen=True)
class TownshipDirectory:
    """Township codes in code order, with names and supervision areas."""

    names: dict[str, str]
    areas: dict[str, str | None]

    def label(self, code: str) -> str:
        return self.names.get(code, code)


def township_directory(engine: Engine, scope: DataScope = DataScope()) -> TownshipDirectory:
    q = select(_T.township_code, _T.township_name, _T.area_group).order_by(_T.township_code)
    if scope.allowed is not None:
        q = q.where(_T.township_code.in_(scope.allowed))
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return TownshipDirectory({c: n for c, n, _ in rows}, {c: a for c, _, a in rows})


def last_event_date(engine: Engine) -> dt.date | None:
    """The latest day on which anything in the ledgers happened (None for an empty store)."""
    # one MAX per event date over its own range: each reads one entry of the column's index
    # (migration 0005), where a MAX … FILTER over the table read every row
    latest = [select(func.max(col)).where(col.between(DATE_MIN, DATE_MAX)).scalar_subquery()
              for led in LEDGERS.values() for col in (table(led.key).c[c] for c in led.events)]
    with engine.connect() as conn:
        days = [d for d in conn.execute(select(*latest)).one() if d is not None]
    return max(days) if days else None


@dataclass(frozen=True)
class CountyDirectory:
    """The counties of a store of several (townships with a county_code), in code order,
    with their names and the township codes of each the reader may see; empty for a store
    of one county."""

    names: dict[str, str]
    townships: dict[str, tuple[str, ...]]

    def label(self, code: str) -> str:
        return self.names.get(code, code)


def county_directory(engine: Engine, scope: DataScope = DataScope()) -> CountyDirectory:
    q = (select(_T.county_code, _T.county_name, _T.township_code)
         .where(_T.county_code.is_not(None))
         .order_by(_T.county_code, _T.township_code))
    if scope.allowed is not None:
        q = q.where(_T.township_code.in_(scope.allowed))
    names: dict[str, str] = {}
    towns: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for county, name, town in conn.execute(q):
            names.setdefault(county, name or county)
            towns.setdefault(county, []).append(town)
    return CountyDirectory(names, {c: tuple(v) for c, v in towns.items()})
