"""The briefing pack: pages (cover + 10 topics, long tables continued), real Chinese text,
the red townships on the cover, the change since last week on each topic page, the overdue
issues with their 责任单位, no blank page, nothing outside the margins, the demo mark, the
PPTX twin and the `duzhan brief` command."""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest

from duzhan.cli import main as duzhan
from duzhan.exports.brief import TOPICS, brief_inputs, build_brief, content, plan
from duzhan.presentation import format as fmt
from duzhan.store.db import make_engine
from tests.exports.helpers import as_of, demo_engine, non_white_share, png_pixels  # noqa: F401

pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm") or not shutil.which("pdftotext"),
                                reason="poppler-utils (pdftoppm, pdftotext): `make test` installs them")

TITLES = {"cover": "脱贫攻坚挂牌督战工作汇报材料", "map": "一、乡镇亮灯地图",
          "phases": "二、督战阶段进度", "tasks": "二、督战阶段进度：逾期任务及责任单位",
          "issues": "三、问题整改销号", "overdue": "四、逾期未销号问题及责任单位",
          "funds": "五、财政衔接资金拨付", "loans": "六、扶贫小额信贷",
          "supervision": "七、督导覆盖与乡镇月报", "summons": "七、督导：约谈名单",
          "households": "八、户情",  # and its households waiting (the list's pages)
          "attention": "九、需重点关注的乡镇"}


@pytest.fixture(scope="module")
def keys(inputs) -> list[str]:
    """The page keys in order (a long table continues on the next page, same key)."""
    return [p.key for p in plan(inputs)]


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


def test_cover_and_one_page_per_topic(keys, pages):
    assert list(dict.fromkeys(keys)) == ["cover", *TOPICS]
    assert len(pages) == len(keys)
    h, w, _ = pages[0].shape
    assert w > h  # landscape
    assert abs(w / h - 297 / 210) < 0.01  # A4


def test_pdf_text_is_real_chinese(pdf, inputs, as_of, keys):
    for n, key in enumerate(keys, 1):
        assert TITLES[key] in _text(pdf, n), f"page {n} lacks its title {TITLES[key]}"
    text = _text(pdf)
    assert fmt.day(as_of) in text
    assert "演示数据" in text
    assert "数据来源" in text and "数据截至" in text
    assert "亮灯情况：共 12 个乡镇" in _text(pdf, 1)
    last = len(keys)
    assert f"第{last}页/共{last}页" in _text(pdf, last).replace(" ", "")
    # the attention table (over one or more pages) lists every township in scope
    table = "".join(_text(pdf, n) for n, key in enumerate(keys, 1) if key == "attention")
    for e in inputs.report["townships"]:
        assert e["township_name"] in table
    # its columns apart: the overdue rate never runs into the gap beside it (6.3%+3.3个百分点)
    assert re.search(r"\d%\s+[+-]\d", table) and not re.search(r"\d%\s?[+-]\d", table)
    assert "\ufffd" not in text and "□" not in text


def _flat(text: str) -> str:
    return "".join(text.split())


def test_the_cover_names_the_red_townships_and_why(pdf, inputs):
    cover = _flat(_text(pdf, 1))
    red = content.red_townships(inputs)
    assert len(red) == 2 and "红灯乡镇2个及原因" in cover
    for f in red:
        assert f.name in cover
        first_reason = f.reasons.split("；")[0]
        assert _flat(first_reason) in cover, first_reason
    for f in content.yellow_townships(inputs):
        assert f.name in cover
    green = [e["township_name"] for e in inputs.report["townships"] if e["status"] == "green"]
    assert not any(name in cover for name in green)


def test_topic_pages_show_the_change_since_last_week(pdf, inputs, keys):
    changes = content.topic_changes(inputs)
    for topic in ("phases", "issues", "funds", "loans", "households"):
        page = _flat(_text(pdf, keys.index(topic) + 1))
        shown = [c for c in changes[topic] if c.change is not None]
        assert shown, topic
        for c in shown:
            assert _flat(f"较上周 {c.change}") in page, (topic, c.label)


def test_the_overdue_page_lists_units_longest_overdue_first(pdf, inputs, keys):
    rows = content.overdue_issue_rows(inputs)
    first = keys.index("overdue") + 1
    page = _text(pdf, first)
    assert "责任单位" in page and "逾期天数" in page
    ids = [r["issue_id"] for r in rows]
    on_page = [i for i in ids if i in page]
    assert on_page == ids[:len(on_page)] and len(on_page) > 10
    # in the page's reading order too: the longest overdue first
    assert sorted(on_page, key=page.index) == on_page
    tasks = _text(pdf, keys.index("tasks") + 1)
    for r in content.overdue_task_rows(inputs)[:5]:
        assert r["task_id"] in tasks and r["department"] in tasks


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
    keys = [p.key for p in plan(inputs)]
    assert len(slides) == len(keys)
    assert abs(prs.slide_width / prs.slide_height - 297 / 210) < 0.01
    for n, (slide, key) in enumerate(zip(slides, keys, strict=True), 1):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert any(TITLES[key] in t for t in texts), f"slide {n} lacks {TITLES[key]}"
        assert "演示数据" in texts, f"slide {n} lacks the demo watermark"
        kinds = {s.shape_type for s in slide.shapes}
        assert kinds & {MSO_SHAPE_TYPE.PICTURE, MSO_SHAPE_TYPE.TABLE}, f"slide {n} is text only"
        for s in slide.shapes:  # nothing off the slide
            assert s.left >= 0 and s.top >= 0
            assert s.left + s.width <= prs.slide_width + 10
            assert s.top + s.height <= prs.slide_height + 10
    # the attention ranking (over one or more slides): every township once
    tables = [s.table for slide, key in zip(slides, keys, strict=True) if key == "attention"
              for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.TABLE]
    assert sum(len(tb.rows) - 1 for tb in tables) == len(inputs.report["townships"])
    # the cover is a picture; its notes tell the story: each red township and why
    notes = slides[0].notes_slide.notes_text_frame.text
    for f in content.red_townships(inputs):
        assert f"{f.name}：{f.reasons}" in notes
    # the overdue issues as a native table, longest overdue first, with 责任单位
    overdue = next(s for s in slides[keys.index("overdue")].shapes
                   if s.shape_type == MSO_SHAPE_TYPE.TABLE).table
    header = [c.text for c in overdue.rows[0].cells]
    assert "责任单位" in header and "逾期天数" in header
    rows = content.overdue_issue_rows(inputs)
    got = [[c.text for c in r.cells] for r in list(overdue.rows)[1:]]
    dept, days = header.index("责任单位"), header.index("逾期天数")
    assert [(g[dept], g[days]) for g in got] == \
        [(r["department"], r["days_overdue"]) for r in rows[:len(got)]]
    # the change since last week as real text on the issues slide
    issues_texts = [s.text_frame.text for s in slides[keys.index("issues")].shapes
                    if s.has_text_frame]
    for c in content.topic_changes(inputs)["issues"]:
        if c.change is not None:
            assert f"较上周 {c.change}" in issues_texts


def test_brief_command_writes_a_scoped_pdf(demo_db_url, demo_ledgers, as_of, tmp_path, capsys):
    codes = list(demo_ledgers.townships["township_code"][:2])
    names = list(demo_ledgers.townships["township_name"][:2])
    out = tmp_path / "汇报.pdf"
    rc = duzhan(["brief", "--db", demo_db_url, "--as-of", as_of.isoformat(),
                 "--township", *codes, "--out", str(out)])
    assert rc == 0 and out.stat().st_size > 50_000
    pages = plan(brief_inputs(make_engine(demo_db_url), as_of, codes))
    assert f"{len(pages)} 页" in capsys.readouterr().out
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
    from duzhan.store.lookup import last_event_date

    last = last_event_date(demo_engine)
    future = last + dt.timedelta(days=30)
    inputs = brief_inputs(demo_engine, future)
    assert inputs.stamp.data_last == last and inputs.stamp.beyond_data
    pdf = build_brief(inputs, "pdf")[0]
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, check=True,
                          capture_output=True).stdout.decode()
    pages = [p for p in text.split("\f") if p.strip()]
    assert pages and all("晚于台账最后日期" in " ".join(p.split()) for p in pages)
