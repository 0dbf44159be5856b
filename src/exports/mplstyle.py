"""The matplotlib look shared by the map image and the briefing pack: CJK fonts, real
(TrueType, type 42) text in PDFs, the stamp footer and the 演示数据 watermark.

Figures are made with :class:`matplotlib.figure.Figure` (never pyplot), so Streamlit's
threads can draw at the same time.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg", force=False)

from matplotlib.figure import Figure  # noqa: E402

from duzhan.presentation.fonts import MPL_CJK_FONTS, TRUETYPE_CJK, TRUETYPE_CJK_FILES  # noqa: E402,F401
from duzhan.presentation.palette import STATUS_COLORS  # noqa: E402

CJK_FONTS = MPL_CJK_FONTS
RC = {
    "font.family": "sans-serif",
    "font.sans-serif": CJK_FONTS,
    "axes.unicode_minus": False,
    "pdf.fonttype": 42,  # embed TrueType: the text stays text (pdftotext, copy & paste)
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    # text is text: a ledger name with two "$" is not read as mathtext (which would draw a
    # formula, or fail the whole pack on a malformed one)
    "text.parse_math": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}
INK = "#1a1a1a"
MUTED = "#555555"
RULE = "#BBBBBB"
DEMO_COLOR = STATUS_COLORS["red"]


def _register_truetype_cjk() -> None:
    """Make matplotlib see WenQuanYi Micro Hei even when its font cache was written before
    the font was installed (``make system-deps`` after the first run)."""
    import os

    from matplotlib import font_manager

    if any(f.name == TRUETYPE_CJK for f in font_manager.fontManager.ttflist):
        return
    for path in TRUETYPE_CJK_FILES:
        if os.path.exists(path):
            font_manager.fontManager.addfont(path)
            return


_register_truetype_cjk()


class _NoBoldFallbackWarning(logging.Filter):
    """WenQuanYi Micro Hei has no bold face: bold text is drawn in the regular one, and
    matplotlib would say so on every bold title."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        return not (TRUETYPE_CJK in text and "weight" in text)


logging.getLogger("matplotlib.font_manager").addFilter(_NoBoldFallbackWarning())


@contextmanager
def style() -> Iterator[None]:
    with matplotlib.rc_context(RC):
        yield


def watermark(fig: Figure, text: str, *, size: float = 88, alpha: float = 0.12) -> None:
    """A large translucent mark across the middle of the figure (演示数据)."""
    fig.text(0.5, 0.5, text, ha="center", va="center", rotation=18, fontsize=size,
             color=DEMO_COLOR, alpha=alpha, zorder=1000, fontweight="bold")


def footer(fig: Figure, line: str, demo: str = "", *, y: float = 0.025, x0: float = 0.03,
           x1: float = 0.97, size: float = 9) -> None:
    """The stamp line at the bottom left; the demo mark in red at the bottom right."""
    fig.text(x0, y, line, ha="left", va="bottom", fontsize=size, color=MUTED)
    if demo:
        fig.text(x1, y, demo, ha="right", va="bottom", fontsize=size + 1, color=DEMO_COLOR,
                 fontweight="bold")


def png_bytes(fig: Figure, dpi: int = 200) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()
