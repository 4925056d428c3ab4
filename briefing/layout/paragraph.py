"""CJKParagraph: a platypus Flowable that sets Chinese text by the rules of docs/typesetting.md.

Lines sit on a grid: every line is exactly `leading` high, so a paragraph is
a whole number of lines and baselines line up across columns (R9).
"""
import copy
from dataclasses import replace

from reportlab.lib.colors import Color
from reportlab.platypus.flowables import Flowable

from briefing.layout.emit import TextEmitter, color_of
from briefing.layout.chars import CJK_PUNCT, HAN, LATIN, char_class
from briefing.layout.inline import Run, literal_runs, parse_inline
from briefing.layout.linebreak import Line, break_lines
from briefing.layout.measure import SUP_RISE, Measurer
from briefing.layout.paper import for_paper
from briefing.layout.style import TextStyle

DESCENT = 0.12   # ideographic em box: baseline 0.12 em above its bottom
TC_TOL = 1e-4    # char spacing differences below this are drawn as one run


Dot = tuple[float, float, float, Color]                      # 着重号: centre x, y, radius, colour
Link = tuple[str, tuple[float, float, float, float]]         # a URL and the rectangle it covers

SPACES = {ord(c): " " for c in "\t\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"}


class CJKParagraph(Flowable):
    def __init__(self, text: object, style: TextStyle, markup: bool = True) -> None:
        super().__init__()
        # tabs and typographic spaces the fonts lack print as boxes; in running text they are a space
        text = str(text).translate(SPACES)
        self.text = text
        self.style = style
        self.markup = markup
        self.runs = for_paper(parse_inline(text), style) if markup else literal_runs(text)
        self.lines: list[Line] = []
        self._laid_width: float | None = None
        self._fixed = False
        self._continued = False   # True for the pieces after a split: not a paragraph boundary
        self._shift = 0       # lines reused from the paragraph this piece was split from start here
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after

    # -- layout ---------------------------------------------------------------
    def _layout(self, width: float) -> None:
        if self._fixed or self._laid_width == width:
            return
        st = self.style
        # on a character grid the line is set in ems of the font and then scaled to the pitch:
        # positions shrink, glyphs keep their size (Word's document grid)
        grid = st.pitch / st.size if st.pitch else 1.0
        self.lines = break_lines(self.runs, width / grid, Measurer(st), size=st.size, first_indent=st.first_indent,
                                 hanlatin=st.hanlatin, align=st.align, max_stretch=st.max_stretch,
                                 lone_tail=st.lone_tail)
        if grid != 1.0:
            for line in self.lines:
                _to_grid(line, grid)
        self._laid_width = width
        self._shift = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._layout(availWidth)
        self.width = availWidth
        self.height = len(self.lines) * self.style.leading
        return self.width, self.height

    def minWidth(self) -> float:
        """Widest character: a table column can be no narrower (units may still break)."""
        m = Measurer(self.style)
        return max((max(m(r.text, r.style), default=0) for r in self.runs), default=0) + 0.01

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._layout(availWidth)
        n = len(self.lines)
        fit = int((availHeight + 1e-6) // self.style.leading)
        if fit >= n:
            return [self]
        if self.style.widows and n - fit == 1:
            fit -= 1          # no paragraph's last line alone at the head of a frame
        if self.style.widows and fit == 1:
            fit = 0           # no first line alone at a frame's foot
        if fit <= 0:
            return []
        head = copy.copy(self)
        head.lines = self.lines[:fit]
        head._fixed = True
        head.spaceAfter = 0
        tail = CJKParagraph.__new__(CJKParagraph)
        tail.__dict__.update(self.__dict__)
        tail.style = replace(self.style, first_indent=0.0, space_before=0.0)
        tail.runs = _runs_from(self.runs, self.lines[fit].start - self._shift)
        # the rest keeps its lines: laying them out again for every page made a long paragraph quadratic
        tail.lines = self.lines[fit:]
        tail._shift = self.lines[fit].start
        tail._fixed = False
        tail._continued = True   # not a paragraph boundary: figures are never placed before this piece
        tail.spaceBefore = 0
        # platypus marks a flowable it had to move on as _postponed and gives up if it must move
        # it again; the pieces are new flowables and must not inherit that mark
        for piece in (head, tail):
            piece.__dict__.pop("_postponed", None)
        return [head, tail]

    # -- drawing --------------------------------------------------------------
    def draw(self) -> None:
        canv = self.canv
        st = self.style
        m = Measurer(st)
        lead, size = st.leading, st.size
        top = len(self.lines) * lead
        base = (lead - size) / 2 + DESCENT * size
        out = TextEmitter(canv)
        dots: list[Dot] = []
        links: list[Link] = []
        for li, line in enumerate(self.lines):
            y = top - (li + 1) * lead + base
            self._draw_line(out, line, y, m, dots, links)
        out.finish()
        for x, y, r, color in dots:
            canv.setFillColor(color)
            canv.circle(x, y, r, stroke=0, fill=1)
        for url, rect in links:
            canv.linkURL(url, rect, relative=1, thickness=0)

    def _draw_line(self, out: TextEmitter, line: Line, y: float, m: Measurer, dots: list[Dot],
                   links: list[Link]) -> None:
        st = self.style
        xs, ws, sts, chars = line.xs, line.widths, line.styles, line.chars
        n = len(chars)
        k = 0
        while k < n:
            rs = sts[k]
            tc = xs[k + 1] - xs[k] - ws[k] if k + 1 < n else 0.0
            j = k + 1
            while j < n and sts[j] is rs and abs(xs[j] - xs[j - 1] - ws[j - 1] - tc) < TC_TOL:
                j += 1
            color = rs.color or (st.link_color if rs.link else st.color)
            rise = SUP_RISE * st.size if rs.sup else 0.0
            out.run(chars[k:j], xs[k:j], y + rise, m.font_for(rs), m.size_for(rs), tc, color)
            if rs.emph and not st.emphasis_font:
                _emphasis_dots(chars, xs, ws, k, j, y, st.size, color_of(color), dots)
            if rs.link:
                links.append((rs.link, (xs[k], y - DESCENT * st.size - 1, xs[j - 1] + ws[j - 1],
                                        y + (1 - DESCENT) * st.size)))
            k = j


def _emphasis_dots(chars: str, xs: list[float], ws: list[float], k: int, j: int, y: float, size: float,
                   color: Color, dots: list[Dot]) -> None:
    """着重号: a small dot centred under each Han character or letter."""
    for i in range(k, j):
        if char_class(chars[i]) in (HAN, LATIN):
            dots.append((xs[i] + ws[i] / 2, y - 0.28 * size, 0.07 * size, color))


def _to_grid(line: Line, scale: float) -> None:
    """Set a line laid out in font ems on the character grid: a full-width character's advance shrinks to
    the pitch; an advance that touches a Latin letter, digit or space keeps its width, so letters never
    overlap and Han–Latin space stays within its range (R7). What those keep is taken back evenly from
    the full-width advances, so the line still ends where the grid says (R6)."""
    xs, chars = line.xs, line.chars
    n = len(xs)
    if n:
        ends = xs[1:] + [line.right]
        advances = [e - x for x, e in zip(xs, ends)]
        # a full-width last glyph stays on its cell and overhangs it by the difference, as in Word's grid
        wide = [_wide(chars[i]) and (i + 1 >= n or _wide(chars[i + 1])) for i in range(n)]
        kept = sum(a for a, w in zip(advances, wide) if not w)
        shrunk = sum(a for a, w in zip(advances, wide) if w)
        if line.justified and shrunk > 0:
            x = xs[0] * scale                       # flush on both sides: the wide advances absorb the rest
            k = (line.right * scale - x - kept) / shrunk
        else:
            # ragged: wide advances on the pitch, the line keeps its place (left, right or centred)
            k = scale
            length = kept + shrunk * scale
            if xs[0] - line.indent < 1e-3:
                x = xs[0] * scale
            elif line.avail - line.right < 1e-3:
                x = line.right * scale - length
            else:
                x = (xs[0] + line.right) * scale / 2 - length / 2
        out: list[float] = []
        for a, w in zip(advances, wide):
            out.append(x)
            x += a * (k if w else 1.0)
        line.xs = out
        line.right = x
    else:
        line.right *= scale
    line.avail *= scale
    line.indent *= scale
    line.natural *= scale


def _wide(ch: str) -> bool:
    """A character set on the grid: Han and full-width punctuation (not Latin letters, digits or spaces)."""
    return ord(ch) >= 0x2E80 or ch in CJK_PUNCT


def _runs_from(runs: list[Run], start: int) -> list[Run]:
    """The runs of the text from character index start on."""
    out: list[Run] = []
    pos = 0
    for r in runs:
        end = pos + len(r.text)
        if end > start:
            out.append(Run(r.text[max(start - pos, 0):], r.style))
        pos = end
    return out
