"""Charts in one newspaper column (17 characters of 五号, the 专刊's column) stay readable, read back
from the PDF: no two glyphs overlap, the plot keeps at least 40 % of the chart's height, and no
category name is broken inside a word or a number."""
from __future__ import annotations

import itertools

import pytest

from briefing.charts import ChartTheme, render_chart
from briefing.charts.labels import words
from briefing.data.dataset import Dataset
from kit import drawing_pdf

COLUMN = 17 * 10.5          # 17 characters of 五号: one column of the 专刊 on A3
THEME = ChartTheme(font_size=9.0)   # the 专刊's chart type, 小五

MONTHS = [f"2021年{m}月" for m in range(1, 13)]
INDICATORS = ["全域GDP", "规上工业总产值", "外贸进出口额", "电子信息产业产值"]
LONG = ["规模以上工业总产值", "高技术制造业产值", "战略性新兴制造业产值", "工业投资", "招商引资总额"]


def monthly() -> Dataset:
    return Dataset("月度", {"月份": MONTHS,
                            "产值": [80, 85, 90, 95, 100, 130, 90, 95, 100, 105, 140, 160],
                            "增速": [5, 6, 7, -3, 8, 9, 10, 12, 11, 9, 8, 7],
                            "汽车": [30, 31, 35, 36, 40, 52, 33, 36, 40, 42, 56, 61]})


def scale() -> Dataset:
    return Dataset("总量", {"指标": INDICATORS, "总量": [2000.2, 2008.3, 1355, 1000], "增速": [15, 41.1, 55, 48]})


def growth() -> Dataset:
    return Dataset("增速", {"指标": LONG, "增速": [41.1, 46.5, 25.3, 59.5, 38.6],
                            "上年": [12.1, 20.3, 15.0, 30.2, 18.8]})


CASES = {
    "combo-names": ({"type": "combo", "x": "指标", "y": "总量", "y2": "增速", "unit": "亿元"}, scale),
    "combo-months": ({"type": "combo", "x": "月份", "y": "产值", "y2": "增速", "unit": "亿元"}, monthly),
    "line-months": ({"type": "line", "x": "月份", "y": ["产值", "汽车"], "unit": "亿元"}, monthly),
    "area-months": ({"type": "area", "x": "月份", "y": "产值", "unit": "亿元"}, monthly),
    "bar-months": ({"type": "bar", "x": "月份", "y": "产值", "unit": "亿元"}, monthly),
    "bar-names": ({"type": "bar", "x": "指标", "y": "增速", "unit": "%"}, growth),
    "grouped-names": ({"type": "grouped", "x": "指标", "y": ["增速", "上年"], "unit": "%"}, growth),
    "stacked-names": ({"type": "stacked", "x": "指标", "y": ["增速", "上年"], "unit": "%"}, growth),
    "barh-names": ({"type": "barh", "x": "指标", "y": "增速", "unit": "%"}, growth),
}


def chart_pdf(spec: dict, data: Dataset, width: float = COLUMN):
    return drawing_pdf(render_chart(dict(spec), data, THEME, width, cache_dir=False))


@pytest.fixture(scope="module", params=sorted(CASES))
def chart(request):
    spec, data = CASES[request.param]
    with chart_pdf(spec, data()) as pdf:
        yield request.param, data(), pdf.pages[0]


def glyphs(page) -> list[dict]:
    return [c for c in page.chars if c["text"].strip()]


def test_no_two_glyphs_overlap(chart):
    name, _data, page = chart
    clashes = []
    for a, b in itertools.combinations(glyphs(page), 2):
        w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
        h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
        if w > 0.3 and h > 0.3:
            clashes.append((a["text"], b["text"], round(a["x0"]), round(a["top"])))
    assert not clashes, f"{name}: overlapping labels {clashes[:5]}"


def _spine(page) -> dict:
    """The axis line the bars stand on (or start from): the darker 0.6 pt rule across the plot."""
    lines = [ln for ln in page.lines if abs(ln["linewidth"] - 0.6) < 0.05
             and max(ln["stroking_color"] or (1,)) < 0.5]
    assert lines, "no axis line found"
    return max(lines, key=lambda ln: max(ln["x1"] - ln["x0"], ln["bottom"] - ln["top"]))


def plot_height(page) -> float:
    """Height of the plot: the value axis's length, or from the base line up to the highest ink above it."""
    spine = _spine(page)
    if spine["bottom"] - spine["top"] > spine["x1"] - spine["x0"]:      # horizontal bars: the axis stands upright
        return spine["bottom"] - spine["top"]
    above = [g["top"] for g in page.rects + page.lines + page.curves
             if g["x1"] > spine["x0"] + 0.5 and g["x0"] < spine["x1"] - 0.5 and g["top"] < spine["top"] - 0.1]
    return spine["top"] - min(above)


def test_plot_keeps_two_fifths_of_the_height(chart):
    name, _data, page = chart
    assert plot_height(page) >= 0.4 * page.height, (name, plot_height(page), page.height)


def _lines(page) -> list[str]:
    """The chart's text lines: glyphs on one baseline (upright names: on one vertical), in reading order."""
    rows: dict = {}
    for c in glyphs(page):
        key = ("h", round(c["bottom"])) if c["upright"] else ("v", round(c["x0"]))
        rows.setdefault(key, []).append(c)
    out = []
    for (kind, _pos), chars in rows.items():
        chars.sort(key=(lambda c: c["x0"]) if kind == "h" else (lambda c: -c["bottom"]))
        line = [chars[0]]
        for prev, c in zip(chars, chars[1:]):
            gap = (c["x0"] - prev["x1"]) if kind == "h" else (prev["top"] - c["bottom"])
            if gap > 0.6 * c["size"]:           # a new label on the same line
                out.append("".join(x["text"] for x in line))
                line = []
            line.append(c)
        out.append("".join(x["text"] for x in line))
    return out


def _pieces(label: str) -> set[str]:
    """Every run of whole words of a label: what one line of it may print."""
    cut = [0, *itertools.accumulate(len(w) for w in words(label))]
    return {label[a:b] for a, b in itertools.combinations(cut, 2)}


def test_no_name_broken_inside_a_word(chart):
    name, data, page = chart
    labels = [str(v) for v in data.columns[next(iter(data.columns))]]
    allowed = set().union(*(_pieces(label) for label in labels))
    for line in _lines(page):
        if not any(ch.isalpha() for ch in line):      # a tick or data value, not a piece of a name
            continue
        inside = [label for label in labels if line in label and line != label]
        for label in inside:
            assert line in allowed, f"{name}: “{line}” is a piece of “{label}” cut inside a word"


def test_a_tall_chart_is_not_made_taller():
    """The plot guard only grows charts whose labels crowd the plot: a chart with room keeps its height."""
    spec = {"type": "bar", "x": "指标", "y": "总量", "unit": "亿元", "height": 0.8}
    with chart_pdf(spec, scale(), width=3 * COLUMN) as pdf:
        assert abs(pdf.pages[0].height - 0.8 * 3 * COLUMN) < 1
