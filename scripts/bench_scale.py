"""Province scale: N demo counties in one store, on SQLite and PostgreSQL, against DuckDB.

    .venv/bin/python scripts/bench_scale.py [--counties 1 10 100] [--backend sqlite postgresql]
        [--no-pages] [--out scripts/results/bench_scale-$(hostname).txt]
    pg_virtualenv -t .venv/bin/python scripts/bench_scale.py --backend postgresql ...

For each backend and N it prints, each measured in a fresh process (CPU = user + system
seconds of that process, wall, peak RSS):
- the import: `duzhan demo --counties N` (generation + one import transaction per county);
- `duzhan metrics` as a command for one township (within its county, and bare: a bare
  `--township` also prints the whole store's `county` block), one county (`--county`,
  when the command has it) and the whole store;
- in-process: load the ledgers and build the report from frames (CPU of those two steps
  alone), the SQL roll-up from the tables (every block; the four DuckDB computes), and what
  `duzhan metrics` reads: the whole store's kept report, and a report summed from kept parts;
- every page's first load and warm rerun (AppTest, median of 3);
- DuckDB: the core of the same roll-up (issues, funds, loans, tasks per township and for
  the whole store) as plain SQL over the same ledgers exported to Parquet, as a process and
  in-process, and the ratio duzhan / DuckDB.
Figures are printed (and written to --out), never asserted: the machine is shared.
PostgreSQL needs the PG* variables (pg_virtualenv sets them); each N gets its own database.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
TODAY = "2026-11-18"
AS_OF = TODAY
# the ledgers' tables as the store holds them, for DuckDB
TABLES = ("townships", "issues", "projects", "disbursements", "loans", "repayments", "tasks")


# --- measuring a process -------------------------------------------------------------------

def measured(argv: list[str], env: dict | None = None) -> dict:
    """Run a process: its wall and CPU seconds and peak RSS (MB) from wait4, and its
    stdout; raises on failure (output goes through files: no pipe to block on)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=ROOT,
                                env={**os.environ, **(env or {})})
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errs = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:5])}… exit {proc.returncode}\n{errs[-3000:]}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024,
            "out": text}


# --- the parts run in their own process ----------------------------------------------------

def part_inproc(url: str) -> None:
    """In this process, CPU and wall of each step alone, as JSON: the frames' path (load +
    report) and the SQL roll-up, whole and of the blocks DuckDB's query also computes."""
    import datetime as dt

    from duzhan.metrics import rollup
    from duzhan.metrics.report import metrics_report
    from duzhan.store import figures
    from duzhan.store.db import make_engine
    from duzhan.store.read import DataScope, read_ledgers

    engine = make_engine(url)
    D = dt.date.fromisoformat(AS_OF)
    rollup.rollup_report(engine, D)  # statements compiled once, as a running server has them
    c0, w0 = time.process_time(), time.perf_counter()
    led = read_ledgers(engine, DataScope()).ledgers
    c1, w1 = time.process_time(), time.perf_counter()
    metrics_report(led, D, None)
    c2, w2 = time.process_time(), time.perf_counter()
    rollup.rollup_report(engine, D)
    c3, w3 = time.process_time(), time.perf_counter()
    with engine.connect() as conn:  # the parts (queries) of the blocks DuckDB computes
        for b in rollup.BLOCKS:
            if b.NAME in ("issues", "funds", "loans", "phases"):
                b.parts(conn, D, b.context(conn, D), None, None)
    c4, w4 = time.process_time(), time.perf_counter()
    figures.report(engine, D)  # made and kept here unless the import's refresh kept it
    c5, w5 = time.process_time(), time.perf_counter()
    figures.report(engine, D)
    c6, w6 = time.process_time(), time.perf_counter()
    with engine.connect() as conn:
        parts = figures.kept_parts(conn, D)
    rollup.rollup_report(engine, D, stored=parts)
    c7, w7 = time.process_time(), time.perf_counter()
    print(json.dumps({"load_cpu": c1 - c0, "load_wall": w1 - w0,
                      "kept_cpu": c6 - c5, "kept_wall": w6 - w5,
                      "parts_cpu": c7 - c6, "parts_wall": w7 - w6,
                      "report_cpu": c2 - c1, "report_wall": w2 - w1,
                      "rollup_cpu": c3 - c2, "rollup_wall": w3 - w2,
                      "rollup_core_cpu": c4 - c3, "rollup_core_wall": w4 - w3}))


def part_export(url: str, out_dir: str) -> None:
    """The store's ledger tables as Parquet files, for DuckDB (not timed)."""
    import duckdb
    import pandas as pd

    from duzhan.store.db import make_engine

    engine = make_engine(url)
    con = duckdb.connect()
    with engine.connect() as conn:
        for name in TABLES:
            df = pd.read_sql_table(name, conn)
            con.register("df", df)
            con.execute(f"COPY df TO '{out_dir}/{name}.parquet' (FORMAT parquet)")
            con.unregister("df")


ROLLUP_SQL = """
WITH d AS (SELECT DATE '{as_of}' AS d),
iss AS (
  SELECT township_code,
    count(*) FILTER (WHERE found_date <= d) AS found,
    count(*) FILTER (WHERE closed_date <= d) AS closed,
    count(*) FILTER (WHERE found_date <= d AND (closed_date IS NULL OR closed_date > d)
                     AND deadline < d) AS overdue_open,
    count(*) FILTER (WHERE closed_date BETWEEN d - 27 AND d) AS closed_last_28d
  FROM issues, d GROUP BY GROUPING SETS ((township_code), ())),
alloc AS (
  SELECT township_code, sum(allocated_amount_fen) FILTER (WHERE allocated_date <= d) AS allocated
  FROM projects, d GROUP BY GROUPING SETS ((township_code), ())),
paid AS (
  SELECT p.township_code, sum(x.amount_fen) FILTER (WHERE x.paid_date <= d
                                                    AND p.allocated_date <= d) AS disbursed
  FROM disbursements x JOIN projects p USING (project_id), d
  GROUP BY GROUPING SETS ((p.township_code), ())),
repaid AS (
  SELECT loan_id, sum(principal_amount_fen) AS repaid
  FROM repayments, d WHERE paid_date <= d GROUP BY loan_id),
bal AS (
  SELECT l.township_code, l.principal_fen - coalesce(r.repaid, 0) AS balance,
         coalesce(l.extended_due_date, l.due_date) < d AS past_due
  FROM loans l LEFT JOIN repaid r USING (loan_id), d WHERE l.issued_date <= d),
lo AS (
  SELECT township_code, sum(balance) AS balance,
         sum(balance) FILTER (WHERE past_due AND balance > 0) AS overdue
  FROM bal GROUP BY GROUPING SETS ((township_code), ())),
tk AS (
  SELECT township_code, phase_no, count(*) AS tasks_total,
    count(*) FILTER (WHERE done_date <= d) AS tasks_done,
    count(*) FILTER (WHERE due_date < d AND (done_date IS NULL OR done_date > d)) AS overdue
  FROM tasks, d GROUP BY GROUPING SETS ((township_code, phase_no), (phase_no)))
SELECT (SELECT count(*) FROM iss) + (SELECT count(*) FROM alloc) + (SELECT count(*) FROM paid)
     + (SELECT count(*) FROM lo) + (SELECT count(*) FROM tk) AS groups,
       (SELECT found FROM iss WHERE township_code IS NULL) AS found,
       (SELECT overdue / balance FROM lo WHERE township_code IS NULL) AS overdue_rate
"""


def _duck(parquet_dir: str):
    import duckdb

    con = duckdb.connect()
    for name in TABLES:
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet("
                    f"'{parquet_dir}/{name}.parquet')")
    return con


def part_duck(parquet_dir: str) -> None:
    """The roll-up as a DuckDB process: what it prints, and the query's own seconds."""
    con = _duck(parquet_dir)
    c0, w0 = time.process_time(), time.perf_counter()
    row = con.execute(ROLLUP_SQL.format(as_of=AS_OF)).fetchone()
    print(json.dumps({"query_cpu": time.process_time() - c0,
                      "query_wall": time.perf_counter() - w0, "result": list(row)}))


def part_pages(url: str, geo: str, runs: int = 3) -> None:
    """Every page's first load and median warm rerun (AppTest), as JSON."""
    os.environ["DUZHAN_DATABASE_URL"] = url
    os.environ["DUZHAN_GEO"] = geo
    from bench_pages import page_timings  # this script's folder is on sys.path

    print(json.dumps(page_timings(int(runs), timeout=600)))


# --- the benchmark -------------------------------------------------------------------------

def _pg_url(name: str) -> str:
    user = os.environ.get("PGUSER", "postgres")
    password = os.environ.get("PGPASSWORD", "")
    host = os.environ.get("PGHOST", "localhost")
    port = os.environ.get("PGPORT", "5432")
    base = f"postgresql+psycopg://{user}:{password}@{host}:{port}"
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{base}/{os.environ.get('PGDATABASE', 'postgres')}",
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{base}/{name}"


def _first_codes(url: str) -> tuple[str, str]:
    from sqlalchemy import text

    from duzhan.store.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        town, county = conn.execute(text(
            "SELECT township_code, county_code FROM townships ORDER BY township_code LIMIT 1")
        ).one()
    engine.dispose()
    return town, county


def _has_county_flag() -> bool:
    return "--county" in subprocess.run([PY, "-m", "duzhan.cli", "metrics", "--help"],
                                        capture_output=True, text=True, cwd=ROOT).stdout


def bench(backend: str, n: int, pages: bool, say, store: str | None = None,
          geo: str | None = None) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"bench-scale-{backend}-{n}-"))
    env = {"DUZHAN_TODAY": TODAY}
    duzhan = [PY, "-m", "duzhan.cli"]
    say(f"\n## {backend}, {n} count{'y' if n == 1 else 'ies'}")
    if store:  # a store made before by `duzhan demo --counties N`: no import measured
        url = store
        say(f"store reused: {store} (its import is not measured here)")
    else:
        url = (f"sqlite:///{work / 'store.db'}" if backend == "sqlite"
               else _pg_url(f"bench_scale_{n}"))
        r = measured(duzhan + ["demo", "--counties", str(n), "--db", url, "--out", str(work)],
                     env)
        rows = r["out"].strip().splitlines()[-1]
        say(f"import (generate + import, one transaction per county): {r['wall']:.1f} s wall, "
            f"{r['cpu']:.1f} s CPU, peak {r['rss_mb']:.0f} MB — {rows[:160]}")
    town, county = _first_codes(url)
    # a bare --township also prints the whole store's `county` block (metrics.md), so it
    # reads every row; within its county it reads that county's rows alone
    if _has_county_flag():
        scopes = [("one township (--county C --township T)",
                   ["--county", county, "--township", town]),
                  ("one township (bare --township T)", ["--township", town]),
                  ("one county", ["--county", county])]
    else:
        scopes = [("one township", ["--township", town])]
        say("one county: `duzhan metrics --county` not in this build")
    scopes.append(("whole store", []))
    command_cpu = {}
    for label, extra in scopes:
        runs = [measured(duzhan + ["metrics", "--db", url, "--as-of", AS_OF, *extra], env)
                for _ in range(2)]
        best = min(runs, key=lambda x: x["cpu"])
        command_cpu[label] = best["cpu"]
        say(f"duzhan metrics, {label}: {best['cpu']:.2f} s CPU, {best['wall']:.2f} s wall, "
            f"peak {best['rss_mb']:.0f} MB (best of 2)")
    ip = json.loads(measured([PY, __file__, "_inproc", url], env)["out"])
    inproc = ip["load_cpu"] + ip["report_cpu"]
    say(f"in-process, frames: load {ip['load_cpu']:.2f} s CPU ({ip['load_wall']:.2f} wall), "
        f"report {ip['report_cpu']:.2f} s CPU ({ip['report_wall']:.2f} wall)")
    say(f"in-process, SQL roll-up from the tables (a day not kept): every block "
        f"{ip['rollup_cpu']:.2f} s CPU ({ip['rollup_wall']:.2f} wall); the parts of issues, funds, loans, "
        f"phases alone {ip['rollup_core_cpu']:.2f} s CPU ({ip['rollup_core_wall']:.2f} wall)")
    say(f"in-process, kept figures (what `duzhan metrics` and the province overview read): "
        f"the whole store's kept report {ip['kept_cpu'] * 1000:.0f} ms CPU "
        f"({ip['kept_wall'] * 1000:.0f} ms wall); summed from the kept parts "
        f"{ip['parts_cpu']:.2f} s CPU ({ip['parts_wall']:.2f} wall)")
    parquet = work / "parquet"
    parquet.mkdir()
    measured([PY, __file__, "_export", url, str(parquet)], env)
    duck = [measured([PY, __file__, "_duck", str(parquet)], env) for _ in range(2)]
    best = min(duck, key=lambda x: x["cpu"])
    dq = json.loads(best["out"])
    say(f"DuckDB roll-up (issues, funds, loans, tasks by township and whole) over Parquet: "
        f"process {best['cpu']:.2f} s CPU ({best['wall']:.2f} wall, peak "
        f"{best['rss_mb']:.0f} MB), query {dq['query_cpu'] * 1000:.0f} ms CPU")
    say(f"ratio duzhan / DuckDB: command (whole store) {command_cpu['whole store'] / best['cpu']:.1f}×, "
        f"in-process: frames {inproc / max(dq['query_cpu'], 1e-3):.1f}×, SQL roll-up of the "
        f"same blocks {ip['rollup_core_cpu'] / max(dq['query_cpu'], 1e-3):.1f}×, kept report "
        f"{ip['kept_cpu'] / max(dq['query_cpu'], 1e-3):.1f}×, from kept parts "
        f"{ip['parts_cpu'] / max(dq['query_cpu'], 1e-3):.1f}×")
    if pages:
        geo = geo or str(work / "townships.geojson")
        pg = measured([PY, __file__, "_pages", url, geo], env)
        for slug, v in json.loads(pg["out"]).items():
            if "error" in v:
                say(f"page {slug}: error {v['error']}")
            else:
                say(f"page {slug}: first {v['first']:.2f} s ({v['cpu_first']:.2f} s CPU, of it "
                    f"the page's own run {v['cpu_own']:.2f}), warm {v['warm']:.2f} s "
                    f"({v['cpu_warm']:.2f} s CPU)")
        say(f"pages process: peak {pg['rss_mb']:.0f} MB")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        part, *rest = sys.argv[1:]
        {"_inproc": part_inproc, "_export": part_export, "_duck": part_duck,
         "_pages": part_pages}[part](*rest)
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--counties", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--backend", nargs="+", default=["sqlite"], choices=("sqlite", "postgresql"))
    ap.add_argument("--no-pages", action="store_true", help="skip the AppTest page timings")
    ap.add_argument("--out", type=Path, help="also append the figures to this file")
    ap.add_argument("--store", help="measure this store (made by `duzhan demo --counties N`, "
                                    "N the one --counties) instead of importing one")
    ap.add_argument("--geo", help="its township boundaries (with --store)")
    args = ap.parse_args()

    def say(line: str) -> None:
        print(line, flush=True)
        if args.out:
            with args.out.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")

    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
    say(f"# bench_scale on {socket.gethostname()} ({platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"as of {AS_OF}")
    for backend in args.backend:
        for n in args.counties:
            bench(backend, n, not args.no_pages, say, args.store, args.geo)


if __name__ == "__main__":
    main()
