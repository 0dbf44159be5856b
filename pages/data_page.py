"""数据管理 — load the ledgers without a terminal: upload, preview, confirm, and see what the
store holds and where it came from.

The upload goes through the same `plan_import` / `import_files` as `duzhan import`: one
transaction, all or nothing, recorded in the import log. Far-reaching changes (phases moved,
townships added or renamed, many stored rows replaced, template examples) are listed and
need a second confirmation. A reader limited to some townships sees their counts only and
imports their rows only; the demo county can be removed by a county-wide reader.
"""
from __future__ import annotations

import datetime as dt
import io
import logging

import pandas as pd
import streamlit as st

from duzhan import clock
from duzhan.contract import LEDGER_ORDER
from duzhan.exports.excel import XLSX_MIME, frame_to_xlsx
from duzhan.ledgers.clear import remove_all_ledgers
from duzhan.ledgers.importer import (
    ImportPlan,
    ImportResult,
    SourceFile,
    import_files,
    plan_import,
    problems_frame,
)
from duzhan.ledgers.problems import Problem, printable
from duzhan.ledgers.sources import read_sources
from duzhan.ledgers.template import write_template
from duzhan.presentation import format as fmt
from duzhan.presentation.markup import markdown_text
from duzhan.store import figures, read
from duzhan.store.read import DataScope
from duzhan.views import chrome, data, downloads, shell

log = logging.getLogger(__name__)

HISTORY_LIMIT = 50
CHANGE_KINDS = ("new", "changed", "unchanged", "removed")
UPLOADER = "data_upload"          # + a counter: a new key empties the uploader after an import
PLAN = "_data_plan"                # (files key, store version, ImportPlan)
RESULT = "_data_result"            # (files key, ImportResult) of the last import from here
USER = "data_user"                 # the importer's name widget
USER_SAVED = "_data_user_saved"    # ... remembered when the page is left
CLEARED = "_data_cleared"          # rows removed with the demo county, shown once

ctx = shell.current()
T = ctx.t
shell.header(ctx, "page.data", scoped=False)  # imports do not depend on the filters
engine = data.engine()
allowed = ctx.access.allowed  # None: the whole county; else the reader's townships only


# --- small helpers ---------------------------------------------------------------------


def ledger_name(key: str | None) -> str:
    return T(f"ledger.{key}") if key in LEDGER_ORDER else (key or "")


def bj_time(at: dt.datetime | None) -> str:
    return fmt.DASH if at is None else fmt.moment(clock.beijing_time(at), ctx.lang)


def file_names(files: list[SourceFile]) -> str:
    return T("data.list_sep").join(printable(f.name) for f in files)


def culprit(files: list[SourceFile]) -> str:
    """The file that makes reading fail, tried one by one; all names if none alone does."""
    for f in files:
        try:
            read_sources([f])
        except Exception:  # noqa: BLE001 - finding the file, not handling the error
            return printable(f.name)
    return file_names(files)


def warning_line(w: Problem) -> str:
    where = w.ledger_label(ctx.lang) or w.file or ""
    return T("data.preview.warning_line", where=where, message=w.message(ctx.lang)) \
        if where else w.message(ctx.lang)


def changes_frame(rows: dict[str, int], changes: dict[str, dict[str, int]]) -> pd.DataFrame:
    """Rows per ledger and how many are new / changed / unchanged / removed."""
    records = []
    for key in LEDGER_ORDER:
        if key not in rows:
            continue
        c = changes.get(key) or {}
        rec = {T("data.col.ledger"): ledger_name(key), T("data.col.rows"): rows[key]}
        for kind in CHANGE_KINDS:
            rec[T(f"data.col.{kind}")] = c.get(kind)
        records.append(rec)
    frame = pd.DataFrame(records)
    for kind in CHANGE_KINDS:
        col = T(f"data.col.{kind}")
        if col in frame:
            frame[col] = frame[col].astype("Int64")
    return frame


def problem_rows_frame(rows: dict[str, int], problems: list[Problem]) -> pd.DataFrame:
    """Rows per ledger in the files, and how many of them have a problem."""
    bad = {(p.ledger, p.file, p.row) for p in problems if p.row is not None}
    records = []
    for key in LEDGER_ORDER:
        if key in rows:
            records.append({
                T("data.col.ledger"): ledger_name(key),
                T("data.col.rows"): rows[key],
                T("data.col.bad_rows"): sum(1 for led, _, _ in bad if led == key),
            })
    return pd.DataFrame(records)


def show_problems(problems: list[Problem], key: str) -> None:
    """Every problem, filterable by ledger, column and reason text, downloadable as Excel."""
    frame = problems_frame(problems, ctx.lang)
    c_ledger, c_column, c_reason = (T(f"import.frame.{c}") for c in ("ledger", "column", "reason"))
    f1, f2, f3 = st.columns([1, 1, 2])
    ledgers = f1.multiselect(T("data.problems.filter_ledger"), sorted(frame[c_ledger].unique()),
                             key=f"{key}_ledger", placeholder=T("data.problems.all"),
                             select_all=False)  # none picked shows all; its text is English
    columns = f2.multiselect(T("data.problems.filter_column"),
                             sorted(c for c in frame[c_column].unique() if c),
                             key=f"{key}_column", placeholder=T("data.problems.all"),
                             select_all=False)
    text = f3.text_input(T("data.problems.search"), key=f"{key}_search",
                         placeholder=T("data.problems.search_hint"))
    shown = frame
    if ledgers:
        shown = shown[shown[c_ledger].isin(ledgers)]
    if columns:
        shown = shown[shown[c_column].isin(columns)]
    if text.strip():
        shown = shown[shown[c_reason].str.contains(text.strip(), case=False, regex=False)]
    st.caption(T("data.problems.shown", shown=len(shown), total=len(frame)))
    st.dataframe(shown, hide_index=True, width="stretch",
                 height=min(38 + 35 * max(len(shown), 1), 420))
    st.download_button(
        T("data.problems.download", n=len(shown)),
        data=downloads.audited(ctx, "xlsx:import_problems",
                               lambda: frame_to_xlsx(shown, sheet_name=T("data.problems.sheet")),
                               T("data.problems.file_name")),
        file_name=T("data.problems.file_name"), mime=XLSX_MIME, key=f"{key}_download",
        icon=":material/download:", on_click="ignore",
    )


# --- upload and preview ----------------------------------------------------------------


def uploaded_files() -> list[SourceFile]:
    """The files in the uploader, as the importer takes them (the page's only input)."""
    st.session_state.setdefault("_data_upload_n", 0)
    limit = st.get_option("server.maxUploadSize")
    chrome.uploader_words(ctx.lang)
    got = st.file_uploader(
        T("data.upload.label"), type=["xlsx", "csv", "zip"], accept_multiple_files=True,
        key=f"{UPLOADER}_{st.session_state['_data_upload_n']}",
        help=T("data.upload.help", mb=limit),
    )
    st.caption(T("data.upload.limit", mb=limit))
    return [SourceFile(f.name, f.getvalue()) for f in got or []]


def preview(files: list[SourceFile]) -> ImportPlan | None:
    """plan_import once per set of files and store version; bad input → a message, no trace."""
    files_key = tuple((f.name, f.sha256) for f in files)
    version = (ctx.version, allowed)
    saved = st.session_state.get(PLAN)
    if saved and saved[0] == files_key and saved[1] == version:
        return saved[2]
    try:
        with st.spinner(T("data.preview.checking")):
            plan = plan_import(engine, files, ctx.lang, allowed=allowed)
    except Exception as exc:  # noqa: BLE001 - any failure is the file's, shown as a message
        log.exception("preview failed")
        st.error(markdown_text(T("data.error.unreadable", file=culprit(files),
                                 error=type(exc).__name__)))
        st.session_state.pop(PLAN, None)
        return None
    st.session_state[PLAN] = (files_key, version, plan)
    return plan


def show_plan(plan: ImportPlan) -> None:
    st.subheader(T("data.preview.title"))
    for f in plan.files:
        st.caption(markdown_text(T("data.preview.file", name=printable(f["name"]), sha=f["sha256"])))
    if plan.rows and plan.problems:
        # what would change is only meaningful for a batch that can be imported
        st.dataframe(problem_rows_frame(plan.rows, plan.problems), hide_index=True,
                     width="content")
    elif plan.rows:
        st.dataframe(changes_frame(plan.rows, plan.changes), hide_index=True, width="content")
    if plan.warnings:
        st.warning(T("data.preview.warnings", n=len(plan.warnings)) + "\n\n"
                   + "\n".join(f"- {markdown_text(warning_line(w))}" for w in plan.warnings))
    if plan.problems:
        st.error(T("data.preview.problems", n=len(plan.problems)))
        show_problems(plan.problems, "plan_problems")
    elif sum(plan.rows.values()):
        st.success(T("data.preview.ok", rows=sum(plan.rows.values())))
        if plan.consequences:
            st.warning(T("data.preview.consequences", n=len(plan.consequences)) + "\n\n"
                       + "\n".join(f"- {c.message(ctx.lang)}" for c in plan.consequences))


def confirm(files: list[SourceFile], plan: ImportPlan) -> None:
    """Name, the second confirmation of far-reaching changes, then the button; disabled
    while there are problems (no rows is one), no name or unconfirmed changes."""
    user = importer_name()
    acked = False
    if plan.consequences and not plan.problems:
        # keyed by the files: other files need their own tick
        acked = st.checkbox(T("data.confirm.ack", n=len(plan.consequences)),
                            key="data_ack_" + "".join(f.sha256[:8] for f in files))
    blocked = None
    if plan.problems:
        blocked = T("data.confirm.blocked_problems", n=len(plan.problems))
    elif not user:
        blocked = T("data.confirm.blocked_user")
    elif plan.consequences and not acked:
        blocked = T("data.confirm.blocked_ack")
    clicked = st.button(T("data.confirm.button", rows=sum(plan.rows.values())), type="primary",
                        disabled=blocked is not None, key="data_confirm",
                        icon=":material/database_upload:")
    if blocked:
        st.caption(blocked)
    if clicked and blocked is None:
        run_import(files, user, confirmed=acked)


def importer_name() -> str:
    """Who imports, for the import and audit logs: the signed-in user; with sign-in off, the
    name typed in (remembered when the page is left)."""
    if ctx.user is not None:
        return ctx.user.name
    if USER not in st.session_state:
        st.session_state[USER] = st.session_state.get(USER_SAVED, "")
    user = st.text_input(T("data.confirm.user"), key=USER, max_chars=100,
                         placeholder=T("data.confirm.user_hint"))
    st.session_state[USER_SAVED] = user
    return user.strip()


def run_import(files: list[SourceFile], user: str, confirmed: bool) -> None:
    try:
        with st.spinner(T("data.confirm.importing")):
            # confirmed only what the preview listed: new consequences since → refused
            result = import_files(engine, files, user=user, lang=ctx.lang, allowed=allowed,
                                  confirmed=confirmed)
    except Exception as exc:  # noqa: BLE001 - import_files reports problems as data; this is a bug
        log.exception("import failed")
        st.error(markdown_text(T("data.error.import_failed", file=file_names(files),
                                 error=type(exc).__name__)))
        return
    st.session_state[RESULT] = (tuple((f.name, f.sha256) for f in files), result)
    st.session_state.pop(PLAN, None)
    if result.accepted:
        try:
            with st.spinner(T("data.confirm.figures")):
                figures.refresh(engine)
        except Exception:  # noqa: BLE001 - the import stands; the next report makes them
            log.exception("figures not made after import %s", result.import_id)
        # every page reads the new version anyway; clearing frees the old numbers' memory
        st.cache_data.clear()
        st.session_state["_data_upload_n"] += 1  # empty the uploader
    st.rerun()


def show_result(result: ImportResult) -> None:
    if result.accepted:
        st.success(T("data.result.accepted", id=result.import_id,
                     rows=sum(result.rows.values())))
        st.dataframe(changes_frame(result.rows, result.changes), hide_index=True, width="content")
    else:
        st.error(T("data.result.refused", n=len(result.problems)))
        if result.consequences:
            st.warning("\n".join(f"- {c.message(ctx.lang)}" for c in result.consequences))
        show_problems(result.problems, "result_problems")
    if st.button(T("data.result.dismiss"), key="data_dismiss"):
        st.session_state.pop(RESULT, None)
        st.rerun()


def template_bytes(lang: str) -> bytes:
    buf = io.BytesIO()
    write_template(buf, lang=lang, examples=True)
    return buf.getvalue()


def import_section() -> None:
    st.markdown(T("data.upload.intro"))
    st.download_button(
        T("data.template.button"),
        data=downloads.audited(ctx, "xlsx:template", lambda: template_bytes(ctx.lang),
                               T("data.template.file_name")),
        file_name=T("data.template.file_name"), mime=XLSX_MIME, key="data_template",
        icon=":material/table_view:", help=T("data.template.help"), on_click="ignore",
    )
    files = uploaded_files()
    files_key = tuple((f.name, f.sha256) for f in files)
    saved = st.session_state.get(RESULT)
    # The result stays until other files are chosen; an accepted import empties the
    # uploader, so files chosen after it (even the same ones again) get a fresh preview.
    if saved is not None and files and (files_key != saved[0] or saved[1].accepted):
        st.session_state.pop(RESULT, None)
        saved = None
    if saved is not None:
        show_result(saved[1])  # until dismissed or files are chosen again
        return
    if not files:
        st.info(T("data.upload.empty"))
        return
    plan = preview(files)
    if plan is None:
        return
    show_plan(plan)
    confirm(files, plan)


# --- what the store holds --------------------------------------------------------------


def freshness_section() -> None:
    st.caption(T("data.fresh.intro", days=7, as_of=fmt.day(ctx.as_of, ctx.lang)))
    counts = read.ledger_counts(engine, DataScope(allowed))
    status = read.data_status(engine)
    stale = set(status.stale(ctx.as_of))
    records = []
    for key in LEDGER_ORDER:
        at = status.last_import.get(key)
        if at is None:
            state = T("data.fresh.never")
        elif key in stale:
            state = T("data.fresh.stale")
        else:
            state = T("data.fresh.ok")
        records.append({
            T("data.col.ledger"): ledger_name(key),
            T("data.fresh.last"): bj_time(at),
            T("data.fresh.stored"): counts.get(key, 0),
            T("data.fresh.state"): state,
        })
    st.dataframe(pd.DataFrame(records), hide_index=True, width="content")
    removed = st.session_state.pop(CLEARED, None)
    if removed is not None:
        st.success(T("data.demo.removed", rows=removed))
    if status.is_demo:
        st.caption(T("data.fresh.demo"))
        if allowed is None:  # the whole county's rows: a county-wide reader's decision
            demo_removal(sum(counts.values()))


def demo_removal(rows: int) -> None:
    """Empty every ledger (the demo county) before real ledgers go in: name and a tick first."""
    st.subheader(T("data.demo.title"))
    st.markdown(T("data.demo.intro", rows=rows))
    user = ctx.user.name if ctx.user is not None else st.text_input(
        T("data.confirm.user"), key="data_demo_user", max_chars=100,
        value=st.session_state.get(USER_SAVED, ""),
        placeholder=T("data.confirm.user_hint")).strip()
    sure = st.checkbox(T("data.demo.ack", rows=rows), key="data_demo_ack")
    clicked = st.button(T("data.demo.button"), key="data_demo_remove", type="secondary",
                        disabled=not (sure and user), icon=":material/delete_forever:")
    if not (sure and user):
        st.caption(T("data.demo.blocked"))
    if clicked and sure and user:
        cleared = remove_all_ledgers(engine, user=user)
        st.cache_data.clear()
        st.session_state[CLEARED] = sum(cleared.removed.values())
        st.session_state.pop("data_demo_ack", None)
        st.rerun()


def history_section() -> None:
    if allowed is not None:  # the log covers every township's files and rows
        st.info(T("data.history.county_only"))
        return
    entries = read.import_history(engine, HISTORY_LIMIT)
    if not entries:
        st.info(T("data.history.empty"))
        return
    sep = T("data.list_sep")
    records = []
    for e in entries:
        records.append({
            T("data.history.id"): e.id,
            T("data.history.when"): bj_time(e.finished_at),
            T("data.history.user"): e.user,
            T("data.history.outcome"): T(f"data.history.{e.outcome}")
            if e.outcome in ("accepted", "refused", read.CLEARED) else e.outcome,
            T("data.history.problems"): e.problems,
            T("data.history.files"): sep.join(f.get("name", "") for f in e.files),
            T("data.history.rows"): sep.join(
                T("data.history.rows_item", ledger=ledger_name(k), n=n)
                for k, n in e.rows.items() if n) or fmt.DASH,
            T("data.history.sha"): sep.join(f.get("sha256", "") for f in e.files),
        })
    frame = pd.DataFrame(records)
    st.caption(T("data.history.intro", n=len(entries)))
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        T("data.history.files"): st.column_config.TextColumn(width="medium"),
        T("data.history.rows"): st.column_config.TextColumn(width="medium"),
        T("data.history.sha"): st.column_config.TextColumn(width="medium"),
    })
    st.download_button(
        T("data.history.download"),
        data=downloads.audited(ctx, "xlsx:import_history",
                               lambda: frame_to_xlsx(frame, sheet_name=T("data.history.sheet")),
                               T("data.history.file_name")),
        file_name=T("data.history.file_name"), mime=XLSX_MIME, key="data_history_download",
        icon=":material/download:", on_click="ignore",
    )


def guarded(section, name_key: str) -> None:
    try:
        section()
    except Exception as exc:  # noqa: BLE001 - a broken section must not take the page down
        log.exception("data page section failed")
        st.error(T("data.error.section", section=T(name_key), error=type(exc).__name__))


tab_import, tab_fresh, tab_history = st.tabs(
    [T("data.tab.import"), T("data.tab.fresh"), T("data.tab.history")]
)
with tab_import:
    guarded(import_section, "data.tab.import")
with tab_fresh:
    guarded(freshness_section, "data.tab.fresh")
with tab_history:
    guarded(history_section, "data.tab.history")
