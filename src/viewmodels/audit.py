"""审计日志 Audit log: the entries as a table (when in Beijing time, kind in words, who,
the detail as one line), for the admin page and its Excel download."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from duzhan import clock
from duzhan.auth import ROLES, AuditEntry
from duzhan.i18n import catalogue, t
from duzhan.presentation import format as fmt
from duzhan.viewmodels.spec import Column, Table

COLUMNS = ("at", "kind", "user", "detail")
WORDED = ("method", "reason", "outcome", "action")  # keys whose values are words


@dataclass(frozen=True)
class AuditView:
    table: Table


def _word(prefix: str, text: str, lang: str) -> str:
    """The catalogue's word for a recorded key or value, else the text as recorded."""
    key = f"{prefix}.{text}"
    return t(key, lang) if key in catalogue() else text


def _value(key: str, value: Any, lang: str) -> str:
    sep = t("data.list_sep", lang)
    if key == "scope" and value is None:  # an export of every township
        return t("audit.county", lang)
    if key == "role" and value in ROLES:
        return t(f"auth.role.{value}", lang)
    if isinstance(value, list | tuple):
        return sep.join(_value("", v, lang) for v in value) or fmt.DASH
    if isinstance(value, dict):
        return sep.join(f"{k}={_value(k, v, lang)}" for k, v in value.items())
    if value is None:
        return fmt.DASH
    if isinstance(value, str) and key in WORDED:
        return _word("audit.value", value, lang)
    return str(value)


def detail_text(detail: dict[str, Any], lang: str) -> str:
    """The detail as `key: value` pairs in the order written, in the reader's language."""
    colon = "：" if lang == "zh" else ": "
    return "; ".join(f"{_word('audit.key', k, lang)}{colon}{_value(k, v, lang)}"
                     for k, v in detail.items())


def build(entries: Iterable[AuditEntry], lang: str) -> AuditView:
    entries = list(entries)
    frame = pd.DataFrame({
        "at": [fmt.moment(clock.beijing_time(e.at), lang, seconds=True) for e in entries],
        "kind": [t(f"auth.kind.{e.kind}", lang) for e in entries],
        "user": [e.user_name or t("audit.no_user", lang) for e in entries],
        "detail": [detail_text(e.detail, lang) for e in entries],
    }, columns=list(COLUMNS))
    columns = (Column("at", t("audit.col.at", lang)), Column("kind", t("audit.col.kind", lang)),
               Column("user", t("audit.col.user", lang)),
               Column("detail", t("audit.col.detail", lang), width="large"))
    return AuditView(Table(frame, columns, "audit_log", order=COLUMNS, key="audit_table"))


__all__ = ["AuditView", "build", "detail_text"]
