"""The CPU, wall and peak memory of each county's import in `duzhan demo --counties N`.

    /usr/bin/time -v .venv/bin/python scripts/bench_import.py demo --counties 30 \\
        --db sqlite:////tmp/p30.db --out /tmp/p30 --today 2026-11-18

Runs the `duzhan` command with these arguments, timing every `import_files` call in the
process (CPU: `time.process_time`; peak: `ru_maxrss` so far), and prints one line per county
and the totals on stderr. Figures are reported, not asserted (scripts/results/).
"""
from __future__ import annotations

import resource
import sys
import time

import duzhan.ledgers.importer as importer
from duzhan import cli


def main(argv: list[str]) -> int:
    calls: list[tuple[float, float, float, bool]] = []
    real = importer.import_files

    def timed(*args, **kwargs):
        cpu, wall = time.process_time(), time.perf_counter()
        result = real(*args, **kwargs)
        calls.append((time.process_time() - cpu, time.perf_counter() - wall,
                      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      result.accepted))
        return result

    importer.import_files = timed  # demo.counties imports it when it runs
    rc = cli.main(argv)
    for i, (cpu, wall, peak, accepted) in enumerate(calls, 1):
        print(f"county {i}: import {cpu:.2f} s CPU, {wall:.2f} s wall, peak so far "
              f"{peak:.0f} MB{'' if accepted else ', refused'}", file=sys.stderr)
    if calls:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"imports: {sum(c[0] for c in calls):.1f} s CPU in all, last county "
              f"{calls[-1][0]:.2f} s CPU; process peak {peak:.0f} MB", file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
