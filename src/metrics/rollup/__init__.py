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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from duzhan.metrics.output import BLOCKS as JSON_ORDER
from duzhan.metrics.output import json_block
from duzhan.metrics.status import scope_status

from . import funds, guarantees, issues, loans, monitoring, phases, relocation
from ._sql import table

BLOCKS = (issues, funds, loans, phases, monitoring, guarantees, relocation)
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


def _codes(d: Directory, townships: Iterable[str] | str | None,
           county: str | None) -> list[str]:
    """The townships asked for, sorted (as the frames' engine checks them)."""
    known = list(d.names) if county is None else d.townships_of(county)
    if townships is None:
        return known
    if isinstance(townships, str):
        townships = [townships]
    codes = sorted(set(townships))
    if not codes:
        return known
    unknown = [c for c in codes if c not in set(known)]
    if unknown and county is not None:
        raise ValueError(f"township code(s) not in county {county}: {', '.join(unknown)}")
    if unknown:
        raise ValueError(f"unknown township code(s): {', '.join(unknown)}")
    return codes


def _total(block, ctx: Any, parts: Iterable[Any]) -> Any:
    out = block.empty(ctx)
    for p in parts:
        out = block.add(out, p)
    return out


def json_scope(fig: dict[str, Any]) -> dict[str, Any]:
    return {b: json_block(b, fig[b]) for b in JSON_ORDER if b in fig}


def _status_entry(fig: dict[str, Any]) -> dict[str, Any]:
    status, reasons = scope_status(fig)
    return {"status": status, "status_reasons": [r.code for r in reasons]}


def rollup_report(engine: Engine, as_of: Any, townships: Iterable[str] | None = None,
                  county: str | None = None) -> dict[str, Any]:
    """The contract's ``metrics`` object, exactly as ``metrics_report`` gives it for the
    stored ledgers (same arguments, same ValueErrors)."""
    D = as_of if isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime) \
        else dt.date.fromisoformat(str(as_of)[:10])
    with engine.connect() as conn:
        d = directory(conn)
        if county is not None and county not in d.county_names:
            raise ValueError(f"unknown county code: {county}")
        codes = _codes(d, townships, county)
        towns = None if county is None else d.townships_of(county)
        figs: dict[str, dict[str, dict]] = {}  # scope -> block -> figures
        counties = list(d.county_names) if county is None else [county]
        scopes = {"": None, **{f"c:{c}": c for c in counties}}
        for block in BLOCKS:
            ctx = block.context(conn, D)
            parts = block.parts(conn, D, ctx, towns, county)
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
                         **json_scope(figs[c]), **_status_entry(figs[c])} for c in codes]
    if len(d.county_names) > 1:
        out["counties"] = [{"county_code": c, "county_name": d.county_names[c],
                            **json_scope(figs[f"c:{c}"]), **_status_entry(figs[f"c:{c}"])}
                           for c in counties]
    return out
