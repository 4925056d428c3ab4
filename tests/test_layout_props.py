"""Property tests of the breaker over random mixes of Han, punctuation, digits and Latin.

Inputs are generated so that a rule-abiding break always exists: they start
with a Han character, Latin words and numbers are short, at most two marks
stand together and lines are at least 12 em wide. Under those conditions no
line may start with an R1 mark or end with an R2 mark.
"""
from hypothesis import given, settings, strategies as st

from briefing.layout import break_lines
from briefing.layout.chars import NO_END, NO_START
from briefing.layout.inline import literal_runs

EM = 10.0
HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
CLOSE = "，。、；：！？”’）》"
OPEN = "“‘（《"
TOKENS = st.one_of(
    st.text(alphabet=HAN, min_size=1, max_size=6),
    st.sampled_from(list(CLOSE)).map(lambda c: "甲" + c),
    st.sampled_from(list(OPEN)).map(lambda c: c + "乙"),
    st.sampled_from(["——", "……", "。”", "，“", "）、"]).map(lambda p: "丙" + p + "丁"),
    # Latin words and numbers stand between Han characters, so two of them
    # never merge into one unbreakable unit longer than a line
    st.integers(0, 99999).map(lambda v: f"年{v}年"),
    st.tuples(st.integers(0, 999), st.integers(0, 9)).map(lambda t: f"长{t[0]}.{t[1]}%的"),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC", min_size=1, max_size=6).map(lambda w: f"用{w}做"),
)
TEXTS = st.lists(TOKENS, min_size=1, max_size=40).map(lambda ts: "中" + "".join(ts))


def meas(text, rs):
    return [EM if ord(c) >= 0x2000 else 5.5 for c in text]


def lay(text, width, align="justify", hanlatin=True):
    return break_lines(literal_runs(text), width, meas, size=EM, first_indent=2.0, align=align, hanlatin=hanlatin)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.integers(12, 40), st.sampled_from(["justify", "left"]), st.booleans())
def test_breaker_properties(text, em_width, align, hanlatin):
    width = em_width * EM
    lines = lay(text, width, align, hanlatin)
    # every character once, in order
    assert "".join(ln.chars for ln in lines) == text
    assert [ln.start for ln in lines] == [0] + [ln.end for ln in lines[:-1]]
    for k, ln in enumerate(lines):
        # no line wider than its frame (R10)
        assert ln.right <= width + 0.01
        # x positions only grow
        assert all(b >= a for a, b in zip(ln.xs, ln.xs[1:]))
        if k:
            assert ln.chars[0] not in NO_START, (k, [x.chars for x in lines])
        if k < len(lines) - 1:
            assert ln.chars[-1] not in NO_END, (k, [x.chars for x in lines])
            if align == "justify":
                assert abs(ln.right - width) <= 0.01, (k, ln.right, width)


@settings(max_examples=100, deadline=None)
@given(TEXTS, st.integers(12, 30))
def test_numbers_and_doubled_marks_stay_whole(text, em_width):
    lines = lay(text, em_width * EM)
    for a, b in zip(lines, lines[1:]):
        x, y = a.chars[-1], b.chars[0]
        assert not (x.isdigit() and (y.isdigit() or y in ".%"))
        assert not (x in "—…" and y == x)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.integers(3, 30))
def test_any_text_is_laid_out_without_loss(text, em_width):
    from briefing.layout import parse_inline
    runs = parse_inline(text)
    if not any(c in text for c in "\\*[]{}^"):
        assert "".join(r.text for r in runs) == text
    lines = break_lines(runs, em_width * EM, meas, size=EM, first_indent=2.0)
    assert "".join(ln.chars for ln in lines) == "".join(r.text for r in runs)
    for ln in lines:
        # only a single character wider than the line may overhang it
        assert ln.right <= em_width * EM + 0.01 or len(ln.chars.strip()) <= 1, (ln.chars, ln.right)
