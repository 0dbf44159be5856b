"""The write plan for a ledger upserted by a pair of columns (the contract's reports are
upserted by (township_code, month)): the stored rows of the file's keys are read by the pair."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from sqlalchemy import Column as SqlColumn
from sqlalchemy import Date, MetaData, String, Table, create_engine, insert

from duzhan.contract import LEDGERS, Column, Ledger
from duzhan.ledgers.parse import ParsedTable, Row
from duzhan.ledgers.plan import Stored, write_plan
from duzhan.ledgers.sources import RawTable
from duzhan.store.models import LEDGER_MODELS

MONTHLY = Ledger(
    "monthly", "月报", "Monthly",
    (Column("township_code", "乡镇代码", "text", True, en="Township code"),
     Column("month", "月份", "text", True, en="Month"),
     Column("submitted_date", "报送日期", "date", True, en="Submitted", event=True)),
    upsert=("township_code", "month"),
)


def monthly_table(monkeypatch, tmp_path):
    table = Table("monthly", MetaData(), SqlColumn("township_code", String, primary_key=True),
                  SqlColumn("month", String, primary_key=True),
                  SqlColumn("submitted_date", Date))
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    table.metadata.create_all(engine)
    monkeypatch.setitem(LEDGERS, "monthly", MONTHLY)
    monkeypatch.setitem(LEDGER_MODELS, "monthly", SimpleNamespace(__table__=table))
    return table, engine


def test_a_pair_key_upserts_row_by_row(monkeypatch, tmp_path):
    table, engine = monthly_table(monkeypatch, tmp_path)
    d1, d2 = dt.date(2026, 5, 27), dt.date(2026, 5, 28)
    stored_rows = [{"township_code": "101", "month": "2026-05", "submitted_date": d1},
                   {"township_code": "102", "month": "2026-05", "submitted_date": d1},
                   {"township_code": "102", "month": "2026-06", "submitted_date": d1}]
    given = [("101", "2026-05", d1), ("102", "2026-05", d2), ("101", "2026-06", d2)]
    raw = RawTable("monthly", "m.csv", None, {k: k for k in MONTHLY.keys}, [])
    rows = [Row("monthly", "m.csv", i + 2, {}, dict(zip(MONTHLY.keys, v, strict=False)))
            for i, v in enumerate(given)]
    with engine.begin() as conn:
        conn.execute(insert(table), stored_rows)
        stored = Stored(conn)
        plan = write_plan({"monthly": ParsedTable(MONTHLY, raw, rows)}, stored)
        # (101, 2026-06) is new although both its parts are stored, in other pairs
        assert set(stored.rows("monthly", [("101", "2026-06"), ("102", "2026-06")])) == {
            ("102", "2026-06")}
    assert plan.changes["monthly"] == {"new": 1, "changed": 1, "unchanged": 1, "removed": 0}
    assert plan.inserts["monthly"] == [{"township_code": "101", "month": "2026-06",
                                        "submitted_date": d2}]
    assert plan.updates["monthly"] == [{"township_code": "102", "month": "2026-05",
                                        "submitted_date": d2}]


def test_the_importer_writes_a_pair_key_plan(monkeypatch, tmp_path):
    from sqlalchemy import select

    from duzhan.ledgers import importer
    from duzhan.ledgers.plan import WritePlan

    table, engine = monthly_table(monkeypatch, tmp_path)
    monkeypatch.setattr(importer, "LEDGER_ORDER", ("monthly",))
    d1, d2 = dt.date(2026, 5, 27), dt.date(2026, 5, 28)
    first = [{"township_code": t, "month": m, "submitted_date": d1}
             for t, m in (("101", "2026-05"), ("101", "2026-06"), ("102", "2026-05"))]
    with engine.begin() as conn:
        importer._write(conn, WritePlan(inserts={"monthly": first}))
        importer._write(conn, WritePlan(updates={"monthly": [
            {"township_code": "101", "month": "2026-06", "submitted_date": d2}]}))
    with engine.connect() as conn:
        got = conn.execute(select(table).order_by(table.c.township_code, table.c.month)).all()
    assert got == [("101", "2026-05", d1), ("101", "2026-06", d2), ("102", "2026-05", d1)]
