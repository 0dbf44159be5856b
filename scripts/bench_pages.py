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

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from duzhan.views import registry

    print(f"{'page':<14}{'first load s':>14}{'warm median s':>15}{'warm max s':>12}")
    for entry in registry.PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        t0 = time.perf_counter()
        at.run()
        if not entry.default:
            at.switch_page(entry.script)
            at.run()
        first = time.perf_counter() - t0
        assert not at.exception, at.exception
        warm = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        print(f"{entry.slug:<14}{first:>14.3f}{statistics.median(warm):>15.3f}{max(warm):>12.3f}")


if __name__ == "__main__":
    main()
