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
# one page each (a long table continues on further pages); "tasks" follows the phases
# page with its overdue tasks, "overdue" the issues page with its overdue issues;
# "supervision" (督导: coverage and reports) when the scope holds supervisions or reports,
# followed by "summons" (the 约谈 list) when any unit is due one; the households page is
# followed by its households waiting for assistance, when there are any
TOPICS = ("map", "phases", "tasks", "issues", "overdue", "funds", "loans", "supervision",
          "households", "attention")

# content frame (figure fractions) below the header and above the footer
LEFT, RIGHT = 0.035, 0.965
TOP = 0.84  # below title, stamp line and note
BOTTOM = 0.075
GAP = 0.02
CARDS_H = 0.085  # the strip of cards with their change since last week
BODY_TOP = TOP - CARDS_H - GAP  # charts below the cards



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
    top_h = 0.25
    top = (LEFT, BODY_TOP - top_h, RIGHT - LEFT, top_h)
    low_h = BODY_TOP - top_h - GAP - BOTTOM
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
    left = (LEFT, BOTTOM, wide, BODY_TOP - BOTTOM)
    right = (LEFT + wide + GAP, BOTTOM, RIGHT - LEFT - GAP - wide, BODY_TOP - BOTTOM)

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
    """The left and right half of a page's content area below its cards, as (x, y, width,
    height)."""
    half = (RIGHT - LEFT - GAP) / 2
    h = BODY_TOP - BOTTOM
    return (LEFT, BOTTOM, half, h), (LEFT + half + GAP, BOTTOM, half, h)


def cards_slot(inputs: BriefInputs, topic: str) -> list[Slot]:
    """The strip of the page's cards with their change since last week (none when the
    topic has no cards, as the phases page without phases)."""
    changes = content.topic_changes(inputs).get(topic)
    if not changes:
        return []
    return [Slot((LEFT, TOP - CARDS_H, RIGHT - LEFT, CARDS_H), "cards", payload=changes)]


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


def _supervision_slots(inputs: BriefInputs) -> list[Slot]:
    """督导: this month's coverage per township (left) and the township × month report grid
    (right), the 督导 page's own charts."""
    from duzhan.charts import supervision as sc
    from duzhan.metrics import reports as rm
    from duzhan.viewmodels import supervision as sv

    lang, D, L = inputs.lang, inputs.as_of, inputs.ledgers
    left, right = _halves()
    scope = inputs.stamp.scope
    rows = [{"township_name": e["township_name"],
             **{k: sv.block(e, "supervision")[f] for k, f in (
                 ("coverage", "coverage_this_month"), ("visited", "visited_this_month"),
                 ("listed", "listed_objects"))}} for e in inputs.report["townships"]]
    slots = [Slot(left, "chart", lambda: _fit(sc.coverage_bars(
        rows, lang=lang, scope=scope, as_of=D), left))]
    if sv.block(inputs.figures, "reports")["reports_expected"] is None:
        slots.append(Slot(right, "text", payload=content.tt(
            inputs, "supervision.reports.not_in_use")))
    else:
        grid = rm.report_grid(L.townships, L.reports, L.phases, D, inputs.codes)
        slots.append(Slot(right, "chart", lambda: _fit(sc.report_grid_figure(
            grid, inputs.names, lang=lang, scope=scope, as_of=D), right)))
    return slots


def _households_slots(inputs: BriefInputs) -> list[Slot]:
    """The 户情 page's charts, from its own view model: the gaps week by week, the
    monitoring funnel, the sites against plan."""
    import plotly.graph_objects as go

    vm = content.households_model(inputs)
    third = (RIGHT - LEFT - 2 * GAP) / 3
    h = BODY_TOP - BOTTOM
    rects = [(LEFT + i * (third + GAP), BOTTOM, third, h) for i in range(3)]
    return [Slot(rect, "chart", lambda c=chart, r=rect: _fit(go.Figure(c.figure), r))
            for rect, chart in zip(rects, (vm.gaps_over_time, vm.funnel, vm.sites_chart),
                                   strict=True)]


# --------------------------------------------------------------------------- tables

ROW_UNIT = 0.028  # height of one text line of a table (figure fraction)
TABLE_AVAIL = TOP - BOTTOM - 0.05 - ROW_UNIT * 1.4  # below the header row, with a margin


@dataclass(frozen=True)
class TableColumn:
    """A column of a printed table: its header, its share of the width, how its text sits;
    `wrap`: the column breaks its text into lines of that many CJK characters;
    `status`: the cell holds a status code, printed as the status word in its colour."""

    key: str
    label: str
    width: float
    align: str = "left"
    wrap: int | None = None
    bold: bool = False
    status: bool = False


@dataclass
class TableBlock:
    """A printed table (or one page of it): columns, rows of cell texts (each with its
    wrapped `lines` per wrapping column) and the sentence shown when it has no row."""

    columns: tuple[TableColumn, ...]
    rows: list[dict[str, Any]]
    empty: str

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


def wrap_lines(text: str, chars: int, lang: str) -> list[str]:
    """`text` broken into lines of about `chars` CJK characters (Latin letters count half)."""
    from duzhan.exports.mapimage import _wrap

    return _wrap(text, chars * 2 if lang == "zh" else int(chars * 1.9)).split("\n")


def row_lines(block: TableBlock, row: dict[str, Any]) -> int:
    """How many text lines the row needs (its longest wrapped cell)."""
    return max([len(row["lines"][c.key]) for c in block.columns if c.wrap] or [1])


def row_height(block: TableBlock, row: dict[str, Any]) -> float:
    return ROW_UNIT * (row_lines(block, row) + 0.5)


def table_pages(columns: tuple[TableColumn, ...], rows: list[dict[str, Any]], empty: str,
                lang: str, avail: float = TABLE_AVAIL) -> list[TableBlock]:
    """The rows split over pages so that every row fits in the content frame."""
    for r in rows:
        r["lines"] = {c.key: wrap_lines(str(r[c.key]), c.wrap, lang) for c in columns if c.wrap}
    blocks, cur, used = [], [], 0.0
    probe = TableBlock(columns, [], empty)
    for r in rows:
        h = row_height(probe, r)
        if cur and used + h > avail:
            blocks.append(TableBlock(columns, cur, empty))
            cur, used = [], 0.0
        cur.append(r)
        used += h
    blocks.append(TableBlock(columns, cur, empty))
    return blocks


def _col(inputs: BriefInputs, key: str, width: float, **kw) -> TableColumn:
    return TableColumn(key, content.tt(inputs, f"exports.brief.col.{key}"), width, **kw)


REASON_CHARS = 32  # width of the attention table's reasons column in CJK characters


def attention_tables(inputs: BriefInputs) -> list[TableBlock]:
    """The overview's “needs attention” ranking with its reasons. The gap column holds a
    signed gap in points and its Chinese unit: at 0.075 it ran into the overdue rate."""
    c = lambda key, w, **kw: _col(inputs, key, w, **kw)  # noqa: E731
    columns = (c("rank", 0.05, align="right"), c("township", 0.085, bold=True),
               c("status", 0.07, status=True), c("reasons", 0.42, wrap=REASON_CHARS),
               c("overdue_open", 0.085, align="right"), c("overdue_rate", 0.09, align="right"),
               c("progress_gap", 0.135, align="right"), c("score", 0.065, align="right"))
    return table_pages(columns, content.attention_rows(inputs),
                       content.tt(inputs, "exports.brief.no_townships"), inputs.lang)


def overdue_tables(inputs: BriefInputs) -> list[TableBlock]:
    """Every overdue open issue, longest overdue first, with township and 责任单位."""
    c = lambda key, w, **kw: _col(inputs, key, w, **kw)  # noqa: E731
    columns = (c("rank", 0.045, align="right"), c("township", 0.08, bold=True),
               c("department", 0.12, bold=True), c("category", 0.08), c("issue_id", 0.1),
               c("deadline", 0.115), c("days_overdue", 0.075, align="right"),
               c("description", 0.385, wrap=28))
    return table_pages(columns, content.overdue_issue_rows(inputs),
                       content.tt(inputs, "exports.brief.overdue_none"), inputs.lang)


def task_tables(inputs: BriefInputs) -> list[TableBlock]:
    """Every overdue task, most overdue first, with township, 责任单位 and phase."""
    c = lambda key, w, **kw: _col(inputs, key, w, **kw)  # noqa: E731
    columns = (c("task_name", 0.3, wrap=22), c("township", 0.09, bold=True),
               c("department", 0.14, bold=True), c("phase", 0.18, wrap=12),
               c("due_date", 0.12), c("days_overdue", 0.08, align="right"),
               c("task_id", 0.09))
    return table_pages(columns, content.overdue_task_rows(inputs),
                       content.tt(inputs, "exports.brief.tasks_none"), inputs.lang)


def summons_tables(inputs: BriefInputs) -> list[TableBlock]:
    """The 约谈 list: each unit due a summons, its township, the two yellow cards' dates and
    the leaders who gave them."""
    c = lambda key, w, **kw: TableColumn(  # noqa: E731
        key, content.tt(inputs, f"supervision.col.{key}"), w, **kw)
    columns = (c("unit", 0.22, bold=True, wrap=14), c("township", 0.12, bold=True),
               c("first_date", 0.16), c("first_leader", 0.17), c("second_date", 0.16),
               c("second_leader", 0.17))
    rows = [{**r, "unit": r["unit_name"]} for r in content.summons_rows(inputs)]
    return table_pages(columns, rows, content.tt(inputs, "supervision.summons.none"),
                       inputs.lang)


def unassisted_tables(inputs: BriefInputs) -> list[TableBlock]:
    """The monitored households unassisted for more than 15 days, ids masked."""
    c = lambda key, w, **kw: _col(inputs, key, w, **kw)  # noqa: E731
    columns = (c("household", 0.13), c("township", 0.11, bold=True), c("village", 0.16),
               c("monitor_category", 0.17), c("risk", 0.14), c("identified_date", 0.15),
               c("days_waiting", 0.1, align="right"))
    rows = [{**r, "monitor_category": r["category"]} for r in content.unassisted_rows(inputs)]
    return table_pages(columns, rows, content.tt(inputs, "exports.brief.unassisted_none"),
                       inputs.lang)


# --------------------------------------------------------------------------- the plan


def plan(inputs: BriefInputs) -> list[Page]:
    """The pages, in order, with their slots (charts not rendered yet)."""
    notes = content.page_notes(inputs)

    def title(topic: str) -> str:
        return content.tt(inputs, f"exports.brief.page.{topic}")

    def table_pages_of(topic: str, note: str, blocks: list[TableBlock]) -> list[Page]:
        rect = (LEFT, BOTTOM, RIGHT - LEFT, TOP - BOTTOM)
        return [Page(topic, title(topic) + (content.tt(inputs, "exports.brief.continued")
                                            if i else ""), note,
                     [Slot(rect, "table", payload=block)])
                for i, block in enumerate(blocks)]

    map_rect = (LEFT, BOTTOM, 0.70, TOP - BOTTOM)
    return [
        Page("cover", content.tt(inputs, "exports.brief.cover_title")),
        Page("map", title("map"), notes["map"], [Slot(map_rect, "map")]),
        Page("phases", title("phases"), notes["phases"],
             cards_slot(inputs, "phases") + _phases_slots(inputs)),
        *table_pages_of("tasks", notes["phases"], task_tables(inputs)),
        Page("issues", title("issues"), notes["issues"],
             cards_slot(inputs, "issues") + _issues_slots(inputs)),
        *table_pages_of("overdue", content.overdue_issues_note(inputs), overdue_tables(inputs)),
        Page("funds", title("funds"), notes["funds"],
             cards_slot(inputs, "funds") + _funds_slots(inputs)),
        Page("loans", title("loans"), notes["loans"],
             cards_slot(inputs, "loans") + _loans_slots(inputs)),
        *supervision_pages(inputs, title, table_pages_of),
        Page("households", title("households"), notes["households"],
             cards_slot(inputs, "households") + _households_slots(inputs)),
        *_waiting_pages(inputs, notes["unassisted"]),
        *table_pages_of("attention", notes["attention"], attention_tables(inputs)),
    ]


def supervision_pages(inputs: BriefInputs, title, table_pages_of) -> list[Page]:
    """督导 (when the scope holds supervisions or reports): cards, coverage and the report
    grid; then the 约谈 list when any unit is due a summons."""
    if not content.supervision_in_use(inputs):
        return []
    note = content.supervision_note(inputs)
    blocks = summons_tables(inputs)
    return [Page("supervision", title("supervision"), note,
                 cards_slot(inputs, "supervision") + _supervision_slots(inputs)),
            *(table_pages_of("summons", note, blocks) if blocks[0].rows else [])]


def _waiting_pages(inputs: BriefInputs, note: str) -> list[Page]:
    """The households waiting more than 15 days, under the households page's key (none
    when nobody waits: the page's note says 0)."""
    blocks = unassisted_tables(inputs)
    if not blocks[0].rows:
        return []
    rect = (LEFT, BOTTOM, RIGHT - LEFT, TOP - BOTTOM)
    title = content.tt(inputs, "exports.brief.page.unassisted")
    return [Page("households", title + (content.tt(inputs, "exports.brief.continued")
                                        if i else ""), note, [Slot(rect, "table", payload=b)])
            for i, b in enumerate(blocks)]


def render_charts(pages: Sequence[Page]) -> None:
    """Render every chart slot to PNG (kaleido, one browser tab, 2× the slot's pixels)."""
    for page in pages:
        for slot in page.slots:
            if slot.kind == "chart" and slot.png is None:
                fig = slot.make()
                slot.png = render_png(fig, scale=CHART_SCALE)

