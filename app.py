"""督战看板 duzhan — entry point: shared sidebar filters, then the chosen page."""
import streamlit as st

from duzhan.i18n import t
from duzhan.views import registry, shell

st.set_page_config(page_title="督战看板 · duzhan", page_icon="🚩", layout="wide")

ctx = shell.start()
pages = []
for entry in registry.PAGES:
    title = t(entry.title_key, ctx.lang)
    if entry.default:
        # Streamlit serves the default page at "/" only, so /overview would say "page not
        # found": a hidden twin answers at the slug, the default keeps a reserved one.
        pages.append(st.Page(entry.script, title=title, url_path=f"{entry.slug}-home",
                             icon=entry.icon, default=True))
        pages.append(st.Page(entry.script, title=title, url_path=entry.slug, icon=entry.icon,
                             visibility="hidden"))
    else:
        pages.append(st.Page(entry.script, title=title, url_path=entry.slug, icon=entry.icon))
st.navigation(pages).run()
