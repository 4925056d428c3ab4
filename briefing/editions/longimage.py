"""The long-image edition: the briefing as tall PNG images for a phone (微信公众号, 朋友圈).

A page form of its own — 540 pt wide, one column, type sized for a phone —
laid out by the same layout engine as the PDF (clreq line breaking, floats,
tables, key figures) with the charts drawn again at this width, then
rendered by pypdfium2 at 2× (1080 px wide). Each page is one image of at
most `max_height` pixels, so the split between images always falls where
the layout engine ended a page (between lines, never through a line); the
last image is cut just below its content. Files: <stem>-1.png, <stem>-2.png …
in reading order.

The header band carries the title, issue and date in the document's accent
colour; the foot names the issuer and date. The 版记 (报/送/发) is a
circulation list for paper and is left out of an image meant for posting.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy
import pypdfium2 as pdfium
import yaml
from PIL import Image
from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer

from .. import assets, fmt, fonts, pdf
from ..content.walk import blocks as walk_blocks
from ..errors import ContentError
from ..i18n import _
from ..layout.blocks import story
from ..layout.paragraph import CJKParagraph
from ..layout.parts import Float, Rule, Span
from ..templates.theme import Theme, load_theme, merge
from .output import write_atomic

WIDTH_PT = 540.0           # 1080 px at 2×
SCALE = 2.0
MAX_HEIGHT = 4096          # px per image: within what phones decode at full resolution
MIN_HEIGHT = 800           # px
TALL = 40000.0             # pt: the one page the briefing is laid out on, before it is cut
OVERVIEW = 0.5             # scale of the low-resolution look for blank rows (1 row = 2 pt)
MARGIN = 24.0              # pt, left and right
TOP = BOTTOM = 22.0        # pt, above and below the text of each image

PHONE_FORM = Path(__file__).with_name("phone.yaml")     # type sizes, styles and blocks of the phone form


def phone_form() -> dict[str, Any]:
    """The phone form, laid over the document's own template (so its colours carry over)."""
    form: dict[str, Any] = yaml.safe_load(PHONE_FORM.read_text(encoding="utf-8"))
    form["page"] = {"margin_top": TOP, "margin_bottom": BOTTOM, "margin_inner": MARGIN,
                    "type_width": WIDTH_PT - 2 * MARGIN, "grid_chars": 21, "grid": None, "columns": 1,
                    "column_gap": 0, "mirror": False, "balance": False}
    return form


class PhoneTheme(Theme):
    """A theme whose page is 540 pt wide and `height` pt tall (no named paper size fits a phone)."""

    def __init__(self, data: dict, height: float):
        super().__init__(data)
        self.height = height

    @property
    def page_size(self) -> tuple[float, float]:
        return WIDTH_PT, self.height


def phone_theme(doc, height: float = TALL, templates: dict[str, Path] | None = None) -> PhoneTheme:
    base = load_theme(doc.template, doc.theme, templates=templates)
    form = phone_form()
    data = merge(base.data, form)
    data["styles"] = merge(base.data.get("styles", {}), form["styles"])
    return PhoneTheme(data, height)


class Band(Flowable):
    """The header band: accent colour from the top of the image, title, issue and date in white."""

    def __init__(self, theme, doc, width: float):
        super().__init__()
        self.theme, self.width = theme, width
        issue = fmt.issue_label(doc.issue, doc.supplement) if doc.issue is not None else ""
        meta = "　".join(t for t in (issue, fmt.date_cn(doc.date)) if t)
        self.parts = [CJKParagraph(doc.title, theme.style("band_title"), markup=False),
                      CJKParagraph(meta, theme.style("band_meta"), markup=False)]
        self.pad = 18.0

    def wrap(self, availWidth, availHeight):
        self.sizes = [p.wrap(self.width, availHeight) for p in self.parts]
        self.height = sum(h for _w, h in self.sizes) + 2 * self.pad
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        c.setFillColor(colors.HexColor(self.theme.color("accent")))
        # from the page's left edge to its right edge, and up to the top of the page
        c.rect(-MARGIN, 0, WIDTH_PT, self.height + TOP + 1, stroke=0, fill=1)
        c.restoreState()
        y = self.height - self.pad
        for p, (_w, h) in zip(self.parts, self.sizes):
            y -= h
            p.drawOn(c, 0, y)


def front(theme, doc, width: float) -> list[Flowable]:
    out: list[Flowable] = [Band(theme, doc, width), Spacer(1, 10)]
    if doc.subtitle:
        out.append(CJKParagraph(doc.subtitle, theme.style("title"), markup=False))
    return out


def back(theme, doc, width: float) -> list[Flowable]:
    return [Spacer(1, 24), Rule(width, 1.0, theme.color("accent"), space=6),
            CJKParagraph(doc.issuer, theme.style("foot"), markup=False),
            CJKParagraph(fmt.date_cn(doc.date), theme.style("foot"), markup=False)]


def layout_pdf(resolved, path: Path, height: float = TALL, cache_dir=None) -> int:
    """Lay the briefing out in the phone form on pages `height` pt tall into `path`; the page count."""
    fonts.register_reportlab_fonts()
    doc = resolved.doc
    theme = phone_theme(doc, height, resolved.content.templates)
    width = theme.columns(theme.type_area(1))[0].width
    found = assets.collect(resolved, theme, width, cache_dir=cache_dir)
    flowables = in_order(story(resolved, theme, width, found, front(theme, doc, width), back(theme, doc, width)))
    meta = {"title": doc.title, "author": doc.author or doc.issuer, "subject": doc.subtitle or doc.title,
            "keywords": doc.keywords}
    return pdf.write(flowables, theme, meta, path)


def in_order(flowables: list) -> list:
    """Figures where the text puts them: one tall page has room for each, so none waits (Float) for a
    next column, and a wide one (Span) needs no frame of its own in one column."""
    out = []
    for f in flowables:
        if isinstance(f, (Float, Span)):
            out += in_order(list(f._content))
        else:
            out.append(f)
    return out


def one_page(resolved, path: Path, cache_dir=None) -> None:
    """The whole briefing on one tall page (so no figure waits for a next page and leaves a hole)."""
    height = TALL
    for _attempt in range(4):
        if layout_pdf(resolved, path, height, cache_dir) == 1:
            return
        height *= 4
    raise ContentError(_("内容太长，无法排成长图"))


def cuts(page, max_height: int) -> list[tuple[float, float]]:
    """(top, bottom) in pt of each image: cut on blank rows (between lines, never through one),
    each at most `max_height` px tall, the last ending just below the content."""
    step = 1.0 / OVERVIEW                     # pt per overview row

    gray = page.render(scale=OVERVIEW, fill_color=(255, 255, 255, 255)).to_pil().convert("L")
    rows = numpy.asarray(gray).min(axis=1).tolist()      # the darkest pixel of each row
    inked = [y for y, v in enumerate(rows) if v < 250]
    end = (inked[-1] + 1) * step + BOTTOM if inked else TOP + BOTTOM
    limit = max_height / SCALE
    out, top = [], 0.0
    while end - top > limit:
        lo, hi = int((top + limit * 0.6) / step), int((top + limit) / step)
        blank = [y for y in range(hi - 1, lo - 1, -1) if rows[y] >= 250]
        if blank:
            # cut in the middle of the blank band, not at its edge: a coarse row counted blank may
            # still hold the top of a glyph at full resolution
            first = blank[0]
            while first - 1 >= lo and rows[first - 1] >= 250:
                first -= 1
            bottom = (first + blank[0] + 1) / 2 * step
        else:
            bottom = top + limit     # no blank row: cut at the limit
        out.append((top, bottom))
        top = bottom
    out.append((top, end))
    return out


def render_images(pdf_path: Path, max_height: int) -> list:
    """The page cut into images at 2× (PIL), top to bottom."""
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        page = document[0]
        height = page.get_height()
        images = []
        for top, bottom in cuts(page, max_height):
            # crop = (left, bottom, right, top): what to cut away from each side, in pt
            images.append(page.render(scale=SCALE, crop=(0, height - bottom, 0, top),
                                      fill_color=(255, 255, 255, 255)).to_pil().convert("RGB"))
    finally:
        document.close()
    return images


def write(resolved, stem: Path, max_height: int = MAX_HEIGHT, cache_dir=None) -> list[Path]:
    """<stem>-1.png, <stem>-2.png …: written atomically; images of an earlier, longer build removed."""
    if int(max_height) < MIN_HEIGHT:
        raise ContentError(_("长图每张的高度至少为 {n} 像素").format(n=MIN_HEIGHT))
    # the phone-form PDF is a step, not an output: a hidden file in the output folder (nothing is
    # written outside it), removed at once
    phone = stem.parent / f".{stem.name}.longimage.pdf"
    try:
        one_page(resolved, phone, cache_dir)
        images = render_images(phone, int(max_height))
    finally:
        phone.unlink(missing_ok=True)
    photos = any(hasattr(block, "image") for _p, block, _n in walk_blocks(resolved.doc))
    out = []
    for i, image in enumerate(images, start=1):
        buf = io.BytesIO()
        if not photos:
            # text and flat-coloured charts lose nothing visible in 256 colours, and the file is a quarter
            image = image.quantize(256, method=Image.Quantize.FASTOCTREE)
        image.save(buf, format="PNG", dpi=(144, 144))
        path = stem.parent / f"{stem.name}-{i}.png"
        write_atomic(path, buf.getvalue())
        out.append(path)
    for stale in stem.parent.glob(f"{stem.name}-*.png"):
        tail = stale.stem[len(stem.name) + 1:]
        if tail.isdigit() and int(tail) > len(images):
            stale.unlink()
    return out
