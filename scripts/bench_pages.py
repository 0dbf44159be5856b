"""Page speed on the demo county: first load and median warm rerun of every page (AppTest).

    .venv/bin/python scripts/bench_pages.py [--runs 7] [--db sqlite:///data/duzhan.db]

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

    print(f"{'page':<14}{'first load s':>14}{'warm median s':>15}{'warm max s':>12}")
    for slug, v in page_timings(args.runs).items():
        if "error" in v:
            raise SystemExit(f"page {slug}: {v['error']}")
        print(f"{slug:<14}{v['first']:>14.3f}{v['warm']:>15.3f}{v['max']:>12.3f}")


def page_timings(runs: int, timeout: float = 120) -> dict[str, dict]:
    """Every page's first load (caches cleared) and its warm reruns (AppTest, the store of
    $DUZHAN_DATABASE_URL): {slug: {"first", "warm" (median), "max"}}, or {"error": text}
    for a page that raised. bench_scale.py uses it too."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from duzhan.views import registry

    out: dict[str, dict] = {}
    for entry in registry.PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
        t0 = time.perf_counter()
        at.run()
        if not entry.default:
            at.switch_page(entry.script)
            at.run()
        first = time.perf_counter() - t0
        if at.exception:
            out[entry.slug] = {"error": str(at.exception[0].message)[:200]}
            continue
        warm = []
        for _ in range(runs):
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        out[entry.slug] = {"first": first, "warm": statistics.median(warm), "max": max(warm)}
    return out

if __name__ == "__main__":
    main()
