"""Status and scope in words, one home for every outlet (pages, map table, briefing pack):
the status word with its symbol, the Streamlit-markdown badge, reasons as sentences, and
the scope label (全县, a list of names, or “甲、乙、丙等5个乡镇”)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from duzhan.i18n import t
from duzhan.presentation.format import reason_text
from duzhan.presentation.markup import escape
from duzhan.presentation.palette import STATUS_COLORS, STATUS_SYMBOLS, STATUS_TEXT


def status_word(status: str, lang: str) -> str:
    """'● 红灯' — the symbol first, so colour is never the only cue."""
    return f"{STATUS_SYMBOLS[status]} {t(f'status.{status}', lang)}"


def status_badge(status: str, lang: str) -> str:
    """The status word on its palette colour, as HTML (st.markdown(..., unsafe_allow_html=
    True)): a solid chip, since Streamlit's named colours have no red or yellow that reads
    as such on a projector (its yellow text is brown, its red pink)."""
    return (f"<span class='duzhan-status duzhan-status-{status}' style='background:"
            f"{STATUS_COLORS[status]};color:{STATUS_TEXT[status]};padding:0 .4em;"
            f"border-radius:.3em;font-weight:600;white-space:nowrap'>"
            f"{escape(status_word(status, lang))}</span>")


def reason_texts(reasons: Sequence, lang: str) -> list[str]:
    """Status reasons (Reason, its dict, or a bare code) as sentences with their figures."""
    return [reason_text(r, lang) for r in reasons]


def joined_reasons(reasons: Sequence, lang: str, empty_key: str | None = None) -> str:
    """The reasons as one line, joined by the catalogue's separator (overview.sep); the text
    of `empty_key` when there are none (None: the empty string)."""
    text = t("overview.sep", lang).join(reason_texts(reasons, lang))
    return text or (t(empty_key, lang) if empty_key else "")


def scope_label(codes: Iterable[str] | None, names: Mapping[str, str] | Callable[[str], str],
                lang: str = "zh", county: str | None = None) -> str:
    """The scope as pages and exports word it: 全县 (None), 未选择 ([]), up to four names,
    or the first three and the count. `names`: code → name (a mapping or a function).
    `county`: in a store of several counties, the chosen county's name (or the words for
    all of them): it stands for 全县 and goes before the townships' names."""
    if codes is None:
        return county or t("scope.county", lang)
    codes = list(codes)
    if not codes:
        return t("scope.none", lang)
    label = names if callable(names) else (lambda c: names.get(c, c))
    labels = [label(c) for c in codes]
    if len(labels) > 4:
        text = t("scope.n_townships", lang, first="、".join(labels[:3]), n=len(labels))
    else:
        text = "、".join(labels)
    return text if county is None else t("scope.in_county", lang, county=county, townships=text)


__all__ = ["status_word", "status_badge", "reason_texts", "joined_reasons", "scope_label"]
