"""简报 after GB/T 9704-2012, read back from the PDF: the 28 × 22 character grid in the
156 × 225 mm type area, full-width rules, heading faces, colour, fonts and dates."""
from __future__ import annotations

import pdfplumber
import pytest
import yaml

from briefing import build

MM = 72 / 25.4
LEFT, TOP, WIDTH, HEIGHT = 28 * MM, 37 * MM, 156 * MM, 225 * MM
PITCH, LINE = WIDTH / 28, HEIGHT / 22
# Han text without punctuation inside a paragraph: nothing is compressed or pushed to the next
# line, so every full line must hold exactly 28 characters, each on its cell
WORDS = ["新区围绕建设内陆开放门户推动产业转型升级", "坚持创新驱动发展培育壮大数字经济新动能",
         "深化改革扩大开放持续优化营商环境", "统筹发展和安全扎实推进民生实事", "加快重大项目建设稳住投资基本盘"]


def text(k: int, n: int = 60) -> str:
    return "".join(WORDS[(k + i) % len(WORDS)] for i in range(n)) + "。"


def write(tmp_path, **doc) -> object:
    data = {"title": "测试发展简报", "issue": 7, "date": "2021-07-20", "issuer": "测试新区管理委员会办公室",
            "template": "jianbao",
            "distribution": {"report": "市委办公厅", "send": "市发展改革委", "issue_to": "新区各部门", "copies": 80},
            "sections": [{"id": "s1", "title": "总体情况", "blocks": [{"paragraph": text(k)} for k in range(2)]}]}
    data.update(doc)
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def jianbao(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gb9704")
    result = build(write(tmp), tmp / "out")
    with pdfplumber.open(result.pdf) as pdf:
        yield result, pdf


def rows(page, size=16.0):
    """Body-size characters grouped into lines by baseline, each sorted left to right."""
    out: dict[float, list] = {}
    for c in page.chars:
        if abs(c["size"] - size) < 0.05 and c["text"].strip():
            key = next((k for k in out if abs(k - c["bottom"]) < 2), c["bottom"])
            out.setdefault(key, []).append(c)
    return [sorted(out[k], key=lambda c: c["x0"]) for k in sorted(out)]


def body_rows(pdf):
    """Lines of body text (not the heading) on the pages after the masthead page."""
    return [r for page in pdf.pages[1:] for r in rows(page) if r[0]["fontname"].endswith("SerifSC-Regular")]


def test_every_full_line_holds_28_characters_on_the_grid(jianbao):
    _result, pdf = jianbao
    lines = body_rows(pdf)
    full = [r for r in lines if r[-1]["x0"] > LEFT + WIDTH - 1.5 * PITCH]    # reaches the right edge
    assert len(full) >= 20
    for r in full:
        indent = round((r[0]["x0"] - LEFT) / PITCH)
        assert indent in (0, 2), r[0]["x0"] / MM
        assert len(r) + indent == 28, "".join(c["text"] for c in r)
        # every character on its cell: origin at LEFT + k × 156 mm / 28
        for k, c in enumerate(r, indent):
            assert abs(c["x0"] - (LEFT + k * PITCH)) < 0.05, (k, c["text"], c["x0"] - LEFT - k * PITCH)
        # the glyphs keep their size: 三号, 16 pt
        assert all(abs(c["size"] - 16) < 0.01 for c in r)
    # a paragraph's first line starts two cells in; the others at the type area's edge
    assert {round((r[0]["x0"] - LEFT) / PITCH) for r in full} == {0, 2}


def test_every_full_page_holds_22_lines_at_the_area_pitch(jianbao):
    result, pdf = jianbao
    assert result.pages >= 3
    # a full page: text from the first line of the type area to its last (a page whose last line is
    # left empty, because a paragraph may not leave its first line alone at the foot, is not full)
    pages = [rows(p) for p in pdf.pages[1:]]
    full_pages = [lines for lines in pages if lines and max(c["bottom"] for c in lines[-1]) > TOP + HEIGHT - LINE / 2]
    assert full_pages
    for lines in full_pages:
        assert len(lines) == 22
        tops = [min(c["top"] for c in r) for r in lines]
        bottoms = [max(c["bottom"] for c in r) for r in lines]
        assert TOP - 0.5 <= tops[0] < TOP + LINE
        assert HEIGHT + TOP - LINE < bottoms[-1] <= TOP + HEIGHT + 0.5
        baselines = [r[0]["bottom"] for r in lines]
        for a, b in zip(baselines, baselines[1:]):
            assert abs(b - a - LINE) < 0.05


def test_rules_span_the_type_area(jianbao):
    _result, pdf = jianbao
    first, last = pdf.pages[0], pdf.pages[-1]
    red = [r for r in first.lines + first.rects if r["top"] < 90 * MM and r["x1"] - r["x0"] > 100 * MM]
    assert red, "no rule under the masthead"
    for r in red:
        assert abs(r["x0"] - LEFT) < 0.2 and abs(r["x1"] - (LEFT + WIDTH)) < 0.2
    closing = [r for r in last.lines + last.rects if r["top"] > 200 * MM and r["x1"] - r["x0"] > 100 * MM]
    assert len(closing) >= 4          # above, between the 报/送/发 lines and below
    for r in closing:
        assert abs(r["x0"] - LEFT) < 0.2 and abs(r["x1"] - (LEFT + WIDTH)) < 0.2


# -- colour, links, fonts, dates -------------------------------------------------------

def small(tmp_path, blocks, **doc):
    data = {"title": "测试发展简报", "issue": 7, "date": "2021-07-20", "issuer": "测试新区管理委员会办公室",
            "data": {"t": {"columns": {"项目": ["甲", "乙"], "数量": [3, 5]}}},
            "sections": [{"id": "s1", "title": "总体情况", "blocks": blocks}]}
    data.update(doc)
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return build(path, tmp_path / "out")


LINKED = "新区的{color=#c00000}增量贡献{/color}较大，详见[门户网站](http://www.example.gov.cn/a)。"


def test_body_text_is_black_and_links_print_as_notes(tmp_path):
    result = small(tmp_path, [{"paragraph": LINKED}])
    with pdfplumber.open(result.pdf) as pdf:
        chars = [c for p in pdf.pages for c in p.chars if c["text"].strip()]
        body = [c for c in chars if abs(c["size"] - 16) < 0.05]
        assert body and all(c["non_stroking_color"] in ((0,), (0, 0, 0), [0], [0, 0, 0]) for c in body), \
            {tuple(c["non_stroking_color"] or ()) for c in body}
        # the red span is bold instead
        bold = "".join(c["text"] for c in body if c["fontname"].endswith("Bold"))
        assert "增量贡献" in bold
        text = "".join(c["text"] for c in chars)
        # a raised note number after the link text, the address in a note after the paragraph
        mark = next(c for c in chars if c["text"] == "1" and c["size"] < 12)
        站 = next(c for c in chars if c["text"] == "站")
        assert mark["x0"] >= 站["x1"] - 0.5 and mark["bottom"] < 站["bottom"]
        assert text.index("[1]http://www.example.gov.cn/a".replace(" ", "")) > text.index("门户网站")
        links = [a for p in pdf.pages for a in (p.annots or []) if a.get("uri")]
        assert [a["uri"] for a in links] == ["http://www.example.gov.cn/a"]


@pytest.mark.parametrize("style", ["inline", "none"])
def test_link_style_inline_and_none(tmp_path, style):
    result = small(tmp_path, [{"paragraph": LINKED}], theme={"text": {"link_style": style}})
    with pdfplumber.open(result.pdf) as pdf:
        text = "".join(c["text"] for p in pdf.pages for c in p.chars)
    if style == "inline":
        assert "门户网站（http://www.example.gov.cn/a）。" in text
    else:
        assert "门户网站。" in text and "example" not in text


def test_colour_and_dots_when_the_theme_asks(tmp_path):
    result = small(tmp_path, [{"paragraph": LINKED}],
                   theme={"text": {"colors": True, "link_style": "none"}})
    with pdfplumber.open(result.pdf) as pdf:
        red = [c["text"] for p in pdf.pages for c in p.chars if c["non_stroking_color"]
               and len(c["non_stroking_color"]) == 3 and c["non_stroking_color"][0] > 0.6]
    assert "".join(red).count("增量贡献") == 1


def embedded_fonts(path):
    """BaseFont name -> embedded? for every font a page or a form XObject names."""
    import pypdf

    out = {}

    def walk(res):
        for f in (res.get("/Font") or {}).values():
            f = f.get_object()
            desc = f.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in f:
                desc = f["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            out[str(f.get("/BaseFont"))] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for x in (res.get("/XObject") or {}).values():
            x = x.get_object()
            if "/Resources" in x:
                walk(x["/Resources"].get_object())

    for page in pypdf.PdfReader(path).pages:
        walk(page["/Resources"].get_object())
    return out


def pdf_date(value: str):
    import datetime as dt

    m = value[2:16]
    stamp = dt.datetime.strptime(m, "%Y%m%d%H%M%S")
    tz = value[16:].replace("'", "")
    if tz in ("Z", "+0000", "-0000", ""):
        return stamp.replace(tzinfo=dt.timezone.utc)
    sign = 1 if tz[0] == "+" else -1
    return stamp.replace(tzinfo=dt.timezone(sign * dt.timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5]))))


def test_every_font_is_embedded_and_dated_at_build_time(tmp_path, monkeypatch):
    import datetime as dt

    import pypdf

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    blocks = [{"paragraph": "表格和图表。"},
              {"keyfigures": [{"label": "产值", "value": "12.5", "unit": "亿元", "change": 3.1}]},
              {"table": {"data": "t", "title": "数量"}},
              {"chart": {"type": "bar", "data": "t", "x": "项目", "y": "数量", "title": "数量"}}]
    before = dt.datetime.now(dt.timezone.utc)
    result = small(tmp_path, blocks)
    fonts = embedded_fonts(result.pdf)
    assert fonts and all(fonts.values()), fonts
    info = pypdf.PdfReader(result.pdf).metadata
    for key in ("/CreationDate", "/ModDate"):
        when = pdf_date(info[key])
        assert abs((when - before).total_seconds()) < 60, (info[key], before)


def test_source_date_epoch_sets_the_dates(tmp_path, monkeypatch):
    import datetime as dt

    import pypdf

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = small(tmp_path, [{"paragraph": "正文。"}])
    info = pypdf.PdfReader(result.pdf).metadata
    for key in ("/CreationDate", "/ModDate"):
        assert pdf_date(info[key]) == dt.datetime.fromtimestamp(1700000000, dt.timezone.utc)


def test_report_cover_shows_the_issue(tmp_path):
    result = small(tmp_path, [{"paragraph": "正文。"}], template="report", issue=12)
    with pdfplumber.open(result.pdf) as pdf:
        cover = pdf.pages[0].extract_text().replace(" ", "")
    assert "第12期" in cover


# -- headings and characters -----------------------------------------------------------

def test_four_heading_levels_in_their_faces(tmp_path):
    blocks = [{"heading": "汽车产业"}, {"heading": {"text": "新能源汽车", "level": 3}},
              {"heading": {"text": "整车企业", "level": 4}}, {"paragraph": "正文。"},
              {"heading": {"text": "（三）电子信息", "level": 2}}, {"heading": {"text": "笔电", "level": 3}}]
    result = small(tmp_path, blocks, subtitle="上半年经济运行情况")
    with pdfplumber.open(result.pdf) as pdf:
        page = pdf.pages[0]
        lines = {}
        for c in page.chars:
            lines.setdefault(round(c["bottom"]), []).append(c)
        found = {"".join(c["text"] for c in sorted(cs, key=lambda c: c["x0"])): cs for cs in lines.values()}

    def face(text):
        cs = found[text]
        names = {c["fontname"].split("+")[-1] for c in cs}
        sizes = {round(c["size"], 1) for c in cs}
        assert len(names) == 1, names
        return names.pop(), sizes.pop()

    assert face("一、总体情况") == ("BriefingSansSC-Regular", 16.0)            # 黑体
    assert face("（一）汽车产业") == ("BriefingKaiSC-Regular", 16.0)          # 楷体
    assert face("1.新能源汽车") == ("BriefingSerifSC-Bold", 16.0)             # 仿宋 bold: Song bold stands in
    assert face("（1）整车企业") == ("BriefingSerifSC-Regular", 16.0)         # 仿宋: Song stands in
    # numbered as written, and counted on from there
    assert face("（三）电子信息")[0] == "BriefingKaiSC-Regular"
    assert "1.笔电" in found
    # the title in the boldest bundled Song at 二号 (22 pt)
    assert face("上半年经济运行情况") == ("BriefingSerifSC-Bold", 22.0)


OFFICE = "㎡㎞‰№℃①⑪⑳⑴⒇⒈⒛ⅠⅫ㈠㈩"


def test_office_symbols_and_rare_names_build(tmp_path):
    from briefing import fonts

    # 㵘 (Extension A) is a GB 18030-2022 level 1 character beyond GB 2312 and the 通用规范汉字表:
    # in the Song, not in the 楷体
    assert fonts.covered("㵘") and not fonts.covered("㵘", "kai")
    text = f"面积12.5㎡，里程3㎞，{OFFICE}，地名㵘水。"
    result = small(tmp_path, [{"heading": "㵘水治理"}, {"paragraph": text}])
    with pdfplumber.open(result.pdf) as pdf:
        chars = pdf.pages[0].chars
    assert text in "".join(c["text"] for c in chars)
    # the 楷体 heading: the one character the Kai lacks is set in the Song of its weight
    opening = next(c for c in chars if c["text"] == "（" and "Kai" in c["fontname"])
    heading = {c["text"]: c["fontname"].split("+")[-1] for c in chars if abs(c["bottom"] - opening["bottom"]) < 1}
    assert heading["㵘"] == "BriefingSerifSC-Regular"
    assert heading["治"] == heading["理"] == "BriefingKaiSC-Regular"


def test_a_theme_points_fangsong_at_the_users_own_font(tmp_path):
    from briefing import ContentError
    from briefing.fonts import font_path

    (tmp_path / "fonts").mkdir()
    own = tmp_path / "fonts" / "仿宋.ttf"
    own.write_bytes(font_path("sans").read_bytes())         # any TrueType file will do for the test
    blocks = [{"heading": {"text": "整车企业", "level": 4}}, {"paragraph": "正文。"}]
    result = small(tmp_path, blocks, theme={"fonts": {"fangsong": "fonts/仿宋.ttf"}})
    with pdfplumber.open(result.pdf) as pdf:
        heading = [c for c in pdf.pages[0].chars if c["text"] in "整车企业"]
    assert heading and {c["fontname"].split("+")[-1] for c in heading} == {"BriefingSansSC-Regular"}
    # without the theme entry the Song stands in again (nothing leaks from the build before)
    again = small(tmp_path, blocks)
    with pdfplumber.open(again.pdf) as pdf:
        heading = [c for c in pdf.pages[0].chars if c["text"] in "整车企业"]
    assert {c["fontname"].split("+")[-1] for c in heading} == {"BriefingSerifSC-Regular"}
    # a file outside the briefing's folder, or not a font, is a located content error
    with pytest.raises(ContentError):
        small(tmp_path, blocks, theme={"fonts": {"fangsong": "/etc/hostname"}})
    (tmp_path / "fonts" / "bad.ttf").write_bytes(b"not a font")
    with pytest.raises(ContentError):
        small(tmp_path, blocks, theme={"fonts": {"fangsong": "fonts/bad.ttf"}})


@pytest.mark.parametrize("theme", [{"page": {"grid": {"chars": "x", "lines": 22}}},
                                   {"page": {"grid": {"chars": 0, "lines": 22}}},
                                   {"text": {"link_style": "endnote"}}, {"text": {"color_emphasis": "red"}}])
def test_bad_grid_or_text_settings_are_content_errors(tmp_path, theme):
    from briefing import ContentError

    with pytest.raises(ContentError) as e:
        small(tmp_path, [{"paragraph": "正文。"}], theme=theme)
    assert "page.grid" in e.value.message or "text." in e.value.message
    assert not (tmp_path / "out" / "briefing.pdf").exists()
