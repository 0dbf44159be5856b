"""`duzhan.serve` imports what the pages import before the server takes its first reader."""
from __future__ import annotations

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
