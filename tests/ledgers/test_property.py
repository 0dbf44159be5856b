"""Random garbage in any cell of any ledger never raises out of `import_files`."""
from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from duzhan.contract import LEDGER_ORDER, LEDGERS
from duzhan.ledgers import SourceFile, format_report, import_files, problems_frame
from duzhan.ledgers.template import EXAMPLES

from .helpers import csv_bytes, dump, example_files, xlsx_bytes

VALID = sorted({str(v) for rows in EXAMPLES.values() for r in rows for v in r.values()
                if v is not None})
WEIRD = ["", " ", "\u200b", "１２", "２０２４年６月３０日", "-0", "1e309", "0x10", "٣", "Ⅻ",
         "NaN", "inf", "-", ".", ",", "1,2,3", "2024-02-30", "9" * 30, "是否", "TRUE",
         "😀" * 70, "=1+1", "'001", "\u202e001", "NULL", "None", "2024年13月1日", "\ufeff"]

scalar = st.one_of(
    st.none(),
    st.text(max_size=80),
    st.sampled_from(VALID),
    st.sampled_from(WEIRD),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
)


@st.composite
def ledger_files(draw):
    files = []
    for key in draw(st.lists(st.sampled_from(LEDGER_ORDER), min_size=1, max_size=4,
                             unique=True)):
        led = LEDGERS[key]
        cols = draw(st.lists(st.sampled_from(led.columns), min_size=1,
                             max_size=len(led.columns), unique=True))
        header = [draw(st.sampled_from([c.key, c.zh, c.key.upper(), f" {c.zh} "]))
                  for c in cols]
        if draw(st.booleans()):
            header.append(draw(st.text(max_size=10)))
        rows = draw(st.lists(st.lists(scalar, min_size=len(header), max_size=len(header)),
                             max_size=6))
        if draw(st.booleans()):
            files.append(SourceFile(f"{key}.csv", csv_bytes(header, rows,
                                                            draw(st.sampled_from(
                                                                ["utf-8", "utf-8-sig"])))))
        else:
            def clean(v):
                if isinstance(v, str):
                    return ILLEGAL_CHARACTERS_RE.sub("", v)
                return v

            sheet = [[clean(h) for h in header]] + [[clean(v) for v in r] for r in rows]
            files.append(SourceFile("book.xlsx" if not files else f"book{len(files)}.xlsx",
                                    xlsx_bytes({draw(st.sampled_from([led.key, led.zh])): sheet})))
    return files


@settings(max_examples=int(os.environ.get("DUZHAN_FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=ledger_files())
def test_garbage_never_raises(engine, files):
    if not dump(engine)["townships"]:
        assert import_files(engine, example_files(), user="seed").accepted
    before = dump(engine)
    res = import_files(engine, files, user="fuzz")
    event("accepted" if res.accepted else "refused")
    assert res.import_id is not None
    if not res.accepted:
        after = dump(engine)
        assert after == before
        assert res.problems
    for lang in ("zh", "en"):
        format_report(res, lang)
        problems_frame(res.problems, lang)
        for p in res.problems + res.warnings:
            p.message(lang)
            assert len(p.value) <= 60


@st.composite
def examples_with_garbage(draw):
    """The consistent example county with a few cells replaced by anything."""
    overrides = {}
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        key = draw(st.sampled_from(LEDGER_ORDER))
        rows = overrides.setdefault(key, [dict(r) for r in EXAMPLES[key]])
        row = draw(st.sampled_from(rows))
        col = draw(st.sampled_from(LEDGERS[key].keys))
        v = draw(scalar)
        row[col] = ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
    return overrides


@settings(max_examples=int(os.environ.get("DUZHAN_FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(overrides=examples_with_garbage(), as_xlsx=st.booleans())
def test_one_bad_cell_is_reported_or_imported_idempotently(engine, overrides, as_xlsx):
    files = example_files(**overrides)
    if as_xlsx:
        sheets = {}
        for key in LEDGER_ORDER:
            rows = overrides.get(key, EXAMPLES[key])
            sheets[key] = [LEDGERS[key].keys] + [[r.get(k) for k in LEDGERS[key].keys]
                                                 for r in rows]
        files = [SourceFile("county.xlsx", xlsx_bytes(sheets))]
    before = dump(engine)
    res = import_files(engine, files, user="fuzz")
    event("accepted" if res.accepted else "refused")
    if res.accepted:
        again = import_files(engine, files, user="fuzz")
        assert again.accepted
        assert all(c["new"] == c["changed"] == c["removed"] == 0 for c in again.changes.values())
    else:
        assert dump(engine) == before
        assert all(p.message("en") for p in res.problems)
