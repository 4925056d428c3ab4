"""Small flowables the blocks and page forms share: rules, bookmarks, side bars, bottom blocks."""
from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table

from .paragraph import CJKParagraph
from .record import ContentsSlot, OutlineEntry, record_of
from .style import TextStyle
from .table import DataTable


class Bookmark(Flowable):
    """A zero-size mark that adds a PDF outline entry where it lands."""

    def __init__(self, key: str, title: str, level: int = 0):
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, self.level, closed=False)
        record = record_of(self.canv)
        if record is not None:
            record.section_pages[self.key] = self.canv.getPageNumber()
            record.outline.append(OutlineEntry(self.canv.getPageNumber(), self.level, self.title, self.key))


class Rule(Flowable):
    """A horizontal rule across the given width."""

    def __init__(self, width: float, thickness: float = 0.5, color: str = "#000000", space: float = 0) -> None:
        super().__init__()
        self.width, self.thickness, self.color, self.space = width, thickness, color, space

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.thickness + 2 * self.space

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(colors.HexColor(self.color) if isinstance(self.color, str) else self.color)
        c.setLineWidth(self.thickness)
        y = self.space + self.thickness / 2
        c.line(0, y, self.width, y)


class SideBar(Flowable):
    """Flowables with a coloured bar down their left side (pull quotes, callouts)."""

    def __init__(self, content: Sequence[Flowable], width: float, color: colors.Color | str, bar: float = 3.0,
                 pad: float = 10.0, vpad: bool = True) -> None:
        super().__init__()
        self.content, self.width, self.color, self.bar, self.pad = content, width, color, bar, pad
        self.vpad = pad if vpad else 0.0     # without it, the lines keep the positions of the grid
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        inner = self.width - self.bar - self.pad
        self._sizes = [f.wrap(inner, availHeight) for f in self.content]
        self.height = sum(h for _, h in self._sizes) + self.vpad / 2
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(self.color)
        c.rect(0, 0, self.bar, self.height, stroke=0, fill=1)
        y = self.height - self.vpad / 4
        for f, (_, h) in zip(self.content, self._sizes):
            y -= h
            f.drawOn(c, self.bar + self.pad, y)


class AtFoot(Flowable):
    """Content set at the foot of the current frame (a 简报's closing block).

    It takes all the space left in the frame; if the content does not fit in
    what is left, platypus moves it to the next frame.
    """

    def __init__(self, content: Flowable) -> None:
        super().__init__()
        self.content = content
        self._h = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _w, h = self.content.wrap(availWidth, availHeight)
        self._h = h
        self.width = availWidth
        self.height = max(h, availHeight - 1e-3) if h <= availHeight else h
        return self.width, self.height

    def draw(self) -> None:
        self.content.drawOn(self.canv, 0, 0)


def snap(height: float, pitch: float) -> float:
    """Round a height up to a whole number of body lines, so what follows stays on the line grid."""
    if pitch <= 0:
        return height
    return math.ceil(height / pitch - 1e-6) * pitch


def _stack_height(items: list[Flowable], width: float, height: float) -> tuple[float, list[float]]:
    """Total height of flowables set one under another, spaces between them included."""
    heights: list[float] = []
    total = 0.0
    for i, f in enumerate(items):
        _w, h = f.wrap(width, height)
        h += (f.getSpaceBefore() if i else 0.0) + (f.getSpaceAfter() if i < len(items) - 1 else 0.0)
        heights.append(h)
        total += h
    return total, heights


def _draw_stack(canv: Canvas, items: list[Flowable], heights: list[float], top: float) -> None:
    y = top
    for i, (f, h) in enumerate(zip(items, heights)):
        y -= h
        below = f.getSpaceAfter() if i < len(items) - 1 else 0.0
        f.drawOn(canv, 0, y + below)


class Placed:
    """Mixin for units that must reach the page (figures, tables, panels): drawing one records its key
    (record_of), and the PDF stage fails the build naming any unit that was never drawn."""

    canv: Canvas          # set by platypus on the Flowable this is mixed into, before it draws
    unit_key = ""
    number_id = ""        # "图3": its number in content order, recorded in the order units are drawn

    def _placed(self) -> None:
        record = record_of(self.canv)
        if record is None:
            return
        if self.unit_key:
            record.placed.add(self.unit_key)
        if self.number_id:
            record.drawn.append(self.number_id)


class GridBox(Placed, Flowable):
    """Flowables set as one unbreakable unit whose height is a whole number of body lines
    (`pitch`); the content sits centred in that height. Headings, quotes and figures in one of
    these leave the text after them on the page's baseline grid."""

    def __init__(self, content: Sequence[Flowable], pitch: float, key: str = "", top: bool = False,
                 width: float | None = None) -> None:
        super().__init__()
        self._content = list(content)
        self.set_width = width    # set at this width whatever the frame (a Span's type-area width)
        self.pitch, self.unit_key = pitch, key
        self.top = top            # content flush with the top (its body-size lines on the grid), else centred
        self._heights: list[float] = []
        self._natural = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = self.set_width or availWidth
        self._natural, self._heights = _stack_height(self._content, self.width, availHeight)
        self.height = snap(self._natural, self.pitch)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        self._placed()
        slack = 0.0 if self.top else (self.height - self._natural) / 2
        _draw_stack(self.canv, self._content, self._heights, self.height - slack)


class Float(GridBox):
    """A figure, short table or panel kept in one piece that may wait for the next column (see pdf.BriefingDoc)."""


class Span(GridBox):
    """Content as wide as the type area in a multi-column page (专刊 headline, full-width chart).

    pdf.BriefingDoc sets it in a full-width frame at the top of the next page
    (as LaTeX's figure*); leading spans open the first page. In a one-column
    page it is an ordinary Float.
    """

    def __init__(self, content: Sequence[Flowable], width: float, front: bool = False, pitch: float = 0.0,
                 key: str = "") -> None:
        super().__init__(content, pitch, key, width=width)
        self.front = front


class TableUnit(Placed, Flowable):
    """A table with its caption above and its source note below, travelling together.

    A table that fits a column floats whole like a figure. A longer one splits
    between rows: every part after the first opens with a continuation caption
    ("续表N …") and the repeated header row, the source note stays directly under
    the last row, and the last part keeps at least two rows so the note never
    stands alone. A unit holds rows start..stop-1 of its DataTable; ReportLab's
    Table is made only for a part that fits where it is set, so each page costs
    the rows it shows, not the rows still to come.
    """

    MIN_ROWS = 2

    def __init__(self, head: list[Flowable], table: DataTable, foot: list[Flowable], pitch: float,
                 cont_head: list[Flowable] | None = None, key: str = "", floating: bool = True,
                 last: bool = True, start: int = 1, stop: int | None = None) -> None:
        super().__init__()
        self.head, self.table, self.foot = head, table, foot
        self.pitch, self.cont_head, self.unit_key = pitch, cont_head or head, key
        self.floating, self.last = floating, last
        self.start, self.stop = start, len(table) if stop is None else stop
        self._rows: _Rows = _Rows(table, self.start, self.stop)

    def _items(self) -> list[Flowable]:
        return [*self.head, self._rows, *self.foot]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self._rows.room = availHeight
        self._natural, self._heights = _stack_height(self._items(), availWidth, 10_000_000)
        # a part that ends its column needs no rounding; the last part leaves the text after it on the grid
        self.height = snap(self._natural, self.pitch) if self.last else self._natural
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        if self.height <= availHeight + 1e-6:
            return [self]
        head_h, _ = _stack_height(self.head, availWidth, availHeight)
        start, stop, table = self.start, self.stop, self.table
        if stop - start <= 2 * self.MIN_ROWS:
            return []
        # the last part keeps MIN_ROWS rows (and the note): never split closer to the end than that
        room = min(availHeight - head_h, table.height(start, stop - self.MIN_ROWS) + 1e-3)
        if room <= 0:
            return []
        # rows that fit under the header, counted as ReportLab counts them
        cut = start + table.fitting(start, stop, room) - 1
        if cut >= stop or cut - start < self.MIN_ROWS:
            return []         # not even two rows fit here: the whole unit opens the next column
        first = TableUnit(self.head, table, [], self.pitch, self.cont_head, self.unit_key, False, last=False,
                          start=start, stop=cut)
        rest = TableUnit(self.cont_head, table, self.foot, self.pitch, self.cont_head, self.unit_key, False,
                         start=cut, stop=stop)
        first.number_id = rest.number_id = self.number_id
        return [first, rest]

    def draw(self) -> None:
        self._placed()
        items = self._items()
        _draw_stack(self.canv, items, self._heights, self.height - (self.height - self._natural) / 2)


# a run of rows this much taller than its room cannot fit whatever the rounding of its sum: its rough height serves
ROUGH = 1.0


class _Rows(Flowable):
    """Rows start..stop-1 of a DataTable under its header row, as one flowable of a TableUnit.

    While the rows are clearly taller than the room they are given (a long table before it splits) their
    height comes from the table's sums and no ReportLab Table is made; otherwise the Table of these rows is
    made once and measured and drawn by ReportLab, so a part that is set is set exactly as ReportLab sets it."""

    def __init__(self, table: DataTable, start: int, stop: int) -> None:
        super().__init__()
        self.table, self.start, self.stop = table, start, stop
        self.room = 0.0                   # the height the unit was offered at its last wrap
        self._made: Table | None = None
        self._measured = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        rough = self.table.height(self.start, self.stop)
        if rough > self.room + ROUGH:
            self.width, self.height = sum(self.table.widths), rough
            return self.width, self.height
        self.width, self.height = self._table().wrap(availWidth, availHeight)
        self._measured = True
        return self.width, self.height

    def _table(self) -> Table:
        if self._made is None:
            self._made = self.table.piece(self.start, self.stop)
        return self._made

    def drawOn(self, canvas: Canvas, x: float, y: float) -> None:
        table = self._table()
        if not self._measured:            # drawn after a rough wrap: ReportLab needs its own measure first
            table.wrap(self.width, 10_000_000)
            self._measured = True
        table.drawOn(canvas, x, y)


class Boxed(Flowable):
    """A heading on a coloured band (kind "box") or between rules (kind "rule")."""

    def __init__(self, content: Flowable, kind: str, color: str, pad: float = 3.0, rule: float = 1.2) -> None:
        super().__init__()
        self.content, self.kind, self.color, self.pad, self.rule = content, kind, color, pad, rule
        self.spaceBefore = getattr(content, "spaceBefore", 0)
        self.spaceAfter = getattr(content, "spaceAfter", 0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        inner = availWidth - (2 * self.pad if self.kind == "box" else 0)
        _w, h = self.content.wrap(inner, availHeight)
        self.width, self._ch = availWidth, h
        self.height = h + 2 * self.pad + (self.rule if self.kind == "rule" else 0)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        col = colors.HexColor(self.color) if isinstance(self.color, str) else self.color
        if self.kind == "box":
            c.setFillColor(col)
            c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
            self.content.drawOn(c, self.pad, self.pad)
        else:   # a heavy rule above, a hairline below
            c.setStrokeColor(col)
            c.setLineWidth(self.rule)
            c.line(0, self.height - self.rule / 2, self.width, self.height - self.rule / 2)
            c.setLineWidth(0.4)
            c.line(0, 0.2, self.width, 0.2)
            self.content.drawOn(c, 0, self.pad)


class Marker(Flowable):
    """A zero-size mark telling the doc template where something begins (e.g. "body": page 1 of the body)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        record = record_of(self.canv)
        if record is not None:
            record.markers.setdefault(self.name, self.canv.getPageNumber())


ContentsRow = tuple[int, CJKParagraph, str, TextStyle]     # level, title, page label, style


class Contents(Flowable):
    """A table of contents: titles, dot leaders and page numbers.

    The entries (level, title, page label) are set by pdf.write with placeholder labels: the labels do
    not change the room the contents take, so the layout is final in one pass. With `deferred` each page
    number is a PDF form drawn here and defined once the pass has found the pages (fill_contents_forms).
    """

    def __init__(self, styles: dict[int, TextStyle], indent: float = 2.0, leader: str = "·") -> None:
        super().__init__()
        self.styles, self.indent, self.leader = styles, indent, leader
        self.entries: list[tuple[int, str, str]] = []
        self._rows: list[ContentsRow] = []
        self._num_w = 0.0
        # deferred: the page numbers (and the dots before them) are drawn as PDF forms named by entry,
        # filled in when the layout has found the pages (fill_contents_forms), so one pass is enough
        self.deferred = False
        self.first = 0          # index of this part's first entry in the whole contents

    def _paragraphs(self, width: float) -> list[ContentsRow]:
        rows: list[ContentsRow] = []
        for level, title, label in self.entries:
            st = self.styles.get(level) or self.styles[max(self.styles)]
            rows.append((level, CJKParagraph(title, st, markup=False), label, st))
        return rows

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self._rows = self._paragraphs(availWidth)
        num_w = max((r[3].size * 3 for r in self._rows), default=30)
        self._num_w = num_w
        h = 0.0
        for level, para, _label, st in self._rows:
            ind = level * self.indent * st.size
            _w, ph = para.wrap(availWidth - ind - num_w - st.size, availHeight)
            h += ph
        self.height = h
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        if self.height <= availHeight:
            return [self]
        fit, h = 0, 0.0
        for level, para, _l, st in self._rows:
            ind = level * self.indent * st.size
            _w, ph = para.wrap(availWidth - ind - self._num_w - st.size, availHeight)
            if h + ph > availHeight:
                break
            h, fit = h + ph, fit + 1
        if fit == 0:
            return []
        head, tail = Contents(self.styles, self.indent, self.leader), Contents(self.styles, self.indent, self.leader)
        head.entries, tail.entries = self.entries[:fit], self.entries[fit:]
        head.deferred = tail.deferred = self.deferred
        head.first, tail.first = self.first, self.first + fit
        return [head, tail]

    def draw(self) -> None:
        c = self.canv
        y = self.height
        for i, (level, para, label, st) in enumerate(self._rows):
            ind = level * self.indent * st.size
            y -= para.height
            para.drawOn(c, ind, y)
            line = para.lines[-1] if para.lines else None
            end = ind + (line.xs[-1] + line.widths[-1] if line is not None and line.chars else 0)
            base = y + (st.leading - st.size) / 2 + 0.12 * st.size
            if self.deferred:
                record = record_of(c)
                if record is not None and record.contents_slots is not None:
                    record.contents_slots.append(ContentsSlot(self.first + i, end, base, st, self.width, self.leader))
                c.doForm(contents_form(self.first + i))
            else:
                self.draw_number(c, end, base, st, self.width, label, self.leader)

    @staticmethod
    def draw_number(c: Canvas, end: float, base: float, st: TextStyle, width: float, label: str, leader: str) -> None:
        """The page number at the right edge and the dot leaders from the end of the title up to it."""
        c.setFillColor(colors.HexColor(st.color))
        c.setFont(st.font, st.size)
        c.drawRightString(width, base, label)
        # dot leaders from the end of the title to the number, on a fixed pitch so columns of dots align
        pitch = st.size * 0.5
        x = (int((end + st.size * 0.5) / pitch) + 1) * pitch
        stop = width - c.stringWidth(label, st.font, st.size) - st.size * 0.5
        c.setFont(st.font, st.size * 0.6)
        while x + pitch <= stop:
            c.drawCentredString(x + pitch / 2, base, leader)
            x += pitch


def contents_form(index: int) -> str:
    return f"BriefingContents{index}"


def fill_contents_forms(canv: Canvas, slots: list[ContentsSlot], labels: list[str]) -> None:
    """Define the form of each contents entry drawn with `deferred` (a form may be used on a page before it
    is defined, as long as that is before the file is saved): its dots and its page number, in the
    coordinates of the contents where it was drawn."""
    for index, end, base, st, width, leader in slots:
        canv.beginForm(contents_form(index), lowerx=-10_000, lowery=-10_000, upperx=10_000, uppery=10_000)
        Contents.draw_number(canv, end, base, st, width, labels[index], leader)
        canv.endForm()
