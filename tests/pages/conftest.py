"""AppTest fixtures: the demo county in a temporary SQLite file, the app from its entry point."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from duzhan.metrics.report import metrics_report, scope_metrics

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app(demo_db_url, monkeypatch):
    """An AppTest of app.py on the demo county; call `.run()` after setting query params."""
    monkeypatch.setenv("DUZHAN_DATABASE_URL", demo_db_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    yield at
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(at: AppTest, page: str, **query: str) -> AppTest:
    """Run app.py with URL parameters, then switch to the page whose URL slug is `page`."""
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    if page != "overview":
        at.switch_page(f"pages/{page}_page.py")
        at.run()
        assert not at.exception, at.exception
    return at


def expected_report(ledgers, as_of: dt.date, codes=None) -> dict:
    return metrics_report(ledgers, as_of, codes)


def expected_scope(ledgers, as_of: dt.date, codes=None) -> dict:
    return scope_metrics(ledgers, as_of, codes)


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
