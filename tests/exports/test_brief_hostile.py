"""The briefing pack of a county whose ledger texts are markup (tests/hostile.py): every
chart kaleido renders gets the texts escaped (plotly.js runs in chromium there too), and
the PDF shows the names as typed ($…$ is not mathtext, <b> is not bold)."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from duzhan import clock
from duzhan.charts import TEXT_KEYS
from duzhan.exports.brief import brief_inputs, build_brief
from duzhan.geo.boundaries import load_boundaries
from duzhan.presentation.markup import escape
from duzhan.store.db import make_engine
from tests.hostile import PAYLOADS, hostile_store

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"),
                                reason="poppler-utils (pdftotext): `make test` installs them")


def _texts(node, inside=False):
    """Every string plotly draws as text in a figure's dict."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k != "template":
                yield from _texts(v, inside=k in TEXT_KEYS)
    elif isinstance(node, list | tuple):
        for v in node:
            yield from _texts(v, inside)
    elif isinstance(node, str) and inside:
        yield node


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    import kaleido

    folder = tmp_path_factory.mktemp("hostile_brief")
    today = clock.today()
    url, geo = hostile_store(folder, today)
    engine = make_engine(url)
    rendered = []
    real = kaleido.calc_fig_sync

    def recording(fig, *args, **kw):
        rendered.append(fig.to_dict())
        return real(fig, *args, **kw)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kaleido, "calc_fig_sync", recording)
        inputs = brief_inputs(engine, today - dt.timedelta(days=14),
                              boundaries=load_boundaries(geo))
        data, _, _ = build_brief(inputs, "pdf")
    engine.dispose()
    pdf = folder / "brief.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode()
    return rendered, text, inputs


def test_kaleido_gets_escaped_texts_only(pack):
    rendered, _, inputs = pack
    assert len(rendered) >= 5  # the topic pages' charts
    texts = [s for fig in rendered for s in _texts(fig)]
    assert not [s for s in texts if "<" in s or ">" in s or "$" in s], \
        [s for s in texts if "<" in s][:5]
    # the hostile texts did reach the charts, escaped
    joined = "\n".join(texts)
    assert [p for p in PAYLOADS if escape(p) in joined]
    assert any(escape(name) in joined for name in inputs.names.values())


def test_pdf_shows_the_names_as_typed(pack):
    _, text, inputs = pack
    flat = text.replace("\n", "")
    shown = [name for name in inputs.names.values() if name in flat]
    assert shown, text[:1500]
    assert "<b>粗</b><br>$x$" in text  # a map label: not bold, no line break, not mathtext
