"""Chart margins follow the chart's text, read back from the PDF of each chart: nothing is cut off at the
chart's edge, no two glyphs overlap, and the text standing furthest out sits one pad from the edge (the
margins are measured, not fixed). A chart type of another shape (two plots) is still laid out whole. The
chart cache tells drawings made by other drawing code apart."""
from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from briefing.charts import ChartTheme, render_chart
from briefing.charts import cache as chart_cache
from briefing.charts.margins import PAD
from briefing.data.dataset import Dataset
from kit import drawing_pdf
from briefing.registry import CHART_TYPES, ChartType, register_chart_type

THEME = ChartTheme()


def eco() -> Dataset:
    return Dataset("经济", {"年份": ["2019年", "2020年", "2021年", "2022年", "2023年"],
                            "产值": [854.2, 902.5, 1054.5, 1120.3, 1180.0], "增速": [6.1, -2.3, 15.0, 6.2, 5.3],
                            "工业": [300, 320, 400, 410, 430], "服务业": [400, 420, 480, 530, 560]})


def parks() -> Dataset:
    return Dataset("园区", {"园区": ["两路寸滩综合保税区", "果园港", "鱼复工业园", "龙兴工业园"],
                            "占比": [42.5, 31.3, 15.2, 11.0], "上年": [40.1, 30.0, 18.2, 11.7]})


SPECS = {
    "bar": ({"type": "bar", "x": "年份", "y": "产值", "unit": "亿元"}, eco),
    "barh": ({"type": "barh", "x": "园区", "y": "占比", "unit": "%"}, parks),
    "grouped": ({"type": "grouped", "x": "园区", "y": ["占比", "上年"], "unit": "%"}, parks),
    "stacked": ({"type": "stacked", "x": "年份", "y": ["工业", "服务业"], "unit": "亿元"}, eco),
    "line": ({"type": "line", "x": "年份", "y": ["工业", "服务业"], "unit": "亿元"}, eco),
    "area": ({"type": "area", "x": "年份", "y": "产值", "unit": "亿元"}, eco),
    "pie": ({"type": "pie", "x": "园区", "y": "占比"}, parks),
    "donut": ({"type": "donut", "x": "园区", "y": "占比"}, parks),
    "combo": ({"type": "combo", "x": "年份", "y": "产值", "y2": "增速", "unit": "亿元"}, eco),
}
WIDTHS = (400.0, 170.0)       # a full text width and a narrow column


def chart_page(spec: dict, data: Dataset, width: float):
    return drawing_pdf(render_chart(dict(spec), data, THEME, width, cache_dir=False))


def ink(page) -> list[dict]:
    """Glyphs, lines, curves and painted rectangles: everything that prints."""
    return ([c for c in page.chars if c["text"].strip()] + page.lines + page.curves
            + [r for r in page.rects if r["fill"] or r["stroke"]])


def gaps(page, objects: list[dict]) -> dict[str, float]:
    """Distance from each edge of the chart to the nearest ink."""
    return {"left": min(o["x0"] for o in objects), "top": min(o["top"] for o in objects),
            "right": page.width - max(o["x1"] for o in objects),
            "bottom": page.height - max(o["bottom"] for o in objects)}


def test_every_drawn_type_has_a_case():
    assert set(SPECS) == {name for name, kind in CHART_TYPES.items() if kind.draw is not None}


@pytest.fixture(scope="module", params=[(t, w) for t in sorted(SPECS) for w in WIDTHS], ids=lambda p: f"{p[0]}-{p[1]:g}")
def chart(request):
    ctype, width = request.param
    spec, data = SPECS[ctype]
    with chart_page(spec, data(), width) as pdf:
        yield ctype, pdf.pages[0]


def test_nothing_is_cut_off_at_the_edge(chart):
    ctype, page = chart
    assert min(gaps(page, ink(page)).values()) >= -0.1, (ctype, gaps(page, ink(page)))


def test_no_two_glyphs_overlap(chart):
    ctype, page = chart
    glyphs = [c for c in page.chars if c["text"].strip()]
    clashes = [(a["text"], b["text"]) for a, b in itertools.combinations(glyphs, 2)
               if min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > 0.3
               and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.3]
    assert not clashes, (ctype, clashes[:5])


def test_margins_are_as_wide_as_the_text_needs(chart):
    ctype, page = chart
    if CHART_TYPES.get(ctype).shares:
        pytest.skip("a pie is sized by its own labels, not by margins")
    room = gaps(page, ink(page))
    # the labels standing furthest out on the left (values or row names) are one pad from the edge, and
    # nothing is closer to any edge than that pad
    assert room["left"] == pytest.approx(PAD, abs=0.5), (ctype, room)
    assert min(room.values()) >= PAD - 0.5, (ctype, room)
    # the lowest text (category names, or the legend with its own small border) is near the foot
    assert room["bottom"] <= PAD + 4, (ctype, room)


def two_plots(fig, plan, theme, fonts, width):
    """A chart type of another shape: two plots side by side, each with its own value labels."""
    left, right = fig.subplots(1, 2)
    values = plan.series[0].values
    left.bar(range(len(values)), values, color=theme.palette[0])
    left.set_xticks(range(len(values)), plan.categories)
    right.plot(range(len(values)), [v * 1000 for v in values], color=theme.palette[1])
    right.set_ylabel("单位：万元")


@pytest.fixture
def twin_type():
    register_chart_type(ChartType("twoplots", draw=two_plots))
    yield
    CHART_TYPES.unregister("twoplots")


def test_a_chart_of_two_plots_is_laid_out_whole(twin_type):
    with chart_page({"type": "twoplots", "x": "年份", "y": "产值"}, eco(), 400.0) as pdf:
        page = pdf.pages[0]
        text = page.extract_text()
        room = gaps(page, ink(page))
    assert set("单位：万元") <= set(text) and "2019年" in text        # the upright axis label too
    assert min(room.values()) >= -0.1, room


def test_cache_key_changes_with_the_drawing_code(tmp_path):
    code = Path(chart_cache.__file__).parent
    copy = tmp_path / "charts"
    shutil.copytree(code, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = chart_cache.folder_identity(copy)
    assert before == chart_cache.folder_identity(code)
    (copy / "margins.py").write_text((copy / "margins.py").read_text(encoding="utf-8") + "\n# changed\n",
                                     encoding="utf-8")
    changed = chart_cache.folder_identity(copy)
    (copy / "newmodule.py").write_text("X = 1\n", encoding="utf-8")
    added = chart_cache.folder_identity(copy)
    assert len({before, changed, added}) == 3
