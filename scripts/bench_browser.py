"""What a user waits for: every page in chromium until every chart is drawn, four ways.

    .venv/bin/python scripts/bench_browser.py [--warm 5] [--pages overview,map]
                                              [--db sqlite:///data/duzhan.db] [--lang zh]

cold: a freshly started server (empty caches, but for the default page's run duzhan.serve
makes before it takes a reader) and a new browser profile, first visit of the page.
reload: the same tab reloaded (a new Streamlit session on the warm server; the frontend
boots again). switch: in the same tab, showing the page before it in the sidebar, a click on
the page's link in the sidebar navigation (a client-side page change, as a reader goes from
page to page; no reload). rerun: a township picked in the sidebar's filter, then the pick
cleared (each a rerun of the page in place). Medians and maxima of `--warm` of each.
"Drawn": the script run started by the navigation or the click has finished (counted from
the server's messages), the page has its title, as many plotly charts as the page sends
(counted first by AppTest on the same data) have drawn their SVG and as many folium maps
have drawn their polygons in Leaflet; the time is from navigation start (or the click) to
the first moment all of that holds (and still holds a second later). Every request not to
localhost is blocked (a county intranet), with the browser's HTTP cache on as a returning
reader has it. CPU seconds (chromium's processes) and the server's own time per script run
(the `duzhan.timing` log lines) are shown too: on a shared machine wall time is mostly
waiting for a core, and the browser's share (scripts, layout, plotly, Leaflet) is the
difference.

Figures are printed, not asserted: these machines are shared and noisy.
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
# every request not to localhost goes to a proxy on a closed port and fails (chromium sends
# loopback requests direct): a county intranet, with the browser's HTTP cache left on
# (an argument, not Playwright's `proxy=`, which would route loopback through the proxy too)
BLOCK_OUTSIDE = ["--proxy-server=http://127.0.0.1:9"]
STABLE_MS = 1000  # "drawn" must still hold this long after (no late rerun, no late chart)
TIMING_LINE = re.compile(r"duzhan\.timing .*page=(\S+) .*seconds=([0-9.]+)")

# Polls from navigation start; window.__drawnAt: when the page last became fully drawn
# (window.__expect: the charts and maps the page sends, set before navigating).
DRAWN_PROBE = """
(() => {
  const drawn = () => {
    const want = window.__expect;
    if (!want || window.__runs < window.__minRuns) return false;
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning'
        || app.dataset.testConnectionState !== 'CONNECTED') return false;
    if (!document.querySelector('h1')) return false;
    const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
    const maps = document.querySelectorAll('iframe[title*="folium"]');
    if (charts.length < want[0] || maps.length < want[1]) return false;
    for (const c of charts)
      if (!c.querySelector('.main-svg')) return false;
    for (const f of maps) {
      let d = null;
      try { d = f.contentDocument; } catch (e) { return false; }
      if (!d || !d.querySelector('.leaflet-container path.leaflet-interactive')) return false;
    }
    return true;
  };
  // script runs finished in this document, counted from the server's messages (ForwardMsg
  // field 6, script_finished): a page switch or a filter change is a run, not a navigation,
  // and is drawn only once its run (window.__minRuns) has finished. (The stApp element's
  // script state may never show "running" for a short run: React batches the updates.)
  window.__runs = 0;
  window.__minRuns = 1;
  const varint = (b, i) => {
    let v = 0, k = 1;
    for (;;) { const x = b[i++]; v += (x & 127) * k; k *= 128; if (x < 128) return [v, i]; }
  };
  const finished = (buf) => {
    const b = new Uint8Array(buf);
    for (let i = 0; i < b.length;) {
      let tag, len;
      [tag, i] = varint(b, i);
      const wire = tag & 7;
      if ((tag >> 3) === 6) return true;
      if (wire === 0) [len, i] = varint(b, i);
      else if (wire === 2) { [len, i] = varint(b, i); i += len; }
      else return false;
    }
    return false;
  };
  const Socket = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Socket(...args);
    ws.addEventListener('message', (e) => {
      if (e.data instanceof ArrayBuffer && finished(e.data)) window.__runs++;
    });
    return ws;
  };
  window.WebSocket.prototype = Socket.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  // the moment of the reader's click (a switch, a filter change): the time is counted from it
  window.__clickAt = null;
  for (const kind of ['pointerdown', 'keydown'])
    document.addEventListener(kind, () => { window.__clickAt = performance.now(); }, true);
  window.__drawnAt = null;
  setInterval(() => {
    if (drawn()) { if (window.__drawnAt === null) window.__drawnAt = performance.now(); }
    else window.__drawnAt = null;
  }, 20);
})();
"""


def expected(db_url: str, slug: str, query: dict[str, str]) -> tuple[int, int]:
    """(plotly charts, folium maps) the page sends, from one AppTest run on the same data."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from duzhan.views import registry

    os.environ["DUZHAN_DATABASE_URL"] = db_url
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    entry = registry.page(slug)
    if not entry.default:
        at.switch_page(entry.script)
        at.run()
    if at.exception:
        sys.exit(f"/{slug} raised: {at.exception}")
    return len(at.get("plotly_chart")), len(at.get("component_instance"))


def first_township(db_url: str) -> str:
    """The code of the first township in the sidebar's township picker (code order)."""
    from duzhan.store.db import make_engine
    from duzhan.store.lookup import township_directory

    return next(iter(township_directory(make_engine(db_url)).names))


def wait_drawn(page, timeout_s: float) -> float:
    """Seconds from navigation start until the page was drawn (and stayed so)."""
    page.wait_for_function(f"() => window.__drawnAt !== null && "
                           f"performance.now() - window.__drawnAt > {STABLE_MS}",
                           timeout=timeout_s * 1000, polling=100)
    return page.evaluate("() => window.__drawnAt") / 1000


def after_action(page, want: tuple[int, int], act, timeout_s: float) -> float:
    """Seconds from the reader's last click or key press in `act()` until the page (with
    `want` charts and maps) was drawn by the script run that `act` started, and stayed so."""
    runs = page.evaluate("() => window.__runs")
    page.evaluate(f"() => {{ window.__expect = {list(want)}; window.__minRuns = {runs + 1};"
                  " window.__drawnAt = null; window.__clickAt = null; }")
    act()
    page.wait_for_function(f"() => window.__drawnAt !== null && "
                           f"performance.now() - window.__drawnAt > {STABLE_MS}",
                           timeout=timeout_s * 1000, polling=100)
    return page.evaluate("() => (window.__drawnAt - window.__clickAt) / 1000")


def nav_link(page, slug: str):
    """The page's link in the sidebar navigation (the default page's is the site root)."""
    from duzhan.views import registry

    links = page.locator('[data-testid="stSidebarNavLink"]')
    for i in range(links.count()):
        path = urlparse(links.nth(i).get_attribute("href") or "").path.strip("/")
        if path == slug or (registry.page(slug).default and path in ("", f"{slug}-home")):
            return links.nth(i)
    raise LookupError(f"no navigation link to /{slug}")


def switch_to(page, slug: str, want: tuple[int, int], timeout_s: float) -> float:
    """A client-side page change: click the page in the sidebar navigation (no reload)."""
    link = nav_link(page, slug)
    return after_action(page, want, link.click, timeout_s)


def township_picker(page):
    return page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')


def pick_township(page, want: tuple[int, int], timeout_s: float) -> float:
    """A filter change: pick the first township in the sidebar's township picker."""
    picker = township_picker(page)
    picker.locator("input").click()  # opens the list; no script run yet
    option = page.locator('[role="option"]').first
    option.wait_for(timeout=timeout_s * 1000)
    seconds = after_action(page, want, option.click, timeout_s)
    page.keyboard.press("Escape")
    return seconds


def clear_townships(page, want: tuple[int, int], timeout_s: float) -> float:
    """Back to the whole county: the picked township removed (Backspace in the picker)."""
    box = township_picker(page).locator("input")
    box.focus()
    return after_action(page, want, lambda: box.press("Backspace"), timeout_s)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m duzhan.serve` on `port`, its log (and the timing lines) in a file."""

    def __init__(self, port: int | None, db_url: str, log: Path):
        # a port of our own: on a shared machine another session's server may answer on a
        # fixed one, and its pages would be timed instead
        port = port or free_port()
        self.port, self.log = port, log
        env = {**os.environ, "DUZHAN_DATABASE_URL": db_url}
        self._out = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "duzhan.serve", "--server.port", str(port),
             "--server.headless", "true", "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2)
                time.sleep(0.5)
                if self.proc.poll() is None and "is not available" not in log.read_text():
                    return
                self.stop()
                sys.exit(f"port {port} is another server's:\n{log.read_text()}")
            except OSError:
                if self.proc.poll() is not None:
                    sys.exit(f"server exited:\n{log.read_text()}")
                time.sleep(0.3)
        self.stop()
        sys.exit(f"server did not start:\n{log.read_text()}")

    def runs(self) -> list[tuple[str, float]]:
        """(page slug, seconds) of every script run so far, from the timing log."""
        self._out.flush()
        return [(m[1], float(m[2])) for m in TIMING_LINE.finditer(self.log.read_text())]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._out.close()


def new_context(browser, lang: str):
    """A fresh profile (empty HTTP cache) that records every request not to localhost; the
    browser's dead proxy (BLOCK_OUTSIDE) refuses them. Not Playwright's request routing: a
    routed context has no HTTP cache, so a reload would fetch and compile all of Streamlit's
    JavaScript again (≈10 MB), which no returning reader's browser does."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000},
                                  locale="zh-CN" if lang == "zh" else "en-US")
    blocked: list[str] = []

    def outside(request):
        host = urlparse(request.url).hostname or ""
        if not request.url.startswith(("data:", "blob:")) and host not in LOCAL_HOSTS:
            blocked.append(request.url)

    context.on("request", outside)
    context.add_init_script(DRAWN_PROBE)
    return context, blocked


def demo_db() -> str:
    from duzhan.cli import main as duzhan

    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    t0 = time.perf_counter()
    assert duzhan(["init", "--demo", "--db", url]) == 0
    print(f"demo county generated and imported: {time.perf_counter() - t0:.1f} s")
    return url


def cpu_seconds(root: int, comm: str = "") -> float:
    """CPU seconds (user + system, reaped children included) of `root`'s descendant
    processes whose name starts with `comm` ("" = `root` itself): on a shared machine the
    wall time is mostly waiting for a core, the CPU time is what a load costs."""
    tick = os.sysconf("SC_CLK_TCK")
    procs = {}
    for d in Path("/proc").iterdir():
        try:
            stat = (d / "stat").read_text()
        except (OSError, ValueError):
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        procs[int(d.name) if d.name.isdigit() else -1] = (
            name, int(fields[1]), sum(int(v) for v in fields[11:15]) / tick)
    if not comm:
        return procs.get(root, ("", 0, 0.0))[2]

    def under(pid: int) -> bool:
        for _ in range(50):
            if pid == root:
                return True
            if pid not in procs or pid <= 1:
                return False
            pid = procs[pid][1]
        return False

    return sum(cpu for pid, (name, _, cpu) in procs.items()
               if name.startswith(comm) and under(pid))


class Measure:
    """One kind of wait (cold, reload, switch, rerun) of one page: wall seconds, the
    server's script-run seconds and the CPU seconds of chromium / the server in that time."""

    def __init__(self):
        self.wall: list[float] = []
        self.server: list[float] = []
        self.cpu: list[tuple[float, float]] = []

    def time(self, browser_pid: int, server, slug: str, wait) -> float:
        before = len(server.runs())
        cpu = (cpu_seconds(browser_pid, "chrom"), cpu_seconds(server.proc.pid))
        seconds = wait()
        self.wall.append(seconds)
        self.cpu.append((cpu_seconds(browser_pid, "chrom") - cpu[0],
                         cpu_seconds(server.proc.pid) - cpu[1]))
        self.server += [s for p, s in server.runs()[before:] if p == slug]
        return seconds

    def cells(self) -> tuple[str, str]:
        """("median max" wall, "server / chromium cpu" medians)."""
        if not self.wall:
            return "-", "-"
        med = statistics.median
        wall = (f"{self.wall[0]:.2f}" if len(self.wall) == 1
                else f"{med(self.wall):.2f} {max(self.wall):.2f}")
        srv = f"{med(self.server):.2f}" if self.server else "-"
        return wall, f"{srv} / {med(c[0] for c in self.cpu):.2f}"


KINDS = ("cold", "reload", "switch", "rerun")


def bench_page(browser, slug: str, url: str, args, logs: Path, query: str, origin: str,
               want: dict, want_one: tuple[int, int]) -> dict[str, Measure]:
    """Every kind of wait for one page, on a fresh server in a fresh profile."""
    server = Server(args.port, url, logs / f"{slug}.log")
    context, blocked = new_context(browser, args.lang)
    context.add_init_script(f"window.__expect = {list(want[slug])};")
    m = {k: Measure() for k in KINDS}
    me, timeout = os.getpid(), args.timeout
    try:
        page = context.new_page()
        page_url = f"{server.base}/{slug}" + (f"?{query}" if query else "")

        def cold():
            page.goto(page_url, wait_until="commit")
            return wait_drawn(page, timeout)

        def reload():
            page.reload(wait_until="commit")
            return wait_drawn(page, timeout)

        m["cold"].time(me, server, slug, cold)
        for _ in range(args.warm):
            m["reload"].time(me, server, slug, reload)
        for _ in range(args.warm):
            switch_to(page, origin, want[origin], timeout)
            m["switch"].time(me, server, slug,
                             lambda: switch_to(page, slug, want[slug], timeout))
        for _ in range(args.warm):
            m["rerun"].time(me, server, slug, lambda: pick_township(page, want_one, timeout))
            m["rerun"].time(me, server, slug,
                            lambda: clear_townships(page, want[slug], timeout))
        if page.locator('[data-testid="stException"]').count():
            print(f"!! /{slug} shows an exception", file=sys.stderr)
        if blocked:
            print(f"!! /{slug} asked for outside URLs: {sorted(set(blocked))}", file=sys.stderr)
    finally:
        context.close()
        server.stop()
    return m


def main() -> None:
    from playwright.sync_api import sync_playwright

    from duzhan.views import registry

    ap = argparse.ArgumentParser()
    ap.add_argument("--warm", type=int, default=5,
                    help="reloads, switches and reruns per page (each)")
    ap.add_argument("--port", type=int, help="default: a free one")
    ap.add_argument("--db", help="database URL (default: a fresh demo county in a temp file)")
    ap.add_argument("--pages", help="comma-separated slugs (default: every page)")
    ap.add_argument("--lang", default="zh", choices=("zh", "en"))
    ap.add_argument("--query", default="", help="extra URL parameters, e.g. meeting=1")
    ap.add_argument("--timeout", type=float, default=180, help="seconds per wait")
    args = ap.parse_args()
    url = args.db or demo_db()
    every = [e.slug for e in registry.PAGES]
    slugs = args.pages.split(",") if args.pages else every
    # a switch comes from the page before it in the sidebar (the last page's from the first)
    origin = {slug: every[every.index(slug) - 1] for slug in slugs}
    query = "&".join(q for q in (f"lang={args.lang}" if args.lang != "zh" else "", args.query) if q)
    logs = Path(tempfile.mkdtemp(prefix="bench_browser_"))
    params = dict(q.split("=", 1) for q in query.split("&") if q)
    town = first_township(url)
    want = {slug: expected(url, slug, params) for slug in {*slugs, *origin.values()}}
    want_one = {slug: expected(url, slug, {**params, "t": town}) for slug in slugs}

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + BLOCK_OUTSIDE)
        for slug in slugs:
            m = bench_page(browser, slug, url, args, logs, query, origin[slug],
                           want, want_one[slug])
            rows.append((slug, m, want[slug]))
            print(f"  {slug}: " + ", ".join(f"{k} {m[k].cells()[0]}" for k in KINDS), flush=True)
        browser.close()

    print(f"\nchromium, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; server logs in {logs}")
    print("wall seconds until drawn (median max). cold: first visit, fresh server and profile; "
          "reload: the tab reloaded;\nswitch: a click in the sidebar navigation from "
          "another page; rerun: a township picked / the pick cleared in the sidebar")
    print(f"{'page':<12}" + "".join(f"{k:>14}" for k in KINDS) + f"{'charts':>8}{'maps':>6}")
    for slug, m, (nc, nm) in rows:
        print(f"{slug:<12}" + "".join(f"{m[k].cells()[0]:>14}" for k in KINDS)
              + f"{nc:>8}{nm:>6}")
    print("\nin that time (medians): the server's script run s / chromium's CPU s")
    print(f"{'page':<12}" + "".join(f"{k:>14}" for k in KINDS))
    for slug, m, _ in rows:
        print(f"{slug:<12}" + "".join(f"{m[k].cells()[1]:>14}" for k in KINDS))


if __name__ == "__main__":
    main()
