"""Chart builders of the phase and issue pages, on tiny hand-made frames."""
import datetime as dt
import math

from duzhan.charts import issues as ic
from duzhan.charts import phases as pc
from duzhan.metrics import issues as im
from duzhan.metrics import phases as pm
from duzhan.metrics.frames import Ledgers
from duzhan.presentation.palette import ACCENT, STATUS_COLORS

D = dt.date(2024, 6, 30)
CJK = "Noto Sans CJK SC"


def trace(fig, meta):
    hits = [tr for tr in fig.data if tr.meta == meta]
    assert len(hits) == 1, [tr.meta for tr in fig.data]
    return hits[0]


def tiny():
    return Ledgers.from_records(
        phases=[
            {"phase_no": 1, "phase_name": "动员", "start_date": "2024-06-01", "end_date": "2024-06-20"},
            {"phase_no": 2, "phase_name": "整改", "start_date": "2024-06-21", "end_date": "2024-07-10"},
        ],
        tasks=[
            {"task_id": "T1", "phase_no": 1, "township_code": "01", "task_name": "a",
             "due_date": "2024-06-10", "done_date": "2024-06-09"},
            {"task_id": "T2", "phase_no": 1, "township_code": "02", "task_name": "b",
             "due_date": "2024-06-15"},
            {"task_id": "T3", "phase_no": 2, "township_code": "01", "task_name": "c",
             "due_date": "2024-07-05"},
            {"task_id": "T4", "phase_no": 2, "township_code": None, "task_name": "县",
             "due_date": "2024-07-05", "done_date": "2024-06-25"},
        ],
        issues=[
            # found 06-01..06-03, closed 06-10 and 06-29, one open (deadline 07-15)
            {"issue_id": "I1", "township_code": "01", "department": "县水利局", "source": "审计",
             "category": "饮水安全", "found_date": "2024-06-01", "deadline": "2024-06-20",
             "closed_date": "2024-06-10"},
            {"issue_id": "I2", "township_code": "01", "department": "县水利局", "source": "审计",
             "category": "饮水安全", "found_date": "2024-06-02", "deadline": "2024-06-25",
             "closed_date": "2024-06-29"},
            {"issue_id": "I3", "township_code": "02", "department": "县教育局", "source": "督查暗访",
             "category": "义务教育", "found_date": "2024-06-03", "deadline": "2024-06-28"},
            {"issue_id": "I4", "township_code": "02", "department": "县教育局", "source": "督查暗访",
             "category": "义务教育", "found_date": "2024-06-20", "deadline": "2024-07-15"},
        ],
    )


# ── issues ────────────────────────────────────────────────────────────────────────────

def test_burndown_agrees_with_series_ideal_forecast_and_band():
    L = tiny()
    series = im.burndown_series(L.issues, L.phases, D)
    # 06-01 … 06-30 = 30 days; open(06-30) = 4 found − 2 closed = 2
    assert len(series) == 30 and series["open"].iloc[-1] == 2
    ideal = im.ideal_line(int(series["open"].iloc[0]), "2024-06-01", "2024-07-15")
    band = {"p50": dt.date(2024, 7, 20), "p85": dt.date(2024, 8, 10), "runs": 10, "window_days": 28}
    fig = ic.burndown_figure(series, ideal, as_of=D, target=dt.date(2024, 7, 15),
                             forecast_date=dt.date(2024, 7, 28), band=band, title="燃尽 · 全县")
    op = trace(fig, "open")
    assert list(op.x) == [d.date().isoformat() for d in series["date"]]
    assert list(op.y) == series["open"].tolist()
    il = trace(fig, "ideal")
    # open(S) = open(06-01) = 1 found, 0 closed = 1; reaches 0 at T = 07-15, d(S, T) = 29 + 15 = 44 days
    assert il.x[0] == "2024-06-01" and il.y[0] == 1.0
    assert il.x[-1] == "2024-07-15" and il.y[-1] == 0.0
    assert math.isclose(il.y[1], 1 * 43 / 44)
    fc = trace(fig, "forecast")
    assert list(fc.x) == ["2024-06-30", "2024-07-28"] and list(fc.y) == [2, 0]
    bd = trace(fig, "band")
    assert list(bd.x) == ["2024-06-30", "2024-07-20", "2024-08-10", "2024-06-30"]
    assert list(bd.y) == [2, 0, 0, 2]
    # target line at T, labelled; the title; the CJK font
    assert [s.x0 for s in fig.layout.shapes] == ["2024-07-15"]
    assert fig.layout.annotations[0].text == "目标 2024年7月15日"  # a date as format.day writes it
    assert fc.name == "按近28天净销号速度预计（2024年7月28日 清零）"
    # dates in Chinese on the axis and in every hover: plotly's own month names are English
    assert fig.layout.xaxis.tickformat == "%Y年%-m月"
    assert fig.layout.xaxis.hoverformat == "%Y年%-m月%-d日"
    assert all("%{x|%Y年%-m月%-d日}" in tr.hovertemplate for tr in fig.data if tr.hovertemplate)
    assert fig.layout.title.text == "燃尽 · 全县"
    assert CJK in fig.layout.font.family
    # the x range shows the latest of target, forecast and P85
    assert fig.layout.xaxis.range[0] == "2024-06-01" and fig.layout.xaxis.range[1] > "2024-08-10"


def test_burndown_without_forecast_or_target():
    L = tiny()
    series = im.burndown_series(L.issues, L.phases, D)
    empty = im.ideal_line(0, "2024-06-01", None)
    fig = ic.burndown_figure(series, empty, as_of=D, target=None, forecast_date=None,
                             band=None, title="x", lang="en")
    assert [tr.meta for tr in fig.data] == ["open"]
    assert fig.data[0].name == "Open"
    assert fig.layout.xaxis.hoverformat == "%Y-%m-%d" and "%{x|%Y-%m-%d}" in fig.data[0].hovertemplate
    assert not fig.layout.shapes


def test_burnup_ends_at_found_and_closed():
    L = tiny()
    series = im.burndown_series(L.issues, L.phases, D)
    fig = ic.burnup_figure(series, title="燃起")
    assert trace(fig, "found").y[-1] == 4
    assert trace(fig, "closed").y[-1] == 2
    # found(06-02) = 2, closed(06-10) = 1
    assert trace(fig, "found").y[1] == 2
    assert trace(fig, "closed").y[9] == 1


def test_breakdown_bars_stack_to_found():
    L = tiny()
    table = im.breakdown(L.issues, D, "township_code")
    table["label"] = ["甲乡", "乙乡"]
    fig = ic.breakdown_figure(table, "label", title="按乡镇")
    # 01: found 2, closed 2; 02: found 2, open 2, overdue 1 (I3 deadline 06-28 < D)
    assert list(trace(fig, "closed").x) == [2, 0]
    assert list(trace(fig, "open_not_overdue").x) == [0, 1]
    assert list(trace(fig, "overdue_open").x) == [0, 1]
    assert trace(fig, "overdue_open").marker.color == STATUS_COLORS["red"]
    assert fig.layout.barmode == "stack"


def test_days_between():
    assert ic.days_between(dt.date(2024, 6, 30), dt.date(2024, 7, 2)) == 2
    assert ic.days_between(None, dt.date(2024, 7, 2)) is None


# ── phases ────────────────────────────────────────────────────────────────────────────

def test_gantt_bars_span_phases_and_mark_today():
    L = tiny()
    m = pm.phase_metrics(L.phases, L.tasks, D)
    assert m["current_phase"] == 2
    fig = pc.gantt_figure(L.phases, m["by_phase"], as_of=D, current=2, title="阶段")
    bars = trace(fig, "phases")
    assert list(bars.base) == ["2024-06-01", "2024-06-21"]
    # 20 and 20 days, whole end day included
    assert list(bars.x) == [20 * pc.DAY_MS, 20 * pc.DAY_MS]
    assert list(bars.marker.color) == [pc.PAST_COLOR, ACCENT]
    # current phase: ends 07-10, D = 06-30 → 10 days left; 1 of 2 tasks done
    assert "剩 10 天" in bars.text[1] and "50.0%" in bars.text[1]
    assert fig.layout.shapes[0].x0 == "2024-06-30"
    assert fig.layout.yaxis.autorange == "reversed"


def test_completion_bars_expected_markers_and_behind():
    L = tiny()
    m = pm.phase_metrics(L.phases, L.tasks, D)
    # phase 1: 1/2 done, expected 1; phase 2: 1/2 done (T4 county-wide), expected 10/20
    fig = pc.completion_figure(L.phases, m["by_phase"], current=2, behind=m["behind"], title="t")
    assert list(trace(fig, "completion").y) == [0.5, 0.5]
    assert list(trace(fig, "expected").y) == [1.0, 0.5]
    assert m["behind"] is False
    assert trace(fig, "completion").marker.color[1] == ACCENT
    behind = pc.completion_figure(L.phases, m["by_phase"], current=2, behind=True, title="t",
                                  lang="en")
    assert behind.data[0].marker.color[1] == STATUS_COLORS["red"]
    assert "behind" in behind.data[0].text[1]


def test_completion_without_tasks_shows_no_bar():
    L = tiny()
    by_phase = [{"phase_no": 1, "completion": None, "expected": 1.0},
                {"phase_no": 2, "completion": 0.25, "expected": 0.5}]
    fig = pc.completion_figure(L.phases, by_phase, current=None, behind=None, title="t")
    assert list(trace(fig, "completion").y) == [None, 0.25]
    assert trace(fig, "completion").text[0] == "无任务"


def test_heat_values_and_labels():
    L = tiny()
    table = pm.township_phase_table(L.phases, L.tasks, D, townships=["01", "02", "03"])
    fig = pc.heat_figure(table, L.phases, {"01": "甲乡", "02": "乙乡"}, title="热力")
    heat = trace(fig, "heat")
    assert list(heat.y) == ["甲乡", "乙乡", "03"]
    assert list(heat.x) == ["1. 动员", "2. 整改"]
    # 01: phase 1 done 1/1, phase 2 0/1; 02: phase 1 0/1, no phase-2 task; 03: nothing
    assert [list(r) for r in heat.z] == [[1.0, 0.0], [0.0, None], [None, None]]
    assert [list(r) for r in heat.text] == [["100.0%", "0.0%"], ["0.0%", "—"], ["—", "—"]]


def test_meeting_mode_is_bigger():
    L = tiny()
    m = pm.phase_metrics(L.phases, L.tasks, D)
    small = pc.completion_figure(L.phases, m["by_phase"], current=2, behind=False, title="t")
    big = pc.completion_figure(L.phases, m["by_phase"], current=2, behind=False, title="t",
                               meeting=True)
    assert big.layout.height > small.layout.height
    assert big.layout.font.size > small.layout.font.size
