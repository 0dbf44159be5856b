"""Time to produce the briefing pack (汇报材料) for the demo county.

    .venv/bin/python scripts/bench_brief.py [--runs 3] [--db URL] [--as-of DATE] [--out DIR]

Prints, per format: the first pack in a fresh process (chromium start for kaleido
included) and the median of the warm runs after it (what a Streamlit user waits for once
the server has made one image), split into reading the inputs, rendering the charts and
writing the file. Figures are printed, not asserted: these machines are shared and noisy.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--db", help="database URL (default: a fresh demo county in a temp file)")
    ap.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: mid-campaign)")
    ap.add_argument("--out", help="keep the packs in this folder")
    args = ap.parse_args()
    from duzhan.cli import main as duzhan

    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    if not args.db:
        assert duzhan(["init", "--demo", "--db", url]) == 0
    from duzhan.exports import brief
    from duzhan.store.db import make_engine
    from duzhan.store.read import DataScope, load_ledgers

    engine = make_engine(url)
    if args.as_of:
        as_of = dt.date.fromisoformat(args.as_of)
    else:
        ph = load_ledgers(engine, DataScope()).phases.sort_values("phase_no")
        as_of = min(ph.iloc[min(2, len(ph) - 1)]["start_date"].date() + dt.timedelta(days=45),
                    dt.date.today())
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    print(f"demo county, as of {as_of}; first = fresh process (chromium start included)")
    from duzhan.exports.stamp import render_png

    for kind in ("pdf", "pptx"):
        times = []
        for i in range(args.runs + 1):
            t0 = time.perf_counter()
            inputs = brief.brief_inputs(engine, as_of)
            t1 = time.perf_counter()
            data, name, _ = brief.build_brief(inputs, kind)
            t2 = time.perf_counter()
            (out / name).write_bytes(data)
            times.append(t2 - t0)
            label = "first" if not times[:-1] and kind == "pdf" else f"run {i + 1}"
            print(f"  {kind:4s} {label:6s} {t2 - t0:5.1f} s  (inputs {t1 - t0:4.1f} s, "
                  f"build {t2 - t1:4.1f} s; {len(data) / 1e6:.1f} MB, {inputs.page_count} pages)")
        warm = times[1:] or times
        print(f"{kind}: median of warm runs {statistics.median(warm):.1f} s")
    pages = brief.plan(brief.brief_inputs(engine, as_of))
    charts = [s for p in pages for s in p.slots if s.kind == "chart"]
    t0 = time.perf_counter()
    for s in charts:
        render_png(s.make(), scale=brief.CHART_SCALE)
    print(f"of which the {len(charts)} chart images (kaleido, warm): "
          f"{time.perf_counter() - t0:.1f} s")
    print(f"files in {out}")


if __name__ == "__main__":
    main()
