"""The bundled fonts, seen from matplotlib, svglib and ReportLab.

matplotlib lays text out with the family registered by
``briefing.fonts.register_matplotlib_fonts()``; the SVG names that family;
svglib must then map it to the ReportLab font registered by
``briefing.fonts.register_reportlab_fonts()`` so the text ends up in the PDF
as text in the same (embedded, subset) font. We give svglib our own font map
instead of touching its global one, so no fontconfig lookups and no silent
Helvetica fallback (which has no CJK glyphs).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics

from .. import fonts as briefing_fonts

MINUS = "\u2212"


@dataclass(frozen=True)
class ChartFonts:
    family: str              # the theme's font_family
    regular: str             # ReportLab font names
    bold: str
    has_minus: bool          # the font has U+2212 MINUS SIGN
    identity: str            # changes when the font files change (cache key)

    def minus(self, text: str) -> str:
        """Typographic minus in chart labels when the font has it."""
        if self.has_minus and text.startswith("-"):
            return MINUS + text[1:]
        return text


def _family_key(family: str, names: dict | None = None) -> str:
    """"sans" or "serif": which bundled face a theme's font_family means."""
    for key, value in (names or {}).items():
        if value == family:
            return key.split("-")[0]
    low = family.lower()
    if low in ("sans", "serif"):
        return low
    return "serif" if "serif" in low and "sans" not in low else "sans"


@lru_cache(maxsize=8)
def chart_fonts(family: str) -> ChartFonts:
    """Register the bundled ReportLab fonts (idempotent) and describe the face for ``family``.

    Does not import matplotlib: a cache hit only needs the ReportLab side.
    """
    rl_names = briefing_fonts.register_reportlab_fonts()
    key = _family_key(family, rl_names)
    regular = rl_names[key]
    bold = rl_names.get(f"{key}-bold", regular)
    face = getattr(pdfmetrics.getFont(regular), "face", None)
    has_minus = bool(face is not None and 0x2212 in getattr(face, "charToGlyph", {}))
    ident = [family, regular, bold]
    for name in (regular, bold):
        fname = getattr(getattr(pdfmetrics.getFont(name), "face", None), "filename", None)
        if fname and os.path.exists(str(fname)):
            st = os.stat(fname)
            ident.append(f"{os.path.basename(str(fname))}:{st.st_size}:{st.st_mtime_ns}")
    return ChartFonts(family, regular, bold, has_minus, "|".join(ident))


@lru_cache(maxsize=8)
def matplotlib_family(family: str) -> str:
    """Register the bundled fonts with matplotlib; the family name to use for ``family``."""
    names = briefing_fonts.register_matplotlib_fonts()
    if family in names.values():
        return family
    return names.get(_family_key(family), family)


class SvgFontMap:
    """A minimal svglib font map: every family resolves to our fonts."""

    def __init__(self, fonts: ChartFonts):
        self.fonts = fonts

    def find_font(self, font_name: str, weight: str = "normal", style: str = "normal") -> tuple[str, bool]:
        w = str(weight).strip().lower()
        bold = w in ("bold", "bolder") or (w.isdigit() and int(w) >= 600)
        return (self.fonts.bold if bold else self.fonts.regular), True
