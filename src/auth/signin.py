"""Password and identity-provider sign-in, lockout and the idle timeout; `now` is always
passed in (tz-aware), so every rule is tested with a fake clock.

An unknown name and a wrong password give the same result, and the lockout counts failures
per typed name whether or not a user has it, so nothing tells which names exist.
"""
from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from duzhan.i18n import t
from duzhan.store.auth_models import SignInFailures, UserRecord

from .audit import record, require_aware, utc
from .passwords import hash_password, needs_rehash, verify_nothing, verify_password
from .roles import User
from .users import MAX_NAME_LENGTH, _user_where, normalise_email

MAX_FAILURES = 5
LOCK_DURATION = dt.timedelta(minutes=15)
# failures further apart than this do not add up to a lockout
FAILURE_WINDOW = LOCK_DURATION

IDLE_ENV = "DUZHAN_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 30

REASONS = ("ok", "bad_credentials", "locked", "disabled", "unknown_email")


@dataclass(frozen=True)
class SignInResult:
    reason: str  # one of REASONS
    user: User | None = None  # set only when ok
    locked_until: dt.datetime | None = None
    now: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.reason == "ok"

    def message(self, lang: str = "zh") -> str:
        if self.reason == "locked":
            left = (self.locked_until - self.now).total_seconds() / 60
            return t("auth.signin.locked", lang, failures=MAX_FAILURES,
                     minutes=max(1, math.ceil(left)))
        return t(f"auth.signin.{self.reason}", lang)


def _locked_until(conn: Connection, key: str, now: dt.datetime) -> dt.datetime | None:
    until = conn.execute(select(SignInFailures.locked_until)
                         .where(SignInFailures.name == key)).scalar_one_or_none()
    until = utc(until) if until is not None else None
    return until if until is not None and now < until else None


def _register_failure(conn: Connection, key: str,
                      now: dt.datetime) -> tuple[dt.datetime | None, bool]:
    """Count one failure for `key`: (the lock's end or None, whether this failure locked it).
    A failure that raced with the locking one finds the lock and leaves it as it is."""
    f = SignInFailures
    columns = (f.failures, f.last_failure_at, f.locked_until)
    # failures at the same moment must all count: a write first takes SQLite's write lock,
    # FOR UPDATE PostgreSQL's row lock (also on a row another failure inserted meanwhile)
    conn.execute(update(f).where(f.name == key).values(failures=f.failures))
    row = conn.execute(select(*columns).where(f.name == key).with_for_update()).first()
    if row is None:
        try:
            with conn.begin_nested():
                conn.execute(insert(f).values(name=key, failures=1, last_failure_at=now))
            return None, False
        except IntegrityError:  # another failure for this name got in first
            row = conn.execute(select(*columns).where(f.name == key).with_for_update()).one()
    failures, last, until = row
    if until is not None and now < utc(until):
        return utc(until), False
    fresh = now - utc(last) >= FAILURE_WINDOW or until is not None
    failures = 1 if fresh else failures + 1
    lock = now + LOCK_DURATION if failures >= MAX_FAILURES else None
    conn.execute(update(f).where(f.name == key).values(
        failures=failures, last_failure_at=now, locked_until=lock))
    return lock, lock is not None


def _forget_stale_failures(conn: Connection, now: dt.datetime) -> None:
    """Drop counters that can no longer lock anything (keeps the table small)."""
    f = SignInFailures
    conn.execute(delete(f).where(and_(
        f.last_failure_at <= now - FAILURE_WINDOW,
        or_(f.locked_until.is_(None), f.locked_until <= now))))


def authenticate(engine: Engine, name: str, password: str, now: dt.datetime) -> SignInResult:
    """Sign in with a name and password. Audits the success or failure (and a lockout).

    A locked name is refused, right password or not, until the lock ends; the 5th failure
    within 15 minutes locks the name for 15 minutes; a disabled user is refused after a
    right password (a wrong one reads as any wrong password)."""
    now = require_aware(now)
    typed = name.strip()
    key = typed[:MAX_NAME_LENGTH]  # the failure counter's key; a longer name matches no user
    with engine.connect() as conn:
        until = _locked_until(conn, key, now)
        row = conn.execute(select(UserRecord.id, UserRecord.password_hash, UserRecord.disabled)
                           .where(UserRecord.name == typed)).first()
    if until is not None:
        with engine.begin() as conn:
            record(conn, "sign_in_failed", key, now, reason="locked")
        return SignInResult("locked", locked_until=until, now=now)
    if row is None:
        verify_nothing(password)
        right = False
    else:
        right = verify_password(row.password_hash, password)
    with engine.begin() as conn:
        if not right:
            lock, locked_now = _register_failure(conn, key, now)
            record(conn, "sign_in_failed", key, now, reason="bad_credentials")
            if locked_now:
                record(conn, "lockout", key, now, until=lock.isoformat(),
                       failures=MAX_FAILURES)
            if lock is not None:
                return SignInResult("locked", locked_until=lock, now=now)
            return SignInResult("bad_credentials", now=now)
        # a right password: a lock that began meanwhile still holds
        until = _locked_until(conn, key, now)
        if until is not None:
            record(conn, "sign_in_failed", key, now, reason="locked")
            return SignInResult("locked", locked_until=until, now=now)
        if row.disabled:
            record(conn, "sign_in_failed", key, now, reason="disabled")
            return SignInResult("disabled", now=now)
        conn.execute(delete(SignInFailures).where(SignInFailures.name == key))
        _forget_stale_failures(conn, now)
        if needs_rehash(row.password_hash):
            conn.execute(update(UserRecord).where(UserRecord.id == row.id)
                         .values(password_hash=hash_password(password)))
        record(conn, "sign_in", key, now, method="password")
        user = _user_where(conn, UserRecord.id == row.id)
    return SignInResult("ok", user=user, now=now)


def authenticate_email(engine: Engine, email: str, now: dt.datetime) -> SignInResult:
    """Sign in a person the identity provider (st.login, OIDC) has already authenticated:
    its e-mail claim must belong to an enabled user. Audited like a password sign-in."""
    now = require_aware(now)
    email = normalise_email(email) or ""
    with engine.begin() as conn:
        user = _user_where(conn, UserRecord.email == email) if email else None
        if user is None:
            record(conn, "sign_in_failed", None, now, reason="unknown_email", email=email)
            return SignInResult("unknown_email", now=now)
        if user.disabled:
            record(conn, "sign_in_failed", user.name, now, reason="disabled", method="oidc")
            return SignInResult("disabled", now=now)
        record(conn, "sign_in", user.name, now, method="oidc")
    return SignInResult("ok", user=user, now=now)


def idle_timeout(environ: os._Environ[str] | dict[str, str] | None = None) -> dt.timedelta:
    """DUZHAN_IDLE_MINUTES (a positive whole number), default 30 minutes."""
    environ = os.environ if environ is None else environ
    raw = environ.get(IDLE_ENV, "").strip()
    if not raw:
        return dt.timedelta(minutes=DEFAULT_IDLE_MINUTES)
    try:
        minutes = int(raw)
    except ValueError:
        minutes = 0
    if minutes <= 0:
        raise ValueError(f"{IDLE_ENV} must be a positive whole number of minutes, not {raw!r}")
    return dt.timedelta(minutes=minutes)


def idle_expired(last_activity: dt.datetime, now: dt.datetime,
                 timeout: dt.timedelta | None = None) -> bool:
    """True once `timeout` (default: idle_timeout()) has passed since the last activity:
    at 29:59 of a 30-minute timeout the session lives, at 30:00 it has ended."""
    timeout = idle_timeout() if timeout is None else timeout
    return require_aware(now) - require_aware(last_activity) >= timeout
