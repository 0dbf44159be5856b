"""The ``metrics`` command computed where the data is (shared/contract/metrics.md).

Each block asks the store for its **parts** per township in one ``GROUP BY`` (SQLite and
PostgreSQL alike): counts and sums that add up. A county's figure adds its townships' parts
(and its county-wide rows), the store's roll-up adds every part; the block then **finishes**
the sum into the contract's figures (rates, forecasts, lists) in plain Python. No frames and
no pandas: a command for one county or one township reads that scope's rows only, in SQL.

The frames' engine (duzhan.metrics.report) stays the reference; the differential tests hold
both to the oracle on random ledgers.

A block is a module with:

- ``NAME``: its key in the JSON;
- ``context(conn, D)``: what the whole store says once per report (the phases, whether a
  ledger is in use yet, …);
- ``parts(conn, D, ctx, towns)``: ``{key: part}`` for the townships ``towns`` (None = every
  township), a part per township_code with rows; rows of no township under ``"@" +
  county_code`` (a county's own rows) or ``"@"`` (the store's);
- ``empty(ctx)``, ``add(a, b)``: the part of no rows, and the part of two scopes together;
- ``finish(part, D, ctx)``: the block's figures as the frames' engine gives them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, func, not_, or_, select

from duzhan.contract import DATE_MAX, DATE_MIN, LEDGER_ORDER, LEDGERS
from duzhan.metrics.output import asked_townships, json_scope, status_entry
from duzhan.metrics.status import scope_status

from . import funds, guarantees, issues, loans, monitoring, phases, relocation, reports, supervision
from .sql import DATED, PARENTS, kept, table

BLOCKS = (issues, funds, loans, phases, supervision, reports, monitoring, guarantees, relocation)
COUNTY_ROWS = "@"  # key prefix of the parts of rows in no township


@dataclass(frozen=True)
class Directory:
    """The store's townships in code order: names, and the county of each (None: none)."""

    names: dict[str, str]
    county_of: dict[str, str | None]
    county_names: dict[str, str | None]

    def townships_of(self, county: str) -> list[str]:
        return [c for c, k in self.county_of.items() if k == county]


def directory(conn: Connection) -> Directory:
    t = table("townships").c
    rows = conn.execute(select(t.township_code, t.township_name, t.county_code,
                               t.county_name).order_by(t.township_code)).all()
    counties: dict[str, str | None] = {}
    for _, _, county, name in sorted((r for r in rows if r[2] is not None),
                                     key=lambda r: (r[2], r[0])):
        counties.setdefault(county, name)  # the name its first township gives
    return Directory({c: n for c, n, _, _ in rows}, {c: k for c, _, k, _ in rows},
                     counties)


def _total(block, ctx: Any, parts: Iterable[Any]) -> Any:
    out = block.empty(ctx)
    for p in parts:
        out = block.add(out, p)
    return out


def day(as_of: Any) -> dt.date:
    return as_of if isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime) \
        else dt.date.fromisoformat(str(as_of)[:10])


def store_parts(conn: Connection, D: dt.date) -> dict[str, dict[str, Any]]:
    """Every block's parts of the whole store at D, by block name: what any scope's figures
    at D are summed from (duzhan.store.figures keeps them per data version)."""
    return {b.NAME: b.parts(conn, D, b.context(conn, D), None, None) for b in BLOCKS}


def _of_scope(parts: dict[str, Any], towns: list[str] | None,
              county: str | None) -> dict[str, Any]:
    """The whole store's parts a query of ``towns`` and ``county`` would give."""
    if towns is None:
        return parts
    keep = set(towns) | ({COUNTY_ROWS + county} if county is not None else set())
    return {k: p for k, p in parts.items() if k in keep}


def rollup_report(engine: Engine, as_of: Any, townships: Iterable[str] | None = None,
                  county: str | None = None, within: Iterable[str] | None = None,
                  stored: Mapping[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The contract's ``metrics`` object, exactly as ``metrics_report`` gives it for the
    stored ledgers (same arguments, same ValueErrors). ``within``: the townships a reader
    may see (None = all): the rows of the others count nowhere, as if not stored.
    ``stored``: the whole store's parts at this day (store_parts), when kept: the scope's
    parts are taken from them instead of asked for."""
    D = day(as_of)
    with engine.connect() as conn:
        d = directory(conn)
        if within is not None:
            seen = set(within)
            kept_counties = {k for c, k in d.county_of.items() if c in seen}
            d = Directory({c: n for c, n in d.names.items() if c in seen},
                          {c: k for c, k in d.county_of.items() if c in seen},
                          {k: n for k, n in d.county_names.items() if k in kept_counties})
        if county is not None and county not in d.county_names:
            raise ValueError(f"unknown county code: {county}")
        known = list(d.names) if county is None else d.townships_of(county)
        codes = asked_townships(known, townships, county)
        towns = (list(d.names) if within is not None else None) if county is None \
            else d.townships_of(county)
        figs: dict[str, dict[str, dict]] = {}  # scope -> block -> figures
        counties = list(d.county_names) if county is None else [county]
        scopes = {"": None, **{f"c:{c}": c for c in counties}}
        for block in BLOCKS:
            ctx = block.context(conn, D)
            # a reader limited to some townships sees no county's own rows
            own = county if within is None else None
            parts = block.parts(conn, D, ctx, towns, own) if stored is None \
                else _of_scope(stored[block.NAME], towns, own)
            for code in codes:
                part = parts.get(code)
                figs.setdefault(code, {})[block.NAME] = block.finish(
                    block.empty(ctx) if part is None else part, D, ctx)
            by_county: dict[str, list] = {}
            for key, part in parts.items():
                owner = key[1:] or None if key.startswith(COUNTY_ROWS) else d.county_of.get(key)
                by_county.setdefault(owner, []).append(part)
            for scope, c in scopes.items():
                if scope == "" and county is None:
                    total = _total(block, ctx, parts.values())
                elif scope == "":
                    continue
                else:
                    total = _total(block, ctx, by_county.get(c, []))
                figs.setdefault(scope, {})[block.NAME] = block.finish(total, D, ctx)
    top = figs[f"c:{county}"] if county is not None else figs[""]
    out: dict[str, Any] = {"as_of": D.isoformat()}
    out["county"] = json_scope(top)
    out["county"]["status"] = scope_status(top)[0]
    out["townships"] = [{"township_code": c, "township_name": d.names.get(c),
                         **json_scope(figs[c]), **status_entry(figs[c])} for c in codes]
    if len(d.county_names) > 1:
        out["counties"] = [{"county_code": c, "county_name": d.county_names[c],
                            **json_scope(figs[f"c:{c}"]), **status_entry(figs[f"c:{c}"])}
                           for c in counties]
    return out


def _scoped(q, ledger: str, towns: list[str] | None, county: str | None):
    """``q`` (over ``ledger``, joined to its parent when it has one) limited to the scope."""
    if towns is None:
        return q
    led = LEDGERS[ledger]
    if led.township == "none":
        return q
    if led.township == "parent":
        col = table(led.parent.ledger).c.township_code
    else:
        col = table(ledger).c.township_code
    own = col.in_(towns)
    if ledger == "tasks" and county is not None:
        c = table("tasks").c
        own = or_(own, and_(c.township_code.is_(None), c.county_code == county))
    return q.where(own)


def _any_outside(conn: Connection, towns: list[str] | None, county: str | None) -> bool:
    """Whether any stored date of the scope lies outside DATE_MIN … DATE_MAX: one probe per
    dated column, each an index step (one probe over several columns' ORs was a pass over
    every row: SQLite's planner scans for it); a ledger reaching its township through a
    parent, store-wide."""
    for ledger in LEDGER_ORDER:
        cols = table(ledger).c
        for c in LEDGERS[ledger].columns:
            if c.type not in DATED:
                continue
            col = cols[c.key]
            probe = select(col).where(or_(col < DATE_MIN, col > DATE_MAX))
            if LEDGERS[ledger].township != "parent":
                probe = _scoped(probe, ledger, towns, county)
            if conn.execute(select(exists(probe))).scalar():
                return True
    return False


def left_out(engine: Engine, townships: list[str] | None = None,
             county: str | None = None) -> dict[str, int]:
    """Per ledger, the stored rows of the scope no figure counts (as a frames read leaves
    them out: a date outside the range, or naming such a row); empty when none.

    Text in a DATE column of SQLite that compares within the range but is no day
    ('2024-02-30') is not looked for: a date() per stored value would cost a second on a
    province's store, and no import writes one."""
    out: dict[str, int] = {}
    with engine.connect() as conn:
        towns = directory(conn).townships_of(county) if county is not None else townships
        if not _any_outside(conn, towns, county):
            return out
        for ledger in LEDGER_ORDER:
            own = kept(ledger)
            parent = PARENTS.get(ledger)
            if parent is None and own is None:
                continue
            tbl = table(ledger)
            q = select(func.count()).select_from(tbl)
            if parent is not None:
                p_ledger, col, p_col = parent
                q = q.join(table(p_ledger), table(p_ledger).c[p_col] == tbl.c[col])
                bad = not_(and_(*(c for c in (own, kept(p_ledger)) if c is not None)))
            else:
                bad = not_(own)
            n = conn.execute(_scoped(q.where(bad), ledger, towns, county)).scalar_one()
            if n:
                out[ledger] = int(n)
    return out
