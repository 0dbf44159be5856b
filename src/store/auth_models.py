"""Tables for sign-in and the audit log (migration 0002). The rules live in duzhan.auth.

They share `Base.metadata` with the ledgers so one Alembic history and one model-vs-migration
check cover every table.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .models import CODE, NAME, Base


class UserRecord(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    role: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)  # lower-cased
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class UserTownship(Base):
    """The townships a township user may see. No foreign key to `townships`: a user's
    grant must not stop an import that renames or drops a township."""

    __tablename__ = "user_townships"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    township_code: Mapped[str] = mapped_column(CODE, primary_key=True)


class SignInFailures(Base):
    """Recent failed sign-ins per typed name, known user or not, so a lockout looks the
    same for both and tells an attacker nothing about which names exist."""

    __tablename__ = "sign_in_failures"
    name: Mapped[str] = mapped_column(NAME, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuditRecord(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    user_name: Mapped[str | None] = mapped_column(NAME, index=True)  # who acted (None: sign-in off)
    detail: Mapped[dict] = mapped_column(JSON)
