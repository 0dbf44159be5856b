"""The briefing pack as an A4-landscape PDF, drawn with matplotlib: real text (TrueType,
type 42) so it can be searched and copied; charts as 200-dpi PNGs; the map drawn like the
page's map (duzhan.exports.mapimage.draw_map)."""
from __future__ import annotations

import io
from collections.abc import Sequence

from duzhan.clock import BEIJING
from duzhan.exports import mplstyle
from duzhan.exports.brief import content
from duzhan.exports.brief.content import tt as _tt
from duzhan.exports.brief.inputs import BriefInputs
from duzhan.exports.brief.layout import (
    LEFT,
    PAGE_H,
    PAGE_W,
    RIGHT,
    ROW_UNIT,
    TOP,
    Page,
    TableBlock,
    TableColumn,
    plan,
    render_charts,
    row_height,
    wrap_lines,
)
from duzhan.i18n import t
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import (
    STATUS_COLORS,
    STATUS_INK,
    STATUS_ORDER,
    STATUS_SYMBOLS,
    STATUS_TEXT,
)
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


COVER_BOTTOM = 0.125  # the cover's columns end above the contents line
COVER_SIZES = (10.5, 9.5, 8.5)  # body type of the cover's columns: the largest that fits


class _Column:
    """One column of the cover's lower half, written from the top down in body type
    `size` (titles a little larger); with fig=None it only measures."""

    def __init__(self, fig, x: float, y: float, width: float, size: float, lang: str):
        self.fig, self.x, self.y, self.width, self.size, self.lang = fig, x, y, width, size, lang
        self.line = 0.029 * size / 10.5  # one body line, figure fraction
        self.last = y  # the baseline of the last text written

    def chars(self, width: float | None = None) -> int:
        """CJK characters of body type in `width` (default: the column's)."""
        return int((width or self.width) * PAGE_W * 72 / self.size)

    def text(self, text: str, *, dx: float = 0.0, scale: float = 1.0, advance: float = 1.0,
             **kw) -> None:
        if self.fig is not None:
            self.fig.text(self.x + dx, self.y, text, va="baseline",
                          fontsize=self.size * scale, **kw)
        self.last = self.y
        self.y -= self.line * advance

    def lines(self, lines: list[str], *, dx: float = 0.0, **kw) -> None:
        for line in lines:
            self.text(line, dx=dx, **kw)

    def space(self, lines: float) -> None:
        self.y -= self.line * lines


def draw_cover(fig, inputs: BriefInputs) -> None:
    """Title band; scope, dates, status strip; left: the scope's status and every red
    township with its reasons (then the yellow ones by name); right: headline figures."""
    from matplotlib.patches import FancyBboxPatch

    lang = inputs.lang
    fig.add_artist(FancyBboxPatch((0, 0.80), 1, 0.20, boxstyle="square,pad=0",
                                  transform=fig.transFigure, facecolor="#0B3C5D",
                                  edgecolor="none"))
    fig.text(0.06, 0.885, _tt(inputs, "exports.brief.cover_title"), ha="left", va="center",
             fontsize=28, fontweight="bold", color="white")
    y = 0.745
    for key, kw in (("exports.brief.cover_scope", {"scope": inputs.stamp.scope}),
                    ("exports.brief.cover_as_of", {"as_of": inputs.stamp.as_of_text})):
        fig.text(0.06, y, _tt(inputs, key, **kw), fontsize=15, color=mplstyle.INK,
                 fontweight="bold", va="baseline")
        y -= 0.045
    fig.text(0.06, y, _tt(inputs, "exports.brief.cover_cutoff", cutoff=inputs.stamp.cutoff_text),
             fontsize=10.5, color=mplstyle.MUTED, va="baseline")
    if inputs.stamp.beyond_data:  # topic pages say it in their stamp line
        fig.text(0.28, y, inputs.stamp.beyond_text(), fontsize=10.5, color=mplstyle.DEMO_COLOR,
                 fontweight="bold", va="baseline")
    y -= 0.055
    counts = content.status_counts(inputs)
    n = len(inputs.report["townships"])
    fig.text(0.06, y, _tt(inputs, "exports.brief.status_summary", n=n, **counts), fontsize=13,
             color=mplstyle.INK, va="baseline", fontweight="bold")
    # the status strip: one box per status, width by count
    y -= 0.065
    x, total_w = 0.06, 0.88
    for s in STATUS_ORDER:
        c = counts[s]
        if not c:
            continue
        w = total_w * c / max(n, 1)
        fig.add_artist(FancyBboxPatch((x, y), w - 0.004, 0.042, boxstyle="square,pad=0",
                                      transform=fig.transFigure, facecolor=STATUS_COLORS[s],
                                      edgecolor="none"))
        fig.text(x + (w - 0.004) / 2, y + 0.021, f"{_status_word(s, lang)} {c}",
                 ha="center", va="center", color=STATUS_TEXT[s], fontsize=12, fontweight="bold")
        x += w
    top = y - 0.05
    # the largest body type at which every red township and every figure fits
    size = next((sz for sz in COVER_SIZES
                 if _cover_flags(_Column(None, 0.06, top, 0.47, sz, lang), inputs)
                 and _cover_figures(_Column(None, 0.57, top, RIGHT - 0.57, sz, lang), inputs)
                 >= COVER_BOTTOM), COVER_SIZES[-1])
    _cover_flags(_Column(fig, 0.06, top, 0.47, size, lang), inputs)
    _cover_figures(_Column(fig, 0.57, top, RIGHT - 0.57, size, lang), inputs)
    fig.text(0.06, 0.085, _tt(inputs, "exports.brief.contents"), fontsize=10,
             color=mplstyle.MUTED, va="baseline")
    made = fmt.moment(inputs.made_at.astimezone(BEIJING), inputs.lang)
    fig.text(RIGHT, 0.085, _tt(inputs, "exports.brief.cover_made", at=made), fontsize=9,
             color=mplstyle.MUTED, va="baseline", ha="right")


NAME_W = 0.075  # the township names' column of the cover's red list


def _cover_flags(col: _Column, inputs: BriefInputs) -> bool:
    """The scope's status (with its own reasons when no township in it is red), then each
    red township and why, then the yellow ones by name. Whether every red township fitted
    (those that do not are counted and sent to the attention page)."""
    lang = inputs.lang
    status = inputs.figures["status"]
    col.text(_tt(inputs, "exports.brief.scope_status", scope=inputs.stamp.scope,
                 status=_status_word(status, lang)),
             scale=1.2, advance=1.3, fontweight="bold", color=STATUS_INK[status])
    red = content.red_townships(inputs)
    if not red:
        reasons = "；".join(content.scope_reasons(inputs)) or _tt(inputs,
                                                                 "exports.brief.no_reasons")
        col.lines(wrap_lines(reasons, col.chars() - 1, lang)[:3], dx=0.012, color=mplstyle.INK)
        col.space(0.3)
    head = (_tt(inputs, "exports.brief.red_head", n=len(red)) if red
            else _tt(inputs, "exports.brief.red_none"))
    col.text(head, scale=1.15, advance=1.2, fontweight="bold",
             color=STATUS_INK["red"] if red else mplstyle.INK)
    yellow = content.yellow_townships(inputs)
    yellow_lines = wrap_lines(_tt(inputs, "exports.brief.yellow_list", n=len(yellow),
                                  names="、".join(f.name for f in yellow)), col.chars(), lang) \
        if yellow else []
    reserve = col.line * (len(yellow_lines) + 1.3)
    fitted = True
    for k, f in enumerate(red):
        lines = wrap_lines(f.reasons, col.chars(col.width - NAME_W), lang)
        if col.y - col.line * len(lines) < COVER_BOTTOM + reserve:
            col.text(_tt(inputs, "exports.brief.red_more", n=len(red) - k), scale=0.95,
                     color=mplstyle.MUTED)
            fitted = False
            break
        col.text(f"{STATUS_SYMBOLS['red']} {f.name}", advance=0, fontweight="bold",
                 color=STATUS_INK["red"])
        col.lines(lines, dx=NAME_W, color=mplstyle.INK)
        col.space(0.3)
    if yellow_lines:
        col.space(0.2)
        col.lines(yellow_lines, color=mplstyle.INK)
    return fitted


def _cover_figures(col: _Column, inputs: BriefInputs) -> float:
    """The headline figures: each block's label, then its sentence; the last baseline."""
    col.text(_tt(inputs, "exports.brief.kpi_head"), scale=1.2, advance=1.2, fontweight="bold",
             color="#0B3C5D")
    for label, text in content.kpi_lines(inputs):
        col.text(label, scale=1.05, fontweight="bold", color="#0B3C5D")
        col.lines(wrap_lines(text, col.chars() - 1, inputs.lang), dx=0.012, color=mplstyle.INK)
        col.space(0.35)
    return col.last


TONE_COLORS = {"worse": STATUS_INK["red"], "better": STATUS_INK["green"],
               "flat": mplstyle.MUTED, "neutral": mplstyle.MUTED}


def _fit_size(text: str, width: float, size: float, smallest: float = 6.0) -> float:
    """The type size (at most `size`) at which `text` fits in `width` (figure fraction);
    a CJK character is about one em wide, a Latin one about half."""
    ems = sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)
    room = width * PAGE_W * 72  # points
    return max(smallest, min(size, room / max(ems, 1)))


def draw_cards(fig, rect, changes: Sequence[content.Change], inputs: BriefInputs) -> None:
    """The page's cards in a row: label, figure, and the change since last week coloured
    as bad or good news (or the card's note in grey)."""
    from matplotlib.patches import Rectangle

    x0, y0, w, h = rect
    n = max(len(changes), 1)
    gap = 0.008
    cw = (w - gap * (n - 1)) / n
    inner = cw - 0.012
    vs = _tt(inputs, "shell.vs_week")
    for i, c in enumerate(changes):
        x = x0 + i * (cw + gap)
        fig.add_artist(Rectangle((x, y0), cw, h, transform=fig.transFigure,
                                 facecolor="#F2F5F8", edgecolor=mplstyle.RULE, linewidth=0.6))
        fig.text(x + 0.006, y0 + h - 0.02, c.label, fontsize=_fit_size(c.label, inner, 8.5),
                 color=mplstyle.MUTED, va="baseline")
        fig.text(x + 0.006, y0 + h * 0.38, c.value, fontsize=_fit_size(c.value, inner, 15),
                 fontweight="bold", color=mplstyle.INK, va="baseline")
        below = c.note or (f"{vs} {c.change}" if c.change is not None else None)
        if below:
            fig.text(x + 0.006, y0 + 0.012, below, fontsize=_fit_size(below, inner, 8.5),
                     color=TONE_COLORS[c.tone], va="baseline",
                     fontweight="bold" if c.tone == "worse" else "normal")


def _cell(fig, x: float, y: float, text: str, col: TableColumn, lang: str, *, size: float,
          color: str = mplstyle.INK) -> None:
    fig.text(x, y, text, ha=col.align, va="center", fontsize=size, color=color,
             fontweight="bold" if col.bold else "normal", linespacing=1.45)


def _draw_table(fig, rect, block: TableBlock, inputs: BriefInputs) -> None:
    """A table as real text: a header row, zebra stripes, status colours, wrapped cells."""
    from matplotlib.patches import Rectangle

    lang = inputs.lang
    x0, y0, w, h = rect
    top = y0 + h
    if not block.rows:
        fig.text(x0, top - ROW_UNIT, block.empty, fontsize=12)
        return
    total = sum(c.width for c in block.columns)
    xs = [x0]
    for c in block.columns:
        xs.append(xs[-1] + c.width * w / total)
    anchor = [(xs[i + 1] - 0.006) if c.align == "right" else (xs[i] + 0.006)
              for i, c in enumerate(block.columns)]
    head_h = ROW_UNIT * 1.4
    fig.add_artist(Rectangle((x0, top - head_h), w, head_h, transform=fig.transFigure,
                             facecolor="#0B3C5D", edgecolor="none"))
    for i, col in enumerate(block.columns):
        fig.text(anchor[i], top - head_h / 2, col.label, ha=col.align, va="center",
                 fontsize=10, fontweight="bold", color="white")
    y = top - head_h
    for k, r in enumerate(block.rows):
        rh = row_height(block, r)
        if k % 2:
            fig.add_artist(Rectangle((x0, y - rh), w, rh, transform=fig.transFigure,
                                     facecolor="#F2F5F8", edgecolor="none"))
        mid = y - rh / 2
        for i, col in enumerate(block.columns):
            if col.status:
                fig.text(anchor[i], mid, _status_word(r[col.key], lang), ha="left",
                         va="center", fontsize=10, fontweight="bold",
                         color=STATUS_INK[r[col.key]])
            elif col.wrap:
                _cell(fig, anchor[i], mid, "\n".join(r["lines"][col.key]), col, lang, size=9.5)
            else:
                _cell(fig, anchor[i], mid, str(r[col.key]), col, lang, size=10)
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
                         inputs.lang, scope=inputs.codes, sites=content.map_sites(inputs),
                         legend_rect=(x + w + 0.02, y, RIGHT - x - w - 0.02, h),
                         label_size=10)
        elif slot.kind == "table":
            _draw_table(fig, slot.rect, slot.payload, inputs)
        elif slot.kind == "cards":
            draw_cards(fig, slot.rect, slot.payload, inputs)
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
