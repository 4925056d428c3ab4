"""Character classes and the prohibition sets of docs/typesetting.md (R1, R2, R3).

Everything here is a precomputed set or table so that classifying a
character is a dict lookup; the breaker calls these once per character.
"""
from typing import cast

# R1: never at a line start (the full set of docs/typesetting.md, not ReportLab's)
NO_START = frozenset("、，；：。！？．”’）〕】》〉」』〗］｝–—～…·・％‰℃,.;:?!)]}")
# R2: never at a line end
NO_END = frozenset("“‘（〔【《〈「『〖［｛([{")

# Full-width marks whose ink sits in the left half of the em box (stops and
# closing brackets/quotes): their right half may be dropped (R4, R5).
CLOSING = frozenset("、，；：。！？．”’）〕】》〉」』〗］｝")
# Full-width opening marks: ink in the right half.
OPENING = frozenset("“‘（〔【《〈「『〖［｛")
# Marks that take part in punctuation compression (R4).
COMPRESSIBLE = CLOSING | OPENING
# Chinese punctuation: no Han–Latin space next to these (R7).
CJK_PUNCT = COMPRESSIBLE | frozenset("—…·・～–《》")
# Doubled marks that form one 2-em unit (R3).
DOUBLED = frozenset("—…")

# Middle dots between the parts of a foreign name (阿尔伯特·爱因斯坦): set narrow, never at a line
# start or end.
MIDDLE_DOTS = frozenset("·・")

# URLs and e-mail addresses may break only after these (R3).
URL_BREAK_AFTER = frozenset("/.-?&=")
# ASCII characters that join a Latin word or a number (no break inside).
WORD_JOIN = frozenset(".,%'’-_/:+#&@")

# class codes
HAN, LATIN, PUNCT, SPACE, OTHER = 0, 1, 2, 3, 4


def _is_han(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x2FFFF or (0x3040 <= o <= 0x30FF and o != 0x30FB))


def _classify(ch: str) -> int:
    if ch in CJK_PUNCT or ch in NO_START or ch in NO_END:
        return PUNCT
    if ch.isspace():
        return SPACE
    if _is_han(ch):
        return HAN
    if ch.isalnum() and ord(ch) < 0x2E80:
        return LATIN
    return OTHER


# precomputed for the common ranges; other characters are classified lazily
_TABLE = {chr(o): _classify(chr(o)) for o in list(range(0x20, 0x250)) + list(range(0x2000, 0x2070))
          + list(range(0x3000, 0x3040)) + list(range(0xFF00, 0xFF70))}


def char_class(ch: str) -> int:
    c = _TABLE.get(ch)
    if c is None:
        c = _TABLE[ch] = _classify(ch)
    return c


def classes(text: str) -> list[int]:
    """char_class of every character of text, as a list."""
    get = _TABLE.get
    out = [get(c) for c in text]
    if None in out:
        return [char_class(c) for c in text]
    return cast("list[int]", out)      # no None in it: every character was in the table


def is_han(ch: str) -> bool:
    return char_class(ch) == HAN


def counts_for_tail(ch: str) -> bool:
    """Characters that count toward the 'no lone tail' minimum (R12)."""
    c = char_class(ch)
    return c in (HAN, LATIN)
