"""A stored date the importer would refuse (written by SQL around it) never crashes a read:
the row, and the rows naming it, are left out of the frames and counted for a notice."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from duzhan.ledgers import import_files
from duzhan.metrics.report import metrics_report
from duzhan.store.lookup import last_event_date
from duzhan.store.read import DataScope, left_out_rows, load_ledgers, read_ledgers

from ..ledgers.helpers import example_files

AS_OF = dt.date(2021, 6, 30)


def _stored(engine):
    res = import_files(engine, example_files(), user="t")
    assert res.accepted, res.problems


def test_clean_store_leaves_nothing_out(engine):
    _stored(engine)
    read = read_ledgers(engine)
    assert read.left_out == {} and left_out_rows(engine) == {}
    assert len(read.ledgers.loans) == 2 and len(read.ledgers.repayments) == 2


def test_out_of_range_dates_are_left_out_with_what_names_them(engine):
    _stored(engine)
    before = metrics_report(load_ledgers(engine), AS_OF)
    with engine.begin() as conn:
        # the issue's cases: a loan due 2300-01-09, an issue found 1500-05-01
        conn.execute(text("UPDATE loans SET due_date = '2300-01-09' WHERE loan_id = 'DK2020-0001'"))
        conn.execute(text("UPDATE issues SET found_date = '1500-05-01' "
                          "WHERE issue_id = 'W2020-002'"))
    read = read_ledgers(engine, DataScope())
    # the loan, its one repayment and the issue; nothing else
    assert read.left_out == {"issues": 1, "loans": 1, "repayments": 1}
    assert left_out_rows(engine) == read.left_out
    assert list(read.ledgers.loans["loan_id"]) == ["DK2020-0002"]
    assert list(read.ledgers.repayments["loan_id"]) == ["DK2020-0002"]
    assert list(read.ledgers.issues["issue_id"]) == ["W2020-001"]
    after = metrics_report(read.ledgers, AS_OF)  # no OutOfBoundsDatetime
    assert after["county"]["issues"]["found"] == before["county"]["issues"]["found"] - 1
    assert after["county"]["loans"] != before["county"]["loans"]
    # the data's last day ignores them too
    assert last_event_date(engine) is not None and last_event_date(engine) <= dt.date(2100, 12, 31)


def test_a_far_future_event_date_is_not_the_datas_last_day(engine):
    _stored(engine)
    last = last_event_date(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE issues SET closed_date = '2300-01-09' "
                          "WHERE issue_id = 'W2020-001'"))
    assert last_event_date(engine) <= last


def test_a_malformed_date_in_sqlite_is_left_out_too(tmp_path):
    """SQLite keeps any text in a DATE column (PostgreSQL's holds dates only)."""
    from duzhan.store.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path}/malformed.db")
    upgrade(engine)
    _stored(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE tasks SET due_date = 'soon' WHERE task_id = "
                          "(SELECT min(task_id) FROM tasks)"))
    read = read_ledgers(engine)
    assert read.left_out == {"tasks": 1} and left_out_rows(engine) == {"tasks": 1}
    assert len(read.ledgers.tasks) == 1
    metrics_report(read.ledgers, AS_OF)
    engine.dispose()
