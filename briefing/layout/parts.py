"""Small flowables the blocks and page forms share: rules, bookmarks, side bars, bottom blocks."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether


class Bookmark(Flowable):
    """A zero-size mark that adds a PDF outline entry where it lands."""

    def __init__(self, key: str, title: str, level: int = 0):
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, self.level, closed=False)
        doc = getattr(self.canv, "_doctemplate", None)
        if doc is not None and hasattr(doc, "section_pages"):
            doc.section_pages[self.key] = self.canv.getPageNumber()


class Rule(Flowable):
    """A horizontal rule across the given width."""

    def __init__(self, width: float, thickness: float = 0.5, color="#000000", space: float = 0):
        super().__init__()
        self.width, self.thickness, self.color, self.space = width, thickness, color, space

    def wrap(self, availWidth, availHeight):
        return self.width, self.thickness + 2 * self.space

    def draw(self):
        c = self.canv
        c.setStrokeColor(colors.HexColor(self.color) if isinstance(self.color, str) else self.color)
        c.setLineWidth(self.thickness)
        y = self.space + self.thickness / 2
        c.line(0, y, self.width, y)


class SideBar(Flowable):
    """Flowables with a coloured bar down their left side (pull quotes, callouts)."""

    def __init__(self, content: list, width: float, color, bar: float = 3.0, pad: float = 10.0):
        super().__init__()
        self.content, self.width, self.color, self.bar, self.pad = content, width, color, bar, pad
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, availWidth, availHeight):
        inner = self.width - self.bar - self.pad
        self._sizes = [f.wrap(inner, availHeight) for f in self.content]
        self.height = sum(h for _, h in self._sizes) + self.pad / 2
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.setFillColor(self.color)
        c.rect(0, 0, self.bar, self.height, stroke=0, fill=1)
        y = self.height - self.pad / 4
        for f, (_, h) in zip(self.content, self._sizes):
            y -= h
            f.drawOn(c, self.bar + self.pad, y)


class AtFoot(Flowable):
    """Content set at the foot of the current frame (a 简报's closing block).

    It takes all the space left in the frame; if the content does not fit in
    what is left, platypus moves it to the next frame.
    """

    def __init__(self, content: Flowable):
        super().__init__()
        self.content = content
        self._h = 0.0

    def wrap(self, availWidth, availHeight):
        w, h = self.content.wrap(availWidth, availHeight)
        self._h = h
        self.width = availWidth
        self.height = max(h, availHeight - 1e-3) if h <= availHeight else h
        return self.width, self.height

    def draw(self):
        self.content.drawOn(self.canv, 0, 0)


class Float(KeepTogether):
    """A figure, table or panel kept in one piece that may wait for the next column (see pdf.BriefingDoc)."""

    waited = False
