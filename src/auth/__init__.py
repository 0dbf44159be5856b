"""Sign-in, roles, township limits and the audit log (no Streamlit here).

Layer 4, beside duzhan.ledgers: uses duzhan.store, clock, i18n, privacy only.
The pages reach it through duzhan.views.shell; the `duzhan user` and `duzhan audit`
commands through duzhan.cli.
"""
from .audit import (
    KINDS,
    AuditEntry,
    read_audit,
    record_export,
    record_import,
    record_sign_out,
)
from .roles import ACTIONS, PERMISSIONS, ROLES, User, allowed_townships, can
from .signin import (
    DEFAULT_IDLE_MINUTES,
    IDLE_ENV,
    LOCK_DURATION,
    MAX_FAILURES,
    SignInResult,
    authenticate,
    authenticate_email,
    idle_expired,
    idle_timeout,
)
from .users import (
    MIN_PASSWORD_LENGTH,
    UserError,
    add_user,
    check_new_user,
    get_user,
    list_users,
    set_disabled,
    set_password,
    sign_in_enabled,
    user_by_email,
)

__all__ = [
    "ACTIONS", "DEFAULT_IDLE_MINUTES", "IDLE_ENV", "KINDS", "LOCK_DURATION", "MAX_FAILURES",
    "MIN_PASSWORD_LENGTH", "PERMISSIONS", "ROLES", "AuditEntry", "SignInResult", "User",
    "UserError", "add_user", "allowed_townships", "authenticate", "authenticate_email", "can",
    "check_new_user", "get_user", "idle_expired", "idle_timeout", "list_users", "read_audit",
    "record_export", "record_import", "record_sign_out", "set_disabled", "set_password",
    "sign_in_enabled", "user_by_email",
]
