"""Roles and what each may do, as data; the townships a reader may see follows from them."""
from __future__ import annotations

from dataclasses import dataclass

ROLES = ("leader", "analyst", "township", "admin")
ACTIONS = ("read", "export", "import", "admin")

# leader and analyst see the whole county; a township user only its own townships (the
# scope, below); admin manages users and reads the audit log, not the ledgers.
PERMISSIONS: dict[str, frozenset[str]] = {
    "leader": frozenset({"read", "export"}),
    "analyst": frozenset({"read", "export", "import"}),
    "township": frozenset({"read", "export"}),
    "admin": frozenset({"admin"}),
}
COUNTY_ROLES = frozenset({"leader", "analyst"})

# With sign-in off (no users in the store) the dashboard works as the local demo always
# did: everyone reads, exports and imports; there are no users to administer.
SIGN_IN_OFF_ACTIONS = frozenset({"read", "export", "import"})


@dataclass(frozen=True)
class User:
    """A user as the rest of the code sees one: never carries the password hash."""

    name: str
    role: str
    townships: tuple[str, ...] = ()  # township role only, in code order
    email: str | None = None
    disabled: bool = False


def can(user: User | None, action: str) -> bool:
    """May `user` (None = sign-in off) do `action` (one of ACTIONS)?"""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None:
        return action in SIGN_IN_OFF_ACTIONS
    if user.disabled:
        return False
    return action in PERMISSIONS[user.role]


def allowed_townships(user: User | None) -> tuple[str, ...] | None:
    """The townships `user` may read: None = all (sign-in off, leader, analyst); a township
    user's own codes; () = none (admin, a disabled user). This is DataScope.allowed."""
    if user is None:
        return None
    if not can(user, "read"):
        return ()
    if user.role in COUNTY_ROLES:
        return None
    return tuple(user.townships)
