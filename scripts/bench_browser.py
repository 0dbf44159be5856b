"""What a user waits for: every page in chromium, cold and warm, until every chart is drawn.

    .venv/bin/python scripts/bench_browser.py [--warm 5] [--port 8620] [--pages overview,map]
                                              [--db sqlite:///data/duzhan.db] [--lang zh]

Cold: a freshly started server (empty caches, but for the default page's run duzhan.serve
makes before it takes a reader) and a new browser profile, first visit of the page.
Warm: the same tab reloaded (a new Streamlit session on the warm server), median and max
of `--warm` reloads. "Drawn": the script has finished (stApp's script state), the page
has its title, as many plotly charts as the page sends (counted first by AppTest on the same
data) have drawn their SVG and as many folium maps have drawn their polygons in Leaflet; the
time is from navigation start to the first moment all of that holds (and still holds a
second later). Every request not to localhost is blocked (a county intranet), with the
browser's HTTP cache on as a returning reader has it. CPU seconds (chromium's processes, the
server process) are shown too: on a shared machine wall time is mostly waiting for a core.
The server's own time per script run (the `duzhan.timing` log lines) is shown beside it,
so the browser's share (scripts, layout, plotly, Leaflet) is the difference.

Figures are printed, not asserted: these machines are shared and noisy.
"""
from __future__ import annotations

import argparse
import os
import re
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
    if (!want) return false;
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


def wait_drawn(page, timeout_s: float) -> float:
    """Seconds from navigation start until the page was drawn (and stayed so)."""
    page.wait_for_function(f"() => window.__drawnAt !== null && "
                           f"performance.now() - window.__drawnAt > {STABLE_MS}",
                           timeout=timeout_s * 1000, polling=100)
    return page.evaluate("() => window.__drawnAt") / 1000


class Server:
    """`python -m duzhan.serve` on `port`, its log (and the timing lines) in a file."""

    def __init__(self, port: int, db_url: str, log: Path):
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
                return
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


def server_seconds(runs: list[tuple[str, float]], slug: str) -> str:
    mine = [s for p, s in runs if p == slug]
    return f"{mine[0]:.2f}" if mine else "-"


def main() -> None:
    from playwright.sync_api import sync_playwright

    from duzhan.views import registry

    ap = argparse.ArgumentParser()
    ap.add_argument("--warm", type=int, default=5, help="warm reloads per page")
    ap.add_argument("--port", type=int, default=8620)
    ap.add_argument("--db", help="database URL (default: a fresh demo county in a temp file)")
    ap.add_argument("--pages", help="comma-separated slugs (default: every page)")
    ap.add_argument("--lang", default="zh", choices=("zh", "en"))
    ap.add_argument("--query", default="", help="extra URL parameters, e.g. meeting=1")
    ap.add_argument("--timeout", type=float, default=180, help="seconds per page load")
    args = ap.parse_args()
    url = args.db or demo_db()
    slugs = args.pages.split(",") if args.pages else [e.slug for e in registry.PAGES]
    query = "&".join(q for q in (f"lang={args.lang}" if args.lang != "zh" else "", args.query) if q)
    logs = Path(tempfile.mkdtemp(prefix="bench_browser_"))
    params = dict(q.split("=", 1) for q in query.split("&") if q)
    want = {slug: expected(url, slug, params) for slug in slugs}

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + BLOCK_OUTSIDE)
        for slug in slugs:
            server = Server(args.port, url, logs / f"{slug}.log")
            context, blocked = new_context(browser, args.lang)
            context.add_init_script(f"window.__expect = {list(want[slug])};")
            try:
                page = context.new_page()
                cpu = (cpu_seconds(os.getpid(), "chrom"), cpu_seconds(server.proc.pid))
                started = len(server.runs())  # after duzhan.serve's warm-up run
                page.goto(f"{server.base}/{slug}" + (f"?{query}" if query else ""),
                          wait_until="commit")
                cold = wait_drawn(page, args.timeout)
                cold_cpu = (cpu_seconds(os.getpid(), "chrom") - cpu[0],
                            cpu_seconds(server.proc.pid) - cpu[1])
                cold_server = server_seconds(server.runs()[started:], slug)
                n_charts, n_maps = want[slug]
                warm, warm_server, warm_cpu = [], [], []
                for _ in range(args.warm):
                    before = len(server.runs())
                    cpu = (cpu_seconds(os.getpid(), "chrom"), cpu_seconds(server.proc.pid))
                    page.reload(wait_until="commit")
                    warm.append(wait_drawn(page, args.timeout))
                    warm_cpu.append((cpu_seconds(os.getpid(), "chrom") - cpu[0],
                                     cpu_seconds(server.proc.pid) - cpu[1]))
                    warm_server += [s for p_, s in server.runs()[before:] if p_ == slug]
                if page.locator('[data-testid="stException"]').count():
                    print(f"!! /{slug} shows an exception", file=sys.stderr)
                if blocked:
                    print(f"!! /{slug} asked for outside URLs: {sorted(set(blocked))}",
                          file=sys.stderr)
            finally:
                context.close()
                server.stop()
            med = lambda v: statistics.median(v) if v else None  # noqa: E731
            rows.append((slug, cold, cold_server, med(warm), max(warm) if warm else None,
                         med(warm_server), n_charts, n_maps, cold_cpu,
                         (med([c[0] for c in warm_cpu]), med([c[1] for c in warm_cpu]))))
            print(f"  {slug}: cold {cold:.2f} s, warm {rows[-1][3] or 0:.2f} s", flush=True)
        browser.close()

    print(f"\nchromium, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; server logs in {logs}")
    print("wall seconds from navigation to drawn (server: its script run); CPU seconds in "
          "that time: chromium's processes / the server process (warm: medians)")
    print(f"{'page':<10}{'cold s':>8}{'(server)':>10}{'warm med s':>12}{'warm max s':>12}"
          f"{'(server)':>10}{'cold cpu':>14}{'warm cpu':>14}{'charts':>8}{'maps':>6}")
    f = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
    for slug, cold, cold_srv, wmed, wmax, wsrv, nc, nm, ccpu, wcpu in rows:
        print(f"{slug:<10}{cold:>8.2f}{cold_srv:>10}{f(wmed):>12}{f(wmax):>12}{f(wsrv):>10}"
              f"{f(ccpu[0]) + ' / ' + f(ccpu[1]):>14}{f(wcpu[0]) + ' / ' + f(wcpu[1]):>14}"
              f"{nc:>8}{nm:>6}")


if __name__ == "__main__":
    main()
