"""Modular make-up of a 专刊: articles placed as rectangles of whole columns, page by page.

Each page opens with its 版头 band. Articles follow in the order written, each
at the highest place where as many neighbouring columns as it is wide are
free (the leftmost of equals), so the page fills from top to bottom. An article
that does not fit in what is left goes whole to the next page — unless the
room left is large (more than `article.split_room` of the page), or the
article would not fit a page at all: then it is continued, with a jump line
at its foot ("下转第N版") and one over its continuation ("上接第N版").
Everything stays on the page's line grid: the band, each headline zone and
each article are a whole number of body lines high.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.platypus import Flowable, PageBreak

from ..errors import ContentError, Location
from ..i18n import _
from ..layout.article import Article, Band, Laid, set_article
from ..layout.paragraph import CJKParagraph
from ..layout.source import source

EPS = 1e-6


@dataclass
class Slot:
    """An article's part placed on a page: its columns, its top (from the top of the type area) and layout."""
    article: Article
    first: int
    top: float
    laid: Laid


@dataclass
class PageState:
    edition: str
    band: Flowable | None
    band_h: float
    tops: list[float]
    slots: list[Slot] = field(default_factory=list)


def next_edition(label: str) -> str:
    """"第 9 版" -> "第 10 版": the last number in the label, plus one ("" stays "")."""
    found = list(re.finditer(r"\d+", label))
    if not found:
        return label
    m = found[-1]
    return label[:m.start()] + str(int(m.group()) + 1) + label[m.end():]


class MakeUp:
    def __init__(self, theme, band: Band | None):
        self.theme = theme
        self.band = band
        self.area = theme.type_area(1)
        self.cols = theme.columns(self.area)
        self.lead = theme.body_leading
        self.top = self.cols[0].y + self.cols[0].height        # the columns' top edge
        self.height = self.cols[0].height
        self.gap = float(theme.get("article", "gap", default=1)) * self.lead
        self.split_room = float(theme.get("article", "split_room", default=0.2))
        self.pages: list[PageState] = []

    # -- pages ------------------------------------------------------------------------------------------
    def new_page(self, edition: str | None = None) -> PageState:
        if self.pages:
            self.finish(self.pages[-1], last=False)
        if edition is None:
            edition = next_edition(self.pages[-1].edition) if self.pages else \
                (self.band.first_edition if self.band else "")
        band, band_h = None, 0.0
        if self.band is not None:
            band = self.band.make(edition)
            _w, h = band.wrap(self.area.width, self.height)
            band_h = _snap(h, self.lead) + self.lead       # a line of white under the band
        page = PageState(edition, band, band_h, [band_h] * len(self.cols))
        self.pages.append(page)
        return page

    def place(self, articles: list[Article]) -> list[PageState]:
        page = None
        queue = list(articles)
        while queue:
            a = queue.pop(0)
            if page is None:
                page = self.new_page(a.edition if a.new_page else None)
            elif a.new_page and page.slots:
                page = self.new_page(a.edition)
            elif a.new_page and a.edition:
                self.pages.pop()                 # an empty page opened by a continuation: it takes this 版次
                page = self.new_page(a.edition)
            k = min(a.columns, len(self.cols))
            first, top = self._slot(page, k)
            room = self.height - top
            laid = self._set(a, first, k, room, None)
            if laid is not None and laid.rest is None:
                self._put(page, a, first, k, top, laid)
                continue
            fresh = not page.slots
            if not fresh and not self._splits(a, k, room):
                page = self.new_page()
                queue.insert(0, a)
                continue
            jump = self._jump(_("（下转{edition}）").format(edition=self._label(next_edition(page.edition))))
            laid = self._set(a, first, k, room, jump)
            if laid is None:
                if fresh:
                    raise ContentError(_("有内容块太大，一页放不下：{what}").format(what=a.title))
                page = self.new_page()
                queue.insert(0, a)
                continue
            if fresh and laid.rest and a.body and laid.rest[0] is a.body[0]:
                # not even its first unit fits a whole page's columns
                what = getattr(laid.rest[0], "unit_key", "") or a.title
                raise ContentError(_("有内容块太大，一栏放不下：{what}").format(what=what),
                                   source(laid.rest[0]) or Location(), hint=_("请减小图表高度或拆分表格"))
            self._put(page, a, first, k, top, laid)
            if laid.rest:
                queue.insert(0, self._continuation(a, laid.rest, page.edition))
            page = self.new_page()
        if self.pages:
            self.finish(self.pages[-1], last=True)
        return self.pages

    def finish(self, page: PageState, last: bool) -> None:
        """Level the page's foot: an article at the foot of its columns that ends short of the page's foot
        (on the last page: of the lowest article there) takes the difference as white, in whole lines —
        up to two under its headline, then a line at each gap between its blocks, the same in every column
        so they stay level. What is left stays white at the foot."""
        if not page.slots:
            return
        bottoms = [self._bottom(page, s) for s in page.slots]
        target = max(bottoms) if last else self.height
        for slot, bottom in zip(page.slots, bottoms):
            if not self._at_foot(page, slot):
                continue
            lines = int((target - bottom + EPS) // self.lead)
            if lines > 0:
                self._stretch(slot, lines)

    def _bottom(self, page: PageState, slot: Slot) -> float:
        return slot.top + slot.laid.height

    def _at_foot(self, page: PageState, slot: Slot) -> bool:
        """Nothing below the article in any of its columns."""
        k = min(slot.article.columns, len(self.cols))
        mine = range(slot.first, slot.first + k)
        return not any(o is not slot and o.top > slot.top and
                       set(range(o.first, o.first + min(o.article.columns, len(self.cols)))) & set(mine)
                       for o in page.slots)

    def _stretch(self, slot: Slot, lines: int) -> None:
        laid = slot.laid
        head = laid.pieces[0] if slot.article.head and laid.pieces else None
        body = [p for p in laid.pieces if p is not head]
        if not body:
            return
        under = min(2, lines) if head is not None else 0
        for p in body:
            p.y += under * self.lead
        used = under
        # then a line at the gaps between blocks, taken evenly in every column of the last band
        columns: dict[float, list] = {}
        top_of_band = max((p.y for p in body if p.width > self.cols[0].width + 1), default=-1.0)
        for p in body:
            if p.y > top_of_band and p.width <= self.cols[0].width + 1:
                columns.setdefault(p.x, []).append(p)
        gaps = min((len(c) - 1 for c in columns.values()), default=0)
        extra = min(lines - used, gaps)
        for col in columns.values():
            col.sort(key=lambda p: p.y)
            # the gaps chosen spread over the column
            step = (len(col) - 1) / extra if extra else 0
            chosen = {1 + int(j * step) for j in range(extra)}
            shift = 0.0
            for i, p in enumerate(col):
                if i in chosen:
                    shift += self.lead
                p.y += shift
        laid.height += (used + extra) * self.lead

    def _splits(self, a: Article, k: int, room: float) -> bool:
        """Whether an article that does not fit here is continued rather than moved whole: when the room
        left is a large part of the page, or the article would not fit even on a page of its own."""
        if room >= self.split_room * self.height:
            return True
        whole = self._set(a, 0, k, self.height - (self.pages[-1].band_h if self.pages else 0), None)
        return whole is None or whole.rest is not None

    def _set(self, a: Article, first: int, k: int, room: float, jump) -> Laid | None:
        x0 = self.cols[first].x
        xs = [c.x - x0 for c in self.cols[first:first + k]]
        return set_article(a, xs, self.cols[0].width, self.lead, room, self.gap, jump)

    def _slot(self, page: PageState, k: int) -> tuple[int, float]:
        """The leftmost of the highest places where k neighbouring columns are free."""
        best = None
        for first in range(len(self.cols) - k + 1):
            top = max(page.tops[first:first + k])
            if best is None or top < best[1] - EPS:
                best = (first, top)
        assert best is not None, k       # an article is never wider than the page's columns
        return best

    def _put(self, page: PageState, a: Article, first: int, k: int, top: float, laid: Laid) -> None:
        page.slots.append(Slot(a, first, top, laid))
        bottom = top + laid.height + self.gap
        for c in range(first, first + k):
            page.tops[c] = bottom

    def _continuation(self, a: Article, rest: list, edition: str) -> Article:
        line = self._jump(_("（上接{edition}）").format(edition=self._label(edition)), head=a.title)
        return Article(a.key + "-cont", a.title, [line], rest, a.columns, commentary=a.commentary)

    def _label(self, edition: str) -> str:
        return edition.replace(" ", "") or _("下版")

    def _jump(self, text: str, head: str | None = None) -> Flowable:
        style = self.theme.style("jump", align="left" if head else "right")
        return CJKParagraph((head + text) if head else text, style, markup=False)


def _snap(h: float, lead: float) -> float:
    return math.ceil(h / lead - EPS) * lead


class Page(Flowable):
    """One made-up page: the band and the articles' pieces, drawn at their places in the type area;
    hairlines between articles and between columns when the theme asks for them."""

    def __init__(self, makeup: MakeUp, state: PageState):
        super().__init__()
        self.m, self.state = makeup, state

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self.m.area.width, min(availHeight, self.m.area.height) - 0.01
        return self.width, self.height

    def draw(self):
        canv, m = self.canv, self.m
        origin_x = m.area.x
        top = m.top - m.area.y - 0.01          # the columns' top, in this flowable's coordinates
        if self.state.band is not None:
            band = self.state.band
            _w, h = band.wrap(m.area.width, m.height)
            band.drawOn(canv, m.cols[0].x - origin_x, top - h)
        rules = m.theme.get("article", "rules", default=True)
        for slot in self.state.slots:
            x0 = m.cols[slot.first].x - origin_x
            y0 = top - slot.top
            for mark in slot.article.marks:
                mark.drawOn(canv, x0, y0)
            for p in slot.laid.pieces:
                p.flowable.wrap(p.width, p.height + 1)
                p.flowable.drawOn(canv, x0 + p.x, y0 - p.y - p.height)
            if rules:
                self._rules(slot, x0, y0)

    def _rules(self, slot: Slot, x0: float, y0: float) -> None:
        """A hairline under the article (half a gap below its foot) and between its columns."""
        canv, m = self.canv, self.m
        k = min(slot.article.columns, len(m.cols))
        colw = m.cols[0].width
        right = m.cols[slot.first + k - 1].x + colw - m.cols[slot.first].x
        canv.saveState()
        canv.setStrokeColor(colors.HexColor(m.theme.color("rule")))
        canv.setLineWidth(0.4)
        foot = y0 - slot.laid.height - m.gap / 2
        if foot > 1:
            canv.line(x0, foot, x0 + right, foot)
        if slot.article.commentary:
            canv.setStrokeColor(colors.HexColor(m.theme.color("accent")))
            canv.setLineWidth(2)
            canv.line(x0, y0 + 1, x0 + right, y0 + 1)
        canv.setLineWidth(0.3)
        head = slot.laid.pieces[0].height if slot.article.head and slot.laid.pieces else 0.0
        for c in range(1, k):
            x = (m.cols[slot.first + c - 1].x + colw + m.cols[slot.first + c].x) / 2 - m.cols[slot.first].x
            canv.line(x0 + x, y0 - head, x0 + x, y0 - slot.laid.height)
        canv.restoreState()


def make_up(articles: list[Article], theme, band: Band | None) -> list[Flowable]:
    """The story of a 专刊: one Page per page, with page breaks between them."""
    m = MakeUp(theme, band)
    out: list[Flowable] = []
    for state in m.place(articles):
        if out:
            out.append(PageBreak())
        out.append(Page(m, state))
    return out
