"""Layout paths a sample does not take: side-by-side `columns`, 着重号 dots, a contents list longer than a
page, a block too large for any page, and the greedy breaker's stretch limit."""
from __future__ import annotations

import re

import pdfplumber
import pypdf
import pytest

from briefing import ContentError, build
from briefing.cli import main
from briefing.layout import break_lines, linebreak
from briefing.layout.inline import literal_runs
from kit import briefing_yaml, squash

COLUMNS = ("      - paragraph: 普通文字*着重，文字*普通。\n"
           "      - columns:\n"
           "        - [{paragraph: 左栏甲乙丙丁。}, {bullets: [左栏条目]}]\n"
           "        - [{paragraph: 右栏戊己庚辛。}]\n")


def words_with(pdf_path, marker: str) -> dict[str, dict]:
    """The words of page 1 that contain `marker`, by text."""
    with pdfplumber.open(pdf_path) as pdf:
        return {w["text"]: w for w in pdf.pages[0].extract_words() if marker in w["text"]}


def columns_min_chars(n: int) -> str:
    return briefing_yaml(COLUMNS).replace("sections:", f"theme:\n  blocks: {{columns_min_chars: {n}}}\nsections:")


@pytest.fixture(scope="module")
def side_by_side(tmp_path_factory):
    import kit

    folder = tmp_path_factory.mktemp("columns")
    return build(kit.write(folder, yaml_text=columns_min_chars(8)), folder / "out").pdf


def test_columns_stand_side_by_side_with_tops_aligned(side_by_side):
    words = words_with(side_by_side, "栏")
    left, item, right = words["左栏甲乙丙丁。"], words["●左栏条目"], words["右栏戊己庚辛。"]
    assert abs(left["top"] - right["top"]) < 1                # both columns start on one line
    assert right["x0"] > left["x1"]                           # the right column is to the right of the left one
    assert item["top"] > left["bottom"] and item["x0"] < right["x0"]    # the bullet stays in its column


def test_columns_narrower_than_the_theme_allows_follow_one_another(tmp_path, write_briefing):
    src = write_briefing(yaml_text=columns_min_chars(40))
    words = words_with(build(src, tmp_path / "out").pdf, "栏")
    left, item, right = words["左栏甲乙丙丁。"], words["●左栏条目"], words["右栏戊己庚辛。"]
    assert left["bottom"] <= item["top"] and item["bottom"] <= right["top"]       # one after another
    assert abs(left["x0"] - right["x0"]) < 1


def test_emphasis_puts_a_dot_under_each_character_but_not_under_punctuation(side_by_side):
    top = words_with(side_by_side, "着重")["普通文字着重，文字普通。"]["top"]
    with pdfplumber.open(side_by_side) as pdf:
        line = sorted((c for c in pdf.pages[0].chars if abs(c["top"] - top) < 1), key=lambda c: c["x0"])
        dots = sorted(pdf.pages[0].curves, key=lambda d: d["x0"])
    text = "".join(c["text"] for c in line)
    assert text == "普通文字着重，文字普通。"
    k = text.index("着重")
    marked = [line[k], line[k + 1], line[k + 3], line[k + 4]]       # 着 重 ， 文 字: not the comma
    assert len(dots) == len(marked)
    for dot, char in zip(dots, marked):
        assert abs((dot["x0"] + dot["x1"]) / 2 - (char["x0"] + char["x1"]) / 2) < 0.5, char["text"]
        assert dot["top"] >= char["bottom"] - 0.1 * char["size"]               # under the character
        assert dot["x1"] - dot["x0"] < 0.2 * char["size"]                      # a dot, not a mark


TITLE = "[一二三四五六七八九十]+、(第[一二三四五六七八九十]+部分工作情况)"      # as make() titles a section


def test_contents_longer_than_a_page_continue_on_the_next(tmp_path):
    from test_templates import make

    result = build(make(tmp_path, template="report", sections=60, paras=1, length=1), tmp_path / "out")
    labels = pypdf.PdfReader(result.pdf).page_labels
    roman = [i for i, label in enumerate(labels) if re.fullmatch("[ivx]+", label)]
    assert len(roman) >= 2 and roman == list(range(1, len(roman) + 1))     # contents over several pages…
    body = roman[-1] + 1
    assert labels[0] == "封面" and labels[body] == "1"                         # …then the body on page 1
    with pdfplumber.open(result.pdf) as pdf:
        listed = []
        for page in pdf.pages[1:body]:
            for line in page.extract_text().split("\n"):
                m = re.fullmatch(TITLE + r"(\d+)", squash(line))
                if m:
                    listed.append((m.group(1), m.group(2)))
        starts = {}
        for i, page in enumerate(pdf.pages[body:], body):
            for title in re.findall(TITLE, squash(page.extract_text())):
                starts.setdefault(title, labels[i])
    assert [title for title, _ in listed] == [f"第{n}部分工作情况" for n in map(_cn, range(1, 61))]
    assert all(starts[title] == page for title, page in listed)


def _cn(n: int) -> str:
    from briefing import fmt

    return fmt.cn_numeral(n)


def test_a_block_too_large_for_any_page_is_named(tmp_path, capsys, write_briefing):
    cell = "很长的说明文字" * 280
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "big.csv").write_text(f"名称,说明\n甲,{cell}\n", encoding="utf-8")
    src = write_briefing("      - table: {data: big, title: 说明表}\n", data="  big: data/big.csv\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.pdf").write_bytes(b"previous")
    assert main(["build", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "有内容块太大，一页放不下" in err and "“一、概况”" in err and "第" in err, err
    # located like any content error: file, line, column, field, then the source line with a caret under the block
    assert "briefing.yaml:11:9 sections[0].blocks[0]:" in err, err
    assert "  11 |       - table: {data: big, title: 说明表}\n     |         ^^^^^" in err, err
    assert "col0" not in err
    assert "请拆分过长的表格单元格" in err and "Traceback" not in err
    assert (out / "briefing.pdf").read_bytes() == b"previous"
    with pytest.raises(ContentError, match="一页放不下"):
        build(src, tmp_path / "out2")


def test_a_block_too_large_for_an_article_column_is_located(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "big.csv").write_text("说明\n" + "很长的说明文字" * 280 + "\n", encoding="utf-8")
    src = tmp_path / "briefing.yaml"
    src.write_text("title: 测试专刊\ndate: 2026-11-01\nissuer: 测试单位\ntemplate: zhuankan\ndata:\n  big: data/big.csv\n"
                   "sections:\n  - id: a\n    headline: 一篇文章\n    columns: 1\n    blocks:\n"
                   "      - paragraph: 正文一段。\n      - table: {data: big, title: 说明表}\n", encoding="utf-8")
    assert main(["build", str(src), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "briefing.yaml:13:9 sections[0].blocks[1]:" in err and "一栏放不下" in err and "说明表" in err, err
    assert "  13 |       - table: {data: big, title: 说明表}" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


EM = 10.0


def _measure(text, _style):
    return [EM if ord(c) >= 0x2000 else 5.5 for c in text]


def test_greedy_breaker_squeezes_marks_rather_than_stretching_past_its_limit(monkeypatch):
    # the greedy breaker sets a paragraph when total fit finds no line sequence (a unit wider than the line)
    monkeypatch.setattr(linebreak, "total_fit", lambda *args, **kwargs: None)
    text, width = "中、以有了和： fja 大他来上有到", 12 * EM

    def first_line(max_stretch):
        lines = break_lines(literal_runs(text), width, _measure, size=EM, first_indent=0, max_stretch=max_stretch)
        assert "".join(ln.chars for ln in lines) == text
        return lines[0]

    stretched, squeezed = first_line(max_stretch=100.0), first_line(max_stretch=0.0)
    natural = sum(_measure(squeezed.chars, None))
    assert len(squeezed.chars) > len(stretched.chars)
    assert natural > width                                      # more than fits at natural width: marks squeezed
    assert sum(_measure(stretched.chars, None)) < width         # less than fits: spread out
    assert abs(squeezed.right - width) < 0.01 and abs(stretched.right - width) < 0.01    # both justified
