import numpy as np
import pandas as pd

from duzhan.privacy import STARS, is_masked, mask_household_id, mask_household_ids


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
