"""A date no import would accept, written into the store around the importer (a loan due
2300-01-09, an issue found 1500-05-01), crashes no page: every page opens, leaves those
rows out and says so in its header."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from duzhan.store.db import make_engine
from duzhan.views import registry

from .conftest import app_test, open_page


@pytest.fixture(scope="module")
def bad_dates_url(demo_db_url, tmp_path_factory):
    src = sqlite3.connect(demo_db_url.removeprefix("sqlite:///"))
    path = tmp_path_factory.mktemp("bad-dates") / "duzhan.db"
    dst = sqlite3.connect(path)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with engine.begin() as conn:
        loan = conn.execute(text("SELECT loan_id FROM loans ORDER BY loan_id LIMIT 1")).scalar()
        issue = conn.execute(text("SELECT issue_id FROM issues ORDER BY issue_id LIMIT 1")).scalar()
        conn.execute(text("UPDATE loans SET due_date = '2300-01-09' WHERE loan_id = :i"),
                     {"i": loan})
        conn.execute(text("UPDATE issues SET found_date = '1500-05-01' WHERE issue_id = :i"),
                     {"i": issue})
    engine.dispose()
    return url


@pytest.mark.parametrize("slug", [p.slug for p in registry.PAGES])
def test_every_page_opens_and_names_what_it_leaves_out(bad_dates_url, monkeypatch, slug):
    with app_test(bad_dates_url, monkeypatch) as at:
        at = open_page(at, slug)
        assert not at.exception
        notes = [w.value for w in at.warning if "1990-01-01 至 2100-12-31" in w.value]
        assert len(notes) == 1, [w.value for w in at.warning]
        assert "问题 1 行" in notes[0] and "小额信贷 1 行" in notes[0]
