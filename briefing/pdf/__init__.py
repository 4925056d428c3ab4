"""Stage 6 — PDF: run platypus over the story with the theme's page form and write the file atomically."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from ..errors import ContentError
from ..i18n import _
from ..layout.parts import AtFoot, Bookmark, Float
from ..templates import pages


class BriefingDoc(BaseDocTemplate):
    """A doc template with floating figures, remembering on which page each section starts.

    A figure (Float) that does not fit in what is left of a column waits
    while the text after it fills the column, and opens the next column,
    as LaTeX floats do; without this every large chart leaves a hole. It
    never leaves its section: a new section, a page break or the closing
    block places waiting figures first.
    """

    def __init__(self, *args, **kwargs):
        self.section_pages: dict[str, int] = {}
        self._waiting: list = []
        super().__init__(*args, **kwargs)

    def handle_flowable(self, flowables):
        f = flowables[0]
        if getattr(self, "frame", None) is None:   # platypus itself calls in before the first frame
            return super().handle_flowable(flowables)
        if self._waiting and (self.frame._atTop or _is_barrier(f)):
            flowables[0:0], self._waiting = self._waiting, []
            f = flowables[0]
        if isinstance(f, Float) and not f.waited and not self.frame._atTop:
            room = self.frame._y - self.frame._y1p
            if f.wrapOn(self.canv, self.frame._getAvailableWidth(), self.frame._aH)[1] > room:
                f.waited = True
                self._waiting.append(flowables.pop(0))
                if not flowables:
                    flowables[:], self._waiting = self._waiting, []
                return
        super().handle_flowable(flowables)


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


def _is_barrier(f) -> bool:
    return isinstance(f, (AtFoot, PageBreak)) or (isinstance(f, Bookmark) and f.level == 0)


def _describe(e: LayoutError) -> str:
    text = str(e).split(" too large", 1)[0]
    return text if len(text) < 160 else text[:157] + "…"
