"""The briefing pack as an A4-landscape PDF, drawn with matplotlib: real text (TrueType,
type 42) so it can be searched and copied; charts as 200-dpi PNGs; the map drawn like the
page's map (duzhan.exports.mapimage.draw_map)."""
from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from duzhan.clock import BEIJING
from duzhan.exports import mplstyle
from duzhan.exports.brief import content
from duzhan.exports.brief.content import tt as _tt
from duzhan.exports.brief.inputs import BriefInputs
from duzhan.exports.brief.layout import (
    ATTENTION_COLUMNS,
    ATTENTION_WIDTHS,
    LEFT,
    PAGE_H,
    PAGE_W,
    RIGHT,
    ROW_UNIT,
    TOP,
    Page,
    plan,
    render_charts,
)
from duzhan.i18n import t
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import STATUS_COLORS, STATUS_INK, STATUS_ORDER, STATUS_TEXT
from duzhan.presentation.words import status_word as _status_word

PDF_MIME = "application/pdf"


def _header(fig, inputs: BriefInputs, page: Page) -> None:
    fig.text(LEFT, 0.945, page.title, ha="left", va="baseline", fontsize=19,
             fontweight="bold", color=mplstyle.INK)
    fig.text(LEFT, 0.905, inputs.stamp.line(), ha="left", va="baseline", fontsize=9,
             color=mplstyle.MUTED)
    if page.note:
        fig.text(LEFT, 0.862, page.note, ha="left", va="baseline", fontsize=10.5,
                 color=mplstyle.INK)
    fig.add_artist(_rule(0.893))


def _rule(y: float):
    from matplotlib.lines import Line2D

    return Line2D([LEFT, RIGHT], [y, y], color=mplstyle.RULE, linewidth=0.8)


def _footer(fig, inputs: BriefInputs, n: int, total: int) -> None:
    fig.add_artist(_rule(0.052))
    line = t("stamp.line", inputs.lang, scope=inputs.stamp.scope,
             as_of=inputs.stamp.as_of_text, cutoff=inputs.stamp.cutoff_text)
    left = f"{_tt(inputs, 'exports.name.brief')} · {inputs.stamp.scope} · {line.split(' · ', 1)[1]}"
    fig.text(LEFT, 0.026, left, ha="left", va="baseline", fontsize=8, color=mplstyle.MUTED)
    fig.text(RIGHT, 0.026, _tt(inputs, "exports.brief.page_no", n=n, total=total), ha="right",
             va="baseline", fontsize=8.5, color=mplstyle.MUTED)
    if inputs.stamp.is_demo:
        fig.text(0.5 + 0.18, 0.026, inputs.stamp.demo_mark(), ha="center", va="baseline",
                 fontsize=10, fontweight="bold", color=mplstyle.DEMO_COLOR)
        mplstyle.watermark(fig, inputs.stamp.demo_mark(), size=96, alpha=0.09)


def _image(fig, rect, png: bytes) -> None:
    import matplotlib.image as mpimg

    ax = fig.add_axes(rect)
    ax.imshow(mpimg.imread(io.BytesIO(png), format="png"), interpolation="none")
    ax.set_axis_off()


def draw_cover(fig, inputs: BriefInputs) -> None:
    from matplotlib.patches import FancyBboxPatch

    lang = inputs.lang
    fig.add_artist(FancyBboxPatch((0, 0.80), 1, 0.20, boxstyle="square,pad=0",
                                  transform=fig.transFigure, facecolor="#0B3C5D",
                                  edgecolor="none"))
    fig.text(0.06, 0.885, _tt(inputs, "exports.brief.cover_title"), ha="left", va="center",
             fontsize=28, fontweight="bold", color="white")
    y = 0.73
    for key, kw in (("exports.brief.cover_scope", {"scope": inputs.stamp.scope}),
                    ("exports.brief.cover_as_of", {"as_of": inputs.stamp.as_of_text})):
        fig.text(0.06, y, _tt(inputs, key, **kw), fontsize=17, color=mplstyle.INK,
                 fontweight="bold", va="baseline")
        y -= 0.055
    fig.text(0.06, y, _tt(inputs, "exports.brief.cover_cutoff", cutoff=inputs.stamp.cutoff_text),
             fontsize=10.5, color=mplstyle.MUTED, va="baseline")
    if inputs.stamp.beyond_data:  # topic pages say it in their stamp line
        fig.text(0.28, y, inputs.stamp.beyond_text(), fontsize=10.5, color=mplstyle.DEMO_COLOR,
                 fontweight="bold", va="baseline")
    y -= 0.075
    counts = content.status_counts(inputs)
    n = len(inputs.report["townships"])
    fig.text(0.06, y, _tt(inputs, "exports.brief.status_summary", n=n, **counts), fontsize=13,
             color=mplstyle.INK, va="baseline", fontweight="bold")
    # the status strip: one box per status, width by count
    y -= 0.07
    x, total_w = 0.06, 0.88
    for s in STATUS_ORDER:
        c = counts[s]
        if not c:
            continue
        w = total_w * c / max(n, 1)
        fig.add_artist(FancyBboxPatch((x, y), w - 0.004, 0.045, boxstyle="square,pad=0",
                                      transform=fig.transFigure, facecolor=STATUS_COLORS[s],
                                      edgecolor="none"))
        fig.text(x + (w - 0.004) / 2, y + 0.0225, f"{_status_word(s, lang)} {c}",
                 ha="center", va="center", color=STATUS_TEXT[s], fontsize=12, fontweight="bold")
        x += w
    y -= 0.06
    scope_status = inputs.figures["status"]
    fig.text(0.06, y, _tt(inputs, "exports.brief.scope_status", scope=inputs.stamp.scope,
                          status=_status_word(scope_status, lang)),
             fontsize=12.5, fontweight="bold", color=STATUS_INK[scope_status], va="baseline")
    reasons = content.scope_reasons(inputs) or [
        _tt(inputs, "exports.brief.no_reasons")]
    y -= 0.045
    for r in reasons[:6]:
        fig.text(0.075, y, f"· {r}", fontsize=10.5, color=mplstyle.INK, va="baseline")
        y -= 0.036
    y -= 0.02
    for label, text in content.kpi_lines(inputs):
        fig.text(0.06, y, label, fontsize=11.5, fontweight="bold", color="#0B3C5D",
                 va="baseline")
        fig.text(0.16, y, text, fontsize=11, color=mplstyle.INK, va="baseline")
        y -= 0.04
    fig.text(0.06, 0.085, _tt(inputs, "exports.brief.contents"), fontsize=10,
             color=mplstyle.MUTED, va="baseline")
    made = fmt.moment(inputs.made_at.astimezone(BEIJING), inputs.lang)
    fig.text(RIGHT, 0.085, _tt(inputs, "exports.brief.cover_made", at=made), fontsize=9,
             color=mplstyle.MUTED, va="baseline", ha="right")


def _draw_table(fig, rect, rows: list[dict[str, Any]], inputs: BriefInputs) -> None:
    """The attention table as real text: a header row, zebra stripes, status colours."""
    from matplotlib.patches import Rectangle

    lang = inputs.lang
    x0, y0, w, h = rect
    top = y0 + h
    if not rows:
        fig.text(x0, top - ROW_UNIT, _tt(inputs, "exports.brief.no_townships"), fontsize=12)
        return
    xs = [x0]
    for cw in ATTENTION_WIDTHS:
        xs.append(xs[-1] + cw * w / sum(ATTENTION_WIDTHS))
    head_h = ROW_UNIT * 1.4
    fig.add_artist(Rectangle((x0, top - head_h), w, head_h, transform=fig.transFigure,
                             facecolor="#0B3C5D", edgecolor="none"))
    right_cols = {"rank", "overdue_open", "overdue_rate", "progress_gap", "score"}
    for i, col in enumerate(ATTENTION_COLUMNS):
        ha = "right" if col in right_cols else "left"
        x = xs[i + 1] - 0.006 if ha == "right" else xs[i] + 0.006
        fig.text(x, top - head_h / 2, _tt(inputs, f"exports.brief.col.{col}"), ha=ha,
                 va="center", fontsize=10, fontweight="bold", color="white")
    y = top - head_h
    for k, r in enumerate(rows):
        lines = r.get("lines") or [r["reasons"]]
        rh = ROW_UNIT * (len(lines) + 0.5)
        if k % 2:
            fig.add_artist(Rectangle((x0, y - rh), w, rh, transform=fig.transFigure,
                                     facecolor="#F2F5F8", edgecolor="none"))
        mid = y - rh / 2
        for i, col in enumerate(ATTENTION_COLUMNS):
            ha = "right" if col in right_cols else "left"
            x = xs[i + 1] - 0.006 if ha == "right" else xs[i] + 0.006
            if col == "reasons":
                fig.text(x, mid, "\n".join(lines), ha="left", va="center", fontsize=9.5,
                         color=mplstyle.INK, linespacing=1.45)
            elif col == "status":
                fig.text(x, mid, _status_word(r["status"], lang), ha="left", va="center",
                         fontsize=10, fontweight="bold", color=STATUS_INK[r["status"]])
            else:
                fig.text(x, mid, str(r[col]), ha=ha, va="center", fontsize=10,
                         color=mplstyle.INK,
                         fontweight="bold" if col == "township" else "normal")
        y -= rh
        fig.add_artist(Rectangle((x0, y), w, 0.0008, transform=fig.transFigure,
                                 facecolor=mplstyle.RULE, edgecolor="none"))


def _draw_page(fig, inputs: BriefInputs, page: Page, n: int, total: int) -> None:
    from duzhan.exports.mapimage import draw_map

    if page.key == "cover":
        draw_cover(fig, inputs)
        _footer(fig, inputs, n, total)
        return
    _header(fig, inputs, page)
    for slot in page.slots:
        if slot.kind == "chart":
            _image(fig, slot.rect, slot.png)
        elif slot.kind == "map":
            if inputs.boundaries is None:
                fig.text(LEFT, TOP - 0.05, _tt(inputs, "exports.brief.no_geo"), fontsize=12)
            else:
                x, y, w, h = slot.rect
                draw_map(fig, slot.rect, inputs.boundaries, inputs.county_report, "status",
                         inputs.lang, scope=inputs.codes,
                         legend_rect=(x + w + 0.02, y, RIGHT - x - w - 0.02, h),
                         label_size=10)
        elif slot.kind == "table":
            _draw_table(fig, slot.rect, slot.payload, inputs)
        elif slot.kind == "text":
            fig.text(slot.rect[0], slot.rect[1] + slot.rect[3] - 0.05, slot.payload,
                     fontsize=12, color=mplstyle.MUTED)
    _footer(fig, inputs, n, total)


def page_figures(inputs: BriefInputs, pages: Sequence[Page] | None = None):
    """(matplotlib Figure per page) — for the PDF and for checks. Call inside
    :func:`mplstyle.style`."""
    from matplotlib.figure import Figure

    pages = list(pages) if pages is not None else plan(inputs)
    inputs.page_count = len(pages)
    render_charts(pages)
    for n, page in enumerate(pages, 1):
        fig = Figure(figsize=(PAGE_W, PAGE_H), dpi=100)
        _draw_page(fig, inputs, page, n, len(pages))
        yield fig


def brief_pdf(inputs: BriefInputs) -> bytes:
    """The briefing pack as an A4-landscape PDF (bytes)."""
    from matplotlib.backends.backend_pdf import PdfPages

    buf = io.BytesIO()
    with mplstyle.style():
        with PdfPages(buf, metadata={
            "Title": f"{_tt(inputs, 'exports.brief.cover_title')} · {inputs.stamp.scope} · "
                     f"{inputs.stamp.as_of_text}",
            "Subject": inputs.stamp.line() + (" · " + inputs.stamp.demo_mark()
                                              if inputs.stamp.is_demo else ""),
            "Creator": "duzhan 督战看板",
        }) as pdf:
            for fig in page_figures(inputs):
                pdf.savefig(fig)
    return buf.getvalue()
