"""The metrics engine's input: one typed DataFrame per ledger (see shared/contract/ledgers.md).

Conventions of a metric frame
-----------------------------
* Columns are the contract's keys (``duzhan.contract.LEDGERS``).
* Dates are ``datetime64[ns]`` columns; ``NaT`` = missing.
* Money is exact: the contract's decimal yuan columns are int64 **fen** (1 yuan = 100 fen)
  and carry a ``_fen`` suffix: ``projects.allocated_amount_fen``, ``disbursements.amount_fen``,
  ``loans.principal_fen``, ``repayments.principal_amount_fen``.
* A ledger that reaches its township through a parent (``township="parent"`` in the
  contract: ``disbursements`` through their project, ``repayments`` through their loan)
  also carries ``township_code``, so every ledger can be scoped by township.
* ``tasks.township_code`` is missing (NA) for county-wide tasks.
* Text columns use pandas' ``str`` dtype, int columns ``Int64``, other decimals ``float64``,
  bools ``bool``.

Build frames with :meth:`Ledgers.from_frames` (coerces dtypes, adds missing optional
columns, derives the township_code of parent-scoped ledgers) or, in tests, with
:meth:`Ledgers.from_records`, which takes lists of dicts::

    Ledgers.from_records(
        projects=[{"project_id": "P1", "township_code": "01", "allocated_amount": "1000.50",
                   "allocated_date": "2024-01-02", ...}],
        disbursements=[{"project_id": "P1", "paid_date": "2024-02-01", "amount_fen": 50_000}],
    )

A money value is given either under the contract key in yuan (``Decimal``, ``str`` or
``int``; more than 2 decimals is an error) or under the ``_fen`` key as whole fen.
Missing required text columns in records default to an empty/NA value, so tests only need
to give the columns they care about.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from duzhan.contract import LEDGER_ORDER, LEDGERS

LEDGER_NAMES: tuple[str, ...] = LEDGER_ORDER

# Ledgers whose "not in use yet" (metrics.md) asks the whole store, whatever the scope read:
# in use at D when the store holds a row with this date ≤ D.
USE_DATES: dict[str, str] = {"supervisions": "visit_date", "reports": "submitted_date"}

# Extra columns that metric frames carry beyond the contract: the township of the parent.
_EXTRA: dict[str, dict[str, str]] = {
    k: {"township_code": "text"} for k, led in LEDGERS.items() if led.township == "parent"
}

_DTYPE = {
    "text": "str",
    "int": "Int64",
    "decimal": "float64",
    "date": "datetime64[ns]",
    "bool": "bool",
    "month": "datetime64[ns]",  # the month's first day
    "choice": "str",  # the choice's English key
    "fen": "int64",
}


def column_types(ledger: str) -> dict[str, str]:
    """Column name -> value type ("text", "int", "decimal", "date", "bool", "fen")."""
    out: dict[str, str] = {}
    for c in LEDGERS[ledger].columns:
        if c.money:
            out[f"{c.key}_fen"] = "fen"
        else:
            out[c.key] = c.type
    out.update(_EXTRA.get(ledger, {}))
    return out


def _empty(ledger: str) -> pd.DataFrame:
    return pd.DataFrame(
        {k: pd.Series([], dtype=_DTYPE[t]) for k, t in column_types(ledger).items()}
    )


def to_date(value: Any) -> pd.Timestamp:
    """A date-like value (``date``, ``datetime``, ``Timestamp``, ``'YYYY-MM-DD'``) as a
    midnight ``Timestamp``."""
    ts = pd.Timestamp(value)
    if ts is pd.NaT:
        raise ValueError(f"not a date: {value!r}")
    return ts.normalize()


def yuan_to_fen(value: Any) -> int:
    """Yuan (Decimal, str, int) -> whole fen, exactly. Floats go through ``repr``."""
    if isinstance(value, float):
        value = repr(value)
    try:
        d = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    fen = d * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"amount not exact to the fen: {value!r}")
    return int(fen)


def coerce_frame(ledger: str, df: pd.DataFrame | None) -> pd.DataFrame:
    """Return ``df`` with exactly the metric-frame columns of ``ledger``, correctly typed.

    Missing columns are added empty; unknown columns are kept (after the known ones)."""
    types = column_types(ledger)
    if df is None or len(df.columns) == 0 and len(df) == 0:
        return _empty(ledger)
    df = df.reset_index(drop=True)
    out = {}
    n = len(df)
    for key, t in types.items():
        if key in df.columns:
            s = df[key]
        else:
            s = pd.Series([None] * n, dtype="object")
        if str(s.dtype) == _DTYPE[t]:
            pass  # already typed
        elif t in ("date", "month"):
            s = pd.to_datetime(s).astype("datetime64[ns]")
            if t == "month":
                s = s.dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]")
        elif t == "fen":
            s = s.astype("int64")
        elif t == "int":
            s = s.astype("Int64")
        elif t == "decimal":
            s = pd.to_numeric(s).astype("float64")
        elif t == "bool":
            s = s.fillna(False).astype("bool")
        else:
            s = s.astype("str")
            s = s.where(s != "", None) if t in ("text", "choice") else s
        out[key] = s.reset_index(drop=True)
    res = pd.DataFrame(out)
    for extra in df.columns:
        if extra not in res.columns:
            res[extra] = df[extra].values
    return res


def _records_frame(ledger: str, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    rows = list(rows)
    types = column_types(ledger)
    money = LEDGERS[ledger].money
    cols: dict[str, list] = {k: [] for k in types}
    for r in rows:
        r = dict(r)
        for m in money:
            if m in r:
                if f"{m}_fen" in r:
                    raise ValueError(f"{ledger}: give {m} or {m}_fen, not both")
                r[f"{m}_fen"] = yuan_to_fen(r.pop(m))
        unknown = set(r) - set(types)
        if unknown:
            raise ValueError(f"{ledger}: unknown column(s) {sorted(unknown)}")
        for k, t in types.items():
            v = r.get(k)
            if t == "fen" and v is None:
                v = 0
            if t == "bool" and v is None:
                v = False
            cols[k].append(v)
    if not rows:
        return _empty(ledger)
    frame = pd.DataFrame({k: pd.Series(v, dtype="object") for k, v in cols.items()})
    return coerce_frame(ledger, frame)


class Ledgers:
    """One metric frame per ledger of the contract, as attributes (``data.issues``).
    Construct with :meth:`from_frames`, :meth:`from_records` or :meth:`empty`; a ledger not
    given is empty.

    ``first_use`` (ledger of ``USE_DATES`` -> the store's earliest such date, None when it
    holds none) is given by a read limited to part of the store; without it the frames are
    the whole store and tell it themselves. :meth:`scoped` keeps it."""

    __slots__ = ("_frames", "_first_use")

    def __init__(self, first_use: Mapping[str, Any] | None = None,
                 **frames: pd.DataFrame | None) -> None:
        unknown = set(frames) - set(LEDGER_NAMES)
        if unknown:
            raise ValueError(f"unknown ledger(s): {sorted(unknown)}")
        # Whoever builds a Ledgers (the store reader, tests), the frames get the metric-frame
        # dtypes: datetime64[ns] dates, int64 fen, str text. Typed columns are left as they are.
        self._frames = {name: coerce_frame(name, frames.get(name)) for name in LEDGER_NAMES}
        if first_use is None:
            first_use = {k: self._frames[k][c].min() for k, c in USE_DATES.items()}
        self._first_use = {k: None if pd.isna(first_use.get(k)) else pd.Timestamp(first_use[k])
                           for k in USE_DATES}

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in LEDGER_NAMES:
            return self._frames[name]
        raise AttributeError(name)

    def __dir__(self):
        return [*super().__dir__(), *LEDGER_NAMES]

    def __reduce__(self):  # pickles (st.cache_data) as itself
        return (_rebuild, (self._frames, self._first_use))

    def first_use(self, ledger: str) -> pd.Timestamp | None:
        """The store's earliest date of ``USE_DATES[ledger]`` (None: the store holds none),
        whatever part of it these frames hold."""
        return self._first_use[ledger]

    def in_use(self, ledger: str, as_of: Any) -> bool:
        """Whether the store holds a row of ``ledger`` dated ≤ D (metrics.md: "not in use
        yet" is the whole store's, not the scope's)."""
        first = self._first_use[ledger]
        return first is not None and first <= to_date(as_of)

    @classmethod
    def _typed(cls, frames: dict[str, pd.DataFrame], first_use: dict) -> Ledgers:
        """Ledgers of frames that already are metric frames (rows of another Ledgers'
        frames, an unpickled Ledgers): not coerced again, which copies every column."""
        self = object.__new__(cls)
        self._frames = dict(frames)
        self._first_use = dict(first_use)
        return self

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        """ledger name -> metric frame (a new dict; the frames themselves are shared)."""
        return dict(self._frames)

    @classmethod
    def empty(cls) -> Ledgers:
        return cls()

    @classmethod
    def from_frames(cls, **frames: pd.DataFrame | None) -> Ledgers:
        """Typed Ledgers from DataFrames (any missing ledger = empty).

        A parent-scoped ledger (disbursements, repayments) lacking ``township_code`` takes it
        from its parent (project, loan)."""
        unknown = set(frames) - set(LEDGER_NAMES)
        if unknown:
            raise ValueError(f"unknown ledger(s): {sorted(unknown)}")
        raw = dict(frames)
        out = {name: coerce_frame(name, raw.get(name)) for name in LEDGER_NAMES}
        out = _derive_townships(out, raw)
        return cls(**out)

    @classmethod
    def from_records(cls, **records: Iterable[Mapping[str, Any]]) -> Ledgers:
        """Typed Ledgers from lists of dicts (tests, small examples). See module doc."""
        unknown = set(records) - set(LEDGER_NAMES)
        if unknown:
            raise ValueError(f"unknown ledger(s): {sorted(unknown)}")
        out = {name: _records_frame(name, records.get(name, ())) for name in LEDGER_NAMES}
        raw = {name: pd.DataFrame(list(records.get(name, ()))) for name in _EXTRA}
        out = _derive_townships(out, raw)
        return cls(**out)

    def scoped(self, township_codes: Iterable[str] | str | None,
               county: str | None = None) -> Ledgers:
        """Restricted to the given townships (county-wide tasks excluded, but those of
        ``county``: tasks without a township whose county_code is ``county``).

        ``None`` or an empty list = the whole store: all rows, county-wide tasks included.
        Ledgers without a township (phases) are the same for every scope."""
        if township_codes is None:
            return self
        if isinstance(township_codes, str):
            township_codes = [township_codes]
        codes = list(township_codes)
        if not codes:
            return self
        out = {}
        for name, df in self._frames.items():
            if LEDGERS[name].township != "none" and "township_code" in df.columns:
                keep = df["township_code"].isin(codes)
                if name == "tasks" and county is not None:
                    keep |= df["township_code"].isna() & (df["county_code"] == county)
                if not keep.all():  # frames read for this scope already are its rows
                    df = df[keep.to_numpy()].reset_index(drop=True)
            out[name] = df
        return Ledgers._typed(out, self._first_use)  # rows of typed frames keep their dtypes

    def township_codes(self) -> list[str]:
        return sorted(self.townships["township_code"].dropna().tolist())

    def counties(self) -> dict[str, str | None]:
        """county_code -> county_name of the store's counties (the townships' non-empty
        county_code), sorted by code; {} in a store of one county without codes."""
        t = self.townships[self.townships["county_code"].notna().to_numpy()]
        t = t.sort_values(["county_code", "township_code"])
        names = t.drop_duplicates("county_code")
        return {c: (None if pd.isna(n) else n)
                for c, n in zip(names["county_code"], names["county_name"], strict=True)}

    def county_townships(self, county_code: str) -> list[str]:
        """The township codes of one county, sorted."""
        t = self.townships
        return sorted(t.loc[(t["county_code"] == county_code).to_numpy(), "township_code"])

    def county_of_township(self) -> dict[str, str]:
        """township_code -> county_code of the townships that have one."""
        t = self.townships[self.townships["county_code"].notna().to_numpy()]
        return dict(zip(t["township_code"], t["county_code"], strict=True))


def _rebuild(frames: dict[str, pd.DataFrame], first_use: dict) -> Ledgers:
    return Ledgers._typed(frames, first_use)  # pickled from a Ledgers: typed already


def _derive_townships(out: dict[str, pd.DataFrame], raw: Mapping[str, Any]) -> dict:
    for child in _EXTRA:  # in import order: a parent's township is known before its child's
        rel = LEDGERS[child].parent
        given = raw.get(child)
        has = given is not None and "township_code" in getattr(given, "columns", ())
        df = out[child]
        if len(df) and (not has or df["township_code"].isna().any()):
            lookup = out[rel.ledger].set_index(LEDGERS[rel.ledger].id_column)["township_code"]
            derived = df[rel.column].map(lookup).astype("str")  # NaN stays missing
            df = df.copy()
            df["township_code"] = df["township_code"].fillna(derived).astype("str")
            df["township_code"] = df["township_code"].where(df["township_code"].notna(), None)
            out[child] = df
    return out

