"""The same pages as PowerPoint slides (A4 landscape, so the charts keep their
proportions): real text boxes, a native table for the attention ranking, the chart PNGs."""
from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from duzhan.exports import mplstyle
from duzhan.exports.brief import content
from duzhan.exports.brief.content import tt as _tt
from duzhan.exports.brief.inputs import BriefInputs
from duzhan.exports.brief.layout import (
    LEFT,
    PAGE_H,
    PAGE_W,
    RIGHT,
    TableBlock,
    plan,
    render_charts,
    row_lines,
)
from duzhan.exports.brief.pdf import TONE_COLORS, draw_cover
from duzhan.presentation.palette import STATUS_INK
from duzhan.presentation.words import status_word as _status_word

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _page_png(inputs: BriefInputs, draw: Callable[[Any], None], rect_in: tuple[float, float],
              dpi: int = 200) -> bytes:
    from matplotlib.figure import Figure

    with mplstyle.style():
        fig = Figure(figsize=rect_in, dpi=dpi)
        draw(fig)
        return mplstyle.png_bytes(fig, dpi=dpi)


def brief_pptx(inputs: BriefInputs) -> bytes:
    """The same pages as slides (A4 landscape, so the charts keep their proportions): real
    text boxes for titles, stamps and the cover, a native table for the attention ranking,
    the same chart PNGs, the map as a 200-dpi picture."""
    from pptx import Presentation
    from pptx.util import Emu, Inches

    pages = plan(inputs)
    inputs.page_count = len(pages)
    render_charts(pages)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(PAGE_W), Inches(PAGE_H)
    blank = prs.slide_layouts[6]
    total = len(pages)

    def box(rect):  # figure fractions → (left, top, width, height) in EMU
        x, y, w, h = rect
        return (Emu(int(Inches(PAGE_W) * x)), Emu(int(Inches(PAGE_H) * (1 - y - h))),
                Emu(int(Inches(PAGE_W) * w)), Emu(int(Inches(PAGE_H) * h)))

    for n, page in enumerate(pages, 1):
        slide = prs.slides.add_slide(blank)
        if page.key == "cover":
            png = _page_png(inputs, lambda f: draw_cover(f, inputs), (PAGE_W, PAGE_H), dpi=150)
            slide.shapes.add_picture(io.BytesIO(png), 0, 0, prs.slide_width, prs.slide_height)
            _pptx_text(slide, box((0.06, 0.84, 0.88, 0.09)),
                       _tt(inputs, "exports.brief.cover_title"), 1, hidden=True)
            # the cover is a picture: its story (red townships and why) as the speaker's notes
            slide.notes_slide.notes_text_frame.text = cover_notes(inputs)
        else:
            _pptx_text(slide, box((LEFT, 0.925, RIGHT - LEFT, 0.06)), page.title, 24, bold=True)
            _pptx_text(slide, box((LEFT, 0.885, RIGHT - LEFT, 0.035)), inputs.stamp.line(), 10,
                       color="555555")
            if page.note:
                _pptx_text(slide, box((LEFT, 0.845, RIGHT - LEFT, 0.038)), page.note, 12)
            for slot in page.slots:
                if slot.kind == "chart":
                    slide.shapes.add_picture(io.BytesIO(slot.png), *box(slot.rect))
                elif slot.kind == "map" and inputs.boundaries is not None:
                    x, y, w, h = slot.rect
                    full = (x, y, RIGHT - x, h)
                    from duzhan.exports.mapimage import draw_map

                    png = _page_png(inputs, lambda f, w=w, full=full: draw_map(
                        f, (0, 0, w / full[2], 1), inputs.boundaries, inputs.county_report,
                        "status", inputs.lang, scope=inputs.codes,
                        sites=content.map_sites(inputs),
                        legend_rect=(w / full[2] + 0.02, 0, 1 - w / full[2] - 0.02, 1),
                        label_size=10), (full[2] * PAGE_W, full[3] * PAGE_H))
                    slide.shapes.add_picture(io.BytesIO(png), *box(full))
                elif slot.kind == "table":
                    _pptx_table(slide, box(slot.rect), slot.payload, inputs.lang)
                elif slot.kind == "cards":
                    _pptx_cards(slide, slot.rect, box, slot.payload, inputs)
                elif slot.kind == "text":
                    _pptx_text(slide, box(slot.rect), slot.payload, 14)
        foot = f"{_tt(inputs, 'exports.name.brief')} · {inputs.stamp.line()}"
        _pptx_text(slide, box((LEFT, 0.01, 0.75, 0.035)), foot, 8, color="555555")
        _pptx_text(slide, box((RIGHT - 0.15, 0.01, 0.15, 0.035)),
                   _tt(inputs, "exports.brief.page_no", n=n, total=total), 9, color="555555",
                   align="right")
        if inputs.stamp.is_demo:
            _pptx_watermark(slide, box((0.2, 0.35, 0.6, 0.3)), inputs.stamp.demo_mark())
    buf = io.BytesIO()
    prs.core_properties.title = f"{_tt(inputs, 'exports.brief.cover_title')} · {inputs.stamp.scope}"
    prs.core_properties.subject = inputs.stamp.line()
    prs.save(buf)
    return buf.getvalue()


def _pptx_text(slide, box, text: str, size: float, *, bold: bool = False,
               color: str = "1A1A1A", align: str = "left", hidden: bool = False):
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    tb = slide.shapes.add_textbox(*box)
    tf = tb.text_frame
    tf.word_wrap = True
    tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
    p = tf.paragraphs[0]
    p.alignment = PP_ALIGN.RIGHT if align == "right" else PP_ALIGN.LEFT
    run = p.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "Microsoft YaHei"
    run.font.color.rgb = RGBColor.from_string("FFFFFF" if hidden else color)
    _east_asian_font(run)
    return tb


def _east_asian_font(run, name: str = "Microsoft YaHei") -> None:
    """Set the East-Asian typeface too (PowerPoint picks CJK glyphs from <a:ea>)."""
    from pptx.oxml.ns import qn

    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = rpr.makeelement(qn(tag), {})
            rpr.append(el)
        el.set("typeface", name)


def _pptx_watermark(slide, box, text: str) -> None:
    from lxml import etree
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    tb = slide.shapes.add_textbox(*box)
    tb.rotation = -18
    p = tb.text_frame.paragraphs[0]
    p.alignment = PP_ALIGN.CENTER
    run = p.add_run()
    run.text = text
    run.font.size = Pt(88)
    run.font.bold = True
    run.font.color.rgb = RGBColor.from_string(mplstyle.DEMO_COLOR.lstrip("#"))
    _east_asian_font(run)
    clr = run._r.find(qn("a:rPr")).find(qn("a:solidFill")).find(qn("a:srgbClr"))
    etree.SubElement(clr, qn("a:alpha")).set("val", "14000")  # 14 % opaque


def cover_notes(inputs: BriefInputs) -> str:
    """The cover in words: scope and status, each red township and why, the yellow ones,
    the headline figures."""
    lang = inputs.lang
    lines = [_tt(inputs, "exports.brief.cover_scope", scope=inputs.stamp.scope),
             _tt(inputs, "exports.brief.cover_as_of", as_of=inputs.stamp.as_of_text),
             _tt(inputs, "exports.brief.status_summary", n=len(inputs.report["townships"]),
                 **content.status_counts(inputs))]
    red = content.red_townships(inputs)
    lines.append(_tt(inputs, "exports.brief.red_head", n=len(red)) if red
                 else _tt(inputs, "exports.brief.red_none"))
    lines += [f"{f.name}：{f.reasons}" if lang == "zh" else f"{f.name}: {f.reasons}"
              for f in red]
    yellow = content.yellow_townships(inputs)
    if yellow:
        lines.append(_tt(inputs, "exports.brief.yellow_list", n=len(yellow),
                         names="、".join(f.name for f in yellow)))
    lines += [f"{label}：{text}" if lang == "zh" else f"{label}: {text}"
              for label, text in content.kpi_lines(inputs)]
    return "\n".join(lines)


def _pptx_cards(slide, rect, box, changes, inputs: BriefInputs) -> None:
    """The page's cards as text boxes: label, figure, change since last week (coloured)."""
    from pptx.dml.color import RGBColor

    x0, y0, w, h = rect
    n = max(len(changes), 1)
    gap = 0.008
    cw = (w - gap * (n - 1)) / n
    vs = _tt(inputs, "shell.vs_week")
    for i, c in enumerate(changes):
        x = x0 + i * (cw + gap)
        frame = slide.shapes.add_textbox(*box((x, y0, cw, h)))
        frame.fill.solid()
        frame.fill.fore_color.rgb = RGBColor.from_string("F2F5F8")
        below = c.note or (f"{vs} {c.change}" if c.change is not None else "")
        _pptx_text(slide, box((x + 0.005, y0 + h * 0.66, cw - 0.01, h * 0.3)), c.label,
                   8, color="555555")
        _pptx_text(slide, box((x + 0.005, y0 + h * 0.3, cw - 0.01, h * 0.36)), c.value,
                   13 if len(c.value) < 12 else 10, bold=True)
        if below:
            _pptx_text(slide, box((x + 0.005, y0 + 0.004, cw - 0.01, h * 0.28)), below, 8,
                       bold=c.tone == "worse", color=TONE_COLORS[c.tone].lstrip("#"))


def _pptx_table(slide, box, block: TableBlock, lang: str) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Pt

    left, top, width, height = box
    if not block.rows:
        _pptx_text(slide, box, block.empty, 14)
        return
    n_rows = len(block.rows) + 1
    row_h = Emu(int(Pt(22)))
    shape = slide.shapes.add_table(n_rows, len(block.columns), left, top, width,
                                   Emu(row_h * n_rows))
    table = shape.table
    total = sum(c.width for c in block.columns)
    for i, c in enumerate(block.columns):
        table.columns[i].width = Emu(int(width * c.width / total))

    def put(cell, text, *, bold=False, color="1A1A1A", size=10):
        cell.text = ""
        run = cell.text_frame.paragraphs[0].add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = "Microsoft YaHei"
        run.font.color.rgb = RGBColor.from_string(color)
        _east_asian_font(run)
        cell.margin_top = cell.margin_bottom = Pt(2)

    for i, col in enumerate(block.columns):
        put(table.cell(0, i), col.label, bold=True, color="FFFFFF")
    for k, r in enumerate(block.rows, 1):
        # PowerPoint grows a row to its text, LibreOffice and WPS keep the stored height:
        # store the height the wrapped cells need
        table.rows[k].height = Emu(int(Pt(max(22, 8 + 12 * row_lines(block, r)))))
        for i, col in enumerate(block.columns):
            if col.status:
                put(table.cell(k, i), _status_word(r[col.key], lang),
                    bold=True, color=STATUS_INK[r[col.key]].lstrip("#"))
            else:
                put(table.cell(k, i), str(r[col.key]), size=9 if col.wrap else 10,
                    bold=col.bold)
