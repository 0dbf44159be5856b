"""The page registry is complete: every page has its script, its title in both languages
and its AppTest, and its URL slug is one Streamlit can serve."""
from __future__ import annotations

import re

import pytest

from duzhan import paths
from duzhan.i18n import LANGS, catalogue
from duzhan.views import registry

PAGES = registry.ALL_PAGES
IDS = [p.slug for p in PAGES]


@pytest.mark.parametrize("entry", PAGES, ids=IDS)
def test_page_has_script_title_and_apptest(entry):
    assert (paths.REPO_ROOT / entry.script).is_file(), entry.script
    texts = catalogue().get(entry.title_key)
    assert texts is not None, f"{entry.title_key} missing from the catalogue"
    assert all(texts.get(lang, "").strip() for lang in LANGS), texts
    test = paths.REPO_ROOT / entry.test_file
    assert test.is_file(), f"{entry.slug}: its AppTest belongs in {entry.test_file}"


@pytest.mark.parametrize("entry", PAGES, ids=IDS)
def test_slug_is_servable(entry):
    assert re.fullmatch(r"[a-z][a-z0-9-]*", entry.slug), entry.slug
    # a stem equal to the slug would let the legacy pages/ lookup run the page without app.py
    assert (paths.REPO_ROOT / entry.script).stem != entry.slug
    assert set(entry.roles) <= set(registry.ROLES) and entry.roles


def test_one_default_page_and_unique_slugs():
    assert [p.slug for p in PAGES if p.default] == [registry.default_page().slug]
    assert len(set(IDS)) == len(IDS)
    assert len({p.script for p in PAGES}) == len(PAGES)


def test_every_page_script_is_registered():
    """A page file that is not in the registry would never be reachable."""
    on_disk = {p.relative_to(paths.REPO_ROOT).as_posix()
               for p in (paths.REPO_ROOT / "pages").glob("*.py")}
    assert on_disk == {p.script for p in PAGES}
