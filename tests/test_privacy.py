import numpy as np
import pandas as pd

from duzhan.privacy import (
    STARS,
    KnownIds,
    is_masked,
    lookups,
    mask_household_id,
    mask_household_ids,
    mask_personal_text,
)


def test_long_id_keeps_two_and_two():
    assert mask_household_id("522799101234517") == "52****17"
    assert mask_household_id("H1010001234") == "H1****34"
    assert mask_household_id("12345678") == "12****78"


def test_length_is_hidden():
    assert len(mask_household_id("H1010001234")) == len(mask_household_id("52279910123451700")) == 8


def test_short_ids_keep_less():
    assert mask_household_id("1234567") == "1****7"
    assert mask_household_id("H1234") == "H****4"
    assert mask_household_id("ABCD") == STARS
    assert mask_household_id("7") == STARS


def test_missing_stays_missing():
    for v in (None, np.nan, pd.NA, "", "   "):
        assert mask_household_id(v) is None


def test_strips_and_accepts_numbers():
    assert mask_household_id("  52279917  ") == "52****17"
    assert mask_household_id(52279917) == "52****17"


def test_series():
    s = pd.Series(["H1010001234", None, "AB"], index=[5, 6, 7])
    out = mask_household_ids(s)
    assert list(out.index) == [5, 6, 7]
    assert out[5] == "H1****34" and pd.isna(out[6]) and out[7] == STARS
    assert all(is_masked(v) for v in out if isinstance(v, str))


def test_no_mask_contains_the_id():
    ids = [f"H{n:010d}" for n in range(0, 10**10, 7919 * 10**5)]
    for i in ids:
        assert i not in mask_household_id(i)


def test_personal_numbers_in_free_text_are_masked():
    # an ID card (18, last X), a long household number, a mobile number, anywhere in text
    assert mask_personal_text("户 52270119800101123X 有误") == "户 52****3X 有误"
    assert mask_personal_text("DK1,5227011012010001,522701101") == "DK1,52****01,522701101"
    assert mask_personal_text("电话13812345678。") == "电话13****78。"
    # township (9 digits) and village (12 digits) codes, dates and amounts stay readable
    for text in ("522701101", "522701101201", "2024-06-30", "1,234,567.00", "W2020-001"):
        assert mask_personal_text(text) == text


def test_known_ids_and_their_format_are_masked():
    known = KnownIds.of(["H1014135523", "H12"])
    # a known id, whole or as a word; another id of the same format (not stored yet)
    assert mask_personal_text("H12", known) == STARS
    assert mask_personal_text("列 H1014135523、X", known) == "列 H1****23、X"
    assert mask_personal_text("H2099999999", known) == "H2****99"
    # other formats, and a short known id inside a word, are left alone
    assert mask_personal_text("H101413552", known) == "H101413552"
    assert mask_personal_text("AH12B", known) == "AH12B"
    assert not KnownIds.of([]) and mask_personal_text("H12", KnownIds.of([])) == "H12"


def test_known_ids_looked_up_for_a_texts_words_mask_it_as_all_of_them():
    """The importer asks the store only about `lookups(text)`: the ids and formats among
    those mask the text exactly as every known id does."""
    every = KnownIds.of(["H1014135523", "H12", "5227011012010001", "AB-1234"])
    for text in ["H12", " H12 ", "列 H1014135523、X", "H2099999999", "AH12B", "ab-1234",
                 "户 AB-1234 与 H12", "无数字", ""]:
        values, shapes = lookups(text)
        asked = KnownIds(every.values & values, every.shapes & shapes)
        assert mask_personal_text(text, asked) == mask_personal_text(text, every), text
    assert lookups("户 H12、AB-1234") == ({"户 H12、AB-1234", "H12", "AB-1234"}, {"AA-9999"})
