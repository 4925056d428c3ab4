"""briefing and Typst side by side: the same paragraphs, measure and font, judged by the same checkers.

    .venv/bin/python benchmarks/compare_typst.py [--chars 17,20,27,42] [--tools DIR] [--out DIR] [--worst]

For the seed text (the paragraphs of ../shared/seeds, see seed_doc.py) at each width, and for the
edge-case paragraphs (seed_doc.EDGE: URLs, e-mail, units, Latin words, numbers, quotes, middle
dots) at 17 characters, this writes two PDFs:

* briefing: CJKParagraph in ReportLab frames (seed_doc.build), 10.5 pt on 18 pt, 2 em indent,
  justified, the bundled Serif face;
* Typst (the `typst` package, `pip install -e '.[bench]'`, compiled in this process): the same
  page, frame and column widths, the same size, line pitch and indent, `justify: true` (Typst then
  breaks optimised, Knuth–Plass), `lang: "zh"`, `region: "cn"`, the bundled fonts only
  (`ignore_system_fonts`). Ligatures are off so that the text layer holds the source's letters.
  Typst hangs line-end punctuation (hyphens, stops, dashes) slightly into the margin by default
  (`overhang`); cjkcheck counts those lines as ragged or overfull. --no-overhang adds a row
  `typst-noh` set without it.

and runs the checkers on both (cjkcheck.py and looseness.py, from --tools; default
$BRIEFING_SHARED/tools or ../shared/tools beside the repository). Without the checkers it still
writes the PDFs and prints their paths; without the seeds it compares the edge cases only;
without Typst it says so and prints briefing's figures alone.

Columns: lines; loose>0.10 / loose>0.25 (lines whose widest Han–Han gap exceeds 0.10 / 0.25 em);
max (widest Han–Han gap, em); hl_out (Han–Latin gaps outside 1/8–1/3 em); faults (cjkcheck);
text_lost (source paragraphs not found in order in the PDF); cpu s (typesetting and writing the
PDF, CPU time of this process, one run after a warm-up: a rough figure, bench_compare.py measures
speed properly).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed_doc  # noqa: E402  (benchmarks/ on the path above)

SIZE = 10.5          # pt, as seed_doc.build
LEADING = 18.0       # pt from baseline to baseline
GUTTER = 2 * SIZE    # between columns
LINES = 38           # lines per frame
TOP_MM = 30.0
A4_W, A4_H = 595.2756, 841.8898   # pt

TYPST = """#let paras = json("paras.json")
#set page(width: {pw}pt, height: {ph}pt, columns: {cols},
          margin: (left: {left}pt, right: {left}pt, top: {top}pt, bottom: {bottom}pt))
#set columns(gutter: {gutter}pt)
#set text(font: "Briefing Serif SC", size: {size}pt, lang: "zh", region: "cn",
          top-edge: 1em, bottom-edge: 0em, ligatures: false, overhang: {overhang})
#set par(justify: true, first-line-indent: (amount: 2em, all: true),
         leading: {gap}pt, spacing: {gap}pt)
#for p in paras {{ par(p) }}
"""


def typst_source(chars: int, columns: int, overhang: bool = True) -> str:
    """The Typst page that matches seed_doc.build's frames: same widths, pitch and top edge."""
    total = columns * chars * SIZE + (columns - 1) * GUTTER
    left = (A4_W - total) / 2
    top = TOP_MM * 72 / 25.4
    bottom = A4_H - top - LINES * LEADING
    return TYPST.format(pw=A4_W, ph=A4_H, cols=columns, left=round(left, 3), top=round(top, 3),
                        bottom=round(bottom, 3), gutter=GUTTER, size=SIZE, gap=LEADING - SIZE,
                        overhang="true" if overhang else "false")


def build_typst(pdf: Path, paras: list[str], chars: int, columns: int, font_dir: Path,
                overhang: bool = True) -> float:
    """Compile the paragraphs with Typst into pdf; returns the CPU seconds of the compile."""
    import typst

    work = pdf.with_suffix("")
    work.mkdir(parents=True, exist_ok=True)
    (work / "paras.json").write_text(json.dumps(paras, ensure_ascii=False), encoding="utf-8")
    src = work / "main.typ"
    src.write_text(typst_source(chars, columns, overhang), encoding="utf-8")
    t0 = time.process_time()
    typst.compile(str(src), output=str(pdf), root=str(work), font_paths=[str(font_dir)],
                  ignore_system_fonts=True)
    return time.process_time() - t0


def build_briefing(pdf: Path, paras: list[str], chars: int, columns: int) -> float:
    t0 = time.process_time()
    seed_doc.build(pdf, columns=columns, paras=paras, chars=chars)
    return time.process_time() - t0


def summary(script: Path, pdf: Path, source: Path) -> dict[str, str]:
    """The key=value pairs of a checker's last line, plus its 'worst:' line when it prints one."""
    out = subprocess.run([sys.executable, str(script), str(pdf), "--source", str(source)],
                         capture_output=True, text=True).stdout.strip().splitlines()
    if not out:
        return {}
    got = dict(re.findall(r"(\S+)=(\S+)", out[-1]))
    worst = [ln.strip() for ln in out if ln.strip().startswith("worst:")]
    if worst:
        got["worst"] = worst[0][len("worst:"):].strip()
    return got


def figures(tools: Path | None, pdf: Path, source: Path) -> dict[str, str]:
    if tools is None:
        return {}
    loose = summary(tools / "looseness.py", pdf, source)
    check = summary(tools / "cjkcheck.py", pdf, source)
    return {**check, **loose}


COLS = [("lines", 6), ("loose>0.10", 11), ("loose>0.25", 11), ("max_hanhan_gap_em", 5), ("hl_out", 7),
        ("faults", 7), ("text_lost", 10)]


def header() -> str:
    names = {"max_hanhan_gap_em": "max"}
    return (f"{'text':<6}{'chars':>6}{'cols':>5}  {'engine':<9}"
            + "".join(f"{names.get(k, k):>{w}}" for k, w in COLS) + f"{'cpu s':>8}")


def row(text: str, chars: int, columns: int, engine: str, got: dict, cpu: float) -> str:
    return (f"{text:<6}{chars:>6}{columns:>5}  {engine:<9}"
            + "".join(f"{got.get(k, '-'):>{w}}" for k, w in COLS) + f"{cpu:>8.2f}")


def default_tools() -> Path:
    shared = Path(os.environ.get("BRIEFING_SHARED", ROOT / ".." / "shared"))
    return shared / "tools"


def cases(widths: list[int], have_seeds: bool) -> list[tuple[str, list[str], int, int]]:
    """(name, paragraphs, characters per line, columns): 20 characters is two columns of A4."""
    out = []
    if have_seeds:
        paras = seed_doc.seed_paragraphs()
        out += [("seed", paras, c, 2 if c == 20 else 1) for c in widths]
    out.append(("edge", list(seed_doc.EDGE), 17, 1))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chars", default="17,20,27,42", help="characters per line of the seed text")
    ap.add_argument("--tools", type=Path, default=default_tools(), help="folder of cjkcheck.py and looseness.py")
    ap.add_argument("--out", type=Path, default=ROOT / "output" / "compare_typst", help="where the PDFs go")
    ap.add_argument("--worst", action="store_true", help="also print each PDF's loosest lines")
    ap.add_argument("--no-overhang", action="store_true",
                    help="also set Typst without hanging punctuation (row typst-noh)")
    a = ap.parse_args(argv)
    widths = [int(c) for c in a.chars.split(",") if c.strip()]
    tools = a.tools if (a.tools / "cjkcheck.py").is_file() and (a.tools / "looseness.py").is_file() else None
    try:
        import typst  # noqa: F401
        have_typst = True
    except ImportError:
        have_typst = False
    from briefing.fonts import font_path
    from briefing.layout.fontsetup import ensure_fonts

    ensure_fonts()
    font_dir = font_path("serif").parent
    have_seeds = seed_doc.SEEDS.is_dir() and any(seed_doc.SEEDS.glob("*.txt"))
    a.out.mkdir(parents=True, exist_ok=True)
    print(f"# briefing vs Typst, same paragraphs, measure and font ({font_dir / 'BriefingSerifSC-Regular.ttf'})")
    if not have_seeds:
        print(f"  no seed text at {seed_doc.SEEDS}: edge cases only")
    if not have_typst:
        print("  Typst: not installed (pip install -e '.[bench]'): briefing's figures alone")
    if tools is None:
        print(f"  checkers not found in {a.tools}: PDFs written, no figures (--tools DIR)")
    # warm-up: fonts parsed and Typst's font book built before anything is timed
    build_briefing(a.out / "warmup.pdf", seed_doc.EDGE[:1], 17, 1)
    if have_typst:
        build_typst(a.out / "warmup-typst.pdf", seed_doc.EDGE[:1], 17, 1, font_dir)
    print(header())
    worst = []
    for name, paras, chars, columns in cases(widths, have_seeds):
        stem = f"{name}{chars}"
        source = a.out / f"{stem}.txt"
        source.write_text("\n".join(paras) + "\n", encoding="utf-8")
        engines = [("briefing", a.out / f"{stem}-briefing.pdf")]
        if have_typst:
            engines.append(("typst", a.out / f"{stem}-typst.pdf"))
            if a.no_overhang:
                engines.append(("typst-noh", a.out / f"{stem}-typst-noh.pdf"))
        for engine, pdf in engines:
            if engine == "briefing":
                cpu = build_briefing(pdf, paras, chars, columns)
            else:
                cpu = build_typst(pdf, paras, chars, columns, font_dir, overhang=engine == "typst")
            got = figures(tools, pdf, source)
            print(row(name, chars, columns, engine, got, cpu), flush=True)
            if got.get("worst"):
                worst.append(f"  {stem} {engine}: {got['worst']}")
    if a.worst and worst:
        print("\nloosest lines (looseness.py):")
        print("\n".join(worst))
    print(f"\nPDFs in {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
