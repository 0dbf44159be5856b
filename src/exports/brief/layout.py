"""The pack's pages and where each chart, map, table or text sits on them (figure
fractions of an A4-landscape page); the charts are the dashboard's own plotly builders."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from duzhan.exports.brief import content
from duzhan.exports.brief.inputs import BriefInputs
from duzhan.exports.stamp import fit_layout, render_png
from duzhan.i18n import t
from duzhan.presentation import format as fmt

PAGE_W, PAGE_H = 11.69, 8.27  # A4 landscape, inches
PX_PER_IN = 100  # plotly layout pixels per inch of slot: 13 px type ≈ 9.4 pt on paper
CHART_SCALE = 2  # → 200 dpi
TOPICS = ("map", "phases", "issues", "funds", "loans", "attention")
ATTENTION_COLUMNS = content.common.ATTENTION_COLUMNS
ATTENTION_WIDTHS = (0.055, 0.09, 0.075, 0.48, 0.075, 0.085, 0.075, 0.065)

# content frame (figure fractions) below the header and above the footer
LEFT, RIGHT = 0.035, 0.965
TOP = 0.84  # below title, stamp line and note
BOTTOM = 0.075
GAP = 0.02



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
                     payload=content.tt(inputs, "exports.brief.no_data"))]
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



def _issues_slots(inputs: BriefInputs) -> list[Slot]:
    from duzhan.charts import issues as ic
    from duzhan.metrics import issues as im

    lang, D, kw = inputs.lang, inputs.as_of, _stamp_kw(inputs)
    b = content.burndown_inputs(inputs)
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


def reason_lines(text: str, lang: str) -> list[str]:
    from duzhan.exports.mapimage import _wrap

    return _wrap(text, REASON_CHARS * 2 if lang == "zh" else int(REASON_CHARS * 1.9)).split("\n")


def _attention_chunks(inputs: BriefInputs) -> list[list[dict[str, Any]]]:
    """The table rows split over pages so that every row fits in the content frame."""
    rows = content.attention_rows(inputs)
    avail = TOP - BOTTOM - 0.05 - ROW_UNIT * 1.4  # the note line and the header row
    chunks, cur, used = [], [], 0.0
    for r in rows:
        r["lines"] = reason_lines(r["reasons"], inputs.lang)
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
    notes = content.page_notes(inputs)

    def title(topic: str) -> str:
        return content.tt(inputs, f"exports.brief.page.{topic}")

    map_rect = (LEFT, BOTTOM, 0.70, TOP - BOTTOM)
    pages = [
        Page("cover", content.tt(inputs, "exports.brief.cover_title")),
        Page("map", title("map"), notes["map"], [Slot(map_rect, "map")]),
        Page("phases", title("phases"), notes["phases"], _phases_slots(inputs)),
        Page("issues", title("issues"), notes["issues"], _issues_slots(inputs)),
        Page("funds", title("funds"), notes["funds"], _funds_slots(inputs)),
        Page("loans", title("loans"), notes["loans"], _loans_slots(inputs)),
    ]
    table_rect = (LEFT, BOTTOM, RIGHT - LEFT, TOP - BOTTOM)
    for i, chunk in enumerate(_attention_chunks(inputs)):
        name = title("attention") + (content.tt(inputs, "exports.brief.continued") if i else "")
        pages.append(Page("attention", name, notes["attention"],
                          [Slot(table_rect, "table", payload=chunk)]))
    return pages


def render_charts(pages: Sequence[Page]) -> None:
    """Render every chart slot to PNG (kaleido, one browser tab, 2× the slot's pixels)."""
    for page in pages:
        for slot in page.slots:
            if slot.kind == "chart" and slot.png is None:
                fig = slot.make()
                slot.png = render_png(fig, scale=CHART_SCALE)

