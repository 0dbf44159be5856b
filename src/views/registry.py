"""The dashboard's pages, declared once: app.py's navigation, the page benchmark, the browser
test and the access tests all read this list (no Streamlit here).

Adding a page: write `pages/<slug>_page.py`, its title under `page.<slug>` in the catalogue
(zh and en), its AppTest `tests/pages/test_<slug>.py`, and one `PageEntry` below;
tests/test_page_registry.py fails until all four exist.
"""
from __future__ import annotations

from dataclasses import dataclass

READER = "reader"  # reads the dashboard within its `reader_access` scope
IMPORTER = "importer"  # also imports ledgers
ROLES = (READER, IMPORTER)


@dataclass(frozen=True)
class PageEntry:
    slug: str  # the URL path (/map); also names the script and its test
    icon: str
    default: bool = False  # served at "/" (and at its slug)
    scoped: bool = True  # shows the figures of the filtered townships, within the reader's scope
    imports_data: bool = False  # writes to the store
    roles: tuple[str, ...] = ROLES  # who may open it once sign-in lands (today: everyone)

    @property
    def script(self) -> str:
        """The page script, relative to the checkout (st.Page takes it relative to app.py).
        No stem equals its slug: a fresh server's legacy pages/ lookup would otherwise run
        a deep-linked page (/issues?t=…) without app.py (see duzhan.serve)."""
        return f"pages/{self.slug}_page.py"

    @property
    def title_key(self) -> str:
        return f"page.{self.slug}"

    @property
    def test_file(self) -> str:
        """The page's AppTest, relative to the checkout."""
        return f"tests/pages/test_{self.slug}.py"


PAGES: tuple[PageEntry, ...] = (
    PageEntry("overview", ":material/dashboard:", default=True),
    PageEntry("map", ":material/map:"),
    PageEntry("phases", ":material/timeline:"),
    PageEntry("issues", ":material/checklist:"),
    PageEntry("funds", ":material/payments:"),
    PageEntry("loans", ":material/account_balance:"),
    PageEntry("households", ":material/family_restroom:"),
    PageEntry("data", ":material/upload_file:", scoped=False, imports_data=True),
)


def default_page() -> PageEntry:
    return next(p for p in PAGES if p.default)


def page(slug: str) -> PageEntry:
    return next(p for p in PAGES if p.slug == slug)


def scoped_pages() -> tuple[PageEntry, ...]:
    """The pages that show township figures: the reader's scope must hold on each."""
    return tuple(p for p in PAGES if p.scoped)

