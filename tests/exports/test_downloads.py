"""The pages' download helpers: Excel with the stamp sheet, masked household ids and no
formulas; the buttons render in a Streamlit run and make their files on demand."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import load_workbook

from duzhan.exports.stamp import Stamp
from duzhan.views.downloads import mask_households, table_xlsx

CUTOFF = dt.datetime(2024, 7, 1, 2, 30, tzinfo=dt.UTC)


def test_table_xlsx_headers_stamp_masking_and_no_formulas():
    frame = pd.DataFrame({
        "household_id": ["522799101234517", "52****17", None],
        "name": ["=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)"],
        "amount": [1.5, -2.0, 3.0],
    })
    stamp = Stamp("全县", dt.date(2024, 6, 30), CUTOFF, True)
    data = table_xlsx(frame, stamp, "逾期贷款清单",
                      headers={"household_id": "农户编号", "name": "备注", "amount": "金额（元）"})
    wb = load_workbook(io.BytesIO(data))
    ws, info = wb.worksheets
    assert [c.value for c in ws[1]] == ["农户编号", "备注", "金额（元）"]
    ids = [ws.cell(row=r, column=1).value for r in (2, 3)]
    assert ids == ["52****17", "52****17"]
    for r in (2, 3, 4):
        cell = ws.cell(row=r, column=2)
        assert cell.data_type == "s" and str(cell.value).startswith("'")
    assert ws.cell(row=3, column=3).value == -2.0  # numbers stay numbers
    text = "\n".join(f"{a.value} {b.value}" for a, b in info.iter_rows(max_col=2))
    for part in ("演示数据", "全县", "2024年6月30日", "2024年7月1日", "县乡村振兴局台账", "脱敏"):
        assert part in text
    assert ws.oddHeader.center.text == "演示数据"
    assert frame["household_id"][0] == "522799101234517"  # the page's frame is untouched


def test_mask_households_keeps_masked_values():
    out = mask_households(pd.DataFrame({"household_id": ["H1234", "52****17"], "x": [1, 2]}))
    assert list(out["household_id"]) == ["H****4", "52****17"]


APP = '''
import datetime as dt
from types import SimpleNamespace
import plotly.graph_objects as go
import pandas as pd
from duzhan.views import downloads

status = SimpleNamespace(last_import_at=dt.datetime(2024, 7, 1, 2, 30, tzinfo=dt.timezone.utc),
                         is_demo=True)
ctx = SimpleNamespace(lang="zh", as_of=dt.date(2024, 6, 30), status=status, codes=None,
                      scope_label=lambda: "全县")
downloads.chart_download(ctx, go.Figure(go.Bar(x=["甲"], y=[1])), "burndown")
downloads.table_download(ctx, pd.DataFrame({"a": [1]}), "attention", headers=["排名"])
'''


def test_buttons_render_in_a_streamlit_run():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(APP, default_timeout=30).run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["下载图片（PNG）", "下载表格（Excel）"]
