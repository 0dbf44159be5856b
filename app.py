"""督战看板 duzhan — entry point: who reads (sign-in), shared sidebar filters, then the chosen
page among those the reader's role may open."""
import streamlit as st

from duzhan.i18n import t
from duzhan.views import registry, shell, signin

st.set_page_config(page_title="督战看板 · duzhan", page_icon="🚩", layout="wide")

with shell.timed_run() as run:  # the run's server-side seconds go to the duzhan.timing log
    run["page"] = "signin"
    reader = signin.gate()  # with sign-in on and nobody signed in: the sign-in page, stop
    ctx = shell.start()
    # a page not here has no URL for this reader
    entries = registry.pages_for(reader.user, ctx.several_counties)
    home = registry.home_page(entries)
    pages, slugs = [], {}
    for entry in entries:
        title = t(entry.title_key, ctx.lang)
        if entry is home:
            # Streamlit serves the default page at "/" only, so /overview would say "page not
            # found": a hidden twin answers at the slug, the default keeps a reserved one.
            made = [st.Page(entry.script, title=title, url_path=f"{entry.slug}-home",
                            icon=entry.icon, default=True),
                    st.Page(entry.script, title=title, url_path=entry.slug, icon=entry.icon,
                            visibility="hidden")]
        else:
            made = [st.Page(entry.script, title=title, url_path=entry.slug, icon=entry.icon)]
        pages += made
        slugs.update({id(p): entry.slug for p in made})
    page = st.navigation(pages)
    run["page"] = slugs.get(id(page), "-")
    page.run()
