"""Writing positioned glyphs into a PDF text object, cheaply.

One text object per paragraph; per line, one text run per stretch of equal
character spacing (Tc) and equal style, placed with an absolute Tm. TrueType
text goes through ReportLab's subsetting (TTFont.splitString and
getSubsetInternalName), which re-encodes characters, so the bytes written are
always what ReportLab itself would write. Each subset piece gets its own Tm:
pdfminer (and so pdfplumber) does not add Tc after the last glyph of a Tj, a
PDF viewer does; explicit placement keeps both exact.
"""
from typing import Protocol, cast

from reportlab.lib.colors import Color, toColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfbase.ttfonts import TTFont

from briefing.layout.fallback import pieces


_COLORS: dict[str, Color] = {}


class _CanvasInside(Protocol):
    """The members of ReportLab's canvas that this writes through and no stub declares."""
    _doc: object                                # the PDF document, which keeps the font subsets

    def _escape(self, s: bytes) -> str: ...


class _TextInside(Protocol):
    """The same for its text object."""
    _code: list[str]                            # the operators written so far

    def _textOut(self, text: str) -> None: ...


def color_of(spec: str) -> Color:
    """ReportLab colour for '#rrggbb' or a name, parsed once."""
    c = _COLORS.get(spec)
    if c is None:
        c = _COLORS[spec] = toColor(spec)
    return c


class TextEmitter:
    def __init__(self, canv: Canvas) -> None:
        self.canv = canv
        self.tx = canv.beginText()
        inside = cast(_CanvasInside, canv)     # cast: the members used are ReportLab's own, in no stub
        self.code = cast(_TextInside, self.tx)._code
        self.escape = inside._escape
        self.doc = inside._doc
        self.font: tuple[str, float] | None = None      # (name, size) last selected
        self.subset: str | None = None                  # internal subset name last selected
        self.tc: float | None = None
        self.color: str | None = None
        self.names: dict[tuple[str, int], str] = {}     # (font, subset) -> internal name


    def run(self, text: str, xs: list[float], y: float, font: str, size: float, tc: float, color: str) -> None:
        """Draw text, glyph i with its origin at (xs[i], y), spaced by tc; characters the font
        lacks in the Song (layout/fallback.py)."""
        parts = pieces(text, font)
        if len(parts) == 1:
            self._run(text, xs, y, parts[0][2], size, tc, color)
            return
        for a, b, f in parts:
            self._run(text[a:b], xs[a:b], y, f, size, tc, color)

    def _run(self, text: str, xs: list[float], y: float, font: str, size: float, tc: float, color: str) -> None:
        if color != self.color:
            self.tx.setFillColor(color_of(color))
            self.color = color
        if self.tc is None or abs(tc - self.tc) > 1e-5:
            self.code.append(f"{tc:.5f} Tc")
            self.tc = tc
        f = pdfmetrics.getFont(font)
        if not isinstance(f, TTFont):         # a standard Type 1 font: not subset
            self._plain(text, xs, y, font, size)
            return
        code = self.code
        names = self.names
        q = 0
        for subset, b in f.splitString(text, self.doc):
            name = names.get((font, subset))
            if name is None:
                name = names[(font, subset)] = f.getSubsetInternalName(subset, self.doc)
            if name != self.subset or self.font != (font, size):
                code.append(f"{name} {size:.3f} Tf")
                self.subset = name
                self.font = (font, size)
            code.append(f"1 0 0 1 {xs[q]:.3f} {y:.3f} Tm ({self.escape(b)}) Tj")
            q += len(b)

    def _plain(self, text: str, xs: list[float], y: float, font: str, size: float) -> None:
        # standard Type 1 fonts: ReportLab's own path
        self.tx.setFont(font, size)
        self.font, self.subset = (font, size), None
        self.tx.setTextOrigin(xs[0], y)
        cast(_TextInside, self.tx)._textOut(text)

    def finish(self) -> None:
        self.canv.drawText(self.tx)
