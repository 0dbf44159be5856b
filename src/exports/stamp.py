"""Chart images for briefings: a plotly figure → a stamped PNG (bytes) and its file name.

    s = Stamp(scope="全县", as_of=date(2024, 6, 30), cutoff=status.last_import_at,
              is_demo=status.is_demo, lang="zh")
    png, name = chart_png(fig, s, "burndown")      # 问题整改燃尽图_全县_2024-06-30.png

The stamp is part of the figure's layout (annotations named ``duzhan-stamp`` and, on demo
data, ``duzhan-demo``): a footer line with scope, as-of date, data cut-off (last import)
and source, and a large translucent 演示数据 across the plot. The figure keeps its own
title (every chart builder sets one); a figure without one gets the export name as title.

Rendering goes through one kaleido sync server per process (headless Debian chromium,
MathJax off and the plotly.js bundled with plotly: nothing is fetched from a CDN). The
first image takes a couple of seconds (browser start), later ones ~0.2 s.
"""
from __future__ import annotations

import atexit
import copy
import datetime as dt
import re
import threading
from dataclasses import dataclass

import plotly.graph_objects as go

from duzhan.charts import plain_figure
from duzhan.clock import BEIJING
from duzhan.i18n import t
from duzhan.presentation import format as fmt
from duzhan.presentation.fonts import CSS_FONT_FAMILY as FONT_FAMILY
from duzhan.presentation.palette import STATUS_COLORS
from duzhan.presentation.words import scope_label  # noqa: F401  (re-exported)

SCALE = 2  # presentation resolution: twice the layout size
DEFAULT_WIDTH = 1200
DEFAULT_HEIGHT = 420
STAMP_NAME = "duzhan-stamp"
DEMO_NAME = "duzhan-demo"
STAMP_COLOR = "#555555"
DEMO_COLOR = STATUS_COLORS["red"]
PNG_MIME = "image/png"
_FILENAME_BAD = re.compile(r'[\\/:*?"<>|\s]+')


# --------------------------------------------------------------------------- the stamp


@dataclass(frozen=True)
class Stamp:
    """What every export says about its data: scope label, as-of date, data cut-off (the
    last accepted import, a datetime, tz-aware or naive UTC), demo or not, language."""

    scope: str
    as_of: dt.date
    cutoff: dt.datetime | None = None
    is_demo: bool = False
    lang: str = "zh"
    data_last: dt.date | None = None  # the ledgers' last event date (lookup.last_event_date)

    @property
    def beyond_data(self) -> bool:
        """Whether the as-of date lies after the data's last day (what follows is unknown,
        not quiet: every export then says so)."""
        return beyond_data(self.as_of, self.data_last)

    def beyond_text(self) -> str:
        return beyond_text(self.as_of, self.data_last, self.lang) or ""

    @property
    def cutoff_text(self) -> str:
        return cutoff_text(self.cutoff, self.lang)

    @property
    def as_of_text(self) -> str:
        return fmt.day(self.as_of, self.lang)

    def line(self) -> str:
        """范围：… · 统计截至 … · 数据截至 … · 数据来源：… (the page header's line)."""
        line = t("stamp.line", self.lang, scope=self.scope, as_of=self.as_of_text,
                 cutoff=self.cutoff_text)
        return f"{line} · {self.beyond_text()}" if self.beyond_data else line

    def demo_mark(self) -> str:
        return t("stamp.demo", self.lang) if self.is_demo else ""


def beyond_data(as_of: dt.date, data_last: dt.date | None) -> bool:
    return data_last is not None and as_of > data_last


def beyond_text(as_of: dt.date, data_last: dt.date | None, lang: str = "zh") -> str | None:
    """The warning every page and export carries when the as-of date lies after the data's
    last day (None otherwise)."""
    if not beyond_data(as_of, data_last):
        return None
    return t("stamp.beyond_data", lang, as_of=fmt.day(as_of, lang), last=fmt.day(data_last, lang))


def cutoff_text(cutoff: dt.datetime | None, lang: str = "zh") -> str:
    """The data cut-off as a Beijing-time date, as the page header shows it."""
    if cutoff is None:
        return fmt.DASH
    if cutoff.tzinfo is None:  # SQLite hands back naive UTC
        cutoff = cutoff.replace(tzinfo=dt.UTC)
    return fmt.day(cutoff.astimezone(BEIJING).date(), lang)


def export_name(name_key: str, lang: str = "zh") -> str:
    """What an export shows, for its file name: ``exports.name.<name_key>``."""
    return t(f"exports.name.{name_key}", lang)


def file_name(what: str, stamp: Stamp, ext: str) -> str:
    """``问题整改燃尽图_全县_2024-06-30.png`` (+ ``_演示数据`` on demo data); characters a
    file system or a mail client dislikes become ``-``."""
    parts = [what, stamp.scope, stamp.as_of.isoformat()]
    if stamp.is_demo:
        parts.append(t("stamp.demo", "zh"))
    clean = [_FILENAME_BAD.sub("-", p).strip("-.") or "-" for p in parts]
    base = "_".join(clean)
    if len(base) > 120:
        base = base[:120]
    return f"{base}.{ext.lstrip('.')}"


# --------------------------------------------------------------------------- stamping


def _font_size(fig: go.Figure) -> float:
    size = fig.layout.font.size if fig.layout.font and fig.layout.font.size else None
    return float(size or 13)


def _has_bottom_axis(fig: go.Figure) -> bool:
    """Whether tick labels are drawn under the plot (not a heatmap's top axis, not a
    hidden axis as in the status strip)."""
    axes = {k: v for k, v in fig.layout.to_plotly_json().items() if k.startswith("xaxis")}
    if not axes:
        return bool(fig.data)
    return any(ax.get("visible", True) is not False and ax.get("side") != "top"
               for ax in axes.values())


def _text_px(text: str, size: float) -> float:
    """Rough width of a text in pixels (CJK ≈ 1 em, Latin ≈ 0.55 em)."""
    import re as _re

    plain = _re.sub(r"<[^>]+>", "", str(text or ""))
    return sum(size if ord(ch) > 0x2E7F else size * 0.58 for ch in plain)


def wrap_title(text: str, size: float, width: float) -> str:
    """A title too wide for ``width`` px without its trailing “ · scope · 截至 date” parts
    (the image's stamp line says them already), down to what fits."""
    parts = str(text).split(" · ")
    while len(parts) > 1 and _text_px(" · ".join(parts), size) > width:
        parts.pop()
    return " · ".join(parts)


def fit_layout(fig: go.Figure, width: int, height: int) -> go.Figure:
    """Fix a figure to ``width`` × ``height`` px for an image and make room for everything
    around the plot, whatever size the builder assumed: axes get automargin (tick labels
    are never cut), the title sits at the top of the canvas, and the top margin holds the
    title, its subtitle, the legend rows above the plot and labels drawn above it (vline
    labels, subplot titles). A heatmap's top x axis moves to the bottom. In place."""
    lay = fig.layout
    base = _font_size(fig)
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    for name, ax in lay.to_plotly_json().items():
        if name.startswith("xaxis") and ax.get("side") == "top":
            fig.layout[name].side = "bottom"
    title = lay.title
    title_size = float(title.font.size or base + 5) if title and title.font else base + 5
    top = 10.0
    if title and title.text:
        text = wrap_title(title.text, title_size, width - 30)
        if text != title.text:
            fig.update_layout(title_text=text)
        top += title_size * 1.45
        if title.subtitle and title.subtitle.text:
            top += float(title.subtitle.font.size or base) * 1.5
    margin = lay.margin
    m_l = margin.l if margin and margin.l is not None else 40
    m_r = margin.r if margin and margin.r is not None else 20
    plot_w = max(width - m_l - m_r - 60, 100)
    legend_on = lay.showlegend is not False
    items = [tr for tr in fig.data if tr.name and tr.showlegend is not False
             and (len(fig.data) > 1 or tr.showlegend)]
    leg = lay.legend
    horizontal = leg is not None and leg.orientation == "h"
    if legend_on and items and horizontal and (leg.y is None or leg.y >= 1):
        leg_size = float(leg.font.size if leg.font and leg.font.size else base)
        rows, used = 1, 0.0
        for tr in items:
            w = _text_px(tr.name, leg_size) + 46
            if used and used + w > plot_w:
                rows, used = rows + 1, 0.0
            used += w
        top += rows * (leg_size * 1.55 + 6) + 4
    above = [a for a in (lay.annotations or ()) if a.yref == "paper" and a.y is not None
             and a.y >= 1 and (a.yanchor in (None, "bottom", "auto"))]
    if any(tr.type == "heatmap" for tr in fig.data):
        fig.update_yaxes(tickmode="linear", dtick=1)  # every township, never thinned
    if above:
        above_px = max(float(a.font.size or base) if a.font else base for a in above) * 1.5 + 4
        top += above_px
        if legend_on and items and horizontal and (leg.y is None or leg.y >= 1):
            # lift the legend over the labels drawn above the plot (target line etc.)
            m_b = margin.b if margin and margin.b is not None else 40
            plot_h = max(height - top - m_b - base * 3, 80)
            fig.update_layout(legend={"y": 1 + above_px / plot_h, "yanchor": "bottom"})
    if title and title.text:
        fig.update_layout(title={"yref": "container", "y": 1, "yanchor": "top",
                                 "pad": {"t": 10, "l": 14}})
    fig.update_layout(width=width, height=height,
                      margin={"t": int(max(top, (margin.t if margin and margin.t else 0)))},
                      paper_bgcolor="white")
    return fig


def stamp_figure(fig: go.Figure, stamp: Stamp, *, title: str | None = None,
                 width: int | None = None) -> go.Figure:
    """A copy of ``fig`` ready for a slide: title (kept, or ``title`` when it has none),
    white background, a footer stamp line under the plot and, on demo data, 演示数据 across
    the plot. The footer gets its own band of bottom margin below the axis labels, so
    nothing overlaps. Layout width/height are fixed (``width`` or the figure's or 1200)."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    lay = out.layout
    base = _font_size(out)
    if not (lay.title and lay.title.text):
        out.update_layout(title={"text": title or "", "x": 0, "xanchor": "left",
                                 "font": {"size": base + 5}})
    margin = lay.margin
    m_b = margin.b if margin and margin.b is not None else 80
    m_l = margin.l if margin and margin.l is not None else 80
    m_r = margin.r if margin and margin.r is not None else 80
    m_t = margin.t if margin and margin.t is not None else 100
    height = int(lay.height or DEFAULT_HEIGHT)
    w = int(width or lay.width or DEFAULT_WIDTH)
    fit_layout(out, w, height)
    m_t = out.layout.margin.t
    stamp_size = max(11.0, round(base * 0.85))
    # room for the x tick labels (two lines on date axes) above the footer
    tick_band = int(base * 2.8 + 10) if _has_bottom_axis(out) else 8
    footer = int(stamp_size * 1.6 + 14)
    out.update_layout(
        width=w,
        height=height + tick_band + footer,
        margin={"l": max(m_l, 16), "r": max(m_r, 24), "t": max(m_t, 40),
                "b": m_b + tick_band + footer},
        paper_bgcolor="white",
        font={"family": FONT_FAMILY},
    )
    text = stamp.line()
    if stamp.is_demo:
        text += f" · <b><span style='color:{DEMO_COLOR}'>{stamp.demo_mark()}</span></b>"
    out.add_annotation(
        name=STAMP_NAME, text=text, showarrow=False, xref="paper", yref="paper",
        x=0, xanchor="left", y=0, yanchor="top", yshift=-(m_b + tick_band),
        align="left", font={"size": stamp_size, "color": STAMP_COLOR, "family": FONT_FAMILY},
    )
    if stamp.is_demo:
        plot_h = height - m_t - m_b
        out.add_annotation(
            name=DEMO_NAME, text=stamp.demo_mark(), showarrow=False, xref="paper",
            yref="paper", x=0.5, y=0.5, xanchor="center", yanchor="middle", textangle=-18,
            opacity=0.14, font={"size": int(max(28, min(w * 0.09, plot_h * 0.32))),
                                "color": DEMO_COLOR, "family": FONT_FAMILY},
        )
    return out


def stamp_annotations(fig: go.Figure) -> dict[str, str]:
    """name → text of the stamp annotations a stamped figure carries (for tests/checks)."""
    return {a.name: a.text for a in fig.layout.annotations if a.name in (STAMP_NAME, DEMO_NAME)}


# --------------------------------------------------------------------------- rendering

_lock = threading.Lock()
_started = False


def _ensure_server() -> None:
    global _started
    if _started:
        return
    import kaleido

    kaleido.start_sync_server(n=1, mathjax=False, timeout=60, silence_warnings=True)
    _started = True
    atexit.register(_stop_server)


def _stop_server() -> None:
    global _started
    if not _started:
        return
    try:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
    except Exception:  # noqa: BLE001 - the process is ending anyway
        pass
    _started = False


def render_png(fig: go.Figure, width: int | None = None, height: int | None = None,
               scale: float = SCALE) -> bytes:
    """PNG bytes of a figure as it is (no stamp) at ``scale`` × its layout size; its texts
    (ledger names, the stamp's scope) drawn verbatim (:func:`duzhan.charts.plain_figure`)."""
    import kaleido

    w = int(width or fig.layout.width or DEFAULT_WIDTH)
    h = int(height or fig.layout.height or DEFAULT_HEIGHT)
    with _lock:  # one tab in the server; Streamlit calls from several threads
        _ensure_server()
        return kaleido.calc_fig_sync(plain_figure(fig), opts={"format": "png", "scale": scale,
                                                "width": w, "height": h})


def chart_png(fig: go.Figure, stamp: Stamp, name_key: str, *,
              width: int | None = None) -> tuple[bytes, str]:
    """(PNG bytes at 2× the layout size, file name) of a stamped chart; ``name_key`` picks
    the export name (``exports.name.<key>``: 问题整改燃尽图 …) used as the file name."""
    what = export_name(name_key, stamp.lang)
    stamped = stamp_figure(fig, stamp, title=what, width=width)
    return render_png(stamped), file_name(what, stamp, "png")


__all__ = [
    "Stamp", "beyond_data", "beyond_text", "cutoff_text", "scope_label", "export_name", "file_name", "stamp_figure",
    "stamp_annotations", "fit_layout", "render_png", "chart_png", "SCALE", "PNG_MIME", "STAMP_NAME",
    "DEMO_NAME",
]
