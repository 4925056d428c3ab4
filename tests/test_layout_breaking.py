"""Break rules and total-fit breaking, read back from the PDF: URLs, e-mail, unit slashes, middle dots.

Each test sets paragraphs in a column 17 characters wide (the 专刊 body) with the bundled fonts,
writes the PDF and reads every glyph's position back with pdfplumber.
"""
import pytest

from briefing.layout import CJKParagraph, TextStyle, break_lines
from briefing.layout.inline import literal_runs

pdfplumber = pytest.importorskip("pdfplumber")

SIZE = 10.5
COLUMN = 17 * SIZE


@pytest.fixture(scope="module", autouse=True)
def fonts():
    from briefing.layout.fontsetup import ensure_fonts
    return ensure_fonts()


def pdf_lines(tmp_path, texts, width=COLUMN, name="t.pdf", style=None):
    """Set each text as a paragraph on a page of its own in a column width pt wide; the lines of
    each paragraph as read back from the PDF: [[(text of line, [chars])]]."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate

    style = style or TextStyle(size=SIZE, leading=18.0)
    out = tmp_path / name
    frame = Frame(40, 40, width, 760, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc = BaseDocTemplate(str(out), pagesize=A4, pageTemplates=[PageTemplate("p", frames=[frame])])
    story = []
    for t in texts:
        story += [CJKParagraph(t, style, markup=False), PageBreak()]
    doc.build(story[:-1])
    paras = []
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            rows = {}
            for c in page.chars:
                rows.setdefault(round(c["top"], 1), []).append(c)
            lines = [sorted(rows[top], key=lambda c: c["x0"]) for top in sorted(rows)]
            paras.append([("".join(c["text"] for c in cs), cs) for cs in lines])
    assert ["".join(t for t, _ in p) for p in paras] == [t.replace(" ", "") for t in texts]
    return paras


# URLs and e-mail addresses --------------------------------------------------
URL = "https://www.liangjiang.gov.cn/content/2021-07/guide.html?lang=zh&page=2"


@pytest.mark.parametrize("address", [URL, "touzi-cujin@liangjiang.gov.cn"])
def test_addresses_break_only_after_slash_dot_hyphen_question_ampersand_equals(tmp_path, address):
    texts = ["详" * k + "见" + address + "，欢迎查阅。" for k in range(0, 17, 2)]
    broken = 0
    for para in pdf_lines(tmp_path, texts):
        for (a, _), (b, _) in zip(para, para[1:]):
            # a break inside the address: the line ends in one of / . - ? & =, or (an e-mail
            # address) the next line starts with its "@"
            head = a[a.find(address[:3]):] if address[:3] in a else ""
            if head and address.startswith(head) and b[0] in address:
                broken += 1
                before_at = b[0] == "@" and "@" in address and head == address[:address.index("@")]
                assert a[-1] in "/.-?&=" or before_at, (a, b)
                assert b[0] != "/"
    assert broken >= len(texts) // 2      # the addresses are longer than half a line: they do break


def test_an_email_address_breaks_before_its_at_sign_keeping_the_local_part_whole(tmp_path):
    # a full first line, then 13 characters and an address whose local part fits beside them but
    # whose first piece up to a "." does not: the line ends with the whole local part and the next
    # one starts with "@" (without that break, the 13 characters would be spaced 1/3 em apart)
    text = "本刊编辑部热忱欢迎读者来信。" + "来信请发送至本刊编辑部邮箱" + "ljxq_tzj@163.com" + "，我们将及时回复。"
    para = pdf_lines(tmp_path, [text])[0]
    ends = [t for t, _ in para]
    k = next(i for i, t in enumerate(ends) if t.endswith("ljxq_tzj"))
    assert ends[k + 1].startswith("@163.com"), ends
    for t, _ in para:
        assert not t.endswith(("@", "ljxq_", "ljxq")), ends   # never after "@", never inside the local part


@pytest.mark.parametrize("chars", [17, 10])
def test_no_line_holds_a_lone_scheme(tmp_path, chars):
    # for some k the URL starts a line; in 10 characters "https://www.liangjiang." does not fit
    texts = ["详" * k + "见" + URL for k in range(17)]
    for para in pdf_lines(tmp_path, texts, width=chars * SIZE):
        for text, _ in para[:-1]:
            assert not text.endswith(("https:", "https:/")), text
            if text.endswith(("://", "https://www.")):
                assert not text.startswith("https://"), text   # text before the scheme on its line


# units ------------------------------------------------------------------------
@pytest.mark.parametrize("unit", ["微克/立方米", "km/h", "次/秒", "元/吨"])
def test_unit_slash_never_starts_a_line(tmp_path, unit):
    # for some k the unit's first part ends a line exactly, so that the slash would start the next
    texts = ["数" * k + unit + "，同比下降了许多。" for k in range(17)]
    texts += ["监测" + "数" * k + "28" + unit + "。" for k in range(17)]
    for para in pdf_lines(tmp_path, texts):
        assert all(text[0] != "/" for text, _ in para), [t for t, _ in para]


def test_unit_breaks_after_its_slash(tmp_path):
    # 14 characters, the unit's first two, its slash: a line that fits with room to spare
    # only when it breaks after the slash
    texts = ["数" * 14 + "微克/立方米" + "同比下降了许多。" * 2]
    style = TextStyle(size=SIZE, leading=18.0, first_indent=0)
    para = pdf_lines(tmp_path, texts, style=style)[0]
    assert para[0][0].endswith("微克/") and para[1][0].startswith("立方米")


# middle dots ------------------------------------------------------------------
@pytest.mark.parametrize("dot", ["·", "・"])
def test_middle_dot_in_a_name_is_narrow(tmp_path, dot):
    name = "阿尔伯特" + dot + "爱因斯坦"
    style = TextStyle(size=SIZE, leading=18.0, align="left", first_indent=0)
    (text, chars), = pdf_lines(tmp_path, ["物理学家" + name + "。"], width=40 * SIZE, style=style)[0]
    i = text.index(dot)
    before, mark, after = chars[i - 1], chars[i], chars[i + 1]
    room = (after["x0"] - before["x1"]) / SIZE      # what the dot takes between the characters
    assert 1 / 3 - 0.01 <= room <= 0.5 + 0.01
    ink_middle = (mark["x0"] + mark["x1"]) / 2      # the glyph's em box, centred on the dot's ink
    assert ink_middle == pytest.approx((before["x1"] + after["x0"]) / 2, abs=0.05)


def test_middle_dot_never_starts_or_ends_a_line(tmp_path):
    texts = ["记" * k + "阿尔伯特·爱因斯坦和列奥纳多·达·芬奇的名言。" for k in range(17)]
    for para in pdf_lines(tmp_path, texts):
        for text, _ in para:
            assert text[0] not in "·・" and text[-1] not in "·・", [t for t, _ in para]


# total fit --------------------------------------------------------------------
def test_total_fit_shares_out_the_space_greedy_filling_leaves_on_one_line():
    """Greedy filling takes the ten characters that fit, and the next line, which cannot end
    inside "——", is left two characters short (0.29 em between its characters). Choosing the
    breaks together takes one character less on each line (0.125 em)."""
    def meas(text, rs):
        return [10.0 if ord(c) >= 0x2000 else 5.0 for c in text]

    text = "一二三四五六七八九十甲乙丙丁戊己庚辛壬——子丑寅卯辰巳午未申酉戌亥天地玄黄。"
    lines = break_lines(literal_runs(text), 100.0, meas, size=10.0, first_indent=0.0)
    assert "".join(ln.chars for ln in lines) == text
    widest = 0.0
    for ln in lines[:-1]:
        assert ln.right == pytest.approx(100.0, abs=0.01)
        widest = max([widest] + [b - a - 10.0 for a, b in zip(ln.xs, ln.xs[1:])])
    assert widest == pytest.approx(1.25)


def test_last_line_is_not_stretched_and_keeps_two_characters(tmp_path):
    texts = ["两江新区今年上半年的地区生产总值增长较快，工业投资稳步回升了。"]
    para = pdf_lines(tmp_path, texts)[0]
    text, chars = para[-1]
    assert sum(1 for c in text if "\u4e00" <= c <= "\u9fff") >= 2
    assert all(b["x0"] - a["x1"] == pytest.approx(0.0, abs=0.01) for a, b in zip(chars, chars[1:]))
