"""Where chromium spends a page's load: a DevTools trace of one page drawn in chromium,
summed by what the renderer's main thread did (script evaluation by file, compile, style,
layout, paint, …) and by the JavaScript functions' self time.

    .venv/bin/python scripts/profile_browser.py [--pages overview,issues] [--how reload|cold|switch]
                                                [--db URL] [--trace-dir DIR]

`reload` (default): the page is drawn once, then reloaded under the trace (the HTTP cache
on, as bench_browser's warm). `cold`: the first visit, traced. `switch`: the page is reached
from the audit page by a click in the sidebar navigation. The raw trace (JSON, for
chrome://tracing or DevTools' Performance panel) is kept in --trace-dir. Figures printed.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_browser as bb  # noqa: E402

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute",
              "disabled-by-default-v8.cpu_profiler", "blink.user_timing", "loading"]


def main_threads(events: list[dict]) -> set[tuple[int, int]]:
    """(pid, tid) of every renderer main thread in the trace."""
    return {(e["pid"], e["tid"]) for e in events
            if e.get("ph") == "M" and e.get("name") == "thread_name"
            and e.get("args", {}).get("name") == "CrRendererMain"}


def self_times(events: list[dict], threads: set[tuple[int, int]]) -> collections.Counter:
    """Self CPU time (ms) of each complete ("X") event name on the main threads, with script
    evaluation and function calls split by the file they run."""
    out: collections.Counter = collections.Counter()
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and (e["pid"], e["tid"]) in threads and "dur" in e:
            by_thread[(e["pid"], e["tid"])].append(e)
    # nesting by wall time, sums by the thread's CPU time (tdur): on a shared machine the
    # wall time holds the waits for a core
    cpu = {id(e): e.get("tdur", e["dur"]) for evs in by_thread.values() for e in evs}
    for evs in by_thread.values():
        evs.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack: list[list] = []  # [end, label, child time]
        for e in evs:
            while stack and stack[-1][0] <= e["ts"]:
                end, label, child, dur = stack.pop()
                out[label] += (dur - child) / 1000
            label = e["name"]
            data = e.get("args", {}).get("data", {}) or {}
            url = data.get("url") or data.get("scriptName") or ""
            if label in ("EvaluateScript", "FunctionCall", "v8.compile", "v8.compileModule",
                         "CompileScript", "v8.evaluateModule") and url:
                label = f"{label} {url.rsplit('/', 1)[-1][:60]}"
            if stack:
                stack[-1][2] += cpu[id(e)]
            stack.append([e["ts"] + e["dur"], label, 0, cpu[id(e)]])
        while stack:
            end, label, child, dur = stack.pop()
            out[label] += (dur - child) / 1000
    return out


def js_functions(events: list[dict]) -> collections.Counter:
    """Self time (ms) of JavaScript functions, from the sampling profiler's chunks."""
    nodes: dict[tuple, dict] = {}
    samples: collections.Counter = collections.Counter()
    for e in events:
        if e.get("name") != "ProfileChunk":
            continue
        chunk = e["args"]["data"]
        cpu = chunk.get("cpuProfile", {})
        for n in cpu.get("nodes", []):
            nodes[(e["id"], n["id"])] = n["callFrame"]
        deltas = chunk.get("timeDeltas", [])
        for sid, dt in zip(cpu.get("samples", []), deltas, strict=False):
            samples[(e["id"], sid)] += dt / 1000
    out: collections.Counter = collections.Counter()
    for key, ms in samples.items():
        cf = nodes.get(key, {})
        name = cf.get("functionName") or "(anonymous)"
        url = (cf.get("url") or "").rsplit("/", 1)[-1][:40]
        out[f"{name} [{url}:{cf.get('lineNumber', '')}]"] += ms
    return out


def by_file(funcs: collections.Counter) -> collections.Counter:
    out: collections.Counter = collections.Counter()
    for label, ms in funcs.items():
        out[label.rsplit("[", 1)[-1].split(":")[0]] += ms
    return out


def main() -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", default="overview,issues,households")
    ap.add_argument("--how", choices=("reload", "cold", "switch"), default="reload")
    ap.add_argument("--db")
    ap.add_argument("--port", type=int, help="default: a free one")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--trace-dir", default=tempfile.mkdtemp(prefix="profile_browser_"))
    args = ap.parse_args()
    url = args.db or bb.demo_db()
    slugs = args.pages.split(",")
    want = {slug: bb.expected(url, slug, {}) for slug in slugs}
    trace_dir = Path(args.trace_dir)
    trace_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=bb.CHROMIUM,
                                    args=bb.CHROMIUM_ARGS + bb.BLOCK_OUTSIDE)
        for slug in slugs:
            server = bb.Server(args.port, url, trace_dir / f"{slug}.log")
            context, _ = bb.new_context(browser, "zh")
            context.add_init_script(f"window.__expect = {list(want[slug])};")
            try:
                page = context.new_page()
                target = f"{server.base}/{slug}"
                if args.how == "reload":
                    page.goto(target, wait_until="commit")
                    bb.wait_drawn(page, 300)
                elif args.how == "switch":
                    page.goto(f"{server.base}/audit", wait_until="commit")
                    page.evaluate("window.__expect = [0, 0]")
                    bb.wait_drawn(page, 300)
                    page.evaluate(f"window.__expect = {list(want[slug])}")
                path = trace_dir / f"{slug}-{args.how}.json"
                browser.start_tracing(page=page, path=str(path), categories=CATEGORIES)
                if args.how == "reload":
                    page.reload(wait_until="commit")
                    seconds = bb.wait_drawn(page, 300)
                elif args.how == "cold":
                    page.goto(target, wait_until="commit")
                    seconds = bb.wait_drawn(page, 300)
                else:
                    seconds = bb.switch_to(page, slug, want[slug], 300)
                browser.stop_tracing()
            finally:
                context.close()
                server.stop()
            events = json.loads(path.read_text())["traceEvents"]
            threads = main_threads(events)
            st = self_times(events, threads)
            funcs = js_functions(events)
            total = sum(st.values())
            print(f"\n/{slug} ({args.how}): drawn in {seconds:.2f} s; main-thread CPU "
                  f"{total / 1000:.2f} s; trace {path}")
            print("  main thread, self ms by event:")
            for label, ms in st.most_common(args.top):
                print(f"    {ms:9.1f}  {label}")
            print("  JavaScript self ms by file (sampled):")
            for label, ms in by_file(funcs).most_common(12):
                print(f"    {ms:9.1f}  {label}")
            print("  JavaScript self ms by function (sampled):")
            for label, ms in funcs.most_common(args.top):
                print(f"    {ms:9.1f}  {label}")
        browser.close()


if __name__ == "__main__":
    main()
