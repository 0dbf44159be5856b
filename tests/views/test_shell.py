"""The shell without a browser: picking townships from a page (the area reset), and the
declared columns' Streamlit config and Excel headers (one spec gives both)."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from duzhan.viewmodels.spec import Column, Table, headers, number
from duzhan.views import filters, shell
from tests.views.helpers import TimingRecords


class Rerun(Exception):
    pass


@pytest.fixture
def fake_st(monkeypatch):
    state: dict = {}

    def rerun():
        raise Rerun

    monkeypatch.setattr(shell, "st", SimpleNamespace(session_state=state, rerun=rerun))
    return state


def ctx(area):
    directory = SimpleNamespace(areas={"01": "东片", "02": "东片", "03": "西片"},
                                names={"01": "甲镇", "02": "乙镇", "03": "丙乡"})
    f = filters.Filters(as_of=dt.date(2024, 6, 30), townships=(), area=area, lang="zh",
                        meeting=False)
    return shell.PageContext(f, 1, directory, None, f.scope_codes(directory.areas))


@pytest.mark.parametrize("area, picked, pending", [
    ("东片", ["03"], {"f_towns": ["03"], "f_area": None}),  # outside the area: area cleared
    ("东片", ["01", "03"], {"f_towns": ["01", "03"], "f_area": None}),
    ("东片", ["02"], {"f_towns": ["02"]}),  # inside the area: the area stays
    ("东片", [], {"f_towns": []}),  # back to the whole area
    (None, ["03"], {"f_towns": ["03"]}),
])
def test_select_townships_clears_an_area_that_does_not_hold_them(fake_st, area, picked,
                                                                  pending):
    with pytest.raises(Rerun):
        shell.select_townships(ctx(area), picked)
    assert fake_st["_pending_filters"] == pending
    # what the next run's filters become: never an empty scope
    towns, new_area = pending["f_towns"], pending.get("f_area", area)
    f = filters.Filters(dt.date(2024, 6, 30), tuple(towns), new_area, "zh", False)
    assert f.scope_codes(ctx(area).directory.areas) != ()


def test_one_column_spec_gives_config_and_headers():
    cols = (Column("t", "乡镇"), number("rate", "逾期率", "rate", "zh"),
            number("gap", "差距", "pp", "zh"), number("done", "完成率", "rate", "zh", bar=True),
            number("bal", "贷款余额", "wan", "zh"),
            Column("due", "到期日", "date", "YYYY-MM-DD"), number("n", "件数", "count", "zh"))
    cfg = shell.column_config(cols)
    assert [cfg[c.key]["label"] for c in cols] == [c.label for c in cols]
    assert cfg["rate"]["type_config"]["format"] == "%.1f%%"
    # a gap of rates in percentage points, never a percentage; thousands separated
    assert cfg["gap"]["type_config"]["format"] == "%+.1f个百分点"
    assert cfg["bal"]["type_config"]["format"] == "%,.2f" and cfg["n"]["type_config"]["format"] == "%,d"
    assert cfg["done"]["type_config"]["min_value"] == 0
    assert cfg["done"]["type_config"]["max_value"] == 100
    assert headers(cols) == {"t": "乡镇", "rate": "逾期率（%）", "gap": "差距（个百分点）",
                             "done": "完成率（%）", "bal": "贷款余额（万元）", "due": "到期日",
                             "n": "件数"}
    assert cfg["bal"]["label"] == "贷款余额（万元）"
    assert number("gap", "Gap", "pp", "en").header == "Gap (pp)"
    # meeting mode's HTML cells read the same formats: "1,234.50", "-1.8个百分点"
    frame = pd.DataFrame({"t": ["甲"], "rate": [2.5], "gap": [-1.84], "done": [50.0],
                          "bal": [14605.974], "due": [None], "n": [12345]})
    html = shell.table_html(Table(frame, cols, "x"))
    for cell in ("2.5%", "-1.8个百分点", "50.0%", "14,605.97", "12,345"):
        assert f">{cell}</td>" in html
    assert "-1.8%" not in html
    # a table's headers follow the columns it shows, in its order
    table = Table(pd.DataFrame({"n": [1], "t": ["甲"]}), cols, "x")
    assert list(table.headers().items()) == [("n", "件数"), ("t", "乡镇")]


def test_timed_run_logs_page_seconds_and_how_the_run_ended():
    import time

    with TimingRecords() as records:
        with shell.timed_run() as run:
            run["page"] = "funds"
            time.sleep(0.05)
        with pytest.raises(Rerun), shell.timed_run() as run:
            run["page"] = "map"
            raise Rerun
    lines = [r.getMessage() for r in records]
    assert [line.split()[0] for line in lines] == ["page=funds", "page=map"]
    assert lines[0].endswith("end=done") and lines[1].endswith("end=Rerun")
    seconds = float(lines[0].split()[1].removeprefix("seconds="))
    cpu = float(lines[0].split()[2].removeprefix("cpu="))
    assert 0.05 <= seconds < 5 and 0 <= cpu < seconds  # asleep: wall time, hardly any CPU


def test_a_shared_figure_is_made_plain_once_while_it_lives(monkeypatch):
    import gc

    import plotly.graph_objects as go

    from duzhan.charts import plain_figure

    made = []
    monkeypatch.setattr(shell, "plain_figure", lambda f: made.append(id(f)) or plain_figure(f))
    fig = go.Figure(go.Bar(x=["<b>甲镇</b>", "乙镇"], y=[1, 2]))
    first = shell._plain(fig)
    assert shell._plain(fig) is first and made == [id(fig)]
    assert first.to_dict() == plain_figure(fig).to_dict()  # escaped as plain_figure escapes
    assert first.data[0].x[0] == "&lt;b&gt;甲镇&lt;/b&gt;"
    key = id(fig)
    del fig, first
    gc.collect()
    assert key not in shell._PLAIN  # gone with its figure: a later figure at this id is new
    other = go.Figure(go.Bar(x=["丙乡"], y=[3]))
    assert shell._plain(other).data[0].x == ("丙乡",)
