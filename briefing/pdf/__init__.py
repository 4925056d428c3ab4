"""Stage 6 — PDF: run platypus over the story with the theme's page form and write the file atomically.

Layout takes one pass, and more only where the page form asks for it, each over a fresh copy of the story:
- a table of contents (report) is laid out once: its page numbers do not change the room it takes, so
  they are drawn as PDF forms defined after the last page, when the pass has found them;
- in a multi-column page (专刊) the columns of the last page are balanced:
  the text left for the last page is measured, and that page's frames are
  shortened to an equal share (a line more at a time if it overflows).
"""
from __future__ import annotations

import copy
import math
import os
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate
from reportlab.platypus.doctemplate import FrameBreak, LayoutError

from ..errors import ContentError, Location
from ..i18n import _
from ..layout.article import Article, Band
from ..layout.parts import AtFoot, Bookmark, Contents, Float, Span, TableUnit, fill_contents_forms
from ..layout.record import Record, RecordingCanvas
from ..layout.source import source
from ..templates import pages
from ..templates.theme import Theme
from .makeup import make_up
from .streams import PageCompressingCanvas

SPAN_ROOM = 0.5     # pt of slack in a full-width frame, so its content always fits
SPAN_SHARE = 0.6    # at most this much of a page for full-width figures when more wait


class _Flush(Flowable):
    """End of the story: figures still waiting for a full-width slot get one."""

    width = height = 0

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        pass


def _figure(f) -> bool:
    """A unit that keeps its place in the queue of figures and tables (numbered in reading order)."""
    return isinstance(f, (Float, TableUnit))


class PassCanvas(PageCompressingCanvas, RecordingCanvas):
    """The canvas of a layout pass: each page compressed as it ends (streams), the pass's record carried
    for the flowables to write to (layout.record)."""


class BriefingDoc(BaseDocTemplate):
    """A doc template with floating figures, full-width spans and per-page frames.

    Float placement (docs/composition.md): a figure or table that does not fit
    in what is left of a column waits in a queue while the text after it fills
    the column; at the first paragraph boundary of a later column the queue
    goes first, as many as fit, in their order, as LaTeX's top floats do. A
    figure arriving while others wait joins the queue behind them, so figures
    reach the page in the order they are numbered. A closing block or the end
    of the story places whatever still waits.

    In a multi-column page a Span (headline, full-width chart) is set in a
    full-width frame at the top of the next page (the first page for the
    spans that open the story) and the columns start below it; column figures
    after it wait for it, so numbering stays in reading order.
    Its `record` (layout.record) receives where sections and markers (cover,
    contents, body) land and which figures and tables were drawn, from the
    flowables as they draw on the canvas of this pass (make_canvas); the doc
    itself notes how full each column ends (usage).
    """

    frame: Any    # platypus's current Frame: its state (_y, _atTop, _aH…) is private, in no stub
    _hanging: list    # platypus's flowables to set at the top of the next frame (in no stub)

    _doSave = 1                                  # platypus: save the file at the end of build()

    def __init__(self, *args, theme: Theme, balance=None, first_spans=(), whole=False, **kwargs):
        self.theme = theme
        self.whole = whole                        # one frame a page: the type area (made-up pages)
        self.record = Record()
        self.usage: dict[int, list[float]] = {}
        self.current_section: str | None = None   # named in the message if something cannot be placed
        self.balance = balance                    # (page, column height) for the balanced last page
        self._waiting: list = []                  # [unit, frame serial when it began to wait]
        self._serial = 0                          # frames begun so far
        self._span_next: list = list(first_spans)
        self.current_block: Location | None = None   # the place of the last block set, named if one cannot be
        super().__init__(*args, **kwargs)
        self.multi = len(theme.columns(theme.type_area(1))) > 1

    def make_canvas(self, *args: Any, **kwargs: Any) -> PassCanvas:
        """platypus's canvas maker: the canvas of this pass carries its record."""
        return PassCanvas(*args, record=self.record, **kwargs)

    # -- frames -------------------------------------------------------------------
    def page_frames(self, page: int, spans: list) -> list[Frame]:
        theme = self.theme
        area = theme.type_area(page)
        if self.whole:
            return [Frame(area.x, area.y, area.width, area.height, 0, 0, 0, 0, id="page")]
        cols = theme.columns(area)
        lead = theme.body_leading
        top = cols[0].y + cols[0].height
        frames = []
        cut = 0.0
        if spans:
            h = sum(s.wrapOn(self.canv, area.width, 10_000)[1] for s in spans) + SPAN_ROOM
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
        spans, self._span_next = self._spans_for_page(self.page + 1)
        self.pageTemplate.frames = self.page_frames(self.page + 1, spans)
        super().handle_pageBegin()
        if spans:
            self._hanging.extend([*spans, FrameBreak])

    def _spans_for_page(self, page: int) -> tuple[list, list]:
        """The pending spans that go on this page, in order, leaving at least SPAN_SHARE of it to the columns;
        the rest wait for the next page."""
        area = self.theme.type_area(page)
        taken: list = []
        used = 0.0
        for i, span in enumerate(self._span_next):
            h = span.wrapOn(self.canv, area.width, 10_000)[1]
            if taken and used + h > SPAN_SHARE * area.height:
                return taken, self._span_next[i:]
            taken.append(span)
            used += h
        return taken, []

    def handle_frameBegin(self, *args, **kwargs):
        self._serial += 1
        super().handle_frameBegin(*args, **kwargs)

    def handle_pageEnd(self):
        frames: list[Any] = self.pageTemplate.frames     # their state (_y, _y2) is private, in no stub
        self.usage[self.page] = [f._y2 - f._y for f in frames if str(f.id).startswith("col")]
        super().handle_pageEnd()

    # -- flowables -------------------------------------------------------------------
    def handle_flowable(self, flowables):
        f = flowables[0]
        if isinstance(f, Bookmark) and f.level == 0:
            self.current_section = f.title
        self.current_block = source(f) or self.current_block   # a piece split off a block has no mark of its own
        if getattr(self, "frame", None) is None or self.frame.id in ("span", "page"):
            return super().handle_flowable(flowables)
        if isinstance(f, Span) and self.multi:
            self._span_next.append(flowables.pop(0))
            return
        if isinstance(f, _Flush):
            self._end_of_story(flowables)
            return
        if getattr(f, "_release", False):
            f._release = False                  # taken from the queue: it was measured to fit here
            return super().handle_flowable(flowables)
        if self._waiting and not getattr(f, "_continued", False) and self._release_waiting(flowables, f):
            return
        if _figure(f) and self._must_wait(f):
            self._waiting.append([flowables.pop(0), self._serial])
            return
        super().handle_flowable(flowables)

    def _room(self) -> float:
        return self.frame._y - self.frame._y1p

    def _height(self, f) -> float:
        return f.wrapOn(self.canv, self.frame._getAvailableWidth(), self.frame._aH)[1]

    def _must_wait(self, f) -> bool:
        """A figure waits behind figures already waiting, behind a pending span, or when it does not fit here
        (a long table that splits never waits for room: it starts here and goes on in the next column)."""
        if self._waiting:
            return True
        if isinstance(f, TableUnit) and not f.floating:
            return False
        if self.frame._atTop:
            return self._short_frame() and self._height(f) > self._room() + 1e-6
        return self._height(f) > self._room() + 1e-6

    def _short_frame(self) -> bool:
        """A column shortened by full-width figures above it: a figure too tall for it waits for a whole one."""
        return self.frame._y2 - self.frame._y1 < self.theme.columns(self.theme.type_area(self.page))[0].height - 1

    def _release_waiting(self, flowables: list, f) -> bool:
        """At a paragraph boundary in a later column than the one they began waiting in (or before the
        closing block), the waiting figures go first: as many as fit, in order. True if some were released."""
        barrier = isinstance(f, AtFoot)
        if not barrier and self._waiting[0][1] >= self._serial:
            return False
        out: list = []
        room = self._room()
        while self._waiting:
            unit = self._waiting[0][0]
            h = self._height(unit)
            splits = isinstance(unit, TableUnit) and not unit.floating
            forced = self.frame._atTop and not out and not self._short_frame()
            if h > room + 1e-6 and not splits and not forced and not barrier:
                break
            out.append(self._waiting.pop(0)[0])
            room -= h
        for w in self._waiting:
            w[1] = self._serial                 # the rest tries again in the next column
        _release(out)
        if out:
            # platypus gives up on a flowable it already moved once; this one now follows the
            # released figures, not the top of an empty column, and may move again
            f.__dict__.pop("_postponed", None)
        flowables[0:0] = out
        return bool(out)

    def _end_of_story(self, flowables: list) -> None:
        """Whatever still waits is placed before the story ends; a pending span opens one more page."""
        if self._waiting:
            out = [w[0] for w in self._waiting]
            self._waiting = []
            _release(out)
            flowables[0:0] = out
            return
        if self._span_next:
            # platypus ends the build before a page that nothing follows begins: keep the end
            # marker after the break, so the page with the spans is made
            flowables.insert(0, PageBreak())
            return
        flowables.pop(0)


def _release(units: list) -> None:
    for unit in units:
        unit.__dict__.pop("_postponed", None)   # it now follows the text, not the top of an empty frame
        unit._release = True


def write(story: list, theme, meta: dict, out_path: Path, layout: dict | None = None) -> int:
    """Lay out `story` into `out_path`; returns the page count. The file appears only when complete.
    The list is consumed (left empty): its flowables are freed as they are set.
    `layout`, when given, receives "drawn" (the figure and table numbers, content order, in the order they
    reached the page) and "balance" (the last page's balanced column height); a "balance" found by an
    earlier write of nearly the same story is tried first."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_parts(out_path)
    # the process id in the name lets the next build tell a dead build's litter from a running one's
    tmp = ""
    held = _hold_signals()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out_path.stem}.{os.getpid()}.", suffix=".part", dir=out_path.parent)
        os.close(fd)
        _release_signals(held)          # a signal that came meanwhile is raised here, inside the cleanup
        pages_count = _render(story, theme, meta, tmp, layout)
        # mkstemp creates the file private (0600); an issue is meant to be shared
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out_path)
    except BaseException:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        _release_signals(held)
    return pages_count


_HELD = {signal.SIGINT, signal.SIGTERM}


def _hold_signals() -> set | None:
    """Hold back Ctrl-C and SIGTERM while the temporary file is created, so that one arriving between its
    creation and the handler that removes it cannot leave it behind (None where the platform cannot)."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, _HELD))


def _release_signals(held: set | None) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _remove_stale_parts(out_path: Path, age: float = 3600) -> None:
    """Temp files of builds that were killed (SIGKILL leaves no chance to clean up): those whose process
    is gone, and any older than an hour."""
    for part in out_path.parent.glob(f".{out_path.stem}.*.part"):
        try:
            if not _alive(part.name[len(out_path.stem) + 2:].split(".")[0]) or \
                    time.time() - part.stat().st_mtime > age:
                part.unlink()
        except OSError:
            pass


def _alive(pid_text: str) -> bool:
    """Whether the process that wrote a temp file still runs (unknown: assume it does)."""
    if not pid_text.isdigit():
        return True
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def _render(story: list, theme, meta: dict, filename: str, layout: dict | None = None) -> int:
    if any(isinstance(f, Article) for f in story):
        return _render_made_up(story, theme, meta, filename, layout)
    # the story is taken out of the caller's list: in a one-pass layout platypus drops each flowable once
    # it is set, so a long document never holds all its laid-out paragraphs at once
    story, given = story[:], story
    given.clear()
    story.append(_Flush())
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

    keys = [k for f in story + first_spans if (k := getattr(f, "unit_key", ""))]
    hint = (layout or {}).get("balance")
    doc = None
    if hint and not contents:
        # the same story renumbered: the column height balanced last time is tried first
        doc = _pass(story, theme, meta, filename, first_spans, balance=hint)
        if doc.page != hint[0]:
            doc = None
    if doc is None:
        doc = _layout(story, contents, marks, theme, meta, filename, first_spans, multi)
    _check_placed(keys, doc)
    if layout is not None:
        layout["drawn"] = doc.record.drawn
        layout["balance"] = doc.balance
    return doc.page


def _render_made_up(story: list, theme, meta: dict, filename: str, layout: dict | None) -> int:
    """A 专刊 of articles: made up page by page (pdf.makeup), then drawn in one pass, a page a frame."""
    band = next((f for f in story if isinstance(f, Band)), None)
    articles = [f for f in story if isinstance(f, Article)]
    pages_story = make_up(articles, theme, band)
    doc = _pass(pages_story, theme, meta, filename, [], keep=False, whole=True)
    _check_placed([k for a in articles for f in a.body if (k := getattr(f, "unit_key", ""))], doc)
    if layout is not None:
        layout["drawn"] = doc.record.drawn
        layout["balance"] = None
    return doc.page


def _layout(story, contents, marks, theme, meta, filename, first_spans, multi: bool) -> BriefingDoc:
    """One pass (the contents' page numbers are filled in after it, see Contents), then the last page's
    columns balanced."""
    for c in contents:
        c.deferred = True
    toc = marks if contents else None
    # one pass needs no copy of the story (a long table is costly to copy); more passes do
    doc = _pass(story, theme, meta, filename, first_spans, keep=multi, marks=toc)
    if multi and theme.get("page", "balance", default=True):
        doc = _balance(doc, story, theme, meta, filename, first_spans, toc)
    return doc


def _balance(doc: BriefingDoc, story, theme, meta, filename, first_spans, marks=None) -> BriefingDoc:
    """End the last page's columns level: the lowest column height (on the line grid) at which the
    story still ends on that page, found by halving the range between an equal share and the tallest."""
    last, lead = doc.page, theme.body_leading
    used = doc.usage.get(last, [])
    if len(used) < 2 or min(used) >= max(used) - lead / 2:
        return doc
    low = math.ceil(sum(used) / len(used) / lead - 1e-6)       # in lines
    high = math.ceil(max(used) / lead - 1e-6)
    best, trial = None, None         # every pass writes the file: the last one run must be the one kept
    while low < high:
        mid = (low + high) // 2
        trial = _pass(story, theme, meta, filename, first_spans, balance=(last, mid * lead), marks=marks)
        if trial.page == last:
            best, high = trial, mid
        else:
            low = mid + 1
    if best is None:                 # no balanced layout fits: write the plain one again
        return _pass(story, theme, meta, filename, first_spans, marks=marks) if trial is not None else doc
    if trial is not best:
        best = _pass(story, theme, meta, filename, first_spans, balance=(last, high * lead), marks=marks)
    return best


def _check_placed(keys: list[str], doc: BriefingDoc) -> None:
    """Never lose content: every figure, table and panel of the story was drawn, or the build fails naming it."""
    missing = [k for k in keys if k not in doc.record.placed]
    if missing:
        raise ContentError(_("有内容未能排入版面：{what}").format(what="；".join(missing)),
                           hint=_("请减小图表高度或调整其位置；这是排版程序的缺陷，请一并报告"))


def _pass(story, theme, meta, filename, first_spans, balance=None, keep=True, whole=False,
          marks=None) -> BriefingDoc:
    """One layout of the story into `filename`. With `marks` (the sections a contents lists), the contents'
    page numbers are defined after the last page, from the pages this pass found, and the file saved then."""
    # CreationDate/ModDate: the build time, or SOURCE_DATE_EPOCH for reproducible builds (ReportLab reads it)
    area = theme.type_area(1)
    doc = BriefingDoc(
        filename, pagesize=theme.page_size, title=meta.get("title", ""), author=meta.get("author", ""),
        subject=meta.get("subject", ""), keywords=meta.get("keywords", []), creator="briefing",
        producer="briefing (ReportLab)", lang="zh-CN", initialFontName="BriefingSerif",
        leftMargin=area.x, rightMargin=theme.page_size[0] - area.x - area.width, topMargin=0, bottomMargin=0,
        theme=theme, balance=balance, first_spans=_fresh(first_spans), whole=whole,
    )
    record = doc.record

    def on_page_end(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        pages.decorate(canvas, record, theme, canvas.getPageNumber())

    doc.addPageTemplates([PageTemplate("body", frames=doc.page_frames(1, []), onPageEnd=on_page_end)])
    if marks is not None:
        record.contents_slots = []
        doc._doSave = 0              # platypus saves the file at the end of build(); the forms come first
    try:
        # not kept: platypus consumes the list; each page's content is compressed as the page ends
        doc.build(_fresh(story) if keep else story, canvasmaker=doc.make_canvas)
        if marks is not None:
            labels = [pages.page_label(record, record.section_pages.get(b.key, 0)) for b in marks]
            fill_contents_forms(doc.canv, record.contents_slots or [], labels)
            doc.canv.save()
    except LayoutError:
        raise ContentError(_("有内容块太大，一页放不下：{what}").format(
            what=_describe(doc.current_section, doc.page)), doc.current_block or Location(),
            hint=_("请拆分过长的表格单元格或分栏内容，或减小图表高度")) from None
    return doc


def _fresh(flowables: list) -> list:
    """The story for one more pass: a shallow copy of each flowable. A pass marks the flowables it is given
    (_postponed, _release, the size it wrapped to, its frame) and sets split-off pieces as new objects;
    what the pieces share with the original (text, styles, a table's rows) is only read, or rewritten
    to the same value. A deep copy gave the same PDF at about a third of a 专刊's PDF stage."""
    return [copy.copy(f) for f in flowables]


def _describe(section: str | None, page: int) -> str:
    """Say where on the pages, in the user's terms: the section and the page."""
    where = f"“{section}”，" if section else ""
    return f"{where}第{page}页"


