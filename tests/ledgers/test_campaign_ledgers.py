"""The supervision and household ledgers (sites, site_checks, supervisions, reports,
monitored, guarantees) and the county columns: every rule of the contract refuses a broken
file with the ledger, row, column and reason named and nothing changed; a good import of all
six ledgers is stored and read back; the same files again change nothing; site checks and
guarantee checks replace the stored rows of their site / household."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from duzhan.ledgers import format_report, import_files, plan_import, problems_frame
from duzhan.ledgers.importer import SourceFile
from duzhan.store.lookup import last_event_date
from duzhan.store.models import Guarantee, Report, SiteCheck, Supervision
from duzhan.store.read import DataScope, ledger_counts, load_ledgers

from .helpers import (
    csv_bytes,
    dump,
    example_files,
    examples,
    ledger_content,
    ledger_csv,
    problem_tuples,
    xlsx_bytes,
)

T1, T2 = "522701101", "522701102"
V1, V1B, V2 = "522701101201", "522701101202", "522701102201"  # V1B is not listed
S1, S2 = "AZD2020-01", "AZD2020-02"
HH = "5227011012010001"  # the household of two guarantee checks


def changed(ledger: str, idx: int, **changes) -> list[dict]:
    rows = examples(ledger)
    rows[idx].update(changes)
    return rows


def added(ledger: str, **row) -> list[dict]:
    return [*examples(ledger), row]


COUNTY = {"county_code": "522701", "county_name": "示例县"}

# a whole example county with one ledger's rows changed → the problems
BROKEN = [
    ("bad rating", {"supervisions": changed("supervisions", 0, rating="优秀")},
     {("supervisions", 2, "rating", "bad_choice")}),
    ("empty rating", {"supervisions": changed("supervisions", 0, rating=None)},
     {("supervisions", 2, "rating", "required")}),
    ("report before its month",
     {"reports": changed("reports", 0, submitted_date="2020-04-30")},
     {("reports", 2, "submitted_date", "before_col")}),
    ("unlisted village", {"supervisions": changed("supervisions", 0, target_code=V1B)},
     {("supervisions", 2, "target_code", "target_not_listed")}),
    ("village of another township", {"supervisions": changed("supervisions", 2, target_code=V1)},
     {("supervisions", 4, "target_code", "target_other_township")}),
    ("site of another township", {"supervisions": changed("supervisions", 2, target_code=S1)},
     {("supervisions", 4, "target_code", "target_other_township")}),
    ("unknown unit", {"supervisions": changed("supervisions", 1, target_code="AZD2099-01")},
     {("supervisions", 3, "target_code", "unknown_target")}),
    ("a month that is no month", {"reports": changed("reports", 0, month="2020-13")},
     {("reports", 2, "month", "bad_month")}),
    ("a month in words", {"reports": changed("reports", 1, month="五月")},
     {("reports", 3, "month", "bad_month")}),
    ("duplicate township and month", {"reports": changed("reports", 2, month="2020年5月")},
     {("reports", 4, "month", "duplicate_row")}),
    ("duplicate site and day", {"site_checks": changed("site_checks", 1, check_date="2020/6/30")},
     {("site_checks", 3, "check_date", "duplicate_row")}),
    ("duplicate household and day",
     {"guarantees": changed("guarantees", 1, check_date="2020-05-18")},
     {("guarantees", 3, "check_date", "duplicate_row")}),
    ("empty required bool", {"guarantees": changed("guarantees", 0, water_ok=None)},
     {("guarantees", 2, "water_ok", "required")}),
    ("bad bool", {"guarantees": changed("guarantees", 2, housing_ok="有")},
     {("guarantees", 4, "housing_ok", "bad_bool")}),
    ("cleared without assistance", {"monitored": changed("monitored", 0, assisted_date=None)},
     {("monitored", 2, "cleared_date", "cleared_without_assisted")}),
    ("assisted before identified",
     {"monitored": changed("monitored", 0, assisted_date="2020-04-14")},
     {("monitored", 2, "assisted_date", "before_col")}),
    ("household twice", {"monitored": changed("monitored", 1, household_id="5227011012010023")},
     {("monitored", 3, "household_id", "duplicate")}),
    ("monitored in a village of another township",
     {"monitored": changed("monitored", 1, village_code=V1)},
     {("monitored", 3, "village_code", "village_other_township")}),
    ("moved in over plan", {"site_checks": changed("site_checks", 2, moved_in=61)},
     {("site_checks", 4, "moved_in", "over_planned")}),
    ("employed over moved in", {"site_checks": changed("site_checks", 0, employed=85)},
     {("site_checks", 2, "employed", "employed_over_moved_in")}),
    ("negative moved in", {"site_checks": changed("site_checks", 0, moved_in=-1)},
     {("site_checks", 2, "moved_in", "below_min")}),
    ("unknown site", {"site_checks": changed("site_checks", 2, site_code="AZD2099-01")},
     {("site_checks", 4, "site_code", "unknown_site")}),
    ("no planned households", {"sites": changed("sites", 1, planned_households=0)},
     {("sites", 3, "planned_households", "below_min")}),
    ("site code is a village code",
     {"sites": added("sites", site_code=V1B, site_name="新寨安置点", township_code=T1,
                     planned_households=10)},
     {("sites", 4, "site_code", "site_is_village")}),
    ("county name differs",
     {"townships": [dict(examples("townships")[0], **COUNTY),
                    dict(examples("townships")[1], **{**COUNTY, "county_name": "另一县"})]},
     {("townships", 3, "county_name", "county_name_differs")}),
    ("county name missing",
     {"townships": changed("townships", 0, county_code="522701")},
     {("townships", 2, "county_name", "county_name_missing")}),
    ("unknown county",
     {"townships": [dict(r, **COUNTY) for r in examples("townships")],
      "tasks": changed("tasks", 0, county_code="522799")},
     {("tasks", 2, "county_code", "unknown_county")}),
    ("county of a one-county store", {"tasks": changed("tasks", 0, county_code="522701")},
     {("tasks", 2, "county_code", "unknown_county")}),
]


@pytest.mark.parametrize("overrides, expected", [c[1:] for c in BROKEN],
                         ids=[c[0] for c in BROKEN])
def test_a_broken_file_is_refused_with_the_row_named(engine, overrides, expected):
    before = dump(engine)
    res = import_files(engine, example_files(**overrides), user="t")
    assert not res.accepted
    assert problem_tuples(res.problems) == expected
    for p in res.problems:
        assert p.message("zh") and p.message("en") and p.column_label("en")
    assert dump(engine)["sites"] == before["sites"] == []
    assert dump(engine) == before


def test_messages_name_what_is_wrong(engine):
    res = import_files(engine, example_files(
        supervisions=changed("supervisions", 0, rating="优秀"),
        reports=changed("reports", 0, submitted_date="2020-04-30"),
        site_checks=changed("site_checks", 0, employed=85)), user="t")
    by_reason = {p.reason: p for p in res.problems}
    rating = by_reason["bad_choice"]
    assert rating.value == "优秀"
    assert all(w in rating.message("zh") for w in ("好", "较好", "一般", "差"))
    assert "good" in rating.message("en") and "poor" in rating.message("en")
    # the month as a month, not its first day
    assert "2020-05" in by_reason["before_col"].message("zh")
    assert "2020-05-01" not in by_reason["before_col"].message("zh")
    assert "Moved in (84)" in by_reason["employed_over_moved_in"].message("en")
    report = format_report(res, "zh")
    assert "督导" in report and "评估结果" in report and "第 2 行" in report


def test_the_examples_of_all_six_ledgers_import_and_read_back(engine):
    res = import_files(engine, example_files(), user="t")
    assert res.accepted, format_report(res, "en")
    for key in ("sites", "site_checks", "supervisions", "reports", "monitored", "guarantees"):
        assert res.changes[key]["new"] == len(examples(key)), key
    with engine.connect() as conn:
        ratings = dict(conn.execute(select(Supervision.supervision_id, Supervision.rating)).all())
        cards = dict(conn.execute(select(Supervision.supervision_id, Supervision.yellow_card)).all())
        months = conn.execute(select(Report.township_code, Report.month)
                              .order_by(Report.month, Report.township_code)).all()
        water = conn.execute(select(Guarantee.water_ok).order_by(Guarantee.check_date)).all()
    assert ratings == {"DZ2020-05-001": "fair", "DZ2020-05-002": "poor", "DZ2020-05-003": "good"}
    assert cards == {"DZ2020-05-001": False, "DZ2020-05-002": True, "DZ2020-05-003": False}
    assert [tuple(m) for m in months] == [(T1, dt.date(2020, 5, 1)), (T2, dt.date(2020, 5, 1)),
                                          (T1, dt.date(2020, 6, 1))]
    assert [w for (w,) in water] == [True, False, True]

    data = load_ledgers(engine)
    assert list(data.reports["month"]) == [dt.datetime(2020, 5, 1), dt.datetime(2020, 5, 1),
                                           dt.datetime(2020, 6, 1)]
    assert str(data.reports["month"].dtype) == "datetime64[ns]"
    # a site check reaches its township through its site
    checks = data.site_checks.sort_values("check_date")
    assert list(checks["township_code"]) == [T1, T1, T2]
    assert list(checks["moved_in"]) == [84, 112, 60]


def test_the_township_scope_reaches_the_new_ledgers(engine):
    assert import_files(engine, example_files(), user="t").accepted
    data = load_ledgers(engine, DataScope(allowed=(T2,)))
    assert list(data.sites["site_code"]) == [S2]
    assert list(data.site_checks["site_code"]) == [S2]
    assert list(data.supervisions["supervision_id"]) == ["DZ2020-05-003"]
    assert list(data.reports["township_code"]) == [T2]
    assert list(data.monitored["household_id"]) == ["5227011022010031"]
    assert list(data.guarantees["household_id"]) == ["5227011022010007"]
    counts = ledger_counts(engine, DataScope(allowed=(T2,)))
    assert {k: counts[k] for k in ("sites", "site_checks", "supervisions", "reports",
                                   "monitored", "guarantees")} == {
        "sites": 1, "site_checks": 1, "supervisions": 1, "reports": 1, "monitored": 1,
        "guarantees": 1}
    assert ledger_counts(engine)["guarantees"] == 3


@pytest.mark.parametrize("ledger, rows, last", [
    ("site_checks", [dict(examples("site_checks")[2], check_date="2030-02-03")],
     dt.date(2030, 2, 3)),
    ("supervisions", [dict(examples("supervisions")[2], visit_date="2030-03-04")],
     dt.date(2030, 3, 4)),
    ("reports", [dict(examples("reports")[1], month="2030-04", submitted_date="2030-04-25")],
     dt.date(2030, 4, 25)),
    ("monitored", [dict(examples("monitored")[1], assisted_date="2030-05-06")],
     dt.date(2030, 5, 6)),
    ("guarantees", [dict(examples("guarantees")[2], check_date="2030-06-07")],
     dt.date(2030, 6, 7)),
])
def test_the_last_event_date_counts_the_new_ledgers(engine, ledger, rows, last):
    assert import_files(engine, example_files(), user="t").accepted
    assert last_event_date(engine) < dt.date(2030, 1, 1)
    assert import_files(engine, [ledger_csv(ledger, rows)], user="t").accepted
    assert last_event_date(engine) == last


def test_the_same_files_again_change_nothing(engine):
    files = example_files()
    assert import_files(engine, files, user="t").accepted
    before = ledger_content(engine)
    res = import_files(engine, files, user="t")
    assert res.accepted
    for key, counts in res.changes.items():
        assert counts["new"] == counts["changed"] == counts["removed"] == 0, key
    assert ledger_content(engine) == before


def test_site_checks_given_for_a_site_replace_its_stored_checks(engine):
    assert import_files(engine, example_files(), user="t").accepted
    rows = [{"site_code": S1, "check_date": "2020-12-31", "moved_in": 118, "employed": 101}]
    res = import_files(engine, [ledger_csv("site_checks", rows)], user="t")
    assert res.accepted, res.problems
    assert res.changes["site_checks"] == {"new": 1, "changed": 0, "unchanged": 0, "removed": 2}
    with engine.connect() as conn:
        got = conn.execute(select(SiteCheck.site_code, SiteCheck.check_date, SiteCheck.moved_in)
                           .order_by(SiteCheck.site_code)).all()
    assert [tuple(r) for r in got] == [(S1, dt.date(2020, 12, 31), 118),
                                       (S2, dt.date(2020, 9, 30), 60)]


def test_guarantee_checks_given_for_a_household_replace_its_stored_checks(engine):
    assert import_files(engine, example_files(), user="t").accepted
    again = examples("guarantees")[1]  # the household's second check, as stored
    new = dict(again, check_date="2020-12-01", water_ok="否")
    res = import_files(engine, [ledger_csv("guarantees", [again, new])], user="t")
    assert res.accepted, res.problems
    assert res.changes["guarantees"] == {"new": 1, "changed": 0, "unchanged": 1, "removed": 1}
    with engine.connect() as conn:
        got = conn.execute(select(Guarantee.household_id, Guarantee.check_date)
                           .order_by(Guarantee.household_id, Guarantee.check_date)).all()
    assert [tuple(r) for r in got] == [(HH, dt.date(2020, 10, 20)), (HH, dt.date(2020, 12, 1)),
                                       ("5227011022010007", dt.date(2020, 6, 10))]


def test_reports_are_upserted_by_township_and_month(engine):
    assert import_files(engine, example_files(), user="t").accepted
    rows = [{"township_code": T2, "month": "2020/5", "submitted_date": "2020-05-27"},
            {"township_code": T2, "month": "2020.6", "submitted_date": "2020-06-28"}]
    res = import_files(engine, [ledger_csv("reports", rows)], user="t")
    assert res.accepted, res.problems
    assert res.changes["reports"] == {"new": 1, "changed": 1, "unchanged": 0, "removed": 0}
    with engine.connect() as conn:
        got = conn.execute(select(Report.township_code, Report.month, Report.submitted_date)
                           .order_by(Report.township_code, Report.month)).all()
    assert [tuple(r) for r in got] == [
        (T1, dt.date(2020, 5, 1), dt.date(2020, 5, 26)),
        (T1, dt.date(2020, 6, 1), dt.date(2020, 6, 24)),
        (T2, dt.date(2020, 5, 1), dt.date(2020, 5, 27)),
        (T2, dt.date(2020, 6, 1), dt.date(2020, 6, 28))]


def test_choices_by_their_english_key_in_any_case(engine):
    rows = [dict(r, rating=w) for r, w in zip(examples("supervisions"), ["GOOD", "Average", "差"],
                                              strict=True)]
    assert import_files(engine, example_files(supervisions=rows), user="t").accepted
    with engine.connect() as conn:
        got = conn.execute(select(Supervision.rating).order_by(Supervision.supervision_id)).all()
    assert [r for (r,) in got] == ["good", "average", "poor"]


# --- rules against the stored rows ------------------------------------------------------

STORED = [
    ("planned lowered under the stored checks",
     {"sites": [dict(examples("sites")[0], planned_households=100)]},
     {("sites", 2, "planned_households", "stored_over_planned")}),
    ("a new village with a stored site's code",
     {"villages": [dict(examples("villages")[1], village_code=S1)]},
     {("villages", 2, "village_code", "code_of_other_ledger")}),
    ("a site with a stored village's code",
     {"sites": [dict(examples("sites")[0], site_code=V1B)]},
     {("sites", 2, "site_code", "site_is_village")}),
    ("a listed village moved while supervisions name it",
     {"villages": [dict(examples("villages")[0], township_code=T2)],
      "issues": [dict(examples("issues")[0], township_code=T2)],
      "loans": [dict(examples("loans")[0], township_code=T2)],
      "monitored": [dict(examples("monitored")[0], township_code=T2)],
      "guarantees": [dict(r, township_code=T2) for r in examples("guarantees")[:2]]},
     {("villages", 2, "township_code", "target_in_use")}),
    ("a site moved while supervisions name it",
     {"sites": [dict(examples("sites")[0], township_code=T2)]},
     {("sites", 2, "township_code", "target_in_use")}),
    ("a village moved while monitored households name it",
     {"villages": [dict(examples("villages")[0], township_code=T2)],
      "issues": [dict(examples("issues")[0], township_code=T2)],
      "loans": [dict(examples("loans")[0], township_code=T2)],
      "supervisions": [dict(examples("supervisions")[0], township_code=T2)]},
     {("villages", 2, "township_code", "village_in_use")}),
    ("a supervision of a village no longer listed",
     {"villages": [dict(examples("villages")[0], listed="否")],
      "supervisions": [examples("supervisions")[0]]},
     {("supervisions", 2, "target_code", "target_not_listed")}),
    ("a listed village made unlisted while supervisions name it",
     {"villages": [dict(examples("villages")[0], listed="否")]},
     {("villages", 2, "listed", "target_unlisted_in_use")}),
]


@pytest.mark.parametrize("files, expected", [c[1:] for c in STORED], ids=[c[0] for c in STORED])
def test_a_rule_against_the_stored_rows(engine, files, expected):
    assert import_files(engine, example_files(), user="t").accepted
    before = dump(engine)
    res = import_files(engine, [ledger_csv(k, rows) for k, rows in files.items()], user="t")
    assert problem_tuples(res.problems) == expected
    for p in res.problems:
        assert p.message("zh") and p.message("en")
    assert dump(engine) == before


def test_a_village_made_unlisted_with_its_supervisions_corrected_is_accepted(engine):
    assert import_files(engine, example_files(), user="t").accepted
    res = import_files(engine, [
        ledger_csv("villages", [dict(examples("villages")[0], listed="否")]),
        ledger_csv("supervisions", [dict(examples("supervisions")[0], target_code=None)]),
    ], user="t")
    assert res.accepted, format_report(res, "en")
    assert list(load_ledgers(engine).villages.sort_values("village_code")["listed"]) == [
        False, False, True]


def test_planned_lowered_with_corrected_checks_is_accepted(engine):
    assert import_files(engine, example_files(), user="t").accepted
    sites = [dict(examples("sites")[0], planned_households=100)]
    checks = [dict(examples("site_checks")[1], moved_in=100, employed=90)]
    res = import_files(engine, [ledger_csv("sites", sites), ledger_csv("site_checks", checks)],
                       user="t")
    assert res.accepted, res.problems


def _county_store(engine):
    towns = [dict(r, **COUNTY) for r in examples("townships")]
    tasks = changed("tasks", 0, county_code="522701")
    assert import_files(engine, example_files(townships=towns, tasks=tasks), user="t").accepted


def test_a_new_township_of_a_stored_county_takes_its_name(engine):
    _county_store(engine)
    before = dump(engine)
    town = {"township_code": "522701103", "township_name": "新乡", **COUNTY,
            "county_name": "示例縣"}
    res = import_files(engine, [ledger_csv("townships", [town])], user="t")
    assert problem_tuples(res.problems) == {("townships", 2, "county_name",
                                             "county_name_differs")}
    assert "示例县" in res.problems[0].message("zh")
    assert dump(engine) == before
    town["county_name"] = "示例县"
    assert import_files(engine, [ledger_csv("townships", [town])], user="t").accepted


def test_a_county_renamed_on_all_its_townships_is_accepted(engine):
    _county_store(engine)
    towns = [dict(r, **{**COUNTY, "county_name": "新示例县"}) for r in examples("townships")]
    res = import_files(engine, [ledger_csv("townships", towns)], user="t")
    assert res.accepted, res.problems
    assert set(load_ledgers(engine).townships["county_name"]) == {"新示例县"}


def test_a_county_code_no_township_keeps_is_refused_while_a_task_names_it(engine):
    _county_store(engine)
    before = dump(engine)
    towns = [dict(r, county_code="522702", county_name="别县") for r in examples("townships")]
    res = import_files(engine, [ledger_csv("townships", towns)], user="t")
    assert problem_tuples(res.problems) == {("townships", 2, "county_code", "value_in_use")}
    assert "1" in res.problems[0].message("en") and "tasks" in res.problems[0].message("en")
    assert dump(engine) == before
    # moved together with the task: accepted
    tasks = [dict(examples("tasks")[0], county_code="522702")]
    assert import_files(engine, [ledger_csv("townships", towns), ledger_csv("tasks", tasks)],
                        user="t").accepted


OTHER = {"county_code": "522702", "county_name": "别县"}
OTHER_TOWN, OTHER_VILLAGE, OTHER_SITE = "522702101", "522702101201", "AZD2702-01"
OTHER_HH = "H2702001"  # a household id of the other county: short, no personal-number shape


def test_a_file_of_one_county_meets_the_rules_over_the_whole_store(engine):
    """The validation reads only the stored rows a file names: the rules over the whole
    store still see the other county's names, codes and household ids, and the write plan
    counts every stored row."""
    _county_store(engine)
    assert import_files(engine, [
        ledger_csv("townships", [{"township_code": OTHER_TOWN, "township_name": "别镇",
                                  **OTHER}]),
        ledger_csv("villages", [{"village_code": OTHER_VILLAGE, "village_name": "别村",
                                 "township_code": OTHER_TOWN, "listed": "是"}]),
        ledger_csv("sites", [{"site_code": OTHER_SITE, "site_name": "别安置点",
                              "township_code": OTHER_TOWN, "planned_households": 10}]),
        ledger_csv("loans", [{"loan_id": "DK2702-0001", "household_id": OTHER_HH,
                              "township_code": OTHER_TOWN, "principal": "1000",
                              "issued_date": "2020-05-01", "due_date": "2021-05-01"}]),
    ], user="t").accepted
    t1, t2 = (dict(r, **COUNTY) for r in examples("townships"))
    t1.update(township_name="别镇", households=OTHER_HH)
    t2.update(county_code=OTHER["county_code"], county_name="另县", households="H9999999")
    task = {"phase_no": 1, "township_code": None, "task_name": "全县任务",
            "due_date": "2020-03-31"}
    res = plan_import(engine, [
        ledger_csv("townships", [t1, t2]),
        ledger_csv("villages", [{"village_code": OTHER_SITE, "village_name": "新村",
                                 "township_code": T1}]),
        ledger_csv("sites", [{"site_code": OTHER_VILLAGE, "site_name": "新安置点",
                              "township_code": T1, "planned_households": 10}]),
        ledger_csv("tasks", [dict(task, task_id="T101", county_code="522702"),
                             dict(task, task_id="T102", county_code="522703")]),
    ])
    got = {(p.ledger, p.row, p.column_key, p.reason): p for p in res.problems}
    assert set(got) == {
        ("townships", 2, "township_name", "name_taken"),
        ("townships", 2, "households", "bad_int"),
        ("townships", 3, "households", "bad_int"),
        ("townships", 3, "county_name", "county_name_differs"),
        ("villages", 2, "village_code", "code_of_other_ledger"),
        ("sites", 2, "site_code", "site_is_village"),
        ("tasks", 3, "county_code", "unknown_county")}  # T101 names the other county: known
    assert got[("townships", 2, "township_name", "name_taken")].params["code"] == OTHER_TOWN
    assert got[("townships", 3, "county_name", "county_name_differs")].params["name"] == "别县"
    # the other county's household id is masked, and so is a value of its format
    assert got[("townships", 2, "households", "bad_int")].value == "H2****01"
    assert got[("townships", 3, "households", "bad_int")].value == "H9****99"
    # one of the county's two townships renamed: a third of the store's three townships
    t1 = dict(examples("townships")[0], township_name="新示例镇", **COUNTY)
    res = plan_import(engine, [ledger_csv("townships", [t1])])
    assert res.ok, res.problems
    assert res.changes["townships"] == {"new": 0, "changed": 1, "unchanged": 0, "removed": 0}
    many = [c for c in res.consequences if c.reason == "many_replaced"]
    assert [(c.params["n"], c.params["stored"]) for c in many] == [(1, 3)]


def test_county_columns_left_out_are_warned_only_when_stored_values_are_cleared(engine):
    plain = [ledger_csv("townships", examples("townships"))]
    res = import_files(engine, plain, user="t")
    assert res.accepted and [w.reason for w in res.warnings] == []
    _county_store(engine)
    data = csv_bytes(["township_code", "township_name"], [[T1, "示例镇"]])
    res = plan_import(engine, [SourceFile("townships.csv", data)])
    [w] = res.warnings
    assert w.reason == "absent_columns"
    assert w.params["absent_cols"] == ["area_group", "households", "county_code", "county_name"]
    assert "县代码" in w.message("zh") and "County code" in w.message("en")


# --- months typed in Excel --------------------------------------------------------------

@pytest.mark.parametrize("cell, month, reason", [
    (2020.6, dt.date(2020, 6, 1), None),  # a number cell: 2020.6 typed, June
    (2020.12, dt.date(2020, 12, 1), None),
    ("2020.10", dt.date(2020, 10, 1), None),  # a text cell keeps its zero
    (dt.datetime(2020, 7, 15), dt.date(2020, 7, 1), None),  # a date cell: its month
    (2020.1, None, "ambiguous_month"),  # January, or October that Excel cut to 2020.1
    (2020.0, None, "bad_month"),
    (2020.13, None, "bad_month"),
    (202006, None, "bad_month"),
])
def test_a_month_typed_in_excel(engine, cell, month, reason):
    assert import_files(engine, example_files("townships"), user="t").accepted
    sheet = [["乡镇代码", "月份", "报送日期"], [T1, cell, dt.datetime(2020, 12, 20)]]
    res = import_files(engine, [SourceFile("book.xlsx", xlsx_bytes({"月报": sheet}))], user="t")
    if reason is None:
        assert res.accepted, res.problems
        with engine.connect() as conn:
            assert conn.execute(select(Report.month)).scalar_one() == month
        return
    assert problem_tuples(res.problems) == {("reports", 2, "month", reason)}
    if reason == "ambiguous_month":
        msg = res.problems[0].message("zh")
        assert "2020.1" in msg and "2020-10" in msg and "2020-01" in msg


# --- personal data and the township scope -------------------------------------------------

def test_household_ids_of_the_new_ledgers_are_masked_in_problems(engine):
    assert import_files(engine, example_files(), user="t").accepted
    secret = "5227011012010099"
    monitored = [dict(examples("monitored")[0], household_id=secret),
                 dict(examples("monitored")[1], household_id=secret)]
    guarantees = [dict(examples("guarantees")[0], household_id=secret, water_ok="?")]
    res = import_files(engine, [ledger_csv("monitored", monitored),
                                ledger_csv("guarantees", guarantees)], user="t")
    assert problem_tuples(res.problems) == {("monitored", 3, "household_id", "duplicate"),
                                            ("guarantees", 2, "water_ok", "bad_bool")}
    for lang in ("zh", "en"):
        assert secret not in format_report(res, lang)
        assert secret not in problems_frame(res.problems, lang).to_csv()
        assert "5227011012010023" not in format_report(res, lang)  # a stored one


def test_a_township_reader_may_not_replace_another_townships_checks(engine):
    assert import_files(engine, example_files(), user="t").accepted
    before = dump(engine)
    rows = [dict(examples("guarantees")[2], household_id=HH)]  # T2's row, T1's household
    res = import_files(engine, [ledger_csv("guarantees", rows)], user="t", allowed=(T2,))
    assert problem_tuples(res.problems) == {("guarantees", 2, "township_code",
                                             "stored_outside_scope")}
    assert dump(engine) == before
    rows = [dict(examples("guarantees")[2], check_date="2020-11-11")]  # its own household
    assert import_files(engine, [ledger_csv("guarantees", rows)], user="t",
                        allowed=(T2,)).accepted


# --- the template -------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_template_explains_months_choices_and_required_bools(tmp_path, lang):
    from openpyxl import load_workbook

    from duzhan.ledgers.template import write_template

    path = tmp_path / "t.xlsx"
    write_template(path, lang=lang)
    wb = load_workbook(path)
    rows = {(r[0], r[1]): r for r in wb.worksheets[0].iter_rows(min_row=5, values_only=True)}
    sheet = {"zh": "督导（supervisions）", "en": "supervisions (督导)"}[lang]
    rating = rows[(sheet, "rating")]
    assert rating[3] == {"zh": "选项", "en": "choice"}[lang]
    assert all(w in rating[6] for w in ("好", "较好", "一般", "差", "good", "fair", "average",
                                        "poor"))
    month = rows[({"zh": "月报（reports）", "en": "reports (月报)"}[lang], "month")]
    assert month[3] == {"zh": "月份", "en": "month"}[lang] and "2024.6" in month[6]
    water = rows[({"zh": "三保障核查（guarantees）", "en": "guarantees (三保障核查)"}[lang],
                  "water_ok")]
    listed = rows[({"zh": "村（villages）", "en": "villages (村)"}[lang], "listed")]
    assert water[4] and not listed[4]  # required, and its format says so; listed's does not
    assert {"zh": "不能为空", "en": "never empty"}[lang] in water[6]
    assert {"zh": "空 = 否", "en": "empty = no"}[lang] in listed[6]
    # a month column is text, so that Excel keeps 2024.10 as typed
    reports = wb[{"zh": "月报", "en": "reports"}[lang]]
    assert reports.column_dimensions["B"].number_format == "@"


def _household_rows(ledger: str) -> list[list]:
    from duzhan.contract import LEDGERS

    from .test_report import SECRETS

    keys = LEDGERS[ledger].keys
    base = examples(ledger)
    return [[dict(base[i % len(base)], household_id=hh).get(k) for k in keys]
            for i, hh in enumerate(SECRETS)]


@pytest.mark.parametrize("ledger", ["monitored", "guarantees"])
def test_a_household_file_without_its_header_row_masks_every_id(engine, ledger):
    from .test_report import SECRETS, everything_shown

    assert import_files(engine, example_files("townships", "villages"), user="t").accepted
    body = "\n".join(",".join("" if v is None else str(v) for v in r)
                     for r in _household_rows(ledger))
    res = import_files(engine, [SourceFile(f"{ledger}.csv", body.encode())], user="t")
    assert not res.accepted
    shown = everything_shown(res)
    assert shown
    for secret in SECRETS:
        assert secret not in shown


@pytest.mark.parametrize("ledger", ["monitored", "guarantees"])
def test_a_household_row_shifted_by_a_column_masks_the_id_it_moved(engine, ledger):
    from duzhan.contract import LEDGERS

    from .test_report import SECRETS, everything_shown

    assert import_files(engine, example_files("townships", "villages"), user="t").accepted
    rows = _household_rows(ledger)
    rows[1].insert(0, "")  # the household id lands in township_code
    res = import_files(engine, [SourceFile(f"{ledger}.csv",
                                           csv_bytes(LEDGERS[ledger].keys, rows))], user="t")
    assert ("township_code", "unknown_township") in {(p.column_key, p.reason)
                                                     for p in res.problems if p.row == 3}
    shown = everything_shown(res)
    for secret in SECRETS:
        assert secret not in shown
