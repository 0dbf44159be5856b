"""The briefing pack: pages (cover + 6 topics), real Chinese text, no blank page, nothing
outside the margins, the demo mark, the PPTX twin and the `duzhan brief` command."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest

from duzhan.cli import main as duzhan
from duzhan.exports.brief import TOPICS, brief_inputs, build_brief, plan
from duzhan.presentation import format as fmt
from tests.exports.helpers import as_of, demo_engine, non_white_share, png_pixels  # noqa: F401

pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm") or not shutil.which("pdftotext"),
                                reason="poppler-utils (pdftoppm, pdftotext): `make test` installs them")

PAGE_TITLES = ("脱贫攻坚挂牌督战工作汇报材料", "一、乡镇亮灯地图", "二、督战阶段进度",
               "三、问题整改销号", "四、财政衔接资金拨付", "五、扶贫小额信贷", "六、需重点关注的乡镇")


@pytest.fixture(scope="module")
def inputs(demo_engine, as_of):
    return brief_inputs(demo_engine, as_of)


@pytest.fixture(scope="module")
def pdf(inputs, tmp_path_factory):
    data, name, mime = build_brief(inputs, "pdf")
    assert mime == "application/pdf" and name.endswith("_演示数据.pdf")
    path = tmp_path_factory.mktemp("brief") / "brief.pdf"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def pages(pdf):
    """Each page as RGB pixels (pdftoppm, 50 dpi)."""
    out = pdf.parent / "page"
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(out)], check=True,
                   capture_output=True)
    files = sorted(pdf.parent.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
    return [png_pixels(p.read_bytes()) for p in files]


def _text(pdf, page: int | None = None) -> str:
    cmd = ["pdftotext", "-layout"]
    if page is not None:
        cmd += ["-f", str(page), "-l", str(page)]
    return subprocess.run(cmd + [str(pdf), "-"], check=True, capture_output=True).stdout.decode()


def test_cover_and_one_page_per_topic(inputs, pages):
    assert [p.key for p in plan(inputs)] == ["cover", *TOPICS]
    assert len(pages) == 1 + len(TOPICS)
    h, w, _ = pages[0].shape
    assert w > h  # landscape
    assert abs(w / h - 297 / 210) < 0.01  # A4


def test_pdf_text_is_real_chinese(pdf, inputs, as_of):
    for n, title in enumerate(PAGE_TITLES, 1):
        assert title in _text(pdf, n), f"page {n} lacks its title {title}"
    text = _text(pdf)
    assert fmt.day(as_of) in text
    assert "演示数据" in text
    assert "数据来源" in text and "数据截至" in text
    assert "亮灯情况：共 12 个乡镇" in _text(pdf, 1)
    assert "第7页/共7页" in _text(pdf, 7).replace(" ", "")
    # the attention table lists every township in scope
    table = _text(pdf, 7)
    for e in inputs.report["townships"]:
        assert e["township_name"] in table
    assert "\ufffd" not in text and "□" not in text


def test_no_page_is_blank(pages):
    for n, px in enumerate(pages, 1):
        assert non_white_share(px) > 0.04, f"page {n} is (nearly) blank"
        assert px.std() > 15, f"page {n} is flat"
        # the content fills the page: ink in each vertical third
        h = px.shape[0]
        for third in range(3):
            band = px[h * third // 3:h * (third + 1) // 3]
            assert non_white_share(band) > 0.01, f"page {n}, third {third + 1} is empty"


def test_nothing_outside_the_margins(pages):
    """A 2 % band along every edge stays white (the cover's title band is full-bleed by
    design: only its left, right and bottom edges are checked)."""
    for n, px in enumerate(pages, 1):
        h, w, _ = px.shape
        m_h, m_w = max(2, h // 50), max(2, w // 50)
        edges = {"left": px[:, :m_w], "right": px[:, -m_w:], "bottom": px[-m_h:, :],
                 "top": px[:m_h, :]}
        if n == 1:
            body = int(h * 0.21)
            edges = {"left": px[body:, :m_w], "right": px[body:, -m_w:],
                     "bottom": px[-m_h:, :]}
        for side, band in edges.items():
            assert non_white_share(band, level=235) < 0.002, f"page {n}: ink at the {side} edge"


def test_demo_mark_on_every_page(pdf, pages):
    for n in range(1, len(pages) + 1):
        assert "演示数据" in _text(pdf, n), f"page {n} lacks 演示数据"


def test_pptx_has_the_same_pages(inputs):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    data, name, _ = build_brief(inputs, "pptx")
    assert name.endswith(".pptx")
    prs = Presentation(io.BytesIO(data))
    slides = list(prs.slides)
    assert len(slides) == 1 + len(TOPICS)
    assert abs(prs.slide_width / prs.slide_height - 297 / 210) < 0.01
    for n, (slide, title) in enumerate(zip(slides, PAGE_TITLES, strict=False), 1):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert any(title in t for t in texts), f"slide {n} lacks {title}"
        assert "演示数据" in texts, f"slide {n} lacks the demo watermark"
        kinds = {s.shape_type for s in slide.shapes}
        assert kinds & {MSO_SHAPE_TYPE.PICTURE, MSO_SHAPE_TYPE.TABLE}, f"slide {n} is text only"
        for s in slide.shapes:  # nothing off the slide
            assert s.left >= 0 and s.top >= 0
            assert s.left + s.width <= prs.slide_width + 10
            assert s.top + s.height <= prs.slide_height + 10
    table = next(s for s in slides[-1].shapes if s.shape_type == MSO_SHAPE_TYPE.TABLE).table
    assert len(table.rows) == 1 + len(inputs.report["townships"])


def test_brief_command_writes_a_scoped_pdf(demo_db_url, demo_ledgers, as_of, tmp_path, capsys):
    codes = list(demo_ledgers.townships["township_code"][:2])
    names = list(demo_ledgers.townships["township_name"][:2])
    out = tmp_path / "汇报.pdf"
    rc = duzhan(["brief", "--db", demo_db_url, "--as-of", as_of.isoformat(),
                 "--township", *codes, "--out", str(out)])
    assert rc == 0 and out.stat().st_size > 50_000
    assert "7 页" in capsys.readouterr().out
    text = _text(out)
    assert f"范围：{'、'.join(names)}" in text
    cover = _text(out, 1)
    assert "共 2 个乡镇" in cover


def test_brief_command_refuses_other_extensions_and_unknown_townships(demo_db_url, tmp_path):
    assert duzhan(["brief", "--db", demo_db_url, "--out", str(tmp_path / "x.docx")]) == 2
    assert duzhan(["brief", "--db", demo_db_url, "--township", "999",
                   "--out", str(tmp_path / "x.pdf")]) == 2


def test_pdf_cjk_font_is_truetype(pdf):
    """The CJK text is set in a TrueType (glyf) font, embedded as CID TrueType (Type 2),
    which every viewer shows — not CFF-based Noto Sans CJK, which matplotlib mislabels
    as TrueType (poppler: "Mismatch between font type and embedded font file")."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    rows = [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]
    fonts = {r[0].split("+")[-1]: " ".join(r[1:-6]) for r in rows}
    assert "WenQuanYiMicroHei" in fonts, out.stdout
    for _name, kind in fonts.items():
        assert "TrueType" in kind and "Type 0C" not in kind and "Type 1C" not in kind, out.stdout
    assert not any("NotoSansCJK" in name for name in fonts), out.stdout
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    assert "Mismatch" not in text.stderr, text.stderr


def test_a_day_after_the_data_is_noted_on_every_page(demo_engine):
    from duzhan.store.read import last_event_date

    last = last_event_date(demo_engine)
    future = last + dt.timedelta(days=30)
    inputs = brief_inputs(demo_engine, future)
    assert inputs.stamp.data_last == last and inputs.stamp.beyond_data
    pdf = build_brief(inputs, "pdf")[0]
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, check=True,
                          capture_output=True).stdout.decode()
    pages = [p for p in text.split("\f") if p.strip()]
    assert pages and all("晚于台账最后日期" in " ".join(p.split()) for p in pages)
