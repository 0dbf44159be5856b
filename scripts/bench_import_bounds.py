"""Cost of hostile imports now that reading is bounded (duzhan.ledgers.limits).

    .venv/bin/python scripts/bench_import_bounds.py [--case NAME ...]

Each case builds its file, then checks it with `plan_import` (what the data page's preview
and `duzhan import` do first) against an empty SQLite store, in a fresh process so that peak
memory (ru_maxrss) is the case's own. Printed per case: the file's size, seconds, peak RSS
before and after reading, and the problems reported. Figures are printed, not asserted.

Cases (issue 14 measured before the bounds: blank-rows zip 11.6 GB and a MemoryError; a
20 KB zip 342 MB → 1.85 GB; a 536 KB zip of bad rows 615 s and 4.6 GB):
  blank_zip       ~200 KB zip: a header and ~200 MB of blank CSV rows (a zip bomb)
  blank_zip_noratio  the same with the ratio check off: the row bound alone stops it
  small_blank_zip ~20 KB zip of blank rows
  bad_rows_zip    ~540 KB zip of issue rows that are all wrong
  max_rows_zip    a zip of good issue rows, as many as a ledger may hold (the largest
                  import that is read in full)
  county_xlsx     a county-sized good workbook (~35,000 rows), for comparison
"""
from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile

ISSUE_HEADER = ("issue_id,township_code,village_code,source,category,department,found_date,"
                "deadline,closed_date,description\n")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def zip_stream(lines, target_zipped: int, name: str = "issues.csv") -> bytes:
    """A zip whose one CSV member is written line by line until the zip is ~target size."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open(name, "w", force_zip64=True) as out:
            out.write(ISSUE_HEADER.encode())
            block: list[bytes] = []
            for line in lines:
                block.append(line)
                if len(block) == 10_000:
                    out.write(b"".join(block))
                    block.clear()
                    if buf.tell() >= target_zipped:
                        break
            out.write(b"".join(block))
    return buf.getvalue()


def blank_lines():
    while True:
        yield b",,,,,,,,,\n"


def bad_lines():
    """Issue rows, each wrong the same way (an unknown township, dates that are not dates):
    repetitive, so they zip well, as a generated file does."""
    i = 0
    while True:
        i += 1
        yield f"W{i:07d},999,,来源,类别,单位,2024年13月,明天,,第{i}行\n".encode()


def good_lines(n: int):
    for i in range(1, n + 1):
        yield (f"W{i:07d},001,,审计,住房安全,县住建局,2024-03-01,2024-04-01,,"
               f"第{i}个问题\n").encode()


def max_rows_zip() -> bytes:
    from duzhan.ledgers import limits

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("townships.csv", "township_code,township_name\n001,甲镇\n")
        with zf.open("issues.csv", "w") as out:
            out.write(ISSUE_HEADER.encode())
            for line in good_lines(limits.MAX_LEDGER_ROWS):
                out.write(line)
    return buf.getvalue()


def county_xlsx() -> bytes:
    sys.path.insert(0, ".")
    from tests.ledgers.test_perf import county_workbook

    return county_workbook()[0]


def build(case: str) -> tuple[str, bytes]:
    if case in ("blank_zip", "blank_zip_noratio"):
        return "blank.zip", zip_stream(blank_lines(), 203 * 1024)
    if case == "small_blank_zip":
        return "small.zip", zip_stream(blank_lines(), 20 * 1024)
    if case == "bad_rows_zip":
        return "bad.zip", zip_stream(bad_lines(), 536 * 1024)
    if case == "max_rows_zip":
        return "max.zip", max_rows_zip()
    if case == "county_xlsx":
        return "county.xlsx", county_xlsx()
    raise SystemExit(f"unknown case {case}")


def run_case(case: str) -> dict:
    from duzhan.ledgers import SourceFile, limits, plan_import
    from duzhan.store.db import make_engine, upgrade

    if case == "blank_zip_noratio":
        limits.MAX_ZIP_RATIO = 10**9
    engine = make_engine(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    upgrade(engine)
    name, data = build(case)
    unzipped = None
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unzipped = sum(i.file_size for i in zf.infolist())
    before = rss_mb()
    t0 = time.perf_counter()
    plan = plan_import(engine, [SourceFile(name, data)], "en")
    seconds = time.perf_counter() - t0
    reasons: dict[str, int] = {}
    for p in plan.problems:
        reasons[p.reason] = reasons.get(p.reason, 0) + 1
    first = plan.problems[0].message("en") if plan.problems else ""
    return {"case": case, "file_kb": round(len(data) / 1024), "unzipped_mb":
            round(unzipped / 2**20, 1) if unzipped else None, "seconds": round(seconds, 2),
            "rss_before_mb": round(before), "rss_peak_mb": round(rss_mb()),
            "rows": plan.rows, "problems": len(plan.problems), "reasons": reasons,
            "first": first[:160]}


CASES = ["blank_zip", "blank_zip_noratio", "small_blank_zip", "bad_rows_zip", "max_rows_zip",
         "county_xlsx"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", action="append", choices=CASES)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child), ensure_ascii=False))
        return
    for case in args.case or CASES:
        out = subprocess.run([sys.executable, __file__, "--child", case], capture_output=True,
                             text=True, check=False)
        if out.returncode != 0:
            print(f"{case}: failed\n{out.stderr[-2000:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['case']:<18} {r['file_kb']:>6} KB zipped, {r['unzipped_mb']} MB unzipped: "
              f"{r['seconds']:>6.2f} s, peak RSS {r['rss_before_mb']} → {r['rss_peak_mb']} MB; "
              f"rows {r['rows']}; {r['problems']} problems {r['reasons']}")
        print(f"{'':<18} {r['first']}")


if __name__ == "__main__":
    main()
