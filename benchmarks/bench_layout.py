"""Benchmark: CJKParagraph against stock ReportLab Paragraph(wordWrap='CJK').

    python benchmarks/bench_layout.py [--chars 10000] [--repeat 5]

Both lay out and draw the same ~10,000 characters (the seed pages when
../shared/seeds is present, else a synthetic mix) into a canvas; prints both
times (best of --repeat), their ratio (target <= 1.5) and characters/second.
"""
import argparse
import io
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

WIDTH = 441.0  # 42 characters of 10.5 pt


def synthetic_paragraphs(total, seed=7):
    """Random but plausible briefing text: Han, punctuation, numbers, Latin."""
    rnd = random.Random(seed)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000, 7)]
    paras, n = [], 0
    while n < total:
        parts = []
        for _ in range(rnd.randint(4, 12)):
            clause = "".join(rnd.choice(han) for _ in range(rnd.randint(4, 14)))
            r = rnd.random()
            if r < 0.15:
                clause += f"{rnd.randint(1, 2000)}.{rnd.randint(0, 9)}%"
            elif r < 0.25:
                clause += "“" + "".join(rnd.choice(han) for _ in range(rnd.randint(2, 6))) + "”"
            elif r < 0.3:
                clause += rnd.choice(["GDP", "5G", "CPU", "App"])
            parts.append(clause + rnd.choice("，，，、；"))
        p = "".join(parts)[:-1] + "。"
        paras.append(p)
        n += len(p)
    return paras


def bench_paragraphs(total):
    try:
        import seed_doc
        if seed_doc.SEEDS.is_dir():
            ps = seed_doc.seed_paragraphs()
            out, n = [], 0
            while n < total:
                for p in ps:
                    out.append(p)
                    n += len(p)
                    if n >= total:
                        break
            return out, "seeds"
    except Exception:
        pass
    return synthetic_paragraphs(total), "synthetic"


def run(make, paras):
    from reportlab.pdfgen.canvas import Canvas
    canv = Canvas(io.BytesIO())
    t = time.perf_counter()
    for text in paras:
        f = make(text)
        w, h = f.wrap(WIDTH, 1e6)
        f.drawOn(canv, 72, 72)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.platypus import Paragraph

    from briefing.layout import CJKParagraph, TextStyle
    from briefing.layout.fontsetup import ensure_fonts

    ensure_fonts()
    paras, source = bench_paragraphs(a.chars)
    n = sum(len(p) for p in paras)
    ours = TextStyle(size=10.5, leading=18.0)
    stock = ParagraphStyle("stock", fontName=ours.font, fontSize=10.5, leading=18.0, firstLineIndent=21,
                           alignment=TA_JUSTIFY, wordWrap="CJK")
    escaped = [escape(p) for p in paras]
    t_ours = min(run(lambda t: CJKParagraph(t, ours), paras) for _ in range(a.repeat))
    t_stock = min(run(lambda t: Paragraph(t, stock), escaped) for _ in range(a.repeat))
    ratio = t_ours / t_stock
    print(f"text: {n} characters in {len(paras)} paragraphs ({source})")
    print(f"CJKParagraph          wrap+draw {t_ours * 1000:8.1f} ms  {n / t_ours:10.0f} chars/s")
    print(f"Paragraph(CJK, stock) wrap+draw {t_stock * 1000:8.1f} ms  {n / t_stock:10.0f} chars/s")
    print(f"ratio {ratio:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
