"""Demo county (演示县): a fictional county's ledgers for trying the dashboard.

Everything here is synthetic. `duzhan.demo.county` holds the townships (one list, shared by
the ledger generator and the map boundaries); `duzhan.demo.generator` writes the workbook.
"""
from __future__ import annotations

DEMO_MARK = "演示数据"
DEMO_COUNTY_NAME = "演示县"

__all__ = ["DEMO_MARK", "DEMO_COUNTY_NAME"]
