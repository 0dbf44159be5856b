"""The dashboard's pages, declared once: app.py's navigation, the page benchmark, the browser
test and the access tests all read this list (no Streamlit here).

Adding a page: write `pages/<slug>_page.py`, its title under `page.<slug>` in the catalogue
(zh and en), its AppTest `tests/pages/test_<slug>.py`, and one `PageEntry` below;
tests/test_page_registry.py fails until all four exist.
"""
from __future__ import annotations

from dataclasses import dataclass

from duzhan.auth import PERMISSIONS, ROLES, User

# who may open a page, by role, from duzhan.auth's one table of permissions
READERS = tuple(r for r in ROLES if "read" in PERMISSIONS[r])  # leader, analyst, township
IMPORTERS = tuple(r for r in ROLES if "import" in PERMISSIONS[r])  # analyst
ADMINS = tuple(r for r in ROLES if "admin" in PERMISSIONS[r])  # admin


@dataclass(frozen=True)
class PageEntry:
    slug: str  # the URL path (/map); also names the script and its test
    icon: str
    default: bool = False  # served at "/" (and at its slug)
    scoped: bool = True  # shows the figures of the filtered townships, within the reader's scope
    imports_data: bool = False  # writes to the store
    roles: tuple[str, ...] = READERS  # the roles that may open it (sign-in off: everyone)
    # only for a reader who sees more than one county: the province overview, first then
    counties: bool = False

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
    PageEntry("supervision", ":material/fact_check:"),
    PageEntry("households", ":material/family_restroom:"),
    PageEntry("data", ":material/upload_file:", scoped=False, imports_data=True,
              roles=IMPORTERS),
    PageEntry("audit", ":material/policy:", scoped=False, roles=ADMINS),
)


# the pages of a store of several counties only (their reader sees more than one), before
# every store's PAGES in the navigation
PROVINCE_PAGES: tuple[PageEntry, ...] = (
    PageEntry("province", ":material/account_tree:", scoped=False, counties=True),
)
ALL_PAGES = PROVINCE_PAGES + PAGES


def default_page() -> PageEntry:
    return next(p for p in PAGES if p.default)


def page(slug: str) -> PageEntry:
    return next(p for p in ALL_PAGES if p.slug == slug)


def scoped_pages() -> tuple[PageEntry, ...]:
    """The pages that show township figures: the reader's scope must hold on each."""
    return tuple(p for p in PAGES if p.scoped)



def open_to(entry: PageEntry, user: User | None) -> bool:
    """May `user` open the page? None (sign-in off, the local demo): every page."""
    return user is None or (not user.disabled and user.role in entry.roles)


def pages_for(user: User | None, several_counties: bool = False) -> tuple[PageEntry, ...]:
    """The pages `user` may open, in registry order; the navigation holds no other. The
    province pages only for a reader who sees more than one county."""
    pages = ALL_PAGES if several_counties else PAGES
    return tuple(p for p in pages if open_to(p, user))


def home_page(entries: tuple[PageEntry, ...]) -> PageEntry:
    """The page served at "/": the province overview when there is one, else the default
    page, or the first one the reader may open."""
    return next((p for p in entries if p.counties),
                next((p for p in entries if p.default), entries[0]))
