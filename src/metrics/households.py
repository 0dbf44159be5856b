"""The households: monitoring · 防返贫监测, guarantees · 两不愁三保障, relocation · 易地扶贫搬迁
(shared/contract/metrics.md).

Pure functions of the contract's frames: ``monitored`` (household_id, township_code,
village_code, category, risk, identified_date, assisted_date, cleared_date),
``guarantees`` (household_id, township_code, village_code, check_date, food_clothing_ok,
education_ok, medical_ok, housing_ok, water_ok), ``townships`` (township_code, households —
empty = 0), ``sites`` (site_code, site_name, township_code, planned_households) and
``site_checks`` (site_code, check_date, moved_in, employed); dates datetime64.

Every function takes the whole store's frames and a scope ``townships`` (None = every row):
a household counts by its latest check ≤ D *in that check's township*, so the scope is
applied after the latest check is found. household_id is personal data: the page lists
here carry it masked only.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from duzhan.metrics._util import DAY, dates, group_column, scope_key
from duzhan.metrics.frames import to_date
from duzhan.metrics.numbers import (
    CHECK_WINDOW_DAYS,
    GUARANTEE_ITEMS,
    RECENT_DAYS,
    UNASSISTED_DAYS,
    ratio,
)
from duzhan.privacy import mask_household_ids


def _codes(townships: Iterable[str] | str | None) -> set[str] | None:
    if townships is None:
        return None
    if isinstance(townships, str):
        return {townships}
    return set(townships) or None


def _in(df: pd.DataFrame, codes: set[str] | None) -> pd.DataFrame:
    return df if codes is None else df[df["township_code"].isin(codes)]


def _groups(frames: Iterable[pd.DataFrame], groups: Iterable[str] | None) -> list[str]:
    if groups is not None:
        return list(groups)
    found: set[str] = set()
    for f in frames:
        found |= set(f["township_code"].dropna().astype(str))
    return sorted(found)


# ------------------------------------------------------------------------ monitoring

def monitoring_flags(monitored: pd.DataFrame, D: pd.Timestamp) -> pd.DataFrame:
    """Households identified ≤ D with flags cleared, at_risk, unassisted,
    unassisted_over_15d, identified_28d, cleared_28d and ``days_waiting``."""
    ident = dates(monitored["identified_date"])
    m = monitored[(ident <= D).to_numpy()].copy()
    ident = dates(m["identified_date"])
    assisted = dates(m["assisted_date"]) <= D
    cleared = dates(m["cleared_date"]) <= D
    start = D - (RECENT_DAYS - 1) * DAY
    m["cleared"] = cleared.to_numpy()
    m["at_risk"] = ~m["cleared"]
    m["unassisted"] = m["at_risk"] & ~assisted.to_numpy()
    m["days_waiting"] = ((D - ident) // DAY).astype("int64")
    m["unassisted_over_15d"] = m["unassisted"] & (m["days_waiting"] > UNASSISTED_DAYS)
    m["identified_28d"] = (ident >= start).to_numpy()
    m["cleared_28d"] = m["cleared"] & (dates(m["cleared_date"]) >= start).to_numpy()
    return m


_MONITORING_COUNTS = ("cleared", "at_risk", "unassisted", "unassisted_over_15d",
                      "identified_28d", "cleared_28d")


def _by_text(rows: pd.DataFrame, g: pd.Series, col: str) -> dict[Any, dict[str, int]]:
    """Per group: counts by the text of ``col``, only keys with a count > 0, sorted by key."""
    out: dict[Any, dict[str, int]] = {}
    if len(rows):
        text = rows[col].astype(object)
        for (k, v), n in rows.groupby([g, text]).size().sort_index().items():
            if n > 0:
                out.setdefault(k, {})[str(v)] = int(n)
    return out


def monitoring_grouped(m: pd.DataFrame, key: Any,
                        groups: Iterable[Any]) -> dict[Any, dict[str, Any]]:
    g = group_column(m["township_code"], key)
    sums = m[list(_MONITORING_COUNTS)].astype("int64").groupby(g).sum()
    sums["monitored"] = g.groupby(g).size() if len(m) else 0
    sums = sums.to_dict("index")
    at_risk = m["at_risk"].to_numpy()
    by_risk = _by_text(m[at_risk], g[at_risk], "risk")
    by_cat = _by_text(m[at_risk], g[at_risk], "category")
    out = {}
    for k in groups:
        row = sums.get(k, {})
        out[k] = {"monitored": int(row.get("monitored", 0)),
                  **{c: int(row.get(c, 0)) for c in _MONITORING_COUNTS},
                  "at_risk_by_risk": by_risk.get(k, {}),
                  "at_risk_by_category": by_cat.get(k, {})}
    return out


def monitoring_metrics(monitored: pd.DataFrame, as_of: Any,
                       townships: Iterable[str] | str | None = None) -> dict[str, Any]:
    """The contract's ``monitoring`` block: ``{monitored, cleared, at_risk, unassisted,
    unassisted_over_15d, identified_28d, cleared_28d, at_risk_by_risk,
    at_risk_by_category}`` (the two ``by`` objects keyed by the ledger's text, only
    counts > 0, sorted by key). unassisted_over_15d: d(identified_date, D) > 15."""
    m = monitoring_flags(monitored, to_date(as_of))
    return monitoring_grouped(m, scope_key(townships), [0])[0]


def monitoring_metrics_by(monitored: pd.DataFrame, as_of: Any,
                          groups: Iterable[Any] | None = None,
                          key: Any = None) -> dict[Any, dict[str, Any]]:
    """:func:`monitoring_metrics` per township (default: the townships present) in one
    pass; ``key`` (township_code -> group) groups townships, ``groups`` names the groups."""
    m = monitoring_flags(monitored, to_date(as_of))
    return monitoring_grouped(m, key, _groups([monitored], groups))


def unassisted_list(monitored: pd.DataFrame, as_of: Any,
                    townships: Iterable[str] | str | None = None) -> pd.DataFrame:
    """At-risk households without assistance by D for more than 15 days: ``household``
    (masked id), ``township_code``, ``village_code``, ``category``, ``risk``,
    ``identified_date``, ``days_waiting``; longest waiting first."""
    m = _in(monitoring_flags(monitored, to_date(as_of)), _codes(townships))
    m = m[m["unassisted_over_15d"]].sort_values(
        ["days_waiting", "township_code", "household_id"], ascending=[False, True, True])
    out = pd.DataFrame({"household": mask_household_ids(m["household_id"])})
    for c in ("township_code", "village_code", "category", "risk", "identified_date",
              "days_waiting"):
        out[c] = m[c]
    return out.reset_index(drop=True)


# ------------------------------------------------------------------------ guarantees

def latest_checks(guarantees: pd.DataFrame, as_of: Any) -> pd.DataFrame:
    """Each household's latest check with check_date ≤ D (its township is that check's),
    with ``gap_<item>`` (the item false), ``any_gap`` and ``checked_90d``
    (D − 89 ≤ check_date)."""
    D = to_date(as_of)
    g = guarantees[(dates(guarantees["check_date"]) <= D).to_numpy()].copy()
    g["check_date"] = dates(g["check_date"])
    g = g.sort_values(["household_id", "check_date"], kind="stable")
    g = g.drop_duplicates("household_id", keep="last")
    any_gap = pd.Series(False, index=g.index)
    for item in GUARANTEE_ITEMS:
        g[f"gap_{item}"] = ~g[f"{item}_ok"].fillna(False).astype(bool)
        any_gap |= g[f"gap_{item}"]
    g["any_gap"] = any_gap
    g["checked_90d"] = g["check_date"] >= D - (CHECK_WINDOW_DAYS - 1) * DAY
    return g.reset_index(drop=True)


_GAPS = tuple(f"gap_{item}" for item in GUARANTEE_ITEMS) + ("any_gap", "checked_90d")


def guarantees_grouped(g: pd.DataFrame, townships_frame: pd.DataFrame, key: Any,
                        groups: Iterable[Any]) -> dict[Any, dict[str, Any]]:
    gk = group_column(g["township_code"], key)
    sums = g[list(_GAPS)].astype("int64").groupby(gk).sum()
    sums["checked"] = gk.groupby(gk).size() if len(g) else 0
    sums = sums.to_dict("index")
    # 建档立卡户数 of the townships in each group, empty = 0
    tk = group_column(townships_frame["township_code"], key)
    households = pd.to_numeric(townships_frame["households"], errors="coerce").fillna(0)
    households = households.groupby(tk).sum().to_dict() if len(townships_frame) else {}
    out = {}
    for k in groups:
        row = sums.get(k, {})
        checked, any_gap = int(row.get("checked", 0)), int(row.get("any_gap", 0))
        checked_90d = int(row.get("checked_90d", 0))
        block: dict[str, Any] = {"checked": checked}
        for item in GUARANTEE_ITEMS:
            block[f"gap_{item}"] = int(row.get(f"gap_{item}", 0))
        block.update(any_gap=any_gap, secured_rate=ratio(checked - any_gap, checked),
                     checked_90d=checked_90d,
                     check_coverage=ratio(checked_90d, int(households.get(k, 0))))
        out[k] = block
    return out


def guarantee_metrics(guarantees: pd.DataFrame, townships_frame: pd.DataFrame, as_of: Any,
                      townships: Iterable[str] | str | None = None) -> dict[str, Any]:
    """The contract's ``guarantees`` block: ``{checked, gap_food_clothing, gap_education,
    gap_medical, gap_housing, gap_water, any_gap, secured_rate, checked_90d,
    check_coverage}``; check_coverage = checked_90d / Σ households of the townships in
    scope (None when that sum is 0)."""
    return guarantees_grouped(latest_checks(guarantees, as_of), townships_frame,
                               scope_key(townships), [0])[0]


def guarantee_metrics_by(guarantees: pd.DataFrame, townships_frame: pd.DataFrame,
                         as_of: Any, groups: Iterable[Any] | None = None,
                         key: Any = None) -> dict[Any, dict[str, Any]]:
    """:func:`guarantee_metrics` per township (default: every township of the frame) in
    one pass; ``key`` (township_code -> group) groups townships, ``groups`` names them."""
    return guarantees_grouped(latest_checks(guarantees, as_of), townships_frame, key,
                               _groups([townships_frame], groups))


# ------------------------------------------------------------------------ relocation

def site_table(sites: pd.DataFrame, site_checks: pd.DataFrame, as_of: Any) -> pd.DataFrame:
    """Every site with its latest check ≤ D: ``site_code``, ``site_name``,
    ``township_code``, ``planned_households``, ``last_check`` (NaT when none),
    ``moved_in`` and ``employed`` (0 when none), ``occupancy_rate``, ``employment_rate``
    (float, NaN = null), ``unchecked_90d`` (no check in D − 89 … D); sorted by site_code."""
    D = to_date(as_of)
    c = site_checks[(dates(site_checks["check_date"]) <= D).to_numpy()].copy()
    c["check_date"] = dates(c["check_date"])
    c = c.sort_values(["site_code", "check_date"], kind="stable").drop_duplicates(
        "site_code", keep="last")[["site_code", "check_date", "moved_in", "employed"]]
    out = sites[["site_code", "site_name", "township_code", "planned_households"]].merge(
        c.rename(columns={"check_date": "last_check"}), on="site_code", how="left")
    out["planned_households"] = out["planned_households"].astype("int64")
    out["last_check"] = out["last_check"].astype("datetime64[ns]")
    for k in ("moved_in", "employed"):
        out[k] = out[k].fillna(0).astype("int64")
    out["occupancy_rate"] = (out["moved_in"] / out["planned_households"].where(
        out["planned_households"] > 0)).astype("float64")
    out["employment_rate"] = (out["employed"] / out["moved_in"].where(
        out["moved_in"] > 0)).astype("float64")
    # the latest check ≤ D is the last one in the window, if any is
    out["unchecked_90d"] = ~(out["last_check"] >= D - (CHECK_WINDOW_DAYS - 1) * DAY)
    return out.sort_values("site_code").reset_index(drop=True)


_SITE_SUMS = ("planned_households", "moved_in", "employed", "unchecked_90d")


def relocation_grouped(t: pd.DataFrame, key: Any,
                        groups: Iterable[Any]) -> dict[Any, dict[str, Any]]:
    g = group_column(t["township_code"], key)
    sums = t[list(_SITE_SUMS)].astype("int64").groupby(g).sum()
    sums["sites"] = g.groupby(g).size() if len(t) else 0
    sums = sums.to_dict("index")
    out = {}
    for k in groups:
        row = sums.get(k, {})
        planned, moved, employed = (int(row.get(c, 0)) for c in
                                    ("planned_households", "moved_in", "employed"))
        out[k] = {"sites": int(row.get("sites", 0)), "planned": planned, "moved_in": moved,
                  "occupancy_rate": ratio(moved, planned), "employed": employed,
                  "employment_rate": ratio(employed, moved),
                  "sites_unchecked_90d": int(row.get("unchecked_90d", 0))}
    return out


def relocation_metrics(sites: pd.DataFrame, site_checks: pd.DataFrame, as_of: Any,
                       townships: Iterable[str] | str | None = None) -> dict[str, Any]:
    """The contract's ``relocation`` block: ``{sites, planned, moved_in, occupancy_rate,
    employed, employment_rate, sites_unchecked_90d}``; a site without a check ≤ D has
    moved_in = employed = 0."""
    return relocation_grouped(site_table(sites, site_checks, as_of), scope_key(townships),
                               [0])[0]


def relocation_metrics_by(sites: pd.DataFrame, site_checks: pd.DataFrame, as_of: Any,
                          groups: Iterable[Any] | None = None,
                          key: Any = None) -> dict[Any, dict[str, Any]]:
    """:func:`relocation_metrics` per township (default: the townships with sites) in one
    pass; ``key`` (township_code -> group) groups townships, ``groups`` names them."""
    return relocation_grouped(site_table(sites, site_checks, as_of), key,
                               _groups([sites], groups))
