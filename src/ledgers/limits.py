"""Bounds on one import: what a broken or hostile file may cost before it is refused.

A county's ledgers hold ~35,000 rows (a 3 MB workbook, ~30 MB of sheet XML unzipped); the
bounds leave room for a prefecture's roll-up and keep one import well under a gigabyte
(figures: scripts/bench_import_bounds.py). Read as `limits.NAME` at call time, so tests can
lower them.
"""
from __future__ import annotations

from .problems import Problem

MAX_IMPORT_BYTES = 200 * 1024 * 1024  # all files of one import, unzipped, together
MAX_SHEET_ROWS = 1_048_576  # rows read per sheet or CSV file, blank ones too: Excel's limit
MAX_LEDGER_ROWS = 300_000  # data rows per ledger
MAX_CELL_CHARS = 32_767  # one cell, CSV and xlsx alike: Excel's limit
CSV_FIELD_LIMIT = 1024 * 1024  # the csv module's own limit, above MAX_CELL_CHARS so that an
#                                oversize cell is reported with its column
MAX_ZIP_MEMBERS = 1_000  # files in a .zip (or parts of an .xlsx)
MAX_ZIP_RATIO = 100  # unzipped / zipped size of one member above this is a zip bomb …
ZIP_RATIO_FLOOR = 10 * 1024 * 1024  # … once the member is this large unzipped
MAX_PROBLEMS = 10_000  # problems collected; the rest are not looked for
HEADER_SCAN_ROWS = 10  # non-blank rows searched for the header row


def add_problem(problems: list[Problem], problem: Problem) -> bool:
    """Append `problem` unless MAX_PROBLEMS are collected; the first one over the bound
    becomes one "too many problems" note. False when the list is full."""
    if len(problems) < MAX_PROBLEMS:
        problems.append(problem)
        return True
    if len(problems) == MAX_PROBLEMS:
        problems.append(Problem(None, None, None, None, "", "too_many_problems",
                                {"max": MAX_PROBLEMS}))
    return False


def full(problems: list[Problem]) -> bool:
    return len(problems) > MAX_PROBLEMS
