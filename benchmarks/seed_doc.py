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
# beside the repository; BRIEFING_SHARED points elsewhere (a checkout kept in another folder)
SHARED = Path(os.environ.get("BRIEFING_SHARED", ROOT / ".." / "shared"))
SEEDS = SHARED / "seeds"
sys.path.insert(0, str(ROOT))

ENDS = "。！？…”）"

# Hard cases for a narrow column (tests/test_layout_seeds.py, compare_typst.py): URLs, e-mail,
# units, Latin words, numbers, nested quotes, names with middle dots.
EDGE = [
    "详细的投资指南已发布在两江新区官方网站www.liangjiang.gov.cn的“投资服务”栏目，完整网址为"
    "https://www.liangjiang.gov.cn/tzfw/2021/guide.html?lang=zh&page=2，欢迎企业查阅。",
    "欢迎读者对果园港物流枢纽建设提出意见和建议，来信请发送至ljxq_tzj@163.com或"
    "guoyuangang-wuliu@liangjiang.gov.cn，编辑部将在五个工作日内回复。",
    "监测数据显示，新区上半年细颗粒物平均浓度为28微克/立方米，同比下降3.4%；港区内货运车辆限速30km/h，"
    "智能闸口识别速度达到12次/秒，钢材到港均价约4150元/吨。",
    "新区引进的企业中，有一家专注于semiconductor packaging的研发机构，另一家从事e-commerce和"
    "cross-border logistics，两家都已在两江协同创新区落户。",
    "2019年，果园港完成货物吞吐量1309万吨，同比增长22.8%；今年上半年的吞吐量达到1054万吨，"
    "外贸进出口额1,355亿元，占全市的比重提高到16.3%。",
    "“‘十四五’开局之年，我们要把‘制造’变成‘智造’。”一位企业负责人说，“《关于高标准打造两江协同创新区的"
    "意见》出台后，我们的信心更足了。”",
    "德国物理学家阿尔伯特·爱因斯坦的一句名言印在创新区展厅的墙上，展厅旁的咖啡馆则以列奥纳多·达·芬奇命名，"
    "日本客商称之为レオナルド・ダ・ヴィンチ。",
]


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
