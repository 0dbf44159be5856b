"""AppTest fixtures: the demo county in a temporary SQLite file, the app from its entry point."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from duzhan.i18n import t
from duzhan.metrics.report import metrics_report, scope_metrics
from duzhan.presentation import format as fmt
from duzhan.views import registry

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@contextmanager
def app_test(db_url: str, monkeypatch) -> Iterator[AppTest]:
    """An AppTest of app.py on the store at `db_url`, with Streamlit's caches cleared around it."""
    monkeypatch.setenv("DUZHAN_DATABASE_URL", db_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        yield AppTest.from_file(APP, default_timeout=90)
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


@pytest.fixture(scope="module")
def caches_per_module():
    """Streamlit's caches cleared around a module, not around each of its tests: for a module
    whose tests all read the same unchanged store, so each page's figures are computed once
    rather than once per test (`cached_app`)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def fresh_app(db_url: str, monkeypatch) -> AppTest:
    """An AppTest of app.py on the store at `db_url`, Streamlit's caches left as they are."""
    monkeypatch.setenv("DUZHAN_DATABASE_URL", db_url)
    return AppTest.from_file(APP, default_timeout=90)


@pytest.fixture
def cached_app(demo_db_url, monkeypatch, caches_per_module):
    """`app` with the caches kept across the module (caches_per_module), for a module whose
    tests only read the demo store: it defines `app` as this."""
    return fresh_app(demo_db_url, monkeypatch)


@pytest.fixture
def app(demo_db_url, monkeypatch):
    """An AppTest of app.py on the demo county; call `.run()` after setting query params."""
    with app_test(demo_db_url, monkeypatch) as at:
        yield at


def open_page(at: AppTest, page: str, **query: str) -> AppTest:
    """Run app.py with URL parameters, then switch to the page whose URL slug is `page`."""
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    if page != registry.default_page().slug:
        at.switch_page(registry.page(page).script)
        at.run()
        assert not at.exception, at.exception
    return at


def expected_report(ledgers, as_of: dt.date, codes=None) -> dict:
    return metrics_report(ledgers, as_of, codes)


def expected_scope(ledgers, as_of: dt.date, codes=None) -> dict:
    return scope_metrics(ledgers, as_of, codes)


def metric(at: AppTest, label: str):
    """The one card with this label."""
    found = [m for m in at.metric if m.label == label]
    assert len(found) == 1, (label, [m.label for m in at.metric])
    return found[0]


def check_week_card(m, now, then, kind: str, worse: str | None, lang: str) -> None:
    """A headline card's change since D − 7, the one rule on every page; `now`, `then`: the
    metrics' figures at D and D − 7. The text is format.change's (pinned by
    tests/presentation/test_format.py), said to be against last week. A change that shows as zero at
    the kind's precision: no sign, grey, no arrow. Otherwise the sign and arrow follow the
    change, red when it went the `worse` way, green the other, grey when neither is worse."""
    C, A = type(m.proto).MetricColor, type(m.proto).MetricDirection
    if now is None or then is None:  # nothing to compare: no lone "较上周" either
        assert m.delta == "" and m.proto.color == C.GRAY and m.proto.direction == A.NONE
        assert not m.proto.delta_description
        return
    assert m.proto.delta_description == t("shell.vs_week", lang)
    d = now - then
    if isinstance(d, dt.timedelta):
        d = d.days
    assert m.delta == fmt.change(now, then, kind, lang)
    shown = {"count": d, "days": d, "pp": round(d * 100, 1), "wan": round(d / 10_000, 2)}[kind]
    if shown == 0:
        assert m.delta[0] not in "+-", m.delta
        assert m.proto.color == C.GRAY and m.proto.direction == A.NONE, m.label
        return
    assert m.delta[0] == ("+" if d > 0 else "-"), m.delta
    assert m.proto.direction == (A.UP if d > 0 else A.DOWN), m.label
    if worse is None:
        want = C.GRAY
    else:
        want = C.RED if (d > 0) == (worse == "up") else C.GREEN
    assert m.proto.color == want, (m.label, m.delta, worse)


def download_buttons(at: AppTest) -> list[tuple[str, str]]:
    """(label, key) of every download button on the page, in page order."""
    return [(b.proto.label, b.key) for b in at.get("download_button")]


@pytest.fixture
def downloads_made(monkeypatch) -> dict[str, dict]:
    """key → the download button's arguments (``data`` is the on-click callable), recorded
    as the page draws them: AppTest has no runtime to serve a deferred download."""
    from streamlit.delta_generator import DeltaGenerator

    seen: dict[str, dict] = {}
    original = DeltaGenerator.download_button

    def record(self, label, data, file_name=None, mime=None, key=None, **kw):
        seen[key] = {"label": label, "data": data, "file_name": file_name, "mime": mime}
        return original(self, label, data, file_name, mime, key, **kw)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    monkeypatch.setattr(st, "download_button", lambda *a, **kw: record(st._main, *a, **kw))
    return seen


def page_ctx(at: AppTest):
    """The PageContext the app built on its last run (filters, scope, version)."""
    return at.session_state["_page_ctx"]


# slug → the key of the page's tabs drawn only when picked (shell.lazy_tabs)
LAZY_TABS = {"issues": "issues_breakdown", "funds": "funds_breakdown",
             "households": "households_part", "loans": "loans_list"}


def each_tab(at: AppTest, key: str) -> Iterator[str]:
    """Pick each tab of the page's lazily drawn tabs (shell.lazy_tabs, `key`) in turn, as
    the reader's clicks (a rerun each), yielding its label once its content is drawn; the
    first tab is picked again at the end, as the page opens."""
    inner = {id(t) for tab in at.tabs for t in tab.tabs}  # a table's tabs inside a tab
    labels = [tab.label for tab in at.tabs if id(tab) not in inner]
    for label in labels:
        if label != labels[0]:
            at.session_state[key] = label
            at.run()
            assert not at.exception, at.exception
        yield label
    at.session_state[key] = labels[0]
    at.run()


def chart_specs(at: AppTest) -> list[dict]:
    """Every plotly chart on the page as figure JSON, in page order."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def charts_by_title(at: AppTest) -> dict[str, dict]:
    return {spec["layout"]["title"]["text"]: spec for spec in chart_specs(at)}


def trace_by_meta(fig: dict, meta: str) -> dict:
    hits = [tr for tr in fig["data"] if tr.get("meta") == meta]
    assert len(hits) == 1, [tr.get("meta") for tr in fig["data"]]
    return hits[0]


def campaign_query(demo_ledgers, query: dict) -> dict:
    """URL parameters with `asof` given as MM-DD inside the demo campaign's year."""
    year = int(demo_ledgers.phases["start_date"].min().year)
    q = dict(query)
    if "asof" in q:
        q["asof"] = f"{year}-{q['asof']}"
    return q


@contextmanager
def open_case(page: str, case: dict, db_url: str, demo_ledgers) -> Iterator[tuple]:
    """`page` opened at a case's URL parameters (`campaign_query`), having read them:
    (the AppTest, its page context, the demo ledgers of its scope)."""
    q = campaign_query(demo_ledgers, case)
    with pytest.MonkeyPatch.context() as mp, app_test(db_url, mp) as app:
        at = open_page(app, page, **q)
        ctx = at.session_state["_page_ctx"]
        if "asof" in q:
            assert ctx.as_of.isoformat() == q["asof"]
        assert ctx.codes == (tuple(q["t"].split(",")) if "t" in q else None)
        assert ctx.lang == q.get("lang", "zh")
        yield at, ctx, demo_ledgers.scoped(list(ctx.codes) if ctx.codes else None)


def dataframe_with(at: AppTest, column: str):
    """The one st.dataframe of the page with ``column`` (None when there is none)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) <= 1, len(found)
    return found[0] if found else None


def shown_tables(at: AppTest):
    """The page's static tables (shell.table_html: wrapped, a table's tabs, meeting mode),
    each a DataFrame of the cells' text as shown, its columns the declared keys."""
    from html.parser import HTMLParser

    import pandas as pd

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.keys, self.rows, self.text = [], [], None

        def handle_starttag(self, tag, attrs):
            if tag == "th":
                self.keys.append(dict(attrs)["data-key"])
            elif tag == "tr":
                self.rows.append([])
            elif tag == "td":
                self.text = ""

        def handle_data(self, data):
            if self.text is not None:
                self.text += data

        def handle_endtag(self, tag):
            if tag == "td":
                self.rows[-1].append(self.text)
                self.text = None

    out = []
    for md in at.markdown:
        if "class='duzhan-table'" in md.value:
            cells = Cells()
            cells.feed(md.value)
            out.append(pd.DataFrame([r for r in cells.rows if r], columns=cells.keys))
    return out


def shown_table(at: AppTest, column: str):
    """The one static table of the page with ``column`` (None when there is none)."""
    found = [f for f in shown_tables(at) if column in f.columns]
    assert len(found) <= 1, len(found)
    return found[0] if found else None


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def assert_no_household_ids(at: AppTest, ids: set[str]) -> int:
    """No household id of ``ids`` appears in any element of the page (its proto, and every
    cell of a data frame); returns the number of tables searched."""
    import pandas as pd

    seen = 0
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None:
            text = str(proto)
            hits = [i for i in ids if i in text]
            assert not hits, (type(node).__name__, hits[:3])
        value = getattr(node, "value", None)
        if isinstance(value, str) and "class='duzhan-table'" in value:
            seen += 1  # a meeting-mode table (HTML): its text was searched with the proto's
        if type(node).__name__ == "Dataframe" and isinstance(value, pd.DataFrame):
            seen += 1
            for c in value.columns:
                assert not set(value[c].dropna().astype(str)) & ids, c
    return seen
