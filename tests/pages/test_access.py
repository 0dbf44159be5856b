"""The reader's access is enforced at the data boundary: a reader limited to one township
sees only its rows on every page, whatever the URL asks for (sign-in will set the limit)."""
import pytest

from duzhan.store.read import DataScope
from duzhan.views import registry, shell
from tests.pages.conftest import expected_scope, open_page, page_ctx

PAGES = [p.slug for p in registry.scoped_pages()]


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
