"""督战看板 duzhan — entry point: shared sidebar filters, then the chosen page."""
import streamlit as st

from duzhan.i18n import t
from duzhan.views import shell

st.set_page_config(page_title="督战看板 · duzhan", page_icon="🚩", layout="wide")

ctx = shell.start()
# No file stem equals its URL slug: on a fresh server Streamlit's legacy pages/ lookup would
# otherwise run a deep-linked page (/issues?t=…) without this script, and fail.
PAGES = [
    ("pages/overview_page.py", "page.overview", "overview", ":material/dashboard:"),
    ("pages/map_page.py", "page.map", "map", ":material/map:"),
    ("pages/phases_page.py", "page.phases", "phases", ":material/timeline:"),
    ("pages/issues_page.py", "page.issues", "issues", ":material/checklist:"),
    ("pages/funds_page.py", "page.funds", "funds", ":material/payments:"),
    ("pages/loans_page.py", "page.loans", "loans", ":material/account_balance:"),
    ("pages/data_page.py", "page.data", "data", ":material/upload_file:"),
]
nav = st.navigation(
    [st.Page(path, title=t(key, ctx.lang), url_path=slug, icon=icon, default=(slug == "overview"))
     for path, key, slug, icon in PAGES]
)
nav.run()
