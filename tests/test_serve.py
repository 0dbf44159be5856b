"""`duzhan.serve` imports what the pages import before the server takes its first reader."""
from __future__ import annotations

import os
import subprocess
import sys


def test_preload_imports_every_page_module():
    code = ("import sys; from duzhan import serve; done = serve.preload(); "
            "print(' '.join(done)); "
            "print(all(m in sys.modules for m in done)); "
            "print('streamlit_folium' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=300).stdout.splitlines()
    done = out[0].split()
    for module in ("streamlit", "duzhan.views.shell", "duzhan.viewmodels.overview",
                   "duzhan.charts.overview", "duzhan.geo.mapview", "duzhan.viewmodels.map",
                   "duzhan.viewmodels.issues"):
        assert module in done, module
    assert "duzhan.i18n.t" not in done  # a function imported by name is not a module
    assert out[1] == "True"
    # a component declared before the runtime exists is lost (its frame would get a 404):
    # streamlit_folium waits for a page's first run
    assert out[2] == "False"


WARM_THEN_VISIT = """
import sys
from streamlit import config
from streamlit.testing.v1 import AppTest
from duzhan import paths, serve
from duzhan.viewmodels import overview

serve.preload()
serve.warm_up()
print('streamlit_folium' in sys.modules, config._config_options is None)

def refuse(*a, **k):
    raise AssertionError('the overview model was built again')

overview.build = refuse
at = AppTest.from_file(str(paths.APP), default_timeout=300)
at.run()
print([e.message for e in at.exception], len(at.get('plotly_chart')),
      len(at.get('component_instance')),
      sum("class='duzhan-strip'" in m.value for m in at.markdown))
"""


def test_warm_up_leaves_the_default_page_in_the_shared_caches(demo_db_url):
    out = subprocess.run([sys.executable, "-c", WARM_THEN_VISIT], capture_output=True,
                         text=True, timeout=600,
                         env={**os.environ, "DUZHAN_DATABASE_URL": demo_db_url})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    # the component module and the parsed config are left for the server's own runtime
    assert lines[0] == "False True"
    # the next visit is drawn from the caches: no model built, the map and the status strip
    # sent (the overview's plotly charts wait in their closed expander)
    assert lines[1] == "[] 0 1 1"


def test_warm_up_never_stops_the_server(tmp_path):
    # a page script that raises: the warm-up logs it and returns (a missing store no longer
    # raises: the page says so)
    bad = tmp_path / "app.py"
    bad.write_text("raise RuntimeError('broken page')\n")
    code = f"from pathlib import Path; from duzhan import serve; serve.APP = Path({str(bad)!r}); " \
           "print(serve.warm_up() >= 0)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300, env={**os.environ, "DUZHAN_DATABASE_URL":
                                           f"sqlite:///{tmp_path}/missing/no.db"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"
    assert "warm-up" in out.stderr
