"""One paragraph made breakable: widths, glue and break opportunities (TYPESETTING.md R1–R5, R7).

Computed once per paragraph and shared by both breakers (total-fit and greedy) and by placement.
Per character i:

  w        advance as set (a middle dot: its narrow box, not the font's em)
  adv      advance when the next character is on the same line (R4: a pair of marks takes 1.5 em)
  gap      Han–Latin space after i (R7: 1/4 em, may shrink to 1/8 or stretch to 1/3 em)
  mid_cap  how much i may lose inside a line (R5 push-in: a mark to half width, a word space by 1/3)
  end_cap  how much i may lose at a line end (R5: a closing mark to half width)
  wordish  part of a Latin word, number, URL or unit: the gaps inside one do not stretch

and per position i (a break before character i):

  brk      1 when a line may end before i (R1–R3 and the URL, unit and middle-dot rules below)
  pen      the penalty of that break, for breaks that are allowed but ugly (absent: 0)

Break rules beyond R1–R3:
  * URLs and e-mail addresses break only after / . - ? & = and never right after their scheme
    ("https://", "www."), so no line holds a scheme alone;
  * a slash never starts a line: a unit (微克/立方米, 元/吨, km/h) breaks after it; a slash between
    digits (1/3, 2026/11) never breaks;
  * a middle dot (·, ・) in a name is set in half an em and neither starts nor ends a line.
"""
import re

from briefing.layout.chars import (CLOSING, COMPRESSIBLE, DOUBLED, HAN, LATIN, MIDDLE_DOTS, NO_END, NO_START,
                                   OPENING, SPACE, URL_BREAK_AFTER, char_class)

# Penalties (added to a line's badness, as in TeX): how much worse a line may get to avoid the break.
PEN_URL = 50.0          # inside a URL or an e-mail address
PEN_HYPHEN = 300.0      # after the hyphen of a hyphenated Latin word
PEN_UNIT = 300.0        # after the slash of a Latin unit (km/h)

DOT_BOX = 0.5           # em: the advance of a middle dot in a name
SPACE_SHRINK = 1 / 3    # share of a word space that may be squeezed inside a line

_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]{0,15}://|www\.)[!-~]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL_TRAIL = ".,;:!?'\")]}>"   # sentence punctuation after an address is not part of it
# Latin-1 characters that are not part of a Latin word: space, Chinese middle dot, opening brackets
_NOT_LATIN = frozenset(" \t\n\r\xa0·([{")


class Para:
    """Per-character tables of one paragraph, computed once."""

    def __init__(self, runs, measure, size: float, hanlatin: bool):
        text = "".join(r.text for r in runs)
        self.text = text
        self.size = size
        n = self.n = len(text)
        sty, w = [], []
        for r in runs:
            sty.extend([r.style] * len(r.text))
            w.extend(measure(r.text, r.style))
        self.sty = sty
        self.cls = cls = [char_class(c) for c in text]
        self.wordish = wordish = [(c < "\u2000" and c not in _NOT_LATIN) for c in text]
        self.fw = w                # font advance of each glyph, for drawing
        self.shift = {}            # i -> how far glyph i is drawn left of its box (narrow middle dots)
        if any(c in MIDDLE_DOTS for c in text):
            w = self._narrow_dots(w)
        self.w = w
        self.brk, self.pen = _breaks(text, cls, wordish)
        self.adv, self.mid_cap, self.end_cap = _squeeze_tables(text, cls, w)
        self.gap = _hanlatin(text, cls, sty, size) if hanlatin else [0.0] * n
        self.hl_min = size / 8.0
        self.hl_max = size / 3.0

    def _narrow_dots(self, w):
        # the dot's ink sits in the middle of its em: a half-em box drawn a quarter em to the left
        w = list(w)
        for i, c in enumerate(self.text):
            if c in MIDDLE_DOTS and w[i] > DOT_BOX * self.size:
                box = w[i] * DOT_BOX
                self.shift[i] = (w[i] - box) / 2
                w[i] = box
        return w

    def last_visible(self, s: int, e: int) -> int:
        """Index of the last character of the line s..e-1 that is not a space (s at the least)."""
        v = e - 1
        cls = self.cls
        while v > s and cls[v] == SPACE:
            v -= 1
        return v


def _address_spans(text):
    """(start, end, head) of every URL and e-mail address; no break at or before head."""
    spans = []
    if "://" in text or "www." in text:
        for m in _URL.finditer(text):
            a, b = m.start(), m.end()
            while b > a and text[b - 1] in _URL_TRAIL:
                b -= 1
            head = text.find("://", a, b)
            head = a + 4 if head < 0 else head + 3           # after "www." or after "://"
            if text.startswith("www.", head):
                head += 4
            spans.append((a, b, head))
    if "@" in text:
        for m in _EMAIL.finditer(text):
            spans.append((m.start(), m.end(), m.start() + 1))
    return spans


def _breaks(text, cls, wordish):
    n = len(text)
    brk = bytearray(n + 1)     # brk[i]: a line may break before character i
    brk[n] = 1
    pen = {}
    for i in range(1, n):
        a, b = text[i - 1], text[i]
        if b in NO_START or a in NO_END or cls[i] == SPACE or a in MIDDLE_DOTS or b == "/":
            continue
        if wordish[i - 1] and wordish[i]:
            if a == "-" and cls[i] == LATIN and i >= 2 and cls[i - 2] == LATIN and not text[i - 2].isdigit():
                brk[i] = 1
                pen[i] = PEN_HYPHEN
            elif a == "/" and cls[i] == LATIN and not b.isdigit() and i >= 2 and not text[i - 2].isdigit():
                brk[i] = 1
                pen[i] = PEN_UNIT
        elif not (a in DOUBLED and b == a):
            brk[i] = 1
    for start, end, head in _address_spans(text):
        for i in range(start + 1, end):
            a = text[i - 1]
            ok = i > head and a in URL_BREAK_AFTER and text[i] != a and text[i] != "/"
            brk[i] = 1 if ok else 0
            if ok:
                pen[i] = PEN_URL
            else:
                pen.pop(i, None)
    return brk, pen


def _squeeze_tables(text, cls, w):
    n = len(text)
    adv = list(w)              # advance when the next character is on the same line (R4)
    end_cap = [0.5 * wi if c in CLOSING else 0.0 for c, wi in zip(text, w)]
    mid_cap = list(end_cap)
    for i in range(n - 1):
        a = text[i]
        if a in COMPRESSIBLE:
            b = text[i + 1]
            if b in COMPRESSIBLE and not (a in OPENING and b not in OPENING):
                adv[i] = 0.5 * w[i]   # the pair takes 1.5 em
                mid_cap[i] = mid_cap[i + 1] = 0.0
        elif cls[i] == SPACE:
            mid_cap[i] = SPACE_SHRINK * w[i]
    return adv, mid_cap, end_cap


def _hanlatin(text, cls, sty, size):
    """Han–Latin space after each character (R7), none beside a footnote mark."""
    n = len(text)
    gap = [0.0] * n
    hl = 0.25 * size
    for i in range(n - 1):
        ca, cb = cls[i], cls[i + 1]
        if ca != cb and ((ca == HAN and (cb == LATIN or text[i + 1] == "%"))
                         or ((ca == LATIN or text[i] == "%") and cb == HAN)):
            if not sty[i].sup and not sty[i + 1].sup:
                gap[i] = hl
    return gap
