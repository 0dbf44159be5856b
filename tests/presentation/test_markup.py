"""The escaping rules for ledger text in HTML (folium's JS template literals, plotly) and in
Streamlit markdown."""
import html

import pytest

from duzhan.presentation.markup import escape, markdown_text


@pytest.mark.parametrize("text, expected", [
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("a & b", "a &amp; b"),
    # numeric references: plotly.js decodes them, not &quot;
    ("\"q\" 'q'", "&#34;q&#34; &#39;q&#39;"),
    ("`${alert(1)}`", "&#96;&#36;{alert(1)}&#96;"),
    ("C:\\x", "C:&#92;x"),
    ("红旗乡", "红旗乡"),
    (None, ""),
    (12, "12"),
])
def test_escape(text, expected):
    assert escape(text) == expected
    assert html.unescape(escape(text)) == ("" if text is None else str(text))


@pytest.mark.parametrize("text, expected", [
    ("<script>alert(2)</script>", r"\<script\>alert(2)\</script\>"),
    ("[点我](javascript:alert(4))", r"\[点我\](javascript\:alert(4))"),
    ("**粗** _斜_ ~~删~~ `码`", r"\*\*粗\*\* \_斜\_ \~\~删\~\~ \`码\`"),
    (":red[红] :small $x$ a|b #1 &lt;", r"\:red\[红\] \:small \$x\$ a\|b \#1 \&lt;"),
    ("一行\n# 标题\r\n- 列表", r"一行 \# 标题 - 列表"),
    ("C:\\x", r"C:\\x"),
    ("Phase 2: done", "Phase 2: done"),
    # numbers and dates keep their dots, dashes and brackets
    ("2026-06-30 · 12.5% (3)", "2026-06-30 · 12.5% (3)"),
    (None, ""),
])
def test_markdown_text(text, expected):
    assert markdown_text(text) == expected
