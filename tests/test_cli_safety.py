"""`duzhan import` asks --yes for far-reaching changes; `duzhan demo --remove` empties a demo
store (issue 14, items 1 and 6)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from duzhan.auth import read_audit
from duzhan.cli import main
from duzhan.store.db import make_engine
from duzhan.store.models import Phase
from duzhan.store.read import DEMO_USER, data_status, import_history, ledger_counts

TOWNSHIPS = "乡镇代码,乡镇名称,片区,建档立卡户数\n001,甲镇,东片,100\n002,乙乡,西片,80\n"
PHASES = ("phase_no,phase_name,start_date,end_date\n1,排查,2024-03-01,2024-04-30\n"
          "2,整改,2024-05-01,2024-06-30\n")
PHASES_MOVED = ("phase_no,phase_name,start_date,end_date\n1,排查,2024-03-01,2024-04-20\n"
                "2,整改,2024-05-01,2024-06-30\n")


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def phases(url):
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(Phase.phase_no, Phase.start_date, Phase.end_date)
                                .order_by(Phase.phase_no)).all()
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite",
                                     pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_moved_phase_needs_yes(capsys, tmp_path, engine_url, backend):
    url = engine_url(backend)
    (tmp_path / "乡镇.csv").write_text(TOWNSHIPS, encoding="utf-8")
    (tmp_path / "phases.csv").write_text(PHASES, encoding="utf-8")
    code, _, err = run(capsys, "import", str(tmp_path / "乡镇.csv"), str(tmp_path / "phases.csv"),
                       "--db", url)
    assert code == 0, err  # a first import into an empty store has no consequence
    before = phases(url)
    moved = tmp_path / "moved" / "phases.csv"
    moved.parent.mkdir()
    moved.write_text(PHASES_MOVED, encoding="utf-8")
    code, out, err = run(capsys, "import", str(moved), "--db", url)
    assert code == 1
    assert "阶段 1 的起止日期将改变：2024-03-01 至 2024-04-30 → 2024-03-01 至 2024-04-20" in err
    assert "--yes" in err
    assert phases(url) == before
    code, out, err = run(capsys, "import", str(moved), "--db", url, "--yes", "--lang", "en")
    assert code == 0, err
    assert "phases 1 changes its dates" in out
    assert [str(p.end_date) for p in phases(url)] == ["2024-04-20", "2024-06-30"]


def test_demo_remove_asks_then_empties_the_store_and_the_stamp_goes(capsys, tmp_path):
    url = f"sqlite:///{tmp_path}/demo.db"
    assert run(capsys, "init", "--demo", "--db", url)[0] == 0
    engine = make_engine(url)
    stored = ledger_counts(engine)
    assert all(stored.values()) and data_status(engine).is_demo

    code, _, err = run(capsys, "demo", "--remove", "--db", url)
    assert code == 1 and f"{sum(stored.values())} 行" in err and "--yes" in err
    assert ledger_counts(engine) == stored  # nothing without --yes

    code, out, err = run(capsys, "demo", "--remove", "--yes", "--db", url, "--user", "县局 李四")
    assert code == 0, err
    assert f"{sum(stored.values())} 行" in out
    assert set(ledger_counts(engine).values()) == {0}
    status = data_status(engine)
    assert not status.is_demo and status.last_import_at is None
    last = import_history(engine, 1)[0]
    assert (last.outcome, last.user) == ("cleared", "县局 李四")
    assert {k: c["removed"] for k, c in last.changes.items()} == stored
    audit = read_audit(engine, limit=None)  # newest first; the demo's own import is kept
    assert [(a.kind, a.user_name, a.detail["outcome"]) for a in audit] == [
        ("import", "县局 李四", "cleared"), ("import", DEMO_USER, "accepted")]

    # `make run` (init --demo) must not load the demo county again into the emptied store
    code, out, _ = run(capsys, "init", "--demo", "--db", url)
    assert code == 0 and "不再自动加载" in out
    assert set(ledger_counts(engine).values()) == {0}
    # and a second removal is refused: there is no demo any more
    assert run(capsys, "demo", "--remove", "--yes", "--db", url)[0] == 2
    engine.dispose()
