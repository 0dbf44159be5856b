"""The briefing pack's 户情 page, from the 户情 page's own view model: its cards (with the
change since last week) are the page's, its charts the page's, and its list of households
waiting for assistance the page's list, ids masked; for a township too."""
from __future__ import annotations

from duzhan.exports.brief import brief_inputs, content, plan
from duzhan.metrics import household_series as hs
from duzhan.privacy import is_masked
from duzhan.viewmodels import households
from duzhan.viewmodels.source import LedgerSource
from tests.exports.helpers import as_of, demo_engine  # noqa: F401


def waiting_day(ledgers, as_of):
    """The last week of the campaign up to `as_of` with households waiting > 15 days."""
    days = hs.replay_days(hs.campaign_start(ledgers.phases), as_of)
    m = hs.monitoring_series(ledgers.monitored, days)
    return m[m["unassisted_over_15d"] > 0]["date"].iloc[-1].date()


def test_the_households_page_is_the_dashboard_page(demo_engine, demo_ledgers, as_of):
    as_of = waiting_day(demo_ledgers, as_of)
    inputs = brief_inputs(demo_engine, as_of)
    page_vm = households.build(LedgerSource(demo_ledgers, as_of))
    pack_vm = content.households_model(inputs)
    assert [(c.label, c.value, c.now, c.then) for c in pack_vm.cards] == \
        [(c.label, c.value, c.now, c.then) for c in page_vm.cards]
    changes = content.topic_changes(inputs)["households"]
    assert [c.value for c in changes] == [c.value for c in page_vm.cards]
    assert all(c.change is not None for c in changes if c.value != "—")
    pages = plan(inputs)
    page = next(p for p in pages if p.key == "households")
    assert page.slots[0].kind == "cards" and [s.kind for s in page.slots[1:]] == ["chart"] * 3
    assert page.slots[1].make().layout.title.text == \
        page_vm.gaps_over_time.figure.layout.title.text
    # the list: the page's households, masked, longest waiting first, over as many pages
    rows = [r for p in pages if p.key == "households" and p.slots[0].kind == "table"
            for r in p.slots[0].payload.rows]
    table = page_vm.unassisted
    assert table is not None and len(rows) == len(table.frame) > 0
    assert [r["household"] for r in rows] == list(table.frame["household"])
    assert all(is_masked(r["household"]) for r in rows)
    raw = set(demo_ledgers.monitored["household_id"])
    assert not {r["household"] for r in rows} & raw
    assert inputs.figures["monitoring"]["unassisted_over_15d"] == len(rows)


def test_one_township(demo_engine, demo_ledgers, as_of):
    code = demo_ledgers.monitored["township_code"].value_counts().index[0]
    inputs = brief_inputs(demo_engine, as_of, townships=[code])
    vm = content.households_model(inputs)
    page_vm = households.build(LedgerSource(demo_ledgers, as_of, codes=(code,)))
    assert [c.value for c in vm.cards] == [c.value for c in page_vm.cards]
    assert vm.gaps_by_township is None  # one township: nothing to compare
    note = content.page_notes(inputs)["households"]
    assert inputs.figures["guarantees"]["any_gap"] >= 0 and note


def test_the_packs_map_draws_every_relocation_site(demo_engine, as_of):
    from duzhan.exports import mplstyle
    from duzhan.exports.brief.pdf import page_figures
    from duzhan.exports.mapimage import SITE_GID

    inputs = brief_inputs(demo_engine, as_of, ["522799109"])  # one township: every site
    sites = content.map_sites(inputs)
    assert len(sites) == len(inputs.full.sites) >= 3
    (page,) = [p for p in plan(inputs) if p.key == "map"]
    with mplstyle.style():
        (fig,) = page_figures(inputs, [page])
        layers = [c for ax in fig.axes for c in ax.collections if c.get_gid() == SITE_GID]
    assert len(layers) == 1 and len(layers[0].get_offsets()) == len(sites)
