"""One test (or a few) per rule of docs/typesetting.md, on real positions.

Most tests run the pure breaker with a fixed-width measurer (Han and
full-width punctuation 10 pt = 1 em, Latin 5 pt), so every expected position
is exact; the PDF tests read a generated file back with pdfplumber.
"""
import statistics

import pytest

from briefing.layout import CJKParagraph, TextStyle, break_lines, parse_inline
from briefing.layout.chars import NO_END, NO_START, is_han
from briefing.layout.inline import literal_runs

EM = 10.0


def meas(text, rs):
    out = []
    for c in text:
        if ord(c) >= 0x2000:
            out.append(EM * (0.6 if rs.sup else 1.0))
        elif c == " ":
            out.append(3.0)
        else:
            out.append(5.0)
    return out


def lay(text, width=100.0, indent=0.0, **kw):
    return break_lines(literal_runs(text), width, meas, size=EM, first_indent=indent, **kw)


def texts(lines):
    return [ln.chars for ln in lines]


HAN10 = "一二三四五六七八九十"


# R1 -------------------------------------------------------------------------
def test_r1_push_in_half_width_comma_at_line_end():
    # nine characters fill 90 of 95 pt; the comma cannot start the next line
    lines = lay(HAN10[:9] + "，甲乙丙", width=95.0)
    assert texts(lines) == [HAN10[:9] + "，", "甲乙丙"]
    first = lines[0]
    assert first.xs[-1] == pytest.approx(90.0)           # comma kept on the line ...
    assert first.right == pytest.approx(95.0, abs=0.01)   # ... set half width (R5)


def test_r1_push_out_when_push_in_impossible():
    lines = lay(HAN10 + "。”甲乙")
    assert lines[1].chars[0] not in NO_START
    assert lines[1].chars.startswith("十。”")
    assert lines[0].right == pytest.approx(100.0, abs=0.01)


@pytest.mark.parametrize("mark", sorted(set("、，；：。！？）》”’…—％")))
def test_r1_full_set_never_starts_a_line(mark):
    for k in range(8, 13):
        for ln in lay("甲" * k + mark + "乙" * 12)[1:]:
            assert ln.chars[0] not in NO_START


# R2 -------------------------------------------------------------------------
@pytest.mark.parametrize("mark", sorted(NO_END))
def test_r2_opening_marks_never_end_a_line(mark):
    for k in range(7, 12):
        for ln in lay("甲" * k + mark + "乙丙丁" * 5):
            assert ln.chars[-1] not in NO_END


# R3 -------------------------------------------------------------------------
def _joins(lines):
    return [(a.chars, b.chars) for a, b in zip(lines, lines[1:])]


@pytest.mark.parametrize("unit", ["18.5", "1,054", "41.1%", "2026", "——", "……", "typeset"])
def test_r3_inseparables_never_break(unit):
    for k in range(4, 12):
        text = "甲" * k + unit + "乙" * 14
        lines = lay(text)
        assert "".join(texts(lines)) == text
        assert any(unit in ln.chars for ln in lines), (k, texts(lines))


def test_r3_url_breaks_only_after_slash_dot_hyphen_question():
    url = "https://example.org/a-long/path/file.html?x=1"
    lines = lay("见" * 3 + url + "。", width=100.0)
    assert "".join(texts(lines)) == "见" * 3 + url + "。"
    for a, b in _joins(lines):
        if b[0] in url and a[-1] in url:
            assert a[-1] in "/.-?"


# R4 -------------------------------------------------------------------------
@pytest.mark.parametrize("pair", ["。”", "，“", "）、", "”。", "、《"])
def test_r4_adjacent_punctuation_takes_one_and_a_half_em(pair):
    lines = lay("甲乙" + pair + "丙", width=200.0, align="left")
    xs = lines[0].xs
    assert xs[4] - xs[2] == pytest.approx(15.0)


# R6 -------------------------------------------------------------------------
def test_r6_justified_lines_flush_and_han_gaps_equal():
    text = ("我们今年的工作重点是，" + "推进数字经济和GDP增长" + "以及城市更新。") * 6
    lines = lay(text, width=205.0, indent=2.0)
    for ln in lines[:-1]:
        assert ln.right == pytest.approx(205.0, abs=0.01)
        gaps = [b - a - EM for a, b, c1, c2 in zip(ln.xs, ln.xs[1:], ln.chars, ln.chars[1:]) if is_han(c1) and is_han(c2)]
        assert statistics.pstdev(gaps) < 0.05
    assert lines[-1].right < 205.0 - 0.5 or len(lines[-1].chars) > 15


def test_r6_left_alignment_is_not_stretched():
    lines = lay("甲乙丙丁戊己庚辛壬癸子丑寅卯", width=95.0, align="left")
    assert all(b - a == pytest.approx(EM) for a, b in zip(lines[0].xs, lines[0].xs[1:]))


# R7 -------------------------------------------------------------------------
def test_r7_han_latin_space_on_and_off():
    on = lay("中文ABC中文", width=300.0, align="left")[0]
    assert on.xs[2] - (on.xs[1] + EM) == pytest.approx(2.5)   # 1/4 em
    assert on.xs[5] - (on.xs[4] + 5.0) == pytest.approx(2.5)
    off = lay("中文ABC中文", width=300.0, align="left", hanlatin=False)[0]
    assert off.xs[2] - (off.xs[1] + EM) == pytest.approx(0.0)


def test_r7_no_space_next_to_chinese_punctuation():
    ln = lay("中，ABC。", width=300.0, align="left")[0]
    assert ln.xs[2] - (ln.xs[1] + EM) == pytest.approx(0.0)


def test_r7_no_space_at_line_start():
    lines = lay(HAN10 + "ABCD一二", width=100.0)
    assert lines[1].chars.startswith("ABCD")
    assert lines[1].xs[0] == pytest.approx(0.0)


# R8 -------------------------------------------------------------------------
def test_r8_first_line_indent():
    lines = lay(HAN10 * 3, width=100.0, indent=2.0)
    assert lines[0].xs[0] == pytest.approx(20.0)
    assert lines[1].xs[0] == pytest.approx(0.0)
    assert lay(HAN10 * 3, indent=0.0)[0].xs[0] == 0.0


# R10 ------------------------------------------------------------------------
def test_r10_no_line_wider_than_the_frame():
    text = "“数据”显示，2026年增长41.1%，（详见附表）……他说：“好。”" * 5
    for width in (93.0, 100.0, 128.0, 171.0):
        for ln in lay(text, width=width, indent=2.0):
            assert ln.right <= width + 0.01


# R12 ------------------------------------------------------------------------
def test_r12_no_lone_tail():
    lines = lay(HAN10 * 2 + "甲。")
    tail = lines[-1].chars
    assert sum(1 for c in tail if is_han(c)) >= 2
    assert lines[-2].right == pytest.approx(100.0, abs=0.01)


def _para(n_lines, style):
    return CJKParagraph("永" * int(n_lines * 42 - 2 - 5), style)


def test_r12_widow_and_orphan_control_on_split(fonts):
    st = TextStyle(size=10.5, leading=18.0)
    p = _para(3, st)
    p.wrap(441, 1000)
    assert len(p.lines) == 3
    assert p.split(441, 2 * 18.0) == []    # would leave the last line alone at the next head
    assert p.split(441, 1 * 18.0) == []    # would leave the first line alone at the foot
    p4 = _para(4, st)
    p4.wrap(441, 1000)
    parts = p4.split(441, 3 * 18.0)
    assert len(parts) == 2
    h1 = parts[0].wrap(441, 1000)[1]
    h2 = parts[1].wrap(441, 1000)[1]
    assert (h1, h2) == (2 * 18.0, 2 * 18.0)
    assert parts[0].lines[-1].right == pytest.approx(441, abs=0.01)   # still justified


# markup ---------------------------------------------------------------------
def test_markup_runs():
    runs = parse_inline("a**粗**b*着重*{color=#c00000}红{/color}注^[1][链](https://x.org/)")
    got = [(r.text, r.style.bold, r.style.emph, r.style.color, r.style.sup, r.style.link) for r in runs]
    assert got == [("a", False, False, None, False, None), ("粗", True, False, None, False, None),
                   ("b", False, False, None, False, None), ("着重", False, True, None, False, None),
                   ("红", False, False, "#c00000", False, None), ("注", False, False, None, False, None),
                   ("1", False, False, None, True, None), ("链", False, False, None, False, "https://x.org/")]


@pytest.mark.parametrize("text", ["<b>&amp;", "**未闭合", "*一半", "{color=#c00000}无结尾", "[文字](不是网址)",
                                  "a < b && c > d", "^[", "\\"])
def test_markup_literal(text):
    assert "".join(r.text for r in parse_inline(text)) == text


def test_markup_escape():
    assert "".join(r.text for r in parse_inline(r"\*不是着重\*")) == "*不是着重*"


def _pdf(tmp_path, flowables):
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate
    out = tmp_path / "t.pdf"
    SimpleDocTemplate(str(out), pagesize=A4).build(flowables)
    return out


def test_pdf_literal_text_and_link_annotation(tmp_path, fonts):
    pdfplumber = pytest.importorskip("pdfplumber")
    st = TextStyle()
    out = _pdf(tmp_path, [CJKParagraph("<b>&amp;测试**未闭合", st),
                          CJKParagraph("详见[政府网站](https://www.gov.cn/)。", st)])
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        text = "".join(c["text"] for c in page.chars)
        assert "<b>&amp;测试**未闭合" in text
        assert "详见政府网站。" in text
        uris = [a.get("uri") for a in page.annots]
        assert "https://www.gov.cn/" in uris
        assert all("Briefing" in c["fontname"] or "+" in c["fontname"] for c in page.chars)


def test_pdf_markup_false_is_literal(tmp_path, fonts):
    pdfplumber = pytest.importorskip("pdfplumber")
    out = _pdf(tmp_path, [CJKParagraph("**不加粗**", TextStyle(), markup=False)])
    with pdfplumber.open(out) as pdf:
        assert "".join(c["text"] for c in pdf.pages[0].chars) == "**不加粗**"


def test_table_cell_wrap_returns_true_height(fonts):
    from reportlab.platypus import Table
    st = TextStyle(first_indent=0, align="left")
    cell = CJKParagraph("单元格里的文字会换行，" * 4, st)
    _w, h = cell.wrap(100, 1000)
    assert h == len(cell.lines) * st.leading and len(cell.lines) > 1
    t = Table([[cell, "x"]], colWidths=[100, 50])
    _tw, th = t.wrap(150, 1000)
    assert th >= h


@pytest.fixture
def fonts():
    from briefing.layout.fontsetup import ensure_fonts
    return ensure_fonts()


def test_a_paragraph_longer_than_many_pages_splits_page_after_page(tmp_path):
    """Pieces of a split paragraph are new flowables: none may inherit platypus' 'postponed' mark."""
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from briefing.layout import CJKParagraph, TextStyle

    text = "两江新区“十四五”开局，增长15.0%。" * 800
    doc = SimpleDocTemplate(str(tmp_path / "long.pdf"))
    doc.build([Spacer(1, 600), CJKParagraph(text, TextStyle(size=16, leading=28.95))])
    assert doc.page > 10
