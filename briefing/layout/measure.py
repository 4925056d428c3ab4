"""Glyph widths, cached per (font, size): the breaker asks for every character."""
from typing import cast

from reportlab.pdfbase import pdfmetrics

from briefing.fonts import registered
from briefing.layout.fallback import fallback_for, has
from briefing.layout.inline import RunStyle
from briefing.layout.style import TextStyle

_CACHE: dict[tuple[str, float], dict[str, float]] = {}  # (font name, size) -> {char: advance in pt}

SUP_SCALE = 0.6   # footnote marks: size relative to the body
SUP_RISE = 0.4    # and how far they are raised, in em of the body


def char_widths(text: str, font: str, size: float) -> list[float]:
    """Advance widths of each character of text in pt (a character the font lacks: in its stand-in)."""
    table = _CACHE.get((font, size))
    if table is None:
        table = _CACHE[(font, size)] = {}
    get = table.get
    out: list[float | None] = [get(ch) for ch in text]
    if None in out:
        fb = fallback_for(font)
        for i, ch in enumerate(text):
            if out[i] is None:
                wd = table.get(ch)
                if wd is None:
                    wd = table[ch] = pdfmetrics.stringWidth(ch, fb if fb and not has(font, ch) else font, size)
                out[i] = wd
    return cast("list[float]", out)     # every None was replaced by a width


class Measurer:
    """Maps a run style to a ReportLab font and size, and measures text in it."""

    def __init__(self, style: TextStyle) -> None:
        self.style = style
        self.bold_font = _registered(style.bold_font) or style.font
        self.emph_font = _registered(style.emphasis_font) or None

    def font_for(self, rs: RunStyle) -> str:
        if rs.bold:
            return self.bold_font
        if rs.emph and self.emph_font:
            return self.emph_font
        return self.style.font

    def size_for(self, rs: RunStyle) -> float:
        return self.style.size * SUP_SCALE if rs.sup else self.style.size

    def __call__(self, text: str, rs: RunStyle) -> list[float]:
        return char_widths(text, self.font_for(rs), self.size_for(rs))


def _registered(name: str | None) -> str | None:
    return name if name and registered(name) else None
