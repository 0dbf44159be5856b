"""One ledger's metric frame from a list of dicts, built the one way frames are built
(``Ledgers.from_records``: the contract's columns and dtypes), for tests of one block."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from duzhan.metrics.frames import Ledgers


def frame(ledger: str, rows: Iterable[Mapping[str, Any]] = ()) -> pd.DataFrame:
    return getattr(Ledgers.from_records(**{ledger: list(rows)}), ledger)
