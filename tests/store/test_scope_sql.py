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
