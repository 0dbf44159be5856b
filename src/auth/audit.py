"""The audit log: who signed in or failed to, who imported and exported what, who changed
which user. Written in the same transaction as the change it records, where there is one."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from duzhan.store.auth_models import AuditRecord

KINDS = (
    "sign_in",         # detail: method (password | oidc)
    "sign_in_failed",  # detail: reason (bad_credentials | locked | disabled | unknown_email)
    "lockout",         # detail: until (UTC, ISO)
    "sign_out",        # detail: reason (user | idle)
    "import",          # detail: files, outcome
    "export",          # detail: what, scope, as_of
    "user",            # detail: action (add | passwd | disable | enable), target, ...
)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime  # UTC, tz-aware
    kind: str
    user_name: str | None
    detail: dict[str, Any]


def utc(at: dt.datetime) -> dt.datetime:
    """A tz-aware time in UTC; SQLite hands stored times back naive (they are UTC)."""
    if at.tzinfo is None:
        return at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC)


def require_aware(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None:
        raise ValueError("`now` must be tz-aware (a naive time has no zone to compare)")
    return now.astimezone(dt.UTC)


def record(conn: Connection, kind: str, user_name: str | None, now: dt.datetime,
           **detail: Any) -> None:
    """Append one entry; `detail` must be JSON (no password, no hash, ever)."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    conn.execute(insert(AuditRecord).values(
        at=require_aware(now), kind=kind, user_name=(user_name or None) and user_name[:200],
        detail=detail))


def _write(engine: Engine, kind: str, user_name: str | None, now: dt.datetime,
           **detail: Any) -> None:
    with engine.begin() as conn:
        record(conn, kind, user_name, now, **detail)


def record_sign_out(engine: Engine, user_name: str, now: dt.datetime,
                    reason: str = "user") -> None:
    """reason: "user" (pressed sign out) or "idle" (the idle timeout ended the session)."""
    _write(engine, "sign_out", user_name, now, reason=reason)


def record_import(engine: Engine, user_name: str | None, files: Iterable[str], outcome: str,
                  now: dt.datetime, **extra: Any) -> None:
    """files: the uploaded file names; outcome: "accepted" | "refused" (extra: e.g. import_id)."""
    _write(engine, "import", user_name, now, files=list(files), outcome=outcome, **extra)


def record_export(engine: Engine, user_name: str | None, what: str,
                  scope: Iterable[str] | None, as_of: dt.date | None, now: dt.datetime,
                  **extra: Any) -> None:
    """what: e.g. "brief.pdf", "loans.xlsx"; scope: the townships in it (None = whole county)."""
    _write(engine, "export", user_name, now, what=what,
           scope=None if scope is None else sorted(scope),
           as_of=None if as_of is None else as_of.isoformat(), **extra)


def read_audit(engine: Engine, since: dt.datetime | None = None, user_name: str | None = None,
               kind: str | None = None, limit: int | None = 1000) -> list[AuditEntry]:
    """Entries newest first, filtered by time (at >= since), acting user and kind."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    a = AuditRecord
    q = select(a.id, a.at, a.kind, a.user_name, a.detail).order_by(a.at.desc(), a.id.desc())
    if since is not None:
        q = q.where(a.at >= require_aware(since))
    if user_name is not None:
        q = q.where(a.user_name == user_name)
    if kind is not None:
        q = q.where(a.kind == kind)
    if limit is not None:
        q = q.limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [AuditEntry(i, utc(at), k, u, dict(d or {})) for i, at, k, u, d in rows]
