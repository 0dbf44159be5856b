"""Contract-shaped DataFrames of the campaign ledgers (sites … guarantees) for the metrics
tests, built from lists of dicts: exactly the ledgers.md columns, dates as datetime64[ns],
bools as bool, missing optional columns as missing values. A stand-in until the ledger
registry (duzhan.metrics.frames) carries these ledgers."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

COLUMNS: dict[str, dict[str, str]] = {
    "townships": {"township_code": "text", "township_name": "text", "area_group": "text",
                  "households": "int", "county_code": "text", "county_name": "text"},
    "villages": {"village_code": "text", "village_name": "text", "township_code": "text",
                 "listed": "bool", "longitude": "decimal", "latitude": "decimal"},
    "phases": {"phase_no": "int", "phase_name": "text", "start_date": "date",
               "end_date": "date"},
    "sites": {"site_code": "text", "site_name": "text", "township_code": "text",
              "planned_households": "int", "longitude": "decimal", "latitude": "decimal"},
    "site_checks": {"site_code": "text", "check_date": "date", "moved_in": "int",
                    "employed": "int"},
    "supervisions": {"supervision_id": "text", "township_code": "text",
                     "target_code": "text", "visit_date": "date", "leader": "text",
                     "rating": "text", "yellow_card": "bool", "note": "text"},
    "reports": {"township_code": "text", "month": "month", "submitted_date": "date"},
    "monitored": {"household_id": "text", "township_code": "text", "village_code": "text",
                  "category": "text", "risk": "text", "identified_date": "date",
                  "assisted_date": "date", "cleared_date": "date"},
    "guarantees": {"household_id": "text", "township_code": "text", "village_code": "text",
                   "check_date": "date", "food_clothing_ok": "bool", "education_ok": "bool",
                   "medical_ok": "bool", "housing_ok": "bool", "water_ok": "bool"},
}


def frame(ledger: str, rows: Iterable[Mapping[str, Any]] = ()) -> pd.DataFrame:
    rows = [dict(r) for r in rows]
    out = {}
    for key, kind in COLUMNS[ledger].items():
        values = [r.get(key) for r in rows]
        if kind in ("date", "month"):
            out[key] = pd.Series(pd.to_datetime(pd.Series(values, dtype="object")),
                                 dtype="datetime64[ns]")
        elif kind == "bool":
            out[key] = pd.Series([bool(v) for v in values], dtype="bool")
        elif kind == "int":
            out[key] = pd.Series(values, dtype="Int64")
        elif kind == "decimal":
            out[key] = pd.Series(values, dtype="float64")
        else:
            out[key] = pd.Series(values, dtype="object")
    return pd.DataFrame(out)


def frames(**ledgers: Iterable[Mapping[str, Any]]) -> dict[str, pd.DataFrame]:
    """Every campaign ledger as a frame (absent = empty)."""
    unknown = set(ledgers) - set(COLUMNS)
    assert not unknown, unknown
    return {name: frame(name, ledgers.get(name, ())) for name in COLUMNS}
