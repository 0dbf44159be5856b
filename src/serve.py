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
import time
from contextlib import contextmanager

from duzhan import paths

APP = paths.APP
# packages that declare a Streamlit component when imported: before the runtime exists the
# declaration is lost and the component's frame gets a 404 (see views.foliummap)
NOT_PRELOADED = {"streamlit_folium"}


@contextmanager
def _quiet(logger: str):
    """Streamlit's warnings of `logger` silenced: they are about running outside a server."""
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def preload() -> list[str]:
    """Import what app.py and every page import, before the first reader arrives: the first
    visit after a restart would otherwise wait for them (seconds on a busy machine). Returns
    the modules imported."""
    from duzhan.views import registry

    # each st.cache_data met before the runtime exists warns "No runtime found" on every
    # start; once the server runs, the caches work as usual
    with _quiet("streamlit.runtime.caching.cache_data_api"):
        return _import_page_modules(registry)


def _import_page_modules(registry) -> list[str]:
    done = []
    for script in (APP, *(paths.REPO_ROOT / e.script for e in registry.ALL_PAGES)):
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


def warm_up() -> float:
    """Run the default page once in this process before the server takes its first reader
    (Streamlit's AppTest is the one way to run a page script without a browser): its
    ledgers, metrics, view model, figures and rendered map land in the shared caches
    (views.data), which outlive the run, so the first visit after a restart is a warm run.
    Never stops the server: a failure is logged and the first visit does the work.
    Returns the seconds it took."""
    from streamlit import config as st_config
    from streamlit.testing.v1 import AppTest

    t0 = time.perf_counter()
    log = logging.getLogger("duzhan.serve")
    try:
        # AppTest sets its session state outside a script run ("missing ScriptRunContext")
        with _quiet("streamlit.runtime.scriptrunner_utils.script_run_context"):
            at = AppTest.from_file(str(APP), default_timeout=600)
        at.run()
        if at.exception:
            log.warning("warm-up: the default page raised %s", at.exception[0].message)
    except Exception as exc:  # the server must start whatever the data holds
        log.warning("warm-up failed: %s", exc)
    finally:
        # AppTest's stand-in runtime took streamlit_folium's component declaration: forget
        # the module, so a page's first real run declares it in the server's runtime
        for name in [m for m in sys.modules if m.split(".")[0] in NOT_PRELOADED]:
            del sys.modules[name]
        # and the config it parsed without our flags: the server parses it afresh (else it
        # warns on every start that the [server] section changed)
        st_config._config_options = None
    return time.perf_counter() - t0


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
    seconds = warm_up()
    print("duzhan: default page warmed up in", round(seconds, 1), "s", file=sys.stderr)
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    streamlit_main()


if __name__ == "__main__":
    main()
