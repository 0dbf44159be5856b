"""Five first imports at once into a store without a schema (issue 14, item 5): the schema
upgrade is serialised (file lock on SQLite, advisory lock on PostgreSQL), so every process
finds the schema made by whichever came first, and every import is accepted."""
from __future__ import annotations

import multiprocessing as mp

import pytest
from sqlalchemy import func, inspect, select

from duzhan.store.db import make_engine
from duzhan.store.models import ImportRecord, Township

TOWNSHIPS = "乡镇代码,乡镇名称,片区,建档立卡户数\n001,甲镇,东片,100\n002,乙乡,西片,80\n"
PROCESSES = 5


def _first_import(url: str, path: str, barrier, results) -> None:
    from duzhan.cli import main

    barrier.wait()  # all five start the upgrade together
    try:
        results.put(main(["import", path, "--db", url, "--user", "p"]))
    except BaseException as exc:  # noqa: BLE001 - the test reports what the child raised
        results.put(repr(exc))


@pytest.mark.parametrize("backend", ["sqlite",
                                     pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_concurrent_first_imports_all_succeed(backend, engine_url, tmp_path):
    url = engine_url(backend)
    path = tmp_path / "乡镇.csv"
    path.write_text(TOWNSHIPS, encoding="utf-8")
    ctx = mp.get_context("spawn")  # a clean interpreter each, as five terminals would be
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [ctx.Process(target=_first_import, args=(url, str(path), barrier, results))
             for _ in range(PROCESSES)]
    for p in procs:
        p.start()
    codes = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert codes == [0] * PROCESSES
    engine = make_engine(url)
    try:
        assert "alembic_version" in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(Township)).scalar_one() == 2
            outcomes = conn.execute(select(ImportRecord.outcome)).scalars().all()
        assert outcomes == ["accepted"] * PROCESSES
    finally:
        engine.dispose()
