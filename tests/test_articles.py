"""Articles (docs/articles.md): the 专刊's article fields, and the same YAML in the 简报 and the report."""
from __future__ import annotations

import pdfplumber
import pytest
import yaml

from briefing import build
from briefing.errors import ContentError

DOC = {
    "title": "两江新区专版", "date": "2026-11-01", "issuer": "重庆日报",
    "banner": {"paper": "重庆日报", "label": "两江新区专版", "edition": "第 9 版",
               "editors": {"责任编辑": "王某", "美术编辑": "李某"}},
    "sections": [
        {"id": "lead", "kicker": "加快制造业高质量发展", "headline": ["着力打造", "高质量发展引领区"],
         "subhead": "前三季度工业产值稳步回升", "byline": "本报记者 张某", "columns": 4, "lead": True,
         "blocks": [{"paragraph": "新区前三季度工业运行平稳，新的增长动能加快集聚。"},
                    {"heading": "产业集群壮大"},
                    {"paragraph": "四大支柱产业协同发力，带动全区经济稳步回升。"},
                    {"keyfigures": [{"label": "工业产值", "value": 1054, "unit": "亿元"}], "title": "数读"}]},
        {"id": "comment", "kind": "commentary", "signature": "本报评论员", "headline": "以开放促发展",
         "columns": 1, "blocks": [{"paragraph": "开放是新区鲜明的底色，越是困难越要扩大开放。"}]},
    ],
}


def _build(tmp_path, doc: dict, template: str):
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump({**doc, "template": template}, allow_unicode=True), encoding="utf-8")
    result = build(path, tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        return "".join((p.extract_text() or "") for p in pdf.pages).replace("\n", "")


@pytest.mark.parametrize("template", ["jianbao", "report"])
def test_jianbao_and_report_build_the_article_yaml(tmp_path, template):
    text = _build(tmp_path, DOC, template)
    assert "一、着力打造高质量发展引领区" in text          # the headline lines joined are the numbered title
    assert "二、以开放促发展" in text
    for line in ("加快制造业高质量发展", "前三季度工业产值稳步回升", "本报记者 张某", "本报评论员", "数读"):
        assert line in text
    # the 引题 just above its title (the report lists the title in its contents first)
    assert text.rindex("加快制造业高质量发展") < text.rindex("一、着力打造")


def test_a_section_without_title_or_headline_is_refused_where_written(tmp_path):
    doc = {**DOC, "sections": [{"id": "x", "blocks": [{"paragraph": "正文。"}]}]}
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as e:
        build(path, tmp_path / "out")
    assert "headline" in str(e.value) and "sections" in str(e.value)
    assert not (tmp_path / "out").exists()


# -- the 专刊 made up of articles --------------------------------------------------------------------------

import re  # noqa: E402

from briefing.templates import load_theme  # noqa: E402

TOPICS = ["汽车", "电子", "装备", "医药", "物流", "金融", "会展", "软件", "材料", "能源", "文旅", "港口"]


def _text(seed: int, sentences: int) -> str:
    """Running text of our own, different for every seed (no sentence from the seed pages)."""
    out = []
    for i in range(sentences):
        a, b = TOPICS[(seed + i) % len(TOPICS)], TOPICS[(seed * 3 + i * 5) % len(TOPICS)]
        out.append(f"第{seed}组第{i + 1}句说明{a}产业与{b}产业协同推进，项目加快落地，效益稳步提升")
    return "，".join(out) + "。"


def _photo(path) -> None:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (1200, 800), (70, 110, 150))
    draw = ImageDraw.Draw(im)
    for k in range(0, 1200, 60):
        draw.line([(k, 800), (k + 300, 0)], fill=(200, 180, 90), width=8)
    im.save(path)


def _paper(paras: int, seed: int) -> list[dict]:
    return [{"paragraph": _text(seed * 10 + i, 4)} for i in range(paras)]


ZK = {
    "title": "两江新区专版", "date": "2026-11-01", "issuer": "重庆日报", "template": "zhuankan",
    "page_size": "A3",
    "banner": {"paper": "重庆日报", "label": "两江新区专版", "edition": "第 9 版",
               "editors": {"责任编辑": "王某", "美术编辑": "李某"}},
    "sections": [
        {"id": "lead", "kicker": "加快制造业高质量发展", "headline": ["着力打造高质量发展引领区"],
         "subhead": "前三季度工业产值稳步回升", "byline": "本报记者 张某", "lead": True,
         "blocks": [{"image": {"file": "port.png", "caption": "果园港", "credit": "陈力行 摄"}},
                    *_paper(3, 1), {"heading": "产业集群加快壮大"}, *_paper(4, 2)]},
        {"id": "second", "headline": "开放通道越走越宽", "byline": "本报记者 李某", "columns": 3,
         "blocks": [*_paper(4, 3), {"heading": "口岸功能完善"}, *_paper(4, 4)]},
        {"id": "comment", "kind": "commentary", "signature": "本报评论员", "headline": "以开放促发展",
         "columns": 1, "blocks": _paper(2, 5)},
        {"id": "p2", "new_page": True, "edition": "第 10 版", "lead": True, "kicker": "建设美丽新区",
         "headline": ["公园城市建设", "提速推进"], "byline": "本报记者 王某", "columns": 4,
         "blocks": [*_paper(4, 6), {"heading": "生态画卷展开"}, *_paper(3, 7)]},
        {"id": "p2b", "headline": "智慧城市惠及市民", "columns": 2, "blocks": _paper(3, 8)},
        {"id": "p2c", "headline": "创新平台集聚人才", "columns": 2, "blocks": _paper(3, 9)},
    ],
}


@pytest.fixture(scope="module")
def made_up(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("zk")
    _photo(tmp / "port.png")
    path = tmp / "briefing.yaml"
    path.write_text(yaml.safe_dump(ZK, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(path, tmp / "out")
    with pdfplumber.open(result.pdf) as pdf:
        yield result, pdf


def _lines(page):
    """Text lines of a page: (top, x0, x1, size, font, text), chars grouped by baseline."""
    rows: dict = {}
    for c in page.chars:
        rows.setdefault((round(c["bottom"]), round(c["size"], 1)), []).append(c)
    out = []
    for (_b, size), chars in rows.items():
        chars.sort(key=lambda c: c["x0"])
        runs = [[chars[0]]]
        for c in chars[1:]:          # the same baseline in another column is another line
            if c["x0"] - runs[-1][-1]["x1"] > 1.5 * size:
                runs.append([])
            runs[-1].append(c)
        for run in runs:
            out.append((min(c["top"] for c in run), run[0]["x0"], run[-1]["x1"], size, run[0]["fontname"],
                        "".join(c["text"] for c in run)))
    return sorted(out)


def _find(page, text: str):
    hits = [line for line in _lines(page) if text in line[5].replace("\u3000", "")]
    assert hits, f"{text!r} not on page {page.page_number}"
    return hits[0]


def test_band_at_the_top_of_every_page(made_up):
    _result, pdf = made_up
    assert len(pdf.pages) == 2
    theme = load_theme("zhuankan")
    area = theme.type_area(1)
    for page, edition in zip(pdf.pages, ("第 9 版", "第 10 版")):
        top = page.height - (area.y + area.height)
        band = [line for line in _lines(page) if line[0] < top + 60]
        text = "".join(line[5] for line in band)
        for part in ("重庆日报", "两江新区专版", edition, "责任编辑：王某", "2026年11月1日"):
            assert part in text, (page.page_number, part)
        body_top = min(line[0] for line in _lines(page) if abs(line[3] - theme.body_size) < 0.1 and line[0] > top)
        assert max(line[0] for line in band) < body_top


def test_headline_hierarchy(made_up):
    _result, pdf = made_up
    kicker, main, sub = (_find(pdf.pages[0], t) for t in ("加快制造业高质量发展", "着力打造高质量发展引领区",
                                                          "前三季度工业产值稳步回升"))
    assert main[3] >= 36                          # the lead's 主题 at 小初 or larger
    assert kicker[3] < main[3] and kicker[0] < main[0]
    assert sub[3] < main[3] and sub[0] > main[0]
    second = _find(pdf.pages[0], "开放通道越走越宽")
    assert second[3] < main[3]                    # a secondary article's 主题 is smaller
    lead2 = [_find(pdf.pages[1], t) for t in ("公园城市建设", "提速推进")]
    assert all(line[3] >= 36 for line in lead2) and lead2[0][0] < lead2[1][0]   # two lines as written


def _article_columns(page, head, theme) -> list[int]:
    """The columns holding the body text directly under a headline (down to the next headline or rule)."""
    cols = theme.columns(theme.type_area(1))
    lead = theme.body_leading
    under = [line for line in _lines(page) if abs(line[3] - theme.body_size) < 0.1
             and head[0] < line[0] < head[0] + 200 + 6 * lead]
    used = set()
    for line in under:
        for i, f in enumerate(cols):
            if f.x - 1 <= line[1] < f.x + f.width and (head[1] - 1 <= line[1] <= head[2] + 1 or
                                                      f.x <= (head[1] + head[2]) / 2 <= f.x + f.width):
                used.add(i)
    return sorted(used)


def _span_of(head, count: int, cols) -> tuple[int, float, float]:
    """(first column, left, right) of the `count` whole columns a headline is centred on."""
    centre = (head[1] + head[2]) / 2
    spans = [(i, cols[i].x, cols[i + count - 1].x + cols[i].width) for i in range(len(cols) - count + 1)]
    return min(spans, key=lambda s: abs((s[1] + s[2]) / 2 - centre))


def _feet(page, head, first: int, count: int, theme) -> list[float]:
    """Where each column of an article ends: its lowest body line above the next headline in that column."""
    cols = theme.columns(theme.type_area(1))
    heads = [line for line in _lines(page) if line[3] >= 18 and "Sans" in line[4] and line[0] > head[0] + 1]
    left, right = cols[first].x, cols[first + count - 1].x + cols[first].width
    # the article ends where the next headline under it begins
    limit = min((h[0] for h in heads if h[1] < right and h[2] > left), default=page.height)
    feet = []
    for c in range(first, first + count):
        x0, x1 = cols[c].x, cols[c].x + cols[c].width
        tops = [line[0] for line in _lines(page) if abs(line[3] - theme.body_size) < 0.1
                and x0 - 1 <= line[1] < x1 and head[0] < line[0] < limit]
        feet.append(max(tops, default=None))
    return feet


ARTICLES = [(0, "着力打造高质量发展引领区", 4), (0, "开放通道越走越宽", 3), (0, "以开放促发展", 1),
            (1, "提速推进", 4), (1, "智慧城市惠及市民", 2), (1, "创新平台集聚人才", 2)]


def _article(made_up, page_no: int, headline: str, count: int):
    """(page, headline box, theme, (first column, left, right)) of an article on the made-up pages."""
    _result, pdf = made_up
    theme = load_theme("zhuankan")
    page = pdf.pages[page_no]
    head = _find(page, headline)
    return page, head, theme, _span_of(head, count, theme.columns(theme.type_area(1)))


@pytest.mark.parametrize("page_no, headline, count", ARTICLES)
def test_headline_spans_exactly_its_columns(made_up, page_no, headline, count):
    page, head, theme, (first, left, right) = _article(made_up, page_no, headline, count)
    # the headline is centred on `count` whole columns and stays inside them
    assert abs((left + right) / 2 - (head[1] + head[2]) / 2) < 1.0
    assert left - 0.5 <= head[1] and head[2] <= right + 0.5
    # and the article's text under it fills each of those columns
    assert None not in _feet(page, head, first, count, theme)


@pytest.mark.parametrize("page_no, headline, count", [a for a in ARTICLES if a[2] > 1])
def test_columns_level_at_each_article_foot(made_up, page_no, headline, count):
    page, head, theme, (first, _left, _right) = _article(made_up, page_no, headline, count)
    feet = _feet(page, head, first, count, theme)
    assert None not in feet
    assert max(feet) - min(feet) <= theme.body_leading + 0.5, (headline, feet)


def test_bylines_and_photo_credit(made_up):
    _result, pdf = made_up
    first = pdf.pages[0]
    for text in ("本报记者 张某", "本报记者 李某", "本报评论员"):
        _find(first, text)
    credit = _find(first, "果园港陈力行 摄")
    assert not re.match(r"图\s*\d", credit[5])                 # a photo is not numbered
    photo = first.images[0]
    assert photo["bottom"] <= credit[0] + 1 and credit[0] - photo["bottom"] < 30   # right under the photo
    assert _find(pdf.pages[1], "本报记者 王某")


def test_no_report_numbering(made_up):
    _result, pdf = made_up
    for page in pdf.pages:
        for line in _lines(page):
            assert not re.match(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）", line[5]), line[5]
    assert "产业集群加快壮大" in "".join(line[5] for line in _lines(pdf.pages[0]))


def test_a_headline_too_wide_breaks_between_words(tmp_path):
    from briefing.charts.labels import words

    line = "两江新区国际物流枢纽建设全面提速"
    doc = {**ZK, "banner": None, "sections": [
        {"id": "a", "headline": "开放通道越走越宽", "columns": 3, "blocks": _paper(4, 1)},
        {"id": "b", "headline": line, "columns": 1, "blocks": _paper(3, 2)}]}
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump({k: v for k, v in doc.items() if v is not None}, allow_unicode=True),
                    encoding="utf-8")
    result = build(path, tmp_path / "out")
    theme = load_theme("zhuankan")
    with pdfplumber.open(result.pdf) as pdf:
        heads = [x for x in _lines(pdf.pages[0]) if x[3] >= 16 and "Sans" in x[4] and x[5] in line]
    assert len(heads) >= 2 and "".join(h[5] for h in sorted(heads)) == line
    bounds, pos = set(), 0
    for w in words(line):
        pos += len(w)
        bounds.add(pos)
    pos = 0
    for h in sorted(heads)[:-1]:
        pos += len(h[5])
        assert pos in bounds, (h[5], words(line))        # broken between words only
    col = theme.columns(theme.type_area(1))[0].width
    assert all(h[2] - h[1] <= col + 0.5 for h in heads)


def test_an_article_longer_than_a_page_goes_on_with_jump_lines(tmp_path):
    """Continued on the next page, with 下转 at its foot and 上接 over the rest; no paragraph is lost."""
    paras = _paper(40, 3)
    doc = {**ZK, "sections": [{"id": "long", "headline": "开放通道越走越宽", "lead": True, "blocks": paras}]}
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = build(path, tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        assert len(pdf.pages) >= 2
        first = "".join(x[5] for x in _lines(pdf.pages[0]))
        second = "".join(x[5] for x in _lines(pdf.pages[1]))
        theme = load_theme("zhuankan")
        body = "".join(x[5] for p in pdf.pages for x in sorted(_lines(p), key=lambda x: (x[1] // 100, x[0]))
                       if abs(x[3] - theme.body_size) < 0.1)
    assert "（下转第10版）" in first.replace(" ", "")
    assert "（上接第9版）" in second.replace(" ", "")
    assert "第 10 版" in second                         # the next page's 版头 counts on
    for p in paras:                                    # every paragraph's opening and end reach the page
        assert p["paragraph"][:8] in body and p["paragraph"][-8:] in body


def test_broadsheet_pages_make_up(tmp_path):
    doc = {**ZK, "page_size": "broadsheet"}
    _photo(tmp_path / "port.png")
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(path, tmp_path / "out")
    theme = load_theme("zhuankan", page_size="broadsheet")
    cols = theme.columns(theme.type_area(1))
    with pdfplumber.open(result.pdf) as pdf:
        page = pdf.pages[0]
        assert abs(page.width - theme.page_size[0]) < 1
        head = _find(page, "着力打造高质量发展引领区")
        _first, left, right = _span_of(head, len(cols), cols)
        assert abs((left + right) / 2 - (head[1] + head[2]) / 2) < 1.0
        assert "两江新区专版" in "".join(x[5] for x in _lines(page) if x[0] < head[0])


def test_an_article_that_does_not_fit_goes_whole_to_the_next_page(tmp_path):
    """With continuation turned off (split_room: 1), the second article does not start at the foot of the
    first page: all of it, headline first, opens the second."""
    a, b = _paper(16, 1), _paper(14, 2)
    doc = {**ZK, "theme": {"article": {"split_room": 1}}, "sections": [
        {"id": "a", "headline": "着力打造高质量发展引领区", "lead": True, "blocks": a},
        {"id": "b", "headline": "开放通道越走越宽", "blocks": b}]}
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = build(path, tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        assert len(pdf.pages) == 2
        first = "".join(x[5] for x in _lines(pdf.pages[0]))
        second = "".join(x[5] for x in _lines(pdf.pages[1]))
    assert "开放通道越走越宽" in second and "开放通道越走越宽" not in first
    assert "下转" not in first and "上接" not in second
    assert all(p["paragraph"][:8] in second for p in b)
    assert all(p["paragraph"][:8] in first for p in a)


def test_a_wrong_article_width_is_reported_at_its_line(tmp_path):
    path = tmp_path / "briefing.yaml"
    path.write_text("title: 专版\ndate: 2026-11-01\nissuer: 重庆日报\ntemplate: zhuankan\nsections:\n"
                    "  - id: a\n    headline: 以开放促发展\n    columns: 0\n    blocks: []\n", encoding="utf-8")
    with pytest.raises(ContentError) as e:
        build(path, tmp_path / "out")
    assert ":8:" in str(e.value) and "columns" in str(e.value)


def test_a_long_band_label_breaks_between_title_and_subtitle(tmp_path):
    doc = {"title": "两江新区发展简报", "subtitle": "2021年上半年经济运行情况", "date": "2021-07-20",
           "issuer": "重庆两江新区管理委员会办公室", "template": "zhuankan",
           "sections": [{"id": "a", "title": "概况", "blocks": [{"paragraph": "新区经济运行稳中有进。" * 30}]}]}
    src = tmp_path / "briefing.yaml"
    src.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = build(src, tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        page = pdf.pages[0]
        band = [c for c in page.chars if c["top"] < 90 and c["text"].strip()]
    rows: dict[int, str] = {}
    for c in sorted(band, key=lambda c: (round(c["top"]), c["x0"])):
        rows[round(c["top"])] = rows.get(round(c["top"]), "") + c["text"]
    lines = list(rows.values())
    assert any(line.endswith("两江新区发展简报") for line in lines), lines
    assert any(line.startswith("2021年上半年经济运行情况") for line in lines), lines
