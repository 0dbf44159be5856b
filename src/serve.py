"""`make run`: serve app.py with Streamlit, st.navigation in charge from the first request.

Streamlit ignores a pages/ folder once the entry point calls st.navigation, but it only
learns that on app.py's first run; until then a deep link (/issues?t=…) on a freshly started
server is looked up in pages/ the legacy way. Saying so up front makes the first request
behave like every later one.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import logging
import sys

from duzhan import paths

APP = paths.APP
# packages that declare a Streamlit component when imported: before the runtime exists the
# declaration is lost and the component's frame gets a 404 (see views.foliummap)
NOT_PRELOADED = {"streamlit_folium"}


def preload() -> list[str]:
    """Import what app.py and every page import, before the first reader arrives: the first
    visit after a restart would otherwise wait for them (seconds on a busy machine). Returns
    the modules imported."""
    from duzhan.views import registry

    # each st.cache_data met before the runtime exists warns "No runtime found" on every
    # start; once the server runs, the caches work as usual
    quiet = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        return _import_page_modules(registry)
    finally:
        quiet.setLevel(level)


def _import_page_modules(registry) -> list[str]:
    done = []
    for script in (APP, *(paths.REPO_ROOT / e.script for e in registry.PAGES)):
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                # `from pkg import name`: name may be a module of its own
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            else:
                continue
            for name in names:
                if name.split(".")[0] in NOT_PRELOADED:
                    continue
                try:
                    if importlib.util.find_spec(name) is None:
                        continue
                except ModuleNotFoundError:
                    continue
                importlib.import_module(name)
                done.append(name)
    return list(dict.fromkeys(done))


def main(argv: list[str] | None = None) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.cli import main as streamlit_main

    from duzhan import clock
    from duzhan.geo.assets import ensure_static_assets

    try:
        clock.today()  # a bad $DUZHAN_TODAY stops here, not in every page
    except clock.BadToday as exc:
        sys.exit(str(exc))
    # Streamlit warns "no static folder" on start when static/ does not exist yet
    ensure_static_assets()
    preload()
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    streamlit_main()


if __name__ == "__main__":
    main()
