"""briefing.pdf.streams: page content compressed as each page ends, the file unchanged."""
from __future__ import annotations

import zlib

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from briefing import fonts
from briefing.pdf.streams import PageCompressingCanvas

LINES = ["两江新区一季度地区生产总值同比增长6.8%", "规上工业增加值增长9.1%，高于全市平均", "Q1 GDP: 6.8 %"]


def draw(canvas_class: type[Canvas], path, pages: int = 3, **options) -> Canvas:
    font = fonts.register_reportlab_fonts()["serif"]
    canv = canvas_class(str(path), pagesize=A4, invariant=1, **options)
    for page in range(pages):
        canv.setFont(font, 12)
        for i, line in enumerate(LINES):
            canv.drawString(72, 760 - 20 * i, f"{page + 1}：{line}")
        canv.rect(72, 100, 200, 50)
        canv.showPage()
    return canv


@pytest.mark.parametrize("a85", [True, False])
def test_same_file_as_reportlab_writes(tmp_path, monkeypatch, a85):
    from reportlab import rl_config

    monkeypatch.setattr(rl_config, "useA85", int(a85))
    draw(Canvas, tmp_path / "plain.pdf").save()
    canv = draw(PageCompressingCanvas, tmp_path / "early.pdf")
    # every page ended holds its content compressed, not as text
    held = canv._doc.Pages.pages
    assert len(held) == 3 and all(p.stream is None for p in held)
    for page in held:
        operators = zlib.decompress(_a85(page.Contents.content) if a85 else page.Contents.content)
        assert b" Tf" in operators and b"72 100 200 50 re" in operators
    canv.save()
    assert (tmp_path / "early.pdf").read_bytes() == (tmp_path / "plain.pdf").read_bytes()


def _a85(data: str) -> bytes:
    from reportlab.pdfbase.pdfutils import asciiBase85Decode

    return asciiBase85Decode(data)


def test_text_reads_back(tmp_path):
    import pdfplumber

    draw(PageCompressingCanvas, tmp_path / "early.pdf").save()
    with pdfplumber.open(tmp_path / "early.pdf") as pdf:
        assert len(pdf.pages) == 3
        for n, page in enumerate(pdf.pages, 1):
            text = page.extract_text()
            assert all(f"{n}：{line}" in text for line in LINES), text
            assert {c["fontname"].split("+")[1] for c in page.chars} == {"BriefingSerifSC-Regular"}


def test_uncompressed_pages_are_left_as_text(tmp_path):
    canv = draw(PageCompressingCanvas, tmp_path / "plain.pdf", pageCompression=0)
    assert all(p.stream and p.Contents is None for p in canv._doc.Pages.pages)
    canv.save()
    assert b"BriefingSerifSC" in (tmp_path / "plain.pdf").read_bytes()
