"""Read the stored ledgers into the frames the metrics module computes on.

Every read goes through a `DataScope`, so a township user's limit is applied in SQL here,
whatever the page asks for.
"""
from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Select, String, and_, cast, func, or_, select

from duzhan.contract import DATE_MAX, DATE_MIN, LEDGER_ORDER, LEDGERS
from duzhan.metrics.frames import USE_DATES, Ledgers

from .lookup import DataScope
from .models import LEDGER_MODELS, ImportRecord, Township


def _table(ledger: str):
    return LEDGER_MODELS[ledger].__table__


# Column types stored as a DATE (a month as its first day).
DATED = ("date", "month")


def _columns(ledger: str) -> list:
    """The ledger's columns; dates as the text the store holds (cast in SQL, so the driver
    parses nothing), so that a malformed one in SQLite is left out (`_outside`), not raised."""
    led, cols = LEDGERS[ledger], _table(ledger).c
    return [cast(cols[c.key], String).label(c.key) if c.type in DATED
            else cols[led.store_key(c.key)] for c in led.columns]


def _ledger_query(ledger: str, townships: tuple[str, ...] | None,
                  county: str | None = None) -> Select:
    """The ledger's rows, with the township of their parent for a ledger that reaches its
    township through one (disbursements → projects), limited to `townships` and to the
    townships of `county` (with that county's county-wide tasks)."""
    led = LEDGERS[ledger]
    q = select(*_columns(ledger))
    while led.township == "parent":  # walk up to the ledger that holds the township
        child, led = led, LEDGERS[led.parent.ledger]
        parent_tbl = _table(led.key)
        q = q.join(parent_tbl, _table(child.key).c[child.parent.column]
                   == parent_tbl.c[led.id_column])
        if led.township != "parent":
            q = q.add_columns(parent_tbl.c.township_code)
    if led.township == "none":  # the same for every township (phases)
        return q
    if townships is not None:
        # rows without a township (county-wide tasks) belong to the county only
        q = q.where(_table(led.key).c.township_code.in_(townships))
    if county is not None and led.key != "townships":
        cols = _table(led.key).c
        own = cols.township_code.in_(select(Township.township_code)
                                     .where(Township.county_code == county))
        if led.township == "optional" and "county_code" in cols:  # county-wide tasks
            own = or_(own, and_(cols.township_code.is_(None), cols.county_code == county))
        q = q.where(own)
    return q


def _outside(value) -> bool:
    """A stored date the frames may not hold: outside DATE_MIN … DATE_MAX, or not a date."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):  # SQLite keeps whatever text was written around the importer
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return True
    return not isinstance(value, dt.date) or not DATE_MIN <= value <= DATE_MAX


def _fetch(conn, q: Select) -> dict[str, np.ndarray]:
    """The query's columns as object arrays, fetched through the driver's cursor
    (SQLAlchemy's row objects and pandas' type guessing cost more than the query itself
    on a large store)."""
    compiled = q.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    result = conn.exec_driver_sql(compiled.string, _driver_params(compiled))
    names = [d[0] for d in result.cursor.description]
    rows = result.cursor.fetchall()
    result.close()
    if not rows:
        return {n: np.empty(0, dtype=object) for n in names}
    grid = np.empty((len(rows), len(names)), dtype=object)
    grid[:] = rows  # one copy of the driver's tuples; each column a slice of it
    return {n: np.ascontiguousarray(grid[:, i]) for i, n in enumerate(names)}


def _driver_params(compiled):
    """Bound values in the driver's parameter style (a tuple for positional styles)."""
    params = compiled.construct_params()
    if compiled.positional:
        return tuple(params[k] for k in compiled.positiontup)
    return params


def _dates(values: np.ndarray) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Stored dates (ISO text) parsed in one pass, and where they may not go into the
    frames (outside DATE_MIN … DATE_MAX, or not a date; the rare value that does not parse
    as YYYY-MM-DD is judged by `_outside` one by one)."""
    parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    present = pd.notna(values)
    odd = present & np.asarray(parsed.isna())
    bad = present & np.asarray((parsed < pd.Timestamp(DATE_MIN)) | (parsed > pd.Timestamp(DATE_MAX)))
    if odd.any():
        bad[odd] = [_outside(v) for v in values[odd]]
    return parsed, bad


def _frame(conn, ledger: str, scope: DataScope,
           left_out: dict[str, set]) -> tuple[pd.DataFrame, int]:
    """The ledger's frame without the rows that hold a date outside the range, or that
    name a row left out (a repayment of such a loan); how many rows were left out, and the
    keys of those rows in `left_out[ledger]`."""
    led = LEDGERS[ledger]
    cols = _fetch(conn, _ledger_query(ledger, scope.townships, scope.county))
    n = len(next(iter(cols.values())))
    bad = np.zeros(n, dtype=bool)
    dates = {}
    for col in led.columns:
        if col.type in DATED:
            dates[col.key], b = _dates(cols[col.key])
            bad |= b
    for ref in led.references:
        for target in ref.targets:
            gone = left_out.get(target.ledger) if target.column is None else None
            if gone:
                bad |= pd.Series(cols[ref.column]).isin(gone).to_numpy()
    if led.id_column is not None:
        left_out[ledger] = set(cols[led.id_column][bad])
    keep = ~bad
    n_bad = int(bad.sum())
    out = {}
    for key, values in cols.items():
        if key in dates:
            v = dates[key][keep] if n_bad else dates[key]
            out[key] = pd.Series(v, dtype="datetime64[ns]")
            continue
        values = values[keep] if n_bad else values
        if key.endswith("_fen") and key[:-4] in led.money:
            out[key] = pd.Series(values.astype(np.int64))
        elif key in led.keys and led.column(key).type == "bool":
            out[key] = pd.Series(values).fillna(False).astype(bool)
        elif key not in led.keys or led.column(key).type in ("text", "choice"):
            out[key] = pd.Series(pd.array(values, dtype="str"))  # no type guessing
        else:
            out[key] = pd.Series(values)
    return pd.DataFrame(out), n_bad


@dataclass(frozen=True)
class LedgerRead:
    """The frames, and per ledger how many stored rows they leave out (`left_out`: a date
    outside DATE_MIN … DATE_MAX, or naming such a row), so a page can say so."""

    ledgers: Ledgers
    left_out: dict[str, int]


def _first_use(conn) -> dict[str, pd.Timestamp | None]:
    """The whole store's earliest date of each ledger of `USE_DATES` ("not in use yet" is
    the store's, not a scope's), over the rows a read keeps (every date in range)."""
    out = {}
    for ledger, key in USE_DATES.items():
        cols = _table(ledger).c
        kept = [or_(cols[c.key].is_(None), cols[c.key].between(DATE_MIN, DATE_MAX))
                for c in LEDGERS[ledger].columns if c.type in DATED]
        first = conn.execute(select(func.min(cast(cols[key], String))).where(*kept)).scalar()
        out[ledger] = None if first is None else pd.to_datetime(
            first, format="%Y-%m-%d", errors="coerce")
    return out


def read_ledgers(engine: Engine, scope: DataScope = DataScope()) -> LedgerRead:
    """The frames of the townships `scope` lets the reader see, read in SQL; a limited read
    still knows since when the store uses the ledgers of `USE_DATES`."""
    frames: dict[str, pd.DataFrame] = {}
    counts: dict[str, int] = {}
    keys: dict[str, set] = {}
    # the cyclic collector would walk every fetched row tuple again and again (a fifth of
    # the read on a province's store); nothing here makes a cycle
    collecting = gc.isenabled()
    gc.disable()
    try:
        with engine.connect() as conn:
            for name in LEDGER_ORDER:  # a ledger after those it names
                frames[name], n = _frame(conn, name, scope, keys)
                if n:
                    counts[name] = n
            whole = scope.townships is None and scope.county is None
            first_use = None if whole else _first_use(conn)
        return LedgerRead(Ledgers(first_use, **frames), counts)
    finally:
        if collecting:
            gc.enable()


def load_ledgers(engine: Engine, scope: DataScope = DataScope()) -> Ledgers:
    return read_ledgers(engine, scope).ledgers


def phases(engine: Engine) -> pd.DataFrame:
    """The phases ledger alone, as in the frames (its dates outside the range left out)."""
    with engine.connect() as conn:
        return _frame(conn, "phases", DataScope(), {})[0]


def _date_outside(ledger: str):
    cols = _table(ledger).c
    return or_(*(or_(cols[c.key] < DATE_MIN, cols[c.key] > DATE_MAX)
                 for c in LEDGERS[ledger].columns if c.type in DATED))


def left_out_rows(engine: Engine, scope: DataScope = DataScope()) -> dict[str, int]:
    """Stored rows the frames leave out, per ledger (empty when none): a quick look in SQL
    first, the full read only when some date lies outside the range."""
    dated = [k for k in LEDGER_ORDER if any(c.type in DATED for c in LEDGERS[k].columns)]
    with engine.connect() as conn:
        found = any(
            conn.execute(select(func.count()).select_from(_table(k))
                         .where(_date_outside(k))).scalar_one()
            for k in dated
        )
    return read_ledgers(engine, scope).left_out if found else {}


def data_version(engine: Engine) -> int:
    """Id of the newest import: a cache key that changes whenever the ledgers may have."""
    with engine.connect() as conn:
        return conn.execute(select(func.coalesce(func.max(ImportRecord.id), 0))).scalar_one()


DEMO_USER = "demo"
CLEARED = "cleared"  # import-log outcome of removing every ledger row (the demo county)


@dataclass(frozen=True)
class DataStatus:
    """How fresh the ledgers are (the last accepted import that carried rows of each ledger),
    and whether the demo county was loaded into this store since it was last emptied."""

    last_import: dict[str, dt.datetime | None]
    is_demo: bool
    last_import_at: dt.datetime | None

    def stale(self, as_of: dt.date, days: int = 7) -> list[str]:
        """Ledgers never imported, or last imported before as_of − days."""
        import datetime as _dt

        limit = as_of - _dt.timedelta(days=days)
        return [k for k, at in self.last_import.items() if at is None or at.date() < limit]


def data_status(engine: Engine) -> DataStatus:
    q = (
        select(ImportRecord.finished_at, ImportRecord.rows, ImportRecord.user,
               ImportRecord.outcome)
        .where(ImportRecord.outcome.in_(("accepted", CLEARED)))
        .order_by(ImportRecord.id)
    )
    last: dict = {name: None for name in LEDGERS}
    demo = False
    with engine.connect() as conn:
        for finished_at, rows, user, outcome in conn.execute(q):
            if outcome == CLEARED:  # every ledger emptied: nothing imported, no demo left
                demo = False
                last = dict.fromkeys(LEDGERS)
                continue
            # demo rows stay until replaced one by one, so one demo import marks the store
            demo = demo or user == DEMO_USER
            for name, n in (rows or {}).items():
                if n and name in last:
                    last[name] = _utc(finished_at)
    stamps = [v for v in last.values() if v is not None]
    return DataStatus(last, demo, max(stamps) if stamps else None)


def was_cleared(engine: Engine) -> bool:
    """Whether every ledger was ever emptied here (the demo county removed): `init --demo`
    then leaves the empty store alone instead of loading the demo county again."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ImportRecord)
                            .where(ImportRecord.outcome == CLEARED)).scalar_one() > 0


@dataclass(frozen=True)
class ImportEntry:
    """One row of the import log, as the data page lists it (times in UTC, tz-aware)."""

    id: int
    started_at: dt.datetime
    finished_at: dt.datetime
    user: str
    files: list[dict]
    rows: dict[str, int]
    changes: dict[str, dict[str, int]]
    outcome: str
    problems: int


def _utc(at: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives naive datetimes back: they were stored as UTC."""
    if at is None or at.tzinfo is not None:
        return at
    return at.replace(tzinfo=dt.UTC)


def import_history(engine: Engine, limit: int = 50) -> list[ImportEntry]:
    """The newest `limit` imports, accepted and refused, newest first."""
    t = ImportRecord
    q = (
        select(t.id, t.started_at, t.finished_at, t.user, t.files, t.rows, t.changes,
               t.outcome, t.problems)
        .order_by(t.id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        ImportEntry(i, _utc(s), _utc(f), u or "", list(fs or []), dict(r or {}), dict(c or {}),
                    o, p or 0)
        for i, s, f, u, fs, r, c, o, p in rows
    ]


def ledger_counts(engine: Engine, scope: DataScope = DataScope()) -> dict[str, int]:
    """Rows stored now in each ledger that the scope's reader may see (county-wide ledgers,
    such as phases, in full)."""
    townships = scope.townships
    with engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(
                _ledger_query(name, townships, scope.county).subquery())).scalar_one()
            for name in LEDGERS
        }


