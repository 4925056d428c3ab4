"""A character a face lacks is set in the Song of the same weight.

The Song (Briefing Serif SC) carries the widest character set (GB 18030-2022
level 1); the Hei, the Kai and a user's own font carry less. Rather than print
an empty box, the engine measures and draws such a character in the Song, as
a word processor's font fallback does. The build's glyph check asks the Song.
"""
from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefing.fonts import registered

SONG, SONG_BOLD = "BriefingSerif", "BriefingSerif-Bold"
_FALLBACK: dict[str, str | None] = {}


def fallback_for(font: str) -> str | None:
    """The font that stands in for `font`'s missing characters, or None (it is the Song itself,
    a standard PDF font, or no Song is registered)."""
    if font in _FALLBACK:
        return _FALLBACK[font]
    out = None
    f = pdfmetrics.getFont(font)
    if font not in (SONG, SONG_BOLD) and isinstance(f, TTFont):     # TrueType: subset, and may lack some
        song = SONG_BOLD if font.endswith("Bold") else SONG
        out = song if registered(song) else None
    _FALLBACK[font] = out
    return out


def _glyphs(font: str) -> dict[int, int]:
    """{code point: glyph} of a registered TrueType font (the engine registers no other kind)."""
    f = pdfmetrics.getFont(font)
    assert isinstance(f, TTFont), font
    glyphs: dict[int, int] = f.face.charToGlyph
    return glyphs


def has(font: str, ch: str) -> bool:
    return ord(ch) in _glyphs(font)


def pieces(text: str, font: str) -> list[tuple[int, int, str]]:
    """(start, end, font) of the stretches of `text` to set in `font` or in its stand-in."""
    fb = fallback_for(font)
    if fb is None:
        return [(0, len(text), font)]
    glyphs = _glyphs(font)
    out: list[tuple[int, int, str]] = []
    for i, ch in enumerate(text):
        f = font if glyphs.get(ord(ch)) else fb
        if out and out[-1][2] == f:
            out[-1] = (out[-1][0], i + 1, f)
        else:
            out.append((i, i + 1, f))
    return out
