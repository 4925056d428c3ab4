"""One paragraph made breakable: widths, glue and break opportunities (docs/typesetting.md R1–R5, R7).

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
  * URLs and e-mail addresses break only after / . - ? & = (an e-mail address also before its
    "@"), never inside their scheme, and right
    after it ("https://", "https://www.") only when text before it shares the line: no line holds
    a scheme alone;
  * a slash never starts a line: a unit (微克/立方米, 元/吨, km/h) breaks after it; a slash between
    digits (1/3, 2026/11) never breaks;
  * a middle dot (·, ・) in a name is set in half an em and neither starts nor ends a line.
"""
import re
from collections.abc import Callable, Collection

from briefing.layout.chars import (CLOSING, COMPRESSIBLE, HAN, LATIN, MIDDLE_DOTS, NO_END, NO_START, OPENING,
                                   SPACE, URL_BREAK_AFTER, classes)
from briefing.layout.inline import Run, RunStyle

Measure = Callable[[str, RunStyle], list[float]]     # the advance of each character of a run (measure.Measurer)

# Penalties (added to a line's badness, as in TeX): how much worse a line may get to avoid the break.
PEN_URL = 50.0          # inside a URL or an e-mail address
PEN_AT = 100.0          # before the "@" of an e-mail address
PEN_SCHEME = 150.0      # right after a URL's scheme ("见https://" at a line end)
PEN_HYPHEN = 300.0      # after the hyphen of a hyphenated Latin word
PEN_UNIT = 300.0        # after the slash of a Latin unit (km/h)

DOT_BOX = 0.5           # em: the advance of a middle dot in a name
SPACE_SHRINK = 1 / 3    # share of a word space that may be squeezed inside a line

_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]{0,15}://|www\.)[!-~]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL_TRAIL = ".,;:!?'\")]}>"   # sentence punctuation after an address is not part of it
# runs of characters that form Latin words, numbers, URLs and units: below U+2000, but not a space,
# the Chinese middle dot or an opening bracket
_LATIN_RUN = re.compile("[^\u2000-\U0010ffff \t\n\r\xa0·(\\[{]+")


class Para:
    """Per-character tables of one paragraph, computed once."""

    def __init__(self, runs: list[Run], measure: Measure, size: float, hanlatin: bool) -> None:
        text = "".join(r.text for r in runs)
        self.text = text
        self.size = size
        n = self.n = len(text)
        sty: list[RunStyle] = []
        w: list[float] = []
        for r in runs:
            sty.extend([r.style] * len(r.text))
            w.extend(measure(r.text, r.style))
        self.sty = sty
        self.cls = cls = classes(text)
        codes = bytes(cls)
        self.wordish = wordish = bytearray(n)
        for m in _LATIN_RUN.finditer(text):
            wordish[m.start():m.end()] = b"\x01" * (m.end() - m.start())
        self.fw = w                # font advance of each glyph, for drawing
        self.shift: dict[int, float] = {}   # i -> how far glyph i is drawn left of its box (narrow middle dots)
        if "·" in text or "・" in text:
            w = self._narrow_dots(w)
        self.w = w
        # scheme: a break right after a URL's scheme -> where the URL starts (a line must start before)
        self.brk, self.pen, self.scheme = _breaks(text, cls, codes, wordish)
        self.adv, self.mid_cap, self.end_cap = _squeeze_tables(text, codes, w)
        sup = any(r.style.sup for r in runs)
        self.gap = _hanlatin(text, codes, sty if sup else None, size) if hanlatin else [0.0] * n
        self.hl_min = size / 8.0
        self.hl_max = size / 3.0

    def _narrow_dots(self, w: list[float]) -> list[float]:
        # the dot's ink sits in the middle of its em: a half-em box drawn a quarter em to the left
        w = list(w)
        for m in _DOTS.finditer(self.text):
            i = m.start()
            if w[i] > DOT_BOX * self.size:
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


def _charset(chars: Collection[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


_NO_START_RE = _charset(NO_START | {"/"})          # a slash never starts a line either
_NO_END_RE = _charset(NO_END | MIDDLE_DOTS)
_DOTS = _charset(MIDDLE_DOTS)
_CLOSING_RE = _charset(CLOSING)
_PAIRS_RE = re.compile(_charset(COMPRESSIBLE).pattern + "{2,}")
_SPACES = re.compile(bytes([SPACE]))
_WORDS = re.compile(b"\x01{2,}")
_HANLATIN = re.compile(bytes([HAN]) + b"(?=[" + bytes([LATIN, 5]) + b"])|[" + bytes([LATIN, 5]) + b"](?="
                       + bytes([HAN]) + b")")


def _address_spans(text: str) -> list[tuple[int, int, list[int]]]:
    """(start, end, head) of every URL and e-mail address: no break inside the scheme, and right
    after it ("https://", "https://www.", "www.") only when the line holds more than the scheme."""
    spans: list[tuple[int, int, list[int]]] = []
    if "://" in text or "www." in text:
        for m in _URL.finditer(text):
            a, b = m.start(), m.end()
            while b > a and text[b - 1] in _URL_TRAIL:
                b -= 1
            head = text.find("://", a, b)
            head = a + 4 if head < 0 else head + 3           # after "www." or after "://"
            heads = [head]
            if text.startswith("www.", head):
                heads.append(head + 4)
            spans.append((a, b, heads))
    if "@" in text:
        for m in _EMAIL.finditer(text):
            spans.append((m.start(), m.end(), [m.start()]))
    return spans


def _email_ats(text: str) -> list[int]:
    """Where an e-mail address may break before its "@" (the local part stays whole)."""
    if "@" not in text:
        return []
    return [m.start() + m.group(0).index("@") for m in _EMAIL.finditer(text)]


def _breaks(text: str, cls: list[int], codes: bytes, wordish: bytearray
            ) -> tuple[bytearray, dict[int, float], dict[int, int]]:
    n = len(text)
    brk = bytearray(b"\x01") * (n + 1)   # brk[i]: a line may break before character i
    brk[0] = 0
    pen: dict[int, float] = {}
    _word_breaks(text, cls, wordish, brk, pen)
    # R1, R2, spaces (a line breaks after a space, never before), middle dots
    for sp in _SPACES.finditer(codes):
        brk[sp.start()] = 0
    for m in _NO_START_RE.finditer(text):
        brk[m.start()] = 0
    for m in _NO_END_RE.finditer(text):
        if m.end() < n:
            brk[m.end()] = 0
    scheme = _address_breaks(text, brk, pen)
    return brk, pen, scheme


def _word_breaks(text: str, cls: list[int], wordish: bytearray, brk: bytearray, pen: dict[int, float]) -> None:
    """Inside a Latin word or a number: no break, but after the hyphen of a hyphenated word and
    after the slash of a unit (km/h), at a price."""
    for m in _WORDS.finditer(wordish):
        a, b = m.span()
        brk[a + 1:b] = bytes(b - a - 1)
        if "-" in text[a:b] or "/" in text[a:b]:
            for i in range(a + 1, b):
                c = text[i - 1]
                if cls[i] != LATIN or i < 2 or text[i - 2].isdigit():
                    continue
                if c == "-" and cls[i - 2] == LATIN:
                    brk[i] = 1
                    pen[i] = PEN_HYPHEN
                elif c == "/" and not text[i].isdigit():
                    brk[i] = 1
                    pen[i] = PEN_UNIT


def _address_breaks(text: str, brk: bytearray, pen: dict[int, float]) -> dict[int, int]:
    """Web and e-mail addresses break only after their separators or before an e-mail's "@" (at a price); returns
    {index of a scheme's head: start of its address}."""
    scheme: dict[int, int] = {}
    for start, end, heads in _address_spans(text):
        for i in range(start + 1, end):
            a = text[i - 1]
            ok = i > heads[-1] and a in URL_BREAK_AFTER and text[i] != a and text[i] != "/"
            brk[i] = 1 if ok else 0
            if ok:
                pen[i] = PEN_URL
        for head in heads:
            if start < head < end:
                brk[head] = 1
                pen[head] = PEN_SCHEME
                scheme[head] = start
    # an e-mail address may also break before its "@", as the Chicago Manual advises: the "@"
    # that starts the next line shows that the address goes on
    for at in _email_ats(text):
        brk[at] = 1
        pen[at] = PEN_AT
    return scheme


def _squeeze_tables(text: str, codes: bytes, w: list[float]) -> tuple[list[float], list[float], list[float]]:
    n = len(text)
    adv = list(w)              # advance when the next character is on the same line (R4)
    end_cap = [0.0] * n
    for m in _CLOSING_RE.finditer(text):
        end_cap[m.start()] = 0.5 * w[m.start()]
    mid_cap = list(end_cap)
    for m in _PAIRS_RE.finditer(text):
        for i in range(m.start(), m.end() - 1):
            a, b = text[i], text[i + 1]
            if not (a in OPENING and b not in OPENING):
                adv[i] = 0.5 * w[i]   # the pair takes 1.5 em
                mid_cap[i] = mid_cap[i + 1] = 0.0
    for sp in _SPACES.finditer(codes):
        mid_cap[sp.start()] = SPACE_SHRINK * w[sp.start()]
    return adv, mid_cap, end_cap


def _hanlatin(text: str, codes: bytes, sty: list[RunStyle] | None, size: float) -> list[float]:
    """Han–Latin space after each character (R7), none beside a footnote mark (sty: the styles of
    the characters when some are footnote marks, else None)."""
    gap = [0.0] * len(text)
    marks: bytes | bytearray = codes
    if "%" in text:                       # a per cent sign is spaced like a digit
        marks = bytearray(codes)
        for m in re.finditer("%", text):
            marks[m.start()] = 5
    hl = 0.25 * size
    for hm in _HANLATIN.finditer(marks):
        i = hm.start()
        if sty is None or not (sty[i].sup or sty[i + 1].sup):
            gap[i] = hl
    return gap
