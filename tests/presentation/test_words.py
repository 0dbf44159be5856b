"""Status and scope in words: the one home every page and export reads."""
from __future__ import annotations

from duzhan.metrics.status import Reason
from duzhan.presentation.words import (
    joined_reasons,
    reason_texts,
    scope_label,
    status_badge,
    status_word,
)


def test_status_word_has_its_symbol_and_the_catalogue_word():
    assert status_word("red", "zh") == "● 红灯"
    assert status_word("yellow", "en").startswith("▲ ")
    # the badge is a chip on the palette colour, with the text colour made for that fill
    yellow = status_badge("yellow", "zh")
    assert "▲ 黄灯</span>" in yellow
    assert "background:#FBC02D;color:#1A1A1A" in yellow
    assert "background:#C62828;color:#FFFFFF" in status_badge("red", "en")


def test_reasons_in_words():
    r = Reason("overdue_issues", "red", 3, 0)
    (text,) = reason_texts([r], "zh")
    assert "3" in text
    assert joined_reasons([r, r], "zh") == f"{text}；{text}"
    assert joined_reasons([], "zh") == ""
    assert joined_reasons([], "zh", "reason.none") != ""


def test_scope_label_from_a_mapping_or_a_function():
    names = {f"c{i}": f"{i}镇" for i in range(6)}
    assert scope_label(None, names) == "全县"
    assert scope_label(["c1", "c2"], names) == "1镇、2镇"
    assert scope_label(["c1", "zz"], names) == "1镇、zz"
    assert scope_label(list(names), names.get) == "0镇、1镇、2镇等6个乡镇"
    assert scope_label(None, names, "en") != "全县"
