"""Page templates (简报, 专刊, report): geometry and furniture read back from the PDF itself.

Each test builds a small briefing in a temporary folder, so the suite stays fast.
"""
from __future__ import annotations

import re

import pdfplumber
import pypdf
import pytest
import yaml

from briefing import build, fmt
from briefing.templates import load_theme

MM = 72 / 25.4
PHRASES = ["新区围绕建设内陆开放门户推动产业转型升级", "坚持创新驱动发展培育壮大数字经济新动能",
           "深化改革扩大开放持续优化营商环境", "统筹发展和安全扎实推进民生实事", "加快重大项目建设稳住投资基本盘",
           "推动成渝地区双城经济圈建设走深走实", "强化生态环境保护建设山水公园城市"]


def paragraph(s: int, k: int, length: int = 6) -> str:
    parts = [PHRASES[(s * 3 + k + i) % len(PHRASES)] for i in range(length)]
    return f"第{fmt.cn_numeral(s + 1)}部分第{fmt.cn_numeral(k + 1)}段，" + "，".join(parts) + "。"


def make(tmp_path, template="jianbao", sections=3, paras=4, length=6, **doc):
    data = {"title": "测试发展简报", "subtitle": "上半年经济运行情况", "issue": 7, "date": "2021-07-20",
            "issuer": "测试新区管理委员会办公室", "template": template,
            "distribution": {"report": "市委办公厅", "send": "市发展改革委", "issue_to": "新区各部门", "copies": 80},
            "sections": [{"id": f"s{s}", "title": f"第{fmt.cn_numeral(s + 1)}部分工作情况",
                          "blocks": [{"paragraph": paragraph(s, k, length)} for k in range(paras)]}
                         for s in range(sections)]}
    data.update(doc)
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def built(tmp_path, **kw):
    result = build(make(tmp_path, **kw), tmp_path / "out")
    return result, pdfplumber.open(result.pdf)


def body(page, size):
    return [c for c in page.chars if abs(c["size"] - size) < 0.05 and c["text"].strip()]


def lines(chars, tol=2.0):
    rows: dict[float, list] = {}
    for c in chars:
        key = next((k for k in rows if abs(k - c["bottom"]) < tol), c["bottom"])
        rows.setdefault(key, []).append(c)
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


def red(c) -> bool:
    col = c.get("non_stroking_color") or ()
    return len(col) == 3 and col[0] > 0.6 and col[1] < 0.3 and col[2] < 0.3


# -- 简报 -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def jianbao(tmp_path_factory):
    return built(tmp_path_factory.mktemp("jb"), sections=3, paras=5)


def test_jianbao_body_is_in_the_gb9704_type_area(jianbao):
    result, pdf = jianbao
    assert result.pages >= 3
    assert body(pdf.pages[1], 16)
    for page in pdf.pages[1:]:
        chars = body(page, 16)
        if not chars:          # the closing block may stand alone on the last page
            continue
        assert min(c["x0"] for c in chars) >= 28 * MM - 0.5
        assert max(c["x1"] for c in chars) <= (28 + 156) * MM + 0.5
        # the first line's em box starts at the top of the type area, 37 mm from the top
        top = min(c["top"] for c in chars)
        assert 37 * MM - 1 <= top <= 37 * MM + 8, top / MM
        assert max(c["bottom"] for c in chars) <= (37 + 225) * MM + 0.5
    # a full page holds 22 lines on a fixed pitch of 28.95 pt (GB/T 9704: 22 lines × 28 characters)
    assert max(len(lines(body(p, 16))) for p in pdf.pages) == 22
    rows = lines(body(pdf.pages[1], 16))
    for a, b in zip(rows, rows[1:]):
        pitch = b[0]["bottom"] - a[0]["bottom"]
        assert abs(pitch / 28.95 - round(pitch / 28.95)) < 0.01


def test_jianbao_masthead_is_red_centred_at_the_top(jianbao):
    _result, pdf = jianbao
    page = pdf.pages[0]
    title = [c for c in page.chars if red(c) and c["text"].strip()]
    assert "".join(c["text"] for c in title).startswith("测试发展简报")
    x0, x1 = min(c["x0"] for c in title), max(c["x1"] for c in title)
    assert abs((x0 + x1) / 2 - (28 + 156 / 2) * MM) < 1       # centred on the type area
    assert min(c["top"] for c in title) < 45 * MM
    # 第7期 under it; the compiling unit left, the date right, a red rule below them
    text = page.extract_text()
    assert "第7期" in text.replace(" ", "")
    unit = [c for c in page.chars if c["text"] == "测"][1]
    assert unit["x0"] < 30 * MM
    year = next(c for c in page.chars if c["text"] == "日")
    assert year["x1"] > page.width - 30 * MM
    rules = [r for r in page.rects + page.lines if abs(r["x1"] - r["x0"]) > 150 * MM and r["top"] < 90 * MM]
    assert rules


def test_jianbao_page_numbers_alternate_sides(jianbao):
    _result, pdf = jianbao
    for n, page in enumerate(pdf.pages, 1):
        foot = [c for c in page.chars if c["top"] > (37 + 225) * MM]
        text = "".join(c["text"] for c in sorted(foot, key=lambda c: c["x0"])).replace(" ", "")
        assert text == f"—{n}—"
        x0, x1 = min(c["x0"] for c in foot), max(c["x1"] for c in foot)
        if n % 2:   # odd: right, one character (四号, 14 pt) in from the type area's edge
            assert abs(x1 - ((28 + 156) * MM - 14)) < 1
        else:
            assert abs(x0 - (28 * MM + 14)) < 1
        # 7 mm below the type area
        assert 6 * MM < min(c["top"] for c in foot) - (37 + 225) * MM < 9 * MM


def test_jianbao_closing_block_at_the_foot_of_the_last_page(jianbao):
    _result, pdf = jianbao
    page = pdf.pages[-1]
    text = page.extract_text().replace(" ", "")
    assert "报：市委办公厅" in text and "发：新区各部门" in text and "（共印80份）" in text
    copies = [c for c in page.chars if c["text"] == "份"][-1]
    assert copies["bottom"] > (37 + 225 - 30) * MM          # at the foot of the type area


def test_supplement_is_numbered_apart(tmp_path):
    _r, pdf = built(tmp_path, sections=1, paras=1, supplement=True, issue=2)
    assert "增刊第2期" in pdf.pages[0].extract_text().replace(" ", "")


def test_theme_overrides_take_chinese_sizes(tmp_path):
    _r, pdf = built(tmp_path, sections=1, paras=2,
                    theme={"styles": {"body": {"size": "四号", "leading": 26}}, "colors": {"accent": "#1f4e9a"}})
    sizes = {round(c["size"], 1) for c in pdf.pages[0].chars}
    assert 14.0 in sizes
    title = next(c for c in pdf.pages[0].chars if c["text"] == "测")
    assert title["non_stroking_color"][2] > 0.5          # the masthead in the new accent colour


def test_one_line_switches_the_template(tmp_path):
    pages = {}
    for name in ("jianbao", "zhuankan", "report"):
        (tmp_path / name).mkdir()
        result = build(make(tmp_path / name, template=name, sections=2, paras=2), tmp_path / name / "out")
        pages[name] = pypdf.PdfReader(result.pdf).pages[0].mediabox
    assert round(float(pages["jianbao"].width)) == 595 and round(float(pages["report"].width)) == 595
    assert round(float(pages["zhuankan"].width)) == 842          # A3


def test_long_table_repeats_its_header_row(tmp_path):
    rows = "\n".join(f"地区{i},{i * 12.5:.1f},{i % 7 + 0.3:.1f}" for i in range(1, 121))
    (tmp_path / "long.csv").write_text("地区,产值,增速\n" + rows + "\n", encoding="utf-8")
    path = make(tmp_path, sections=1, paras=1)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["data"] = {"long": "long.csv"}
    doc["sections"][0]["blocks"].append({"table": {"data": "long", "title": "各地区产值", "units": "单位：亿元，%",
                                                   "source": "测试数据"}})
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(path, tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        with_rows = [p for p in pdf.pages if "地区1" in (p.extract_text() or "")]
        assert len(with_rows) >= 3
        for page in with_rows:
            heads = [c for c in page.chars if c["text"] == "增" and "BriefingSans" in c["fontname"]]
            first_row = min(c["top"] for c in page.chars if c["text"] == "区" and "Serif" in c["fontname"]
                            and c["size"] == 12)
            assert heads and heads[0]["top"] < first_row
        # numbers right-aligned: the cells of the 产值 column end at one x
        page = with_rows[1]
        ends = [w["x1"] for w in page.extract_words() if re.fullmatch(r"[\d,]+\.\d", w["text"])
                and page.width * 0.5 < w["x0"] < page.width * 0.75]
        assert len(ends) > 10 and max(ends) - min(ends) < 0.5, ends
        assert "资料来源：测试数据" in "".join(p.extract_text() for p in pdf.pages).replace(" ", "")


def test_outline_has_one_entry_per_section(jianbao):
    result, _pdf = jianbao
    outline = pypdf.PdfReader(result.pdf).outline
    titles = [o.title for o in outline if not isinstance(o, list)]
    assert titles == ["一、第一部分工作情况", "二、第二部分工作情况", "三、第三部分工作情况"]


# -- report ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rp")
    path = make(tmp, template="report", sections=5, paras=6, length=9)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["data"] = {"t": {"columns": {"项目": ["甲", "乙", "丙"], "数量": [3, 5, 8]}}}
    doc["sections"][1]["blocks"][0] = {"paragraph": "详见{ref:s2-fig1}和{ref:s1-tab1}。"}
    doc["sections"][1]["blocks"].append({"table": {"data": "t", "title": "项目数量"}})
    doc["sections"][2]["blocks"].append({"chart": {"type": "bar", "data": "t", "x": "项目", "y": "数量",
                                                   "title": "项目数量图"}})
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(path, tmp / "out")
    return result, pdfplumber.open(result.pdf)


def test_report_cover_contents_and_page_labels(report):
    result, pdf = report
    cover = pdf.pages[0].extract_text().replace(" ", "")
    assert "测试发展简报" in cover and "测试新区管理委员会办公室" in cover and "2021年7月20日" in cover
    assert "目录" in pdf.pages[1].extract_text().replace(" ", "").replace("\u3000", "")
    labels = pypdf.PdfReader(result.pdf).page_labels
    assert labels[0] == "封面" and labels[1] == "i" and labels[2] == "1"


def test_report_contents_page_numbers_are_where_sections_begin(report):
    result, pdf = report
    labels = pypdf.PdfReader(result.pdf).page_labels
    toc = {}
    for line in pdf.pages[1].extract_text().split("\n"):
        m = re.match(r"^(.+情况)\s*(\d+)$", line.replace("·", "").strip())
        if m:
            toc[m.group(1).replace(" ", "")] = m.group(2)
    assert len(toc) == 5
    starts = {}
    for i, page in enumerate(pdf.pages[2:], 2):
        for row in lines([c for c in page.chars if c["size"] == 16]):
            text = "".join(c["text"] for c in row)
            starts.setdefault(text, labels[i])
    assert toc == {t: starts[t] for t in toc}
    assert len(set(toc.values())) > 2                     # the sections do begin on different pages
    # the printed page number is the label
    for i in (2, 4):
        foot = "".join(c["text"] for c in pdf.pages[i].chars if c["top"] > pdf.pages[i].height - 28 * MM)
        assert foot.replace(" ", "") == f"—{labels[i]}—"


def test_report_running_head_names_the_current_section(report):
    _result, pdf = report
    for page in pdf.pages[2:]:
        head = "".join(c["text"] for c in page.chars if c["top"] < 30 * MM)
        starting = [ "".join(c["text"] for c in row) for row in lines([c for c in page.chars if c["size"] == 16])]
        assert head.startswith("测试发展简报")
        if starting:
            assert head.endswith(starting[0])


def test_report_cross_references_and_numbering(report):
    _result, pdf = report
    text = "".join(p.extract_text() for p in pdf.pages).replace(" ", "")
    assert "详见图1和表1。" in text
    assert "表1项目数量" in text.replace("\u3000", "") and "图1项目数量图" in text.replace("\u3000", "")


def test_unknown_reference_is_a_content_error(tmp_path):
    from briefing.errors import ContentError

    path = make(tmp_path, sections=1, paras=1)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["sections"][0]["blocks"][0] = {"paragraph": "见{ref:nowhere}。"}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError, match="nowhere"):
        build(path, tmp_path / "out")


# -- 专刊 ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def zhuankan(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("zk")
    return built(tmp, template="zhuankan", sections=6, paras=6, length=10), make(
        tmp, template="zhuankan", sections=6, paras=6, length=10)


def _columns(theme, page):
    cols = theme.columns(theme.type_area(1))
    out = [[] for _ in cols]
    for c in body(page, theme.body_size):
        for i, f in enumerate(cols):
            if f.x - 1 <= c["x0"] < f.x + f.width:
                out[i].append(c)
    return cols, out


def _articles(page, size: float) -> list[float]:
    """The tops of the article headlines on a made-up page (its largest sans text below the band)."""
    heads = [c for c in page.chars if c["size"] >= 2 * size and "Sans" in c["fontname"]]
    return sorted({round(c["top"]) for c in heads})


def test_zhuankan_columns_and_reading_order(zhuankan):
    """Each section is an article across the columns: read article by article, each column by column."""
    (_result, pdf), path = zhuankan
    theme = load_theme("zhuankan")
    cols, first = _columns(theme, pdf.pages[0])
    assert len(cols) == 4 and all(first)
    for f in cols:        # each column a whole number of 五号 characters, inside the type area
        assert abs(f.width / 10.5 - round(f.width / 10.5)) < 1e-6
    text = ""
    for page in pdf.pages:
        _cols, per_col = _columns(theme, page)
        cuts = _articles(page, theme.body_size) + [page.height]
        bands = [-1.0] + cuts
        for top, bottom in zip(bands, bands[1:]):
            for chars in per_col:
                text += "".join(c["text"] for row in lines([c for c in chars if top <= c["top"] < bottom])
                                for c in row)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = "".join(b["paragraph"] for s in doc["sections"] for b in s["blocks"])
    assert text == source


def test_zhuankan_band_names_the_document_on_every_page(zhuankan):
    (_result, pdf), _path = zhuankan
    theme = load_theme("zhuankan")
    area = theme.type_area(1)
    for page in pdf.pages:
        top = page.height - (area.y + area.height)
        band = "".join(c["text"] for c in page.chars if top - 1 <= c["top"] < top + 60)
        assert "测试发展简报" in band
        assert max(c["bottom"] for c in page.chars if c["text"] in "测试发展简报" and c["top"] < top + 60) < \
            min(c["top"] for c in body(page, 10.5))


def test_zhuankan_last_page_columns_are_balanced(zhuankan):
    (_result, pdf), _path = zhuankan
    theme = load_theme("zhuankan")
    if len(pdf.pages) < 2:
        pytest.skip("one page")
    _cols, per_col = _columns(theme, pdf.pages[-1])
    ends = [max(c["bottom"] for c in col) for col in per_col if col]
    assert len(ends) == 4
    assert max(ends) - min(ends) <= 3 * theme.body_leading


def test_zhuankan_broadsheet(tmp_path):
    result, pdf = built(tmp_path, template="zhuankan", sections=2, paras=3, page_size="broadsheet")
    assert abs(pdf.pages[0].width - 390 * MM) < 1
    assert result.pages >= 1


def test_report_contents_over_two_pages_numbers_every_section_where_it_begins(tmp_path):
    # 40 sections: the contents runs onto a second page; its numbers are filled in after the one layout pass
    result = build(make(tmp_path, template="report", sections=40, paras=2, length=4), tmp_path / "out")
    labels = pypdf.PdfReader(result.pdf).page_labels
    with pdfplumber.open(result.pdf) as pdf:
        toc, toc_pages = {}, 0
        for page in pdf.pages[1:4]:
            found = [re.match(r"^(.+部分工作情况)\s*(\d+)$", line.replace("·", "").strip())
                     for line in page.extract_text().split("\n")]
            toc_pages += any(found)
            toc.update({m.group(1).replace(" ", ""): m.group(2) for m in found if m})
        starts = {}
        for i, page in enumerate(pdf.pages):
            for row in lines([c for c in page.chars if c["size"] == 16]):
                starts.setdefault("".join(c["text"] for c in row), labels[i])
    assert toc_pages == 2
    assert len(toc) == 40
    assert toc == {t: starts[t] for t in toc}
    assert len(set(toc.values())) >= 8                   # the sections begin on many pages
