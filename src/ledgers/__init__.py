"""Ledgers (台账): reading, parsing and checking files against `duzhan.contract`, importing.

Public API (one code path for the `duzhan import` command and the upload page):

    from duzhan.ledgers import SourceFile, plan_import, import_files, format_report
"""
from .importer import (  # noqa: F401
    ImportPlan,
    ImportResult,
    SourceFile,
    format_report,
    import_files,
    plan_import,
    problems_frame,
    read_sources,
)
from .problems import Problem  # noqa: F401
from .sources import RawBatch, RawTable  # noqa: F401
