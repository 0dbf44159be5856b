"""Chart images: stamped layout (title, scope, as-of, cut-off, source, demo mark), 2× size,
not blank, file names."""
from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import pytest

from duzhan.charts import funds as fc
from duzhan.charts import issues as ic
from duzhan.charts import phases as pc
from duzhan.exports.brief import BriefInputs, burndown_inputs
from duzhan.exports.stamp import (
    DEMO_NAME,
    SCALE,
    STAMP_NAME,
    Stamp,
    chart_png,
    file_name,
    scope_label,
    stamp_annotations,
    stamp_figure,
)
from duzhan.metrics import funds as fm
from duzhan.metrics.report import scope_metrics
from duzhan.presentation import format as fmt
from duzhan.store.read import data_status
from tests.exports.helpers import as_of, demo_engine, non_white_share, png_pixels, png_size  # noqa: F401

CUTOFF = dt.datetime(2024, 7, 1, 2, 30, tzinfo=dt.UTC)  # 10:30 Beijing time


@pytest.fixture(scope="module")
def burndown(demo_ledgers, as_of):
    b = burndown_inputs(BriefInputs(
        as_of=as_of, lang="zh", codes=None, ledgers=demo_ledgers, report={},
        county_report={}, figures=scope_metrics(demo_ledgers, as_of), stamp=None, names={}))
    return ic.burndown_figure(b["series"], b["ideal"], as_of=as_of, target=b["target"],
                              forecast_date=b["forecast"], band=b["band"],
                              title=f"未销号问题燃尽图 · 全县 · 截至 {fmt.day(as_of)}")


def test_file_name_says_what_scope_and_day():
    s = Stamp("全县", dt.date(2024, 6, 30), CUTOFF, False)
    assert file_name("问题整改燃尽图", s, "png") == "问题整改燃尽图_全县_2024-06-30.png"
    demo = Stamp("全县", dt.date(2024, 6, 30), CUTOFF, True)
    assert file_name("问题整改燃尽图", demo, "png") == "问题整改燃尽图_全县_2024-06-30_演示数据.png"
    odd = Stamp('甲镇/乙镇: "x"', dt.date(2024, 6, 30))
    name = file_name("图", odd, ".png")
    assert not any(c in name for c in '/\\:*?"<>| ') and name.endswith("_2024-06-30.png")


def test_scope_label_words_the_scope_like_the_pages():
    names = {f"c{i}": f"{i}镇" for i in range(6)}
    assert scope_label(None, names) == "全县"
    assert scope_label(["c1", "c2"], names) == "1镇、2镇"
    assert scope_label(list(names), names) == "0镇、1镇、2镇等6个乡镇"


def test_stamp_line_carries_scope_as_of_cutoff_source():
    s = Stamp("青石镇", dt.date(2024, 6, 30), CUTOFF, False)
    line = s.line()
    for part in ("青石镇", "2024年6月30日", "2024年7月1日", "数据来源"):
        assert part in line
    assert Stamp("全县", dt.date(2024, 6, 30)).cutoff_text == "—"


def test_stamped_layout_has_title_stamp_and_demo_mark(burndown, as_of):
    s = Stamp("全县", as_of, CUTOFF, True)
    out = stamp_figure(burndown, s)
    marks = stamp_annotations(out)
    assert set(marks) == {STAMP_NAME, DEMO_NAME}
    assert "全县" in marks[STAMP_NAME] and fmt.day(as_of) in marks[STAMP_NAME]
    assert "数据截至 2024年7月1日" in marks[STAMP_NAME] and "数据来源" in marks[STAMP_NAME]
    assert "演示数据" in marks[STAMP_NAME] and marks[DEMO_NAME] == "演示数据"
    assert out.layout.title.text.startswith("未销号问题燃尽图")
    # the footer has its own band: the bottom margin grew, the original figure is untouched
    assert out.layout.margin.b > (burndown.layout.margin.b or 0) + 30
    assert not stamp_annotations(burndown)
    plain = stamp_annotations(stamp_figure(burndown, Stamp("全县", as_of, CUTOFF, False)))
    assert set(plain) == {STAMP_NAME} and "演示数据" not in plain[STAMP_NAME]


def test_untitled_figure_gets_the_export_name():
    fig = go.Figure(go.Bar(x=["甲", "乙"], y=[1, 2]))
    out = stamp_figure(fig, Stamp("全县", dt.date(2024, 6, 30)), title="问题整改燃尽图")
    assert out.layout.title.text == "问题整改燃尽图"


def _check_png(png: bytes, fig: go.Figure) -> None:
    w, h = png_size(png)
    assert w >= SCALE * fig.layout.width and h >= SCALE * fig.layout.height
    px = png_pixels(png)
    assert non_white_share(px) > 0.03, "the image is (nearly) blank"
    assert px.std() > 10


def test_chart_png_is_2x_stamped_and_not_blank(burndown, as_of):
    s = Stamp("全县", as_of, CUTOFF, True)
    png, name = chart_png(burndown, s, "burndown")
    assert name == f"问题整改燃尽图_全县_{as_of.isoformat()}_演示数据.png"
    _check_png(png, stamp_figure(burndown, s))
    w, _ = png_size(png)
    assert w >= 2 * 1200


@pytest.mark.parametrize("which", ["funds_series", "funds_by_township_code", "completion"])
def test_other_builders_export_too(which, demo_ledgers, as_of):
    L = demo_ledgers
    kw = {"lang": "zh", "scope": "全县", "as_of": as_of}
    if which == "funds_series":
        fig = fc.rate_vs_time(fm.funds_series(L.projects, L.disbursements, as_of), **kw)
    elif which == "funds_by_township_code":
        names = dict(zip(L.townships["township_code"], L.townships["township_name"], strict=False))
        fig = fc.breakdown_bars(fm.breakdown(L.projects, L.disbursements, as_of, "township_code"),
                                by="township_code", time_progress=fm.time_progress(as_of),
                                labels=names, **kw)
    else:
        ph = scope_metrics(L, as_of)["phases"]
        fig = pc.completion_figure(L.phases, ph["by_phase"], current=ph["current_phase"],
                                   behind=ph["behind"], title="各阶段任务完成率")
    s = Stamp("全县", as_of, CUTOFF, False)
    png, name = chart_png(fig, s, which)
    assert name.endswith(f"_全县_{as_of.isoformat()}.png")
    stamped = stamp_figure(fig, s)
    assert stamped.layout.title.text and STAMP_NAME in stamp_annotations(stamped)
    # tick labels can never be cut off: every axis makes its own margin
    assert all(ax.automargin for ax in (stamped.layout.xaxis, stamped.layout.yaxis))
    _check_png(png, stamped)


def test_demo_store_stamps_demo(demo_engine):
    st = data_status(demo_engine)
    assert st.is_demo and st.last_import_at is not None
