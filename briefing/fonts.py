"""The bundled fonts: Briefing Serif SC (宋体, body), Briefing Sans SC (黑体, headings)
and Briefing Kai SC (楷体, the （一） headings of a 简报).

Six TrueType files at ``resource("fonts")``: the repository's ``fonts/`` (built from Noto
CJK by ``fonts/build_fonts.py``; see ``fonts/PROVENANCE.md``), package data in a wheel.
This module finds them, registers them with ReportLab and matplotlib, and answers
"can this text be printed?" from the fonts' cmap.

Importing it is cheap: ReportLab and matplotlib are imported, and the font files
read, only when a function needs them, and only once per process. Commands that
never draw load this module too (through the templates' model and the schedule's
inputs): ReportLab's font modules cost them about 60 ms, matplotlib's about 0.3 s,
so the functions below import those where they are used, each marked "start-up".
"""
from __future__ import annotations

import hashlib
import os
import threading
import unicodedata
from collections.abc import Set as AbstractSet
from pathlib import Path

from .errors import ContentError, Location
from .i18n import _
from .registry import FONT_FACES
from .resources import resource

FONT_DIR: Path = Path(os.environ["BRIEFING_FONT_DIR"]) if os.environ.get("BRIEFING_FONT_DIR") \
    else resource("fonts")

# the faces with a bundled file (briefing/registry.py FONT_FACES): role -> ReportLab font name, its file
FACES: dict[str, str] = {f.name: f.font for _n, f in FONT_FACES.items() if f.file}
FILES: dict[str, str] = {f.name: f.file for _n, f in FONT_FACES.items() if f.file}

# family names as matplotlib (FreeType) sees them
MPL_FAMILIES: dict[str, str] = {f.name: f.matplotlib for _n, f in FONT_FACES.items() if f.file and f.matplotlib}

_lock = threading.RLock()
_ttfonts: dict[str, object] = {}          # face -> reportlab TTFont
_coverage: dict[str, AbstractSet[int]] = {}  # face -> code points in the cmap
_rl_registered = False
_mpl_registered = False


def registered(name: str) -> bool:
    """Whether ReportLab knows a font of this name (one registered here, or one of its standard fonts)."""
    from reportlab.pdfbase import pdfmetrics  # start-up: see the module's docstring

    try:
        pdfmetrics.getFont(name)
    except KeyError:
        return False
    return True


def _check_face(face: str) -> None:
    if face not in FACES:
        raise KeyError(f"unknown font face {face!r}; expected one of {sorted(FACES)}")


def font_path(face: str) -> Path:
    """The .ttf file of a face ("serif", "serif-bold", "sans", "sans-bold")."""
    _check_face(face)
    return FONT_DIR / FILES[face]


def _ttfont(face: str):
    """The ReportLab TTFont of a face: one object per process, its file parsed at its first use."""
    _check_face(face)
    with _lock:
        tt = _ttfonts.get(face)
        if tt is None:
            path = font_path(face)
            if not path.is_file():
                raise FileNotFoundError(
                    f"font file {path} is missing: run `python fonts/build_fonts.py` "
                    "(needs fontTools and fonts-noto-cjk) or set BRIEFING_FONT_DIR")
            tt = _lazy_font_class()(FACES[face], str(path))
            _ttfonts[face] = tt
        return tt


_LazyTTFont = None


def _lazy_font_class():
    """A ReportLab TTFont that reads its file when first asked for something only the file knows
    (widths, cmap, the glyphs to embed). A build uses three or four of the six faces, and the two
    Song faces are 13 MB each. The file is read by fontface.QuickFace: a few milliseconds a face
    where ReportLab's own reader takes 20-70 ms."""
    global _LazyTTFont
    if _LazyTTFont is None:
        from reportlab.pdfbase.ttfonts import TTFont  # start-up: see the module's docstring

        from .fontface import init_quick_ttfont  # start-up: it loads ReportLab's font modules

        class LazyTTFont(TTFont):
            def __init__(self, name: str, filename: str):
                self.fontName = name
                self._filename = filename

            def __getattr__(self, attr: str):
                # only reached for attributes not set yet: everything TTFont.__init__ sets
                if attr.startswith("__") or "_filename" not in self.__dict__:
                    raise AttributeError(attr)
                with _lock:
                    if "face" not in self.__dict__:
                        init_quick_ttfont(self, self.fontName, self._filename)
                return object.__getattribute__(self, attr)

        _LazyTTFont = LazyTTFont
    return _LazyTTFont


def register_reportlab_fonts() -> dict[str, str]:
    """Register the six faces and the families BriefingSerif / BriefingSans / BriefingKai with ReportLab
    (so that <b> in a Paragraph picks the bold face). Idempotent. Returns FACES. No file is read
    here: each face is parsed when first measured or drawn."""
    global _rl_registered
    with _lock:
        if not _rl_registered:
            from reportlab.pdfbase import pdfmetrics  # start-up: see the module's docstring

            for face in FACES:
                # pdfmetrics.registerFont asks for the face's internal name, which would parse the file;
                # this is the rest of what it does for a TrueType font
                font = _ttfont(face)
                pdfmetrics._fonts[font.fontName] = font  # type: ignore[attr-defined]  # registerFont, minus the parse
                pdfmetrics.registerFontFamily(font.fontName)
            for regular, bold in ((f, b) for f in FACES if (b := FONT_FACES.get(f).bold) is not None and b in FACES):
                pdfmetrics.registerFontFamily(
                    FACES[regular], normal=FACES[regular], bold=FACES[bold],
                    italic=FACES[regular], boldItalic=FACES[bold])
            _default_font(FACES["serif"])
            _rl_registered = True
    return dict(FACES)


def _default_font(name: str) -> None:
    """Make a bundled font ReportLab's default where it would otherwise select Helvetica:
    a Table selects its cells' font even when every cell is a flowable, and a Drawing opens
    with a font selected. Unused, Helvetica is not embedded, yet every page would name it,
    and PDF/A validators reject a reference to a font that is not embedded."""
    # start-up: platypus and the graphics shapes are about 0.1 s, only a build that draws needs them
    from reportlab.graphics import shapes
    from reportlab.platypus import tables

    tables.CellStyle.fontname = name
    shapes.STATE_DEFAULTS["fontName"] = name


def register_user_font(path: Path, where=None) -> str:
    """Register a font file of the user's (a theme's `fonts:` entry); returns its ReportLab name,
    one per file (a name per face would leak into the next build in the same process). A file
    ReportLab cannot use (not TrueType, a PostScript-outline .otf, damaged) is a located error."""
    from reportlab.pdfbase import pdfmetrics  # start-up: see the module's docstring
    from reportlab.pdfbase.ttfonts import TTFError, TTFont  # start-up: see the module's docstring

    name = "User-" + hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:12]
    with _lock:
        try:
            pdfmetrics.getFont(name)
            return name
        except KeyError:
            pass
        # ReportLab maps a font whose internal name is already registered to that font (two of them would
        # write clashing subsets); the bundled faces are registered unparsed, so their names are made known
        _known_face_names()
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except (TTFError, OSError, ValueError, KeyError, IndexError) as e:
            raise ContentError(_("字体文件“{path}”无法使用：{e}").format(path=path.name, e=e), where or Location(),
                               _("需要 TrueType 字体（.ttf，或 TrueType 轮廓的 .otf/.ttc）")) from None
    return name


def _known_face_names() -> None:
    """Record the internal names of the registered bundled faces, as pdfmetrics.registerFont would have
    (parsing them: only builds with a font of the user's pay for it)."""
    from reportlab.pdfbase import pdfmetrics  # start-up: see the module's docstring

    for face in FACES:
        font = _ttfont(face)
        pdfmetrics._dynFaceNames.setdefault(font.face.name, font)  # type: ignore[attr-defined]  # as registerFont does


def register_matplotlib_fonts() -> dict[str, str]:
    """Add the four files to matplotlib's font manager. Idempotent.
    Returns the family names {"serif": "Briefing Serif SC", "sans": "Briefing Sans SC"}."""
    global _mpl_registered
    with _lock:
        if not _mpl_registered:
            for face in FACES:
                path = font_path(face)
                if not path.is_file():
                    raise FileNotFoundError(f"font file {path} is missing: run `python fonts/build_fonts.py`")
            from matplotlib import font_manager  # start-up: matplotlib only where a chart is drawn

            for face in FACES:
                font_manager.fontManager.addfont(str(font_path(face)))
            _mpl_registered = True
    return dict(MPL_FAMILIES)


def _codepoints(face: str) -> AbstractSet[int]:
    cps = _coverage.get(face)
    if cps is None:
        with _lock:
            cps = _coverage.get(face)
            if cps is None:
                char_to_glyph = _ttfont(face).face.charToGlyph
                # a code point mapped to glyph 0 prints .notdef, an empty box: not covered
                cps = char_to_glyph.keys() if 0 not in char_to_glyph.values() \
                    else frozenset(cp for cp, gid in char_to_glyph.items() if gid)
                _coverage[face] = cps
    return cps


def covered(ch: str, face: str = "serif") -> bool:
    """True if the face has a glyph for the single character `ch`."""
    return ord(ch) in _codepoints(face)


def _ignorable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) == "Cc"


def missing_chars(text: str, face: str = "serif") -> list[str]:
    """The distinct characters of `text` the face cannot print, in order of first
    appearance (whitespace and control characters are not reported)."""
    cps = _codepoints(face)
    seen: set[str] = set()
    out: list[str] = []
    for ch in text:
        if ch in seen:
            continue
        seen.add(ch)
        if ord(ch) not in cps and not _ignorable(ch):
            out.append(ch)
    return out
