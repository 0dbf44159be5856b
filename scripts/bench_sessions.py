"""Many readers at once on one server: how long each script run takes on the server, and how
long each reader waits, with 10 and 30 sessions opening a page at the same moment.

    .venv/bin/python scripts/bench_sessions.py [--sessions 10,30] [--page overview]
                                               [--clients ws|browser] [--port N] [--db URL]

Each round starts a fresh server (cold caches but the default page's, which duzhan.serve
warms before it takes a reader), opens every session at once and waits until
each has its page. The server's side is the `duzhan.timing` log line of every script run
(p50/p95 over the round's runs). The clients' side:
- `ws` (default): a light client per session speaking Streamlit's own websocket protocol
  (the frontend's BackMsg/ForwardMsg), timed until the server says the script finished and
  every element has arrived; no browser rendering, so 30 of them fit on 2 cores.
- `browser`: one chromium tab per session (outside requests blocked), timed until every
  chart and map is drawn, as scripts/bench_browser.py; heavy: 30 tabs on 2 cores measure
  the browsers as much as the server.
Then a second, warm round on the same server. Figures are printed, not asserted.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_browser as bb  # noqa: E402  (the server, the drawn probe, the demo county)


def ws_session(base: str, page: str, timeout: float) -> float:
    """Seconds from connecting until the server finished the page's script run."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    t0 = time.perf_counter()
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    # no client keepalive pings: a starved client thread would close a healthy session
    with connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout,
                 ping_interval=None) as ws:
        back = BackMsg()
        back.rerun_script.query_string = ""
        back.rerun_script.page_name = page
        ws.send(back.SerializeToString())
        deadline = t0 + timeout
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=max(deadline - time.perf_counter(), 0.1)))
            if msg.WhichOneof("type") == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return time.perf_counter() - t0
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("the script did not compile")


def browser_sessions(base: str, page: str, n: int, timeout: float,
                     want: tuple[int, int]) -> list[float | None]:
    from playwright.sync_api import sync_playwright

    out: list[float | None] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=bb.CHROMIUM,
                                    args=bb.CHROMIUM_ARGS + bb.BLOCK_OUTSIDE)
        tabs = []
        for _ in range(n):
            context, _ = bb.new_context(browser, "zh")
            context.add_init_script(f"window.__expect = {list(want)};")
            tab = context.new_page()
            tab.goto(f"{base}/{page}", wait_until="commit")
            tabs.append(tab)
        for tab in tabs:
            try:
                out.append(bb.wait_drawn(tab, timeout))
            except Exception:  # noqa: BLE001 — a timeout is a figure here
                out.append(None)
        browser.close()
    return out


def ws_round(base: str, page: str, n: int, timeout: float) -> list[float | None]:
    out: list[float | None] = [None] * n

    def one(i: int) -> None:
        try:
            out[i] = ws_session(base, page, timeout)
        except Exception as exc:  # noqa: BLE001 — a timeout is a figure here
            print(f"  session {i}: {type(exc).__name__}: {exc}", file=sys.stderr)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def line(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:<26}{'-':>8}{'-':>8}{'-':>8}"
    return (f"{label:<26}{statistics.median(values):>8.2f}{pct(values, 0.95):>8.2f}"
            f"{max(values):>8.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", default="10,30")
    ap.add_argument("--page", default="overview")
    ap.add_argument("--clients", choices=("ws", "browser"), default="ws")
    ap.add_argument("--port", type=int, help="default: a free one")
    ap.add_argument("--db", help="database URL (default: a fresh demo county in a temp file)")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()
    url = args.db or bb.demo_db()
    want = bb.expected(url, args.page, {}) if args.clients == "browser" else (0, 0)
    logs = Path(tempfile.mkdtemp(prefix="bench_sessions_"))
    print(f"{args.clients} clients on /{args.page}, {os.cpu_count()} CPUs; logs in {logs}")
    print(f"{'':<26}{'p50 s':>8}{'p95 s':>8}{'max s':>8}")
    for n in (int(x) for x in args.sessions.split(",")):
        server = bb.Server(args.port, url, logs / f"{n}.log")
        try:
            for label in ("cold", "warm"):
                before = len(server.runs())
                t0 = time.perf_counter()
                if args.clients == "ws":
                    waits = ws_round(server.base, args.page, n, args.timeout)
                else:
                    waits = browser_sessions(server.base, args.page, n, args.timeout, want)
                wall = time.perf_counter() - t0
                time.sleep(0.5)
                runs = [s for p, s in server.runs()[before:] if p == args.page]
                done = [w for w in waits if w is not None]
                load = " ".join(f"{x:.1f}" for x in os.getloadavg())
                print(f"{n} sessions, {label} (wall {wall:.1f} s, {len(done)}/{n} drawn, "
                      f"load {load})")
                print(line("  server: script run", runs))
                print(line("  client: until the page", done))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
