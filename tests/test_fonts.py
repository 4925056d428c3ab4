"""The bundled fonts (fonts/*.ttf) and briefing.fonts."""
from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from briefing import fonts

ROOT = Path(__file__).resolve().parents[1]

EXPECTED = {
    # face: (file, family, style, PostScript name)
    "serif": ("BriefingSerifSC-Regular.ttf", "Briefing Serif SC", "Regular", "BriefingSerifSC-Regular"),
    "serif-bold": ("BriefingSerifSC-Bold.ttf", "Briefing Serif SC", "Bold", "BriefingSerifSC-Bold"),
    "sans": ("BriefingSansSC-Regular.ttf", "Briefing Sans SC", "Regular", "BriefingSansSC-Regular"),
    "sans-bold": ("BriefingSansSC-Bold.ttf", "Briefing Sans SC", "Bold", "BriefingSansSC-Bold"),
    "kai": ("BriefingKaiSC-Regular.ttf", "Briefing Kai SC", "Regular", "BriefingKaiSC-Regular"),
    "kai-bold": ("BriefingKaiSC-Bold.ttf", "Briefing Kai SC", "Bold", "BriefingKaiSC-Bold"),
}
KAI = ("kai", "kai-bold")

# symbols a briefing and its charts print (R11 punctuation included)
REQUIRED = ("％℃№①⑳×÷±≤≥→←↑↓‰•·●○■□▲▼★—…\u2212“”‘’¥€"
            "，。、；：？！（）《》〈〉「」『』【】〔〕～")
FULL_WIDTH = "“”‘’—…·"  # R11: 1 em in the CJK font


def read_name_table(path: Path) -> dict[int, str]:
    """Windows/Unicode English name records, parsed straight from the sfnt (no fontTools)."""
    data = path.read_bytes()
    num_tables = struct.unpack(">H", data[4:6])[0]
    for i in range(num_tables):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
        if tag == b"name":
            break
    else:
        raise AssertionError("no name table")
    _, count, string_offset = struct.unpack(">HHH", data[offset: offset + 6])
    names = {}
    for j in range(count):
        pid, eid, lang, nid, length, off = struct.unpack(
            ">HHHHHH", data[offset + 6 + 12 * j: offset + 18 + 12 * j])
        if (pid, eid, lang) == (3, 1, 0x409):
            start = offset + string_offset + off
            names[nid] = data[start: start + length].decode("utf-16-be")
    return names


@pytest.mark.parametrize("face", list(EXPECTED))
def test_file_loads_in_reportlab(face):
    from reportlab.pdfbase.ttfonts import TTFont

    path = fonts.font_path(face)
    assert path.name == EXPECTED[face][0]
    assert path.is_file()
    tt = TTFont(f"probe-{face}", str(path))
    assert tt.face.unitsPerEm == 1000
    assert len(tt.face.charToGlyph) > (28000 if face.startswith("serif") else 9000)


@pytest.mark.parametrize("face", list(EXPECTED))
def test_family_renamed(face):
    from reportlab.pdfbase.ttfonts import TTFontFile

    _, family, style, psname = EXPECTED[face]
    path = fonts.font_path(face)
    names = read_name_table(path)
    full = family if style == "Regular" else f"{family} {style}"
    assert names[1] == family and names[16] == family
    assert names[2] == style and names[17] == style
    assert names[4] == full
    assert names[6] == psname
    assert psname in names[3]
    # OFL: no Reserved Font Name / original name as the font's name
    reserved = ("LXGW", "霞鹜", "WenKai") if face in KAI else ("Noto", "Source")
    for nid in (1, 3, 4, 6, 16):
        assert not any(r in names[nid] for r in reserved), names[nid]
    assert ("LXGW" if face in KAI else "Adobe") in names[0]  # copyright kept
    assert "Open Font License" in names[13]  # licence kept
    assert "Modified Version" in names[10]
    assert not any(r in names[10] for r in ("LXGW", "霞鹜")) if face in KAI else "Noto" in names[10]
    # ReportLab reads the same
    rl = TTFontFile(str(path))
    assert rl.name.decode() == psname
    assert rl.familyName.decode() == family


@pytest.mark.parametrize("face", list(EXPECTED))
def test_required_symbols_covered(face):
    assert fonts.missing_chars(REQUIRED, face) == []
    for ch in REQUIRED:
        assert fonts.covered(ch, face), f"U+{ord(ch):04X} {ch}"


@pytest.mark.parametrize("face", list(EXPECTED))
def test_r11_punctuation_is_one_em(face):
    from reportlab.pdfbase.ttfonts import TTFont

    tt = TTFont(f"width-{face}", str(fonts.font_path(face)))
    for ch in FULL_WIDTH:
        assert tt.stringWidth(ch, 1000) == pytest.approx(1000), f"U+{ord(ch):04X} {ch}"
    # the CJK ideographs and full-width forms too
    for ch in "国，。％":
        assert tt.stringWidth(ch, 1000) == pytest.approx(1000)
    # two-em / three-em dashes are exact multiples of the em (the 楷体 has no ⸻: the Song sets it)
    assert tt.stringWidth("\u2e3a", 1000) == pytest.approx(2000)
    if face not in KAI:
        assert tt.stringWidth("\u2e3b", 1000) == pytest.approx(3000)


def test_charset_covers_tongyong_8105():
    lines = [line for line in (ROOT / "fonts/charset/tongyong-8105.txt").read_text("utf-8").splitlines()
             if line and not line.startswith("#")]
    assert len(lines) == 8105 and len(set(lines)) == 8105
    text = "".join(lines)
    for face in EXPECTED:
        assert fonts.missing_chars(text, face) == []
    # GB 2312 too: every character the codec encodes
    gb = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                gb.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    assert len(gb) == 6763
    assert fonts.missing_chars("".join(gb)) == []


def test_missing_chars_reports_rare_characters():
    assert fonts.covered("龘")               # GBK, so GB 18030 level 1: in the Song
    assert not fonts.covered("龘", "sans")   # not in the basic set of the other faces
    assert not fonts.covered("\U00020000")  # Extension B: beyond level 1
    assert fonts.covered("\U0002C27C")  # 𬉼, in the 通用规范汉字表 (supplementary plane)
    text = "今年 龘 增长\t12.5％\n𠀀\U00020001，“好”\x07\u3000"
    assert fonts.missing_chars(text) == ["\U00020000", "\U00020001"]
    assert fonts.missing_chars(text, "sans-bold") == ["龘", "\U00020000", "\U00020001"]
    assert fonts.missing_chars("") == []


def test_unknown_face():
    with pytest.raises(KeyError):
        fonts.font_path("italic")


def test_register_reportlab_fonts_idempotent():
    from reportlab.lib.fonts import tt2ps
    from reportlab.pdfbase import pdfmetrics

    first = fonts.register_reportlab_fonts()
    assert fonts.register_reportlab_fonts() == first == fonts.FACES
    for name in fonts.FACES.values():
        assert pdfmetrics.getFont(name).fontName == name
    assert tt2ps("BriefingSerif", 1, 0) == "BriefingSerif-Bold"
    assert tt2ps("BriefingSans", 1, 0) == "BriefingSans-Bold"


def test_pdf_embeds_a_subset(tmp_path):
    from pypdf import PdfReader
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    faces = fonts.register_reportlab_fonts()
    out = tmp_path / "probe.pdf"
    style = ParagraphStyle("body", fontName=faces["serif"], fontSize=12, leading=18)
    head = ParagraphStyle("head", fontName=faces["sans-bold"], fontSize=16, leading=22)
    doc = SimpleDocTemplate(str(out))
    doc.build([Paragraph("国务院关于经济运行情况的简报", head),
               Paragraph("“十四五”期间，全市生产总值增长 <b>6.2％</b>——高于预期……", style)])
    reader = PdfReader(str(out))
    base_fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            name = str(font.get_object()["/BaseFont"])
            if name != "/Helvetica":  # ReportLab's canvas default, never drawn with here
                base_fonts.add(name)
    subset_re = re.compile(r"^/?[A-Z]{6}\+(BriefingSerifSC-Regular|BriefingSerifSC-Bold|BriefingSansSC-Bold)$")
    assert base_fonts and all(subset_re.match(b) for b in base_fonts), base_fonts
    assert {subset_re.match(b).group(1) for b in base_fonts} == {
        "BriefingSerifSC-Regular", "BriefingSerifSC-Bold", "BriefingSansSC-Bold"}
    text = "".join(page.extract_text() for page in reader.pages)
    assert "国务院" in text and "增长" in text
    # a subset, not the whole 2.6–3.6 MB font
    assert out.stat().st_size < 200_000


def test_register_matplotlib_fonts():
    families = fonts.register_matplotlib_fonts()
    assert families == {"serif": "Briefing Serif SC", "sans": "Briefing Sans SC"}
    assert fonts.register_matplotlib_fonts() == families
    from matplotlib import font_manager as fm

    found = fm.findfont(fm.FontProperties(family="Briefing Serif SC", weight="bold"),
                        fallback_to_default=False)
    assert Path(found).name == "BriefingSerifSC-Bold.ttf"
    found = fm.findfont(fm.FontProperties(family="Briefing Sans SC"), fallback_to_default=False)
    assert Path(found).name == "BriefingSansSC-Regular.ttf"


def test_import_is_cheap():
    code = ("import sys, briefing.fonts as f; "
            "heavy = [m for m in ('matplotlib', 'reportlab', 'fontTools') if m in sys.modules]; "
            "print(heavy, f.FONT_DIR)")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, env={"PATH": "", "BRIEFING_FONT_DIR": "/nowhere"})
    assert res.stdout.strip() == "[] /nowhere"


def listed(name: str) -> set[int]:
    """Code points of a list in fonts/charset/ ("U+XXXX …" lines)."""
    out = set()
    for line in (ROOT / "fonts/charset" / name).read_text("utf-8").splitlines():
        if line.startswith("U+"):
            out.add(int(line.split()[0][2:], 16))
    return out


# characters of the lists the source fonts do not have (fonts/PROVENANCE.md): ≒ U+2252, the ten
# Extension A characters Unicode 13 added (U+4DB6–4DBF) and, in Noto Serif CJK, U+9FEB–9FEF
NOT_IN_NOTO = {0x2252, *range(0x4DB6, 0x4DC0)}
NOT_IN_NOTO_SERIF = NOT_IN_NOTO | set(range(0x9FEB, 0x9FF0))


def test_gb18030_level1_list_is_whole():
    level1 = listed("gb18030-2022-level1.txt")
    # one- and two-byte parts, Extension A and U+9FA6–9FEF
    assert {*range(0x3400, 0x4DC0), *range(0x9FA6, 0x9FF0), *range(0xFE10, 0xFE1A)} <= level1
    assert set(range(0x4E00, 0x9FA6)) <= level1                           # every URO ideograph of GBK
    assert {ord(c) for c in "㎡㎞‰№℃①⑩⑴⒇⒈⒛ⅠⅫ㈠㈩"} <= level1
    assert not any(0xE000 <= c <= 0xF8FF for c in level1)                  # no private use
    assert len(level1) == 28591


@pytest.mark.parametrize("face", list(EXPECTED))
def test_coverage_of_the_character_lists(face):
    """The Song (body text) carries GB 18030-2022 level 1; every face the 通用规范汉字表 and the
    office symbols. What a face lacks the layout sets in the Song, so the Song must hold it all."""
    tongyong = {ord(line.strip()) for line in (ROOT / "fonts/charset/tongyong-8105.txt").read_text("utf-8")
                .splitlines() if line.strip() and not line.startswith("#")}
    office = listed("office-symbols.txt")
    assert ord("㎡") in office and len(tongyong) == 8105
    want = tongyong | office
    exceptions: set[int] = set()
    if face.startswith("serif"):
        want |= listed("gb18030-2022-level1.txt")
        exceptions = NOT_IN_NOTO_SERIF
    missing = {c for c in want - exceptions if not fonts.covered(chr(c), face)}
    assert not missing, " ".join(f"U+{c:04X}" for c in sorted(missing)[:40])
    # the documented exceptions really are exceptions (the list is not a place to hide losses)
    assert not any(fonts.covered(chr(c), face) for c in exceptions)
