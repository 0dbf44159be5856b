"""Time the demo county: build the frames, write the workbook, import it into a fresh store.

    .venv/bin/python scripts/bench_demo.py [--today 2026-11-18] [--runs 3]

Prints rows, seconds per step (median of the runs) and the workbook's size; the machine's
load average is printed too, as the figures mean little on a busy machine.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from duzhan.demo.generator import build_demo_frames, workbook_bytes
from duzhan.ledgers.importer import SourceFile, import_files
from duzhan.store.db import make_engine, upgrade


def run_once(today: date, folder: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    frames = build_demo_frames(today)
    t1 = time.perf_counter()
    raw = workbook_bytes(frames, today)
    t2 = time.perf_counter()
    path = folder / "demo.xlsx"
    path.write_bytes(raw)
    db = folder / "bench.db"
    db.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    t3 = time.perf_counter()
    result = import_files(engine, [SourceFile.from_path(path)], user="bench", lang="en")
    t4 = time.perf_counter()
    engine.dispose()
    if not result.accepted:
        raise SystemExit(f"the demo import was refused: {len(result.problems)} problems")
    return {"rows": sum(len(f) for f in frames.values()), "bytes": len(raw),
            "frames": t1 - t0, "workbook": t2 - t1, "import": t4 - t3}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 18))
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = [run_once(a.today, Path(tmp)) for _ in range(a.runs)]
    med = {k: statistics.median(r[k] for r in runs) for k in ("frames", "workbook", "import")}
    print(f"rows {runs[0]['rows']}, workbook {runs[0]['bytes'] / 1e6:.2f} MB, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("  ".join(f"{k} {v:.2f} s" for k, v in med.items()) + f"  total {sum(med.values()):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
