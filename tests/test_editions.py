"""The editions beyond print (HTML, DOCX, long image), opened and read back.

One build of part of the sample (sections with key figures, charts, a table,
side-by-side columns and a quote) in all three editions; the expectations come
from the resolved content itself, not from the editions' code.
"""
from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefing import ContentError, build

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "content" / "briefing.yaml"
SECTIONS = ["overview", "livelihood", "investment"]
IMAGE_HEIGHT = 2400


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("editions")
    return build(SAMPLE, out, only=SECTIONS, formats="html,docx,longimage", image_height=IMAGE_HEIGHT)


@pytest.fixture(scope="module")
def content():
    """What the reader must find: the resolved document's texts, charts and tables, in reading order."""
    from briefing import content as load
    from briefing.content.walk import blocks
    from briefing.data import dataset_for, resolve
    from briefing.editions.model import plain
    from briefing.layout.blocks import join_lines

    resolved = resolve(load.load(SAMPLE, only=SECTIONS))
    doc = resolved.doc
    texts, charts, tables, headings, trends = [], [], [], [], []
    for _path, block, _n in blocks(doc):
        kind = next(iter(type(block).model_fields))
        value = getattr(block, kind)
        if kind == "paragraph":
            texts.append(plain(value))
        elif kind == "paragraphs":
            texts += [plain(join_lines(t)) for t in (value.split("\n\n") if isinstance(value, str) else value)]
        elif kind == "bullets":
            texts += [plain(v) for v in value]
        elif kind == "quote":
            texts.append(plain(value if isinstance(value, str) else value.text))
        elif kind == "heading":
            headings.append(value)
        elif kind == "chart":
            charts.append(value)
        elif kind == "keyfigures":
            trends += [f for f in value if f.trend]
        elif kind == "table":
            ds = dataset_for(value.data, resolved, None)
            tables.append((value, list(value.columns or ds.names), len(ds)))
    return {"doc": doc, "texts": texts, "charts": charts, "tables": tables, "headings": headings,
            "trends": trends}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---- HTML ---------------------------------------------------------------------------------

class _Page(HTMLParser):
    """Elements with their attributes, and the visible text (outside <style>, <svg>)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.svg_text: list[str] = []
        self.style = ""
        self._stack: list[str] = []
        self.tables: list[dict] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._stack.append(tag)
        if tag == "table":
            self.tables.append({"th": [], "rows": 0})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"] += 1

    def handle_endtag(self, tag):
        while self._stack and self._stack.pop() != tag:
            pass

    def handle_data(self, data):
        if "style" in self._stack:
            self.style += data
        elif "svg" in self._stack:
            self.svg_text.append(data)
        else:
            self.text.append(data)
            if self._stack and self._stack[-1] == "th":
                self.tables[-1]["th"].append(data.strip())


@pytest.fixture(scope="module")
def page(built):
    p = _Page()
    p.feed(built.outputs["html"][0].read_text(encoding="utf-8"))
    return p


def test_html_has_every_text_heading_and_language(page, content):
    html_tag = next(attrs for tag, attrs in page.tags if tag == "html")
    assert html_tag.get("lang") == "zh-CN"
    text = _squash("".join(page.text))
    for t in content["texts"] + content["headings"] + [s.title for s in content["doc"].sections]:
        assert _squash(t) in text, t
    headings = [attrs for tag, attrs in page.tags if tag in ("h1", "h2", "h3")]
    assert len(headings) == 1 + len(content["doc"].sections) + len(content["headings"])
    assert {"header", "main", "article", "footer"} <= {tag for tag, _a in page.tags}


def test_html_tables_have_header_cells(page, content):
    # the key figures are a <dl>; every data table is a <table> with one <th> per column
    assert len(page.tables) == len(content["tables"])
    for found, (_spec, columns, rows) in zip(page.tables, content["tables"]):
        assert found["th"] == columns
        assert found["rows"] == rows + 1


def test_html_charts_are_inline_svg_with_text_and_alt(page, content, built):
    svgs = [attrs for tag, attrs in page.tags if tag == "svg" and attrs.get("class") != "spark"]
    assert len(svgs) == len(content["charts"])
    sparks = [attrs for tag, attrs in page.tags if tag == "svg" and attrs.get("class") == "spark"]
    assert content["trends"] and len(sparks) == len(content["trends"])
    for attrs, figure in zip(sparks, content["trends"]):
        assert attrs["aria-label"].startswith(figure.label)
    for attrs, spec in zip(svgs, content["charts"]):
        assert attrs["role"] == "img"
        assert (spec.caption or spec.title) in attrs["aria-label"]
    assert any(t.strip() for t in page.svg_text)           # axis labels are text, not outlines
    ids = [attrs["id"] for tag, attrs in page.tags if "id" in attrs]
    assert len(ids) == len(set(ids))                        # several charts never share an id


def test_html_makes_no_request(page, built):
    raw = built.outputs["html"][0].read_text(encoding="utf-8")
    for tag, attrs in page.tags:
        if tag in ("script", "link", "iframe", "object", "embed"):
            pytest.fail(f"<{tag}> in a self-contained page")
        for name in ("src", "srcset", "poster", "data"):
            if name in attrs:
                assert attrs[name].startswith("data:"), (tag, attrs[name][:60])
        if tag in ("use", "image") and "xlink:href" in attrs:
            assert attrs["xlink:href"].startswith(("#", "data:"))
    for url in re.findall(r"url\(([^)]*)\)", raw):
        assert url.strip("'\"").startswith(("data:", "#")), url[:60]
    assert "@import" not in page.style


def test_html_fonts_cover_the_text(page, built):
    """The embedded WOFF2 subsets hold every character the page shows (no box, no fallback font)."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    faces = re.findall(r"src: url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", page.style)
    assert len(faces) >= 3
    for data in faces:
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        assert font.flavor == "woff2"
        covered |= set(font.getBestCmap())
    shown = {ord(c) for c in "".join(page.text) + "".join(page.svg_text) if not c.isspace()}
    assert shown - covered == set()
    assert "text-align: justify" in page.style and "line-break: strict" in page.style


# ---- DOCX ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def word(built):
    import docx

    return docx.Document(str(built.outputs["docx"][0]))


def test_docx_every_paragraph_and_heading_style(word, content):
    paragraphs = list(word.paragraphs)
    texts = [_squash(p.text) for p in paragraphs]
    for t in content["texts"]:
        assert _squash(t) in texts, t
    h1 = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    h2 = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert [t.split("、", 1)[1] for t in h1] == [s.title for s in content["doc"].sections]
    assert h1[0].startswith("一、") and h1[1].startswith("二、")
    assert [re.sub(r"^（[一二三四五六七八九十]+）", "", t) for t in h2] == content["headings"]
    body = word.styles["正文（简报）"]
    assert body.font.size.pt == 16                        # 三号
    assert word.styles["Heading 1"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"
    captions = [p.text for p in paragraphs if p.style.name == "Caption"]
    assert sum(c.startswith("图") for c in captions) == len(content["charts"])
    assert any(p.style.name == "资料来源" and p.text.startswith("资料来源：") for p in paragraphs)


def test_docx_tables_are_word_tables(word, content):
    heads = [[c.text for c in t.rows[0].cells] for t in word.tables]
    for _spec, columns, rows in content["tables"]:
        table = word.tables[heads.index(columns)]
        assert len(table.rows) == rows + 1
        assert table.rows[0]._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
        # the column with the longest text is the widest (not Word's equal shares)
        longest = max(range(len(columns)), key=lambda c: max(len(r.cells[c].text) for r in table.rows))
        widths = [col.width for col in table.columns]
        assert widths[longest] == max(widths) and max(widths) > min(widths)


def test_docx_charts_are_300_dpi_pictures(word, content):
    from PIL import Image

    shapes = list(word.inline_shapes)
    assert len(shapes) == len(content["charts"]) + len(content["trends"])     # charts and sparklines
    for shape in shapes:
        blob = word.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        with Image.open(io.BytesIO(blob)) as im:
            shown_inches = shape.width.inches
            assert im.width / shown_inches == pytest.approx(300, rel=0.02)
            assert im.convert("L").getextrema()[0] < 100       # something is drawn on it


def test_docx_page_is_gbt9704(word):
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and "fldChar" in xml


# ---- long image ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def images(built):
    from PIL import Image

    out = []
    for path in built.outputs["longimage"]:
        with Image.open(path) as im:
            out.append(im.convert("RGB"))
    return out


def test_long_image_pieces_in_order(built, images):
    paths = built.outputs["longimage"]
    assert len(paths) >= 2
    assert [p.name for p in paths] == [f"{paths[0].name.rsplit('-', 1)[0]}-{i}.png" for i in range(1, len(paths) + 1)]
    for im in images:
        assert im.width == 1080
        assert 0 < im.height <= IMAGE_HEIGHT


def test_long_image_is_cut_between_lines(images):
    """Every cut falls on a blank row: no line of text or chart is split between two images."""
    import numpy

    for k, im in enumerate(images):
        rows = numpy.asarray(im.convert("L"))
        if k > 0:
            assert rows[0].min() >= 245, f"image {k + 1} starts inside something drawn"
        if k < len(images) - 1:
            assert rows[-1].min() >= 245, f"image {k + 1} ends inside something drawn"
        inked = (rows < 128).mean()
        assert inked > 0.01, f"image {k + 1} is blank"


def test_long_image_header_band_in_accent_colour(images, content):
    from briefing.templates import load_theme

    accent = load_theme(content["doc"].template).color("accent").lstrip("#")
    want = tuple(int(accent[i:i + 2], 16) for i in (0, 2, 4))
    band = images[0].crop((0, 0, 1080, 12)).resize((1, 1)).getpixel((0, 0))
    assert all(abs(a - b) <= 6 for a, b in zip(band, want)), band
    # the title is set on it in white
    top = images[0].crop((0, 0, 1080, 200))
    assert top.convert("L").getextrema()[1] > 240


# ---- the API and the command -----------------------------------------------------------------

def test_formats_are_checked_before_anything_is_written(tmp_path):
    with pytest.raises(ContentError, match="jpeg"):
        build(SAMPLE, tmp_path, formats="pdf,jpeg")
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_only_the_formats_asked(tmp_path, capsys):
    from briefing.cli import main

    assert main(["build", str(SAMPLE), "-o", str(tmp_path), "--only", "next", "--format", "html,docx"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["briefing.docx", "briefing.html"]
    printed = capsys.readouterr().out
    assert str(tmp_path / "briefing.html") in printed and str(tmp_path / "briefing.docx") in printed
    assert main(["build", str(SAMPLE), "-o", str(tmp_path), "--format", "html,gif"]) == 2
    assert "gif" in capsys.readouterr().err


# ---- as a reader sees them -----------------------------------------------------------------

def _program(*names: str) -> str | None:
    import shutil

    return next((shutil.which(n) for n in names if shutil.which(n)), None)


def test_html_in_a_headless_browser_fits_a_phone(built, tmp_path):
    """Chromium at a phone's width: the masthead is drawn in the accent colour at the top, the text is
    there, and nothing is wider than the screen (the screenshot shows no cut-off right margin)."""
    import subprocess

    import numpy
    from PIL import Image

    browser = _program("chromium", "chromium-browser", "google-chrome")
    if browser is None:
        pytest.skip("no headless Chromium here (Debian package chromium)")
    shot = tmp_path / "phone.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--force-device-scale-factor=2", "--window-size=390,1600", f"--screenshot={shot}",
                    built.outputs["html"][0].as_uri()], check=True, capture_output=True, timeout=120)
    with Image.open(shot) as im:
        pixels = numpy.asarray(im.convert("RGB")).astype(int)
    assert pixels.shape[1] == 780
    red = (pixels[:, :, 0] > 150) & (pixels[:, :, 1] < 80) & (pixels[:, :, 2] < 80)
    assert red[:200].sum() > 2000                     # the red title of the masthead, at the top
    dark = pixels.sum(axis=2) < 200
    assert dark[400:].mean() > 0.02                    # body text below it
    # the right margin stays white where text would run off a too-wide page
    assert not dark[:, -8:].any()


def test_docx_opens_in_libreoffice_as_a4_pages(built, tmp_path):
    import subprocess

    import pypdfium2 as pdfium

    office = _program("soffice", "libreoffice")
    if office is None:
        pytest.skip("no LibreOffice here (Debian package libreoffice-writer)")
    subprocess.run([office, "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(built.outputs["docx"][0])],
                   check=True, capture_output=True, timeout=300)
    pdf = pdfium.PdfDocument(str(tmp_path / built.outputs["docx"][0].with_suffix(".pdf").name))
    try:
        assert len(pdf) >= 3
        w, h = pdf[0].get_size()
        assert (round(w / 72 * 25.4), round(h / 72 * 25.4)) == (210, 297)
        first = pdf[0].get_textpage().get_text_range()
        assert "两江新区发展简报" in first and "一、" in first
    finally:
        pdf.close()


def test_photo_reaches_the_page_and_the_word_file(tmp_path):
    """An image block: in the page as a data: URI with its caption as alt text, in Word as a picture."""
    import docx
    from PIL import Image

    content = tmp_path / "content"
    content.mkdir()
    Image.new("RGB", (1200, 800), (40, 90, 160)).save(content / "port.png")
    (content / "briefing.yaml").write_text(
        "title: 港区简报\ndate: 2021-07-20\nissuer: 港区办公室\nsections:\n"
        "  - id: port\n    title: 港口建设\n    blocks:\n"
        "      - paragraph: 新码头泊位上半年完成主体施工。\n"
        "      - image: {file: port.png, caption: 新码头全景, credit: 港区办公室 摄}\n", encoding="utf-8")
    result = build(content / "briefing.yaml", tmp_path / "out", formats="html,docx")
    page = _Page()
    page.feed(result.outputs["html"][0].read_text(encoding="utf-8"))
    imgs = [attrs for tag, attrs in page.tags if tag == "img"]
    assert len(imgs) == 1 and imgs[0]["src"].startswith("data:image/png;base64,")
    assert imgs[0]["alt"] == "新码头全景"
    assert "图1　新码头全景" in "".join(page.text)
    word = docx.Document(str(result.outputs["docx"][0]))
    assert len(word.inline_shapes) == 1
    assert any(p.text == "图1　新码头全景" and p.style.name == "Caption" for p in word.paragraphs)
