"""Chart labels at column widths of 17, 20 and 27 characters: broken only between words, no two
text boxes overlapping — both read back from a PDF of the drawn charts."""
from __future__ import annotations

import itertools

import pdfplumber
import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4

from briefing.charts import ChartTheme, render_chart
from briefing.charts.labels import words
from briefing.data.dataset import Dataset

BODY = 10.5            # 五号, the body size of a newspaper column
THEME = ChartTheme(font_size=9.0)

# 30 real indicator names; a space marks every place a line may break (between words)
NAMES = """
地区 生产 总值|规模 以上 工业 增加值|社会 消费品 零售 总额|固定 资产 投资|实际 利用 外资|
一般 公共 预算 收入|城镇 常住 居民 人均 可支配 收入|农村 常住 居民 人均 可支配 收入|居民 消费 价格 指数|
外贸 进出口 总额|全域 GDP|规上 工业 总产值|招商 引资 总额|汽车 产业 产值|电子 信息 产业 产值|
工业 投资|高 技术 制造业 产值|战略性 新兴 制造业 产值|工业 企业 税收|数字 经济 增加值|
新增 市场 主体|果园港 货物 吞吐量|中欧 班列 到发|陆海 新 通道 班列|中新 项目 累计 签约 金额|
跨境 电商 交易额|科技型 企业|高新 技术 企业|市级 及 以上 科研 平台|建成区 绿化 覆盖率
""".replace("\n", "").split("|")

VALUES = [2000.2, 31.7, 512.4, 186.7, 13.5, 98.6, 4.3, 1.9, 102.1, 1355, 2000.2, 2008.3, 918, 740, 1000,
          186.7, 46.5, 25.3, 27.4, 260, 1.2, 1054, 151, 120, 107.5, 95, 2752, 506, 342, 42]


def allowed(name: str) -> set[int]:
    """Offsets at which ``name`` (written without spaces) may break."""
    cuts, pos = set(), 0
    for w in name.split(" ")[:-1]:
        pos += len(w)
        cuts.add(pos)
    return cuts


def charts_pdf(tmp_path, chars: int, ctype: str) -> tuple:
    """Every group of five names drawn as one chart at ``chars`` body characters wide, one chart a page."""
    width = chars * BODY
    path = tmp_path / f"{ctype}-{chars}.pdf"
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    groups = []
    for k in range(0, 30, 5):
        names = [n.replace(" ", "") for n in NAMES[k:k + 5]]
        ds = Dataset("t", {"指标": names, "数值": VALUES[k:k + 5]})
        d = render_chart({"type": ctype, "x": "指标", "y": "数值", "unit": "亿元"}, ds, THEME, width, cache_dir=False)
        assert isinstance(d, Drawing) and abs(d.width - width) < 0.5
        renderPDF.draw(d, canvas, 40, A4[1] - 40 - d.height)
        canvas.showPage()
        groups.append((NAMES[k:k + 5], d.height))
    canvas.save()
    return path, groups


def chart_chars(page) -> list[dict]:
    return [c for c in page.chars if c["text"].strip()]


@pytest.mark.parametrize("ctype", ["bar", "barh"])
@pytest.mark.parametrize("chars", [17, 20, 27])
def test_labels_break_between_words_and_never_overlap(tmp_path, chars, ctype):
    path, groups = charts_pdf(tmp_path, chars, ctype)
    with pdfplumber.open(path) as pdf:
        for page, (names, _height) in zip(pdf.pages, groups):
            cs = chart_chars(page)
            # no two characters overlap: no text box of the chart runs into another
            for a, b in itertools.combinations(cs, 2):
                dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                assert not (dx > 0.6 and dy > 0.6), (chars, ctype, a["text"], b["text"], a["x0"], b["x0"], a["top"])
            found = page.extract_words(x_tolerance=1.5, y_tolerance=1)
            for spaced in names:
                name = spaced.replace(" ", "")
                pieces = _pieces_of(name, found)
                assert pieces, (chars, ctype, name, [w["text"] for w in found])
                cut, ok = 0, allowed(spaced)
                for piece in pieces[:-1]:
                    cut += len(piece)
                    assert cut in ok, (chars, ctype, name, pieces)


def _pieces_of(name: str, found: list[dict]) -> list[str] | None:
    """How ``name`` is laid out in the PDF: its first line, then each next line just below it,
    centred on it (under a bar) or ending where it ends (beside a bar)."""
    for w in found:
        if w["text"] == name:
            return [name]
    for first in found:
        if not name.startswith(first["text"]):
            continue
        pieces, rest, prev = [first["text"]], name[len(first["text"]):], first
        while rest:
            below = [w for w in found if 0 < w["top"] - prev["top"] < 2.2 * THEME.font_size
                     and (abs((w["x0"] + w["x1"]) / 2 - (prev["x0"] + prev["x1"]) / 2) < 2
                          or abs(w["x1"] - prev["x1"]) < 2) and rest.startswith(w["text"])]
            if not below:
                break
            prev = below[0]
            pieces.append(prev["text"])
            rest = rest[len(prev["text"]):]
        if not rest:
            return pieces
    return None


def test_segmenter_keeps_latin_and_numbers_whole():
    for label, whole in (("全域GDP", "GDP"), ("UNI-T车型产量", "UNI-T"), ("5G基站数量", "5G"),
                         ("10亿元及以上项目", "10"), ("PM2.5年均浓度", "PM2.5")):
        assert any(whole in w for w in words(label)), (label, words(label))
        assert "".join(words(label)) == label


def test_narrow_column_keeps_most_of_the_height_for_the_plot(tmp_path):
    """At 17 characters the bars still get at least 40 % of the chart's height."""
    path, groups = charts_pdf(tmp_path, 17, "bar")
    with pdfplumber.open(path) as pdf:
        for page, (_names, height) in zip(pdf.pages, groups):
            bars = [r for r in page.rects if r["height"] > 0.5 and r["width"] > 2]
            top = min(r["top"] for r in bars)
            base = max(r["bottom"] for r in bars)
            assert (base - top) >= 0.4 * height * 0.8, (base - top, height)
