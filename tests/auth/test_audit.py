"""The audit log: every kind is written and read back; filters by time, user and kind."""
import datetime as dt

import pytest

from duzhan.auth import (
    KINDS,
    add_user,
    authenticate,
    read_audit,
    record_export,
    record_import,
    record_sign_out,
)

from .conftest import PASSWORD, T0

M = dt.timedelta(minutes=1)


def _a_day_of_work(store):
    add_user(store, "wang", "township", PASSWORD, T0, townships=["101"], by="cli:root")
    add_user(store, "li", "analyst", PASSWORD, T0, by="cli:root")
    authenticate(store, "wang", "nope", T0 + M)
    for i in range(4):
        authenticate(store, "mallory", "guess", T0 + 2 * M + i * dt.timedelta(seconds=1))
    authenticate(store, "mallory", "guess", T0 + 3 * M)  # the 5th: lockout
    authenticate(store, "wang", PASSWORD, T0 + 4 * M)
    authenticate(store, "li", PASSWORD, T0 + 4 * M)
    record_import(store, "li", ["乡镇.xlsx", "小额信贷.csv"], "accepted", T0 + 5 * M, import_id=7)
    record_export(store, "wang", "brief.pdf", ["101"], dt.date(2026, 3, 1), T0 + 6 * M)
    record_export(store, "li", "loans.xlsx", None, dt.date(2026, 3, 1), T0 + 7 * M)
    record_sign_out(store, "wang", T0 + 8 * M)
    record_sign_out(store, "li", T0 + 40 * M, reason="idle")


def test_every_kind_is_recorded(store):
    _a_day_of_work(store)
    assert {e.kind for e in read_audit(store)} == set(KINDS)


def test_import_export_and_sign_out_details(store):
    _a_day_of_work(store)
    (imp,) = read_audit(store, kind="import")
    assert (imp.user_name, imp.at, imp.detail) == (
        "li", T0 + 5 * M, {"files": ["乡镇.xlsx", "小额信贷.csv"], "outcome": "accepted",
                           "import_id": 7})
    exports = [(e.user_name, e.detail) for e in read_audit(store, kind="export")]
    assert exports == [
        ("li", {"what": "loans.xlsx", "scope": None, "as_of": "2026-03-01"}),
        ("wang", {"what": "brief.pdf", "scope": ["101"], "as_of": "2026-03-01"}),
    ]
    outs = [(e.user_name, e.detail["reason"]) for e in read_audit(store, kind="sign_out")]
    assert outs == [("li", "idle"), ("wang", "user")]


def test_filters_combine_and_results_are_newest_first(store):
    _a_day_of_work(store)
    wang = read_audit(store, user_name="wang")
    assert [e.kind for e in wang] == ["sign_out", "export", "sign_in", "sign_in_failed"]
    assert [e.kind for e in read_audit(store, since=T0 + 6 * M)] == [
        "sign_out", "sign_out", "export", "export"]  # `since` includes its own instant
    assert [e.user_name for e in read_audit(store, since=T0 + 4 * M, kind="sign_in")] == [
        "li", "wang"]
    assert read_audit(store, user_name="wang", kind="import") == []
    assert len(read_audit(store, limit=3)) == 3
    all_times = [e.at for e in read_audit(store)]
    assert all_times == sorted(all_times, reverse=True)
    assert all(t.tzinfo is not None for t in all_times)


def test_since_in_another_zone_is_the_same_instant(store):
    _a_day_of_work(store)
    beijing = dt.timezone(dt.timedelta(hours=8))
    assert read_audit(store, since=(T0 + 6 * M).astimezone(beijing)) == \
        read_audit(store, since=T0 + 6 * M)


def test_unknown_kind_is_refused(store):
    with pytest.raises(ValueError):
        read_audit(store, kind="coffee")
    from duzhan.auth.audit import record

    with store.begin() as conn, pytest.raises(ValueError):
        record(conn, "coffee", "x", T0)
