"""Download buttons the pages put under a chart, a table, the map, or on the overview page.

One line after each element:

    st.plotly_chart(fig, ...);  downloads.chart_download(ctx, fig, "burndown")
    st.dataframe(view, ...);    downloads.table_download(ctx, view, "overdue_issues",
                                                         headers={"issue_id": "问题编号", ...})
    shell.draw_table(ctx, table)  # a declared table (viewmodels.spec.Table): the headers
                                  # come from its columns, the ones the page shows
    downloads.map_download(ctx, gdf, county_report, metric, villages=villages)
    downloads.brief_download(ctx)                     # overview page: PDF and PPTX buttons

Each button sits small and right-aligned in its own row under the element, and none is
drawn in meeting mode (the projector shows the figures, not the tools).

Files are made only when the button is clicked (``data=`` a callable, run by Streamlit
on its own thread), so a page costs nothing extra to draw. Every file carries the page's
stamp — scope, as-of date, data cut-off, source — and 演示数据 on demo data. ``name_key``
names the file: ``exports.name.<name_key>`` (问题整改燃尽图_全县_2024-06-30.png).
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from duzhan.exports.stamp import PNG_MIME, Stamp, chart_png, export_name, file_name
from duzhan.i18n import t
from duzhan.presentation.palette import STATUS_COLORS

HOUSEHOLD_COLUMNS = ("household_id",)


def page_stamp(ctx) -> Stamp:
    """The stamp of the page's context (scope label, as-of, last import, demo)."""
    return Stamp(ctx.scope_label(), ctx.as_of, ctx.status.last_import_at,
                 bool(ctx.status.is_demo), ctx.lang, getattr(ctx, "last_event", None))


def audited(ctx, what: str, make: Callable[[], bytes], file_name: str | None = None
            ) -> Callable[[], bytes]:
    """`make`, writing to the audit log who downloaded `what`, of which townships and at
    which as-of, when the file is made: on the click, on Streamlit's thread (who and which
    townships are taken now, while the page runs)."""
    from duzhan.auth import record_export
    from duzhan.store.read import DataScope
    from duzhan.views import data, signin

    user = getattr(getattr(ctx, "user", None), "name", None)
    scope = DataScope(getattr(ctx, "access", DataScope()).allowed, ctx.codes).townships
    as_of = ctx.as_of

    def made() -> bytes:
        out = make()
        record_export(data.engine(), user, what, scope, as_of, signin.now(), file=file_name)
        return out

    return made


def _key(kind: str, name_key: str, key: str | None) -> str:
    return key or f"dl_{kind}_{name_key}"


def hidden(ctx) -> bool:
    """No download buttons in meeting mode."""
    return bool(getattr(getattr(ctx, "filters", None), "meeting", False))


def _row():
    """A row under the element, its buttons small and right-aligned."""
    return st.container(horizontal=True, horizontal_alignment="right", gap="small")


def chart_download(ctx, fig, name_key: str, *, key: str | None = None,
                   width: int | None = None) -> None:
    """A “下载图片（PNG）” button: the figure stamped and rendered at 2× when clicked."""
    if hidden(ctx):
        return
    stamp = page_stamp(ctx)
    name = file_name(export_name(name_key, ctx.lang), stamp, "png")

    def make() -> bytes:
        return chart_png(fig, stamp, name_key, width=width)[0]

    _row().download_button(t("exports.download_png", ctx.lang),
                           data=audited(ctx, f"png:{name_key}", make, name), file_name=name,
                           mime=PNG_MIME, key=_key("png", name_key, key), on_click="ignore",
                           icon=":material/image:", type="tertiary",
                           help=t("exports.download_png_help", ctx.lang))


def mask_households(frame: pd.DataFrame, columns: Iterable[str] = HOUSEHOLD_COLUMNS) -> pd.DataFrame:
    """A copy with household ids masked (52****17); already-masked values stay as they are."""
    from duzhan.privacy import is_masked, mask_household_id

    out = frame.copy()
    for col in columns:
        if col in out.columns:
            out[col] = [v if v is None or (isinstance(v, str) and is_masked(v))
                        else mask_household_id(v) for v in out[col]]
    return out


def table_xlsx(frame: pd.DataFrame, stamp: Stamp, what: str,
               headers: Sequence[str] | Mapping[Any, str] | None = None,
               mask: Iterable[str] = HOUSEHOLD_COLUMNS,
               number_formats: Mapping[Any, str] | None = None) -> bytes:
    """The table as .xlsx (``duzhan.exports.excel``: Chinese headers, formula-safe cells)
    with household ids masked, plus a 说明 sheet with the stamp; on demo data 演示数据 in
    the sheet's print header and in the 说明 sheet."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    from duzhan.exports.excel import frame_to_xlsx, safe_text

    lang = stamp.lang
    masked = mask_households(frame, mask)
    data = frame_to_xlsx(masked, headers, sheet_name=what, number_formats=number_formats)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    info = wb.create_sheet(t("exports.sheet.info", lang))
    rows = [
        (t("exports.sheet.what", lang), what),
        (t("exports.sheet.scope", lang), stamp.scope),
        (t("exports.sheet.as_of", lang), stamp.as_of_text),
        (t("exports.sheet.cutoff", lang), stamp.cutoff_text),
        (t("exports.sheet.source", lang), t("exports.sheet.source_text", lang)),
    ]
    if stamp.beyond_data:
        rows.insert(0, ("", stamp.beyond_text()))
    if any(c in frame.columns for c in mask):
        rows.append(("", t("exports.sheet.masked", lang)))
    if stamp.is_demo:
        rows.insert(0, (stamp.demo_mark(), t("exports.sheet.demo", lang)))
    for i, (k, v) in enumerate(rows, 1):
        a, b = info.cell(row=i, column=1), info.cell(row=i, column=2)
        a.value, b.value = safe_text(k), safe_text(v)
        a.data_type = b.data_type = "s"
        a.font = Font(bold=True, color=STATUS_COLORS["red"].lstrip("#") if stamp.is_demo and i == 1 else None)
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 60
    footer = stamp.line() + (f" · {stamp.demo_mark()}" if stamp.is_demo else "")
    for sheet in (ws, info):
        sheet.oddFooter.left.text = footer.replace("&", "&&")
        if stamp.is_demo:
            sheet.oddHeader.center.text = stamp.demo_mark()
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def table_download(ctx, frame: pd.DataFrame, name_key: str, *,
                   headers: Sequence[str] | Mapping[Any, str] | None = None,
                   mask: Iterable[str] = HOUSEHOLD_COLUMNS, key: str | None = None,
                   number_formats: Mapping[Any, str] | None = None) -> None:
    """A “下载表格（Excel）” button for a table as the page shows it. ``headers``: one
    Chinese header per column (list) or column → header (mapping); for a declared table
    (shell.draw_table) the headers of its columns, the ones the page shows. Household-id
    columns (``mask``) are masked whatever the frame holds."""
    from duzhan.exports.excel import XLSX_MIME

    if hidden(ctx):
        return
    stamp = page_stamp(ctx)
    what = export_name(name_key, ctx.lang)
    frame = frame.copy()

    def make() -> bytes:
        return table_xlsx(frame, stamp, what, headers, mask, number_formats)

    name = file_name(what, stamp, "xlsx")
    _row().download_button(t("exports.download_xlsx", ctx.lang),
                           data=audited(ctx, f"xlsx:{name_key}", make, name),
                           file_name=name, mime=XLSX_MIME,
                           key=_key("xlsx", name_key, key), on_click="ignore",
                           icon=":material/table:", type="tertiary",
                           help=t("exports.download_xlsx_help", ctx.lang))


def map_download(ctx, gdf, county_report: Mapping[str, Any], metric: str, *,
                 villages: pd.DataFrame | None = None, sites: pd.DataFrame | None = None,
                 classification=None, key: str | None = None) -> None:
    """A “下载地图（PNG）” button: the static map with the same classes and colours, the
    filtered scope outlined, the villages and sites as shown, legend, scale bar and stamp."""
    from duzhan.exports.mapimage import map_png

    if hidden(ctx):
        return
    stamp = page_stamp(ctx)
    what = f"{export_name('map', ctx.lang)}-{t(f'map.metric.{metric}', ctx.lang)}"
    codes = ctx.codes

    def make() -> bytes:
        return map_png(gdf, county_report, metric, stamp, scope=codes, villages=villages,
                       sites=sites, classification=classification).png

    name = file_name(what, stamp, "png")
    _row().download_button(t("exports.download_map", ctx.lang),
                           data=audited(ctx, f"map:{metric}", make, name),
                           file_name=name, mime=PNG_MIME,
                           key=_key("map", metric, key), on_click="ignore",
                           icon=":material/map:", type="tertiary")


def brief_inputs_from_context(ctx):
    """The briefing pack's inputs from the page's cached reads (no second database read)."""
    from duzhan.exports.brief import BriefInputs
    from duzhan.viewmodels.common import week_before
    return BriefInputs(
        as_of=ctx.as_of, lang=ctx.lang, codes=ctx.codes, ledgers=ctx.ledgers(),
        report=ctx.report(), county_report=ctx.county_report(),
        figures=ctx.scope_figures(), before=ctx.scope_figures(week_before(ctx.as_of)),
        stamp=page_stamp(ctx),
        names=dict(ctx.directory.names), boundaries=ctx.boundaries(),
        full=ctx.county_ledgers(),
    )


def brief_download(ctx) -> None:
    """The overview page's 汇报材料 block: a PDF and a PPTX button, each made on click."""
    from duzhan.exports.brief import PDF_MIME, PPTX_MIME, brief_file_name, build_brief

    if hidden(ctx) or (ctx.codes is not None and not ctx.codes):
        return
    inputs = brief_inputs_from_context(ctx)
    box = st.container(border=True, horizontal=True, vertical_alignment="center", gap="small")
    with box:
        with st.container(width="stretch", gap=None):
            st.markdown(f"**{t('exports.brief_title', ctx.lang)}**")
            st.caption(t("exports.brief_caption", ctx.lang))
        pdf, pptx = brief_file_name(inputs, "pdf"), brief_file_name(inputs, "pptx")
        st.download_button(t("exports.download_pdf", ctx.lang),
                           data=audited(ctx, "brief.pdf",
                                        lambda: build_brief(inputs, "pdf")[0], pdf),
                           file_name=pdf, mime=PDF_MIME,
                           key="dl_brief_pdf", on_click="ignore",
                           icon=":material/picture_as_pdf:", type="primary")
        st.download_button(t("exports.download_pptx", ctx.lang),
                           data=audited(ctx, "brief.pptx",
                                        lambda: build_brief(inputs, "pptx")[0], pptx),
                           file_name=pptx, mime=PPTX_MIME,
                           key="dl_brief_pptx", on_click="ignore", icon=":material/slideshow:")


__all__ = ["audited", "hidden", "chart_download", "table_download", "map_download", "brief_download",
           "page_stamp", "table_xlsx", "mask_households",
           "brief_inputs_from_context"]
