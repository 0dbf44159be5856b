"""The running app in Debian's chromium, with every request that is not to localhost blocked
(a county intranet): each page draws its charts and the map, with no exception and no
console error; clicking a township on the map filters to it. Screenshots go to artifacts/."""
from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from duzhan.i18n import t
from duzhan.views import registry

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# this file's tests run in order on one server (`--dist loadfile`), so the first one meets
# a freshly started server
BASE_PATH_PROBE = re.compile(r"/[a-z]+/_stcore/(health|host-config)")
# slug → (charts at least, map expected); every page of the registry, each at its own slug,
# and the default page at "/" too
DRAWN = {"overview": (2, True), "map": (0, True), "phases": (2, False), "issues": (2, False),
         "funds": (2, False), "loans": (2, False), "data": (0, False), "audit": (0, False),
         "supervision": (2, False), "households": (4, False)}
# slug → the labels of the expanders whose charts are drawn when opened (counted above)
ON_DEMAND = {"overview": ("overview.compare_open",),
             "supervision": ("supervision.coverage_chart_open", "supervision.reports_chart_open")}
# slug → its other lazy tabs (shell.lazy_tabs), each: label, how many charts it draws when picked
LAZY_TABS = {"households": (("households.section.monitoring", 3),
                            ("households.section.relocation", 1))}
PAGES = [(e.slug, e, *DRAWN[e.slug]) for e in registry.PAGES]
PAGES.insert(0, ("", registry.default_page(), *DRAWN[registry.default_page().slug]))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(env: dict[str, str], log: Path, cwd: Path = ROOT) -> Iterator[str]:
    """`python -m duzhan.serve` on a free port with `env` added, started from `cwd`; yields
    its base URL once healthy."""
    port = _free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "duzhan.serve", "--server.port", str(port),
             "--server.headless", "true", "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none"],
            cwd=cwd, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"streamlit exited: {log.read_text()}")
                time.sleep(0.5)
        else:
            pytest.fail(f"streamlit did not start: {log.read_text()}")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server(demo_db_url, tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with serving({"DUZHAN_DATABASE_URL": demo_db_url}, log) as base:
        yield base


def block_outside(context) -> list[str]:
    """Abort every request of `context` that is not to this machine; returns the list the
    aborted URLs are appended to."""
    blocked: list[str] = []

    def only_localhost(route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_localhost)
    return blocked


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium missing: `make test` installs it (apt-get install chromium)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        blocked = block_outside(context)
        page = context.new_page()
        errors: list[str] = []
        base_path_probes: list[str] = []

        def on_response(response):
            # On a deep-link load Streamlit's frontend first asks /<slug>/_stcore/… in case
            # the app lives under a base path; those 404s are expected, every other is not.
            path = urlparse(response.url).path
            if response.status == 404 and BASE_PATH_PROBE.fullmatch(path):
                base_path_probes.append(path)
            elif response.status >= 400:
                errors.append(f"HTTP {response.status} {response.url}")

        def on_console(message):
            if message.type != "error":
                return
            if message.text.startswith("Failed to load resource") and base_path_probes:
                base_path_probes.pop()  # the console line of an expected probe
                return
            errors.append(message.text)

        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page, errors, blocked
        context.close()
        browser.close()


def _settle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    # Streamlit shows a running indicator while the script runs
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(500)


# English that Streamlit, plotly or Leaflet write by themselves (month names on date axes,
# the uploader's "Upload · 50MB per file", the multiselect's "Select all", "10 km / 5 mi")
ENGLISH_CHROME = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b|Upload|"
                            r"per file|Select all|\bmi\b|\bkm\b")


def _english_on_screen(page, frame=None) -> list[str]:
    """English chrome in what the reader sees (innerText skips what CSS hides) and in the
    charts' SVG text (ticks, legends, annotations)."""
    texts = [page.inner_text("body"),
             *page.eval_on_selector_all("svg text", "els => els.map(e => e.textContent)")]
    if frame is not None:
        texts.append(frame.locator("body").inner_text())
    return sorted({m.group(0) for text in texts for m in ENGLISH_CHROME.finditer(text)})


def open_on_demand(page, slug: str) -> None:
    """Open the page's expanders of charts drawn on demand (ON_DEMAND), checking that no
    plotly chart (nor its bundle) was there before the clicks."""
    if slug not in ON_DEMAND:
        return
    page.wait_for_timeout(500)
    assert page.locator(".js-plotly-plot").count() == 0
    for label in ON_DEMAND[slug]:
        page.locator('[data-testid="stExpander"] summary', has_text=t(label, "zh")).click()
        _settle(page)


def _map_frame(page):
    page.wait_for_selector('iframe[title*="st_folium"], iframe[title*="streamlit_folium"]', timeout=60_000)
    frame = page.frame_locator('iframe[title*="st_folium"], iframe[title*="streamlit_folium"]').first
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    return frame


def test_deep_link_is_the_first_request(browser_page, server):
    """A shared link opened on a freshly started server runs through app.py (filters, shell)."""
    page, errors, blocked = browser_page
    page.goto(f"{server}/issues?lang=en&meeting=1", wait_until="domcontentloaded")
    _settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").first.inner_text().strip() == "Issue burndown"
    assert "meeting=1" in page.url and "lang=en" in page.url
    assert not blocked
    assert not errors, errors


def test_the_registry_is_walked_whole():
    assert set(DRAWN) == {e.slug for e in registry.PAGES}


@pytest.mark.parametrize("slug, entry, min_charts, has_map", PAGES,
                         ids=[s or "root" for s, *_ in PAGES])
def test_page_renders_offline(browser_page, server, demo_ledgers, slug, entry, min_charts,
                              has_map):
    page, errors, blocked = browser_page
    errors.clear()
    page.goto(f"{server}/{slug}", wait_until="domcontentloaded")
    _settle(page)
    # the page answers at its own slug: its title, no "page not found" pop-up
    assert page.locator("h1").first.inner_text().strip() == t(entry.title_key, "zh")
    assert page.locator('[role="dialog"]').count() == 0
    assert page.get_by_text("Page not found").count() == 0
    open_on_demand(page, entry.slug)
    if min_charts:
        # every chart, not the first one drawn: the others may still be mounting
        page.wait_for_function("n => [...document.querySelectorAll('.js-plotly-plot')]"
                               ".filter(e => e.querySelector('.main-svg')).length >= n",
                               arg=min_charts, timeout=60_000)
        assert page.locator(".js-plotly-plot").count() >= min_charts
        # drawn traces, not empty frames
        page.wait_for_selector(".js-plotly-plot .trace path", state="attached", timeout=60_000)
        assert page.locator(".js-plotly-plot .trace path").count() >= min_charts
    frame = None
    if has_map:
        frame = _map_frame(page)
        assert frame.locator("path.leaflet-interactive").count() >= 8  # township polygons
    page.wait_for_timeout(800)
    # Chinese mode: no English written by the libraries; the big map's scale in 公里/米
    assert _english_on_screen(page, frame) == []
    for label, n in LAZY_TABS.get(entry.slug, ()):
        # the tab's charts come with the rerun its pick starts
        page.get_by_role("tab", name=t(label, "zh")).click()
        page.wait_for_function(
            "n => [...document.querySelectorAll('[role=\"tabpanel\"]:not([hidden]) .js-plotly-plot')]"
            ".filter(e => e.querySelector('.trace path')).length >= n", arg=n, timeout=60_000)
        _settle(page)
        assert _english_on_screen(page) == []
    if slug == "map":
        assert re.fullmatch(r"\d+ (公里|米)", frame.locator(".leaflet-control-scale").inner_text().strip())
        # the relocation sites: circles outlined like the villages, filled by occupancy
        sites = frame.locator('path.leaflet-interactive[stroke="#1a1a1a"]:not([fill="#FFFFFF"])')
        assert sites.count() == len(demo_ledgers.sites.dropna(subset=["longitude", "latitude"]))
        assert sites.count() > 0
    page.screenshot(path=str(SHOTS / f"{slug or 'overview'}.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not blocked, f"requests left the machine: {blocked}"
    assert not errors, f"console errors on /{slug}: {errors}"


def test_clicking_a_township_filters_to_it(browser_page, server):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page, errors, blocked = browser_page
    page.goto(f"{server}/map", wait_until="domcontentloaded")
    _settle(page)
    frame = _map_frame(page)
    polygon = frame.locator("path.leaflet-interactive").first
    picked = "() => new URLSearchParams(location.search).has('t')"
    for attempt in range(3):
        # a click landing while the map's component is still starting is not sent (on a
        # loaded machine, once in a full run); a reader clicks again, and so does the test
        polygon.click(force=True)
        try:
            page.wait_for_function(picked, timeout=15_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    _settle(page)
    code = dict(p.split("=", 1) for p in urlparse(page.url).query.split("&") if "=" in p)["t"]
    assert code and "," not in code  # exactly one township chosen
    # the sidebar's township filter and the page's scope stamp now name the same township
    picked = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').inner_text()
    name = picked.split("\n")[-1].strip()
    assert name and name in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
    page.screenshot(path=str(SHOTS / "map_clicked.png"), full_page=True)
    assert not blocked
    assert not errors, errors


def test_meeting_mode_first_screen_on_a_projector(browser_page, server):
    """1366×768 in meeting mode: a red township's chip and name are on the first screen,
    with the map beside them, and no table is a fixed-height grid."""
    page, errors, blocked = browser_page
    errors.clear()
    page.set_viewport_size({"width": 1366, "height": 768})
    try:
        page.goto(f"{server}/overview?meeting=1", wait_until="domcontentloaded")
        _settle(page)
        chip = page.locator(".duzhan-flagged .duzhan-status-red").first
        chip.wait_for(timeout=60_000)
        box = chip.bounding_box()
        assert box and box["y"] + box["height"] <= 768, box
        _map_frame(page)  # the map has drawn its polygons
        frame_box = page.locator('iframe[title*="st_folium"], iframe[title*="streamlit_folium"]') \
            .first.bounding_box()
        assert frame_box and frame_box["y"] < 768 and frame_box["x"] > box["x"]
        assert page.locator('[data-testid="stSidebar"]').is_hidden()
        assert page.locator('[data-testid="stDataFrame"]').count() == 0
        page.screenshot(path=str(SHOTS / "overview_meeting_1366.png"))
        assert not blocked and not errors, errors
    finally:
        page.set_viewport_size({"width": 1600, "height": 1000})


@pytest.mark.parametrize("query, lang", [("lang=en", "en"), ("meeting=1", "zh")],
                         ids=["english", "meeting"])
def test_supervision_page_english_and_meeting(browser_page, server, query, lang):
    """督导 in English and on the projector: its title, the 约谈 list first, the yellow
    cards' chart (HTML), the projector's two plotly charts drawn (in English they wait for
    a click), nothing fetched from outside, no console error."""
    page, errors, blocked = browser_page
    errors.clear()
    page.goto(f"{server}/supervision?{query}", wait_until="domcontentloaded")
    _settle(page)
    assert page.locator("h1").first.inner_text().strip() == t("page.supervision", lang)
    heading = page.locator('[data-testid="stMainBlockContainer"] h3').first.inner_text().strip()
    assert heading == t("supervision.section.summons", lang)  # the demo has a unit due
    page.wait_for_selector(".duzhan-yellow .duzhan-yellow-month", timeout=60_000)
    if lang == "zh":
        page.wait_for_selector(".js-plotly-plot .trace path", state="attached", timeout=60_000)
        assert page.locator(".js-plotly-plot").count() == 2
    else:
        assert page.locator(".js-plotly-plot").count() == 0
    if lang == "zh":  # the projector: no sidebar, no download buttons
        assert page.locator('[data-testid="stSidebar"]').is_hidden()
        assert page.locator('[data-testid="stDownloadButton"]').count() == 0
    page.screenshot(path=str(SHOTS / f"supervision_{query.split('=')[0]}.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not blocked, f"requests left the machine: {blocked}"
    assert not errors, f"console errors: {errors}"

