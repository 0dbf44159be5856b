"""Ledger text inside HTML: the one escaping rule for everything that reaches the browser.

    st.markdown(f"<b>{escape(name)}</b>", unsafe_allow_html=True)
    folium.Tooltip(escape(village))

Names, departments, sources and banks come from uploaded ledgers: they are data, never
markup. Besides the HTML specials (& < > " '), the backtick, ``$`` and backslash become
character references too, because folium pastes some texts into JavaScript template
literals (`` `<div>{{ text }}</div>` ``) before Leaflet sets them as innerHTML: there
`${…}` or a stray backtick would run as script, while a character reference is inert
and the browser shows the character itself.
"""
from __future__ import annotations

import html

_JS_TEMPLATE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def escape(value: object) -> str:
    """`value` as text that HTML (and a JS template literal holding HTML) shows verbatim."""
    return html.escape("" if value is None else str(value), quote=True).translate(_JS_TEMPLATE)
