"""A real browser signs in as a township user on a served app (chromium, every request off
this machine blocked) and finds only its own township on every page it can open: in the
page, the charts, the map's frame, the sidebar. Before signing in, a deep link to the data
page with another township in its URL shows the sign-in form and no township at all."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from duzhan.auth import add_user, read_audit
from duzhan.i18n import t
from duzhan.store.db import make_engine
from duzhan.store.lookup import township_directory
from duzhan.views import registry
from tests.browser.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SHOTS,
    _settle,
    block_outside,
    serving,
)
from tests.pages.signin_helpers import PASSWORD, copy_store

pytestmark = pytest.mark.browser

TOWNSHIP_PAGES = [e for e in registry.PAGES if "township" in e.roles]
MAP = 'iframe[title*="st_folium"], iframe[title*="streamlit_folium"]'


@pytest.fixture(scope="module")
def town_server(pristine_demo_db_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("signin")
    url = copy_store(pristine_demo_db_url, tmp)
    engine = make_engine(url)
    names = dict(township_directory(engine).names)
    mine, other = list(names)[0], list(names)[-1]
    add_user(engine, "town", "township", PASSWORD, dt.datetime.now(dt.UTC), townships=[mine])
    engine.dispose()
    with serving({"DUZHAN_DATABASE_URL": url}, tmp / "streamlit.log") as base:
        yield base, names, mine, other, url


def everything(page) -> str:
    """The page's DOM and every frame's (the map's GeoJSON and labels live in its frame)."""
    return "\n".join([page.content(), *(f.content() for f in page.frames[1:])])


def others(names: dict[str, str], mine: str) -> list[str]:
    return [n for c, n in names.items() if c != mine and n not in names[mine]]


def test_a_township_user_finds_only_its_township_on_every_page(town_server):
    from playwright.sync_api import sync_playwright

    base, names, mine, other, url = town_server
    engine = make_engine(url)
    assert Path(CHROMIUM).exists()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        blocked = block_outside(context)
        page = context.new_page()
        try:
            page.goto(f"{base}/data?t={other}", wait_until="domcontentloaded")
            _settle(page)
            page.locator('input[type="password"]').wait_for(timeout=60_000)
            assert not [n for n in names.values() if n in everything(page)]
            assert page.locator('[data-testid="stFileUploader"]').count() == 0
            page.locator('[data-testid="stForm"] input[type="text"]').fill("town")
            page.locator('[data-testid="stForm"] input[type="password"]').fill(PASSWORD)
            page.locator('[data-testid="stFormSubmitButton"] button').click()
            page.locator('[data-testid="stSidebarNav"]').wait_for(timeout=60_000)
            _settle(page)
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert t("page.data", "zh") not in nav and t("page.audit", "zh") not in nav
            assert page.locator('[data-testid="stFileUploader"]').count() == 0
            for entry in TOWNSHIP_PAGES:
                title = t(entry.title_key, "zh")
                if not entry.default:
                    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
                page.locator("h1", has_text=title).first.wait_for(timeout=60_000)
                _settle(page)
                if entry.slug in ("overview", "map"):
                    page.frame_locator(MAP).first.locator("path.leaflet-interactive") \
                        .first.wait_for(timeout=60_000)
                page.wait_for_timeout(800)
                assert names[mine] in page.inner_text("body"), entry.slug
                seen = [n for n in others(names, mine) if n in everything(page)]
                assert not seen, f"/{entry.slug} names other townships: {seen}"
                assert page.locator('[data-testid="stException"]').count() == 0
                page.screenshot(path=str(SHOTS / f"town_{entry.slug}.png"), full_page=True)
                if entry.default:  # a download made on the click, on Streamlit's thread
                    with page.expect_download(timeout=90_000) as made:
                        page.get_by_role("button", name=t("exports.download_png", "zh")) \
                            .first.click()
                    assert made.value.suggested_filename.endswith(".png")
                    assert [(e.user_name, e.detail["scope"]) for e in read_audit(
                        engine, kind="export")] == [("town", [mine])]
            assert not blocked, blocked
        finally:
            context.close()
            browser.close()
            engine.dispose()
