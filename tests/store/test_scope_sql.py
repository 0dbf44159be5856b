"""DataScope → WHERE clause with bound parameters, as a table (like datasette's filters)."""
import pytest
from sqlalchemy.dialects import sqlite

from duzhan.store.read import DataScope, _ledger_query


def compiled(ledger, scope):
    c = _ledger_query(ledger, scope.townships).compile(dialect=sqlite.dialect())
    sql = " ".join(str(c).split())
    where = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else None
    return where, [c.params[k] for k in c.positiontup] if c.positiontup else []


@pytest.mark.parametrize(
    "ledger, scope, where, params",
    [
        ("issues", DataScope(), None, []),
        ("issues", DataScope(selected=("101",)), "issues.township_code IN (__[POSTCOMPILE_township_code_1])", [["101"]]),
        ("tasks", DataScope(selected=("101", "102")), "tasks.township_code IN (__[POSTCOMPILE_township_code_1])", [["101", "102"]]),
        ("disbursements", DataScope(selected=("101",)), "projects.township_code IN (__[POSTCOMPILE_township_code_1])", [["101"]]),
        ("repayments", DataScope(selected=("102",)), "loans.township_code IN (__[POSTCOMPILE_township_code_1])", [["102"]]),
        ("phases", DataScope(selected=("101",)), None, []),  # phases are county-wide
        # a township user's limit wins over the filters: the intersection is read
        ("loans", DataScope(allowed=("101",), selected=("101", "102")), "loans.township_code IN (__[POSTCOMPILE_township_code_1])", [["101"]]),
        ("loans", DataScope(allowed=("101",)), "loans.township_code IN (__[POSTCOMPILE_township_code_1])", [["101"]]),
        ("loans", DataScope(allowed=("101",), selected=("102",)), "loans.township_code IN (__[POSTCOMPILE_township_code_1])", [[]]),
    ],
)
def test_scope_where_clause(ledger, scope, where, params):
    assert compiled(ledger, scope) == (where, params)


def _fake_ledger(monkeypatch, led, *columns):
    """Put a ledger and its table into the registries, as a new ledger would be."""
    from types import SimpleNamespace

    from sqlalchemy import Column, MetaData, String, Table

    from duzhan.contract import LEDGERS
    from duzhan.store.models import LEDGER_MODELS

    table = Table(led.key, MetaData(), *[Column(c, String) for c in columns])
    monkeypatch.setitem(LEDGERS, led.key, led)
    monkeypatch.setitem(LEDGER_MODELS, led.key, SimpleNamespace(__table__=table))


def test_a_ledger_without_a_township_is_read_whole_under_a_filter(monkeypatch):
    from duzhan.contract import Column, Ledger

    notes = Ledger("notes", "说明", "Notes", (Column("note_id", "编号", "text", True),),
                   upsert=("note_id",), township="none")
    _fake_ledger(monkeypatch, notes, "note_id")
    assert compiled("notes", DataScope(selected=("101",))) == (None, [])


def test_a_grandchild_reaches_its_township_through_the_chain(monkeypatch):
    from duzhan.contract import Column, Ledger, Parent

    def text(key):
        return Column(key, key, "text", True)

    # photos -> checks -> spots: the township of the spot
    spots = Ledger("spots", "点", "Spots", (text("spot_id"), text("township_code")),
                   upsert=("spot_id",))
    checks = Ledger("checks", "查", "Checks", (text("check_id"), text("spot_id")),
                    upsert=("check_id",), township="parent", parent=Parent("spot_id", "spots"))
    photos = Ledger("photos", "照", "Photos", (text("check_id"), text("photo_no")),
                    replace_by="check_id", township="parent",
                    parent=Parent("check_id", "checks"))
    _fake_ledger(monkeypatch, spots, "spot_id", "township_code")
    _fake_ledger(monkeypatch, checks, "check_id", "spot_id")
    _fake_ledger(monkeypatch, photos, "check_id", "photo_no")
    assert compiled("photos", DataScope(selected=("101",))) == (
        "spots.township_code IN (__[POSTCOMPILE_township_code_1])", [["101"]])
    sql = " ".join(str(_ledger_query("photos", None)).split())
    assert sql.startswith("SELECT photos.check_id, photos.photo_no, spots.township_code FROM "
                          "photos JOIN checks ON photos.check_id = checks.check_id JOIN spots "
                          "ON checks.spot_id = spots.spot_id")
