"""briefing.fontface: the quick reader gives ReportLab the same font as ReportLab's own reader."""
from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from briefing import fonts
from briefing.fontface import QuickFace, init_quick_ttfont

# attributes only ReportLab's reader keeps (its read position, a scratch table of extractInfo's)
# or that hold the same thing in another form (compared element by element below)
SCRATCH = {"_ttf_data", "_pos", "_pdfScale", "glyphToChar", "hmetrics", "glyphPos"}

# what the briefings print: ideographs, punctuation, Latin, figures, a no-break space
SAMPLE = "国务院关于经济运行情况的简报“十四五”期间，全市生产总值增长6.2％——Q3 GDP\u00a0≥ 5%"


def assert_same_face(quick: QuickFace, reference: TTFontFace) -> None:
    assert set(quick.__dict__) - SCRATCH == set(reference.__dict__) - SCRATCH
    for name in set(reference.__dict__) - SCRATCH:
        assert getattr(quick, name) == getattr(reference, name), name
    assert [quick.hmetrics[g] for g in range(len(quick.hmetrics))] == reference.hmetrics
    assert list(quick.glyphPos) == reference.glyphPos
    subset = [0, 32] + [ord(ch) for ch in dict.fromkeys(SAMPLE) if ord(ch) in reference.charToGlyph]
    assert quick.makeSubset(subset) == reference.makeSubset(subset)


@pytest.mark.parametrize("face", sorted(fonts.FACES))
def test_bundled_face_reads_the_same(face):
    path = str(fonts.font_path(face))
    quick = QuickFace(path)
    assert isinstance(quick.hmetrics, type(QuickFace(path).hmetrics)) and not isinstance(quick.hmetrics, list)
    assert_same_face(quick, TTFontFace(path))


def test_quick_ttfont_is_a_ttfont_as_reportlab_makes_it():
    path = str(fonts.font_path("sans"))
    quick = TTFont.__new__(TTFont)
    init_quick_ttfont(quick, "Probe-Quick", path)
    reference = TTFont("Probe-Reference", path)
    assert set(quick.__dict__) == set(reference.__dict__)
    assert quick.stringWidth(SAMPLE, 12) == reference.stringWidth(SAMPLE, 12)
    assert quick.shapable == reference.shapable


def small_font(tmp_path: Path, *, units_per_em: int = 1000, keep_format12: bool = True) -> Path:
    """A subset of the bundled Sans: small, so its loca table is in the short format."""
    from fontTools import subset
    from fontTools.ttLib import TTFont as FontToolsFont

    font = FontToolsFont(str(fonts.font_path("sans")))
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=SAMPLE)
    subsetter.subset(font)
    cmap = font["cmap"]
    if keep_format12:
        # a format 12 table beside the format 4 one, as the bundled fonts have
        from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

        table = CmapSubtable.newSubtable(12)
        table.platformID, table.platEncID, table.language = 3, 10, 0
        table.cmap = dict(cmap.getcmap(3, 1).cmap)
        cmap.tables = [t for t in cmap.tables if t.format != 12] + [table]
    else:
        cmap.tables = [t for t in cmap.tables if t.format == 4]
    font["head"].unitsPerEm = units_per_em
    out = tmp_path / "small.ttf"
    font.save(str(out))
    return out


@pytest.mark.parametrize("units_per_em", [1000, 2048])
def test_small_font_with_short_loca_and_other_units(tmp_path, units_per_em):
    path = str(small_font(tmp_path, units_per_em=units_per_em))
    quick = QuickFace(path)
    assert quick._read_glyph_tables()           # read by the quick path, not handed to ReportLab
    reference = TTFontFace(path)
    assert quick.unitsPerEm == units_per_em
    assert_same_face(quick, reference)


def test_font_without_format12_cmap_is_read_by_reportlab(tmp_path):
    path = str(small_font(tmp_path, keep_format12=False))
    quick = QuickFace(path)
    assert not quick._read_glyph_tables()
    assert isinstance(quick.hmetrics, list)     # ReportLab's reader filled it
    assert_same_face(quick, TTFontFace(path))
