"""Every ledger of the contract (duzhan.contract.LEDGERS) has all its parts: a SQLAlchemy
model, a table after `alembic upgrade`, a template example, a demo recipe, catalogue labels
and oracle coverage. A ledger added to the contract alone fails here, part by part."""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import inspect

from duzhan.contract import LEDGERS, Column, Ledger
from duzhan.demo.generator import build_demo_frames
from duzhan.i18n import catalogue
from duzhan.ledgers.template import EXAMPLES
from duzhan.store.db import make_engine, upgrade
from duzhan.store.models import LEDGER_MODELS
from tests.metrics import oracle

DEMO_DAY = date(2026, 11, 26)


@dataclasses.dataclass
class Inventory:
    """What the rest of the code base provides per ledger key."""

    models: dict[str, set[str]]  # ledger -> columns of its model's table
    migrated: dict[str, set[str]]  # table -> columns, after `alembic upgrade`
    examples: dict[str, list[dict]]
    example_sheet: set[str]  # ledgers whose examples the template's 说明 sheet shows
    demo_rows: dict[str, int]
    catalogue: dict[str, dict[str, str]]
    oracle: dict[str, str]


def store_columns(led: Ledger) -> set[str]:
    cols = {led.store_key(c.key) for c in led.columns}
    return cols | ({"id"} if not led.upsert else set())  # replaced rows are deleted by id


def missing_parts(led: Ledger, inv: Inventory) -> list[str]:
    """The parts `led` lacks, by name ([] = complete)."""
    out = []
    want = store_columns(led)
    if led.key not in inv.models or not want <= inv.models[led.key]:
        out.append("model")
    table = inv.migrated.get(led.key)
    if table is None or not want <= table:
        out.append("migration")
    examples = inv.examples.get(led.key) or []
    if (not examples or any(set(ex) - set(led.keys) for ex in examples)
            or led.key not in inv.example_sheet):
        out.append("template example")
    if not inv.demo_rows.get(led.key):
        out.append("demo recipe")
    label = inv.catalogue.get(f"ledger.{led.key}", {})
    if not (label.get("zh") and label.get("en") and led.zh and led.en):
        out.append("catalogue label")
    if not all(c.zh and c.en for c in led.columns):
        out.append("column labels")
    if led.key not in inv.oracle or led.key not in oracle.read_ledgers({}):
        out.append("oracle")
    return out


def template_example_blocks(path) -> set[str]:
    """Ledgers with an example block (title, header, every example row) on the 说明 sheet
    of the template as downloaded; their own sheets hold the header only."""
    from openpyxl import load_workbook

    from duzhan.i18n import t
    from duzhan.ledgers.template import write_template

    write_template(path, lang="zh", examples=True)
    wb = load_workbook(path)
    readme = [r[0] for r in wb.worksheets[0].iter_rows(values_only=True)]
    found = set()
    for key, led in LEDGERS.items():
        title = t("import.template.examples_ledger", "zh", sheet=led.zh)
        if title in readme and led.zh in wb.sheetnames and wb[led.zh].max_row == 1:
            at = readme.index(title)
            ids = [ex.get(led.columns[0].key) for ex in EXAMPLES.get(key, [])]
            if readme[at + 2:at + 2 + len(ids)] == ids:
                found.add(key)
    return found


@pytest.fixture(scope="module")
def inventory(tmp_path_factory) -> Inventory:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('registry') / 'r.db'}")
    upgrade(engine)
    insp = inspect(engine)
    migrated = {t: {c["name"] for c in insp.get_columns(t)} for t in insp.get_table_names()}
    engine.dispose()
    return Inventory(
        models={k: set(m.__table__.c.keys()) for k, m in LEDGER_MODELS.items()},
        migrated=migrated,
        examples=dict(EXAMPLES),
        example_sheet=template_example_blocks(tmp_path_factory.mktemp("template") / "t.xlsx"),
        demo_rows={k: len(df) for k, df in build_demo_frames(DEMO_DAY).items()},
        catalogue=catalogue(),
        oracle=dict(oracle.LEDGERS_READ),
    )


@pytest.mark.parametrize("key", list(LEDGERS))
def test_ledger_is_complete(key, inventory):
    assert missing_parts(LEDGERS[key], inventory) == []


def test_every_mapped_table_is_a_ledger_the_import_log_or_sign_in():
    from duzhan.store.models import Base

    tables = {m.class_.__tablename__ for m in Base.registry.mappers}
    # a misspelt ledger shows here
    assert tables - set(LEDGERS) == {"imports", "import_lock", "users", "user_townships",
                                     "sign_in_failures", "audit_log"}
    assert all(m.__tablename__ == k for k, m in LEDGER_MODELS.items())


# --- the checker can fail -------------------------------------------------------------

WIDGETS = Ledger(
    "widgets", "小部件", "Widgets",
    (Column("widget_id", "部件编号", "text", True, unique=True, en="Widget id"),
     Column("township_code", "乡镇代码", "text", True, en=""),),
    upsert=("widget_id",),
)


def test_a_ledger_only_in_the_contract_lacks_every_part(monkeypatch, inventory):
    monkeypatch.setitem(LEDGERS, "widgets", WIDGETS)
    gaps = {k: missing_parts(led, inventory) for k, led in LEDGERS.items()}
    assert gaps["widgets"] == ["model", "migration", "template example", "demo recipe",
                               "catalogue label", "column labels", "oracle"]


def _without(d: dict, key: str) -> dict:
    return {k: v for k, v in d.items() if k != key}


@pytest.mark.parametrize("part, change", [
    ("model", lambda inv: dataclasses.replace(inv, models=_without(inv.models, "loans"))),
    ("model", lambda inv: dataclasses.replace(
        inv, models={**inv.models, "loans": inv.models["loans"] - {"principal_fen"}})),
    ("migration", lambda inv: dataclasses.replace(inv, migrated=_without(inv.migrated, "loans"))),
    ("template example", lambda inv: dataclasses.replace(
        inv, examples=_without(inv.examples, "loans"))),
    ("template example", lambda inv: dataclasses.replace(
        inv, examples={**inv.examples, "loans": [{"loan_idx": "1"}]})),
    ("template example", lambda inv: dataclasses.replace(
        inv, example_sheet=inv.example_sheet - {"loans"})),
    ("demo recipe", lambda inv: dataclasses.replace(inv, demo_rows={**inv.demo_rows, "loans": 0})),
    ("catalogue label", lambda inv: dataclasses.replace(
        inv, catalogue=_without(inv.catalogue, "ledger.loans"))),
    ("oracle", lambda inv: dataclasses.replace(inv, oracle=_without(inv.oracle, "loans"))),
])
def test_each_missing_part_is_reported(part, change, inventory):
    assert missing_parts(LEDGERS["loans"], change(inventory)) == [part]


def test_a_column_without_an_english_label_is_reported(inventory):
    loans = LEDGERS["loans"]
    cols = tuple(dataclasses.replace(c, en="") if c.key == "bank" else c for c in loans.columns)
    assert missing_parts(dataclasses.replace(loans, columns=cols), inventory) == ["column labels"]


def test_a_replaced_ledger_needs_the_row_id_in_its_table(inventory):
    inv = dataclasses.replace(
        inventory, migrated={**inventory.migrated,
                             "repayments": inventory.migrated["repayments"] - {"id"}})
    assert missing_parts(LEDGERS["repayments"], inv) == ["migration"]


# --- the contract checks itself when it is written ---------------------------------------

def _text(key: str) -> Column:
    return Column(key, key, "text", True, en=key)


@pytest.mark.parametrize("kwargs, message", [
    (dict(columns=(_text("x_id"),), upsert=("x_id",)), "needs township_code"),
    (dict(columns=(_text("x_id"),), upsert=("x_id",), township="optional"),
     "needs township_code"),
    (dict(columns=(_text("x_id"),), upsert=("x_id",), township="parent"), "needs a parent"),
    (dict(columns=(_text("x_id"),), upsert=("nope",), township="none"), "unknown column"),
    (dict(columns=(_text("x_id"),), township="none"), "either upsert or replace_by"),
    (dict(columns=(_text("x_id"),), upsert=("x_id",), replace_by="x_id", township="none"),
     "either upsert or replace_by"),
])
def test_an_inconsistent_ledger_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Ledger("x", "x", "X", **kwargs)


def test_relations_name_earlier_ledgers_only(monkeypatch):
    from duzhan.contract import ledgers as contract
    from duzhan.contract.spec import Reference, Target

    early = Ledger("early", "早", "Early", (_text("x_id"), _text("late_id")), upsert=("x_id",),
                   township="none",
                   references=(Reference("late_id", (Target("repayments"),), "unknown"),))
    monkeypatch.setattr(contract, "LEDGERS", {"early": early, **contract.LEDGERS})
    monkeypatch.setattr(contract, "LEDGER_ORDER", ("early", *contract.LEDGER_ORDER))
    with pytest.raises(ValueError, match=r"early names \['repayments'\]"):
        contract._check_relations()
