"""End to end: the sample briefing builds, and the PDF holds what it promises."""
from __future__ import annotations

import re
import subprocess
import sys

import pypdf
import yaml

from conftest import REPO, SAMPLE


def test_sample_has_six_pages_or_more(sample_build):
    assert sample_build.pages >= 6
    assert sample_build.pdf.exists()
    assert set(sample_build.timings) >= {"content", "data", "charts", "layout", "pdf"}


def test_chinese_text_is_in_the_text_layer(sample_pdf):
    text = "".join(p.extract_text() or "" for p in sample_pdf.pages)
    doc = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    assert doc["title"] in text.replace("\n", "")
    han = re.findall(r"[\u4e00-\u9fff]", text)
    assert len(han) > 5000


def test_every_section_title_is_printed(sample_build, sample_pdf):
    from briefing.content import load

    text = "".join((p.extract_text() or "").replace("\n", "") for p in sample_pdf.pages)
    for section in load(SAMPLE).doc.sections:
        assert section.title in text


def test_every_character_is_set_in_a_bundled_font(sample_pdf):
    fonts = {c["fontname"].split("+", 1)[-1] for p in sample_pdf.pages for c in p.chars}
    bundled = ("BriefingSerifSC-", "BriefingSansSC-", "BriefingKaiSC-")
    assert fonts and all(f.startswith(bundled) for f in fonts), fonts


def test_fonts_are_embedded_subsets(sample_build):
    reader = pypdf.PdfReader(sample_build.pdf)
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            base = str(font["/BaseFont"])
            names.add(base)
            descendant = font.get("/DescendantFonts")
            desc = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            if desc is not None:
                desc = desc.get_object()
                assert any(k in desc for k in ("/FontFile2", "/FontFile3", "/FontFile")), base
    briefing_fonts = [n for n in names if "Briefing" in n]
    assert briefing_fonts, names
    # a subset font's name carries a tag: ABCDEF+Name (ReportLab: AAAAAA+Name)
    assert all(re.match(r"^/[A-Z]{6}\+", n) for n in briefing_fonts), briefing_fonts


def test_metadata_title_author_subject_language(sample_build):
    reader = pypdf.PdfReader(sample_build.pdf)
    meta = reader.metadata
    doc = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    assert meta.title.startswith(doc["title"])
    assert meta.author == (doc.get("author") or doc["issuer"])
    assert meta.subject
    assert str(reader.trailer["/Root"].get("/Lang")) == "zh-CN"


def test_charts_are_vector_drawings_not_images(sample_build, sample_pdf):
    assert sample_build.charts >= 5
    for page in sample_pdf.pages:
        assert page.images == []
    # each chart draws many vector paths: far more curves/rects than text pages have
    drawn = sum(len(p.rects) + len(p.curves) + len(p.lines) for p in sample_pdf.pages)
    assert drawn > 100


def test_key_figure_panel_and_table_are_there(sample_pdf):
    text = "".join((p.extract_text() or "").replace("\n", "") for p in sample_pdf.pages)
    assert "2008.3" in text             # a key figure: no separator in a four-digit number (GB/T 15835)
    assert re.search(r"表1", text)      # the table's numbered title
    assert re.search(r"图5", text)      # figures numbered in order


def test_cli_build_prints_path_pages_and_seconds(tmp_path):
    out = subprocess.run([sys.executable, "-m", "briefing", "build", str(SAMPLE), "-o", str(tmp_path)],
                         capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0].endswith(".pdf") and (tmp_path / lines[0].rsplit("/", 1)[-1]).exists()
    assert re.search(r"\d+ 页，用时 [\d.]+ 秒", lines[1])


def test_help_explains_every_command():
    out = subprocess.run([sys.executable, "-m", "briefing", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    for command in ("build", "validate", "new", "preview"):
        assert command in out.stdout


def test_sample_shows_every_chart_type(sample_build):
    from briefing.content import load
    from briefing.content.walk import blocks

    doc = load(SAMPLE).doc
    types = {b.chart.type for _p, b, _n in blocks(doc) if hasattr(b, "chart")}
    # the chart types that suit the sample's data (area and pie need data it does not have:
    # a cumulative series, a whole of three to six parts; tests/test_charts.py draws them)
    assert types >= {"bar", "barh", "grouped", "stacked", "line", "donut", "combo"}
    assert any(f.trend for _p, b, _n in blocks(doc) if hasattr(b, "keyfigures") for f in b.keyfigures)  # sparkline
    assert sample_build.charts >= len(types)
