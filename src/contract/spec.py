"""The vocabulary of the ledger contract: a ledger, its columns and the relations between
ledgers, as plain frozen data. `duzhan.contract.ledgers` writes the contract in it; the
importer's rules, the store's reads, the metric frames, the template and the demo read it.

Reason codes named here are catalogue keys `import.error.<reason>`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

# The days a ledger date may be: the importer refuses others, and the store's reader leaves
# out a row holding one (written around the importer), so no page meets a day that the
# metric frames (datetime64[ns], which end in 2262) cannot hold.
DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)

ValueType = Literal["text", "int", "decimal", "date", "bool", "month", "choice"]


@dataclass(frozen=True)
class Choice:
    """One word of a `choice` column: stored as `key`, accepted as `key` (any case) or `zh`."""

    key: str
    zh: str

# How a ledger's rows reach their township, for the township filter and the metric frames:
#   own      - its own township_code column (required)
#   optional - its own township_code column; empty = a county-wide row (seen by the county only)
#   parent   - the township of its parent row (Parent.ledger)
#   none     - county-wide data, the same for every township (phases)
TownshipReach = Literal["own", "optional", "parent", "none"]


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    type: ValueType
    required: bool = False
    # single-value rules checked while parsing
    unique: bool = False  # within one import
    min_value: float | None = None  # inclusive bound
    max_value: float | None = None
    positive: bool = False  # > 0
    en: str = ""  # English label (headers of exports, English UI)
    note_zh: str = ""
    note_en: str = ""
    money: bool = False  # decimal yuan, kept as whole fen in `<key>_fen`
    event: bool = False  # a date on which something happened (the data's last day)
    choices: tuple[Choice, ...] = ()  # the words of a `choice` column
    # an optional column whose absence from a file is warned only when stored values would
    # be cleared (the county columns: a one-county store's files never have them)
    warn_absent: bool = True


@dataclass(frozen=True)
class Target:
    """A ledger a reference may name, optionally only its rows with given values
    (e.g. `Target("villages", (("listed", True),))` = a listed village)."""

    ledger: str
    where: tuple[tuple[str, Any], ...] = ()
    # the target column the reference names (None = the target's id column), e.g.
    # tasks.county_code names townships.county_code
    column: str | None = None
    # the reason when the row is there but does not meet `where` (an unlisted village);
    # None = the reference's `missing`
    unmet: str | None = None
    # the reason on a target row that stops meeting `where` while stored rows of the
    # referencing ledger name it (a listed village made unlisted under its supervisions)
    unmet_in_use: str | None = None


@dataclass(frozen=True)
class Reference:
    """`column` holds the key of a row of one of `targets`, in the import or stored.

    With `match` (e.g. "township_code"), the named row must carry the same value in that
    column as this row ("a known village of that township"): `mismatch` is reported with
    the target's value as `township`; `in_use` is reported on a target row whose `match`
    changes while stored rows of this ledger still name it under the old value."""

    column: str
    targets: tuple[Target, ...]
    missing: str  # reason when no such row
    match: str | None = None
    mismatch: str | None = None
    in_use: str | None = None


@dataclass(frozen=True)
class DateOrder:
    """Within a row: `later` ≥ `earlier` (`strict`: `later` > `earlier`)."""

    later: str
    earlier: str
    strict: bool = False

    @property
    def reason(self) -> str:
        return "not_after_col" if self.strict else "before_col"


@dataclass(frozen=True)
class ParentDate:
    """A child's `column` is not before its parent's `parent_column`. `reason` goes on the
    child row; `stored_reason` on a re-imported parent whose stored children break it."""

    column: str
    parent_column: str
    reason: str
    stored_reason: str


@dataclass(frozen=True)
class SumCap:
    """A parent's children add up (money `column`) to at most its `parent_column`."""

    column: str
    parent_column: str
    reason: str
    stored_reason: str


@dataclass(frozen=True)
class ParentLimit:
    """A child's `column` is at most its parent's `parent_column` (moved_in ≤ planned)."""

    column: str
    parent_column: str
    reason: str
    stored_reason: str


@dataclass(frozen=True)
class Parent:
    """The row of another ledger each row belongs to (it is also a Reference)."""

    column: str
    ledger: str
    dates: tuple[ParentDate, ...] = ()
    caps: tuple[SumCap, ...] = ()
    limits: tuple[ParentLimit, ...] = ()


@dataclass(frozen=True)
class RowCap:
    """Within a row: `column` ≤ `limit` (numbers; employed ≤ moved_in)."""

    column: str
    limit: str
    reason: str


@dataclass(frozen=True)
class Needs:
    """Within a row: `column` given needs `needed` given (cleared needs assisted)."""

    column: str
    needed: str
    reason: str


@dataclass(frozen=True)
class NotCodeOf:
    """`column`'s value is not a key of `ledger` (in the import or stored): a site code
    is not a village code."""

    column: str
    ledger: str
    reason: str


@dataclass(frozen=True)
class OneValuePer:
    """`value` is the same on every row (imported or stored) with the same `key`, and is
    given whenever `key` is: one county_name per county_code."""

    key: str
    value: str
    reason: str  # two values for one key
    missing: str  # key given, value empty


@dataclass(frozen=True)
class StoredUnique:
    """`column` is unique across the stored rows too, not just within an import (renames
    within one import may swap values)."""

    column: str
    reason: str


@dataclass(frozen=True)
class Ledger:
    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    # How an import writes it: upserted by the values of `upsert` (one column or a pair), or,
    # when `upsert` is empty, the rows given for a value of `replace_by` replace the stored
    # rows with that value.
    upsert: tuple[str, ...] = ()
    replace_by: str | None = None
    parent: Parent | None = None
    references: tuple[Reference, ...] = ()
    date_order: tuple[DateOrder, ...] = ()
    stored_unique: tuple[StoredUnique, ...] = ()
    # (start, end) columns: rows ordered by their key must not overlap (phases)
    no_overlap: tuple[str, str] | None = None
    township: TownshipReach = "own"
    personal: tuple[str, ...] = field(default_factory=tuple)  # never shown unmasked
    # column tuples unique within one import ("one row per site and day"), reason
    # `duplicate_row`
    unique_rows: tuple[tuple[str, ...], ...] = ()
    row_caps: tuple[RowCap, ...] = ()
    needs: tuple[Needs, ...] = ()
    not_codes_of: tuple[NotCodeOf, ...] = ()
    one_value_per: tuple[OneValuePer, ...] = ()

    def __post_init__(self) -> None:
        keys = set(self.keys)
        named = [*self.upsert, *([self.replace_by] if self.replace_by else []),
                 *self.personal, *[r.column for r in self.references],
                 *[c for d in self.date_order for c in (d.later, d.earlier)],
                 *[u.column for u in self.stored_unique], *(self.no_overlap or ()),
                 *[k for u in self.unique_rows for k in u],
                 *[k for r in self.row_caps for k in (r.column, r.limit)],
                 *[k for n in self.needs for k in (n.column, n.needed)],
                 *[n.column for n in self.not_codes_of],
                 *[k for o in self.one_value_per for k in (o.key, o.value)]]
        if self.parent:
            named += [self.parent.column, *[d.column for d in self.parent.dates],
                      *[c.column for c in self.parent.caps],
                      *[lim.column for lim in self.parent.limits]]
        unknown = [k for k in named if k not in keys]
        if unknown:
            raise ValueError(f"ledger {self.key}: unknown column(s) {unknown}")
        if bool(self.upsert) == bool(self.replace_by):
            raise ValueError(f"ledger {self.key}: give either upsert or replace_by")
        if self.township in ("own", "optional") and "township_code" not in keys:
            raise ValueError(f"ledger {self.key}: township {self.township!r} needs township_code")
        if self.township == "parent" and self.parent is None:
            raise ValueError(f"ledger {self.key}: township 'parent' needs a parent")
        bad = [c.key for c in self.columns if (c.type == "choice") != bool(c.choices)]
        if bad:
            raise ValueError(f"ledger {self.key}: choice column(s) without words {bad}")

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    @property
    def id_column(self) -> str | None:
        """The single upsert column that other ledgers' references name (None otherwise)."""
        return self.upsert[0] if len(self.upsert) == 1 else None

    def key_of(self, values: Any) -> Any:
        """The upsert key of a row (a mapping): the value, or a tuple for a pair."""
        if len(self.upsert) == 1:
            return values[self.upsert[0]]
        return tuple(values[k] for k in self.upsert)

    @property
    def money(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.money)

    @property
    def events(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.event)

    def store_key(self, key: str) -> str:
        """The store's (and the metric frames') name of a column: money as `<key>_fen`."""
        return f"{key}_fen" if key in self.money else key
