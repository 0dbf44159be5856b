"""Users in the store: add, change password, disable/enable, list, look up. Every change is
written to the audit log in the same transaction. The first user turns sign-in on."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Connection, Engine, exists, insert, select, update

from duzhan.i18n import t
from duzhan.store.auth_models import UserRecord, UserTownship
from duzhan.store.models import Township

from .audit import record, require_aware
from .passwords import hash_password
from .roles import ROLES, User

MIN_PASSWORD_LENGTH = 8
MAX_NAME_LENGTH = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


class UserError(ValueError):
    """A refused user change, with a catalogue message (zh/en)."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "zh") -> str:
        return t(self.key, lang, **self.params)


def sign_in_enabled(engine: Engine) -> bool:
    """Sign-in is on once the store has any user, disabled ones included (disabling the last
    user must not open the dashboard to everyone)."""
    with engine.connect() as conn:
        return conn.execute(select(exists().select_from(UserRecord))).scalar_one()


def normalise_email(email: str | None) -> str | None:
    if email is None:
        return None
    email = email.strip().lower()
    return email or None


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH or any(c.isspace() or not c.isprintable()
                                                      for c in name):
        raise UserError("auth.user.bad_name", max=MAX_NAME_LENGTH)
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("auth.user.password_too_short", min=MIN_PASSWORD_LENGTH)


def _load(conn: Connection, rows) -> list[User]:
    ids = [r.id for r in rows]
    grants: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for uid, code in conn.execute(
                select(UserTownship.user_id, UserTownship.township_code)
                .where(UserTownship.user_id.in_(ids)).order_by(UserTownship.township_code)):
            grants[uid].append(code)
    return [User(r.name, r.role, tuple(grants[r.id]), r.email, bool(r.disabled)) for r in rows]


# never the hash: it stays in the store
_USER_COLUMNS = (UserRecord.id, UserRecord.name, UserRecord.role, UserRecord.email,
                 UserRecord.disabled)


def _user_where(conn: Connection, *where) -> User | None:
    row = conn.execute(select(*_USER_COLUMNS).where(*where)).first()
    return _load(conn, [row])[0] if row is not None else None


def get_user(engine: Engine, name: str) -> User | None:
    """The user called `name` (exact), or None. A signed-in session should re-read its user
    on every run so that a disable or a role change takes effect at once."""
    with engine.connect() as conn:
        return _user_where(conn, UserRecord.name == name.strip())


def user_by_email(engine: Engine, email: str) -> User | None:
    """The user whose e-mail is `email` (case-insensitive): the identity provider's
    (st.login / OIDC) e-mail claim mapped to a user row."""
    email = normalise_email(email)
    if email is None:
        return None
    with engine.connect() as conn:
        return _user_where(conn, UserRecord.email == email)


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        rows = conn.execute(select(*_USER_COLUMNS).order_by(UserRecord.name)).all()
        return _load(conn, rows)


def _check_townships(conn: Connection, role: str, townships: tuple[str, ...]) -> None:
    if role == "township" and not townships:
        raise UserError("auth.user.township_required")
    if role != "township" and townships:
        raise UserError("auth.user.township_not_for_role", role=role)
    known = set(conn.execute(select(Township.township_code)
                             .where(Township.township_code.in_(townships))).scalars())
    unknown = sorted(set(townships) - known)
    if unknown:
        raise UserError("auth.user.unknown_township", codes=", ".join(unknown))


def _check_new_user(conn: Connection, name: str, role: str, townships, email: str | None):
    name = _check_name(name)
    if role not in ROLES:
        raise UserError("auth.user.bad_role", role=role, roles=", ".join(ROLES))
    codes = tuple(sorted(set(townships)))
    email = normalise_email(email)
    if email is not None and (len(email) > 320 or not _EMAIL.match(email)):
        raise UserError("auth.user.bad_email", email=email)
    if conn.execute(select(UserRecord.id).where(UserRecord.name == name)).first():
        raise UserError("auth.user.exists", name=name)
    if email and conn.execute(select(UserRecord.id).where(UserRecord.email == email)).first():
        raise UserError("auth.user.email_taken", email=email)
    _check_townships(conn, role, codes)
    return name, codes, email


def check_new_user(engine: Engine, name: str, role: str,
                   townships: tuple[str, ...] | list[str] = (), email: str | None = None) -> None:
    """Raise the UserError add_user would, but for the password: lets a form or the CLI
    refuse a bad request before asking for a password."""
    with engine.connect() as conn:
        _check_new_user(conn, name, role, townships, email)


def add_user(engine: Engine, name: str, role: str, password: str, now: dt.datetime,
             townships: tuple[str, ...] | list[str] = (), email: str | None = None,
             by: str | None = None) -> User:
    """Create a user (`by`: who did it, for the audit log). Refuses a taken name or e-mail,
    a short password, unknown township codes and townships on a county-wide role."""
    now = require_aware(now)
    check_password(password)
    with engine.begin() as conn:
        name, codes, email = _check_new_user(conn, name, role, townships, email)
        uid = conn.execute(insert(UserRecord).values(
            name=name, role=role, email=email, password_hash=hash_password(password),
            disabled=False, created_at=now).returning(UserRecord.id)).scalar_one()
        if codes:
            conn.execute(insert(UserTownship), [{"user_id": uid, "township_code": c}
                                                for c in codes])
        record(conn, "user", by, now, action="add", target=name, role=role,
               townships=list(codes), email=email)
    return User(name, role, codes, email, False)


def _change(engine: Engine, name: str, now: dt.datetime, by: str | None, action: str,
            values: dict) -> None:
    now = require_aware(now)
    with engine.begin() as conn:
        done = conn.execute(update(UserRecord).where(UserRecord.name == name.strip())
                            .values(**values)).rowcount
        if not done:
            raise UserError("auth.user.no_such_user", name=name)
        record(conn, "user", by, now, action=action, target=name.strip())


def set_password(engine: Engine, name: str, password: str, now: dt.datetime,
                 by: str | None = None) -> None:
    check_password(password)
    _change(engine, name, now, by, "passwd", {"password_hash": hash_password(password)})


def set_disabled(engine: Engine, name: str, disabled: bool, now: dt.datetime,
                 by: str | None = None) -> None:
    """Disable (refused at sign-in, no access) or enable a user again; rows are kept."""
    _change(engine, name, now, by, "disable" if disabled else "enable", {"disabled": disabled})

