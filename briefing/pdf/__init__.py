"""Stage 6 — PDF: run platypus over the story with the theme's page form and write the file atomically.

Layout may take more than one pass, each over a fresh copy of the story:
- a table of contents (report) is filled with the pages the previous pass
  found, until the page numbers no longer change;
- in a multi-column page (专刊) the columns of the last page are balanced:
  the text left for the last page is measured, and that page's frames are
  shortened to an equal share (a line more at a time if it overflows).
"""
from __future__ import annotations

import copy
import re
import math
import os
import tempfile
from pathlib import Path

from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Frame, PageBreak, PageTemplate
from reportlab.platypus.doctemplate import FrameBreak, LayoutError

from ..errors import ContentError
from ..i18n import _
from ..layout.parts import AtFoot, Bookmark, Contents, Float, Span
from ..templates import pages

SPAN_ROOM = 0.5     # pt of slack in a full-width frame, so its content always fits


class _Flush(Flowable):
    """End of the story: figures still waiting for a full-width slot get one."""

    width = height = 0

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        pass


class BriefingDoc(BaseDocTemplate):
    """A doc template with floating figures, full-width spans and per-page frames.

    A figure (Float) that does not fit in what is left of a column waits
    while the text after it fills the column, and opens the next column,
    as LaTeX floats do; without this every large chart leaves a hole. It
    never leaves its section: a new section, a page break or the closing
    block places waiting figures first.

    In a multi-column page a Span (headline, full-width chart) is set in a
    full-width frame at the top of the next page (the first page for the
    spans that open the story) and the columns start below it.
    It records where sections (section_pages, outline_log) and markers
    (cover, contents, body) land, and how full each column ends (usage).
    """

    def __init__(self, *args, theme=None, balance=None, first_spans=(), **kwargs):
        self.theme = theme
        self.section_pages: dict[str, int] = {}
        self.outline_log: list[tuple[int, int, str, str]] = []
        self.markers: dict[str, int] = {}
        self.usage: dict[int, list[float]] = {}
        self.balance = balance                    # (page, column height) for the balanced last page
        self._waiting: list = []
        self._span_next: list = list(first_spans)
        super().__init__(*args, **kwargs)
        self.multi = len(theme.columns(theme.type_area(1))) > 1

    # -- frames -------------------------------------------------------------------
    def page_frames(self, page: int, spans: list) -> list[Frame]:
        theme = self.theme
        area = theme.type_area(page)
        cols = theme.columns(area)
        lead = theme.body_leading
        top = cols[0].y + cols[0].height
        frames = []
        cut = 0.0
        if spans:
            h = sum(_height(s, area.width, self.canv) for s in spans) + SPAN_ROOM
            frames.append(Frame(area.x, top - h, area.width, h, 0, 0, 0, 0, id="span"))
            gap = theme.length("page", "span_gap", default=lead)
            cut = math.ceil((h + gap) / lead - 1e-6) * lead    # columns stay on the line grid
        cap = None
        if self.balance and self.balance[0] == page:
            cap = self.balance[1]
        for i, c in enumerate(cols):
            height = c.height - cut
            if cap is not None:
                height = min(height, cap)
            if height < lead:
                continue
            frames.append(Frame(c.x, top - cut - height, c.width, height, 0, 0, 0, 0, id=f"col{i}"))
        return frames

    def handle_pageBegin(self):
        spans, self._span_next = self._span_next, []
        self.pageTemplate.frames = self.page_frames(self.page + 1, spans)
        super().handle_pageBegin()
        if spans:
            self._hanging.extend([f for s in spans for f in s._content] + [FrameBreak])

    def handle_pageEnd(self):
        self.usage[self.page] = [f._y2 - f._y for f in self.pageTemplate.frames if str(f.id).startswith("col")]
        super().handle_pageEnd()

    # -- flowables -------------------------------------------------------------------
    def handle_flowable(self, flowables):
        f = flowables[0]
        if isinstance(f, Bookmark) and f.level == 0:
            self.current_section = f.title      # named in the message if something cannot be placed
        if getattr(self, "frame", None) is None or self.frame.id == "span":
            return super().handle_flowable(flowables)
        if isinstance(f, Span) and self.multi:
            self._span_next.append(flowables.pop(0))
            return
        if isinstance(f, _Flush):
            if self._waiting:
                flowables[0:0], self._waiting = self._waiting, []
                return
            flowables.pop(0)
            if self._span_next:
                flowables.insert(0, PageBreak())
            return
        if self._waiting and (self.frame._atTop or _is_barrier(f)):
            if hasattr(f, "_postponed"):
                del f._postponed   # it now follows the waiting floats, not the top of an empty frame
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


def _height(span: Span, width: float, canv) -> float:
    h = 0.0
    for f in span._content:
        _w, fh = f.wrapOn(canv, width, 10_000)
        h += fh + f.getSpaceBefore() + f.getSpaceAfter()
    return h


def write(story: list, theme, meta: dict, out_path: Path) -> int:
    """Lay out `story` into `out_path`; returns the page count. The file appears only when complete."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_parts(out_path)
    fd, tmp = tempfile.mkstemp(prefix=f".{out_path.stem}.", suffix=".part", dir=out_path.parent)
    os.close(fd)
    try:
        pages_count = _render(story, theme, meta, tmp)
        # mkstemp creates the file private (0600); an issue is meant to be shared
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return pages_count


def _remove_stale_parts(out_path: Path, age: float = 3600) -> None:
    """Temp files of builds that were killed (SIGKILL leaves no chance to clean up), older than an hour."""
    import time

    for part in out_path.parent.glob(f".{out_path.stem}.*.part"):
        try:
            if time.time() - part.stat().st_mtime > age:
                part.unlink()
        except OSError:
            pass


def _render(story: list, theme, meta: dict, filename: str) -> int:
    story = list(story) + [_Flush()]
    multi = len(theme.columns(theme.type_area(1))) > 1
    first_spans = []
    if multi:
        # the spans that open the story (headline, deck) and those marked for the front
        # (the 专刊's key-figure strip) open the first page
        while story and isinstance(story[0], Span):
            first_spans.append(story.pop(0))
        fronts = [f for f in story if isinstance(f, Span) and f.front]
        first_spans += fronts
        story = [f for f in story if not (isinstance(f, Span) and f.front)]
    contents = [f for f in story if isinstance(f, Contents)]
    marks = [f for f in story if isinstance(f, Bookmark) and f.level <= theme.get("contents", "depth", default=0)]
    for c in contents:
        c.entries = [(b.level, b.title, "000") for b in marks]

    # one pass needs no copy of the story (a long table is costly to copy); more passes do
    doc = _pass(story, theme, meta, filename, first_spans, keep=bool(contents) or multi)
    for _attempt in range(3):          # contents: fill in the pages until they stop changing
        if not contents:
            break
        entries = [(b.level, b.title, pages.page_label(doc, doc.section_pages.get(b.key, 0))) for b in marks]
        if all(c.entries == entries for c in contents):
            break
        for c in contents:
            c.entries = entries
        doc = _pass(story, theme, meta, filename, first_spans)

    if multi and theme.get("page", "balance", default=True):
        last, lead = doc.page, theme.body_leading
        used = doc.usage.get(last, [])
        if len(used) > 1 and used[-1] < max(used) - lead / 2:
            share = math.ceil(sum(used) / len(used) / lead - 1e-6) * lead
            written = doc
            for k in range(8):
                cap = share + k * lead
                if cap >= max(used) - 1e-6:
                    break
                written = _pass(story, theme, meta, filename, first_spans, balance=(last, cap))
                if written.page == last:
                    doc = written
                    break
            if written is not doc:          # no balanced layout fits: write the plain one again
                doc = _pass(story, theme, meta, filename, first_spans)
    return doc.page


def _pass(story, theme, meta, filename, first_spans, balance=None, keep=True) -> BriefingDoc:
    area = theme.type_area(1)

    def on_page_end(canvas, doc):
        pages.decorate(canvas, doc, theme, canvas.getPageNumber())

    doc = BriefingDoc(
        filename, pagesize=theme.page_size, title=meta.get("title", ""), author=meta.get("author", ""),
        subject=meta.get("subject", ""), keywords=meta.get("keywords", []), creator="briefing",
        producer="briefing (ReportLab)", lang="zh-CN", invariant=1, initialFontName="BriefingSerif",
        leftMargin=area.x, rightMargin=theme.page_size[0] - area.x - area.width, topMargin=0, bottomMargin=0,
        theme=theme, balance=balance, first_spans=copy.deepcopy(first_spans),
    )
    doc.addPageTemplates([PageTemplate("body", frames=doc.page_frames(1, []), onPageEnd=on_page_end)])
    try:
        doc.build(copy.deepcopy(story) if keep else list(story))
    except LayoutError as e:
        raise ContentError(_("有内容块太大，一页放不下：{what}").format(
            what=_describe(e, getattr(doc, "current_section", None), doc.page)),
            hint=_("请拆分过长的表格单元格或分栏内容，或减小图表高度")) from None
    return doc


def _is_barrier(f) -> bool:
    # a heading's CondPageBreak too: the figures go first, then the heading measures the room left
    return isinstance(f, (AtFoot, PageBreak, _Flush, CondPageBreak)) or (isinstance(f, Bookmark) and f.level == 0)


def _describe(e: LayoutError, section: str | None, page: int) -> str:
    """Say where, in the user's terms: the section and page, and the first words of the text."""
    words = re.findall(r"'([^']{1,40})", str(e))
    where = f"“{section}”，" if section else ""
    sample = f"“{words[0][:24]}…”" if words else ""
    return f"{where}第{page}页 {sample}".strip()
