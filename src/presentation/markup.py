"""Ledger text inside HTML or markdown: the escaping rules for everything that reaches the
browser.

    st.markdown(f"<b>{escape(name)}</b>", unsafe_allow_html=True)
    folium.Tooltip(escape(village))
    st.caption(markdown_text(t("stamp.line", scope=scope, …)))

Names, departments, sources and banks come from uploaded ledgers: they are data, never
markup. Besides the HTML specials (& < > " '), the backtick, ``$`` and backslash become
character references too, because folium pastes some texts into JavaScript template
literals (`` `<div>{{ text }}</div>` ``) before Leaflet sets them as innerHTML: there
`${…}` or a stray backtick would run as script, while a character reference is inert
and the browser shows the character itself. Quotes become numeric references (``&#34;``,
not ``&quot;``) because plotly.js, which reads its texts as a small HTML dialect
(``<b>``, ``<br>``, ``<a href>``), decodes numeric references but not ``&quot;``; so the
same rule serves HTML, JS template literals and plotly (see ``charts.plain_figure``).

Streamlit draws st.markdown, st.caption, st.subheader, st.info… and card labels as
markdown: :func:`markdown_text` backslash-escapes what markdown (and Streamlit's
``:red[…]`` and ``$…$``) would read as markup, and folds line breaks, which would start
a list or a heading.
"""
from __future__ import annotations

import re

_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;",
                       "`": "&#96;", "$": "&#36;", "\\": "&#92;"})
# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that start
# inline markup mid-line (emphasis, links, code, raw HTML, entities, strikethrough, maths,
# tables, headings, and Streamlit's directives ":red[…]", ":small", where a colon before
# a letter starts one); dots, dashes and brackets of numbers and dates, and a colon before a
# space ("Phase 2: …"), stay as they are
_MARKDOWN = re.compile(r"([\\`*_\[\]<>&~$|#]|:(?=[A-Za-z]))")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def escape(value: object) -> str:
    """`value` as text that HTML (a JS template literal holding HTML, plotly) shows verbatim."""
    return ("" if value is None else str(value)).translate(_HTML)


def markdown_text(value: object) -> str:
    """`value` as Streamlit markdown that shows it verbatim, on one line."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    return _MARKDOWN.sub(r"\\\1", text)
