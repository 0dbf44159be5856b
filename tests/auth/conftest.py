"""A store with three townships, a fixed clock and cheap argon2 parameters.

The hashing cost is a deployment knob, not behaviour: tests use a fast argon2id so the
lockout sequences run in seconds; test_passwords.py checks the real defaults once.
"""
from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from sqlalchemy import insert

from duzhan.auth import passwords
from duzhan.store.models import Township

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in the county
TOWNSHIPS = {"101": "甲镇", "102": "乙乡", "103": "丙乡"}
PASSWORD = "correct horse 1"


@pytest.fixture
def real_argon2():
    """Asked for by a test that needs argon2-cffi's default parameters."""


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch, request):
    if "real_argon2" in request.fixturenames:
        yield
        return
    monkeypatch.setattr(passwords, "_HASHER",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    passwords._dummy_hash.cache_clear()
    yield
    passwords._dummy_hash.cache_clear()


@pytest.fixture
def store(engine):
    """The migrated store (SQLite and PostgreSQL) with townships 101–103."""
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"township_code": c, "township_name": n}
                                        for c, n in TOWNSHIPS.items()])
    return engine
