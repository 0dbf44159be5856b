"""Degenerate scopes and the layouts that must hold on a projector: one township has no
“by township” comparison (overview, funds, issues); an empty aging chart says so; a narrow status segment keeps a
horizontal label; the phases heatmap paints low completion darkest; the map table in
meeting mode lists red first; a meeting-mode table is every row, escaped."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.colors as pc

from duzhan.charts import overview as oc
from duzhan.charts import phases as phc
from duzhan.presentation.palette import LAGGARD_RAMP, STATUS_ORDER
from duzhan.viewmodels import funds, issues, loans, overview
from duzhan.viewmodels import map as mapmodel
from duzhan.viewmodels.source import LedgerSource
from duzhan.viewmodels.spec import Column, Table
from tests.viewmodels.conftest import campaign_day

TOWNSHIP = "522799111"  # 白岩乡


def test_one_township_is_not_compared(demo_ledgers):
    day = campaign_day(demo_ledgers, "mid")
    assert overview.build(LedgerSource(demo_ledgers, day)).compare is True
    one = overview.build(LedgerSource(demo_ledgers, day, codes=(TOWNSHIP,)))
    assert len(one.townships) == 1 and one.compare is False
    two = overview.build(LedgerSource(demo_ledgers, day, codes=(TOWNSHIP, "522799109")))
    assert two.compare is True


def test_one_township_has_no_by_township_tab_on_funds_and_issues(demo_ledgers):
    day = campaign_day(demo_ledgers, "mid")
    one = LedgerSource(demo_ledgers, day, codes=(TOWNSHIP,))
    note = "范围内只有白岩乡一个乡镇，没有可对比的乡镇；选择多个乡镇或全县查看对比。"
    fv, iv = funds.build(one), issues.build(one)
    assert fv.compare_note == note and iv.compare_note == note
    assert [c.name_key for _, c in fv.breakdowns] == ["funds_by_funding_source",
                                                      "funds_by_category"]
    assert [b.by for b in iv.breakdowns] == ["department", "source", "category"]
    for codes in (None, (TOWNSHIP, "522799109")):
        src = LedgerSource(demo_ledgers, day, codes=codes)
        fv, iv = funds.build(src), issues.build(src)
        assert fv.compare_note is None and iv.compare_note is None
        assert [c.name_key for _, c in fv.breakdowns] == [f"funds_by_{b}" for b in funds.BY]
        assert [b.by for b in iv.breakdowns] == list(issues.BY)


def test_aging_of_a_scope_without_overdue_loans_is_a_note(demo_ledgers):
    day = campaign_day(demo_ledgers, "mid")
    county = LedgerSource(demo_ledgers, day)
    clean = [e["township_code"] for e in county.report()["townships"]
             if not e["loans"]["overdue_balance"]]
    assert clean, "the demo county has a township with no overdue loan"
    fig = loans.build(LedgerSource(demo_ledgers, day, codes=(clean[0],))).aging.figure
    assert [a.text for a in fig.layout.annotations] == ["范围内没有逾期贷款，没有账龄可分。"]
    assert fig.layout.yaxis.visible is False
    shown = loans.build(county).aging.figure
    assert not shown.layout.annotations and sum(shown.data[1].y) > 0


def test_status_strip_never_turns_a_label():
    fig = oc.status_strip({"red": 1, "yellow": 3, "green": 26},
                          {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}, "亮灯")
    assert [tr.textangle for tr in fig.data] == [0, 0, 0]
    # 1 of 30 is too narrow for any text, 3 of 30 gets symbol and count, 26 all of it
    assert [tr.text[0] for tr in fig.data] == ["", "▲ 3", "■ 绿灯 26"]
    assert fig.layout.uniformtext.mode == "hide"
    assert [oc.strip_label("红灯", "●", n, n / 12) for n in (0, 1, 2, 3)] == [
        "", "● 1", "● 2", "● 红灯 3"]


def test_heatmap_paints_the_laggard_darkest():
    table = pd.DataFrame({1: [0.0, 1.0]}, index=["01", "02"])
    phases = pd.DataFrame({"phase_no": [1], "phase_name": ["动员"]})
    fig = phc.heat_figure(table, phases, {"01": "甲乡", "02": "乙乡"}, title="热力")
    scale = fig.data[0].colorscale
    low, high = scale[0][1], scale[-1][1]
    assert low == LAGGARD_RAMP[0] and high == LAGGARD_RAMP[-1]

    def luminance(color):
        r, g, b = pc.hex_to_rgb(color)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lums = [luminance(c) for _, c in scale]
    assert lums == sorted(lums)  # 0 % darkest, 100 % palest
    assert fig.data[0].zmin == 0 and fig.data[0].zmax == 1


def test_meeting_map_table_is_worst_first(demo_ledgers):
    src = LedgerSource(demo_ledgers, campaign_day(demo_ledgers, "mid"))
    desk = mapmodel.build(src, "status").table.frame
    room = mapmodel.build(src, "status", meeting=True).table.frame
    assert sorted(desk["township_code"]) == sorted(room["township_code"])
    rank = {e["township_code"]: STATUS_ORDER.index(e["status"]) for e in src.report()["townships"]}
    ranks = [rank[c] for c in room["township_code"]]
    assert ranks == sorted(ranks) and ranks[0] < ranks[-1]


def test_meeting_table_html_is_every_row_formatted_and_escaped():
    from duzhan.views.shell import table_html

    frame = pd.DataFrame({"name": ["<b>甲</b>", "乙", "丙"], "rate": [12.345, None, 0.0],
                          "n": [3, 4, 5], "day": [dt.date(2026, 1, 2), None, dt.date(2026, 3, 4)]})
    table = Table(frame, (Column("name", "名称"), Column("rate", "比率", "number", "%.1f%%"),
                          Column("n", "个数", "number", "%d"),
                          Column("day", "日期", "date", "YYYY-MM-DD")), "t",
                  order=("name", "rate", "day"))
    html = table_html(table)
    assert html.count("<tr>") == 4  # header and three rows, none cut
    assert "&lt;b&gt;甲&lt;/b&gt;" in html and "<b>甲</b>" not in html
    assert ">12.3%<" in html and ">0.0%<" in html and ">—<" in html
    assert ">2026-01-02<" in html
    assert "个数" not in html  # a column left out of the order stays out
    # the reader's words, not the keys; the keys named for a reader of the markup
    assert "data-key='rate'" in html and ">比率<" in html
    # a name, a number and a short header stay whole (all three are short here)
    assert html.count("white-space:nowrap") == 3 * 3 + 3
    long = Table(frame, (Column("name", "两不愁三保障达标率"),), "t")
    assert "white-space:nowrap" not in table_html(long).split("</th>")[0]


def test_wide_tables_wrap_at_1366_px(demo_ledgers):
    """Tables whose data grid scrolled sideways at 1366 px, hiding columns, are static
    tables that wrap (or tabs of them); the long text of the grids left gets a set width."""
    from duzhan.viewmodels import households, phases, supervision

    src = LedgerSource(demo_ledgers, campaign_day(demo_ledgers, "mid"))
    assert overview.build(src).attention.wrap
    assert funds.build(src).stalled.wrap
    hv = households.build(src)
    assert hv.sites.wrap and len(hv.townships.groups) == 2
    both = [k for g in hv.townships.groups for k in g.keys if k != "township"]
    assert sorted(both) == sorted(set(hv.townships.order) - {"township"})
    assert supervision.build(src).reports.wrap
    widths = {c.key: c.width for c in phases.build(src).overdue.columns}
    assert widths["task_name"] == "medium"
    widths = {c.key: c.width for c in issues.overdue_columns("zh")}
    assert widths["description"] == issues.DESCRIPTION_PX <= 200
