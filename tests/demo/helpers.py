"""Read the demo workbook back with pandas, by ledger key and column key."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from duzhan.contract import LEDGER_ORDER, LEDGERS


def read_workbook(path: Path) -> dict[str, pd.DataFrame]:
    with pd.ExcelFile(path, engine="openpyxl") as book:
        return {key: _sheet(book, key) for key in LEDGER_ORDER}


def _sheet(book: pd.ExcelFile, key: str) -> pd.DataFrame:
    led = LEDGERS[key]
    text_cols = {c.zh: str for c in led.columns if c.type in ("text", "bool")}
    df = pd.read_excel(book, sheet_name=led.zh, dtype=text_cols)
    assert list(df.columns) == [c.zh for c in led.columns], key
    df.columns = led.keys
    for c in led.columns:
        if c.type == "date":
            df[c.key] = pd.to_datetime(df[c.key]).dt.date.where(df[c.key].notna(), None)
        elif c.type == "text":
            df[c.key] = df[c.key].where(df[c.key].notna(), None)
    return df
