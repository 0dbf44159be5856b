"""One ledger's metric frame from a list of dicts, built the one way frames are built
(``Ledgers.from_records``: the contract's columns and dtypes), for tests of one block; the
three phases and the task rows the phase and report tests share."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from duzhan.metrics.frames import Ledgers


def frame(ledger: str, rows: Iterable[Mapping[str, Any]] = ()) -> pd.DataFrame:
    return getattr(Ledgers.from_records(**{ledger: list(rows)}), ledger)


PHASES = [
    {"phase_no": 1, "phase_name": "一", "start_date": "2024-01-01", "end_date": "2024-03-31"},
    # 2024-04-01 … 2024-07-30: d(start, end) = 30 + 31 + 30 + 29 = 120 → 121 days
    {"phase_no": 2, "phase_name": "二", "start_date": "2024-04-01", "end_date": "2024-07-30"},
    {"phase_no": 3, "phase_name": "三", "start_date": "2024-09-01", "end_date": "2024-12-31"},
]


def task(tid, phase, due, done=None, town=None) -> dict:
    return {"task_id": tid, "phase_no": phase, "township_code": town, "task_name": tid,
            "due_date": due, "done_date": done}
