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
    full_pages = [rows(p) for p in pdf.pages[1:-1]]
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
