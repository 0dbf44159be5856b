"""Supervision · 督导 (shared/contract/metrics.md, "Supervision").

Pure functions of the contract's frames (shared/contract/ledgers.md): ``villages``
(village_code, township_code, listed), ``sites`` (site_code, site_name, township_code, …),
``supervisions`` (supervision_id, township_code, target_code — missing for the township
itself —, visit_date, leader, rating — the choice keys good/fair/average/poor —,
yellow_card, note) and ``phases`` (start_date, end_date); dates datetime64, ``NaT`` /
``None`` = missing. Every function takes the **whole store's** frames and a scope
``townships`` (None = every row), because "not in use yet" asks whether the store holds any
supervision at all, not the scope.

A *unit* (挂牌单位) is a listed village, a site, or a township itself; a *listed object* is a
listed village or a site. A unit is named by its target_code, or by its township_code when
it is the township itself (``unit`` below).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from duzhan.metrics._util import DAY, dates, group_column, scope_key, to_py_date
from duzhan.metrics.frames import to_date
from duzhan.metrics.numbers import RATINGS, ratio

# --------------------------------------------------------------------------- helpers

def month_bounds(D: pd.Timestamp, back: int = 0) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the calendar month ``back`` months before M(D)."""
    first = (D.to_period("M") - back).to_timestamp()
    last = (D.to_period("M") - back).to_timestamp(how="end").normalize()
    return first, last


def campaign_span(phases: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """(first phase's start_date, last phase's end_date); None without phases."""
    if len(phases) == 0:
        return None
    return dates(phases["start_date"]).min(), dates(phases["end_date"]).max()


def _codes(townships: Iterable[str] | str | None) -> set[str] | None:
    if townships is None:
        return None
    if isinstance(townships, str):
        return {townships}
    codes = set(townships)
    return codes or None


def _in(df: pd.DataFrame, codes: set[str] | None) -> pd.DataFrame:
    return df if codes is None else df[df["township_code"].isin(codes)]


def listed_objects(villages: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """The listed objects: listed villages, then sites. Columns ``unit`` (code),
    ``township_code``, ``kind`` ("village" | "site"), ``name``; sorted by township, unit."""
    v = villages[villages["listed"].fillna(False).astype(bool)]
    out = pd.concat([
        pd.DataFrame({"unit": v["village_code"].astype(str), "township_code":
                      v["township_code"].astype(str), "kind": "village",
                      "name": v["village_name"]}),
        pd.DataFrame({"unit": sites["site_code"].astype(str), "township_code":
                      sites["township_code"].astype(str), "kind": "site",
                      "name": sites["site_name"]}),
    ], ignore_index=True)
    return out.sort_values(["township_code", "unit"], kind="stable").reset_index(drop=True)


def visits(supervisions: pd.DataFrame, as_of: Any) -> pd.DataFrame:
    """Supervisions with visit_date ≤ D, with ``unit`` (target_code, or the township_code
    for the township itself) and ``is_township``; ordered by (visit_date, supervision_id)."""
    D = to_date(as_of)
    s = supervisions[dates(supervisions["visit_date"]) <= D].copy()
    s["visit_date"] = dates(s["visit_date"])
    target = s["target_code"].astype(object)
    target = target.where(target.notna() & (target != ""))  # empty = the township itself
    s["is_township"] = target.isna().to_numpy()
    s["unit"] = target.where(target.notna(), s["township_code"]).astype(str)
    s["yellow_card"] = s["yellow_card"].fillna(False).astype(bool)
    return s.sort_values(["visit_date", "supervision_id"], kind="stable").reset_index(drop=True)


def ledger_in_use(supervisions: pd.DataFrame, as_of: Any) -> bool:
    """Whether the store holds any supervision with visit_date ≤ D."""
    return bool((dates(supervisions["visit_date"]) <= to_date(as_of)).any())


def _last_month_null(phases: pd.DataFrame, in_use: bool, D: pd.Timestamp) -> bool:
    """unvisited_last_month is null: no phases, M(D)−1 outside the campaign, or the ledger
    not in use yet (no supervision at all with visit_date ≤ D)."""
    span = campaign_span(phases)
    if span is None:
        return True
    first, last = month_bounds(D, 1)
    if last < span[0] or first > span[1]:
        return True
    return not in_use


def _unit_table(v: pd.DataFrame) -> pd.DataFrame:
    """Per unit (township_code, unit, is_township) of visits ≤ D: last and second-last
    visit's date, leader and yellow card, latest rating, and ``summons`` (both last two
    carry a yellow card)."""
    cols = ["township_code", "unit", "is_township"]
    if v.empty:
        return pd.DataFrame(columns=cols + ["last_date", "last_leader", "last_yellow",
                                            "prev_date", "prev_leader", "prev_yellow",
                                            "rating", "summons"])
    g = v.groupby(cols, sort=True)
    last = g.nth(-1).set_index(cols)
    prev = g.nth(-2).set_index(cols)
    t = pd.DataFrame({
        "last_date": last["visit_date"], "last_leader": last["leader"],
        "last_yellow": last["yellow_card"], "rating": last["rating"],
    })
    t["prev_date"] = prev["visit_date"].reindex(t.index)
    t["prev_leader"] = prev["leader"].reindex(t.index)
    t["prev_yellow"] = prev["yellow_card"].reindex(t.index).fillna(False).astype(bool)
    t["summons"] = t["last_yellow"].astype(bool) & t["prev_yellow"]
    unknown = set(t["rating"].dropna()) - set(RATINGS)
    if unknown or t["rating"].isna().any():
        raise ValueError(f"supervisions: unknown rating(s) {sorted(map(str, unknown))}"
                         if unknown else "supervisions: a supervision without a rating")
    return t.reset_index()


# ------------------------------------------------------------------------- the block

def supervision_tables(villages, sites, supervisions, phases, as_of,
                       in_use: bool | None = None) -> dict[str, Any]:
    """The per-object, per-unit and per-visit tables of D that every scope of the block is
    counted from (:func:`supervision_grouped`). ``in_use``: whether the whole store holds
    a supervision ≤ D, when the frames given are only part of it (default: they are all)."""
    D = to_date(as_of)
    v = visits(supervisions, D)
    m0 = month_bounds(D, 0)
    m1 = month_bounds(D, 1)
    this_month = v[v["visit_date"] >= m0[0]]
    last_month = v[(v["visit_date"] >= m1[0]) & (v["visit_date"] <= m1[1])]
    objects = listed_objects(villages, sites)
    objects["visited_this_month"] = objects["unit"].isin(
        set(this_month.loc[~this_month["is_township"], "unit"]))
    objects["visited_last_month"] = objects["unit"].isin(
        set(last_month.loc[~last_month["is_township"], "unit"]))
    yellow_28 = v[v["yellow_card"] & (v["visit_date"] >= D - 27 * DAY)]
    return {
        "D": D, "visits": v, "this_month": this_month, "objects": objects,
        "yellow_28": yellow_28, "units": _unit_table(v),
        "last_month_null": _last_month_null(
            phases, ledger_in_use(supervisions, D) if in_use is None else in_use, D),
    }


def _sizes(df: pd.DataFrame, g: pd.Series) -> dict:
    return df.groupby(g).size().to_dict() if len(df) else {}


def supervision_grouped(tb: dict, key: Any, groups: Iterable[Any]) -> dict[Any, dict[str, Any]]:
    """The block of each group in one pass: rows go to ``group_column(township_code,
    key)``; a unit stays named by its own township_code."""
    objects = tb["objects"]
    og = group_column(objects["township_code"], key)
    listed = _sizes(objects, og)
    visited = objects["visited_this_month"].groupby(og).sum().to_dict()
    unvisited = (~objects["visited_last_month"]).groupby(og).sum().to_dict()
    this_month = _sizes(tb["this_month"], group_column(tb["this_month"]["township_code"], key))
    yellow = _sizes(tb["yellow_28"], group_column(tb["yellow_28"]["township_code"], key))
    units = tb["units"]
    summons: dict[Any, list] = {}
    ratings: dict[Any, dict[str, int]] = {}
    if len(units):
        ug = group_column(units["township_code"], key)
        for (g, rating), n in units.groupby([ug, units["rating"]]).size().items():
            ratings.setdefault(g, {})[rating] = int(n)
        is_due = units["summons"].astype(bool).to_numpy()
        due = units[is_due].assign(group=ug[is_due].to_numpy())
        for r in due.sort_values(["unit", "township_code"]).itertuples():
            if not pd.isna(r.group):
                summons.setdefault(r.group, []).append(
                    {"unit": r.unit, "township_code": r.township_code,
                     "dates": [to_py_date(r.prev_date), to_py_date(r.last_date)]})
    out = {}
    for g in groups:
        n, seen = int(listed.get(g, 0)), int(visited.get(g, 0))
        due_list = summons.get(g, [])
        out[g] = {
            "listed_objects": n,
            "visits_this_month": int(this_month.get(g, 0)),
            "visited_this_month": seen,
            "coverage_this_month": ratio(seen, n),
            "unvisited_last_month": None if tb["last_month_null"]
            else int(unvisited.get(g, 0)),
            "yellow_cards_28d": int(yellow.get(g, 0)),
            "summons_due": len(due_list),
            "summons": due_list,
            "ratings": {k: ratings.get(g, {}).get(k, 0) for k in RATINGS},
        }
    return out


def supervision_metrics(
    villages: pd.DataFrame, sites: pd.DataFrame, supervisions: pd.DataFrame,
    phases: pd.DataFrame, as_of: Any, townships: Iterable[str] | str | None = None,
) -> dict[str, Any]:
    """The contract's ``supervision`` block of the scope ``townships`` (None = all rows).

    ``{listed_objects, visits_this_month, visited_this_month, coverage_this_month,
    unvisited_last_month, yellow_cards_28d, summons_due, summons, ratings}``;
    coverage is None without listed objects; unvisited_last_month is None without phases,
    when M(D)−1 does not overlap the campaign, or when the store holds no supervision with
    visit_date ≤ D. ``summons``: ``[{unit, township_code, dates: [second-last, last]}]``
    (``datetime.date``) sorted by unit. ``ratings``: all four keys."""
    tb = supervision_tables(villages, sites, supervisions, phases, as_of)
    return supervision_grouped(tb, scope_key(townships), [0])[0]


def supervision_metrics_by(
    villages: pd.DataFrame, sites: pd.DataFrame, supervisions: pd.DataFrame,
    phases: pd.DataFrame, as_of: Any, groups: Iterable[Any] | None = None,
    key: Any = None,
) -> dict[Any, dict[str, Any]]:
    """:func:`supervision_metrics` per township (``groups``; default the township codes
    present in the frames) in one pass over the rows. ``key`` (township_code -> group,
    e.g. its county) groups townships together; ``groups`` then names the groups."""
    tb = supervision_tables(villages, sites, supervisions, phases, as_of)
    if groups is None:
        groups = sorted(set(tb["objects"]["township_code"]) | set(tb["visits"]["township_code"]))
    return supervision_grouped(tb, key, list(groups))


# ----------------------------------------------------------------------- page lists

def _unit_names(villages: pd.DataFrame, sites: pd.DataFrame) -> dict[str, str]:
    names = dict(zip(villages["village_code"].astype(str), villages["village_name"], strict=False))
    names.update(zip(sites["site_code"].astype(str), sites["site_name"], strict=False))
    return names


def unvisited_last_month(
    villages: pd.DataFrame, sites: pd.DataFrame, supervisions: pd.DataFrame,
    phases: pd.DataFrame, as_of: Any, townships: Iterable[str] | str | None = None,
) -> pd.DataFrame | None:
    """Listed objects with no supervision in M(D)−1 (None when the figure is null):
    ``unit``, ``name``, ``kind``, ``township_code``, ``last_visit`` (their latest visit
    ≤ D, NaT when never) and ``last_leader``; sorted by township, unit."""
    tb = supervision_tables(villages, sites, supervisions, phases, as_of)
    if tb["last_month_null"]:
        return None
    objects = _in(tb["objects"], _codes(townships))
    out = objects[~objects["visited_last_month"]][["unit", "name", "kind", "township_code"]]
    units = tb["units"]
    units = units[~units["is_township"].astype(bool)] if len(units) else units
    last = units.set_index("unit")[["last_date", "last_leader"]] if len(units) else None
    out = out.copy()
    if last is None:
        out["last_visit"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
        out["last_leader"] = None
    else:
        out["last_visit"] = out["unit"].map(last["last_date"]).astype("datetime64[ns]")
        out["last_leader"] = out["unit"].map(last["last_leader"])
    return out.reset_index(drop=True)


def summons_list(
    villages: pd.DataFrame, sites: pd.DataFrame, supervisions: pd.DataFrame,
    as_of: Any, townships: Iterable[str] | str | None = None,
) -> pd.DataFrame:
    """Units due a summons (last two supervisions ≤ D both with a yellow card):
    ``unit``, ``name`` (village or site name; None for a township itself — the page names
    it from its townships), ``is_township``, ``township_code``, ``first_date`` / ``first_leader``
    (the second-last visit), ``second_date`` / ``second_leader`` (the last); sorted by unit."""
    units = _unit_table(visits(supervisions, as_of))
    cols = ["unit", "name", "is_township", "township_code", "first_date", "first_leader",
            "second_date", "second_leader"]
    if units.empty:
        return pd.DataFrame({c: pd.Series([], dtype="datetime64[ns]" if c.endswith("date")
                                          else "object") for c in cols})
    due = _in(units[units["summons"]], _codes(townships))
    names = _unit_names(villages, sites)
    out = pd.DataFrame({
        "unit": due["unit"], "is_township": due["is_township"].astype(bool),
        "township_code": due["township_code"],
        "first_date": due["prev_date"].astype("datetime64[ns]"),
        "first_leader": due["prev_leader"],
        "second_date": due["last_date"].astype("datetime64[ns]"),
        "second_leader": due["last_leader"],
    })
    out["name"] = [None if t else names.get(u) for u, t in zip(out["unit"], out["is_township"], strict=False)]
    return out[cols].sort_values(["unit", "township_code"]).reset_index(drop=True)


def latest_ratings(supervisions: pd.DataFrame, as_of: Any,
                   townships: Iterable[str] | str | None = None) -> pd.DataFrame:
    """Every unit with a supervision ≤ D: ``unit``, ``is_township``, ``township_code``,
    ``rating`` (its latest), ``last_date``; sorted by township, unit."""
    units = _unit_table(visits(supervisions, as_of))
    cols = ["unit", "is_township", "township_code", "rating", "last_date"]
    if units.empty:
        return pd.DataFrame(columns=cols)
    return _in(units, _codes(townships))[cols].sort_values(
        ["township_code", "unit"]).reset_index(drop=True)


# ------------------------------------------------------------- the 督导 page's tables
# (appended for the page, its map measures and the briefing pack; same definitions as above)

UNIT_KINDS = ("township", "village", "site")


def unit_table(villages: pd.DataFrame, sites: pd.DataFrame, supervisions: pd.DataFrame,
               as_of: Any, townships: Iterable[str] | str | None = None) -> pd.DataFrame:
    """Every listed unit of the scope as of D: each listed object, and each township that
    has a supervision ≤ D (the township itself). Columns ``unit``, ``name`` (None for a
    township: the page names it), ``kind`` (township | village | site), ``township_code``,
    ``visits_this_month``, ``visited_this_month`` and ``visited_last_month`` (M(D), M(D)−1),
    ``last_visit`` (NaT: never), ``last_leader``, ``rating`` (latest; None: never visited),
    ``last_yellow`` and ``summons`` (its last two visits both with a yellow card).
    Sorted by township, kind (the township first), unit."""
    D = to_date(as_of)
    codes = _codes(townships)
    v = visits(supervisions, D)
    m0, m1 = month_bounds(D, 0), month_bounds(D, 1)
    this_month = v[v["visit_date"] >= m0[0]]
    last_month = v[(v["visit_date"] >= m1[0]) & (v["visit_date"] <= m1[1])]
    units = _unit_table(v)
    objects = listed_objects(villages, sites)[["unit", "township_code", "kind", "name"]]
    towns = units[units["is_township"].astype(bool)] if len(units) else units
    rows = pd.concat([
        pd.DataFrame({"unit": towns["unit"].astype(str),
                      "township_code": towns["township_code"].astype(str),
                      "kind": "township", "name": None}),
        objects,
    ], ignore_index=True)
    rows = _in(rows, codes).copy()
    key = list(zip(rows["township_code"], rows["unit"], strict=False))
    per_month = this_month.groupby(["township_code", "unit"]).size()
    rows["visits_this_month"] = [int(per_month.get(k, 0)) for k in key]
    rows["visited_this_month"] = rows["visits_this_month"] > 0
    seen_last = set(zip(last_month["township_code"], last_month["unit"], strict=False))
    rows["visited_last_month"] = [k in seen_last for k in key]
    by = units.set_index(["township_code", "unit"]) if len(units) else None

    def col(name, default=None):
        if by is None:
            return [default] * len(rows)
        return [by[name].get(k, default) if k in by.index else default for k in key]

    rows["last_visit"] = pd.Series(col("last_date", pd.NaT), index=rows.index,
                                   dtype="datetime64[ns]")
    rows["last_leader"] = col("last_leader")
    rows["rating"] = col("rating")
    rows["last_yellow"] = [bool(x) for x in col("last_yellow", False)]
    rows["summons"] = [bool(x) for x in col("summons", False)]
    rows["_k"] = rows["kind"].map({k: i for i, k in enumerate(UNIT_KINDS)})
    return (rows.sort_values(["township_code", "_k", "unit"], kind="stable")
            .drop(columns="_k").reset_index(drop=True))


def yellow_cards_by_month(supervisions: pd.DataFrame, phases: pd.DataFrame, as_of: Any,
                          townships: Iterable[str] | str | None = None) -> pd.DataFrame:
    """Supervisions and yellow cards per calendar month, visit_date ≤ D: ``month`` (its
    first day), ``visits``, ``yellow_cards``; every month from the campaign's first (or the
    earliest visit's, if earlier) to M(D), zero-filled; empty without either."""
    D = to_date(as_of)
    v = _in(visits(supervisions, D), _codes(townships))
    starts = [x for x in (campaign_span(phases) or (None,))[:1] if x is not None]
    if len(v):
        starts.append(v["visit_date"].min())
    if not starts or min(starts) > D:
        return pd.DataFrame({"month": pd.Series([], dtype="datetime64[ns]"),
                             "visits": pd.Series([], dtype="int64"),
                             "yellow_cards": pd.Series([], dtype="int64")})
    months = pd.period_range(min(starts).to_period("M"), D.to_period("M"), freq="M")
    p = v["visit_date"].dt.to_period("M")
    n = p.value_counts()
    y = p[v["yellow_card"].to_numpy()].value_counts()
    return pd.DataFrame({
        "month": months.to_timestamp().astype("datetime64[ns]"),
        "visits": [int(n.get(m, 0)) for m in months],
        "yellow_cards": [int(y.get(m, 0)) for m in months],
    })


def unit_names(villages: pd.DataFrame, sites: pd.DataFrame,
               townships: pd.DataFrame) -> dict[str, str]:
    """unit code → its name: villages, sites, and townships (a township as its own unit)."""
    names = dict(zip(townships["township_code"].astype(str), townships["township_name"],
                     strict=False))
    names.update(_unit_names(villages, sites))
    return names
