"""An article of a 专刊: its headline zone and body, set in a rectangle of whole columns.

An article's body is a run of bands: text and column figures balanced over the
article's columns (so they end level, within a line), and blocks as wide as
the article (a `width: full` chart or photo) between them. `set_article` lays
an article out in the room a page has left and returns what it drew where,
and the part that goes on to the next page when it does not fit (continued).
Page make-up (pdf.makeup) decides where each article goes.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from .parts import Float, GridBox, Span, TableUnit

EPS = 1e-6

Slot = tuple[Flowable, float, float]    # a flowable set in a column: it, its y from the column's top, its height


@dataclass
class Article:
    """A section as an article. `head` is its headline zone (empty for a continued part)."""
    key: str                       # the bookmark key (sec-<id>)
    title: str
    head: list[Flowable]
    body: list[Flowable]
    columns: int
    lead: bool = False
    new_page: bool = False
    edition: str | None = None
    commentary: bool = False
    marks: list[Flowable] = field(default_factory=list)    # bookmark(s) drawn at the article's top
    continued_from: int | None = None                      # the page index its first part is on


class Band(Flowable):
    """The maker of the 版头 band each page opens with (templates.pages.banner): `make(edition)` gives
    the band of a page from its 版次. It travels in the story ahead of the articles and takes no room."""

    def __init__(self, make: Callable[[str], Flowable], first_edition: str) -> None:
        super().__init__()
        self.make, self.first_edition = make, first_edition
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


@dataclass
class Piece:
    """A flowable set at (x, y) in the article's own box: x from its left, y from its top down."""
    flowable: Flowable
    x: float
    y: float
    width: float
    height: float


@dataclass
class Laid:
    """An article laid out: its pieces, its height (whole lines) and the part left for the next page."""
    pieces: list[Piece]
    height: float
    rest: list[Flowable] | None = None          # body not set here (the article goes on)
    column_feet: list[float] = field(default_factory=list)   # where each column of the last band ends


def bands(body: list[Flowable]) -> list[tuple[str, list[Flowable]]]:
    """The body cut at the blocks as wide as the article: [("cols", [...]), ("span", [span]), …]."""
    out: list[tuple[str, list[Flowable]]] = []
    for f in body:
        if isinstance(f, Span):
            out.append(("span", [f]))
        elif out and out[-1][0] == "cols":
            out[-1][1].append(f)
        else:
            out.append(("cols", [f]))
    return out


def _floats(f: Flowable) -> bool:
    return isinstance(f, Float) or (isinstance(f, TableUnit) and f.floating)


def fill(items: list[Flowable], heights: list[float], width: float) -> tuple[list[list[Slot]], list[Flowable]]:
    """Set `items` into columns of the given heights, top to bottom, as a frame would: a paragraph splits
    between lines, a figure that does not fit waits for the next column while the text goes on.
    Returns, per column, its slots and what did not fit."""
    items = list(items)
    waiting: list[Flowable] = []
    columns: list[list[Slot]] = []
    for room in heights:
        placed: list[Slot] = []
        y = 0.0
        while waiting:
            f = waiting[0]
            _w, h = f.wrap(width, room)
            if y + h > room + EPS:
                break
            placed.append((waiting.pop(0), y, h))
            y += h + f.getSpaceAfter()
        while items:
            f = items[0]
            if isinstance(f, CondPageBreak):
                items.pop(0)
                if placed and room - y < f.height - EPS:
                    break
                continue
            if isinstance(f, PageBreak):
                items.pop(0)
                if placed:
                    break
                continue
            before = f.getSpaceBefore() if placed else 0.0
            avail = room - y - before
            _w, h = f.wrap(width, max(avail, 0.0))
            if h <= avail + EPS:
                placed.append((items.pop(0), y + before, h))
                y += before + h + f.getSpaceAfter()
                continue
            if _floats(f) and placed and not waiting:
                waiting.append(items.pop(0))     # the text after it fills this column; it opens the next
                continue
            parts = f.split(width, avail) if avail > 0 else []
            if len(parts) >= 2:
                head = parts[0]
                _w, hh = head.wrap(width, avail)
                placed.append((head, y + before, hh))
                items[0:1] = parts[1:]
            break
        columns.append(placed)
    return columns, waiting + items


def _used(column: list[Slot]) -> float:
    return max((y + h for _f, y, h in column), default=0.0)


LEVEL_TRIES = 4     # lines above the lowest height tried for columns that end level


def _shapes(h: int, k: int) -> list[list[int]]:
    """Column heights to try at height h: the last columns a line shorter (as many as possible first), then
    all of them h."""
    shorter = [[h] * j + [h - 1] * (k - j) for j in range(1, k)] if h > 1 else []
    return shorter + [[h] * k]


def _spread(cols: list[list[Slot]]) -> float:
    """How far apart the columns end (an empty column ends at its top)."""
    ends = [_used(c) for c in cols]
    return max(ends) - min(ends)


def balance(items: list[Flowable], k: int, width: float, lead: float, room: float,
            reserve: float = 0.0) -> tuple[list[list[Slot]], float, list[Flowable]]:
    """Set `items` in `k` columns ending level: the lowest column height (whole lines) at which all of
    them fit, with the last columns a line shorter where that still fits, so no column ends more than a
    line from another. When they do not fit in `room`, the columns are filled to `room` (the last one
    `reserve` shorter, for a jump line) and the rest is returned."""
    most = int((room + EPS) // lead)
    if most <= 0:
        return [[] for _ in range(k)], 0.0, list(items)

    def attempt(heights: list[int]) -> tuple[list[list[Slot]], list[Flowable]]:
        return fill(items, [h * lead for h in heights], width)

    full = [most] * k
    full[-1] = max(0, most - math.ceil(reserve / lead - EPS))
    cols, rest = attempt([most] * k)
    if rest:
        cols, rest = attempt(full)
        return cols, most * lead, rest
    natural = sum(_used(c) for c in cols)
    low, high = max(1, int(natural / lead / k)), most
    while low < high:                       # the lowest height at which everything fits
        mid = (low + high) // 2
        if attempt([mid] * k)[1]:
            low = mid + 1
        else:
            high = mid
    # the lowest layout whose columns end level (within a line): a heading kept with its text or a
    # figure that waits can leave a column short at the lowest height, a line or two more may not
    best, best_spread = None, None
    for h in range(high, min(most, high + LEVEL_TRIES) + 1):
        for heights in _shapes(h, k):
            cols, rest = attempt(heights)
            if rest:
                continue
            spread = _spread(cols)
            if best_spread is None or spread < best_spread - EPS:
                best, best_spread = heights, spread
            if spread <= lead + EPS:
                break
        if best_spread is not None and best_spread <= lead + EPS:
            break
    cols, rest = attempt(best or [high] * k)
    if rest:                                # not monotonic after all: the plain height
        cols, rest = attempt([high] * k)
    height = math.ceil(max(_used(c) for c in cols) / lead - EPS) * lead
    return cols, height, rest


def set_article(article: Article, xs: list[float], colw: float, lead: float, room: float,
                gap_after: float, jump: Flowable | None = None) -> Laid | None:
    """Lay `article` out in columns starting at `xs` (relative to the article's left), at most `room` high.
    None when not even its headline zone and two lines of text fit. `jump` (a line saying where the
    article goes on) is set at the foot of its last column when the rest does not fit."""
    k = len(xs)
    width = xs[-1] + colw
    pieces: list[Piece] = []
    y = 0.0
    if article.head:
        zone = GridBox(article.head, lead, width=width)
        _w, h = zone.wrap(width, room)
        if h + 2 * lead > room + EPS:
            return None
        pieces.append(Piece(zone, 0.0, 0.0, width, h))
        y = h
    feet: list[float] = []
    todo = bands(article.body)
    while todo:
        kind, items = todo.pop(0)
        if kind == "span":
            span = items[0]
            _w, h = span.wrap(width, room - y)
            if y + h > room + EPS:
                return _continued(pieces, y, [span] + _flatten(todo), k, room, feet)
            pieces.append(Piece(span, 0.0, y, width, h))
            y += h
            feet = []
            continue
        jump_h = jump.wrap(colw, lead * 4)[1] if jump is not None else 0.0
        cols, h, rest = balance(items, k, colw, lead, room - y, reserve=jump_h)
        for x, col in zip(xs, cols):
            for f, fy, fh in col:
                pieces.append(Piece(f, x, y + fy, colw, fh))
        feet = [y + _used(c) for c in cols]
        if rest or (todo and room - y - h < 2 * lead):
            if jump is not None:
                jh = jump.wrap(colw, lead * 4)[1]
                pieces.append(Piece(jump, xs[-1], y + h - jh, colw, jh))
            return Laid(pieces, y + h, rest + _flatten(todo), feet)
        y += h
    return Laid(pieces, y, None, feet)


def _flatten(todo: list[tuple[str, list[Flowable]]]) -> list[Flowable]:
    return [f for _kind, items in todo for f in items]


def _continued(pieces: list[Piece], y: float, rest: list[Flowable], k: int, room: float,
               feet: list[float]) -> Laid:
    return Laid(pieces, y, rest, feet)
