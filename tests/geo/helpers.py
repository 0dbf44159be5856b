"""Hand-made metrics-report entries and reading a rendered folium map back."""
from __future__ import annotations

import json
import re


def entry(code, name, status="green", closure=0.9, overdue_open=0, rate=0.0, gap=0.0,
          disb=0.8, balance=100000.0, tasks_overdue=0, reasons=()):
    return {
        "township_code": code, "township_name": name, "status": status,
        "status_reasons": list(reasons),
        "issues": {"found": 10, "closed": 9, "open": 1, "closure_rate": closure,
                   "overdue_open": overdue_open, "closed_last_28d": 1,
                   "forecast_clear_date": None, "clearance_target": None},
        "funds": {"allocated": 1e6, "disbursed": 8e5, "disbursement_rate": disb,
                  "time_progress": 0.5, "progress_gap": gap, "stalled_projects": 0},
        "loans": {"active_loans": 3, "balance": balance, "overdue_loans": 0,
                  "overdue_balance": 0.0, "overdue_rate": rate, "par30": rate, "par90": 0.0,
                  "due_30d_loans": 0, "due_30d_balance": 0.0, "extended_loans": 0,
                  "buckets": {}},
        "phases": {"current_phase": 1, "by_phase": [
            {"phase_no": 1, "tasks_total": 4, "tasks_done": 2, "completion": 0.5,
             "expected": 0.5, "tasks_overdue": tasks_overdue}]},
    }


def geojson_in(html: str) -> dict:
    """The township FeatureCollection embedded in a rendered map (folium's `..._add({...})`)."""
    return geojson_layers(html)[0]


def geojson_layers(html: str) -> list[dict]:
    """Every FeatureCollection embedded in a rendered map, in the order they are added:
    townships, then labels, then listed villages."""
    return [json.JSONDecoder().raw_decode(html[m.end():])[0]
            for m in re.finditer(r"geo_json_\w+_add\((?=\{)", html)]


def village_points(html: str) -> list[dict]:
    """The listed villages' point features (the layer whose features carry a village name;
    the relocation sites' markers have a tip too, but a site_code)."""
    return [f for fc in geojson_layers(html) for f in fc["features"]
            if f["geometry"]["type"] == "Point" and "village_name" in f["properties"]]


def site_points(html: str) -> list[dict]:
    """The relocation sites' point features (mapview.site_markers: they carry a site_code)."""
    return [f for fc in geojson_layers(html) for f in fc["features"]
            if f["geometry"]["type"] == "Point" and "site_code" in f["properties"]]


def label_points(html: str) -> list[dict]:
    """The township labels' point features."""
    return [f for fc in geojson_layers(html) for f in fc["features"]
            if f["geometry"]["type"] == "Point" and "label" in f["properties"]]
