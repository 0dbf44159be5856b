"""督战看板 duzhan — entry point: shared sidebar filters, then the chosen page."""
import streamlit as st

from duzhan.i18n import t
from duzhan.views import shell

st.set_page_config(page_title="督战看板 · duzhan", page_icon="🚩", layout="wide")

ctx = shell.start()
PAGES = [
    ("pages/overview.py", "page.overview", "overview", ":material/dashboard:"),
    ("pages/township_map.py", "page.map", "map", ":material/map:"),
    ("pages/phases.py", "page.phases", "phases", ":material/timeline:"),
    ("pages/issues.py", "page.issues", "issues", ":material/checklist:"),
    ("pages/funds.py", "page.funds", "funds", ":material/payments:"),
    ("pages/loans.py", "page.loans", "loans", ":material/account_balance:"),
    ("pages/data.py", "page.data", "data", ":material/upload_file:"),
]
nav = st.navigation(
    [st.Page(path, title=t(key, ctx.lang), url_path=slug, icon=icon, default=(slug == "overview"))
     for path, key, slug, icon in PAGES]
)
nav.run()
