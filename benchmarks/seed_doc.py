"""Build a test PDF from all paragraphs of the seed pages (../shared/seeds).

    python benchmarks/seed_doc.py [OUT.pdf] [--columns 1|2] [--chars N]

Writes OUT.pdf and PARAS.txt (one paragraph per line) beside it, so that
`python ../shared/tools/cjkcheck.py OUT.pdf --source PARAS.txt` can judge it.
The seeds are read at run time only; nothing of them is stored in the repo.
"""
import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# beside the repository; BRIEFING_SHARED points elsewhere (a worktree one level deeper)
SHARED = Path(os.environ.get("BRIEFING_SHARED", ROOT / ".." / "shared"))
SEEDS = SHARED / "seeds"
sys.path.insert(0, str(ROOT))

ENDS = "。！？…”）"


def _dw(s):
    """Display width in em: Latin and digits are half width."""
    return sum(0.5 if ord(c) < 0x2000 else 1.0 for c in s)


def seed_paragraphs(seeds_dir=SEEDS):
    """Rejoin the newspaper's hard-wrapped lines into paragraphs.

    A paragraph ends at a line that ends a sentence and falls short of the
    column (estimated from the neighbouring lines), or at a very short line.
    Blank lines are ignored: the scans put them in the middle of sentences.
    """
    paras = []
    for f in sorted(Path(seeds_dir).glob("*.txt")):
        lines = [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
        cur = []
        for i, ln in enumerate(lines):
            cur.append(ln)
            near = [_dw(x) for x in lines[max(0, i - 3):i + 4]]
            col = max(near)
            short = _dw(ln) <= col - 1.5
            if (ln[-1] in ENDS and short) or _dw(ln) < 0.5 * col or i == len(lines) - 1:
                paras.append(_normalise("".join(cur)))
                cur = []
    return [p for p in paras if p]


def _normalise(text):
    # spaces around Han text are scan artefacts; the engine adds Han–Latin space itself
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def build(out_pdf, columns=1, paras=None, chars=None):
    """Typeset paragraphs (default: the seeds) on A4; returns the PARAS.txt path.

    chars: characters per line of a column (default 42 in one column, 20 in two).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from briefing.layout import CJKParagraph, TextStyle
    from briefing.layout.fontsetup import ensure_fonts

    ensure_fonts()
    if paras is None:
        paras = seed_paragraphs()
    style = TextStyle(size=10.5, leading=18.0)
    out_pdf = Path(out_pdf)
    page_w, page_h = A4
    chars_per_line = chars or (42 if columns == 1 else 20)   # R9: whole number of characters
    col_w = chars_per_line * style.size
    gutter = 2 * style.size
    total_w = columns * col_w + (columns - 1) * gutter
    left = (page_w - total_w) / 2
    n_lines = 38
    frame_h = n_lines * style.leading
    bottom = page_h - 30 * mm - frame_h
    frames = [Frame(left + k * (col_w + gutter), bottom, col_w, frame_h, leftPadding=0, rightPadding=0,
                    topPadding=0, bottomPadding=0, id=f"c{k}") for k in range(columns)]
    doc = BaseDocTemplate(str(out_pdf), pagesize=A4, pageTemplates=[PageTemplate("body", frames=frames)],
                          title="seed layout test")
    doc.build([CJKParagraph(p, style, markup=False) for p in paras])
    src = out_pdf.with_name("PARAS.txt")
    src.write_text("\n".join(paras) + "\n", encoding="utf-8")
    return src


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", nargs="?", default="output/seed_doc.pdf")
    ap.add_argument("--columns", type=int, default=1)
    ap.add_argument("--chars", type=int, help="characters per line (default 42, or 20 in two columns)")
    a = ap.parse_args()
    if not SEEDS.is_dir():
        print(f"no seeds at {SEEDS}")
        return 0
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    src = build(a.out, a.columns, chars=a.chars)
    print(f"wrote {a.out} and {src}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
