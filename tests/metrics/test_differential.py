"""Differential test: the vectorised engine (``metrics_report``) against the naive oracle
(tests/metrics/oracle.py, written from shared/contract/metrics.md alone), figure by figure.

Random small ledgers are drawn around the as-of date D with edge-heavy offsets: deadlines
on D and D−1, closures on D−27/D−28, allocations on D−90/D−89, loans at dpd 30/31/90/91/
180/181, due dates at D/D+30/D+31, phase boundaries on D, leap days, year ends. "Packs"
add a township (99) whose rows sit exactly on a status threshold (overdue rate 3% / 1%,
gap −20% / −10%, completion = expected − 0.10, forecast = clearance target) or on a
6-decimal rounding tie (k/128, k/640), or one unit off it. The demo county is compared at
several dates for the county and every township.

Readings of the contract the oracle (and, since 2e7f26c, the engine) follow: rates are the
exact figures rounded half away from zero; status rules compare exact figures.
"""
from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from duzhan.clock import today
from duzhan.metrics.frames import Ledgers
from duzhan.metrics.report import metrics_report

from .draws import campaign_records, counties_of
from .oracle import oracle_report, read_ledgers, report_of_rows

# ------------------------------------------------------------------------ comparison


def assert_same(engine: dict, oracle: dict) -> None:
    """Exact equality of the JSON objects; status_reasons compared as sets of codes (the
    contract fixes no order)."""
    def strip(r):
        r = dict(r, townships=[dict(t) for t in r["townships"]])
        reasons = []
        for t in r["townships"]:
            codes = t.pop("status_reasons")
            assert len(codes) == len(set(codes)), codes
            reasons.append(set(codes))
        if "counties" in r:
            r["counties"] = [dict(c, status_reasons=set(c["status_reasons"]))
                             for c in r["counties"]]
        return r, reasons

    e, e_reasons = strip(engine)
    o, o_reasons = strip(oracle)
    assert e["as_of"] == o["as_of"]
    assert e["county"] == o["county"], diff(e["county"], o["county"], "county")
    assert [t["township_code"] for t in e["townships"]] == \
        [t["township_code"] for t in o["townships"]]
    for et, ot, er, orr in zip(e["townships"], o["townships"], e_reasons, o_reasons, strict=False):
        assert et == ot, diff(et, ot, et["township_code"])
        assert er == orr, (et["township_code"], er, orr)
    assert list(e) == list(o)  # "counties" in both or in neither
    for ec, oc in zip(e.get("counties", []), o.get("counties", []), strict=True):
        assert ec == oc, diff(ec, oc, ec["county_code"])
    assert e == o


def diff(a, b, path="") -> list[str]:
    """Where two JSON values differ (engine vs oracle), for the failure message."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in list(a) + [k for k in b if k not in a]:
            out += diff(a.get(k, "<missing>"), b.get(k, "<missing>"), f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [x for i, (p, q) in enumerate(zip(a, b, strict=False)) for x in diff(p, q, f"{path}[{i}]")]
    if a != b or type(a) is not type(b) and not {type(a), type(b)} <= {int, float}:
        return [f"{path}: engine {a!r} != oracle {b!r}"]
    return []


# ------------------------------------------------------------------------ strategies

# Offsets (days) from the as-of date D that sit on the contract's boundaries.
EDGES = [0, -1, 1, -27, -28, -29, -89, -90, -91, -30, -31, -32, 30, 31, 29, -180, -181,
         -182, -120, 60, 90]
# Loans: effective due dates giving dpd 0 (due today), 1, 30, 31, 90, 91, 180, 181, ...
DPD = [0, 1, 30, 31, 90, 91, 180, 181, 365]

# As-of dates: leap days, month and year ends, plus any day of 2019..2026.
SPECIAL_D = [dt.date(2024, 2, 29), dt.date(2024, 2, 28), dt.date(2024, 3, 1),
             dt.date(2023, 2, 28), dt.date(2023, 3, 1), dt.date(2024, 12, 31),
             dt.date(2024, 1, 1), dt.date(2023, 12, 31), dt.date(2025, 1, 1),
             dt.date(2024, 6, 30), dt.date(2020, 2, 29), dt.date(2024, 7, 1)]
as_of_dates = st.one_of(st.sampled_from(SPECIAL_D),
                        st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31)))

offsets = st.one_of(st.sampled_from(EDGES), st.integers(-400, 400))
nonneg = st.one_of(st.sampled_from([0, 1, 27, 28, 30, 90]), st.integers(0, 200))


def fen_amounts(max_fen: int = 2_000_000):
    return st.one_of(st.sampled_from([1, 2, 3, 100, 300, 1000, 123456]),
                     st.integers(1, max_fen))


def split_total(draw, total: int, max_parts: int) -> list[int]:
    """Positive amounts adding up to at most ``total``: sometimes exactly the total,
    exactly half, or half minus one fen (the stall and 'fully repaid' boundaries)."""
    n = draw(st.integers(0, max_parts))
    if n == 0:
        return []
    target = draw(st.one_of(
        st.sampled_from([total, total // 2, total // 2 + 1, max(total // 2 - 1, 0)]),
        st.integers(0, total)))
    if target < n:
        return [target] if target > 0 else []
    cuts = sorted(draw(st.lists(st.integers(1, target - 1), min_size=n - 1, max_size=n - 1,
                                unique=True))) if n > 1 and target > n else []
    if len(cuts) != n - 1:
        return [target]
    bounds = [0] + cuts + [target]
    return [b - a for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


PACK_TOWN = "99"  # a township holding only rows designed to sit on a threshold
PACKS = ["loan_3pct", "loan_1pct", "loan_tie", "gap_20pct", "gap_10pct", "behind",
         "forecast_on_target", "net_forecast_on_target", "net_pace_zero"]
nudge = st.sampled_from([0, 0, 0, -1, 1])  # exactly on the threshold, or one unit off


def add_pack(draw, pack, D, phases, tasks, issues, projects, disbursements, loans,
             repayments):
    """Rows of township PACK_TOWN whose figures hit a status threshold (or a rounding
    tie) exactly, relative to D itself."""
    def day(off):
        return (D + dt.timedelta(days=off)).isoformat()

    n = len(issues) + len(projects) + len(loans) + len(tasks)
    m = draw(st.sampled_from([1, 7, 250]))
    if pack.startswith("loan"):
        # overdue outstanding / balance = 3/100, 1/100, or a 7-decimal tie (odd/128, odd/640)
        num, den = {"loan_3pct": (3, 100), "loan_1pct": (1, 100)}.get(pack, (0, 0))
        if pack == "loan_tie":
            den = draw(st.sampled_from([128, 640]))
            num = draw(st.integers(0, den // 2 - 1)) * 2 + 1
        over = num * m + draw(nudge)
        for lid, amount, due in ((f"Z{n}a", over, -draw(st.sampled_from(DPD[1:]))),
                                 (f"Z{n}b", den * m - num * m, draw(st.integers(0, 90)))):
            if amount > 0:
                loans.append({"loan_id": lid, "household_id": "hz",
                              "township_code": PACK_TOWN, "principal_fen": amount,
                              "issued_date": day(due - 400), "due_date": day(due),
                              "extended_due_date": None, "bank": None})
    elif pack.startswith("gap"):
        # disbursed / allocated = time_progress − 0.20 (−0.10) exactly: gap on the threshold
        doy = D.timetuple().tm_yday
        diy = 366 if (D.year % 4 == 0 and D.year % 100 != 0 or D.year % 400 == 0) else 365
        q = 5 if pack == "gap_20pct" else 10
        allocated, paid = q * diy * m, (q * doy - diy) * m + draw(nudge)
        age = draw(st.sampled_from([0, 89, 90, 200]))
        projects.append({"project_id": f"Z{n}", "project_name": "z",
                         "township_code": PACK_TOWN, "funding_source": "县级财政",
                         "category": "c", "allocated_amount_fen": allocated,
                         "allocated_date": day(-age)})
        if 0 < paid <= allocated:
            disbursements.append({"project_id": f"Z{n}", "paid_date": day(-age // 2),
                                  "amount_fen": paid})
    elif pack == "behind":
        # completion = expected − 0.10 exactly in the current phase (if D is in one)
        cur = [p for p in phases if p["start_date"] <= D.isoformat() <= p["end_date"]]
        if not cur:
            return
        p = cur[0]
        s0, e0 = dt.date.fromisoformat(p["start_date"]), dt.date.fromisoformat(p["end_date"])
        want = Fraction((D - s0).days + 1, (e0 - s0).days + 1) - Fraction(1, 10)
        if want < 0 or want.denominator > 40:
            return
        total = want.denominator * draw(st.sampled_from([1, 2]))
        done = want.numerator * total // want.denominator + draw(nudge)
        for j in range(total):
            tasks.append({"task_id": f"Z{n}-{j}", "task_name": "z",
                          "phase_no": p["phase_no"], "township_code": PACK_TOWN,
                          "due_date": day(draw(st.sampled_from([0, 5, 30]))),
                          "done_date": day(-1) if j < done else None})
    elif pack in ("net_forecast_on_target", "net_pace_zero"):
        # closed_last_28d − found_last_28d = net > 0 with the net forecast on the latest
        # deadline (or one day off), or net = 0 (or ±1): the list does not shrink
        c28 = draw(st.integers(1, 4))
        f28 = draw(st.integers(0, c28 - 1)) if pack == "net_forecast_on_target" \
            else c28 + draw(nudge)
        n_old = draw(st.integers(0 if f28 else 1, 2))  # open ones found before the window
        n_open = n_old + f28
        net = c28 - f28
        target = (math.ceil(n_open * 28 / net) if net > 0 else 60) + draw(nudge)
        for j in range(c28):  # closed in the window, found before it
            issues.append({"issue_id": f"Z{n}-c{j}", "township_code": PACK_TOWN,
                           "source": "s", "category": "c", "department": "d",
                           "found_date": day(-draw(st.sampled_from([28, 29, 60]))),
                           "deadline": day(draw(st.integers(-10, target))),
                           "closed_date": day(-draw(st.sampled_from([0, 27, 13])))})
        for j in range(n_open):  # open: the first n_old found before the window
            found = -draw(st.sampled_from([28, 40])) if j < n_old else \
                -draw(st.sampled_from([0, 27, 5]))
            issues.append({"issue_id": f"Z{n}-o{j}", "township_code": PACK_TOWN,
                           "source": "s", "category": "c", "department": "d",
                           "found_date": day(found),
                           "deadline": day(target if j == 0 else
                                           draw(st.integers(max(found, 0), target)))})
    elif pack == "forecast_on_target":
        # forecast_clear_date = D + ceil(open × 28 / closed_last_28d) = the latest deadline
        n_open, c28 = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        target = math.ceil(n_open * 28 / c28) + draw(nudge)
        for j in range(n_open + c28):
            is_open = j < n_open
            issues.append({"issue_id": f"Z{n}-{j}", "township_code": PACK_TOWN,
                           "source": "s", "category": "c", "department": "d",
                           "found_date": day(-40),
                           "deadline": day(target if j == 0 else draw(st.integers(-40, target))),
                           "closed_date": None if is_open else day(-draw(st.integers(0, 27)))})


@st.composite
def scenarios(draw):
    """(records for Ledgers.from_records, D, township subset or None)."""
    D = draw(as_of_dates)
    # Data are drawn around an anchor A; usually A = D, sometimes far away (before any
    # data, after all data, the next year).
    A = D + dt.timedelta(days=draw(st.one_of(
        st.just(0), st.just(0), st.just(0), st.integers(-800, 800))))

    def day(off: int) -> str:
        return (A + dt.timedelta(days=off)).isoformat()

    n_towns = draw(st.integers(2, 4))
    codes = [f"{i:02d}" for i in range(1, n_towns + 1)]
    counties = counties_of(draw, codes)
    townships = [{"township_code": c, "township_name": f"乡{c}", "county_code": cc,
                  "county_name": cn} for c, (cc, cn) in zip(codes, counties, strict=True)]
    county_codes = sorted({cc for cc, _ in counties if cc})

    # phases: increasing numbers, non-overlapping, boundaries often on D. Sometimes the first
    # one is designed around D: N days long with D its k-th day, so expected = k/N exactly
    # (N = 10, 5: completion can sit exactly 0.10 below; N = 128, 640: 7-decimal ties).
    phases = []
    start = draw(offsets)
    no = 0
    if draw(st.booleans()):
        N = draw(st.sampled_from([5, 10, 20, 128, 640]))
        k = draw(st.one_of(st.sampled_from([1, 2, 3, N - 1, N]), st.integers(1, N)))
        no += 1
        phases.append({"phase_no": no, "phase_name": "设计", "start_date": day(1 - k),
                       "end_date": day(N - k)})
        start = N - k + 1 + draw(st.integers(0, 20))
    for _ in range(draw(st.integers(0, 4))):
        no += draw(st.integers(1, 2))
        length = draw(st.one_of(st.sampled_from([0, 1, 27, 89, 90]), st.integers(0, 150)))
        phases.append({"phase_no": no, "phase_name": f"第{no}阶段", "start_date": day(start),
                       "end_date": day(start + length)})
        start += length + 1 + draw(st.one_of(st.just(0), st.integers(0, 40)))

    tasks = []
    if phases:
        for k in range(draw(st.integers(0, 15))):
            due = draw(offsets)
            done = draw(st.one_of(st.none(), offsets))
            town = draw(st.sampled_from(codes + [None]))
            tasks.append({"task_id": f"T{k}", "task_name": f"任务{k}",
                          "phase_no": draw(st.sampled_from([p["phase_no"] for p in phases])),
                          "township_code": town,
                          # a county-wide task of one county, or of the whole store
                          "county_code": None if town else
                          draw(st.sampled_from([None, *county_codes])),
                          "due_date": day(due),
                          "done_date": None if done is None else day(done)})

    issues = []
    for k in range(draw(st.integers(0, 30))):
        deadline = draw(offsets)
        found = deadline - draw(nonneg)
        if draw(st.integers(0, 3)) == 0:  # found on a 28-day window edge (or D, D+1)
            found = draw(st.sampled_from([-27, -28, 0, 1]))
            deadline = max(deadline, found)
        closed = draw(st.one_of(st.none(), offsets, st.sampled_from([-27, -28])))
        if closed is not None:
            closed = max(closed, found)
        issues.append({"issue_id": f"I{k}", "township_code": draw(st.sampled_from(codes)),
                       "source": "审计", "category": "住房安全", "department": "住建局",
                       "found_date": day(found), "deadline": day(deadline),
                       "closed_date": None if closed is None else day(closed)})

    projects, disbursements = [], []
    for k in range(draw(st.integers(0, 8))):
        alloc = draw(fen_amounts(50_000_000))
        adate = draw(offsets)
        projects.append({"project_id": f"P{k}", "project_name": f"项目{k}",
                         "township_code": draw(st.sampled_from(codes)),
                         "funding_source": draw(st.sampled_from(["中央财政专项", "县级财政"])),
                         "category": "产业发展", "allocated_amount_fen": alloc,
                         "allocated_date": day(adate)})
        for amount in split_total(draw, alloc, 3):
            paid = draw(st.one_of(nonneg.map(lambda x, a=adate: a + x),
                                  offsets.map(lambda x, a=adate: max(x, a))))
            disbursements.append({"project_id": f"P{k}", "paid_date": day(paid),
                                  "amount_fen": amount})

    loans, repayments = [], []
    for k in range(draw(st.integers(0, 12))):
        principal = draw(fen_amounts())
        # effective due date first (dpd edges relative to D = A + 0), then the rest
        eff = draw(st.one_of(st.sampled_from([-x for x in DPD] + [30, 31, 29]), offsets))
        extended = draw(st.booleans())
        due = eff - draw(st.integers(1, 200)) if extended else eff
        issued = due - draw(st.integers(1, 800))
        loans.append({"loan_id": f"L{k}", "household_id": f"H{k}",
                      "township_code": draw(st.sampled_from(codes)),
                      "principal_fen": principal, "issued_date": day(issued),
                      "due_date": day(due), "extended_due_date": day(eff) if extended else None,
                      "bank": "农商行"})
        for amount in split_total(draw, principal, 3):
            paid = draw(st.one_of(st.integers(0, 1000).map(lambda x, i=issued: i + x),
                                  offsets.map(lambda x, i=issued: max(x, i))))
            repayments.append({"loan_id": f"L{k}", "paid_date": day(paid),
                               "principal_fen": amount})

    packs = draw(st.lists(st.sampled_from(PACKS), max_size=len(PACKS), unique=True))
    if packs:
        townships.append({"township_code": PACK_TOWN, "township_name": "边界乡",
                          "county_code": townships[0]["county_code"],
                          "county_name": townships[0]["county_name"]})
        codes = codes + [PACK_TOWN]
    for pack in packs:
        add_pack(draw, pack, D, phases, tasks, issues, projects, disbursements, loans,
                 repayments)

    records = {"townships": townships, "phases": phases, "tasks": tasks, "issues": issues,
               "projects": projects, "disbursements": disbursements, "loans": loans,
               "repayments": [{"loan_id": r["loan_id"], "paid_date": r["paid_date"],
                               "principal_amount_fen": r["principal_fen"]}
                              for r in repayments]}
    if draw(st.booleans()):  # the supervision and household ledgers too
        records.update(campaign_records(draw, A, codes))
    county = draw(st.sampled_from([None, *county_codes]))
    if county is not None:
        codes = [t["township_code"] for t in townships if t["county_code"] == county]
    subset = draw(st.one_of(st.none(), st.lists(st.sampled_from(codes), min_size=1,
                                                 max_size=len(codes), unique=True)))
    return records, D, subset, county


# --------------------------------------------------------------------------- tests


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios())
def test_engine_equals_oracle_on_random_ledgers(case):
    records, D, subset, county = case
    note(f"D={D} subset={subset} county={county}")
    ledgers = Ledgers.from_records(**records)
    engine = metrics_report(ledgers, D.isoformat(), subset, county=county)
    # the oracle reads the raw records (not the engine's frames) ...
    assert_same(engine, oracle_report(records, D, subset, county=county))
    # ... and finds the same figures in the engine's input frames
    assert oracle_report(ledgers, D, subset, county) == \
        oracle_report(records, D, subset, county)


def test_engine_equals_oracle_on_handpicked_edges():
    """Township 01 (02 has no rows): each boundary of the contract exactly on D = 2024-02-29
    (leap day), with the expected figures checked by hand too."""
    D = dt.date(2024, 2, 29)

    def day(off):
        return (D + dt.timedelta(days=off)).isoformat()

    loans, reps = [], []
    for k, dpd in enumerate(DPD + [-30, -31]):
        loans.append({"loan_id": f"L{k}", "household_id": "h", "township_code": "01",
                      "principal_fen": 1000 + k, "issued_date": day(-dpd - 400),
                      "due_date": day(-dpd)})
    loans.append({"loan_id": "X", "household_id": "h", "township_code": "01",
                  "principal_fen": 500, "issued_date": day(-400), "due_date": day(-200),
                  "extended_due_date": day(-31)})
    loans.append({"loan_id": "Paid", "household_id": "h", "township_code": "01",
                  "principal_fen": 700, "issued_date": day(-400), "due_date": day(-200)})
    reps.append({"loan_id": "Paid", "paid_date": day(0), "principal_amount_fen": 700})
    records = {
        "townships": [{"township_code": "01", "township_name": "甲"},
                      {"township_code": "02", "township_name": "乙"}],
        "phases": [{"phase_no": 1, "phase_name": "一", "start_date": day(-59),
                    "end_date": day(0)},
                   {"phase_no": 2, "phase_name": "二", "start_date": day(1),
                    "end_date": day(100)}],
        "tasks": [{"task_id": "a", "task_name": "a", "phase_no": 1, "township_code": "01",
                   "due_date": day(0)},
                  {"task_id": "b", "task_name": "b", "phase_no": 1, "township_code": None,
                   "due_date": day(-1)},
                  {"task_id": "c", "task_name": "c", "phase_no": 1, "township_code": "01",
                   "due_date": day(-5), "done_date": day(0)}],
        "issues": [{"issue_id": f"I{off}", "township_code": "01", "source": "s",
                    "category": "c", "department": "d", "found_date": day(-60),
                    "deadline": day(dl), "closed_date": None if off is None else day(off)}
                   for off, dl in [(-27, -30), (-28, -30), (None, 0), (None, -1), (1, -5)]],
        "projects": [{"project_id": f"P{k}", "project_name": "p", "township_code": "01",
                      "funding_source": "f", "category": "c", "allocated_amount_fen": 200,
                      "allocated_date": day(off)} for k, off in enumerate([-90, -89, -91])],
        "disbursements": [{"project_id": "P0", "paid_date": day(0), "amount_fen": 99},
                          {"project_id": "P2", "paid_date": day(-1), "amount_fen": 100}],
        "loans": loans, "repayments": reps,
    }
    r = metrics_report(Ledgers.from_records(**records), D)
    assert_same(r, oracle_report(records, D))
    t = r["townships"][0]
    assert t["funds"]["stalled_projects"] == 1           # P0 (99/200), not P1 (89 days), not P2 (½)
    assert t["issues"]["closed_last_28d"] == 1            # D−27 counts, D−28 not, D+1 not yet
    assert t["issues"]["overdue_open"] == 2               # deadline D−1 and D−5 (closed after D)
    assert {k: v["loans"] for k, v in t["loans"]["buckets"].items()} == \
        {"1-30": 2, "31-90": 3, "91-180": 2, "181+": 2}  # 1,30 | 31,90,X | 91,180 | 181,365
    assert t["loans"]["due_30d_loans"] == 2               # due D (dpd 0) and D+30; not D+31
    assert r["county"]["funds"]["time_progress"] == round(60 / 366, 6)


def test_engine_equals_oracle_on_net_forecast_edges():
    """Found on D−27 counts in found_last_28d, D−28 and D+1 do not; the net forecast and
    its yellow rule, checked by hand too (D = 2024-03-01, after a leap day)."""
    D = dt.date(2024, 3, 1)

    def day(off):
        return (D + dt.timedelta(days=off)).isoformat()

    def iss(i, town, found, deadline, closed=None):
        return {"issue_id": i, "township_code": town, "source": "s", "category": "c",
                "department": "d", "found_date": day(found), "deadline": day(deadline),
                "closed_date": None if closed is None else day(closed)}

    records = {
        "townships": [{"township_code": c, "township_name": c} for c in ("01", "02", "03")],
        # 01: open D−27, D−28 (found 1 in the window), 3 closed in it: net 2 → D + 28,
        #     latest deadline D + 27: yellow forecast_after_target (closing-only: D + 19)
        "issues": [iss("A1", "01", -27, 27), iss("A2", "01", -28, 10), iss("A3", "01", 1, 5),
                   *[iss(f"A{k}", "01", -40, 0, -k) for k in (4, 5, 6)],
                   # 02: 2 found and 2 closed in the window: net 0 → null, yellow
                   iss("B1", "02", 0, 30), iss("B2", "02", -27, 30),
                   iss("B3", "02", -50, 0, -3), iss("B4", "02", -50, 0, 0),
                   # 03: 1 found in it and closed in it: nothing open → D, green
                   iss("C1", "03", -5, 30, -1)],
    }
    r = metrics_report(Ledgers.from_records(**records), D)
    assert_same(r, oracle_report(records, D))
    t = {e["township_code"]: e for e in r["townships"]}
    assert (t["01"]["issues"]["found_last_28d"], t["01"]["issues"]["closed_last_28d"]) == (1, 3)
    assert t["01"]["issues"]["net_forecast_clear_date"] == day(28)
    assert t["01"]["issues"]["forecast_clear_date"] == day(19)  # ceil(56/3)
    assert t["01"]["status_reasons"] == ["forecast_after_target"]
    assert t["02"]["issues"]["net_forecast_clear_date"] is None
    assert t["02"]["status_reasons"] == ["net_forecast_none"]
    assert t["03"]["issues"]["net_forecast_clear_date"] == day(0)
    assert t["03"]["status"] == "green"


# ------------------------------------------------------------------------ demo county


def _demo_dates(L: Ledgers) -> list[dt.date]:
    rows = read_ledgers(L)
    starts = sorted(p["start_date"] for p in rows["phases"])
    every = [v for name, recs in rows.items() for r in recs for v in r.values()
             if isinstance(v, dt.date)]
    first = min(every)
    campaign = starts[0] if starts else first
    return sorted({campaign, dt.date(campaign.year, 6, 30), today(),
                   first - dt.timedelta(days=1), dt.date(today().year + 1, 1, 1),
                   dt.date(campaign.year + 1, campaign.month, min(campaign.day, 28))})


def test_demo_county_equals_oracle(demo_ledgers):
    L = demo_ledgers
    assert len(L.townships) >= 2
    rows = read_ledgers(L)  # reading the demo's rows costs more than the oracle's figures
    for D in _demo_dates(L):
        assert_same(metrics_report(L, D.isoformat()), report_of_rows(rows, D))


def test_demo_township_subsets_equal_oracle(demo_ledgers):
    codes = demo_ledgers.township_codes()
    D = dt.date(_demo_dates(demo_ledgers)[0].year, 6, 30)
    rows = read_ledgers(demo_ledgers)
    for subset in (codes[:1], codes[-2:], codes[::3]):
        assert_same(metrics_report(demo_ledgers, D.isoformat(), subset),
                    report_of_rows(rows, D, subset))
    with pytest.raises(ValueError):
        metrics_report(demo_ledgers, D.isoformat(), ["no-such-township"])
