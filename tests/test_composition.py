"""Page composition read back from the PDF: every figure and table arrives once, in reading order, with its
caption and source note attached; long tables split with a continuation caption; body baselines keep one
line grid; no page but the last is left with an empty column foot.

The briefings are written here to stress placement: many figures of mixed widths and heights, figures
taller than what is left of a column, a table longer than a page, panels and headings near a page foot.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
import yaml

from briefing import build, fmt
from briefing.errors import ContentError
from briefing.templates import load_theme

TEMPLATES = ["jianbao", "zhuankan", "report"]
WORDS = ["园区企业加快技术改造", "重点项目陆续开工投产", "外贸进出口保持稳定增长", "数字经济规模持续扩大",
         "民生实事逐项落地见效", "生态环境质量稳中向好", "营商环境改革纵深推进", "开放平台功能不断完善"]
CAPTION = re.compile(r"^(续?)(图|表)\s*(\d+)(?!\d)")


def sentence(seed: int, length: int) -> str:
    parts = [WORDS[(seed + i) % len(WORDS)] for i in range(length)]
    return f"第{fmt.cn_numeral(seed % 90 + 1)}段，" + "，".join(parts) + "。"


def chart(n: int, width: str = "column", height: float = 0.6) -> dict:
    return {"chart": {"type": "bar", "caption": f"指标{n}变化", "source": f"测试统计{n}", "width": width,
                      "height": height,
                      "data": {"columns": {"年份": ["2018", "2019", "2020", "2021"], "值": [n, n + 2, n + 5, n + 3]}},
                      "x": "年份", "y": "值"}}


def table(n: int, rows: int) -> dict:
    return {"table": {"title": f"明细{n}", "source": f"测试台账{n}",
                      "data": {"columns": {"项目": [f"项目{k}" for k in range(rows)],
                                           "数量": [k * 3 for k in range(rows)]}}}}


def stress_doc(template: str) -> dict:
    """8+ charts of mixed widths and heights, two short tables and one long one, panels and headings."""
    sections = []
    n = 0
    for s in range(4):
        blocks: list = []
        for k in range(4):
            blocks.append({"paragraph": sentence(s * 7 + k, 5 + (k * 3 + s) % 7)})
            if k % 2 == 0:
                n += 1
                blocks.append(chart(n, "full" if n % 3 == 0 else "column", 0.45 + 0.1 * (n % 4)))
        if s == 1:
            blocks.insert(2, table(1, 6))
            blocks.append({"keyfigures": [{"label": f"指标{i}", "value": 100 + i, "unit": "亿元"} for i in range(4)]})
        if s == 2:
            blocks.insert(1, table(2, 60))
        if s == 3:
            blocks.insert(3, table(3, 5))
        blocks.insert(len(blocks) // 2, {"heading": f"第{s + 1}组重点工作"})
        sections.append({"id": f"s{s}", "title": f"第{fmt.cn_numeral(s + 1)}部分", "blocks": blocks})
    sections.append({"id": "next", "title": "下一步工作",
                     "blocks": [{"paragraph": sentence(70 + k, 9)} for k in range(6)]})
    return {"title": "排版测试简报", "date": "2021-07-20", "issue": 3, "issuer": "测试新区管理委员会办公室",
            "template": template, "sections": sections}


def write(tmp_path, doc: dict):
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# -- reading the PDF ------------------------------------------------------------------------------------------
def text_lines(page) -> list[list[dict]]:
    """Lines of characters: same baseline, same size, horizontally contiguous (columns stay apart)."""
    chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: (round(c["bottom"], 0), c["x0"]))
    out: list[list[dict]] = []
    for c in chars:
        for line in out:
            last = line[-1]
            if abs(last["bottom"] - c["bottom"]) < 1.0 and abs(last["size"] - c["size"]) < 0.1 \
                    and -1 < c["x0"] - last["x1"] < 1.6 * c["size"]:
                line.append(c)
                break
        else:
            out.append([c])
    return out


def line_text(line) -> str:
    """The line's characters, with a space where the PDF leaves a visible gap (图3　标题)."""
    out = [line[0]["text"]]
    for a, b in zip(line, line[1:]):
        out.append((" " if b["x0"] - a["x1"] > 0.15 * a["size"] else "") + b["text"])
    return "".join(out)


def column_of(x: float, theme) -> int:
    cols = theme.columns(theme.type_area(1))
    return min(range(len(cols)), key=lambda i: abs(cols[i].x + cols[i].width / 2 - x)) if len(cols) > 1 else 0


def captions(pdf, theme) -> list[tuple]:
    """(page, column, top, kind, number, continued, line) in reading order."""
    out = []
    for p in pdf.pages:
        for line in text_lines(p):
            m = CAPTION.match(line_text(line))
            if m and abs(line[0]["size"] - theme.body_size) > 0.1:
                out.append((p.page_number, column_of(line[0]["x0"], theme), line[0]["top"], m.group(2),
                            int(m.group(3)), bool(m.group(1)), line))
    return sorted(out, key=lambda c: c[:3])


SAMPLE = Path(__file__).resolve().parents[1] / "content" / "briefing.yaml"


@pytest.fixture(scope="module", params=[(kind, t) for kind in ("stress", "sample") for t in TEMPLATES],
                ids=lambda p: f"{p[0]}-{p[1]}")
def stressed(request, tmp_path_factory):
    kind, template = request.param
    tmp = tmp_path_factory.mktemp(template)
    if kind == "stress":
        doc = stress_doc(template)
        result = build(write(tmp, doc), tmp / "out")
    else:
        doc = None
        result = build(SAMPLE, tmp / "out", template=template)
    theme = load_theme(template)
    with pdfplumber.open(result.pdf) as pdf:
        yield doc, result, theme, pdf


def test_every_figure_and_table_arrives_once_in_reading_order(stressed):
    doc, result, theme, pdf = stressed
    caps = captions(pdf, theme)
    figs = [c[4] for c in caps if c[3] == "图"]
    tabs = [c[4] for c in caps if c[3] == "表" and not c[5]]
    if doc is None:           # the sample: every chart the build drew, tables numbered without a gap
        charts, tables = result.charts, max(tabs)
    else:
        charts = sum(1 for s in doc["sections"] for b in s["blocks"] if "chart" in b)
        tables = sum(1 for s in doc["sections"] for b in s["blocks"] if "table" in b)
    assert charts >= 8
    if theme.get("makeup") == "articles":
        # a made-up page is read article by article, not column by column across the page: every number
        # once, and no figure or table on a page before one with a lower number
        for kind, numbers, count in (("图", figs, charts), ("表", tabs, tables)):
            pages = {c[4]: c[0] for c in caps if c[3] == kind and not c[5]}
            assert sorted(numbers) == list(range(1, count + 1))
            assert [pages[n] for n in sorted(pages)] == sorted(pages.values())
    else:
        assert figs == list(range(1, charts + 1))
        assert tabs == list(range(1, tables + 1))


def test_source_notes_hang_under_their_figure_or_table(stressed):
    _doc, _result, theme, pdf = stressed
    checked = 0
    for p in pdf.pages:
        lines = text_lines(p)
        for line in lines:
            if not line_text(line).startswith("资料来源"):
                continue
            col = column_of(line[0]["x0"], theme)
            top = line[0]["top"]
            above = [other for other in lines if other is not line and other[0]["bottom"] <= top + 1
                     and column_of(other[0]["x0"], theme) == col]
            nearest = max(above, key=lambda o: o[0]["bottom"])
            # directly under: the nearest line above is a caption or a table row, never running text
            assert abs(nearest[0]["size"] - theme.body_size) > 0.1, (p.page_number, line_text(line))
            assert top - nearest[0]["bottom"] < 2 * theme.body_leading, (p.page_number, line_text(line))
            checked += 1
    assert checked >= 6


def test_a_long_table_continues_with_its_caption_and_ends_with_its_note(stressed):
    doc, _result, theme, pdf = stressed
    if doc is None:
        pytest.skip("the sample has no table longer than a page")
    caps = captions(pdf, theme)
    opening = [c for c in caps if c[3] == "表" and c[4] == 2 and not c[5]]
    continued = [c for c in caps if c[3] == "表" and c[4] == 2 and c[5]]
    assert len(opening) == 1 and continued, "the 60-row table splits and says 续表2"
    pages = {c[0] for c in continued}
    for page in pages:
        assert "项目" in (pdf.pages[page - 1].extract_text() or ""), "the header row is repeated"
    notes = [(p.page_number, line) for p in pdf.pages for line in text_lines(p)
             if line_text(line).replace(" ", "") == "资料来源：测试台账2"]
    assert len(notes) == 1
    page, note = notes[0]
    assert page == max(pages)
    rows = [line for line in text_lines(pdf.pages[page - 1]) if line_text(line).replace(" ", "").startswith("项目59")]
    assert rows and 0 < note[0]["top"] - rows[0][0]["bottom"] < 2 * theme.body_leading


def body_lines(pdf, theme):
    for p in pdf.pages:
        for line in text_lines(p):
            if abs(line[0]["size"] - theme.body_size) < 0.05 and len(line) >= 6:
                yield p, line


def test_body_baselines_keep_one_line_grid(stressed):
    _doc, _result, theme, pdf = stressed
    pitch = theme.body_leading
    phases = [round(line[0]["bottom"] % pitch, 1) for _p, line in body_lines(pdf, theme)]
    mode = Counter(phases).most_common(1)[0][0]
    off = [ph for ph in phases if min(abs(ph - mode), pitch - abs(ph - mode)) > 0.5]
    assert len(phases) > 40
    assert not off, f"{len(off)} of {len(phases)} body lines off the grid"


def test_no_page_but_the_last_leaves_a_column_foot_empty(stressed):
    _doc, _result, theme, pdf = stressed
    running = {p.page_number for p, _line in body_lines(pdf, theme)}
    for p in pdf.pages[:-1]:
        if p.page_number not in running:
            continue      # a cover or contents page
        area = theme.type_area(p.page_number)
        foot = p.height - area.y
        marks = [(c["x0"], c["x1"], c["bottom"]) for c in p.chars if c["text"].strip()]
        marks += [(o["x0"], o["x1"], o["bottom"]) for o in p.rects + p.lines + p.curves + p.images]
        for col in theme.columns(area):
            inside = [b for x0, x1, b in marks if x1 > col.x + 1 and x0 < col.x + col.width - 1 and b <= foot + 2]
            assert inside, f"p{p.page_number}: empty column"
            empty = (foot - max(inside)) / area.height
            assert empty <= 0.15, f"p{p.page_number}: column at x={col.x:.0f} {empty:.0%} empty"


def test_a_body_size_sub_heading_keeps_three_lines_of_its_text(stressed):
    doc, _result, theme, pdf = stressed
    keep = theme.get("blocks", "heading_keep_lines", default=2)
    if doc is None or keep < 3:
        pytest.skip("the stress briefings of the forms that keep three lines")
    seen = 0
    for p in pdf.pages:
        lines = text_lines(p)
        for head in [ln for ln in lines if re.fullmatch(r"（[一二三四]）第\d组重点工作", line_text(ln).replace(" ", ""))]:
            col = column_of(head[0]["x0"], theme)
            right = max(c["x1"] for _p, ln in body_lines(pdf, theme) for c in ln)
            after = sorted((ln for ln in lines if ln[0]["top"] > head[0]["top"] and len(ln) >= 6
                            and abs(ln[0]["size"] - theme.body_size) < 0.05
                            and column_of(ln[0]["x0"], theme) == col), key=lambda ln: ln[0]["top"])
            if not after:
                continue          # a table or figure follows the heading
            ended = any(ln[-1]["x1"] < right - theme.body_size for ln in after)   # its paragraph ends here
            assert len(after) >= keep or ended, (p.page_number, line_text(head), len(after))
            seen += 1
    assert seen >= 2


def test_a_full_width_chart_at_the_end_of_a_one_page_newspaper_is_not_lost(tmp_path):
    doc = {"title": "短版", "date": "2021-07-20", "issuer": "测试单位", "template": "zhuankan",
           "sections": [{"id": "a", "title": "概况", "blocks": [{"paragraph": sentence(1, 6)}, chart(1, "full")]}]}
    result = build(write(tmp_path, doc), tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert "图1" in text and "指标1变化" in text and "资料来源：测试统计1" in text


def test_a_figure_too_tall_for_any_page_is_a_located_error(tmp_path):
    doc = {"title": "过高", "date": "2021-07-20", "issuer": "测试单位", "template": "jianbao",
           "sections": [{"id": "tall", "title": "过高的图", "blocks": [
               {"paragraph": sentence(2, 4)},
               {"columns": [[chart(1, "column", 2.0)], [chart(2, "column", 2.0)]]},
               {"table": {"title": "宽表", "data": {"columns": {"说明": ["很长的说明文字" * 200]}}}}]}]}
    with pytest.raises(ContentError) as e:
        build(write(tmp_path, doc), tmp_path / "out")
    assert "过高的图" in str(e.value)
    # the chart too tall for a page is named at its place in the YAML, with its source line
    assert e.value.location.path == "sections[0].blocks[1].columns[0][0]", str(e.value)
    assert e.value.location.file.endswith("briefing.yaml") and "- chart:" in str(e.value)
    assert not (tmp_path / "out" / "briefing.pdf").exists()
