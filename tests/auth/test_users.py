"""Users in the store: no users = sign-in off, the first one turns it on; refused changes
change nothing; every change is audited; nothing handed out carries the hash."""
import dataclasses

import pytest

from duzhan.auth import (
    UserError,
    add_user,
    authenticate,
    check_new_user,
    get_user,
    list_users,
    read_audit,
    set_disabled,
    set_password,
    sign_in_enabled,
    user_by_email,
)

from .conftest import PASSWORD, T0


def test_no_users_means_sign_in_off_and_the_first_user_turns_it_on(store):
    assert sign_in_enabled(store) is False
    add_user(store, "admin", "admin", PASSWORD, T0)
    assert sign_in_enabled(store) is True


def test_disabling_the_only_user_keeps_sign_in_on(store):
    add_user(store, "admin", "admin", PASSWORD, T0)
    set_disabled(store, "admin", True, T0)
    assert sign_in_enabled(store) is True


def test_users_are_listed_by_name_without_any_hash(store):
    add_user(store, "zhao", "township", PASSWORD, T0, townships=["103", "101", "101"])
    add_user(store, "li", "analyst", PASSWORD, T0, email="Li@X.cn")
    users = list_users(store)
    assert [(u.name, u.role, u.townships, u.email, u.disabled) for u in users] == [
        ("li", "analyst", (), "li@x.cn", False),
        ("zhao", "township", ("101", "103"), None, False),
    ]
    assert {f.name for f in dataclasses.fields(users[0])} == {
        "name", "role", "townships", "email", "disabled"}
    assert get_user(store, "zhao") == users[1]
    assert get_user(store, "nobody") is None
    assert user_by_email(store, " LI@x.CN") == users[0]
    assert user_by_email(store, "other@x.cn") is None


@pytest.mark.parametrize("kwargs, key", [
    (dict(name="t1", role="township"), "auth.user.township_required"),
    (dict(name="t1", role="township", townships=["101", "999"]), "auth.user.unknown_township"),
    (dict(name="l1", role="leader", townships=["101"]), "auth.user.township_not_for_role"),
    (dict(name="x", role="boss"), "auth.user.bad_role"),
    (dict(name="", role="leader"), "auth.user.bad_name"),
    (dict(name="two words", role="leader"), "auth.user.bad_name"),
    (dict(name="a1", role="leader", email="not-an-email"), "auth.user.bad_email"),
    (dict(name="a1", role="leader", password="short"), "auth.user.password_too_short"),
])
def test_refused_additions_change_nothing(store, kwargs, key):
    kwargs.setdefault("password", PASSWORD)
    with pytest.raises(UserError) as err:
        add_user(store, now=T0, **kwargs)
    assert err.value.key == key
    assert err.value.message("zh") and err.value.message("en")
    if key != "auth.user.password_too_short":  # the same check, before any password
        kwargs.pop("password")
        with pytest.raises(UserError, match=key):
            check_new_user(store, **kwargs)
    assert list_users(store) == [] and read_audit(store) == []
    assert sign_in_enabled(store) is False


def test_unknown_township_names_the_codes(store):
    with pytest.raises(UserError) as err:
        add_user(store, "t1", "township", PASSWORD, T0, townships=["101", "999", "998"])
    assert err.value.message("en") == "unknown township code(s): 998, 999"


def test_taken_name_and_email_are_refused(store):
    add_user(store, "li", "leader", PASSWORD, T0, email="li@x.cn")
    with pytest.raises(UserError, match="auth.user.exists"):
        add_user(store, "li", "analyst", PASSWORD, T0)
    with pytest.raises(UserError, match="auth.user.email_taken"):
        add_user(store, "li2", "analyst", PASSWORD, T0, email="LI@x.cn")
    assert [u.name for u in list_users(store)] == ["li"]


def test_password_change_takes_effect_and_refuses_a_short_one(store):
    add_user(store, "li", "leader", PASSWORD, T0)
    set_password(store, "li", "a new password", T0)
    assert not authenticate(store, "li", PASSWORD, T0).ok
    assert authenticate(store, "li", "a new password", T0).ok
    with pytest.raises(UserError, match="password_too_short"):
        set_password(store, "li", "1234567", T0)
    with pytest.raises(UserError, match="no_such_user"):
        set_password(store, "nobody", "a new password", T0)
    with pytest.raises(UserError, match="no_such_user"):
        set_disabled(store, "nobody", True, T0)


def test_every_user_change_is_audited_with_who_and_what(store):
    add_user(store, "zhao", "township", PASSWORD, T0, townships=["102"], by="cli:root")
    set_password(store, "zhao", "another password", T0, by="cli:root")
    set_disabled(store, "zhao", True, T0, by="admin")
    set_disabled(store, "zhao", False, T0, by="admin")
    got = [(e.user_name, e.detail) for e in reversed(read_audit(store, kind="user"))]
    assert got == [
        ("cli:root", {"action": "add", "target": "zhao", "role": "township",
                      "townships": ["102"], "email": None}),
        ("cli:root", {"action": "passwd", "target": "zhao"}),
        ("admin", {"action": "disable", "target": "zhao"}),
        ("admin", {"action": "enable", "target": "zhao"}),
    ]
    assert PASSWORD not in repr(got) and "another password" not in repr(got)
