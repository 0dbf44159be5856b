"""Password sign-in on the store: one message for an unknown name and a wrong password,
lockout after exactly 5 failures for 15 minutes, disabled users, the identity provider's
e-mail mapped to a user. A fake clock (`now`) drives every step."""
import datetime as dt

from sqlalchemy import select

from duzhan.auth import (
    LOCK_DURATION,
    MAX_FAILURES,
    add_user,
    authenticate,
    authenticate_email,
    read_audit,
    set_disabled,
)
from duzhan.store.auth_models import SignInFailures, UserRecord

from .conftest import PASSWORD, T0

S = dt.timedelta(seconds=1)


def _town_user(store, name="wang", **kw):
    return add_user(store, name, "township", PASSWORD, T0, townships=["101"], **kw)


def test_right_password_signs_in_with_role_and_townships(store):
    _town_user(store)
    r = authenticate(store, "wang", PASSWORD, T0)
    assert r.ok and r.user.name == "wang" and r.user.townships == ("101",)
    assert r.user.role == "township"
    assert authenticate(store, " wang ", PASSWORD, T0).ok  # typed spaces do not matter


def test_unknown_user_and_wrong_password_read_identically_even_through_the_lockout(store):
    _town_user(store)
    wrong = [authenticate(store, "wang", "wrong password", T0 + i * S) for i in range(7)]
    unknown = [authenticate(store, "nobody", "wrong password", T0 + i * S) for i in range(7)]
    for lang in ("zh", "en"):
        assert [r.message(lang) for r in wrong] == [r.message(lang) for r in unknown]
    assert [r.reason for r in wrong] == [r.reason for r in unknown] == \
        ["bad_credentials"] * 4 + ["locked"] * 3
    assert wrong[0].message("zh") == "用户名或密码不正确"
    assert wrong[0].message("en") == "Wrong user name or password"
    assert all(r.user is None for r in wrong + unknown)


def test_fifth_failure_locks_for_fifteen_minutes_even_against_the_right_password(store):
    _town_user(store)
    for i in range(MAX_FAILURES - 1):
        assert authenticate(store, "wang", "nope", T0 + i * S).reason == "bad_credentials"
    fifth = authenticate(store, "wang", "nope", T0 + 4 * S)
    assert fifth.reason == "locked"
    assert fifth.locked_until == T0 + 4 * S + LOCK_DURATION
    assert "15" in fifth.message("en") and "5" in fifth.message("en")
    # the right password during the lock is refused, up to the last second
    assert authenticate(store, "wang", PASSWORD, T0 + 5 * S).reason == "locked"
    last = authenticate(store, "wang", PASSWORD, fifth.locked_until - S)
    assert last.reason == "locked" and "1 min" in last.message("en")
    # at 15:00 after the fifth failure the lock has ended
    assert authenticate(store, "wang", PASSWORD, fifth.locked_until).ok


def test_four_failures_then_the_right_password_resets_the_count(store):
    _town_user(store)
    for i in range(4):
        authenticate(store, "wang", "nope", T0 + i * S)
    assert authenticate(store, "wang", PASSWORD, T0 + 4 * S).ok
    for i in range(4):  # four more: still no lock
        assert authenticate(store, "wang", "nope", T0 + (5 + i) * S).reason == "bad_credentials"
    assert authenticate(store, "wang", PASSWORD, T0 + 10 * S).ok


def test_failures_more_than_fifteen_minutes_apart_do_not_add_up(store):
    _town_user(store)
    for i in range(4):
        authenticate(store, "wang", "nope", T0 + i * LOCK_DURATION)
    assert authenticate(store, "wang", "nope", T0 + 4 * LOCK_DURATION).reason == "bad_credentials"
    assert authenticate(store, "wang", PASSWORD, T0 + 4 * LOCK_DURATION + S).ok


def test_after_a_lock_ends_five_new_failures_lock_again(store):
    _town_user(store)
    for i in range(5):
        authenticate(store, "wang", "nope", T0 + i * S)
    reopened = T0 + 4 * S + LOCK_DURATION
    results = [authenticate(store, "wang", "nope", reopened + i * S).reason for i in range(5)]
    assert results == ["bad_credentials"] * 4 + ["locked"]


def test_a_lock_on_one_name_leaves_others_alone(store):
    _town_user(store)
    add_user(store, "li", "leader", PASSWORD, T0)
    for i in range(5):
        authenticate(store, "wang", "nope", T0 + i * S)
    assert authenticate(store, "li", PASSWORD, T0 + 6 * S).ok


def test_disabled_user_is_refused_with_the_right_password_and_enabled_again(store):
    _town_user(store)
    set_disabled(store, "wang", True, T0)
    r = authenticate(store, "wang", PASSWORD, T0 + S)
    assert r.reason == "disabled" and r.user is None
    assert r.message("en") == "This account is disabled; ask the administrator"
    # a wrong password tells nothing about the account
    assert authenticate(store, "wang", "nope", T0 + 2 * S).reason == "bad_credentials"
    set_disabled(store, "wang", False, T0 + 3 * S)
    assert authenticate(store, "wang", PASSWORD, T0 + 4 * S).ok


def test_stale_failure_counters_are_dropped_on_a_later_success(store):
    _town_user(store)
    authenticate(store, "typo-name", "x", T0)
    assert authenticate(store, "wang", PASSWORD, T0 + LOCK_DURATION).ok
    with store.connect() as conn:
        assert conn.execute(select(SignInFailures.name)).scalars().all() == []


def test_sign_in_and_failures_are_audited_without_passwords(store):
    _town_user(store)
    authenticate(store, "wang", "wrong-one", T0)
    authenticate(store, "ghost", "ghost-pw", T0 + S)
    authenticate(store, "wang", PASSWORD, T0 + 2 * S)
    entries = [e for e in read_audit(store) if e.kind != "user"]
    seen = [(e.kind, e.user_name, e.detail) for e in reversed(entries)]
    assert seen == [
        ("sign_in_failed", "wang", {"reason": "bad_credentials"}),
        ("sign_in_failed", "ghost", {"reason": "bad_credentials"}),
        ("sign_in", "wang", {"method": "password"}),
    ]
    assert entries[0].at == T0 + 2 * S
    text = repr(entries)
    assert "wrong-one" not in text and "ghost-pw" not in text and PASSWORD not in text


def test_lockout_is_audited_with_its_end(store):
    _town_user(store)
    for i in range(6):
        authenticate(store, "wang", "nope", T0 + i * S)
    lock = read_audit(store, kind="lockout")
    assert [(e.user_name, e.detail["until"], e.detail["failures"]) for e in lock] == [
        ("wang", (T0 + 4 * S + LOCK_DURATION).isoformat(), 5)]
    reasons = [e.detail["reason"] for e in reversed(read_audit(store, kind="sign_in_failed"))]
    assert reasons == ["bad_credentials"] * 5 + ["locked"]


def test_password_hash_is_stored_never_the_password(store):
    _town_user(store)
    with store.connect() as conn:
        stored = conn.execute(select(UserRecord.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_identity_provider_email_maps_to_the_user(store):
    _town_user(store, email="Wang.Fang@County.GOV.cn")
    r = authenticate_email(store, "wang.fang@county.gov.cn ", T0)
    assert r.ok and r.user.name == "wang" and r.user.townships == ("101",)
    unknown = authenticate_email(store, "someone@else.cn", T0 + S)
    assert unknown.reason == "unknown_email" and unknown.user is None
    assert not authenticate_email(store, "", T0 + S).ok
    set_disabled(store, "wang", True, T0 + 2 * S)
    assert authenticate_email(store, "wang.fang@county.gov.cn", T0 + 3 * S).reason == "disabled"
    kinds = [(e.kind, e.user_name, e.detail.get("reason")) for e in reversed(read_audit(store))
             if e.kind.startswith("sign_in")]
    assert kinds == [("sign_in", "wang", None), ("sign_in_failed", None, "unknown_email"),
                     ("sign_in_failed", None, "unknown_email"),
                     ("sign_in_failed", "wang", "disabled")]


def test_a_naive_clock_is_refused(store):
    import pytest

    with pytest.raises(ValueError):
        authenticate(store, "wang", PASSWORD, dt.datetime(2026, 3, 2, 9, 0))


def test_failures_at_the_same_moment_all_count_and_lock_once(store):
    from concurrent.futures import ThreadPoolExecutor

    _town_user(store)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: authenticate(store, "wang", "nope", T0), range(8)))
    assert [r.reason for r in results].count("bad_credentials") == 4  # the 5th on: locked
    assert len(read_audit(store, kind="sign_in_failed")) == 8
    assert len(read_audit(store, kind="lockout")) == 1
    assert authenticate(store, "wang", PASSWORD, T0 + S).reason == "locked"


def test_a_name_longer_than_any_user_matches_none(store):
    add_user(store, "w" * 200, "leader", PASSWORD, T0)
    assert authenticate(store, "w" * 200, PASSWORD, T0).ok
    assert authenticate(store, "w" * 201, PASSWORD, T0).reason == "bad_credentials"
