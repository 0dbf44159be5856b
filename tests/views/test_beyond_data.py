"""An as-of date after the ledgers' last event (allowed: up to today + 366) is not refused,
but every page says so in a banner and every export carries the same note in its stamp."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from duzhan import clock
from duzhan.exports.stamp import Stamp, stamp_annotations, stamp_figure
from duzhan.store.lookup import last_event_date
from duzhan.views import filters, registry
from duzhan.views.downloads import table_xlsx
from tests.exports.helpers import demo_engine  # noqa: F401
from tests.pages.conftest import (
    cached_app,  # noqa: F401
    caches_per_module,  # noqa: F401
    open_page,
    page_ctx,
)


@pytest.fixture(scope="module")
def last_day(demo_engine) -> dt.date:
    return last_event_date(demo_engine)


@pytest.fixture
def app(cached_app):
    return cached_app  # each page at the same two dates in zh and in en, on the same store


def test_notice_only_after_the_last_day():
    last = dt.date(2026, 11, 30)
    assert filters.beyond_data_notice(last, last, "zh") is None  # the last day itself is data
    assert filters.beyond_data_notice(last - dt.timedelta(days=1), last, "zh") is None
    assert filters.beyond_data_notice(last, None, "zh") is None  # an empty store: nothing to say
    zh = filters.beyond_data_notice(dt.date(2026, 12, 1), last, "zh")
    assert "2026年12月1日" in zh and "2026年11月30日" in zh
    en = filters.beyond_data_notice(dt.date(2026, 12, 1), last, "en")
    assert "2026-12-01" in en and "2026-11-30" in en


@pytest.mark.parametrize("page", [p.slug for p in registry.PAGES])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_shows_the_banner_on_a_day_after_the_data(app, last_day, page, lang):
    future = last_day + dt.timedelta(days=40)
    assert future <= filters.as_of_bounds(clock.today())[1], "pick a date the picker allows"
    at = open_page(app, page, asof=future.isoformat(), lang=lang)
    ctx = page_ctx(at)
    assert ctx.as_of == future and ctx.last_event == last_day
    banner = filters.beyond_data_notice(future, last_day, lang)
    assert [w.value for w in at.warning].count(banner) == 1
    # the last day itself: no banner
    at.sidebar.date_input[0].set_value(last_day).run()
    assert not at.exception
    assert not [w.value for w in at.warning if w.value.startswith(banner[:8])]


def test_every_export_stamp_carries_the_note(last_day):
    future = last_day + dt.timedelta(days=40)
    s = Stamp("全县", future, None, True, "zh", data_last=last_day)
    note = "注意：统计截至 " + f"{future.year}年{future.month}月{future.day}日"
    assert s.beyond_data and note in s.line() and note in s.beyond_text()
    # PNG (chart stamp), the briefing pack and the map image use Stamp.line()
    import plotly.graph_objects as go

    fig = stamp_figure(go.Figure(go.Scatter(x=[1], y=[1])), s, title="t")
    assert note in stamp_annotations(fig)["duzhan-stamp"]
    # Excel: the info sheet's first row and every sheet's footer
    import pandas as pd

    wb = load_workbook(io.BytesIO(table_xlsx(pd.DataFrame({"a": [1]}), s, "表", None, ())))
    info = wb.worksheets[1]
    assert s.beyond_text() in [info.cell(row=r, column=2).value for r in (1, 2)]
    assert all(note in ws.oddFooter.left.text for ws in wb.worksheets)
    # on the data's last day, nothing
    same = Stamp("全县", last_day, None, True, "zh", data_last=last_day)
    assert not same.beyond_data and "注意" not in same.line()
