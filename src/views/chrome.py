"""The words Streamlit writes by itself, in English whatever the language and with no
parameter for them, replaced on the page by the catalogue's (CSS: the library's text hidden,
ours written in its place). `library_words` is drawn on every page (views.shell) and on the
sign-in page, `uploader_words` on the data page."""
from __future__ import annotations

import streamlit as st

from duzhan.i18n import t


def css_text(text: str) -> str:
    """`text` as a CSS string's content (the `content:"…"` of a pseudo-element)."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


# a table's or chart's toolbar button (its aria-label starts with the English label) →
# the catalogue key of the words its hover tooltip shows instead
TOOLBAR_WORDS = {"Search": "shell.toolbar_search", "Fullscreen": "shell.toolbar_fullscreen",
                 "Close fullscreen": "shell.toolbar_close_fullscreen",
                 "Show/hide columns": "shell.toolbar_columns"}


def toolbar_tooltips(lang: str) -> str:
    """CSS: the hover tooltip of a data grid's or chart's toolbar button ("Search",
    "Fullscreen", …) in the catalogue's words. The tooltip is drawn apart from its button
    (at the page's end), so it is picked by the button hovered while it shows."""
    rules = []
    for label, key in TOOLBAR_WORDS.items():
        hovered = (f'body:has([data-testid="stElementToolbarButton"] '
                   f'button[aria-label^="{css_text(label)}"]:hover)')
        # a prefix: the label may go on with ": <the element's name>"
        tip = f'{hovered} [data-testid="stTooltipContent"] [data-testid="stMarkdownContainer"] p'
        rules.append(f'{tip} {{font-size: 0}}\n'
                     f'{tip}::after {{content: "{css_text(t(key, lang))}"; font-size: 0.875rem}}')
    return "\n".join(rules)


def library_words(lang: str) -> None:
    """A select box's or multiselect's list that matches nothing says "No results"; a text
    input being typed in says "Press Enter to apply" (in a form: "to submit form"); a
    table's or chart's toolbar buttons say "Search", "Fullscreen" when hovered."""
    empty = '[role="listbox"][data-empty="true"] [role="option"] > span'
    enter = '[data-testid="InputInstructions"] > span:first-child'
    st.markdown(
        f"""<style>
        {empty} {{font-size: 0}}
        {empty}::after {{content: "{css_text(t("shell.no_results", lang))}";
          font-size: 0.875rem}}
        {enter} {{font-size: 0}}
        {enter}::after {{content: "{css_text(t("shell.press_enter", lang))}";
          font-size: 0.75rem}}
        {toolbar_tooltips(lang)}
        </style>""",
        unsafe_allow_html=True,
    )


def uploader_words(lang: str) -> None:
    """Streamlit's file uploader writes its button ("Upload") and its size line ("50MB per
    file • XLSX") in English whatever the language, with no parameter for either: hide both
    and write the catalogue's word in the button (the page's own caption says the limit)."""
    word = css_text(t("data.upload.button", lang))
    drop = '[data-testid="stFileUploaderDropzone"]'
    st.markdown(
        f"""<style>
        {drop} [data-testid="stFileUploaderDropzoneInstructions"] {{display:none}}
        {drop} button [data-testid="stMarkdownContainer"] p {{display:none}}
        {drop} button [data-testid="stMarkdownContainer"]::after {{content:"{word}"}}
        </style>""",
        unsafe_allow_html=True,
    )
