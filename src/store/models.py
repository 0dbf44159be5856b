"""SQLAlchemy models: one table per ledger (shared/contract/ledgers.md) plus the import log.

Money is stored as whole fen in BIGINT columns named `<key>_fen`: exact on SQLite and
PostgreSQL alike, and summable in SQL without float drift.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from duzhan.contract import LEDGER_ORDER

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CODE = String(64)
NAME = String(200)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Township(Base):
    __tablename__ = "townships"
    township_code: Mapped[str] = mapped_column(CODE, primary_key=True)
    township_name: Mapped[str] = mapped_column(NAME, unique=True)
    area_group: Mapped[str | None] = mapped_column(NAME)
    households: Mapped[int | None] = mapped_column(Integer)
    county_code: Mapped[str | None] = mapped_column(CODE, index=True)
    county_name: Mapped[str | None] = mapped_column(NAME)


class Village(Base):
    __tablename__ = "villages"
    village_code: Mapped[str] = mapped_column(CODE, primary_key=True)
    village_name: Mapped[str] = mapped_column(NAME)
    township_code: Mapped[str] = mapped_column(ForeignKey("townships.township_code"), index=True)
    listed: Mapped[bool] = mapped_column(Boolean, default=False)
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)


class Phase(Base):
    __tablename__ = "phases"
    phase_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    phase_name: Mapped[str] = mapped_column(NAME)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)


class Task(Base):
    __tablename__ = "tasks"
    task_id: Mapped[str] = mapped_column(CODE, primary_key=True)
    phase_no: Mapped[int] = mapped_column(ForeignKey("phases.phase_no"), index=True)
    township_code: Mapped[str | None] = mapped_column(
        ForeignKey("townships.township_code"), index=True
    )
    county_code: Mapped[str | None] = mapped_column(CODE, index=True)
    task_name: Mapped[str] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(NAME)
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    done_date: Mapped[dt.date | None] = mapped_column(Date, index=True)


class Issue(Base):
    __tablename__ = "issues"
    issue_id: Mapped[str] = mapped_column(CODE, primary_key=True)
    township_code: Mapped[str] = mapped_column(ForeignKey("townships.township_code"), index=True)
    village_code: Mapped[str | None] = mapped_column(ForeignKey("villages.village_code"))
    source: Mapped[str] = mapped_column(NAME)
    category: Mapped[str] = mapped_column(NAME)
    department: Mapped[str] = mapped_column(NAME)
    found_date: Mapped[dt.date] = mapped_column(Date, index=True)
    deadline: Mapped[dt.date] = mapped_column(Date, index=True)
    closed_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    description: Mapped[str | None] = mapped_column(Text)


class Project(Base):
    __tablename__ = "projects"
    project_id: Mapped[str] = mapped_column(CODE, primary_key=True)
    project_name: Mapped[str] = mapped_column(Text)
    township_code: Mapped[str] = mapped_column(ForeignKey("townships.township_code"), index=True)
    funding_source: Mapped[str] = mapped_column(NAME)
    category: Mapped[str] = mapped_column(NAME)
    allocated_amount_fen: Mapped[int] = mapped_column(BigInteger)
    allocated_date: Mapped[dt.date] = mapped_column(Date, index=True)


class Disbursement(Base):
    __tablename__ = "disbursements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.project_id"), index=True)
    paid_date: Mapped[dt.date] = mapped_column(Date, index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class Loan(Base):
    __tablename__ = "loans"
    loan_id: Mapped[str] = mapped_column(CODE, primary_key=True)
    household_id: Mapped[str] = mapped_column(CODE)
    township_code: Mapped[str] = mapped_column(ForeignKey("townships.township_code"), index=True)
    village_code: Mapped[str | None] = mapped_column(ForeignKey("villages.village_code"))
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    issued_date: Mapped[dt.date] = mapped_column(Date, index=True)
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    extended_due_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    bank: Mapped[str | None] = mapped_column(NAME)


class Repayment(Base):
    __tablename__ = "repayments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    loan_id: Mapped[str] = mapped_column(ForeignKey("loans.loan_id"), index=True)
    paid_date: Mapped[dt.date] = mapped_column(Date, index=True)
    principal_amount_fen: Mapped[int] = mapped_column(BigInteger)


class Site(Base):
    __tablename__ = "sites"
    site_code: Mapped[str] = mapped_column(CODE, primary_key=True)
    site_name: Mapped[str] = mapped_column(NAME)
    township_code: Mapped[str] = mapped_column(ForeignKey("townships.township_code"), index=True)
    planned_households: Mapped[int] = mapped_column(Integer)
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)


class SiteCheck(Base):
    __tablename__ = "site_checks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_code: Mapped[str] = mapped_column(ForeignKey("sites.site_code"), index=True)
    check_date: Mapped[dt.date] = mapped_column(Date, index=True)
    moved_in: Mapped[int] = mapped_column(Integer)
    employed: Mapped[int] = mapped_column(Integer)


class Supervision(Base):
    __tablename__ = "supervisions"
    supervision_id: Mapped[str] = mapped_column(CODE, primary_key=True)
    township_code: Mapped[str] = mapped_column(ForeignKey("townships.township_code"), index=True)
    # a listed village's or a site's code (no foreign key: it names either table)
    target_code: Mapped[str | None] = mapped_column(CODE, index=True)
    visit_date: Mapped[dt.date] = mapped_column(Date, index=True)
    leader: Mapped[str | None] = mapped_column(NAME)
    rating: Mapped[str] = mapped_column(String(16))
    yellow_card: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)


class Report(Base):
    __tablename__ = "reports"
    township_code: Mapped[str] = mapped_column(ForeignKey("townships.township_code"),
                                               primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # the month's first day
    submitted_date: Mapped[dt.date] = mapped_column(Date, index=True)


class Monitored(Base):
    __tablename__ = "monitored"
    household_id: Mapped[str] = mapped_column(CODE, primary_key=True)
    township_code: Mapped[str] = mapped_column(ForeignKey("townships.township_code"), index=True)
    village_code: Mapped[str | None] = mapped_column(ForeignKey("villages.village_code"))
    category: Mapped[str] = mapped_column(NAME)
    risk: Mapped[str] = mapped_column(NAME)
    identified_date: Mapped[dt.date] = mapped_column(Date, index=True)
    assisted_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    cleared_date: Mapped[dt.date | None] = mapped_column(Date, index=True)


class Guarantee(Base):
    __tablename__ = "guarantees"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    household_id: Mapped[str] = mapped_column(CODE, index=True)
    township_code: Mapped[str] = mapped_column(ForeignKey("townships.township_code"), index=True)
    village_code: Mapped[str | None] = mapped_column(ForeignKey("villages.village_code"))
    check_date: Mapped[dt.date] = mapped_column(Date, index=True)
    food_clothing_ok: Mapped[bool] = mapped_column(Boolean)
    education_ok: Mapped[bool] = mapped_column(Boolean)
    medical_ok: Mapped[bool] = mapped_column(Boolean)
    housing_ok: Mapped[bool] = mapped_column(Boolean)
    water_ok: Mapped[bool] = mapped_column(Boolean)


class ImportRecord(Base):
    """One import attempt: accepted ones changed the ledgers, refused ones changed nothing."""

    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    user: Mapped[str] = mapped_column(NAME)
    files: Mapped[list] = mapped_column(JSON)  # [{"name": ..., "sha256": ...}]
    rows: Mapped[dict] = mapped_column(JSON)  # {ledger: rows in the files}
    changes: Mapped[dict] = mapped_column(JSON)  # {ledger: {"new": n, "changed": n, "unchanged": n}}
    outcome: Mapped[str] = mapped_column(String(16))  # "accepted" | "refused"
    problems: Mapped[int] = mapped_column(Integer, default=0)


class ImportLock(Base):
    """A single row every import updates first: serialises imports on SQLite and PostgreSQL."""

    __tablename__ = "import_lock"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    imports: Mapped[int] = mapped_column(Integer, default=0)


# The model of each contract ledger is the mapped class of the table named like it.
_BY_TABLE = {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}
LEDGER_MODELS: dict[str, type[Base]] = {k: _BY_TABLE[k] for k in LEDGER_ORDER if k in _BY_TABLE}

# The materialised figures (store.figures, Core so commands need no ORM) belong to the schema.
from .figures import FIGURES as _FIGURES  # noqa: E402

_FIGURES.to_metadata(Base.metadata)

# Sign-in and audit tables share Base.metadata (imported last: they need Base).
from . import auth_models as _auth_models  # noqa: E402,F401
