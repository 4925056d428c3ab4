"""A ReportLab TrueType font whose metrics are read in milliseconds.

ReportLab's TTFontFile reads the cmap, hmtx and loca tables one number at a time in Python:
~70 ms for the 29,000 glyphs of the Song faces, paid by every build in a new process. The same
tables read as arrays give the same dictionaries and lists in a few milliseconds, and the file is
mapped rather than copied, so only the pages of the glyphs a document embeds are ever read.

Everything else is ReportLab's own code: the small header tables (name, head, OS/2, post, hhea,
maxp) are read by TTFontFile.extractInfo, and subsets are made by TTFontFile.makeSubset from the
attributes set here. A font this path does not cover (a cmap other than format 12, a code point
mapped twice, a glyph id past the glyph count) is read by ReportLab in full, so the output never
depends on which path read the font.
"""
from __future__ import annotations

import mmap
import sys
from array import array
from fnmatch import fnmatch
from itertools import compress
from operator import ne
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import (  # type: ignore[attr-defined]  # the stubs lack unShapedFontGlob
    TTEncoding,
    TTFont,
    TTFontFace,
    TTFontParser,
    unShapedFontGlob,
)

_U32 = "I" if array("I").itemsize == 4 else "L"


def _big_endian(typecode: str, data: bytes) -> array:
    values = array(typecode)
    values.frombytes(data)
    if sys.byteorder == "little":
        values.byteswap()
    return values


class _Pairs:
    """hmetrics as makeSubset reads it, (advance, left side bearing) by glyph id, without a tuple per glyph."""

    def __init__(self, advances: list, bearings: array):
        self.advances = advances
        self.bearings = bearings

    def __getitem__(self, glyph: int) -> tuple:
        return self.advances[glyph], self.bearings[glyph]

    def __len__(self) -> int:
        return len(self.advances)


class _TableView:
    """A table of the mapped file, sliced as bytes: makeSubset copies the glyphs it embeds, not the whole
    table (12 MB of outlines for a Song face)."""

    def __init__(self, data: mmap.mmap, start: int, length: int):
        self.data = data
        self.start = start
        self.length = length

    def __getitem__(self, part: slice) -> bytes:
        start, stop, _step = part.indices(self.length)
        return self.data[self.start + start:self.start + stop]

    def __len__(self) -> int:
        return self.length


class QuickFace(TTFontFace):
    """TTFontFace with the same attributes, its per-glyph tables read as arrays (see the module's doc)."""

    def __init__(self, filename: str):
        pdfmetrics.TypeFace.__init__(self, None)
        self.filename = filename
        with open(filename, "rb") as f:
            self._ttf_data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        TTFontParser.__init__(self, filename)  # keeps _ttf_data; reads the table directory
        self.extractInfo(charInfo=0)           # the header tables, by ReportLab
        if not self._read_glyph_tables():
            self.extractInfo(charInfo=1)       # a font this reader does not cover: ReportLab reads it all

    def get_table(self, tag: str):
        if tag == "glyf":
            entry = self.table[tag]
            return _TableView(self._ttf_data, entry["offset"], entry["length"])
        return super().get_table(tag)

    def _table(self, tag: str, offset: int, length: int) -> bytes | None:
        """`length` bytes at `offset` in a table; None when the table is absent or shorter."""
        entry = self.table.get(tag)
        if entry is None or offset + length > entry["length"]:
            return None
        start = entry["offset"] + offset
        data = self._ttf_data[start:start + length]
        return data if len(data) == length else None

    def _cmap_subtable(self) -> int | None:
        """Offset in the cmap of the subtable ReportLab's extractInfo reads: the last Unicode one listed."""
        head = self._table("cmap", 0, 4)
        if head is None:
            return None
        version, count = _big_endian("H", head)
        if count == 0 and version != 0:
            count = version
        records = self._table("cmap", 4, 8 * count)
        if records is None:
            return None
        chosen = None
        level = 0
        for i in range(0, 8 * count, 8):
            platform, encoding = _big_endian("H", records[i:i + 4])
            offset = _big_endian(_U32, records[i + 4:i + 8])[0]
            if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
                chosen, level = offset, 1
            elif platform == 1 and encoding == 0 and level != 1:
                chosen, level = offset, 2
        return chosen

    def _cmap_format12(self) -> tuple[list[int], list[int]] | None:
        """The code points and glyph ids of a format 12 cmap, in the table's order; None for another format."""
        sub = self._cmap_subtable()
        if sub is None:
            return None
        header = self._table("cmap", sub, 16)
        if header is None or _big_endian("H", header[:2])[0] != 12:
            return None
        n_groups = _big_endian(_U32, header[12:16])[0]
        data = self._table("cmap", sub + 16, 12 * n_groups)
        if data is None:
            return None
        groups = _big_endian(_U32, data)
        starts, ends, firsts = groups[0::3], groups[1::3], groups[2::3]
        # most groups of a subset CJK font hold one character: those are taken as they are, and only the
        # longer ones expanded (the order does not matter: a code point listed twice is refused)
        chars = starts.tolist()
        glyphs = firsts.tolist()
        for start, end, glyph in compress(zip(starts, ends, firsts), map(ne, starts, ends)):
            chars.extend(range(start + 1, end + 1))
            glyphs.extend(range(glyph + 1, glyph + end + 1 - start))
        return chars, glyphs

    def _read_glyph_tables(self) -> bool:
        """Set charToGlyph, charWidths, defaultWidth, hmetrics and glyphPos as extractInfo(charInfo=1)
        would. False, with nothing set, for a font outside what this reads."""
        head = self._table("head", 50, 4)
        hhea = self._table("hhea", 34, 2)
        cmap = self._cmap_format12()
        if head is None or hhea is None or cmap is None:
            return False
        loca_format, glyph_format = _big_endian("H", head)
        n_hmetrics = _big_endian("H", hhea)[0]
        n_glyphs = self.numGlyphs
        chars, glyphs = cmap
        char_to_glyph = dict(zip(chars, glyphs))
        if glyph_format != 0 or not 0 < n_hmetrics <= n_glyphs or len(char_to_glyph) != len(chars) \
                or (glyphs and max(glyphs) >= n_glyphs):
            return False
        pairs = self._table("hmtx", 0, 4 * n_hmetrics)
        rest = self._table("hmtx", 4 * n_hmetrics, 2 * (n_glyphs - n_hmetrics))
        loca_size = 2 if loca_format == 0 else 4
        loca = self._table("loca", 0, loca_size * (n_glyphs + 1))
        if pairs is None or rest is None or loca is None or loca_format not in (0, 1):
            return False

        scale = self._pdfScale  # type: ignore[attr-defined]  # set by extractInfo: ReportLab's own scaling
        metrics = _big_endian("H", pairs)
        n_rest = n_glyphs - n_hmetrics
        # the glyphs after the last full metric repeat its advance, scaled (as extractInfo does)
        last = scale(metrics[-2])
        advances = metrics[0::2].tolist() + [last] * n_rest
        widths = advances if self.unitsPerEm == 1000 else [scale(a) for a in advances[:n_hmetrics]] + [last] * n_rest
        self.hmetrics = _Pairs(advances, metrics[1::2] + _big_endian("H", rest))
        self.defaultWidth = widths[0]
        char_widths = dict(zip(chars, map(widths.__getitem__, glyphs)))
        positions = _big_endian("H" if loca_format == 0 else _U32, loca)
        self.glyphPos = array(_U32, [p << 1 for p in positions]) if loca_format == 0 else positions

        # a no-break space prints as a space (as extractInfo does)
        if 0x20 in char_to_glyph:
            char_to_glyph[0xA0] = char_to_glyph[0x20]
            char_widths[0xA0] = char_widths[0x20]
        elif 0xA0 in char_to_glyph:
            char_to_glyph[0x20] = char_to_glyph[0xA0]
            char_widths[0x20] = char_widths[0xA0]
        self.charToGlyph = char_to_glyph
        self.charWidths = char_widths
        return True


def init_quick_ttfont(font: TTFont, name: str, filename: str) -> None:
    """What TTFont.__init__(font, name, filename) does, with a QuickFace for its face."""
    font.fontName = name
    font.face = QuickFace(filename)
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable  # type: ignore[attr-defined]  # as TTFont.__init__ sets it
    font.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
