"""The one shared metrics engine (shared/contract/metrics.md): pure functions of the ledger
frames (:class:`duzhan.metrics.frames.Ledgers`) and an as-of date D. No UI imports here.

Modules: ``frames`` (input convention), ``issues``, ``funds``, ``loans``, ``phases``,
``status`` (red/yellow/green and reasons), ``report`` (the ``metrics`` command object and
scope aggregates), ``table`` (plain-text rendering of a report).
"""
