"""The briefing pack (汇报材料): one A4-landscape PDF, or the same as PPTX.

    inputs = brief_inputs(engine, as_of, townships=None, lang="zh")   # CLI, scripts
    pdf = brief_pdf(inputs)            # bytes; pages: cover + 6 topics (+ table overflow)
    pptx = brief_pptx(inputs)          # bytes; the same pages as slides (A4 proportions)

Pages: cover (scope, as-of date, data cut-off, status summary, headline figures), the
township status map, campaign phases, issue burndown with the forecast, fund
disbursement, micro-loans, and the townships needing attention (the attention ranking
with its reasons). Every page has its title, the stamp line (scope · as-of · data cut-off ·
source), page numbers and, on demo data, 演示数据 across the page and in the footer.

Charts are the dashboard's own plotly builders (``duzhan.charts``), rendered by kaleido
to PNG at the slot's proportions, 200 dpi; the map is drawn with
:func:`duzhan.exports.mapimage.draw_map`, the same classes and colours as the page's map.
Text is real text (TrueType, type 42) so the PDF can be searched and copied.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

import pandas as pd

from duzhan.exports import mplstyle
from duzhan.clock import BEIJING
from duzhan.exports.stamp import (
    Stamp,
    export_name,
    file_name,
    fit_layout,
    render_png,
    scope_label,
)
from duzhan.i18n import t
from duzhan.metrics.frames import Ledgers
from duzhan.presentation import format as fmt
from duzhan.presentation.palette import STATUS_COLORS, STATUS_ORDER, STATUS_SYMBOLS

PAGE_W, PAGE_H = 11.69, 8.27  # A4 landscape, inches
PX_PER_IN = 100  # plotly layout pixels per inch of slot: 13 px type ≈ 9.4 pt on paper
CHART_SCALE = 2  # → 200 dpi
PDF_MIME = "application/pdf"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TOPICS = ("map", "phases", "issues", "funds", "loans", "attention")

# content frame (figure fractions) below the header and above the footer
LEFT, RIGHT = 0.035, 0.965
TOP = 0.84  # below title, stamp line and note
BOTTOM = 0.075
GAP = 0.02


# --------------------------------------------------------------------------- inputs


@dataclass
class BriefInputs:
    """Everything the pack shows, computed once (the pages pass their cached values)."""

    as_of: dt.date
    lang: str
    codes: tuple[str, ...] | None  # townships in scope; None = the whole county
    ledgers: Ledgers  # the scope's rows (county-wide tasks only for the county)
    report: dict  # metrics_report over the scope's townships
    county_report: dict  # metrics_report over every township (the map colours them all)
    figures: dict  # scope_metrics of the scope
    stamp: Stamp
    names: dict[str, str]  # township code → name
    boundaries: Any = None  # GeoDataFrame or None
    made_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(BEIJING))
    page_count: int = 0  # set by the last brief_pdf / brief_pptx

    @property
    def township_rows(self) -> list[str]:
        return list(self.codes) if self.codes is not None else list(self.names)


def brief_inputs(engine, as_of: dt.date, townships: Iterable[str] | None = None,
                 lang: str = "zh", boundaries: Any = "default") -> BriefInputs:
    """The inputs read from a store (for the command line and scripts)."""
    from duzhan.metrics.report import metrics_report, scope_metrics
    from duzhan.store.read import DataScope, data_status, load_ledgers, township_directory

    directory = township_directory(engine)
    codes = tuple(sorted(set(townships))) if townships else None
    if codes:
        unknown = [c for c in codes if c not in directory.names]
        if unknown:
            raise ValueError(f"unknown township code(s): {', '.join(unknown)}")
    full = load_ledgers(engine, DataScope())
    status = data_status(engine)
    if isinstance(boundaries, str) and boundaries == "default":
        from duzhan.geo.boundaries import default_path, load_boundaries

        boundaries = load_boundaries() if default_path().exists() else None
    stamp = Stamp(scope_label(codes, directory.names, lang), as_of, status.last_import_at,
                  status.is_demo, lang)
    return BriefInputs(
        as_of=as_of, lang=lang, codes=codes, ledgers=full.scoped(codes),
        report=metrics_report(full, as_of, list(codes) if codes else None),
        county_report=metrics_report(full, as_of, None),
        figures=scope_metrics(full, as_of, list(codes) if codes else None),
        stamp=stamp, names=dict(directory.names), boundaries=boundaries,
    )


def brief_file_name(inputs: BriefInputs, ext: str = "pdf") -> str:
    return file_name(export_name("brief", inputs.lang), inputs.stamp, ext)


# --------------------------------------------------------------------------- text helpers


def _tt(inputs: BriefInputs, key: str, **kw) -> str:
    return t(key, inputs.lang, **kw)


def _status_word(status: str, lang: str) -> str:
    return f"{STATUS_SYMBOLS[status]} {t(f'status.{status}', lang)}"


def _reason_texts(details: Sequence[Any], lang: str) -> list[str]:
    return [fmt.reason_text(d, lang) for d in details]


def _day(d: Any, lang: str) -> str:
    if d is None:
        return fmt.DASH
    return fmt.day(d if isinstance(d, (str, dt.date)) else pd.Timestamp(d).date(), lang)


def _current_phase(inputs: BriefInputs) -> tuple[int | None, str, dict | None]:
    ph = inputs.figures["phases"]
    cur = ph.get("current_phase")
    if cur is None:
        return None, "", None
    phases = inputs.ledgers.phases
    names = dict(zip(phases["phase_no"].astype(int), phases["phase_name"]))
    from duzhan.charts.phases import phase_label

    entry = next((p for p in ph["by_phase"] if p["phase_no"] == cur), None)
    return cur, phase_label(cur, names.get(cur, ""), inputs.lang), entry


def kpi_lines(inputs: BriefInputs) -> list[tuple[str, str]]:
    """(label, sentence) of the headline figures on the cover."""
    lang, f = inputs.lang, inputs.figures
    iss, fun, loa = f["issues"], f["funds"], f["loans"]
    forecast = (_day(iss["forecast_clear_date"], lang) if iss["forecast_clear_date"]
                else _tt(inputs, "exports.brief.forecast_none"))
    cur, label, entry = _current_phase(inputs)
    if cur is None or entry is None:
        phase_text = _tt(inputs, "exports.brief.kpi.no_phase")
    else:
        phase_text = _tt(inputs, "exports.brief.kpi.phases_text", phase=label,
                         completion=fmt.pct(entry["completion"]),
                         expected=fmt.pct(entry["expected"]),
                         overdue=fmt.count(entry["tasks_overdue"]))
    return [
        (_tt(inputs, "exports.brief.kpi.issues"),
         _tt(inputs, "exports.brief.kpi.issues_text", open=fmt.count(iss["open"]),
             overdue=fmt.count(iss["overdue_open"]), rate=fmt.pct(iss["closure_rate"]),
             forecast=forecast)),
        (_tt(inputs, "exports.brief.kpi.funds"),
         _tt(inputs, "exports.brief.kpi.funds_text", rate=fmt.pct(fun["disbursement_rate"]),
             tp=fmt.pct(fun["time_progress"]), gap=fmt.pp(fun["progress_gap"]),
             stalled=fmt.count(fun["stalled_projects"]))),
        (_tt(inputs, "exports.brief.kpi.loans"),
         _tt(inputs, "exports.brief.kpi.loans_text", balance=fmt.wan(loa["balance"], lang),
             rate=fmt.pct(loa["overdue_rate"]), overdue=fmt.count(loa["overdue_loans"]))),
        (_tt(inputs, "exports.brief.kpi.phases"), phase_text),
    ]


def status_counts(inputs: BriefInputs) -> dict[str, int]:
    return {s: sum(1 for e in inputs.report["townships"] if e["status"] == s)
            for s in STATUS_ORDER}


def attention_rows(inputs: BriefInputs) -> list[dict[str, Any]]:
    """The overview page's “needs attention” table: rank, township, status, reasons (as
    sentences), overdue issues, loan overdue rate, funds gap, score."""
    from duzhan.metrics.status import attention_ranking, scope_status

    lang = inputs.lang
    by_code = {e["township_code"]: e for e in inputs.report["townships"]}
    sep = t("overview.sep", lang)
    rows = []
    for r in attention_ranking(inputs.report):
        e = by_code[r["township_code"]]
        details = {x.code: x for x in scope_status(e)[1]}
        reasons = _reason_texts([details.get(c, c) for c in e["status_reasons"]], lang)
        rows.append({
            "rank": r["rank"], "township": r["township_name"], "status": r["status"],
            "reasons": sep.join(reasons) or t("reason.none", lang),
            "overdue_open": fmt.count(e["issues"]["overdue_open"]),
            "overdue_rate": fmt.pct(e["loans"]["overdue_rate"]),
            "progress_gap": fmt.pct(e["funds"]["progress_gap"], signed=True),
            "score": f"{r['score']:.2f}",
        })
    return rows


ATTENTION_COLUMNS = ("rank", "township", "status", "reasons", "overdue_open", "overdue_rate",
                     "progress_gap", "score")
ATTENTION_WIDTHS = (0.055, 0.09, 0.075, 0.48, 0.075, 0.085, 0.075, 0.065)


# --------------------------------------------------------------------------- charts


@dataclass
class Slot:
    """A place on a page (figure fractions x, y, w, h) for a chart, the map or a table."""

    rect: tuple[float, float, float, float]
    kind: str  # "chart" | "map" | "table" | "text"
    make: Callable[[], Any] | None = None  # chart: () → go.Figure
    png: bytes | None = None
    payload: Any = None


@dataclass
class Page:
    key: str  # "cover" | topic
    title: str
    note: str = ""
    slots: list[Slot] = field(default_factory=list)


def _slot_px(rect: tuple[float, float, float, float]) -> tuple[int, int]:
    return (round(rect[2] * PAGE_W * PX_PER_IN), round(rect[3] * PAGE_H * PX_PER_IN))


def _stamp_kw(inputs: BriefInputs) -> dict[str, str]:
    return {"scope": inputs.stamp.scope, "as_of": fmt.day(inputs.as_of, inputs.lang)}


def _fit(fig, rect):
    """The figure resized to its slot, legends kept inside."""
    w, h = _slot_px(rect)
    return fit_layout(fig, w, h)


def _phases_slots(inputs: BriefInputs) -> list[Slot]:
    from duzhan.charts import phases as pc
    from duzhan.metrics import phases as pm

    lang, D = inputs.lang, inputs.as_of
    L = inputs.ledgers
    phases = L.phases.sort_values("phase_no").reset_index(drop=True)
    ph = inputs.figures["phases"]
    kw = _stamp_kw(inputs)
    top_h = 0.27
    top = (LEFT, TOP - top_h, RIGHT - LEFT, top_h)
    low_h = TOP - top_h - GAP - BOTTOM
    narrow = (RIGHT - LEFT - GAP) * 0.42
    left = (LEFT, BOTTOM, narrow, low_h)
    right = (LEFT + narrow + GAP, BOTTOM, RIGHT - LEFT - GAP - narrow, low_h)
    if phases.empty:
        return [Slot((LEFT, BOTTOM, RIGHT - LEFT, TOP - BOTTOM), "text",
                     payload=_tt(inputs, "exports.brief.no_data"))]
    table = pm.township_phase_table(L.phases, L.tasks, D, townships=inputs.township_rows)
    slots = [
        Slot(top, "chart", lambda: _fit(pc.gantt_figure(
            phases, ph["by_phase"], as_of=D, current=ph["current_phase"], lang=lang,
            title=t("phases.title.gantt", lang, **kw)), top)),
        Slot(left, "chart", lambda: _fit(pc.completion_figure(
            phases, ph["by_phase"], current=ph["current_phase"], behind=ph.get("behind"),
            lang=lang, title=t("phases.title.completion", lang, **kw)), left)),
    ]
    if len(table):
        slots.append(Slot(right, "chart", lambda: _fit(pc.heat_figure(
            table, phases, inputs.names, lang=lang,
            title=t("phases.title.heat", lang, **kw)), right)))
    return slots


def burndown_inputs(inputs: BriefInputs) -> dict[str, Any]:
    """series, ideal line, target, forecast and band of the issue burndown, with the issue
    page's defaults: the ideal line runs from the peak of open issues
    (``metrics.issues.peak_open_date``) to the clearance target."""
    from duzhan.metrics import issues as im

    D = inputs.as_of
    L = inputs.ledgers
    phases = L.phases.sort_values("phase_no").reset_index(drop=True)
    series = im.burndown_series(L.issues, phases, D)
    iss = inputs.figures["issues"]
    target = iss["clearance_target"]
    start = pd.Timestamp(im.peak_open_date(series)) if len(series) else pd.Timestamp(D)
    at = series.loc[series["date"] == start, "open"] if len(series) else []
    open_at_start = int(at.iloc[0]) if len(at) else 0
    ideal = im.ideal_line(open_at_start, start, target) if target else pd.DataFrame(
        {"date": [], "ideal": []})
    return {"series": series, "ideal": ideal, "target": target,
            "forecast": iss["forecast_clear_date"], "band": im.forecast_band(L.issues, D)}


def _issues_slots(inputs: BriefInputs) -> list[Slot]:
    from duzhan.charts import issues as ic
    from duzhan.metrics import issues as im

    lang, D, kw = inputs.lang, inputs.as_of, _stamp_kw(inputs)
    b = burndown_inputs(inputs)
    wide = (RIGHT - LEFT - GAP) * 0.64
    left = (LEFT, BOTTOM, wide, TOP - BOTTOM)
    right = (LEFT + wide + GAP, BOTTOM, RIGHT - LEFT - GAP - wide, TOP - BOTTOM)

    def breakdown():
        table = im.breakdown(inputs.ledgers.issues, D, "township_code",
                             groups=inputs.township_rows)
        table["group"] = [inputs.names.get(c, c) for c in table["township_code"]]
        return _fit(ic.breakdown_figure(table, "group", lang=lang, title=t(
            "issues.title.breakdown", lang, by=t("issues.by.township_code", lang), **kw)), right)

    return [
        Slot(left, "chart", lambda: _fit(ic.burndown_figure(
            b["series"], b["ideal"], as_of=D, target=b["target"], forecast_date=b["forecast"],
            band=b["band"], lang=lang, title=t("issues.title.burndown", lang, **kw)), left)),
        Slot(right, "chart", breakdown),
    ]


def _halves() -> tuple[tuple[float, float, float, float], tuple[float, float, float, float]]:
    """The left and right half of a page's content area, as (x, y, width, height)."""
    half = (RIGHT - LEFT - GAP) / 2
    return (LEFT, BOTTOM, half, TOP - BOTTOM), (LEFT + half + GAP, BOTTOM, half, TOP - BOTTOM)


def _funds_slots(inputs: BriefInputs) -> list[Slot]:
    from duzhan.charts import funds as fc
    from duzhan.metrics import funds as fm

    lang, D, L = inputs.lang, inputs.as_of, inputs.ledgers
    left, right = _halves()
    scope = inputs.stamp.scope
    return [
        Slot(left, "chart", lambda: _fit(fc.rate_vs_time(
            fm.funds_series(L.projects, L.disbursements, D), lang=lang, scope=scope,
            as_of=D), left)),
        Slot(right, "chart", lambda: _fit(fc.breakdown_bars(
            fm.breakdown(L.projects, L.disbursements, D, "township_code"), by="township_code",
            time_progress=fm.time_progress(D), lang=lang, scope=scope, as_of=D,
            labels=inputs.names), right)),
    ]


def _loans_slots(inputs: BriefInputs) -> list[Slot]:
    from duzhan.charts import loans as lc
    from duzhan.metrics import loans as lm

    lang, D, L = inputs.lang, inputs.as_of, inputs.ledgers
    left, right = _halves()
    scope = inputs.stamp.scope
    return [
        Slot(left, "chart", lambda: _fit(lc.overdue_rate_bars(
            lm.breakdown(L.loans, L.repayments, D, "township_code"), by="township_code",
            lang=lang, scope=scope, as_of=D, labels=inputs.names), left)),
        Slot(right, "chart", lambda: _fit(lc.aging_buckets(
            inputs.figures["loans"]["buckets"], lang=lang, scope=scope, as_of=D), right)),
    ]


# --------------------------------------------------------------------------- the plan

ROW_UNIT = 0.028  # height of one text line of the attention table (figure fraction)
REASON_CHARS = 36  # width of the reasons column in CJK characters


def _reason_lines(text: str, lang: str) -> list[str]:
    from duzhan.exports.mapimage import _wrap

    return _wrap(text, REASON_CHARS * 2 if lang == "zh" else int(REASON_CHARS * 1.9)).split("\n")


def _attention_chunks(inputs: BriefInputs) -> list[list[dict[str, Any]]]:
    """The table rows split over pages so that every row fits in the content frame."""
    rows = attention_rows(inputs)
    avail = TOP - BOTTOM - 0.05 - ROW_UNIT * 1.4  # the note line and the header row
    chunks, cur, used = [], [], 0.0
    for r in rows:
        r["lines"] = _reason_lines(r["reasons"], inputs.lang)
        h = ROW_UNIT * (len(r["lines"]) + 0.5)
        if cur and used + h > avail:
            chunks.append(cur)
            cur, used = [], 0.0
        cur.append(r)
        used += h
    chunks.append(cur)
    return chunks


def plan(inputs: BriefInputs) -> list[Page]:
    """The pages, in order, with their slots (charts not rendered yet)."""
    lang = inputs.lang
    f = inputs.figures
    iss, fun, loa = f["issues"], f["funds"], f["loans"]
    pages = [Page("cover", _tt(inputs, "exports.brief.cover_title"))]

    map_rect = (LEFT, BOTTOM, 0.70, TOP - BOTTOM)
    pages.append(Page("map", _tt(inputs, "exports.brief.page.map"),
                      _tt(inputs, "exports.brief.map_note"),
                      [Slot(map_rect, "map")]))

    cur, label, entry = _current_phase(inputs)
    note = "" if entry is None else _tt(
        inputs, "exports.brief.phases_note", phase=label, completion=fmt.pct(entry["completion"]),
        expected=fmt.pct(entry["expected"]), overdue=fmt.count(entry["tasks_overdue"]))
    pages.append(Page("phases", _tt(inputs, "exports.brief.page.phases"), note,
                      _phases_slots(inputs)))

    forecast = (_day(iss["forecast_clear_date"], lang) if iss["forecast_clear_date"]
                else _tt(inputs, "exports.brief.forecast_none"))
    pages.append(Page("issues", _tt(inputs, "exports.brief.page.issues"), _tt(
        inputs, "exports.brief.issues_note", open=fmt.count(iss["open"]),
        overdue=fmt.count(iss["overdue_open"]), c28=fmt.count(iss["closed_last_28d"]),
        forecast=forecast, target=_day(iss["clearance_target"], lang)), _issues_slots(inputs)))

    pages.append(Page("funds", _tt(inputs, "exports.brief.page.funds"), _tt(
        inputs, "exports.brief.funds_note", allocated=fmt.wan(fun["allocated"], lang),
        disbursed=fmt.wan(fun["disbursed"], lang), rate=fmt.pct(fun["disbursement_rate"]),
        tp=fmt.pct(fun["time_progress"]), gap=fmt.pp(fun["progress_gap"]),
        stalled=fmt.count(fun["stalled_projects"])), _funds_slots(inputs)))

    pages.append(Page("loans", _tt(inputs, "exports.brief.page.loans"), _tt(
        inputs, "exports.brief.loans_note", active=fmt.count(loa["active_loans"]),
        balance=fmt.wan(loa["balance"], lang), overdue=fmt.count(loa["overdue_loans"]),
        overdue_balance=fmt.wan(loa["overdue_balance"], lang), rate=fmt.pct(loa["overdue_rate"]),
        due=fmt.count(loa["due_30d_loans"])), _loans_slots(inputs)))

    table_rect = (LEFT, BOTTOM, RIGHT - LEFT, TOP - BOTTOM)
    for i, chunk in enumerate(_attention_chunks(inputs)):
        title = _tt(inputs, "exports.brief.page.attention")
        if i:
            title += _tt(inputs, "exports.brief.continued")
        pages.append(Page("attention", title, _tt(inputs, "exports.brief.attention_note"),
                          [Slot(table_rect, "table", payload=chunk)]))
    return pages


def render_charts(pages: Sequence[Page]) -> None:
    """Render every chart slot to PNG (kaleido, one browser tab, 2× the slot's pixels)."""
    for page in pages:
        for slot in page.slots:
            if slot.kind == "chart" and slot.png is None:
                fig = slot.make()
                slot.png = render_png(fig, scale=CHART_SCALE)


# --------------------------------------------------------------------------- PDF


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
    left = f"{_tt(inputs, 'exports.name.brief')} · {inputs.stamp.scope} · " \
           f"{t('stamp.line', inputs.lang, scope=inputs.stamp.scope, as_of=inputs.stamp.as_of_text, cutoff=inputs.stamp.cutoff_text).split(' · ', 1)[1]}"
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


def _draw_cover(fig, inputs: BriefInputs) -> None:
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
    y -= 0.075
    counts = status_counts(inputs)
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
                 ha="center", va="center", color="white", fontsize=12, fontweight="bold")
        x += w
    y -= 0.06
    scope_status = inputs.figures["status"]
    fig.text(0.06, y, _tt(inputs, "exports.brief.scope_status", scope=inputs.stamp.scope,
                          status=_status_word(scope_status, lang)),
             fontsize=12.5, fontweight="bold", color=STATUS_COLORS[scope_status], va="baseline")
    reasons = _reason_texts(inputs.figures["status_details"], lang) or [
        _tt(inputs, "exports.brief.no_reasons")]
    y -= 0.045
    for r in reasons[:6]:
        fig.text(0.075, y, f"· {r}", fontsize=10.5, color=mplstyle.INK, va="baseline")
        y -= 0.036
    y -= 0.02
    for label, text in kpi_lines(inputs):
        fig.text(0.06, y, label, fontsize=11.5, fontweight="bold", color="#0B3C5D",
                 va="baseline")
        fig.text(0.16, y, text, fontsize=11, color=mplstyle.INK, va="baseline")
        y -= 0.04
    fig.text(0.06, 0.085, _tt(inputs, "exports.brief.contents"), fontsize=10,
             color=mplstyle.MUTED, va="baseline")
    made = inputs.made_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
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
                         fontsize=10, fontweight="bold", color=STATUS_COLORS[r["status"]])
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
        _draw_cover(fig, inputs)
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


# --------------------------------------------------------------------------- PPTX


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
            png = _page_png(inputs, lambda f: _draw_cover(f, inputs), (PAGE_W, PAGE_H), dpi=150)
            slide.shapes.add_picture(io.BytesIO(png), 0, 0, prs.slide_width, prs.slide_height)
            _pptx_text(slide, box((0.06, 0.84, 0.88, 0.09)),
                       _tt(inputs, "exports.brief.cover_title"), 1, hidden=True)
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

                    png = _page_png(inputs, lambda f: draw_map(
                        f, (0, 0, w / full[2], 1), inputs.boundaries, inputs.county_report,
                        "status", inputs.lang, scope=inputs.codes,
                        legend_rect=(w / full[2] + 0.02, 0, 1 - w / full[2] - 0.02, 1),
                        label_size=10), (full[2] * PAGE_W, full[3] * PAGE_H))
                    slide.shapes.add_picture(io.BytesIO(png), *box(full))
                elif slot.kind == "table":
                    _pptx_table(slide, box(slot.rect), slot.payload, inputs)
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


def _pptx_table(slide, box, rows: list[dict[str, Any]], inputs: BriefInputs) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Pt

    left, top, width, height = box
    if not rows:
        _pptx_text(slide, box, _tt(inputs, "exports.brief.no_townships"), 14)
        return
    n_rows = len(rows) + 1
    row_h = Emu(int(Pt(22)))
    shape = slide.shapes.add_table(n_rows, len(ATTENTION_COLUMNS), left, top, width,
                                   Emu(row_h * n_rows))
    table = shape.table
    total = sum(ATTENTION_WIDTHS)
    for i, cw in enumerate(ATTENTION_WIDTHS):
        table.columns[i].width = Emu(int(width * cw / total))

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

    for i, col in enumerate(ATTENTION_COLUMNS):
        put(table.cell(0, i), _tt(inputs, f"exports.brief.col.{col}"), bold=True, color="FFFFFF")
    for k, r in enumerate(rows, 1):
        # PowerPoint grows a row to its text, LibreOffice and WPS keep the stored height:
        # store the height the wrapped reasons need
        lines = len(_reason_lines(str(r["reasons"]), inputs.lang))
        table.rows[k].height = Emu(int(Pt(max(22, 8 + 12 * lines))))
        for i, col in enumerate(ATTENTION_COLUMNS):
            if col == "status":
                put(table.cell(k, i), _status_word(r["status"], inputs.lang), bold=True,
                    color=STATUS_COLORS[r["status"]].lstrip("#"))
            else:
                put(table.cell(k, i), str(r[col]), size=9 if col == "reasons" else 10,
                    bold=col == "township")


# --------------------------------------------------------------------------- one call


def build_brief(inputs: BriefInputs, kind: str = "pdf") -> tuple[bytes, str, str]:
    """(bytes, file name, MIME type) of the pack as ``kind`` = "pdf" or "pptx"."""
    if kind == "pdf":
        return brief_pdf(inputs), brief_file_name(inputs, "pdf"), PDF_MIME
    if kind == "pptx":
        return brief_pptx(inputs), brief_file_name(inputs, "pptx"), PPTX_MIME
    raise ValueError(f"unknown briefing format: {kind!r}")


__all__ = [
    "BriefInputs", "brief_inputs", "brief_pdf", "brief_pptx", "build_brief", "brief_file_name",
    "plan", "attention_rows", "kpi_lines", "burndown_inputs", "TOPICS", "PDF_MIME", "PPTX_MIME",
]
