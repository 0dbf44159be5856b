"""The reader's access is enforced at the data boundary: a reader limited to one township
sees only its rows on every page, whatever the URL asks for; signed in, each role reaches
its own pages only, and a township user finds no other township in any page or download."""
import io
import json
import re
import subprocess

import pytest
from openpyxl import load_workbook
from PIL import Image
from plotly.utils import PlotlyJSONEncoder
from pptx import Presentation

from duzhan.auth import passwords
from duzhan.charts import plain_figure
from duzhan.exports import stamp
from duzhan.store.read import DataScope
from duzhan.views import registry, shell, signin
from tests.pages.conftest import (
    LAZY_TABS,
    each_tab,
    expected_report,
    expected_scope,
    fresh_app,
    open_page,
    page_ctx,
)
from tests.pages.signin_helpers import (
    T0,
    cheap_hashing,
    county_with_users,
    page_scripts,
    page_text,
    sign_in,
)

PAGES = [p.slug for p in registry.scoped_pages()]


@pytest.fixture(scope="module")
def county(pristine_demo_db_url, tmp_path_factory, caches_per_module):
    """The county with its users (signin_helpers.county), one for the module: its tests sign
    in and read (a download's check counts the audit entries it adds), and each page's
    figures are computed once for them (caches_per_module), as a server shares them
    between its readers; the sign-in clock stands at T0. (`app`, on another store, clears
    the caches around each of its tests: they cache the store's engine.)"""
    with pytest.MonkeyPatch.context() as mp:
        cheap_hashing(mp)
        mp.setattr(signin, "now", lambda: T0)
        county = county_with_users(pristine_demo_db_url, tmp_path_factory.mktemp("county"))
        yield county
        county.engine.dispose()
        passwords._dummy_hash.cache_clear()


@pytest.fixture
def county_app(county, monkeypatch):
    return fresh_app(county.url, monkeypatch)


@pytest.fixture
def one_township(demo_ledgers, monkeypatch):
    codes = sorted(demo_ledgers.townships["township_code"])
    mine, other = codes[0], codes[-1]
    monkeypatch.setattr(shell, "reader_access", lambda: DataScope(allowed=(mine,)))
    return mine, other


@pytest.mark.parametrize("page", PAGES)
def test_a_township_reader_sees_only_its_township(app, demo_ledgers, one_township, page):
    mine, other = one_township
    at = open_page(app, page, t=other)  # a link naming another township
    ctx = page_ctx(at)
    assert ctx.filters.townships == ()  # the foreign code was dropped
    assert ctx.codes == (mine,)  # the reader's "whole county" is its own township
    assert list(ctx.directory.names) == [mine]
    assert [e["township_code"] for e in ctx.report()["townships"]] == [mine]
    assert set(ctx.ledgers().issues["township_code"]) == {mine}
    # the "county" this reader sees is its own township
    figures = ctx.scope_figures()
    own = expected_scope(demo_ledgers, ctx.as_of, [mine])
    assert figures["issues"] == own["issues"] and figures["loans"] == own["loans"]
    assert figures["funds"] == own["funds"]


def test_the_township_picker_offers_only_the_readers_township(app, one_township):
    mine, _ = one_township
    at = open_page(app, "overview")
    assert at.sidebar.multiselect[0].options == [page_ctx(at).directory.label(mine)]


# ---------------------------------------------------------------- signed in, each role

TOWNSHIP_PAGES = [p.slug for p in registry.PAGES if "township" in p.roles]
EXPECTED_PAGES = {  # what each role's navigation holds (and so what its URLs can reach)
    "leader": {p.script for p in registry.PAGES if p.slug not in ("data", "audit")},
    "analyst": {p.script for p in registry.PAGES if p.slug != "audit"},
    "town": {p.script for p in registry.PAGES if p.slug not in ("data", "audit")},
    "admin": {registry.page("audit").script},
}


@pytest.mark.parametrize("name", list(EXPECTED_PAGES))
def test_each_role_reaches_only_its_pages(county, county_app, name):
    at = sign_in(county_app, name)
    assert page_scripts(at) == EXPECTED_PAGES[name]
    assert page_scripts(at) == {p.script for p in registry.pages_for(page_ctx(at).user)}
    ctx = page_ctx(at)
    if name in ("leader", "analyst"):  # the whole county
        assert ctx.access.allowed is None and ctx.codes is None
        assert list(ctx.directory.names) == list(county.names)
    elif name == "admin":  # users and the audit log, no ledger
        assert ctx.access.allowed == () and not ctx.directory.names
    else:
        assert ctx.access.allowed == (county.mine,)
    if name != "analyst":  # a deep link to the data page: no such page for this reader
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(registry.page("data").script)


def others(county) -> list[str]:
    """Every other township's name (one that is part of the reader's own name is left out:
    it cannot be told apart)."""
    own = county.names[county.mine]
    return [n for c, n in county.names.items() if c != county.mine and n not in own]


PACK_KEYS = {"dl_brief_pdf", "dl_brief_pptx"}


def one_pixel_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buf, "PNG")
    return buf.getvalue()


def assert_only_own(county, text: str, where: str) -> None:
    seen = [n for n in others(county) if n in text]
    assert not seen, f"{where}: other townships named: {seen}"
    codes = [c for c in county.names if c != county.mine
             and re.search(rf"(?<!\d){re.escape(c)}(?!\d)", text)]
    assert not codes, f"{where}: other townships' codes: {codes}"
    assert county.names[county.mine] in text or where.startswith("file"), where


def file_text(name: str, blob: bytes, tmp_path) -> str:
    """The text of a download: every cell of a workbook, every shape of a deck, a PDF's
    text; a PNG carries no text (its figure is the page's, checked with the page)."""
    if name.endswith(".xlsx"):
        wb = load_workbook(io.BytesIO(blob))
        return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows()
                         for c in row if c.value is not None) + "\n".join(
            ws.oddFooter.left.text or "" for ws in wb.worksheets)
    if name.endswith(".pptx"):
        deck = Presentation(io.BytesIO(blob))
        return "\n".join(p.text for s in deck.slides for sh in s.shapes if sh.has_text_frame
                         for p in sh.text_frame.paragraphs)
    if name.endswith(".pdf"):
        path = tmp_path / "brief.pdf"
        path.write_bytes(blob)
        return subprocess.run(["pdftotext", str(path), "-"], check=True,
                              capture_output=True).stdout.decode()
    assert name.endswith(".png"), name
    return ""


@pytest.mark.parametrize("page", TOWNSHIP_PAGES)
def test_a_township_user_finds_only_its_township(county, county_app, demo_ledgers,
                                                 downloads_made, monkeypatch, tmp_path, page):
    from duzhan.exports import mapimage

    drawn_maps = []
    real_map_png = mapimage.map_png

    def spy(gdf, report, *a, **kw):
        drawn_maps.append((set(gdf["township_code"]),
                           {e["township_code"] for e in report["townships"]}))
        return real_map_png(gdf, report, *a, **kw)

    monkeypatch.setattr(mapimage, "map_png", spy)
    # a chart PNG's text is its stamped figure's: read from the figure handed to kaleido
    # (rendering it proves nothing here and costs a second a chart; test_stamp renders)
    rendered: list[str] = []
    pixel = one_pixel_png()

    def figure_text(fig, *a, **kw) -> bytes:
        rendered.append(json.dumps(plain_figure(fig).to_plotly_json(), ensure_ascii=False,
                                   cls=PlotlyJSONEncoder))
        return pixel

    monkeypatch.setattr(stamp, "render_png", figure_text)
    mine, other = county.mine, county.other
    # a crafted link: another township and another township's supervision area
    at = sign_in(county_app, "town", t=other, area=county.areas[other] or "")
    if page != registry.default_page().slug:
        at.switch_page(registry.page(page).script)
        at.run()
    assert not at.exception, at.exception
    ctx = page_ctx(at)
    assert ctx.filters.townships == ()
    assert ctx.codes in ((mine,), ())  # the foreign area: refused, or an empty scope
    if ctx.codes == ():
        at.query_params.pop("area", None)
        at.session_state["f_area"] = None
        at.run()
        ctx = page_ctx(at)
    assert ctx.codes == (mine,) and list(ctx.directory.names) == [mine]
    # the metrics through the page: its own township's, no county totals
    assert [e["township_code"] for e in ctx.report()["townships"]] == [mine]
    own = demo_ledgers.scoped([mine])
    assert ctx.report()["county"] == expected_report(own, ctx.as_of, None)["county"]
    assert ctx.scope_figures() == expected_scope(demo_ledgers, ctx.as_of, [mine])
    # every tab of tabs drawn when picked (their downloads are recorded as they are drawn)
    for _ in each_tab(at, LAZY_TABS[page]) if page in LAZY_TABS else [page]:
        assert_only_own(county, page_text(at), f"page {page}")

    # every download on the page: its file names no other township; each is audited
    assert downloads_made, "no download on the page"
    # downloads_made holds the signed-in landing page's too: the briefing pack (the costliest
    # file, made from the reader's context, not the page) is read once, on that page
    made = {k: d for k, d in downloads_made.items()
            if k not in PACK_KEYS or page == registry.default_page().slug}
    before = len(county.audit(kind="export"))
    for key, d in made.items():
        blob = d["data"]() if callable(d["data"]) else d["data"]
        assert_only_own(county, file_text(d["file_name"], blob, tmp_path), f"file {key}")
    for i, text in enumerate(rendered):  # every chart drawn into a PNG, the pack's included
        assert_only_own(county, text, f"file chart {i}")
    exports = county.audit(kind="export")[: len(made)]
    assert len(county.audit(kind="export")) - before == len(made)
    assert {(e.user_name, tuple(e.detail["scope"]), e.detail["as_of"]) for e in exports} == {
        ("town", (mine,), ctx.as_of.isoformat())}
    for gdf_codes, report_codes in drawn_maps:
        assert gdf_codes == report_codes == {mine}


def test_map_click_and_widget_state_reach_no_other_township(county, county_app):
    mine, other = county.mine, county.other
    at = sign_in(county_app, "town")
    at.switch_page(registry.page("map").script)
    at.run()
    # what the map component returns when a polygon of another township is clicked
    at.session_state["township_map"] = {"last_active_drawing": {
        "type": "Feature", "properties": {"township_code": other}}}
    at.run()
    assert not at.exception and page_ctx(at).codes == (mine,)
    # a client that sets the township picker's state to another township
    at.session_state["f_towns"] = [other]
    at.session_state["_pending_filters"] = {"f_towns": [other]}
    at.run()
    assert not at.exception and page_ctx(at).codes == (mine,)
    assert "t" not in at.query_params
    assert_only_own(county, page_text(at), "map after crafted state")


@pytest.mark.parametrize("name", ["leader", "analyst"])
def test_county_roles_see_every_township(county, county_app, demo_ledgers, name):
    at = sign_in(county_app, name, t=county.other)
    ctx = page_ctx(at)
    assert ctx.codes == (county.other,)
    assert len(ctx.county_report()["townships"]) == len(county.names)
    assert ctx.scope_figures() == expected_scope(demo_ledgers, ctx.as_of, [county.other])
