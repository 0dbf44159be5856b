"""The demo county's workbook: deterministic, within the contract, and uneven on purpose."""
from __future__ import annotations

import hashlib
import time
from datetime import date, timedelta
from functools import cache

import openpyxl
import pandas as pd
import pytest

from duzhan.contract import LEDGERS
from duzhan.demo import DEMO_COUNTY_NAME, DEMO_MARK
from duzhan.demo.county import (
    BEHIND_TOWNSHIP,
    FUNDING_SOURCES,
    ISSUE_CATEGORIES,
    ISSUE_SOURCES,
    LAGGING_FUNDING_SOURCE,
    LOAN_RISK_TOWNSHIP,
    PROJECT_CATEGORIES,
    TOWNSHIPS,
    YELLOW_TOWNSHIPS,
)
from duzhan.demo.generator import DEFAULT_SEED, build_demo_frames, write_demo_ledgers
from tests.metrics.oracle import funds_figures, oracle_report, read_ledgers

from .helpers import read_workbook

TODAY = date(2026, 11, 26)


@cache
def today_frames() -> dict[str, pd.DataFrame]:
    """build_demo_frames(TODAY), made once for the tests that only read it."""
    return build_demo_frames(TODAY)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    t0 = time.perf_counter()
    paths = write_demo_ledgers(out, today=TODAY)
    elapsed = time.perf_counter() - t0
    return paths, elapsed


@pytest.fixture(scope="module")
def ledgers(workbook):
    (path,), _ = workbook
    return read_workbook(path)


def test_one_workbook_named(workbook):
    paths, _ = workbook  # the seconds are a figure for scripts, not an assertion here
    assert [p.name for p in paths] == [f"{DEMO_COUNTY_NAME}台账.xlsx"]


def test_sheets_and_headers_are_chinese(workbook):
    (path,), _ = workbook
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == [led.zh for led in LEDGERS.values()]
    for led in LEDGERS.values():
        header = next(wb[led.zh].iter_rows(max_row=1, values_only=True))
        assert list(header) == [c.zh for c in led.columns]
    assert DEMO_MARK in (wb.properties.title or "")
    wb.close()


def test_cell_types(workbook):
    (path,), _ = workbook
    wb = openpyxl.load_workbook(path, read_only=True)
    loans = wb[LEDGERS["loans"].zh]
    row = list(next(loans.iter_rows(min_row=2, max_row=2)))
    by_key = dict(zip(LEDGERS["loans"].keys, row, strict=False))
    for key in ("loan_id", "township_code", "household_id"):
        assert by_key[key].data_type == "s"
    assert by_key["loan_id"].value.startswith("0")  # leading zero kept as text
    assert by_key["principal"].data_type == "n" and by_key["principal"].number_format == "0.00"
    assert by_key["issued_date"].is_date
    prj = dict(zip(LEDGERS["projects"].keys,
                   next(wb[LEDGERS["projects"].zh].iter_rows(min_row=2, max_row=2)), strict=False))
    assert prj["allocated_date"].is_date and prj["allocated_amount"].number_format == "0.00"
    # a choice as the clerk writes it (its Chinese word), a month as a date shown yyyy-mm
    sup = dict(zip(LEDGERS["supervisions"].keys,
                   next(wb[LEDGERS["supervisions"].zh].iter_rows(min_row=2, max_row=2)), strict=False))
    assert sup["rating"].value in {c.zh for c in LEDGERS["supervisions"].column("rating").choices}
    rep = dict(zip(LEDGERS["reports"].keys,
                   next(wb[LEDGERS["reports"].zh].iter_rows(min_row=2, max_row=2)), strict=False))
    assert rep["month"].is_date and rep["month"].value.day == 1
    assert rep["month"].number_format == "yyyy-mm"
    wb.close()


def test_same_seed_same_bytes(workbook, tmp_path):
    (first,), _ = workbook
    again = write_demo_ledgers(tmp_path / "again", today=TODAY)[0]
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(again.read_bytes()).digest()


def test_same_seed_same_sheets():
    x, y = today_frames(), build_demo_frames(TODAY, seed=DEFAULT_SEED)
    for key in x:
        pd.testing.assert_frame_equal(x[key], y[key])
    z = build_demo_frames(TODAY, seed=DEFAULT_SEED + 1)
    assert not x["issues"].equals(z["issues"])


def test_row_counts(ledgers):
    n = {k: len(v) for k, v in ledgers.items()}
    assert n["townships"] == 12
    assert 90 <= n["villages"] <= 110
    assert 15 <= ledgers["villages"]["listed"].eq("是").sum() <= 25
    assert n["phases"] == 5
    per_phase = ledgers["tasks"].groupby("phase_no").size()
    assert per_phase.between(200, 300).all(), per_phase
    assert 1200 <= n["issues"] <= 1700
    assert 330 <= n["projects"] <= 420
    assert n["disbursements"] >= 2 * n["projects"] * 0.8
    assert 5500 <= n["loans"] <= 6500
    assert n["repayments"] >= 2000
    # the supervision and household ledgers (their story: tests/demo/test_campaign_story.py)
    assert 3 <= n["sites"] <= 6
    assert 9 * n["sites"] <= n["site_checks"] <= 11 * n["sites"]  # monthly since February
    assert 250 <= n["supervisions"] <= 500
    assert 100 <= n["reports"] <= 12 * 11
    assert 200 <= n["monitored"] <= 400
    assert 3000 <= n["guarantees"] <= 10_000


def test_matches_the_workbook_frames(ledgers):
    frames = today_frames()
    for key in ledgers:
        assert len(frames[key]) == len(ledgers[key]), key


def _ok_dates(s: pd.Series) -> pd.Series:
    return s.map(lambda v: v is None or isinstance(v, date))


def test_contract_rules(ledgers):
    L = ledgers
    # required columns filled, ids unique, typed values
    for key, df in L.items():
        led = LEDGERS[key]
        for c in led.columns:
            if c.required:
                assert df[c.key].notna().all(), (key, c.key)
            if c.unique:
                assert df[c.key].is_unique, (key, c.key)
            if c.type == "date":
                assert _ok_dates(df[c.key]).all(), (key, c.key)
            if c.positive:
                assert (df[c.key] > 0).all(), (key, c.key)
            if c.type == "decimal":
                vals = df[c.key].dropna().astype(float)
                if c.key in ("longitude", "latitude"):
                    assert vals.between(c.min_value, c.max_value).all()
                else:  # to the fen
                    assert ((vals * 100).round(6) % 1 == 0).all(), (key, c.key)
    tw = set(L["townships"]["township_code"])
    assert all(len(c) == 9 and c.isdigit() for c in tw)
    assert (L["townships"]["households"] >= 0).all()
    vill = L["villages"].set_index("village_code")["township_code"]
    assert set(vill) <= tw
    assert set(L["villages"]["listed"]) <= {"是", "否"}

    ph = L["phases"].sort_values("phase_no")
    assert list(ph["phase_no"]) == [1, 2, 3, 4, 5]
    assert (ph["end_date"] >= ph["start_date"]).all()
    assert all(a < b for a, b in zip(ph["end_date"][:-1], ph["start_date"][1:], strict=False))
    assert {d.year for d in ph["start_date"]} == {TODAY.year}

    t = L["tasks"]
    assert set(t["phase_no"]) <= set(ph["phase_no"])
    assert set(t["township_code"].dropna()) <= tw
    assert t["township_code"].isna().sum() > 0  # county-wide tasks exist
    assert all(d is None or d <= TODAY for d in t["done_date"])

    def village_of_township(df):
        v = df.dropna(subset=["village_code"])
        return (v["village_code"].map(vill) == v["township_code"]).all()

    i = L["issues"]
    assert set(i["township_code"]) <= tw and village_of_township(i)
    assert (i["deadline"] >= i["found_date"]).all()
    gap = i["deadline"].map(date.toordinal) - i["found_date"].map(date.toordinal)
    assert gap.between(15, 90).all()
    closed = i.dropna(subset=["closed_date"])
    assert (closed["closed_date"] >= closed["found_date"]).all()
    assert (closed["closed_date"] <= TODAY).all() and (i["found_date"] <= TODAY).all()
    assert set(i["source"]) <= set(ISSUE_SOURCES)
    assert set(i["category"]) <= set(ISSUE_CATEGORIES)
    first_half = i["found_date"] <= date(TODAY.year, 6, 30)
    assert first_half.mean() > 0.6

    p = L["projects"]
    assert set(p["township_code"]) <= tw
    assert set(p["funding_source"]) == set(FUNDING_SOURCES)
    assert set(p["category"]) <= set(PROJECT_CATEGORIES)
    assert (p["allocated_date"] <= TODAY).all()
    d = L["disbursements"].merge(p, on="project_id", how="left")
    assert d["allocated_amount"].notna().all()  # every project known
    assert (d["paid_date"] >= d["allocated_date"]).all() and (d["paid_date"] <= TODAY).all()
    fen_paid = (d["amount"] * 100).round().astype(int).groupby(d["project_id"]).sum()
    fen_alloc = (p.set_index("project_id")["allocated_amount"] * 100).round().astype(int)
    assert (fen_paid <= fen_alloc.loc[fen_paid.index]).all()

    lo = L["loans"]
    assert set(lo["township_code"]) <= tw and village_of_township(lo)
    assert lo["principal"].between(10_000, 50_000).all()
    assert (lo["due_date"] > lo["issued_date"]).all()
    assert (lo["issued_date"] <= TODAY).all()
    assert (lo["issued_date"] >= TODAY - timedelta(days=3 * 366)).all()
    ext = lo.dropna(subset=["extended_due_date"])
    assert (ext["extended_due_date"] > ext["due_date"]).all()
    assert 0.05 <= len(ext) / len(lo) <= 0.11
    assert lo["household_id"].str.fullmatch(r"H\d{10}").all()
    r = L["repayments"].merge(lo, on="loan_id", how="left")
    assert r["principal"].notna().all()
    assert (r["paid_date"] >= r["issued_date"]).all() and (r["paid_date"] <= TODAY).all()
    fen_rep = (r["principal_amount"] * 100).round().astype(int).groupby(r["loan_id"]).sum()
    fen_pr = (lo.set_index("loan_id")["principal"] * 100).round().astype(int)
    assert (fen_rep <= fen_pr.loc[fen_rep.index]).all()


def test_townships_come_from_the_one_list(ledgers):
    df = ledgers["townships"]
    assert list(df["township_code"]) == [t.code for t in TOWNSHIPS]
    assert list(df["township_name"]) == [t.name for t in TOWNSHIPS]


@cache
def demo_figures(as_of: date) -> tuple[dict, dict]:
    """The demo county as of a day, by the oracle (tests/metrics/oracle.py): township code →
    its JSON figures, and funding source → disbursement rate. Made once a day: the tests
    only read them."""
    frames = today_frames() if as_of == TODAY else build_demo_frames(as_of)
    data = {k: df.to_dict("records") for k, df in frames.items()}
    report = oracle_report(data, as_of)
    L = read_ledgers(data)
    by_source = {}
    for src in sorted({p["funding_source"] for p in L["projects"]}):
        ids = {p["project_id"] for p in L["projects"] if p["funding_source"] == src}
        fig = funds_figures([p for p in L["projects"] if p["project_id"] in ids],
                            [d for d in L["disbursements"] if d["project_id"] in ids], as_of)
        by_source[src] = fig["disbursement_rate"]
    return {t["township_code"]: t for t in report["townships"]}, by_source


def current_phase_overdue(t: dict) -> int:
    ph = t["phases"]
    return sum(p["tasks_overdue"] for p in ph["by_phase"] if p["phase_no"] == ph["current_phase"])


AS_OF_DATES = [TODAY, date(2026, 6, 30), date(2026, 9, 15), date(2025, 10, 20), date(2027, 8, 1)]


@pytest.mark.parametrize("as_of", AS_OF_DATES + [date.today()], ids=str)
def test_unevenness(as_of):
    if as_of < date(as_of.year, 5, 1):
        pytest.skip("the campaign has barely started")
    by, fs = demo_figures(as_of)
    behind = by[BEHIND_TOWNSHIP]
    others = [t for c, t in by.items() if c != BEHIND_TOWNSHIP]
    assert behind["issues"]["overdue_open"] > max(t["issues"]["overdue_open"] for t in others)
    assert behind["issues"]["overdue_open"] >= 10
    assert current_phase_overdue(behind) > 0 or as_of.day < 10
    assert by[LOAN_RISK_TOWNSHIP]["loans"]["overdue_rate"] > 0.03
    assert min(fs, key=fs.get) == LAGGING_FUNDING_SOURCE
    assert fs[LAGGING_FUNDING_SOURCE] < 0.7 * min(v for k, v in fs.items()
                                                 if k != LAGGING_FUNDING_SOURCE)
    greens = [t for t in by.values() if t["status"] == "green"]
    assert len(greens) >= 5


def test_lights_as_of_the_reference_day():
    by, _ = demo_figures(TODAY)
    light = {code: t["status"] for code, t in by.items()}
    assert light[BEHIND_TOWNSHIP] == "red" and light[LOAN_RISK_TOWNSHIP] == "red"
    assert all(light[c] == "yellow" for c in YELLOW_TOWNSHIPS)
    others = set(light) - {BEHIND_TOWNSHIP, LOAN_RISK_TOWNSHIP, *YELLOW_TOWNSHIPS}
    # A green township closes issues within days (立行立改); one found in the last days is
    # still open, and the net forecast (metrics.md) then has no shrinking pace: yellow for
    # that reason alone, never red.
    assert sum(light[c] == "green" for c in others) >= 5
    assert all(light[c] == "green" or by[c]["status_reasons"] == ["net_forecast_none"]
               for c in others)
    yellow_loans = by[YELLOW_TOWNSHIPS[0]]
    assert 0.01 < yellow_loans["loans"]["overdue_rate"] <= 0.03


def test_default_today_is_the_countys_today(tmp_path):
    from duzhan import clock

    frames = build_demo_frames()
    assert frames["phases"]["start_date"].iloc[0].year == clock.today().year
    assert max(frames["loans"]["issued_date"]) <= clock.today()
