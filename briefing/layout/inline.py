"""Inline markup for briefings: a tiny, forgiving Markdown subset.

    **bold**   *emphasis* (着重号: a dot under each character)
    {color=#c00000}coloured{/color}   ^[1] (footnote mark, raised)
    [text](https://example.org)       (a PDF link over the text)

A backslash escapes a markup character. Everything else is literal text:
"<b>", "&amp;" and unbalanced markers are printed as typed; nothing is ever
parsed as XML, and no input makes the parser fail.
"""
import re
from dataclasses import dataclass, replace
from typing import TypedDict

ESCAPABLE = frozenset("\\*[]{}^()")
_COLOR = re.compile(r"\{color=(#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3}|[a-z]+)\}")
_URL = re.compile(r"^(https?://|mailto:)[^\s]+$")


@dataclass(frozen=True)
class RunStyle:
    bold: bool = False
    emph: bool = False
    color: str | None = None
    sup: bool = False
    link: str | None = None


PLAIN = RunStyle()


class StyleChange(TypedDict, total=False):
    """What a markup construct changes in the style of the text inside it."""
    bold: bool
    emph: bool
    color: str
    sup: bool
    link: str


@dataclass
class Run:
    text: str
    style: RunStyle = PLAIN


def parse_inline(text: str) -> list[Run]:
    """Split marked-up text into runs of equally styled literal text."""
    if not _SPECIAL.search(text):
        return literal_runs(text)
    out: list[Run] = []
    _parse(text, 0, len(text), PLAIN, out)
    return _merge(out)


def literal_runs(text: str) -> list[Run]:
    return [Run(text, PLAIN)] if text else []


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for r in runs:
        if not r.text:
            continue
        if merged and merged[-1].style == r.style:
            merged[-1] = Run(merged[-1].text + r.text, r.style)
        else:
            merged.append(r)
    return merged


def _escaped(s: str, j: int, lo: int) -> bool:
    """True when s[j] is preceded by an odd number of backslashes."""
    n = 0
    while j - 1 - n >= lo and s[j - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


def _find(s: str, token: str, start: int, end: int, lo: int) -> int:
    j = s.find(token, start, end)
    while j >= 0 and _escaped(s, j, lo):
        j = s.find(token, j + 1, end)
    return j


def _find_single_star(s: str, start: int, end: int, lo: int) -> int:
    j = _find(s, "*", start, end, lo)
    while j >= 0 and (s.startswith("**", j) and j + 2 <= end):
        j = _find(s, "*", j + 2, end, lo)
    return j


def _span(s: str, i: int, end: int, lo: int) -> tuple[StyleChange, int, int, int] | None:
    """Recognise a markup construct at s[i]: (style change, inner lo, inner hi, next i) or None."""
    c = s[i]
    if c == "*":
        if s.startswith("**", i) and i + 2 < end:
            j = _find(s, "**", i + 2, end, lo)
            if j > i + 2:
                return {"bold": True}, i + 2, j, j + 2
            return None
        j = _find_single_star(s, i + 1, end, lo)
        if j > i + 1:
            return {"emph": True}, i + 1, j, j + 1
        return None
    if c == "{":
        m = _COLOR.match(s, i, end)
        if m:
            j = _find(s, "{/color}", m.end(), end, lo)
            if j > m.end():
                return {"color": m.group(1)}, m.end(), j, j + len("{/color}")
        return None
    if c == "^" and s.startswith("^[", i):
        j = _find(s, "]", i + 2, end, lo)
        if j > i + 2:
            return {"sup": True}, i + 2, j, j + 1
        return None
    if c == "[":
        j = _find(s, "](", i + 1, end, lo)
        if j > i + 1:
            k = _find(s, ")", j + 2, end, lo)
            if k > j + 2 and _URL.match(s[j + 2:k]):
                return {"link": s[j + 2:k]}, i + 1, j, k + 1
        return None
    return None


_SPECIAL = re.compile(r"[\\*{^\[]")


def _parse(s: str, i: int, end: int, style: RunStyle, out: list[Run]) -> None:
    lo = i
    buf: list[str] = []
    while i < end:
        m = _SPECIAL.search(s, i, end)
        if m is None:  # no markup character left: the rest is literal
            buf.append(s[i:end])
            break
        if m.start() > i:
            buf.append(s[i:m.start()])
            i = m.start()
        c = s[i]
        if c == "\\" and i + 1 < end and s[i + 1] in ESCAPABLE:
            buf.append(s[i + 1])
            i += 2
            continue
        span = _span(s, i, end, lo) if c in "*{^[" else None
        if span is None:
            buf.append(c)
            i += 1
            continue
        change, a, b, i = span
        out.append(Run("".join(buf), style))
        buf = []
        _parse(s, a, b, _with(style, change), out)
    out.append(Run("".join(buf), style))


def _with(style: RunStyle, change: StyleChange) -> RunStyle:
    return replace(style, **change)
