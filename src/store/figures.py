"""Materialised figures: the roll-up's parts of the whole store at a day (one row of the
`figures` table per data version and day), so that any scope's figures at that day (the
store, a county, a township, a reader's townships) are sums of kept parts, not queries
over every row; and the whole store's finished report at that day, read as it was kept.
`refresh` makes both for the dashboard's opening day and the week before it after each
import; a whole-store report at another day makes and keeps its own.

The data version is the import counter (`import_lock.imports`, raised in the transaction
that writes the ledgers, so it cannot change apart from them) and a fingerprint of the
code that defines the figures: a new release never reads an older release's parts."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    insert,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError

from duzhan import clock

# Core, not an ORM model, so a command need not load the ORM (store.models copies it into
# the schema's metadata, which the migrations are checked against)
FIGURES = Table(
    "figures", MetaData(),
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("data_version", String(80), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("county", String(64), nullable=False),  # "": townships of no county, "@" rows
    Column("made_at", DateTime(timezone=True), nullable=False),
    Column("parts", Text, nullable=False),  # JSON: block → key → part (encode)
    UniqueConstraint("data_version", "as_of", "county", name="uq_figures_data_version"),
)

_IMPORTS = text("SELECT imports FROM import_lock WHERE id = 1")


@cache
def fingerprint() -> str:
    """A digest of the source that defines the figures (duzhan.metrics, duzhan.contract)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted([*(root / "metrics").rglob("*.py"), *(root / "contract").rglob("*.py")]):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def data_version(conn: Connection) -> str:
    imports = conn.execute(_IMPORTS).scalar()
    return f"{imports or 0}:{fingerprint()}"


# --- parts as JSON: each value tagged with its type, so it comes back as it went in ------


def encode(v: Any) -> Any:
    if isinstance(v, bool) or v is None or isinstance(v, int | str):
        return v
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return {"d": v.isoformat()}
    if isinstance(v, Counter):
        return {"c": [[k, n] for k, n in v.items()]}
    if isinstance(v, tuple):
        return {"t": [encode(x) for x in v]}
    if isinstance(v, list):
        return [encode(x) for x in v]
    if isinstance(v, dict):
        return {"m": [[encode(k), encode(x)] for k, x in v.items()]}
    raise TypeError(f"a roll-up part holds a {type(v).__name__}: {v!r}")


def decode(v: Any) -> Any:
    if isinstance(v, list):
        return [decode(x) for x in v]
    if not isinstance(v, dict):
        return v
    (tag, x), = v.items()
    if tag == "d":
        return dt.date.fromisoformat(x)
    if tag == "c":
        return Counter({k: n for k, n in x})
    if tag == "t":
        return tuple(decode(y) for y in x)
    return {decode(k): decode(y) for k, y in x}


# --- kept and made -----------------------------------------------------------------------


NO_COUNTY = ""  # the row of the parts of townships of no county and of the store's own rows
WHOLE = "*"  # the row of the whole store's finished report (JSON), not of parts


def kept_parts(conn: Connection, D: dt.date,
               county: str | None = None) -> dict[str, dict] | None:
    """The parts at D for the data as it is now (of `county` and of no county, when given;
    else of the whole store); None when not kept."""
    f = FIGURES.c
    q = select(f.county, f.parts).where(f.data_version == data_version(conn), f.as_of == D,
                                        f.county != WHOLE)
    if county is not None:
        q = q.where(f.county.in_((county, NO_COUNTY)))
    rows = dict(conn.execute(q).all())
    if NO_COUNTY not in rows:  # each day keeps this row: its absence says not kept
        return None
    out: dict[str, dict] = {}
    for body in rows.values():
        for name, parts in decode(json.loads(body)).items():
            out.setdefault(name, {}).update(parts)
    return out


def _by_county(conn: Connection, parts: dict[str, dict]) -> dict[str, dict[str, dict]]:
    """county → block → its keys' parts (every county of the store, empty ones too)."""
    from duzhan.metrics import rollup  # not at import: store.models loads this module

    d = rollup.directory(conn)
    out = {c: {name: {} for name in parts} for c in [NO_COUNTY, *d.county_names]}
    for name, block in parts.items():
        for key, part in block.items():
            owner = key[1:] if key.startswith(rollup.COUNTY_ROWS) else d.county_of.get(key)
            out.setdefault(owner or NO_COUNTY, {n: {} for n in parts})[name][key] = part
    return out


def _write(engine: Engine, version: str, D: dt.date,
           bodies: Callable[[Connection], dict[str, str]]) -> None:
    """Store the rows `bodies` gives (county → JSON text) for `version` at D, unless an
    import landed since they were made; rows of other versions go (the data changed)."""
    f = FIGURES.c
    try:
        with engine.begin() as conn:
            if data_version(conn) != version:
                return
            conn.execute(delete(FIGURES).where(f.data_version != version))
            made = dt.datetime.now(dt.UTC)
            conn.execute(insert(FIGURES), [
                {"data_version": version, "as_of": D, "county": c, "made_at": made,
                 "parts": body} for c, body in bodies(conn).items()])
    except IntegrityError:  # another process kept the same day first
        pass


def _keep(engine: Engine, version: str, D: dt.date, parts: dict[str, dict]) -> None:
    """The parts made for `version`, a row per county."""
    _write(engine, version, D, lambda conn: {
        c: json.dumps(encode(p), separators=(",", ":"))
        for c, p in _by_county(conn, parts).items()})


def make(engine: Engine, D: dt.date) -> dict[str, dict]:
    """The whole store's parts at D: kept ones, else made and kept."""
    from duzhan.metrics import rollup  # not at import: store.models loads this module

    with engine.connect() as conn:
        parts = kept_parts(conn, D)
        if parts is not None:
            return parts
        version = data_version(conn)
        parts = rollup.store_parts(conn, D)
    _keep(engine, version, D, parts)
    return parts


def _kept_report(conn: Connection, version: str, D: dt.date) -> dict[str, Any] | None:
    f = FIGURES.c
    body = conn.execute(select(f.parts).where(f.data_version == version, f.as_of == D,
                                              f.county == WHOLE)).scalar()
    return None if body is None else json.loads(body)


def _keep_report(engine: Engine, version: str, D: dt.date, report: dict[str, Any]) -> None:
    """The whole store's report, beside the parts it was summed from (kept first)."""
    _write(engine, version, D, lambda conn: {
        WHOLE: json.dumps(report, ensure_ascii=False, separators=(",", ":"))})


def report(engine: Engine, as_of: Any, townships: Iterable[str] | None = None,
           county: str | None = None, within: Iterable[str] | None = None) -> dict[str, Any]:
    """`rollup_report`, from kept parts when there are some for this day; a report of the
    whole store (no county, no reader's limit) makes and keeps them, and when no township
    is asked, is the kept report itself."""
    from duzhan.metrics import rollup

    D = rollup.day(as_of)
    whole = county is None and within is None
    if whole and townships is None:
        with engine.connect() as conn:
            version = data_version(conn)
            kept = _kept_report(conn, version, D)
        if kept is not None:
            return kept
        out = rollup.rollup_report(engine, D, stored=make(engine, D))
        _keep_report(engine, version, D, out)
        return out
    if whole:
        parts = make(engine, D)
    else:
        with engine.connect() as conn:
            parts = kept_parts(conn, D, county)
    return rollup.rollup_report(engine, D, townships, county, within, stored=parts)


def refresh(engine: Engine, now: dt.date | None = None) -> list[dt.date]:
    """Make the parts and the whole store's report of the days a dashboard opens on (the
    default as-of day, and the week before it that every change is measured against); the
    days made."""
    from duzhan.store.lookup import last_event_date

    D = clock.default_as_of(last_event_date(engine), now)
    days = [D, clock.week_before(D)]
    for d in days:
        report(engine, d)
    return days


__all__ = ["FIGURES", "data_version", "decode", "encode", "kept_parts", "make", "refresh",
           "report"]
