"""The county's clock: $DUZHAN_TODAY pins today; `duzhan demo --today` pins the demo county."""
from __future__ import annotations

import datetime as dt

import pytest

from duzhan import clock
from duzhan.cli import main as duzhan
from duzhan.store.db import make_engine
from duzhan.store.lookup import last_event_date


def test_duzhan_today_pins_today(monkeypatch):
    monkeypatch.setenv("DUZHAN_TODAY", "2025-03-04")
    assert clock.today() == dt.date(2025, 3, 4)
    assert clock.default_as_of(None) == dt.date(2025, 3, 4)
    assert clock.default_as_of(dt.date(2025, 1, 31)) == dt.date(2025, 1, 31)


def test_without_duzhan_today_it_is_the_beijing_date(monkeypatch):
    monkeypatch.delenv("DUZHAN_TODAY", raising=False)
    before = dt.datetime.now(clock.BEIJING).date()
    got = clock.today()
    assert before <= got <= dt.datetime.now(clock.BEIJING).date()


@pytest.mark.parametrize("bad", ["2025-02-30", "tomorrow", "04.03.2025"])
def test_a_bad_duzhan_today_names_the_variable(monkeypatch, bad):
    monkeypatch.setenv("DUZHAN_TODAY", bad)
    with pytest.raises(clock.BadToday, match=rf"DUZHAN_TODAY={bad!r} is not a date \(YYYY-MM-DD\)"):
        clock.today()


def test_the_cli_reports_a_bad_duzhan_today_without_a_traceback(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DUZHAN_TODAY", "soon")
    assert duzhan(["init", "--demo", "--db", f"sqlite:///{tmp_path}/d.db"]) == 2
    assert "DUZHAN_TODAY='soon' is not a date (YYYY-MM-DD)" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["demo"], ["init", "--demo"]])
def test_today_flag_sets_the_demo_countys_present(monkeypatch, tmp_path, command):
    # --today wins over $DUZHAN_TODAY; nothing in the demo happens after its present
    monkeypatch.setenv("DUZHAN_TODAY", "2026-11-18")
    url = f"sqlite:///{tmp_path}/d.db"
    assert duzhan([*command, "--today", "2026-06-10", "--db", url]) == 0
    engine = make_engine(url)
    try:
        last = last_event_date(engine)
    finally:
        engine.dispose()
    assert dt.date(2026, 6, 1) <= last <= dt.date(2026, 6, 10)


def test_the_demo_follows_duzhan_today(monkeypatch, tmp_path):
    monkeypatch.setenv("DUZHAN_TODAY", "2026-05-20")
    url = f"sqlite:///{tmp_path}/d.db"
    assert duzhan(["demo", "--db", url]) == 0
    engine = make_engine(url)
    try:
        last = last_event_date(engine)
    finally:
        engine.dispose()
    assert dt.date(2026, 5, 10) <= last <= dt.date(2026, 5, 20)
