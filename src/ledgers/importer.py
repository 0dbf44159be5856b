"""The one import path, for the `duzhan import` command and the upload page.

    plan = plan_import(engine, files)               # what would happen; writes nothing
    result = import_files(engine, files, user="…")   # all or nothing, recorded in `imports`

One import is one transaction. It starts by bumping the single `import_lock` row, which
serialises concurrent imports on SQLite and PostgreSQL alike, so validation sees the store as
it will be written. Any problem → rollback: no ledger row is touched. Every attempt, accepted
or refused, is recorded afterwards as an `ImportRecord`.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, and_, bindparam, delete, insert, text, update
from sqlalchemy.exc import SQLAlchemyError

from duzhan.auth.audit import record
from duzhan.contract import LEDGER_ORDER, LEDGERS
from duzhan.i18n import t
from duzhan.privacy import KnownIds, lookups
from duzhan.store.models import ImportLock, ImportRecord

from . import rules
from .parse import ParsedTable, Reporter, parse_batch, table_of
from .plan import Consequence, Stored, WritePlan, write_plan
from .problems import Problem, ledger_label, printable, problems_frame, sorted_problems
from .sources import RawBatch, SourceFile, read_sources
from .values import display

log = logging.getLogger(__name__)

DELETE_CHUNK = 500
LOCK_SQL = text("UPDATE import_lock SET imports = imports + 1 WHERE id = 1")


@dataclass
class ImportPlan:
    """What an import of these files would do (nothing is written)."""

    problems: list[Problem]
    warnings: list[Problem]
    rows: dict[str, int]  # rows in the files, per ledger
    changes: dict[str, dict[str, int]]  # per ledger: new / changed / unchanged / removed
    files: list[dict[str, str]] = field(default_factory=list)
    consequences: list[Consequence] = field(default_factory=list)  # confirmed a second time

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportResult:
    accepted: bool
    problems: list[Problem]
    warnings: list[Problem]
    rows: dict[str, int]
    changes: dict[str, dict[str, int]]  # empty when refused: nothing changed
    import_id: int | None = None
    files: list[dict[str, str]] = field(default_factory=list)
    consequences: list[Consequence] = field(default_factory=list)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _validate(conn: Connection, batch: RawBatch, allowed: tuple[str, ...] | None = None,
              ) -> tuple[list[Problem], list[Problem], WritePlan]:
    """Problems and warnings (with every known household id masked) and the write plan.
    `allowed`: the townships the importing reader may see (None = all)."""
    rep = Reporter()
    rep.problems.extend(batch.problems)
    tables = parse_batch(batch, rep)
    rules.check_rows(tables, rep)
    stored = Stored(conn)
    rules.check(tables, stored, rep)
    if allowed is not None:
        rules.check_scope(tables, stored, allowed, rep)
    warnings = _warn_clearing(batch.warnings, tables, stored)
    known = _household_ids(tables, stored, [*rep.problems, *warnings])
    unsure = {(k, pt.raw.file) for k, pt in tables.items()
              if any(c not in pt.raw.headers for c in pt.ledger.personal)}
    shifted = _shifted_rows(tables)

    def safe(p: Problem) -> Problem:
        row_known = shifted.get((p.ledger, p.file, p.row))
        return p.masked(known | row_known if row_known else known,
                        lists=(p.ledger, p.file) in unsure)

    return (sorted_problems(safe(p) for p in rep.problems),
            [safe(w) for w in warnings], write_plan(tables, stored))


def _warn_clearing(warnings: list[Problem], tables: dict[str, ParsedTable],
                   stored: Stored) -> list[Problem]:
    """The reader's warnings, with the columns not warned about while reading
    (`warn_absent=False`: the county columns) added to a file's `absent_columns` when the
    file lacks them and the import would clear a stored value in them."""
    out = list(warnings)
    for key, pt in tables.items():
        led = pt.ledger
        quiet = [c.key for c in led.columns if not c.warn_absent and c.key not in pt.raw.headers]
        if not quiet or not led.upsert:
            continue
        have = stored.rows(key, (led.key_of(r.values) for r in pt.rows))
        olds = [have.get(led.key_of(r.values)) for r in pt.rows]
        clearing = [k for k in quiet if any(o is not None and o.get(k) is not None
                                            for o in olds)]
        if not clearing:
            continue
        at = next((i for i, w in enumerate(out) if w.reason == "absent_columns"
                   and (w.ledger, w.file) == (key, pt.raw.file)), None)
        cols = [*(out[at].params["absent_cols"] if at is not None else ()), *clearing]
        warning = Problem(key, pt.raw.file, None, None, "", "absent_columns",
                          {"where": pt.raw.where, "absent_cols": cols}, severity="warning")
        if at is None:
            out.append(warning)
        else:
            out[at] = warning
    return out


def _household_ids(tables: dict[str, ParsedTable], stored: Stored,
                   problems: list[Problem]) -> KnownIds:
    """The personal values stored or in this import, as far as the problems' texts ask:
    wherever one, or a value of the same format, turns up in a report (a file without its
    header row, a row shifted by a column), it is masked. The store is asked only about
    the words of those texts and their formats."""
    imported: list[str] = []
    for pt in tables.values():
        for col in pt.ledger.personal:
            imported += [display(r.raw.get(col)) for r in pt.rows]
    words: set[str] = set()
    shapes: set[str] = set()
    for p in problems:
        for shown in p.texts():
            w, s = lookups(shown)
            words |= w
            shapes |= s
    found: set[str] = set()
    for key, led in LEDGERS.items():
        for col in led.personal:
            found |= {str(r[col]) for r in stored.holding(key, col, words)} if words else set()
    known = KnownIds.of(imported) | KnownIds.of(found)
    asked, held = shapes - known.shapes, set()  # formats no value found so far has
    for key, led in LEDGERS.items():
        for col in led.personal:
            held |= {s for s in asked - held if stored.has_shape(key, col, s)}
    return known | KnownIds(shapes=frozenset(held))


def _shifted_rows(tables: dict[str, ParsedTable]) -> dict[tuple, KnownIds]:
    """Rows of a ledger with personal data that may be shifted by a column (problems in two
    or more columns): the values next to the personal column, where its value would be,
    are masked in that row's problems."""
    out: dict[tuple, KnownIds] = {}
    for key, pt in tables.items():
        order = list(pt.raw.headers)  # the file's column order
        near = {c for p in pt.ledger.personal if p in order
                for c in order[max(order.index(p) - 1, 0):order.index(p) + 2]}
        for row in pt.rows if near else ():
            if len(row.bad) >= 2:
                values = frozenset(display(row.raw.get(c)).strip() for c in near) - {""}
                out[(key, pt.raw.file, row.rowno)] = KnownIds(values)
    return out


def plan_import(engine: Engine, files: list[SourceFile], lang: str = "zh",
                allowed: tuple[str, ...] | None = None) -> ImportPlan:
    """Read and validate against the store; report problems, what would change and its
    consequences. `allowed`: the townships the importing reader may see (None = all)."""
    batch = read_sources(files)
    warnings = batch.warnings
    try:
        with engine.connect() as conn:
            problems, warnings, wp = _validate(conn, batch, allowed)
    except SQLAlchemyError as exc:
        problems, wp = batch.problems + [_store_problem(exc)], WritePlan()
    return ImportPlan(problems, warnings, _rows(batch), wp.changes, batch.files,
                      wp.consequences)


def _rows(batch: RawBatch) -> dict[str, int]:
    return {k: len(batch.tables[k].rows) for k in LEDGER_ORDER if k in batch.tables}


def _store_problem(exc: Exception) -> Problem:
    log.exception("import failed in the store")
    detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200] if str(exc) else ""
    return Problem(None, None, None, None, "", "store_error",
                   {"error": f"{type(exc).__name__}: {detail}"})


class _Refused(Exception):
    pass


def import_files(engine: Engine, files: list[SourceFile], user: str, lang: str = "zh",
                 allowed: tuple[str, ...] | None = None,
                 confirmed: bool = True) -> ImportResult:
    """Validate and write in one transaction; any problem → nothing written. Never raises for
    bad input: problems come back as data. An import with consequences (moved phases, new or
    renamed townships, many stored rows replaced, template examples) is refused unless
    `confirmed` (the CLI's --yes, the page's second confirmation)."""
    started = _now()
    batch = read_sources(files)
    problems: list[Problem] = []
    warnings = batch.warnings
    wp = WritePlan()
    try:
        with engine.begin() as conn:
            if conn.execute(LOCK_SQL).rowcount == 0:  # the migration's row went missing
                conn.execute(insert(ImportLock.__table__).values(id=1, imports=1))
            problems, warnings, wp = _validate(conn, batch, allowed)
            if not problems and wp.consequences and not confirmed:
                problems = [Problem(None, None, None, None, "", "unconfirmed_consequences",
                                    {"n": len(wp.consequences)})]
            if problems:
                raise _Refused
            _write(conn, wp)
    except _Refused:
        pass
    except SQLAlchemyError as exc:
        problems = list(problems) + [_store_problem(exc)]
    accepted = not problems
    changes = wp.changes if accepted else {}
    rows = _rows(batch)
    import_id = _record(engine, started, user, batch.files, rows, changes, accepted,
                        len(problems))
    return ImportResult(accepted, problems, warnings, rows, changes, import_id,
                        batch.files, wp.consequences)


def _record(engine: Engine, started: dt.datetime, user: str, files, rows, changes,
            accepted: bool, n_problems: int) -> int | None:
    values = dict(
        started_at=started, finished_at=_now(), user=(user or "")[:200], files=files,
        rows=rows, changes=changes, outcome="accepted" if accepted else "refused",
        problems=n_problems,
    )
    with engine.begin() as conn:
        res = conn.execute(insert(ImportRecord.__table__).values(**values))
        import_id = res.inserted_primary_key[0]
        # the audit log says who imported which files and how it ended (page and CLI alike)
        record(conn, "import", user or None, values["finished_at"],
               files=[f.get("name", "") for f in files], outcome=values["outcome"],
               import_id=import_id, problems=n_problems)
        return import_id


# --- writing ---------------------------------------------------------------------------


def _write(conn: Connection, wp: WritePlan) -> None:
    for key in LEDGER_ORDER:
        led = LEDGERS[key]
        tbl = table_of(key)
        if wp.deletes.get(key):
            ids = wp.deletes[key]
            for i in range(0, len(ids), DELETE_CHUNK):
                conn.execute(delete(tbl).where(tbl.c.id.in_(ids[i:i + DELETE_CHUNK])))
        if wp.updates.get(key):
            recs = wp.updates[key]
            where = _by_key(tbl, led.upsert)
            if led.stored_unique:
                _park_unique(conn, tbl, led, recs, where)
            params = [{**_key_params(led, r), **{k: v for k, v in r.items()
                                                 if k not in led.upsert}} for r in recs]
            conn.execute(update(tbl).where(where), params)
        if wp.inserts.get(key):
            conn.execute(insert(tbl), wp.inserts[key])


def _by_key(tbl, upsert: tuple[str, ...]):
    return and_(*(tbl.c[k] == bindparam(f"_pk_{k}") for k in upsert))


def _key_params(led, rec: dict) -> dict:
    return {f"_pk_{k}": rec[k] for k in led.upsert}


def _park_unique(conn: Connection, tbl, led, recs: list[dict], where) -> None:
    """Values unique in the store (township names): give updated rows a temporary value
    first, so that two rows may swap values within one import."""
    params = []
    for r in recs:
        tmp = "\u2063tmp:" + ":".join(str(r[k]) for k in led.upsert)
        params.append({**_key_params(led, r), **{u.column: tmp for u in led.stored_unique}})
    conn.execute(update(tbl).where(where), params)


# --- reports ---------------------------------------------------------------------------


def format_report(result: ImportResult | ImportPlan, lang: str = "zh",
                  max_problems: int = 200, report_path: str | None = None) -> str:
    """A readable text report for the terminal: the first `max_problems` problems, and
    where all of them are (`report_path`, the Excel problem list) or how to get them."""
    lines: list[str] = []
    if isinstance(result, ImportResult):
        key = "import.report.accepted" if result.accepted else "import.report.refused"
        lines.append(t(key, lang, id=result.import_id if result.import_id is not None else "-",
                       problems=len(result.problems)))
    else:
        key = "import.report.plan_ok" if result.ok else "import.report.plan_problems"
        lines.append(t(key, lang, problems=len(result.problems)))
    for f in result.files:
        lines.append("  " + t("import.report.file", lang, name=printable(f["name"]),
                              sha=f["sha256"][:12]))
    if result.rows:
        lines.append(t("import.report.rows_header", lang))
        for k in LEDGER_ORDER:
            if k not in result.rows:
                continue
            c = result.changes.get(k)
            if c:
                lines.append("  " + t("import.report.ledger_changes", lang,
                                      ledger=ledger_label(k, lang), rows=result.rows[k], **c))
            else:
                lines.append("  " + t("import.report.ledger_rows", lang,
                                      ledger=ledger_label(k, lang), rows=result.rows[k]))
    if result.consequences:
        done = isinstance(result, ImportResult) and result.accepted
        lines.append(t("import.report.consequences_done" if done
                       else "import.report.consequences_header", lang,
                       count=len(result.consequences)))
        for c in result.consequences:
            lines.append("  " + c.message(lang))
    if result.warnings:
        lines.append(t("import.report.warnings_header", lang, count=len(result.warnings)))
        for w in result.warnings:
            lines.append("  " + _line(w, lang))
    if result.problems:
        lines.append(t("import.report.problems_header", lang, count=len(result.problems)))
        for p in sorted_problems(result.problems)[:max_problems]:
            lines.append("  " + _line(p, lang))
        more = len(result.problems) - max_problems
        if more > 0 and report_path:
            lines.append("  " + t("import.report.more_in_file", lang, count=more,
                                  shown=max_problems, path=printable(report_path)))
        elif more > 0:
            lines.append("  " + t("import.report.more", lang, count=more, shown=max_problems))
    return "\n".join(lines)


def _line(p: Problem, lang: str) -> str:
    parts = []
    if p.ledger:
        parts.append(p.ledger_label(lang))
    if p.file:
        parts.append(p.file)
    if p.row is not None:
        parts.append(t("import.report.row", lang, row=p.row))
    col = p.column_label(lang)
    if col:
        parts.append(col)
    if p.value:
        parts.append(f"“{p.value}”")
    head = " · ".join(parts)
    return f"{head}: {p.message(lang)}" if head else p.message(lang)


__all__ = [
    "SourceFile", "read_sources", "plan_import", "import_files", "ImportPlan", "ImportResult",
    "Problem", "problems_frame", "format_report", "Consequence",
]
