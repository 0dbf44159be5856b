"""The one escaping rule for ledger text in HTML (and in folium's JS template literals)."""
import html

import pytest

from duzhan.presentation.markup import escape


@pytest.mark.parametrize("text, expected", [
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("a & b", "a &amp; b"),
    ("\"q\" 'q'", "&quot;q&quot; &#x27;q&#x27;"),
    ("`${alert(1)}`", "&#96;&#36;{alert(1)}&#96;"),
    ("C:\\x", "C:&#92;x"),
    ("红旗乡", "红旗乡"),
    (None, ""),
    (12, "12"),
])
def test_escape(text, expected):
    assert escape(text) == expected
    assert html.unescape(escape(text)) == ("" if text is None else str(text))
