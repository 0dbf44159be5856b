"""Issues · 问题整改销号: hand-worked golden cases (D = 2024-06-30 unless said)."""
import datetime as dt
import math

import pandas as pd
import pytest

from duzhan.metrics import issues as m
from duzhan.metrics.frames import Ledgers

D = "2024-06-30"


def issue(i, found, deadline, closed=None, town="01", dept="d1", source="审计", cat="住房安全"):
    return {"issue_id": i, "township_code": town, "department": dept, "source": source,
            "category": cat, "found_date": found, "deadline": deadline, "closed_date": closed}


def frame(*rows):
    return Ledgers.from_records(issues=list(rows)).issues


def test_golden_counts():
    f = frame(
        issue("I1", "2024-06-01", "2024-06-29"),                # open, deadline < D: overdue
        issue("I2", "2024-06-01", "2024-06-30"),                # open, deadline = D: not overdue
        issue("I3", "2024-06-01", "2024-07-10", "2024-06-10"),  # closed in window
        issue("I4", "2024-07-01", "2024-07-10"),                # found after D: does not exist
        issue("I5", "2024-05-01", "2024-05-31", "2024-07-02"),  # closed after D: open, overdue
    )
    got = m.issue_metrics(f, D)
    # found = I1,I2,I3,I5 = 4; closed = I3 = 1; open = 3; rate 1/4
    # overdue = I1 (06-29 < 06-30), I5 (05-31) = 2; I2 on its deadline day is not overdue
    # closed_last_28d = I3 (06-10 ≥ 06-03) = 1
    # forecast = D + ceil(3*28/1) = D + 84 = 2024-09-22 (Jul 31 = +31, Aug 31 = +62, Sep 22 = +84)
    # clearance_target = max deadline of open (06-29, 06-30, 05-31) = 06-30
    # found_last_28d = found 06-03 … 06-30: none (06-01, 05-01); net pace 1 − 0 → 09-22 too
    assert got == {
        "found": 4, "closed": 1, "open": 3, "closure_rate": 0.25, "overdue_open": 2,
        "closed_last_28d": 1, "forecast_clear_date": dt.date(2024, 9, 22),
        "clearance_target": dt.date(2024, 6, 30),
        "found_last_28d": 0, "net_forecast_clear_date": dt.date(2024, 9, 22),
    }


def test_deadline_day_not_overdue():
    f = frame(issue("I", "2024-06-01", "2024-06-30"))
    assert m.issue_metrics(f, "2024-06-30")["overdue_open"] == 0
    assert m.issue_metrics(f, "2024-07-01")["overdue_open"] == 1


@pytest.mark.parametrize(
    "closed, counted",
    [
        ("2024-06-03", 1),  # D − 27: in
        ("2024-06-02", 0),  # D − 28: out
        ("2024-06-30", 1),  # D itself: in
        ("2024-07-01", 0),  # after D: not closed yet
    ],
)
def test_closed_last_28d_window_edges(closed, counted):
    f = frame(issue("I", "2024-05-01", "2024-12-31", closed))
    assert m.issue_metrics(f, D)["closed_last_28d"] == counted


@pytest.mark.parametrize(
    "n_open, n_closed, expected",
    [
        (2, 3, dt.date(2024, 7, 19)),  # ceil(2*28/3) = ceil(18.67) = 19 → Jun 30 + 19 = Jul 19
        (3, 4, dt.date(2024, 7, 21)),  # 3*28/4 = 21 exactly → Jul 21
        (1, 28, dt.date(2024, 7, 1)),  # 1*28/28 = 1 → Jul 1
        (1, 29, dt.date(2024, 7, 1)),  # ceil(28/29) = 1, never 0 days while open
    ],
)
def test_forecast_ceil(n_open, n_closed, expected):
    rows = [issue(f"O{i}", "2024-06-01", "2024-12-31") for i in range(n_open)]
    rows += [issue(f"C{i}", "2024-06-01", "2024-12-31", "2024-06-20") for i in range(n_closed)]
    got = m.issue_metrics(frame(*rows), D)
    assert got["forecast_clear_date"] == expected


def test_open_zero_forecast_is_D():
    # nothing open (even though nothing closed recently): forecast = D, no target
    f = frame(issue("I", "2024-01-01", "2024-02-01", "2024-01-15"))
    got = m.issue_metrics(f, D)
    assert got["closed_last_28d"] == 0
    assert got["forecast_clear_date"] == dt.date(2024, 6, 30)
    assert got["clearance_target"] is None


def test_no_recent_closures_forecast_null():
    f = frame(issue("A", "2024-01-01", "2024-12-01"),
              issue("B", "2024-01-01", "2024-02-01", "2024-06-02"))  # D − 28: outside window
    got = m.issue_metrics(f, D)
    assert got["open"] == 1
    assert got["forecast_clear_date"] is None
    assert got["clearance_target"] == dt.date(2024, 12, 1)


def test_empty_answers():
    got = m.issue_metrics(Ledgers.empty().issues, D)
    assert got == {"found": 0, "closed": 0, "open": 0, "closure_rate": None, "overdue_open": 0,
                   "closed_last_28d": 0, "forecast_clear_date": dt.date(2024, 6, 30),
                   "clearance_target": None, "found_last_28d": 0,
                   "net_forecast_clear_date": dt.date(2024, 6, 30)}


@pytest.mark.parametrize(
    "found, counted",
    [
        ("2024-06-03", 1),  # D − 27: in
        ("2024-06-02", 0),  # D − 28: out
        ("2024-06-30", 1),  # D itself: in
        ("2024-07-01", 0),  # after D: does not exist yet
    ],
)
def test_found_last_28d_window_edges(found, counted):
    f = frame(issue("I", found, "2024-12-31"))
    assert m.issue_metrics(f, D)["found_last_28d"] == counted


def test_net_forecast_open_zero_is_D_whatever_the_pace():
    # all closed, 2 found and 1 closed in the window (net −1): nothing open → D
    f = frame(issue("A", "2024-06-10", "2024-12-31", "2024-06-20"),
              issue("B", "2024-06-10", "2024-12-31", "2024-06-25"),
              issue("C", "2024-01-10", "2024-02-01", "2024-02-20"))
    got = m.issue_metrics(f, D)
    assert (got["open"], got["found_last_28d"], got["closed_last_28d"]) == (0, 2, 2)
    assert got["net_forecast_clear_date"] == dt.date(2024, 6, 30)


@pytest.mark.parametrize("n_found_recent", [3, 4])
def test_net_forecast_null_when_list_does_not_shrink(n_found_recent):
    # 3 closed in the window; 3 found (net 0) or 4 found (net −1): null, while the
    # closing-only forecast still gives a date: D + ceil(open × 28 / 3)
    rows = [issue(f"C{i}", "2024-05-01", "2024-12-31", "2024-06-20") for i in range(3)]
    rows += [issue(f"N{i}", "2024-06-15", "2024-12-31") for i in range(n_found_recent)]
    got = m.issue_metrics(frame(*rows), D)
    assert got["open"] == n_found_recent
    assert got["net_forecast_clear_date"] is None
    assert got["forecast_clear_date"] == dt.date(2024, 6, 30) + dt.timedelta(
        days=math.ceil(n_found_recent * 28 / 3))


@pytest.mark.parametrize(
    "n_old_open, n_new, n_closed, days",
    [
        (2, 1, 4, 28),  # open 3, net 3: 3·28/3 = 28 exactly → D + 28 = Jul 28
        (1, 1, 5, 14),  # open 2, net 4: 56/4 = 14 → Jul 14
        (2, 2, 5, 38),  # open 4, net 3: ceil(112/3) = ceil(37.33) = 38 → Aug 7
        (0, 1, 30, 1),  # open 1, net 29: ceil(28/29) = 1, never 0 days while open
    ],
)
def test_net_forecast_ceil(n_old_open, n_new, n_closed, days):
    rows = [issue(f"O{i}", "2024-05-01", "2024-12-31") for i in range(n_old_open)]
    rows += [issue(f"N{i}", "2024-06-29", "2024-12-31") for i in range(n_new)]
    rows += [issue(f"C{i}", "2024-05-01", "2024-12-31", "2024-06-03") for i in range(n_closed)]
    got = m.issue_metrics(frame(*rows), D)
    assert got["found_last_28d"] == n_new and got["closed_last_28d"] == n_closed
    assert got["net_forecast_clear_date"] == dt.date(2024, 6, 30) + dt.timedelta(days=days)


def test_net_forecast_window_edge_found_on_D_minus_28_does_not_count():
    # open 2 (found D−28 and D−27), closed 2 in the window: only D−27 counts as found,
    # net = 2 − 1 = 1 → D + 56; with both in the window net = 0 → null
    rows = [issue("C1", "2024-05-01", "2024-12-31", "2024-06-10"),
            issue("C2", "2024-05-01", "2024-12-31", "2024-06-11"),
            issue("O1", "2024-06-02", "2024-12-31"), issue("O2", "2024-06-03", "2024-12-31")]
    got = m.issue_metrics(frame(*rows), D)
    assert got["found_last_28d"] == 1
    assert got["net_forecast_clear_date"] == dt.date(2024, 8, 25)
    assert m.issue_metrics(frame(*rows), "2024-06-29")["net_forecast_clear_date"] is None


def test_net_forecast_by_township():
    rows = [issue("A", "2024-06-20", "2024-12-31", town="01"),
            issue("B", "2024-05-01", "2024-12-31", "2024-06-20", town="01"),
            issue("C", "2024-05-01", "2024-12-31", town="02"),
            issue("D", "2024-05-01", "2024-12-31", "2024-06-20", town="02")]
    got = m.issue_metrics_by(frame(*rows), D, groups=["01", "02", "03"])
    assert got["01"]["net_forecast_clear_date"] is None           # 1 closed, 1 found
    assert got["02"]["net_forecast_clear_date"] == dt.date(2024, 7, 28)  # net 1, open 1
    assert got["03"]["net_forecast_clear_date"] == dt.date(2024, 6, 30)  # no rows: D
    assert [got[c]["found_last_28d"] for c in ("01", "02", "03")] == [1, 0, 0]


def test_replay_ignores_events_after_D():
    f = frame(issue("A", "2024-06-01", "2024-06-10", "2024-06-20"),
              issue("B", "2024-06-25", "2024-07-05"))
    # as of 06-15: only A exists, still open, 5 days overdue (deadline 06-10)
    early = m.issue_metrics(f, "2024-06-15")
    assert (early["found"], early["closed"], early["open"], early["overdue_open"]) == (1, 0, 1, 1)
    late = m.issue_metrics(f, "2024-06-30")
    assert (late["found"], late["closed"], late["open"], late["overdue_open"]) == (2, 1, 1, 0)


def test_overdue_list_days():
    f = frame(
        issue("I1", "2024-06-01", "2024-06-29"),  # d(06-29, 06-30) = 1
        issue("I5", "2024-05-01", "2024-05-31"),  # d(05-31, 06-30) = 30
        issue("I2", "2024-06-01", "2024-06-30"),  # deadline day: not listed
        issue("I3", "2024-05-01", "2024-05-02", "2024-05-03"),  # closed: not listed
    )
    got = m.overdue_list(f, D)
    assert got["issue_id"].tolist() == ["I5", "I1"]
    assert got["days_overdue"].tolist() == [30, 1]


def test_breakdown_by_department():
    f = frame(
        issue("A", "2024-06-01", "2024-06-10", dept="水利局"),               # open overdue
        issue("B", "2024-06-01", "2024-07-10", "2024-06-05", dept="水利局"),  # closed
        issue("C", "2024-06-01", "2024-07-10", dept="教育局"),               # open
        issue("E", "2024-07-05", "2024-07-10", dept="卫健局"),               # after D
    )
    got = m.breakdown(f, D, "department").set_index("department")
    # 卫健局 has no issue found by D: left out
    assert sorted(got.index) == ["教育局", "水利局"]
    assert got.loc["水利局", ["found", "closed", "open", "overdue_open"]].tolist() == [2, 1, 1, 1]
    assert got.loc["水利局", "closure_rate"] == 0.5
    assert got.loc["教育局", ["found", "closed", "open", "overdue_open"]].tolist() == [1, 0, 1, 0]
    assert got.loc["教育局", "closure_rate"] == 0.0
    listed = m.breakdown(f, D, "township_code", groups=["01", "09"]).set_index("township_code")
    assert listed.loc["09", "found"] == 0 and math.isnan(listed.loc["09", "closure_rate"])


def test_burndown_series():
    f = frame(issue("A", "2024-05-30", "2024-06-30", "2024-06-01"),
              issue("B", "2024-06-02", "2024-06-30"),
              issue("C", "2024-06-05", "2024-06-30"))  # after D
    phases = Ledgers.from_records(phases=[{"phase_no": 1, "phase_name": "一",
                                           "start_date": "2024-06-01",
                                           "end_date": "2024-06-30"}]).phases
    s = m.burndown_series(f, phases, "2024-06-03")
    # earliest found (05-30) is before the first phase start (06-01): series starts 05-30
    assert [d.strftime("%m-%d") for d in s["date"]] == ["05-30", "05-31", "06-01", "06-02", "06-03"]
    assert s["found"].tolist() == [1, 1, 1, 2, 2]
    assert s["closed"].tolist() == [0, 0, 1, 1, 1]
    assert s["open"].tolist() == [1, 1, 0, 1, 1]
    early = Ledgers.from_records(phases=[{"phase_no": 1, "phase_name": "一",
                                          "start_date": "2024-05-28",
                                          "end_date": "2024-06-30"}]).phases
    s2 = m.burndown_series(f, early, "2024-06-03")
    assert s2["date"].iloc[0].strftime("%m-%d") == "05-28"
    assert s2["open"].tolist()[:2] == [0, 0]


def test_ideal_line():
    s = m.ideal_line(10, "2024-06-01", "2024-06-06")
    # d(S, T) = 5: 10*5/5, 10*4/5, ..., 10*0/5
    assert s["ideal"].tolist() == [10.0, 8.0, 6.0, 4.0, 2.0, 0.0]
    assert s["date"].iloc[-1].strftime("%Y-%m-%d") == "2024-06-06"
    assert len(m.ideal_line(10, "2024-06-06", "2024-06-01")) == 0
    assert len(m.ideal_line(10, "2024-06-06", None)) == 0
    one = m.ideal_line(10, "2024-06-06", "2024-06-06")  # d(S, T) = 0: null
    assert len(one) == 1 and math.isnan(one["ideal"].iloc[0])


def test_forecast_band_constant_rate():
    # 1 closure on each of the 28 days: every resampled day closes 1, 10 open → 10 days
    rows = [issue(f"C{k}", "2024-05-01", "2024-12-31",
                  (dt.date(2024, 6, 30) - dt.timedelta(days=k)).isoformat()) for k in range(28)]
    rows += [issue(f"O{k}", "2024-05-01", "2024-12-31") for k in range(10)]
    got = m.forecast_band(frame(*rows), D)
    assert got["p50"] == got["p85"] == dt.date(2024, 7, 10)


def test_forecast_band_spread_and_determinism():
    # 14 days with 2 closures, 14 days with none: a day clears 2 with p = 1/2.
    # open = 2: n ~ geometric(1/2); P(n ≤ 2) = .75 < .85 ≤ P(n ≤ 3) = .875 → P85 = D + 3
    rows = []
    for k in range(14):
        day = (dt.date(2024, 6, 30) - dt.timedelta(days=2 * k)).isoformat()
        rows += [issue(f"C{k}a", "2024-05-01", "2024-12-31", day),
                 issue(f"C{k}b", "2024-05-01", "2024-12-31", day)]
    rows += [issue("O1", "2024-05-01", "2024-12-31"), issue("O2", "2024-05-01", "2024-12-31")]
    f = frame(*rows)
    got = m.forecast_band(f, D)
    assert got["p85"] == dt.date(2024, 7, 3)
    assert got["p50"] in (dt.date(2024, 7, 1), dt.date(2024, 7, 2))
    assert m.forecast_band(f, D) == got  # fixed seed


def test_forecast_band_edges():
    none_recent = frame(issue("A", "2024-01-01", "2024-12-01"),
                        issue("B", "2024-01-01", "2024-02-01", "2024-05-01"))
    assert m.forecast_band(none_recent, D) is None
    all_closed = frame(issue("B", "2024-01-01", "2024-02-01", "2024-05-01"))
    got = m.forecast_band(all_closed, D)
    assert got["p50"] == got["p85"] == dt.date(2024, 6, 30)


def test_forecast_band_net_pace_constant():
    # each of the 28 days: 2 old issues closed and 1 new one found (net +1 every day);
    # open = the 28 new ones → every run clears on day 28 (the closing-only pace, 2 a day,
    # would say day 14). Agrees with net_forecast_clear_date = D + ceil(28·28 / (56 − 28)).
    rows = []
    for k in range(28):
        day = (dt.date(2024, 6, 30) - dt.timedelta(days=k)).isoformat()
        rows += [issue(f"C{k}a", "2024-05-01", "2024-12-31", day),
                 issue(f"C{k}b", "2024-05-01", "2024-12-31", day),
                 issue(f"N{k}", day, "2024-12-31")]
    f = frame(*rows)
    got = m.forecast_band(f, D)
    assert m.issue_metrics(f, D)["open"] == 28
    assert got["p50"] == got["p85"] == dt.date(2024, 7, 28)
    assert m.issue_metrics(f, D)["net_forecast_clear_date"] == dt.date(2024, 7, 28)


def test_forecast_band_net_spread():
    # 14 days net +2 (2 closed, 0 found), 14 days net −1 (0 closed, 1 found): Σ = 14 > 0.
    # open = 16 (2 old + 14 new). A day adds +2 or −1 with p = ½; the band is wide and
    # P50 ≤ P85; both later than the closing-only pace would give.
    rows = []
    for k in range(28):
        day = (dt.date(2024, 6, 30) - dt.timedelta(days=k)).isoformat()
        if k % 2 == 0:
            rows += [issue(f"C{k}a", "2024-05-01", "2024-12-31", day),
                     issue(f"C{k}b", "2024-05-01", "2024-12-31", day)]
        else:
            rows.append(issue(f"N{k}", day, "2024-12-31"))
    rows += [issue("O1", "2024-05-01", "2024-12-31"), issue("O2", "2024-05-01", "2024-12-31")]
    f = frame(*rows)
    got = m.forecast_band(f, D)
    assert m.issue_metrics(f, D)["open"] == 16
    # mean net ½ a day → about 32 days; day 16 needs S_16 ≥ 16 (mean 8, sd 6): P ≈ 10%,
    # so P50 is after D + 16; day 92 is ~4 sd away
    assert dt.date(2024, 7, 16) < got["p50"] <= got["p85"] < dt.date(2024, 9, 30)
    assert m.forecast_band(f, D) == got  # fixed seed


@pytest.mark.parametrize("found_per_day", [1, 2])
def test_forecast_band_none_when_net_pace_not_positive(found_per_day):
    # 1 closed a day for 28 days, 1 (net 0) or 2 (net −1) found a day: no band, as the net
    # forecast is null; with the old closing-only pace a band would have been drawn
    rows = []
    for k in range(28):
        day = (dt.date(2024, 6, 30) - dt.timedelta(days=k)).isoformat()
        rows.append(issue(f"C{k}", "2024-05-01", "2024-12-31", day))
        rows += [issue(f"N{k}{j}", day, "2024-12-31") for j in range(found_per_day)]
    f = frame(*rows)
    assert m.issue_metrics(f, D)["net_forecast_clear_date"] is None
    assert m.forecast_band(f, D) is None


def test_forecast_band_window_edges():
    # a finding on D − 28 is outside the 4-week window, on D − 27 inside: 1 closed on D,
    # 1 found on D−28 → Σ net 1 (a band); 1 found on D−27 → Σ net 0 (no band)
    def rows(found):
        return frame(issue("C", "2024-05-01", "2024-12-31", "2024-06-30"),
                     issue("N", found, "2024-12-31"))
    out = m.forecast_band(rows("2024-06-02"), D)
    assert out is not None and out["p50"] is not None
    assert m.forecast_band(rows("2024-06-03"), D) is None


@pytest.mark.parametrize(
    "opens, expected",
    [
        ([1, 3, 5, 5, 2], 2),  # first day of the maximum
        ([4, 2, 1], 0),
        ([0], 0),
    ],
)
def test_peak_open_date(opens, expected):
    import datetime

    from duzhan.metrics.issues import peak_open_date

    days = pd.date_range("2024-03-01", periods=len(opens), freq="D")
    series = pd.DataFrame({"date": days, "open": opens})
    assert peak_open_date(series) == (datetime.date(2024, 3, 1) + datetime.timedelta(days=expected))


def test_peak_open_date_of_empty_series():
    from duzhan.metrics.issues import peak_open_date

    assert peak_open_date(pd.DataFrame({"date": [], "open": []})) is None
