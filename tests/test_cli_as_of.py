"""`duzhan metrics|brief --as-of` holds to the dashboard's date range: outside it, one clear
line and exit code 2, never a traceback; at its edges, a report."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from duzhan import clock
from duzhan.cli import main

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return f"sqlite:///{tmp_path}/duzhan.db"


@pytest.mark.parametrize("asked", ["1900-01-01", "2014-12-31", "2027-12-04", "9999-12-31"])
@pytest.mark.parametrize("command", [["metrics"], ["brief", "--out", "x.pdf"]])
def test_out_of_range_as_of_is_refused_in_one_line(capsys, store, command, asked):
    code = main([*command, "--as-of", asked, "--db", store, "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (f"--as-of {asked} lies outside the range offered "
                   f"(2015-01-01 to 2027-12-03)\n")


@pytest.mark.parametrize("asked", ["2015-01-01", "2027-12-03"])
def test_the_range_edges_are_accepted(capsys, store, asked):
    assert main(["metrics", "--as-of", asked, "--db", store]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == asked
