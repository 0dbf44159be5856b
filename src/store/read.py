"""Read the stored ledgers into the frames the metrics module computes on.

Every read goes through a `DataScope`, so a township user's limit is applied in SQL here,
whatever the page asks for.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, Select, String, and_, func, or_, select, type_coerce

from duzhan.contract import DATE_MAX, DATE_MIN, LEDGER_ORDER, LEDGERS
from duzhan.metrics.frames import Ledgers

from .models import LEDGER_MODELS, ImportRecord, Township


@dataclass(frozen=True)
class DataScope:
    """Which townships a reader may see (`allowed`, from the user's role; None = all) and
    which the filters select (`selected`; None = whole county). Reads use their intersection."""

    allowed: tuple[str, ...] | None = None
    selected: tuple[str, ...] | None = None

    @property
    def townships(self) -> tuple[str, ...] | None:
        if self.allowed is None:
            return self.selected
        if self.selected is None:
            return self.allowed
        return tuple(c for c in self.selected if c in set(self.allowed))


def _table(ledger: str):
    return LEDGER_MODELS[ledger].__table__


# Column types stored as a DATE (a month as its first day).
DATED = ("date", "month")


def _columns(ledger: str) -> list:
    """The ledger's columns; dates as the text or date the driver gives, not parsed by
    SQLAlchemy, so that a malformed one in SQLite is left out (`_outside`), not raised."""
    led, cols = LEDGERS[ledger], _table(ledger).c
    return [type_coerce(cols[c.key], String).label(c.key) if c.type in DATED
            else cols[led.store_key(c.key)] for c in led.columns]


def _ledger_query(ledger: str, townships: tuple[str, ...] | None) -> Select:
    """The ledger's rows, with the township of their parent for a ledger that reaches its
    township through one (disbursements → projects), limited to `townships`."""
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


def _frame(conn, ledger: str, townships: tuple[str, ...] | None,
           left_out: dict[str, set]) -> tuple[pd.DataFrame, int]:
    """The ledger's frame without the rows that hold a date outside the range, or that
    name a row left out (a repayment of such a loan); how many rows were left out, and the
    keys of those rows in `left_out[ledger]`."""
    led = LEDGERS[ledger]
    df = pd.read_sql(_ledger_query(ledger, townships), conn)
    bad = pd.Series(False, index=df.index)
    for col in led.columns:
        if col.type in DATED:
            bad |= df[col.key].map(_outside, na_action="ignore").fillna(False).astype(bool)
    for ref in led.references:
        for target in ref.targets:
            gone = left_out.get(target.ledger) if target.column is None else None
            if gone:
                bad |= df[ref.column].isin(gone)
    if led.id_column is not None:
        left_out[ledger] = set(df.loc[bad, led.id_column])
    df = df[~bad].reset_index(drop=True)
    for col in led.columns:
        if col.type in DATED:
            df[col.key] = pd.to_datetime(df[col.key])
        elif col.type == "bool":
            df[col.key] = df[col.key].fillna(False).astype(bool)
    for key in led.money:
        df[f"{key}_fen"] = df[f"{key}_fen"].astype("int64")
    return df, int(bad.sum())


@dataclass(frozen=True)
class LedgerRead:
    """The frames, and per ledger how many stored rows they leave out (`left_out`: a date
    outside DATE_MIN … DATE_MAX, or naming such a row), so a page can say so."""

    ledgers: Ledgers
    left_out: dict[str, int]


def read_ledgers(engine: Engine, scope: DataScope = DataScope()) -> LedgerRead:
    townships = scope.townships
    frames: dict[str, pd.DataFrame] = {}
    counts: dict[str, int] = {}
    keys: dict[str, set] = {}
    with engine.connect() as conn:
        for name in LEDGER_ORDER:  # a ledger after those it names
            frames[name], n = _frame(conn, name, townships, keys)
            if n:
                counts[name] = n
    return LedgerRead(Ledgers(**frames), counts)


def load_ledgers(engine: Engine, scope: DataScope = DataScope()) -> Ledgers:
    return read_ledgers(engine, scope).ledgers


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


@dataclass(frozen=True)
class TownshipDirectory:
    """Township codes in code order, with names and supervision areas."""

    names: dict[str, str]
    areas: dict[str, str | None]

    def label(self, code: str) -> str:
        return self.names.get(code, code)


def township_directory(engine: Engine, scope: DataScope = DataScope()) -> TownshipDirectory:
    q = select(Township.township_code, Township.township_name, Township.area_group).order_by(
        Township.township_code
    )
    if scope.allowed is not None:
        q = q.where(Township.township_code.in_(scope.allowed))
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return TownshipDirectory({c: n for c, n, _ in rows}, {c: a for c, _, a in rows})


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
                _ledger_query(name, townships).subquery())).scalar_one()
            for name in LEDGERS
        }


def last_event_date(engine: Engine) -> dt.date | None:
    """The latest day on which anything in the ledgers happened (None for an empty store)."""
    latest = []
    with engine.connect() as conn:
        for led in LEDGERS.values():
            columns = led.events  # dates on which something happened
            if not columns:
                continue
            table = _table(led.key)
            row = conn.execute(select(*[
                func.max(table.c[c]).filter(and_(table.c[c] >= DATE_MIN, table.c[c] <= DATE_MAX))
                for c in columns])).one()
            latest += [d for d in row if d is not None]
    return max(latest) if latest else None
