"""The briefing pack (汇报材料): one A4-landscape PDF, or the same as PPTX.

    inputs = brief_inputs(engine, as_of, townships=None, lang="zh")   # CLI, scripts
    pdf = brief_pdf(inputs)            # bytes; pages: cover + 10 topics (+ table overflow)
    pptx = brief_pptx(inputs)          # bytes; the same pages as slides (A4 proportions)

Its seams, one module each: ``inputs`` (what the pack reads), ``content`` (what it says,
from the dashboard's view models, duzhan.viewmodels), ``layout`` (pages and slots),
``pdf`` and ``pptx`` (drawing).

Pages: cover (scope, as-of date, data cut-off, status summary, every red township and
why, headline figures), the township status map, campaign phases and the overdue tasks
with their 责任单位, issue burndown with the forecast and the overdue issues with their
责任单位 (longest overdue first), fund disbursement, micro-loans, the households (户情:
the 户情 page's cards and charts, and its list of households waiting for assistance, ids
masked), and the townships needing
attention (the attention ranking with its reasons). Each topic page opens with its
dashboard page's cards and their change since last week (D − 7). Every page has its
title, the stamp line (scope · as-of · data cut-off · source), page numbers and, on demo
data, 演示数据 across the page and in the footer.

Charts are the dashboard's own plotly builders (``duzhan.charts``), rendered by kaleido
to PNG at the slot's proportions, 200 dpi; the map is drawn with
:func:`duzhan.exports.mapimage.draw_map`, the same classes and colours as the page's map.
Text is real text (TrueType, type 42) so the PDF can be searched and copied.
"""
from __future__ import annotations

from duzhan.exports.brief.content import (
    attention_rows,
    burndown_inputs,
    kpi_lines,
    overdue_issue_rows,
    overdue_task_rows,
    red_townships,
    status_counts,
    topic_changes,
)
from duzhan.exports.brief.inputs import BriefInputs, brief_file_name, brief_inputs
from duzhan.exports.brief.layout import TOPICS, Page, Slot, plan, render_charts
from duzhan.exports.brief.pdf import PDF_MIME, brief_pdf, page_figures
from duzhan.exports.brief.pptx import PPTX_MIME, brief_pptx


def build_brief(inputs: BriefInputs, kind: str = "pdf") -> tuple[bytes, str, str]:
    """(bytes, file name, MIME type) of the pack as ``kind`` = "pdf" or "pptx"."""
    if kind == "pdf":
        return brief_pdf(inputs), brief_file_name(inputs, "pdf"), PDF_MIME
    if kind == "pptx":
        return brief_pptx(inputs), brief_file_name(inputs, "pptx"), PPTX_MIME
    raise ValueError(f"unknown briefing format: {kind!r}")


__all__ = [
    "BriefInputs", "brief_inputs", "brief_pdf", "brief_pptx", "build_brief", "brief_file_name",
    "plan", "attention_rows", "kpi_lines", "burndown_inputs", "status_counts", "page_figures",
    "red_townships", "topic_changes", "overdue_issue_rows", "overdue_task_rows",
    "render_charts", "Page", "Slot", "TOPICS", "PDF_MIME", "PPTX_MIME",
]
