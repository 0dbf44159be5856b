"""Page speed on the demo county: first load and median warm rerun of every page (AppTest).

    .venv/bin/python scripts/bench_pages.py [--runs 7] [--db sqlite:///data/duzhan.db] [--county CODE]

Figures are printed, not asserted: these machines are shared and noisy.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--db", help="database URL (default: a fresh demo county in a temp file)")
    ap.add_argument("--county", help="open every page at this county (?c=…)")
    args = ap.parse_args()
    if args.db:
        url = args.db
    else:
        from duzhan.cli import main as duzhan

        url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
        t0 = time.perf_counter()
        assert duzhan(["init", "--demo", "--db", url]) == 0
        print(f"demo county generated and imported: {time.perf_counter() - t0:.2f} s")
    os.environ["DUZHAN_DATABASE_URL"] = url

    query = {"c": args.county} if args.county else None
    print(f"{'page':<14}{'first load s':>14}{'warm median s':>15}{'warm max s':>12}"
          f"{'first CPU s':>13}{'own CPU s':>11}{'warm CPU s':>12}")
    for slug, v in page_timings(args.runs, query=query).items():
        if "error" in v:
            raise SystemExit(f"page {slug}: {v['error']}")
        print(f"{slug:<14}{v['first']:>14.3f}{v['warm']:>15.3f}{v['max']:>12.3f}"
              f"{v['cpu_first']:>13.3f}{v['cpu_own']:>11.3f}{v['cpu_warm']:>12.3f}")


def page_timings(runs: int, timeout: float = 120,
                 query: dict[str, str] | None = None) -> dict[str, dict]:
    """Every page's first load (caches cleared) and its warm reruns (AppTest, the store of
    $DUZHAN_DATABASE_URL, opened at `query`, e.g. {"c": county code}): {slug: {"first",
    "warm" (median), "max", "cpu_first", "cpu_warm" (median CPU seconds of this process),
    "cpu_own" (CPU of the page's own first run, after the page served at "/")}}, or
    {"error": text} for a page that raised. bench_scale.py uses it too. In a store of
    several counties "/" serves the province overview, so every page's first load
    includes it; the overview is then opened by switching to it."""
    import logging

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from duzhan.views import registry

    served: list[str] = []  # the page of each run, from its duzhan.timing line

    class Pages(logging.Handler):
        def emit(self, record):
            served.append(record.getMessage().split()[0].removeprefix("page="))

    log = logging.getLogger("duzhan.timing")
    log.addHandler(handler := Pages())
    log.setLevel(logging.INFO)  # views.shell sets it only when it adds its own handler
    out: dict[str, dict] = {}
    for entry in registry.PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
        for k, v in (query or {}).items():
            at.query_params[k] = v
        t0, c0 = time.perf_counter(), time.process_time()
        at.run()
        own = c0
        if served[-1:] != [entry.slug]:
            at.switch_page(entry.script)
            own = time.process_time()
            at.run()
        first, cpu_first = time.perf_counter() - t0, time.process_time() - c0
        cpu_own = time.process_time() - own
        if at.exception:
            out[entry.slug] = {"error": str(at.exception[0].message)[:200]}
            continue
        warm, cpu = [], []
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            at.run()
            warm.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        out[entry.slug] = {"first": first, "warm": statistics.median(warm), "max": max(warm),
                           "cpu_first": cpu_first, "cpu_warm": statistics.median(cpu),
                           "cpu_own": cpu_own}
    log.removeHandler(handler)
    return out

if __name__ == "__main__":
    main()
