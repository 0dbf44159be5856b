"""Funds and loan chart builders on tiny hand-made inputs."""
import datetime as dt
import json

import plotly.graph_objects as go
import pytest

from duzhan.charts import funds as fc
from duzhan.charts import loans as lc
from duzhan.metrics import funds as fm
from duzhan.metrics import loans as lm
from duzhan.metrics.frames import Ledgers
from duzhan.presentation.palette import NEUTRAL, STATUS_COLORS, STATUS_INK

D = dt.date(2024, 6, 30)


@pytest.fixture
def fund_ledgers():
    # P1: 100 000 allocated 1 Jan, 60 000 paid; P2: 50 000 allocated 1 Mar, 10 000 paid
    # (stalled: 121 days, 20%); P3: 10 000 allocated 1 Jul (after D: not counted)
    return Ledgers.from_records(
        projects=[
            {"project_id": "P1", "township_code": "01", "funding_source": "中央", "category": "产业",
             "allocated_amount": "100000", "allocated_date": "2024-01-01"},
            {"project_id": "P2", "township_code": "02", "funding_source": "县级", "category": "产业",
             "allocated_amount": "50000", "allocated_date": "2024-03-01"},
            {"project_id": "P3", "township_code": "02", "funding_source": "县级", "category": "教育",
             "allocated_amount": "10000", "allocated_date": "2024-07-01"},
        ],
        disbursements=[
            {"project_id": "P1", "paid_date": "2024-02-01", "amount": "60000"},
            {"project_id": "P2", "paid_date": "2024-06-30", "amount": "10000"},
            {"project_id": "P3", "paid_date": "2024-07-02", "amount": "10000"},
        ],
    )


def spec(fig: go.Figure) -> dict:
    return json.loads(fig.to_json())


def test_rate_vs_time_last_point_and_title(fund_ledgers):
    s = fm.funds_series(fund_ledgers.projects, fund_ledgers.disbursements, D)
    fig = fc.rate_vs_time(s, lang="zh", scope="全县", as_of=D)
    tp, rate = fig.data
    assert rate.y[-1] == pytest.approx(70_000 / 150_000)
    assert tp.y[-1] == pytest.approx(182 / 366)
    assert rate.x[-1] == "2024-06-30" and len(rate.x) == 182
    assert rate.fill == "tonexty"  # the gap is shaded
    assert fig.layout.title.text == "资金拨付率与序时进度（累计）"
    assert fig.layout.title.subtitle.text == "全县 · 统计截至 2024年6月30日"
    assert "Noto Sans CJK SC" in fig.layout.font.family
    # the gap is written at the end: 46.7% − 49.7% = −3.1 pp
    assert fig.layout.annotations[0].text == "差距 -3.1个百分点"
    # behind: under the lower line (between the two it crossed the dashed one), on white,
    # inside the plot; in the status's ink for text on white (3.1 points behind: green)
    gap = fig.layout.annotations[0]
    assert gap.y == pytest.approx(70_000 / 150_000) and gap.yanchor == "top"
    assert gap.bgcolor.startswith("rgba(255,255,255")
    assert fig.layout.yaxis.range[1] > max(rate.y[-1], tp.y[-1])
    assert gap.font.color == STATUS_INK["green"] != STATUS_COLORS["green"]
    # ticks closer than a month name the day (2月8日), wider ones the month
    stops = {tuple(s.dtickrange): s.value for s in fig.layout.xaxis.tickformatstops}
    assert stops == {(None, 28 * 86_400_000): "%-m月%-d日", (28 * 86_400_000, None): "%Y年%-m月"}
    # hover carries the amounts in 万元 (last day: 15 万 allocated, 7 万 disbursed)
    assert list(rate.customdata[-1][:2]) == pytest.approx([15.0, 7.0])
    # and the gap in percentage points, as fmt.pp writes it: never a percentage
    assert rate.customdata[-1][2] == pytest.approx((70_000 / 150_000 - 182 / 366) * 100)
    assert "%{customdata[2]:+.1f}个百分点" in rate.hovertemplate
    assert "%{customdata[2]:+.1%}" not in rate.hovertemplate
    json.dumps(spec(fig))  # serialisable (NaN rates before the first allocation → null)


def test_rate_vs_time_english_and_meeting(fund_ledgers):
    s = fm.funds_series(fund_ledgers.projects, fund_ledgers.disbursements, D)
    small = fc.rate_vs_time(s, lang="en", scope="County", as_of=D)
    big = fc.rate_vs_time(s, lang="en", scope="County", as_of=D, meeting=True)
    assert small.layout.title.text.startswith("Disbursement rate")
    assert small.layout.title.subtitle.text == "County · as of 2024-06-30"
    assert big.layout.font.size > small.layout.font.size
    assert big.layout.height > small.layout.height


def test_rate_vs_time_empty():
    e = Ledgers.empty()
    s = fm.funds_series(e.projects, e.disbursements, D)
    fig = fc.rate_vs_time(s, lang="zh", scope="全县", as_of=D)
    assert len(fig.data) == 2 and not fig.layout.annotations


def test_breakdown_bars(fund_ledgers):
    b = fm.breakdown(fund_ledgers.projects, fund_ledgers.disbursements, D, "township_code")
    fig = fc.breakdown_bars(b, by="township_code", time_progress=fm.time_progress(D), lang="zh",
                            scope="全县", as_of=D, labels={"01": "青石镇", "02": "新桥镇"})
    bar = fig.data[0]
    # lowest rate first (drawn on top): 新桥镇 20%, then 青石镇 60%
    assert list(bar.y) == ["新桥镇", "青石镇"]
    assert list(bar.x) == pytest.approx([0.2, 0.6])
    assert list(bar.text) == ["20.0%", "60.0%"]
    # gaps −29.7 pp (red) and +10.3 pp (green)
    assert list(bar.marker.color) == [STATUS_COLORS["red"], STATUS_COLORS["green"]]
    assert list(bar.customdata[0][:4]) == pytest.approx([5.0, 1.0, 1, 1])  # 万元, projects, stalled
    assert bar.customdata[0][4] == pytest.approx((0.2 - 182 / 366) * 100)  # points
    assert "%{customdata[4]:+.1f}个百分点" in bar.hovertemplate
    assert fig.layout.shapes[0].x0 == pytest.approx(182 / 366)  # the time-progress line
    assert fig.layout.title.text == "各乡镇资金拨付率（虚线：序时进度）"


def test_breakdown_bars_other_keys(fund_ledgers):
    for by in ("funding_source", "category"):
        b = fm.breakdown(fund_ledgers.projects, fund_ledgers.disbursements, D, by)
        fig = fc.breakdown_bars(b, by=by, time_progress=0.5, lang="en", scope="County", as_of=D)
        assert sorted(fig.data[0].y) == sorted(b[by])
        assert "by" in fig.layout.title.text


def test_gap_color_thresholds():
    assert fc.gap_color(None) == NEUTRAL
    assert fc.gap_color(float("nan")) == NEUTRAL
    assert fc.gap_color(-0.25) == STATUS_COLORS["red"]
    assert fc.gap_color(-0.20) == STATUS_COLORS["yellow"]  # not below −20 pp
    assert fc.gap_color(-0.15) == STATUS_COLORS["yellow"]
    assert fc.gap_color(-0.10) == STATUS_COLORS["green"]


@pytest.fixture
def loan_ledgers():
    # as of 2024-06-30: L1 10 000 due 2024-05-31 (30 dpd), L2 20 000 current (due in 10 days),
    # L3 30 000 due 2024-01-31 (151 dpd) bank missing, L4 repaid (inactive)
    return Ledgers.from_records(
        loans=[
            {"loan_id": "L1", "household_id": "H1010000001", "township_code": "01", "bank": "农商行",
             "principal": "10000", "issued_date": "2023-05-31", "due_date": "2024-05-31"},
            {"loan_id": "L2", "household_id": "H1010000002", "township_code": "01", "bank": "农商行",
             "principal": "20000", "issued_date": "2023-07-10", "due_date": "2024-07-10"},
            {"loan_id": "L3", "household_id": "H1020000003", "township_code": "02",
             "principal": "30000", "issued_date": "2023-01-31", "due_date": "2024-01-31"},
            {"loan_id": "L4", "household_id": "H1020000004", "township_code": "02", "bank": "邮储",
             "principal": "5000", "issued_date": "2023-01-01", "due_date": "2024-01-01"},
        ],
        repayments=[{"loan_id": "L4", "paid_date": "2023-12-20", "principal_amount": "5000"}],
    )


def test_overdue_rate_bars_by_township(loan_ledgers):
    b = lm.breakdown(loan_ledgers.loans, loan_ledgers.repayments, D, "township_code")
    fig = lc.overdue_rate_bars(b, by="township_code", lang="zh", scope="全县", as_of=D,
                               labels={"01": "青石镇", "02": "新桥镇"})
    bar = fig.data[0]
    assert list(bar.x) == ["青石镇", "新桥镇"]
    assert list(bar.y) == pytest.approx([10_000 / 30_000, 1.0])
    assert list(bar.marker.color) == [STATUS_COLORS["red"]] * 2
    assert fig.layout.shapes[0].y0 == 0.03  # the red line
    assert "3.0%" in fig.layout.annotations[0].text
    assert list(bar.customdata[0]) == pytest.approx([3.0, 1.0, 2, 1])
    assert fig.layout.title.subtitle.text == "全县 · 统计截至 2024年6月30日"


def test_overdue_rate_bars_by_bank_names_missing_bank(loan_ledgers):
    b = lm.breakdown(loan_ledgers.loans, loan_ledgers.repayments, D, "bank")
    fig = lc.overdue_rate_bars(b, by="bank", lang="zh", scope="全县", as_of=D)
    assert "未填银行" in list(fig.data[0].x)
    en = lc.overdue_rate_bars(b, by="bank", lang="en", scope="County", as_of=D)
    assert "(no bank)" in list(en.data[0].x)
    # 邮储 has no balance left: rate null, grey bar
    i = list(fig.data[0].x).index("邮储")
    assert fig.data[0].y[i] is None and fig.data[0].marker.color[i] == NEUTRAL


def test_rate_color_thresholds():
    assert lc.rate_color(0.031) == STATUS_COLORS["red"]
    assert lc.rate_color(0.03) == STATUS_COLORS["yellow"]
    assert lc.rate_color(0.01) == STATUS_COLORS["green"]
    assert lc.rate_color(None) == NEUTRAL


def test_aging_buckets(loan_ledgers):
    m = lm.loan_metrics(loan_ledgers.loans, loan_ledgers.repayments, D)
    fig = lc.aging_buckets(m["buckets"], lang="zh", scope="全县", as_of=D)
    bal, cnt = fig.data
    assert list(bal.x) == ["1-30", "31-90", "91-180", "181+"]
    assert fig.layout.xaxis2.title.text == "逾期天数"  # the lower panel's axis
    assert fig.layout.xaxis.tickangle == 0 and fig.layout.xaxis2.tickangle == 0
    assert fig.layout.yaxis.title.text == "逾期余额（万元）"
    assert list(bal.y) == pytest.approx([1.0, 0.0, 3.0, 0.0])  # 万元
    assert list(cnt.y) == [1, 0, 1, 0]
    assert fig.layout.title.text == "逾期账龄分布（按逾期天数）"
    json.dumps(spec(fig))


def test_aging_buckets_without_overdue_loans_say_so():
    # a scope with no overdue loan: no 0–0.012 axes, the note instead
    fig = lc.aging_buckets({}, lang="zh", scope="青石镇", as_of=D)
    assert fig.layout.yaxis.visible is False and fig.layout.xaxis.visible is False
    assert [a.text for a in fig.layout.annotations] == ["范围内没有逾期贷款，没有账龄可分。"]
    assert all(tr.text is None for tr in fig.data)  # no "0.00" / "0" bar labels around it
    shown = lc.aging_buckets({"1-30": {"loans": 1, "balance": 5000.0}}, lang="en",
                             scope="Qingshi", as_of=D)
    assert not shown.layout.annotations and shown.layout.yaxis.visible is not False
    assert shown.layout.yaxis.range == pytest.approx((0, 0.5 * 1.3))


def test_builders_never_see_household_ids(loan_ledgers):
    b = lm.breakdown(loan_ledgers.loans, loan_ledgers.repayments, D, "township_code")
    text = lc.overdue_rate_bars(b, by="township_code", lang="zh", scope="全县", as_of=D).to_json()
    assert "H10" not in text


def test_overdue_rate_bars_by_village_names_missing_village(loan_ledgers):
    b = lm.breakdown(loan_ledgers.loans, loan_ledgers.repayments, D, "village_code")
    fig = lc.overdue_rate_bars(b, by="village_code", lang="zh", scope="青石镇", as_of=D,
                               labels={})
    assert list(fig.data[0].x) == ["未填村"]
    assert fig.layout.title.text == "各村贷款逾期率"
