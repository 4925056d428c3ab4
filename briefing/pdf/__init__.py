"""Stage 6 — PDF: run platypus over the story with the theme's page form and write the file atomically."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from ..errors import ContentError
from ..i18n import _
from ..templates import pages


class BriefingDoc(BaseDocTemplate):
    """A doc template that remembers on which page each section starts."""

    def __init__(self, *args, **kwargs):
        self.section_pages: dict[str, int] = {}
        super().__init__(*args, **kwargs)


def write(story: list, theme, meta: dict, out_path: Path) -> int:
    """Lay out `story` into `out_path`; returns the page count. The file appears only when complete."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out_path.stem}.", suffix=".part", dir=out_path.parent)
    os.close(fd)
    try:
        pages_count = _render(story, theme, meta, tmp)
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return pages_count


def _render(story: list, theme, meta: dict, filename: str) -> int:
    area = theme.type_area(1)
    frames = [Frame(f.x, f.y, f.width, f.height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                    id=f"col{i}") for i, f in enumerate(theme.columns(area))]

    def on_page(canvas, doc):
        pages.decorate(canvas, doc, theme, canvas.getPageNumber())

    doc = BriefingDoc(
        filename, pagesize=theme.page_size, title=meta.get("title", ""), author=meta.get("author", ""),
        subject=meta.get("subject", ""), keywords=meta.get("keywords", []), creator="briefing",
        producer="briefing (ReportLab)", lang="zh-CN", invariant=1, initialFontName="BriefingSerif",
        leftMargin=area.x, rightMargin=theme.page_size[0] - area.x - area.width, topMargin=0, bottomMargin=0,
    )
    doc.addPageTemplates([PageTemplate("body", frames=frames, onPage=on_page)])
    try:
        doc.build(story)
    except LayoutError as e:
        raise ContentError(_("有内容块太大，一页放不下：{what}").format(what=_describe(e)),
                           hint=_("请拆分过长的表格单元格或分栏内容，或减小图表高度")) from None
    return doc.page


def _describe(e: LayoutError) -> str:
    text = str(e).split(" too large", 1)[0]
    return text if len(text) < 160 else text[:157] + "…"
