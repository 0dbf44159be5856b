"""charts.plain_figure: the texts plotly.js would read as markup (category labels, bar texts,
hover values, trace names, titles, annotations) are escaped in a copy; the builders'
templates and the figure itself stay as they are."""
from __future__ import annotations

import html
import json
import re

from duzhan.charts import plain_figure
from duzhan.charts.overview import township_bars
from duzhan.presentation.markup import escape
from tests.hostile import PAYLOADS

NAMES = [f"{p}乡{i}" for i, p in enumerate(PAYLOADS)]
# the only references plotly.js decodes (svg_text_utils: entityToUnicode and numeric ones)
PLOTLY_ENTITY = re.compile(r"&(amp|lt|gt|#\d+|#x[0-9a-fA-F]+);")


def _bars():
    rows = [{"township_code": f"c{i}", "township_name": n, "status": "red", "value": 0.1 * i}
            for i, n in enumerate(NAMES)]
    return township_bars(rows, "value", f"标题 {NAMES[7]}", reference=0.5,
                         reference_label=NAMES[1])


def test_every_drawn_text_is_escaped_and_templates_are_not():
    fig = _bars()
    plain = plain_figure(fig)
    bar = plain.data[0]
    assert list(bar.y) == [escape(f"● {n}") for n in NAMES]
    assert list(bar.customdata) == [f"c{i}" for i in range(len(NAMES))]
    assert bar.hovertemplate == fig.data[0].hovertemplate == "%{y}: %{x:.1%}<extra></extra>"
    assert plain.layout.title.text == escape(f"标题 {NAMES[7]}")
    assert [a.text for a in plain.layout.annotations] == [escape(f"{NAMES[1]} 50.0%")]
    assert plain.layout.font.family == fig.layout.font.family  # CSS quotes left alone
    # the figure as built is untouched
    assert list(fig.data[0].y) == [f"● {n}" for n in NAMES]


def test_no_raw_markup_left_and_plotly_decodes_every_reference():
    plain = plain_figure(_bars())
    texts = [*plain.data[0].y, plain.layout.title.text, plain.layout.annotations[0].text]
    for text in texts:
        assert "<" not in text and ">" not in text and '"' not in text and "$" not in text
        for ref in re.findall(r"&[^;\s]*;", text):
            assert PLOTLY_ENTITY.fullmatch(ref), ref  # e.g. never &quot;, which plotly shows
    assert [html.unescape(y) for y in plain.data[0].y] == [f"● {n}" for n in NAMES]


def test_numbers_and_dates_pass_unchanged():
    fig = _bars()
    assert json.loads(plain_figure(fig).to_json())["data"][0]["x"] == \
        json.loads(fig.to_json())["data"][0]["x"]
