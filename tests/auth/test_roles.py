"""What each role may do, and which townships it reads (DataScope.allowed)."""
import pytest

from duzhan.auth import ACTIONS, PERMISSIONS, ROLES, User, allowed_townships, can
from duzhan.store.read import DataScope

LEADER = User("l", "leader")
ANALYST = User("a", "analyst")
TOWN = User("t", "township", ("101", "103"))
ADMIN = User("ad", "admin")


@pytest.mark.parametrize("user, allowed", [
    (LEADER, {"read", "export"}),
    (ANALYST, {"read", "export", "import"}),
    (TOWN, {"read", "export"}),
    (ADMIN, {"admin"}),
    (None, {"read", "export", "import"}),  # sign-in off: the local demo as before
])
def test_each_role_may_do_exactly_its_actions(user, allowed):
    assert {a for a in ACTIONS if can(user, a)} == allowed


def test_the_table_covers_every_role_and_only_known_actions():
    assert set(PERMISSIONS) == set(ROLES)
    assert set().union(*PERMISSIONS.values()) <= set(ACTIONS)


def test_a_disabled_user_may_do_nothing_and_reads_nothing():
    off = User("t", "township", ("101",), disabled=True)
    assert not any(can(off, a) for a in ACTIONS)
    assert allowed_townships(off) == ()
    assert allowed_townships(User("l", "leader", disabled=True)) == ()


def test_unknown_action_is_an_error_not_a_no():
    with pytest.raises(ValueError):
        can(LEADER, "delete")


def test_township_scope():
    assert allowed_townships(None) is None  # sign-in off: whole county
    assert allowed_townships(LEADER) is None
    assert allowed_townships(ANALYST) is None
    assert allowed_townships(TOWN) == ("101", "103")
    assert allowed_townships(ADMIN) == ()  # admin manages users, reads no ledgers


def test_township_scope_limits_whatever_the_filter_selects():
    scope = DataScope(allowed=allowed_townships(TOWN), selected=("102", "103"))
    assert scope.townships == ("103",)  # a crafted ?t=102 adds nothing
    assert DataScope(allowed=allowed_townships(ADMIN), selected=None).townships == ()
