#!/usr/bin/env python3
"""Build the bundled TrueType fonts of the briefing project from Noto CJK and LXGW WenKai.

    python fonts/build_fonts.py            # rebuild all six into fonts/
    python fonts/build_fonts.py --out DIR  # elsewhere (e.g. to compare with the committed files)
    python fonts/build_fonts.py --charsets # write fonts/charset/gb18030-2022-level1.txt again

Needs fontTools (the project's ``fonts`` extra: ``pip install -e '.[fonts]'``),
Debian's ``fonts-noto-cjk`` (the Regular and Bold .ttc files; set NOTO_CJK_DIR to
use another folder holding the same file names) and ``fonts-lxgw-wenkai`` for the
楷体 (KAI_DIR likewise).

What it does, for each output (see fonts/PROVENANCE.md for the why):

1. take the Simplified-Chinese face ("... CJK SC", not the Mono one) out of the .ttc;
2. R11: give “ ” ‘ ’ — … · a full-width (1 em) glyph, taking the glyph that the
   font's own Chinese ``locl`` (hani/ZHS) or, failing that, ``fwid`` feature
   substitutes; likewise ⸺ ⸻ get the ZHS 2-em / 3-em glyphs; after step 4 the
   — bar is widened to span the whole em so that "——" is one unbroken line;
3. subset to the character set below (通用规范汉字表 ∪ GB 2312 ∪ Latin-1 ∪ the
   punctuation blocks ∪ the symbols a briefing uses), dropping all OpenType
   layout tables, vertical metrics and hinting;
4. convert the CFF outlines to TrueType quadratic outlines with cu2qu
   (max error 1.0 font unit, contours reversed to TrueType's clockwise order);
5. rename the family ("Briefing Serif SC" / "Briefing Sans SC") and note the
   modification in the description record.

The Song faces also take GB 18030-2022 implementation level 1 (see WIDE).

The 楷体 "Briefing Kai SC" is LXGW WenKai (already TrueType): subset to the basic
set, “ ” ‘ ’ · set on a full em like the others, and renamed: the licence reserves
the names "LXGW" and "霞鹜" to the unmodified fonts.

The output is byte-for-byte reproducible for the same inputs and fontTools version.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = Path(__file__).resolve().parent
NOTO_DIR = Path(os.environ.get("NOTO_CJK_DIR", "/usr/share/fonts/opentype/noto"))
KAI_DIR = Path(os.environ.get("KAI_DIR", "/usr/share/fonts/truetype/lxgw-wenkai"))
TONGYONG = HERE / "charset" / "tongyong-8105.txt"
LEVEL1 = HERE / "charset" / "gb18030-2022-level1.txt"
OFFICE = HERE / "charset" / "office-symbols.txt"

# output file stem -> (source .ttc, new family, style)
FONTS = {
    "BriefingSerifSC-Regular": ("NotoSerifCJK-Regular.ttc", "Briefing Serif SC", "Regular"),
    "BriefingSerifSC-Bold": ("NotoSerifCJK-Bold.ttc", "Briefing Serif SC", "Bold"),
    "BriefingSansSC-Regular": ("NotoSansCJK-Regular.ttc", "Briefing Sans SC", "Regular"),
    "BriefingSansSC-Bold": ("NotoSansCJK-Bold.ttc", "Briefing Sans SC", "Bold"),
    "BriefingKaiSC-Regular": ("LXGWWenKai-Regular.ttf", "Briefing Kai SC", "Regular"),
    "BriefingKaiSC-Bold": ("LXGWWenKai-Bold.ttf", "Briefing Kai SC", "Bold"),
}
KAI = {"BriefingKaiSC-Regular", "BriefingKaiSC-Bold"}
# GB 18030-2022 level 1 (28,591 code points) costs 3.6x the file size of the basic set: it goes
# into the Song that body text is set in; the other faces keep the basic set, and the layout
# engine sets a character they lack in the Song of the same weight (briefing/layout/emit.py)
WIDE = {"BriefingSerifSC-Regular", "BriefingSerifSC-Bold"}

CU2QU_MAX_ERR = 1.0  # font units (unitsPerEm = 1000)
VENDOR_TAG = "BRFG"

# R11: these must be 1 em wide (Chinese text takes them from the CJK font).
FULL_WIDTH = [0x201C, 0x201D, 0x2018, 0x2019, 0x2014, 0x2026, 0x00B7]
# two- and three-em dashes: a "——" drawn as one U+2E3A is a continuous line.
MULTI_EM = [0x2E3A, 0x2E3B]

# Symbols a briefing and its charts use (most are inside the blocks below too).
SYMBOLS = (
    "％℃№×÷±≤≥→←↑↓‰•·●○■□▲▼★—…¥€"
    "\u2212"  # MINUS SIGN: matplotlib's negative tick labels
    + "".join(chr(c) for c in range(0x2460, 0x2474))  # ① .. ⑳ (also in charset/office-symbols.txt)
)


def tongyong_chars() -> set[int]:
    chars = []
    for line in TONGYONG.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if len(line) != 1:
            raise SystemExit(f"{TONGYONG}: bad line {line!r}")
        chars.append(ord(line))
    if len(chars) != 8105 or len(set(chars)) != 8105:
        raise SystemExit(f"{TONGYONG}: expected 8105 distinct characters, got {len(set(chars))}")
    return set(chars)


def gb2312_chars() -> set[int]:
    """Every character the gb2312 codec can encode (GB 2312-80: 6763 hanzi + 682 symbols)."""
    out = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.update(map(ord, bytes((hi, lo)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return out


def listed(path: Path) -> set[int]:
    """Code points of a list in fonts/charset/: one a line, "U+XXXX" (anything after it is a comment)."""
    out = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith("U+"):
            raise SystemExit(f"{path}:{n}: expected U+XXXX, got {line!r}")
        out.add(int(line.split()[0][2:], 16))
    return out


def level1_chars() -> set[int]:
    """GB 18030-2022 implementation level 1 (clause 9), derived from the encoding itself:

    * every character of the one- and two-byte parts (what Python's gb18030 codec decodes
      from them), without the user-defined areas and the code points the 2005 mapping
      still sent to the Private Use Area;
    * those code points' 2022 mappings: U+FE10–FE19 (vertical forms) and U+9FB4–9FBB;
    * from the four-byte part: CJK Unified Ideographs Extension A (U+3400–4DBF) and the
      ideographs U+9FA6–9FEF.
    """
    out = set()
    for hi in range(0x81, 0xFF):
        for lo in list(range(0x40, 0x7F)) + list(range(0x80, 0xFF)):
            try:
                text = bytes((hi, lo)).decode("gb18030")
            except UnicodeDecodeError:
                continue
            out.update(ord(c) for c in text if not 0xE000 <= ord(c) <= 0xF8FF)
    out |= set(range(0x20, 0x7F))
    out |= set(range(0xFE10, 0xFE1A)) | set(range(0x9FB4, 0x9FBC))
    out |= set(range(0x3400, 0x4DC0)) | set(range(0x9FA6, 0x9FF0))
    return out


def write_charsets() -> None:
    cps = sorted(level1_chars())
    head = ("# GB 18030-2022 implementation level 1, as derived by fonts/build_fonts.py (level1_chars):\n"
            "# one- and two-byte parts without PUA, U+FE10-FE19, U+9FB4-9FBB, Extension A U+3400-4DBF,\n"
            f"# U+9FA6-9FEF. {len(cps)} code points, one a line: U+XXXX and the character.\n")
    body = "".join(f"U+{c:04X}\t{chr(c) if chr(c).isprintable() and not chr(c).isspace() else ''}\n"
                   for c in cps)
    LEVEL1.write_text(head + body, encoding="utf-8")
    print(f"{LEVEL1.relative_to(HERE.parent)}: {len(cps)} code points")


def charset(wide: bool = True) -> set[int]:
    """The code points of a font: the basic set, and with `wide` GB 18030-2022 level 1 too."""
    cps = tongyong_chars() | gb2312_chars() | listed(OFFICE)
    if wide:
        cps |= listed(LEVEL1)
    cps |= set(range(0x20, 0x7F))  # ASCII printable
    cps |= set(range(0xA0, 0x100))  # Latin-1 printable (incl. NBSP)
    cps |= set(range(0x2000, 0x2070))  # General Punctuation
    cps |= set(range(0x3000, 0x3040))  # CJK Symbols and Punctuation
    cps |= set(range(0xFF00, 0xFFF0))  # Halfwidth and Fullwidth Forms
    cps |= {ord(c) for c in SYMBOLS}
    cps |= set(MULTI_EM)
    return cps


def open_sc_face(ttc: Path) -> TTFont:
    """The face of the collection whose family name ends in 'SC' (skipping 'Mono')."""
    coll = TTCollection(str(ttc), lazy=True)
    for i, face in enumerate(coll.fonts):
        fam = face["name"].getDebugName(16) or face["name"].getDebugName(1)
        if fam.endswith(" SC") and "Mono" not in fam:
            return TTFont(str(ttc), fontNumber=i, recalcTimestamp=False)
    raise SystemExit(f"{ttc}: no SC face")


def _single_subst_lookups(font: TTFont, feature: str, script="hani", lang="ZHS "):
    """The single-substitution mappings of `feature` for script/lang, in lookup order."""
    gsub = font["GSUB"].table
    lookups: list[int] = []
    for sr in gsub.ScriptList.ScriptRecord:
        if sr.ScriptTag != script:
            continue
        for lsr in sr.Script.LangSysRecord:
            if lsr.LangSysTag != lang:
                continue
            for fi in lsr.LangSys.FeatureIndex:
                fr = gsub.FeatureList.FeatureRecord[fi]
                if fr.FeatureTag == feature:
                    lookups += fr.Feature.LookupListIndex
    maps = []
    for li in sorted(set(lookups)):
        mapping = {}
        for st in gsub.LookupList.Lookup[li].SubTable:
            if st.LookupType == 7:
                st = st.ExtSubTable
            if hasattr(st, "mapping"):
                mapping.update(st.mapping)
        maps.append(mapping)
    return maps


def fix_widths(font: TTFont) -> list[str]:
    """R11: remap proportional punctuation to the font's own full-width glyphs. Returns a log."""
    upem = font["head"].unitsPerEm
    hmtx = font["hmtx"]
    cmap = font.getBestCmap()
    candidates = _single_subst_lookups(font, "locl") + _single_subst_lookups(font, "fwid")
    remap, log = {}, []
    for cp, multiple in [(c, 1) for c in FULL_WIDTH] + [(c, 0) for c in MULTI_EM]:
        g = cmap.get(cp)
        if g is None:
            raise SystemExit(f"U+{cp:04X} not in font")
        adv = hmtx[g][0]

        def ok(width: int) -> bool:
            return width == upem if multiple else width % upem == 0

        if ok(adv):
            log.append(f"U+{cp:04X} {chr(cp)} {g} advance {adv}: kept")
            continue
        for mapping in candidates:
            alt = mapping.get(g)
            if alt is not None and ok(hmtx[alt][0]):
                remap[cp] = alt
                log.append(f"U+{cp:04X} {chr(cp)} {g} advance {adv} -> {alt} advance {hmtx[alt][0]}")
                break
        else:
            raise SystemExit(f"U+{cp:04X}: advance {adv} and no full-width alternate")
    for table in font["cmap"].tables:
        if table.isUnicode():
            for cp, alt in remap.items():
                if cp in table.cmap:
                    table.cmap[cp] = alt
    return log


def subset_font(font: TTFont, unicodes: set[int]) -> None:
    opts = subset.Options()
    opts.layout_features = []
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "VORG", "vhea", "vmtx", "DSIG"]
    opts.name_IDs = ["*"]
    opts.name_languages = [0x0409]  # English (US) records only
    opts.name_legacy = False
    opts.notdef_outline = True
    opts.glyph_names = True
    opts.hinting = False
    opts.desubroutinize = True
    opts.prune_unicode_ranges = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(unicodes))
    sub.subset(font)


def cff_to_glyf(font: TTFont) -> None:
    """CFF -> TrueType quadratic outlines (the approach of fontTools' otf2ttf snippet)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(tt_pen, CU2QU_MAX_ERR, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)  # computes bounding boxes
    hmtx = font["hmtx"]
    for name, g in glyphs.items():
        hmtx[name] = (hmtx[name][0], getattr(g, "xMin", 0))  # lsb = xMin for TrueType
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
                 "maxComponentDepth"):
        setattr(maxp, attr, 0)
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def join_dash(font: TTFont) -> str:
    """Make the (full-width) glyph of U+2014 a bar from x=0 to x=1 em, so that the Chinese
    破折号 "——" (two U+2014) prints as one unbroken line, as GB/T 15834 asks. The ZHS glyph
    of Noto CJK is a plain rectangle with ~7 % side bearings; only its x extent changes."""
    upem = font["head"].unitsPerEm
    name = font.getBestCmap()[0x2014]
    glyf, hmtx = font["glyf"], font["hmtx"]
    g = glyf[name]
    coords = g.coordinates
    xs = sorted({x for x, _ in coords})
    if g.numberOfContours != 1 or len(xs) != 2 or hmtx[name][0] != upem:
        raise SystemExit(f"U+2014 glyph {name} is not a full-width bar; not joining")
    lo, hi = xs
    for i, (x, y) in enumerate(coords):
        coords[i] = (0 if x == lo else upem, y)
    g.recalcBounds(glyf)
    hmtx[name] = (upem, 0)
    return f"U+2014 {name}: bar x {lo}..{hi} -> 0..{upem} (joins in ——)"


# where a proportional glyph goes on its em: opening marks against the text after them
EM_PLACE = {0x201C: "right", 0x2018: "right", 0x201D: "left", 0x2019: "left", 0x00B7: "centre"}


def em_punctuation(font: TTFont) -> list[str]:
    """R11 for a font without full-width alternates (LXGW WenKai's quotes and middle dot are
    350 units): the glyph is moved onto a full em, as the CJK forms of Noto stand."""
    upem = font["head"].unitsPerEm
    glyf, hmtx, cmap = font["glyf"], font["hmtx"], font.getBestCmap()
    log = []
    for cp, place in EM_PLACE.items():
        name = cmap[cp]
        adv, _lsb = hmtx[name]
        g = glyf[name]
        if adv == upem:
            log.append(f"U+{cp:04X} {chr(cp)} {name} advance {adv}: kept")
            continue
        if g.isComposite() or g.numberOfContours <= 0:
            raise SystemExit(f"U+{cp:04X}: {name} is not a simple glyph; cannot set it on an em")
        ink = g.xMax - g.xMin
        margin = (adv - ink) // 2       # keep the glyph's own side bearing towards its neighbour
        x0 = {"right": upem - ink - margin, "left": margin, "centre": (upem - ink) // 2}[place]
        shift = x0 - g.xMin
        g.coordinates.translate((shift, 0))
        g.recalcBounds(glyf)
        hmtx[name] = (upem, g.xMin)
        log.append(f"U+{cp:04X} {chr(cp)} {name} advance {adv} -> {upem}, ink moved {shift:+d} ({place})")
    return log


def rename(font: TTFont, stem: str, family: str, style: str, source: str) -> None:
    name = font["name"]
    old = {rec.nameID: rec.toUnicode() for rec in name.names if rec.platformID == 3}
    version = font["head"].fontRevision
    src_family = old.get(16) or old[1]
    full = family if style == "Regular" else f"{family} {style}"
    if stem in KAI:
        # the licence reserves the source's family names: the description names neither
        note = (
            f"Briefing project build of a Kai face (Version {version:.3f}): a Modified Version under "
            "the SIL Open Font License 1.1, not the original font (see the copyright record). Subset to "
            "the 通用规范汉字表, GB 2312, Latin-1, punctuation and office symbols; “ ” ‘ ’ · set on a "
            "full em; OpenType layout tables, vertical metrics and hinting removed; renamed."
        )
    else:
        note = (
            f"Briefing project build of {src_family} {style} (Version {version:.3f}, {source}): "
            "a Modified Version under the SIL Open Font License 1.1, not the original Noto CJK. "
            + ("Subset to GB 18030-2022 implementation level 1, the 通用规范汉字表, GB 2312, Latin-1, "
               if stem in WIDE else "Subset to the 通用规范汉字表, GB 2312, Latin-1, ") +
            "punctuation and office symbols; CFF outlines converted "
            "to TrueType (cu2qu, max error 1 unit), unhinted; “ ” ‘ ’ — … · mapped to full-width "
            "glyphs and the — bar widened to the full em; OpenType layout tables removed; renamed. "
        )
        if old.get(10):
            note += "Original description: " + old[10]
    # drop every record we rewrite, in every language
    name.names = [r for r in name.names if r.nameID not in (1, 2, 3, 4, 6, 10, 16, 17)]
    records = {
        1: family,
        2: style,
        3: f"{version:.3f};{VENDOR_TAG};{stem}",
        4: full,
        6: stem,
        10: note,
        16: family,
        17: style,
    }
    for nid, text in records.items():
        name.setName(text, nid, 3, 1, 0x409)
    name.names.sort(key=lambda r: (r.platformID, r.platEncID, r.langID, r.nameID))
    font["OS/2"].achVendID = VENDOR_TAG


def source_path(stem: str) -> Path:
    source = FONTS[stem][0]
    return (KAI_DIR if stem in KAI else NOTO_DIR) / source


def build_one(stem: str, out_dir: Path) -> dict:
    t0 = time.monotonic()
    source, family, style = FONTS[stem]
    src = source_path(stem)
    cps = charset(wide=stem in WIDE)
    if stem in KAI:
        font = TTFont(str(src), recalcTimestamp=False)
        n_src = len(font.getGlyphOrder())
        subset_font(font, cps)
        log = em_punctuation(font)
    else:
        font = open_sc_face(src)
        n_src = len(font.getGlyphOrder())
        log = fix_widths(font)
        subset_font(font, cps)
        cff_to_glyf(font)
        log.append(join_dash(font))
    rename(font, stem, family, style, source)
    out = out_dir / f"{stem}.ttf"
    font.save(str(out))  # head.created/modified stay those of the source: reproducible
    f2 = TTFont(str(out))
    cmap = f2.getBestCmap()
    missing = sorted(c for c in cps if c not in cmap)
    return {
        "stem": stem,
        "source": str(src),
        "glyphs_in_source": n_src,
        "glyphs": len(f2.getGlyphOrder()),
        "codepoints": len(cmap),
        "requested_not_in_source": missing,
        "bytes": out.stat().st_size,
        "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "r11": log,
        "seconds": round(time.monotonic() - t0, 1),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: fonts/)")
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument("--charsets", action="store_true", help="write the derived character lists and stop")
    ap.add_argument("only", nargs="*", help="output stems to build (default: all)")
    args = ap.parse_args(argv)
    if args.charsets:
        write_charsets()
        return 0
    stems = args.only or list(FONTS)
    args.out.mkdir(parents=True, exist_ok=True)
    for stem in stems:
        src = source_path(stem)
        if not src.exists():
            package = "fonts-lxgw-wenkai (or set KAI_DIR)" if stem in KAI else \
                "fonts-noto-cjk (or set NOTO_CJK_DIR)"
            raise SystemExit(f"missing {src}: apt-get install {package}")
    t0 = time.monotonic()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        results = list(ex.map(build_one, stems, [args.out] * len(stems)))
    for r in results:
        print(f"{r['stem']}.ttf  {r['bytes']:,} bytes  {r['glyphs']} glyphs "
              f"(source {r['glyphs_in_source']})  {r['codepoints']} code points  {r['seconds']} s")
        print(f"  sha256 {r['sha256']}")
        for line in r["r11"]:
            print("  R11", line)
        if r["requested_not_in_source"]:
            miss = " ".join(f"U+{c:04X}" for c in r["requested_not_in_source"])
            print(f"  not in the source font ({len(r['requested_not_in_source'])}): {miss}")
    print(f"total {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
