"""Charts: every type renders to vector, text stays text in the Briefing fonts,
numbers are formatted like briefing.fmt / babel, the cache works, and bad
input is a located ContentError naming the chart."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.graphics.shapes import Drawing, Group, String

from briefing import fmt
from briefing.charts import TYPES, ChartTheme, plan_chart, render_chart, render_charts, sparkline
from briefing.charts import _pool_render as _POOL_RENDER
from briefing.data.dataset import Dataset
from briefing.errors import ContentError, ContentErrors, Location

REPO = Path(__file__).resolve().parents[1]
MINUS = "\u2212"
THEME = ChartTheme()
WHERE = Location("content/briefing.yaml", 42, 7, "sections[1].blocks[0].chart")


def eco() -> Dataset:
    return Dataset("经济", {
        "年份": ["2019", "2020", "2021", "2022", "2023"],
        "产值": [854.2, 902.5, 1054.5, 1120.3, 1180.0],
        "增速": [6.1, -2.3, 15.0, 6.2, 5.3],
        "工业": [300, 320, 400, 410, 430],
        "服务业": [400, 420, 480, 530, 560],
        "利润": [120, -35, 80, 95, -12],
        "收入": [2.3e7, 2.5e7, 3.1e7, 3.3e7, 3.6e7],
        "备注": ["a", "b", "c", "d", "e"],
    }, Location("data/eco.csv"))


def regions() -> Dataset:
    return Dataset("地区", {"地区": ["华东地区", "华南地区", "华北地区", "西部地区"],
                            "占比": [42.5, 31.3, 15.2, 11.0]})


SPECS = {
    "bar": ({"type": "bar", "x": "年份", "y": "产值", "unit": "亿元"}, eco),
    "barh": ({"type": "barh", "x": "地区", "y": "占比", "unit": "%"}, regions),
    "grouped": ({"type": "grouped", "x": "年份", "y": ["工业", "服务业"], "unit": "亿元"}, eco),
    "stacked": ({"type": "stacked", "x": "年份", "y": ["工业", "服务业"], "unit": "亿元"}, eco),
    "line": ({"type": "line", "x": "年份", "y": ["工业", "服务业"]}, eco),
    "area": ({"type": "area", "x": "年份", "y": "产值", "unit": "亿元"}, eco),
    "pie": ({"type": "pie", "x": "地区", "y": "占比"}, regions),
    "donut": ({"type": "donut", "x": "地区", "y": "占比"}, regions),
    "combo": ({"type": "combo", "x": "年份", "y": "产值", "y2": "增速", "unit": "亿元"}, eco),
    "sparkline": ({"type": "sparkline", "y": "增速"}, eco),
}


def strings(drawing) -> list[str]:
    out = []

    def walk(node):
        if isinstance(node, String):
            out.append(node.text)
        for child in getattr(node, "contents", []) or []:
            walk(child)
    walk(drawing)
    return out


def string_fonts(drawing) -> set[str]:
    out = set()

    def walk(node):
        if isinstance(node, String):
            out.add(node.fontName)
        if isinstance(node, (Group, Drawing)):
            for child in node.contents:
                walk(child)
    walk(drawing)
    return out


def render(key, **kw):
    spec, data = SPECS[key]
    return render_chart(spec, data(), THEME, 400, name=f"图-{key}", cache_dir=kw.pop("cache_dir", False), **kw)


def test_spec_table_covers_every_type():
    assert set(SPECS) == set(TYPES)


@pytest.mark.parametrize("ctype", TYPES)
def test_every_type_renders_to_a_drawing(ctype):
    d = render(ctype)
    assert isinstance(d, Drawing)
    assert d.width == pytest.approx(400, abs=0.5)
    assert 40 < d.height < 800
    if ctype != "sparkline":
        assert string_fonts(d) <= {"BriefingSans", "BriefingSans-Bold"}, string_fonts(d)


def test_height_fraction():
    spec = dict(SPECS["bar"][0], height=0.5)
    d = render_chart(spec, eco(), THEME, 300, cache_dir=False)
    assert d.height == pytest.approx(150, abs=1)


def test_importing_charts_does_not_import_matplotlib():
    code = "import sys, briefing.charts, briefing.fmt; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- the PDF: vector only, text extractable in a Briefing font --------------------

@pytest.fixture(scope="module")
def chart_pdf(tmp_path_factory):
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Spacer

    path = tmp_path_factory.mktemp("pdf") / "charts.pdf"
    story = []
    for ctype in TYPES:
        story += [render(ctype), Spacer(1, 12)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_pdf_has_no_raster_images(chart_pdf):
    import pdfplumber
    from pypdf import PdfReader

    with pdfplumber.open(chart_pdf) as pdf:
        assert all(not page.images for page in pdf.pages)
    reader = PdfReader(chart_pdf)

    def images(obj, seen):
        obj = obj.get_object() if hasattr(obj, "get_object") else obj
        if id(obj) in seen or not hasattr(obj, "get"):
            return 0
        seen.add(id(obj))
        n = 0
        xobjs = obj.get("/XObject")
        if xobjs is not None:
            for x in xobjs.get_object().values():
                x = x.get_object()
                n += x.get("/Subtype") == "/Image"
                n += images(x.get("/Resources") or {}, seen)
        return n
    assert sum(images(p.get("/Resources") or {}, set()) for p in reader.pages) == 0


def test_pdf_chart_text_is_extractable_in_briefing_font(chart_pdf):
    import pdfplumber

    with pdfplumber.open(chart_pdf) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert chars
    assert all("BriefingSans" in c["fontname"] for c in chars), {c["fontname"] for c in chars}
    for expected in ("单位：亿元", "2021年", "华东地区", "服务业", "1054.5", "+15.0%", "%"):
        assert expected in text, expected
    # the typographic minus sign survives as text: −2.3% (growth) and −35 (bars)
    assert MINUS + "2.3%" in text


# --- numbers as babel / briefing.fmt write them -----------------------------------------

def test_data_labels_and_ticks_match_fmt_and_babel():
    texts = strings(render("combo"))
    # bar labels: one decimal like the data; no separator in a four-digit number (GB/T 15835)
    assert fmt.number(1054.5, 1) == "1054.5"
    assert fmt.number(1054.5, 1) in texts
    # growth labels on the right axis: signed percentages
    assert fmt.percent(15.0, 1, sign=True) == "+15.0%" and "+15.0%" in texts
    assert fmt.percent(-2.3, 1, sign=True).replace("-", MINUS) in texts
    # value-axis ticks: integers, grouped only from 10,000 on
    ticks = [t for t in texts if t.replace(",", "").isdigit()]
    assert "1000" in ticks
    assert all(t == fmt.number(int(t.replace(",", ""))) for t in ticks)
    # percentage ticks on y2
    assert any(t.endswith("%") and not t.startswith("+") for t in texts)


def test_large_amounts_are_scaled_to_wan():
    spec = {"type": "bar", "x": "年份", "y": "收入", "unit": "元"}
    texts = strings(render_chart(spec, eco(), THEME, 400, cache_dir=False))
    assert "单位：万元" in texts
    assert fmt.number(2300, 0) in texts          # 2.3e7 元 -> 2,300 万元


def test_negative_bars_use_negative_color_and_minus_sign():
    from reportlab.lib.colors import HexColor

    d = render_chart({"type": "bar", "x": "年份", "y": "利润"}, eco(), THEME, 400, cache_dir=False)
    assert MINUS + "35" in strings(d)
    fills = set()

    def walk(node):
        fc = getattr(node, "fillColor", None)
        if fc is not None:
            fills.add(fc.hexval().lower())
        for child in getattr(node, "contents", []) or []:
            walk(child)
    walk(d)
    assert HexColor(THEME.negative_color).hexval().lower() in fills


def test_period_categories_in_chinese():
    data = Dataset("m", {"期": ["2021-06", "2021H1", "2021Q3", "2022"], "v": [1, 2, 3, 4]})
    texts = strings(render_chart({"type": "bar", "x": "期", "y": "v"}, data, THEME, 400, cache_dir=False))
    for label in ("2021年6月", "2021年上半年", "2021年第三季度", "2022年"):
        assert label in texts


def test_months_written_in_chinese_make_a_time_axis():
    months = [f"{y}年{m}月" for y in (2021, 2022) for m in range(1, 13)]
    data = Dataset("m", {"月份": months, "v": list(range(24))})
    spec = {"type": "line", "x": "月份", "y": "v"}
    plan = plan_chart(spec, data)
    assert plan.time_axis
    # a run of months is shortened to 2月 3月 …, the year written out at its start and at each January
    assert plan.categories[:3] == ["2021年1月", "2月", "3月"] and plan.categories[12] == "2022年1月"
    texts = strings(render_chart(spec, data, THEME, 400, cache_dir=False))
    assert "2021年1月" in texts and "2022年1月" in texts
    assert "5月" in texts and "2021年5月" not in texts       # labels thinned as a time axis thins them


# --- cache -------------------------------------------------------------------------------

def test_cache_hit_does_not_render_again(tmp_path, monkeypatch):
    from briefing.charts import render as render_mod

    spec, data = SPECS["combo"]
    first = render_chart(spec, data(), THEME, 400, name="c", cache_dir=tmp_path)
    assert list(tmp_path.rglob("*.pickle"))

    def boom(*a, **k):
        raise AssertionError("matplotlib was invoked on a cache hit")
    monkeypatch.setattr(render_mod, "render_svg", boom)
    second = render_chart(spec, data(), THEME, 400, name="other name", cache_dir=tmp_path)
    assert strings(second) == strings(first)
    again = render_charts([(spec, data(), THEME, 400)], cache_dir=tmp_path)
    assert strings(again[0]) == strings(first)
    # a change in the data is a miss
    changed = data()
    changed.columns["产值"][0] = 999.9
    with pytest.raises(ContentError):       # boom -> wrapped, never a raw traceback
        render_chart(spec, changed, THEME, 400, cache_dir=tmp_path)


def test_corrupt_cache_entry_is_rebuilt(tmp_path):
    spec, data = SPECS["bar"]
    render_chart(spec, data(), THEME, 400, cache_dir=tmp_path)
    (entry,) = tmp_path.rglob("*.pickle")
    entry.write_bytes(b"not a pickle")
    d = render_chart(spec, data(), THEME, 400, cache_dir=tmp_path)
    assert isinstance(d, Drawing) and "1054.5" in strings(d)
    assert entry.read_bytes() != b"not a pickle"
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".tmp-")]


def test_default_cache_dir_from_env(tmp_path, monkeypatch):
    from briefing.charts import cache

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    assert cache.default_dir() == tmp_path / "charts"


def test_render_charts_order_and_duplicates(tmp_path):
    jobs = [(SPECS[t][0], SPECS[t][1](), THEME, 300, None, t) for t in ("bar", "sparkline", "pie", "bar")]
    out = render_charts(jobs, cache_dir=tmp_path)
    assert [isinstance(d, Drawing) for d in out] == [True] * 4
    assert strings(out[0]) == strings(out[3]) and out[0] is not out[3]


def _render_noting_the_process(args):
    """Runs in a pool worker: note which process drew, then draw."""
    with open(os.environ["BRIEFING_TEST_PIDS"], "a", encoding="utf-8") as f:
        f.write(f"{os.getpid()}\n")
    return _POOL_RENDER(args)


def test_render_charts_draws_in_worker_processes(tmp_path, monkeypatch):
    import briefing.charts

    monkeypatch.setenv("BRIEFING_TEST_PIDS", str(tmp_path / "pids"))
    monkeypatch.setattr(briefing.charts, "_pool_render", _render_noting_the_process)
    jobs = [(SPECS["line"][0], eco(), THEME, 300), (SPECS["donut"][0], regions(), THEME, 300)]
    pooled = render_charts(jobs, cache_dir=tmp_path / "p", workers=2)
    pids = (tmp_path / "pids").read_text(encoding="utf-8").split()
    assert len(pids) == 2 and str(os.getpid()) not in pids       # both charts drawn outside this process
    serial = render_charts(jobs, cache_dir=False, workers=1)
    assert [strings(d) for d in pooled] == [strings(d) for d in serial] and strings(serial[1])


def test_sparkline_function():
    d = sparkline([1, 3, None, 2, -1, 4], 60, 14, THEME)
    assert (d.width, d.height) == (60, 14)
    assert d.contents
    assert sparkline([], 60, 14, THEME).contents == []


# --- bad input ----------------------------------------------------------------------------

def err(spec, data=None, name="图3 工业增加值"):
    with pytest.raises(ContentError) as info:
        render_chart(spec, eco() if data is None else data, THEME, 400, where=WHERE, name=name, cache_dir=False)
    e = info.value
    assert name in str(e)
    return e


def test_unknown_type_suggests_close_spelling():
    e = err({"type": "bra", "x": "年份", "y": "产值"})
    assert "bra" in e.message and "bar" in e.hint
    assert e.location.file == WHERE.file and e.location.line == 42
    assert e.location.path.endswith("chart.type")
    assert "donnut" in err({"type": "donnut", "x": "地区", "y": "占比"}, regions()).message


def test_missing_column_with_hint():
    e = err({"type": "bar", "x": "年份", "y": "产直"})
    assert "产直" in e.message and "产值" in e.hint
    assert e.location.line == 42


def test_non_numeric_value():
    e = err({"type": "bar", "x": "年份", "y": "备注"})
    assert "不是数值" in e.message and "“a”" in e.message and "备注" in e.message
    assert e.location.file == "data/eco.csv"          # fix it in the data...
    assert "content/briefing.yaml:42" in e.hint       # ...for this chart


def test_empty_series():
    data = Dataset("d", {"x": ["a", "b"], "y": [None, ""]})
    assert "空" in err({"type": "line", "x": "x", "y": "y"}, data).message
    empty = Dataset("d", {"x": [], "y": []})
    assert "没有数据（空序列）" in err({"type": "bar", "x": "x", "y": "y"}, empty).message


def test_mismatched_lengths():
    data = Dataset("d", {"x": ["a", "b", "c"], "y": [1, 2]})
    e = err({"type": "bar", "x": "x", "y": "y"}, data)
    assert "2" in e.message and "3" in e.message


def test_pie_with_negative_values():
    data = Dataset("d", {"x": ["a", "b"], "y": [3, -1]})
    e = err({"type": "pie", "x": "x", "y": "y"}, data)
    assert "负" in e.message and "b" in e.message


def test_combo_without_y2():
    e = err({"type": "combo", "x": "年份", "y": "产值"})
    assert "y2" in e.message
    assert "y2" in err({"type": "bar", "x": "年份", "y": "产值", "y2": "增速"}).message


@pytest.mark.parametrize("spec, where, words", [
    ({"type": "pie", "x": "地区", "y": ["占比", "占比"]}, "chart.y", "pie 图只能有一个数值列，现有 2 个"),
    ({"type": "bar", "y": "产值"}, "chart.x", "缺少分类列 x"),
    ({"type": "bar", "x": "年份", "y": "产值", "colors": ["notacolor"]}, "chart", "“notacolor”不是颜色"),
    ({"type": "bar", "x": "年份", "y": "产值", "height": 9}, "chart.height", "应在 0.1～2.0 之间，现为 9"),
], ids=["pie-two-series", "no-x", "bad-colour", "height"])
def test_other_bad_specs(spec, where, words):
    e = err(spec, regions() if spec["type"] == "pie" else None)
    assert words in e.message and e.location.path.endswith(where), (e.message, e.location.path)


def test_render_charts_reports_all_bad_charts():
    jobs = [({"type": "bra", "x": "年份", "y": "产值"}, eco(), THEME, 300, WHERE, "甲"),
            ({"type": "bar", "x": "年份", "y": "产值"}, eco(), THEME, 300, WHERE, "乙"),
            ({"type": "combo", "x": "年份", "y": "产值"}, eco(), THEME, 300, WHERE, "丙")]
    with pytest.raises(ContentErrors) as info:
        render_charts(jobs, cache_dir=False)
    assert len(info.value.errors) == 2
    assert "甲" in str(info.value) and "丙" in str(info.value)
