"""Benchmark: CJKParagraph against stock ReportLab Paragraph(wordWrap='CJK').

    python benchmarks/bench_layout.py [--chars 10000] [--repeat 9] [--widths 42,17] [--big 1000000]

Both lay out and draw the same ~10,000 characters (the seed pages when
../shared/seeds is present, else a synthetic mix) into a canvas, at each
column width of --widths (characters of 10.5 pt per line); prints both times
(best of --repeat), their ratio (target <= 1.5) and characters/second.
Times are CPU time of this process (time.process_time): on a machine shared
with other jobs, wall time measures the neighbours as much as the code.

Then linearity: one paragraph of --big characters and one of a tenth of it,
broken into 17-character lines (the total-fit breaker, windowed): time per
character of each and their ratio (linear: close to 1).
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

SIZE = 10.5


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
    except Exception:  # noqa: BLE001 - the seed pages unreadable: synthetic text instead
        pass
    return synthetic_paragraphs(total), "synthetic"


def run(make, paras, width):
    from reportlab.pdfgen.canvas import Canvas
    canv = Canvas(io.BytesIO())
    t = time.process_time()
    for text in paras:
        f = make(text)
        _w, _h = f.wrap(width, 1e6)
        f.drawOn(canv, 72, 72)
    return time.process_time() - t


def linearity(paras, big):
    """Seconds per character of breaking one paragraph of big and of big // 10 characters."""
    from briefing.layout import TextStyle, break_lines
    from briefing.layout.inline import literal_runs
    from briefing.layout.measure import Measurer

    unit = "".join(paras)
    measure = Measurer(TextStyle())
    out = []
    for n, repeat in ((big // 10, 5), (big, 2)):
        text = (unit * (n // len(unit) + 1))[:n]
        best = float("inf")
        for _ in range(repeat):
            t = time.process_time()
            lines = break_lines(literal_runs(text), 17 * SIZE, measure, size=SIZE)
            best = min(best, time.process_time() - t)
        out.append((n, best, len(lines)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--widths", default="42,17", help="characters per line, comma-separated")
    ap.add_argument("--big", type=int, default=1_000_000, help="characters of the long paragraph (0: skip)")
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
    print(f"text: {n} characters in {len(paras)} paragraphs ({source})")
    for cpl in (int(x) for x in a.widths.split(",")):
        width = cpl * SIZE
        t_ours = t_stock = float("inf")
        for _ in range(a.repeat):     # interleaved, so both see the same load on a shared machine
            t_ours = min(t_ours, run(lambda t: CJKParagraph(t, ours), paras, width))
            t_stock = min(t_stock, run(lambda t: Paragraph(t, stock), escaped, width))
        print(f"{cpl} characters per line")
        print(f"  CJKParagraph          wrap+draw {t_ours * 1000:8.1f} ms  {n / t_ours:10.0f} chars/s")
        print(f"  Paragraph(CJK, stock) wrap+draw {t_stock * 1000:8.1f} ms  {n / t_stock:10.0f} chars/s")
        print(f"  ratio {t_ours / t_stock:.2f} (target <= 1.5)")
    if a.big:
        (n1, t1, l1), (n2, t2, l2) = linearity(paras, a.big)
        print("one long paragraph, 17 characters per line (break_lines alone)")
        print(f"  {n1:>9} characters {t1:7.2f} s  {l1:>6} lines  {t1 / n1 * 1e6:6.2f} us/char")
        print(f"  {n2:>9} characters {t2:7.2f} s  {l2:>6} lines  {t2 / n2 * 1e6:6.2f} us/char")
        print(f"  time per character, long / short: {(t2 / n2) / (t1 / n1):.2f} (linear: about 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
