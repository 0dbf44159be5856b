"""The ``metrics`` command output (shared/contract/metrics.md) and scope aggregates.

:func:`metrics_report` returns exactly the contract's JSON object, JSON-ready: dates as
``"YYYY-MM-DD"``, amounts as numbers rounded to 2 decimals, rates rounded to 6 decimals,
``None`` (null) for zero denominators. Townships are computed in one groupby per ledger.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from duzhan.metrics import funds as _funds
from duzhan.metrics import households as _households
from duzhan.metrics import issues as _issues
from duzhan.metrics import loans as _loans
from duzhan.metrics import phases as _phases
from duzhan.metrics import reports as _reports
from duzhan.metrics import supervision as _supervision
from duzhan.metrics._util import group_column, scope_key
from duzhan.metrics.frames import Ledgers, to_date
from duzhan.metrics.output import asked_townships, json_scope, status_entry
from duzhan.metrics.status import scope_status


def _campaign_tables(ledgers: Ledgers, D: Any,
                     scope: list[str] | None = None) -> dict[str, Any]:
    """The tables of D the supervision and household blocks are counted from, made once per
    report, of the townships ``scope`` (None = every row). "Not in use yet" asks about the
    whole store (``Ledgers.in_use``, also after a read limited in SQL), and a household
    counts by its latest check anywhere, so that reads every row."""
    L = ledgers
    S = L if scope is None else L.scoped(scope)
    checks = _households.latest_checks(L.guarantees, D)
    if scope is not None:
        checks = checks[checks["township_code"].isin(scope).to_numpy()]
    return {
        "supervision": _supervision.supervision_tables(
            S.villages, S.sites, S.supervisions, S.phases, D,
            in_use=L.in_use("supervisions", D)),
        "report_grid": _reports.report_grid(S.townships, S.reports, S.phases, D),
        "reports_in_use": L.in_use("reports", D),
        "monitored": _households.monitoring_flags(S.monitored, D),
        "checks": checks,
        "sites": _households.site_table(S.sites, S.site_checks, D),
        "townships": S.townships,
    }


def _campaign_grouped(tb: dict[str, Any], key: Any,
                      groups: list[Any]) -> dict[Any, dict[str, Any]]:
    """The supervision and household blocks of each group (key: see
    ``_util.group_column``)."""
    per = {
        "supervision": _supervision.supervision_grouped(tb["supervision"], key, groups),
        "reports": _reports.report_grouped(tb["report_grid"], tb["reports_in_use"], key,
                                           groups),
        "monitoring": _households.monitoring_grouped(tb["monitored"], key, groups),
        "guarantees": _households.guarantees_grouped(tb["checks"], tb["townships"], key,
                                                     groups),
        "relocation": _households.relocation_grouped(tb["sites"], key, groups),
    }
    return {g: {b: per[b][g] for b in per} for g in groups}


def _campaign_figures(ledgers: Ledgers, D: Any, townships: list[str] | None,
                      tables: dict[str, Any] | None = None) -> dict:
    """The supervision and household blocks of one scope (None = every row)."""
    tb = _campaign_tables(ledgers, D, townships) if tables is None else tables
    return _campaign_grouped(tb, scope_key(None), [0])[0]


def _result_figures(ledgers: Ledgers, D: Any, project_table: Any = None,
                    loan_table: Any = None) -> dict[str, Any]:
    """The issues, funds, loans and phases blocks of all rows of ``ledgers``."""
    return {
        "issues": _issues.issue_metrics(ledgers.issues, D),
        "funds": _funds.fund_metrics(ledgers.projects, ledgers.disbursements, D,
                                     table=project_table),
        "loans": _loans.loan_metrics(ledgers.loans, ledgers.repayments, D, table=loan_table),
        "phases": _phases.phase_metrics(ledgers.phases, ledgers.tasks, D),
    }


def _figures(ledgers: Ledgers, D: Any, project_table: Any = None,
             loan_table: Any = None, tables: dict[str, Any] | None = None) -> dict[str, Any]:
    """Native figures (Decimal amounts, date objects, exact 'behind') of all rows."""
    return {**_result_figures(ledgers, D, project_table, loan_table),
            **_campaign_figures(ledgers, D, None, tables)}


def _scope_figures(ledgers: Ledgers, D: Any, codes: list[str] | None,
                   county: str | None = None) -> dict[str, Any]:
    """Native figures of the townships ``codes`` (None = every row), with the county-wide
    tasks of ``county`` when given."""
    if codes is None:
        return _figures(ledgers, D)
    return {**_result_figures(ledgers.scoped(codes, county), D),
            **_campaign_figures(ledgers, D, codes)}


def _relabel(df, key: dict[str, str]):
    """``df`` with each row's township_code replaced by its group (NA: in no group)."""
    return df.assign(township_code=group_column(df["township_code"], key).to_numpy())


def _grouped_figures(ledgers: Ledgers, D: Any, groups: list[str], ptable: Any, ltable: Any,
                     tables: dict[str, Any],
                     county_of: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """Native figures of each township (``county_of`` None) or of each county (``county_of``:
    township_code -> county_code; a county's county-wide tasks count for it), one grouped
    pass per block."""
    L = ledgers
    if county_of is None:
        issues, projects, disbursements, tasks = L.issues, L.projects, L.disbursements, L.tasks
    else:
        issues, projects, disbursements, ptable, ltable = (
            _relabel(df, county_of) for df in (L.issues, L.projects, L.disbursements,
                                               ptable, ltable))
        g = group_column(L.tasks["township_code"], county_of)
        tasks = L.tasks.assign(township_code=g.where(L.tasks["township_code"].notna(),
                                                     L.tasks["county_code"]).to_numpy())
    per = {
        "issues": _issues.issue_metrics_by(issues, D, "township_code", groups=groups),
        "funds": _funds.fund_metrics_by(projects, disbursements, D, groups=groups,
                                        table=ptable),
        "loans": _loans.loan_metrics_by(L.loans, L.repayments, D, "township_code",
                                        groups=groups, table=ltable),
        "phases": _phases.phase_metrics_by(L.phases, tasks, D, groups=groups),
    }
    camp = _campaign_grouped(tables, county_of, groups)
    return {g: {**{b: per[b][g] for b in per}, **camp[g]} for g in groups}


def _check_codes(ledgers: Ledgers, townships: Iterable[str] | str | None,
                 county: str | None = None) -> list[str]:
    known = ledgers.township_codes() if county is None else ledgers.county_townships(county)
    return asked_townships(known, townships, county)


def _check_county(ledgers: Ledgers, county: str | None) -> None:
    if county is not None and county not in ledgers.counties():
        raise ValueError(f"unknown county code: {county}")


def metrics_report(ledgers: Ledgers, as_of: Any, townships: Iterable[str] | None = None,
                   county: str | None = None) -> dict[str, Any]:
    """The contract's ``metrics`` command object::

        {"as_of": "YYYY-MM-DD",
         "county": {<every block>, "status"},
         "townships": [{"township_code", "township_name", <every block>, "status",
                        "status_reasons": [code, ...]}, ...],
         "counties": [{"county_code", "county_name", <every block>, "status",
                       "status_reasons"}, ...]}   # only in a store of several counties

    Blocks: issues, funds, loans, phases, supervision, reports, monitoring, guarantees,
    relocation. ``county`` uses all rows (county-wide tasks included), or with ``county``
    given that county's townships and its own county-wide tasks. ``townships`` lists the
    codes asked for (None/[] = every township, of that county when given), sorted by
    code, each with only its own rows, also when it has none. ``counties`` (when the
    store's townships name more than one county_code) lists the counties in scope — every
    county, or the one asked for — sorted by code; a township without a county_code is in
    no county (it counts in the roll-up), and a store of one county has no ``counties``
    key. Tasks with neither township nor county count only for the roll-up. An unknown
    township or county code, or a township outside the county asked for, raises
    ValueError.
    """
    D = to_date(as_of)
    _check_county(ledgers, county)
    codes = _check_codes(ledgers, townships, county)
    counties = ledgers.counties()
    # one county: its rows alone (its townships' and its county-wide tasks)
    scope = None if county is None else ledgers.county_townships(county)
    source = ledgers if county is None else ledgers.scoped(scope, county)
    ptable = _funds.project_table(source.projects, source.disbursements, D)
    ltable = _loans.loan_table(source.loans, source.repayments, D)
    tables = _campaign_tables(ledgers, D, scope)
    county_fig = _figures(source, D, ptable, ltable, tables)
    county_figs: dict[str, dict[str, Any]] = {county: county_fig} if county else {}
    if len(counties) > 1 and county is None:
        county_figs = _grouped_figures(ledgers, D, list(counties), ptable, ltable, tables,
                                       ledgers.county_of_township())
    out: dict[str, Any] = {"as_of": D.date().isoformat()}
    out["county"] = json_scope(county_fig)
    out["county"]["status"] = scope_status(county_fig)[0]

    per = _grouped_figures(source, D, codes, ptable, ltable, tables)
    names = dict(zip(ledgers.townships["township_code"], ledgers.townships["township_name"],
                     strict=False))
    out["townships"] = [{"township_code": c, "township_name": names.get(c),
                         **json_scope(per[c]), **status_entry(per[c])} for c in codes]
    if len(counties) > 1:
        out["counties"] = [{"county_code": c, "county_name": counties[c],
                            **json_scope(fig), **status_entry(fig)}
                           for c, fig in county_figs.items()]
    return out


def scope_metrics(ledgers: Ledgers, as_of: Any,
                  townships: Iterable[str] | str | None = None,
                  county: str | None = None) -> dict[str, Any]:
    """JSON-ready figures of one scope: the sum of the given townships' rows (county-wide
    tasks excluded), the county ``county`` (its townships and its county-wide tasks; with
    ``townships``, those of them), or the whole store when both are None/[].

    ``{"townships": [codes] | None, "county": code | None, <every block>, "phases" (with
    "behind"), "status", "status_reasons": [code, ...], "status_details": [{code, level,
    value, threshold}, ...]}``. An unknown county, or a township outside it, raises
    ValueError."""
    D = to_date(as_of)
    _check_county(ledgers, county)
    if isinstance(townships, str):
        townships = [townships]
    if county is not None:
        codes = _check_codes(ledgers, townships, county) if townships else None
    else:  # a reader's scope may name townships its frames do not hold: they add nothing
        codes = sorted(set(townships)) if townships else None
    if codes is None and county is not None:
        fig = _scope_figures(ledgers, D, ledgers.county_townships(county), county)
    else:
        fig = _scope_figures(ledgers, D, codes)
    status, reasons = scope_status(fig)
    out: dict[str, Any] = {"townships": codes, "county": county}
    out.update(json_scope(fig))
    out["phases"]["behind"] = fig["phases"]["behind"]
    out["status"] = status
    out["status_reasons"] = [r.code for r in reasons]
    out["status_details"] = [r.to_dict() for r in reasons]
    return out
