"""Heading numbers: 一、 （一） 1. （1）, counted per level, or kept as written.

The theme's `styles.h<level>.number` is the pattern ({cn}: 一 二 三, {n}: 1 2 3).
A heading whose text already opens with a number of its level's pattern
("（三）汽车产业", "2.新能源汽车") keeps it, and counting goes on from there, so
an author may number by hand, all or some of the headings.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

from .. import fmt

if TYPE_CHECKING:
    from ..templates.theme import Theme

DEFAULTS = {2: "（{cn}）", 3: "{n}.", 4: "（{n}）"}
_CN_DIGITS = "〇零一二三四五六七八九十百"


class HeadingCount(Protocol):
    """Where the headings of a section are counted (blocks.Counters)."""
    heading: int          # level 2
    sub: list[int]        # levels 3 and 4, under the current level-2 heading


def heading_text(theme: Theme, count: HeadingCount, text: str, level: int) -> str:
    """The heading as printed, numbering it unless written with its number; updates `count`."""
    pattern: str | None = theme.get("styles", f"h{level}", "number", default=DEFAULTS[level])
    written = _written_number(pattern, text) if pattern else None
    n = written if written is not None else _current(count, level) + 1
    _set(count, level, n)
    if written is not None or not pattern:
        return text
    return pattern.format(cn=fmt.cn_numeral(n), n=n) + text


def _written_number(pattern: str, text: str) -> int | None:
    """The number a heading's text opens with in the level's pattern, or None."""
    # a decimal number ("2.5亿元…") is not a heading number
    regex = "".join(_piece(part) for part in re.split(r"(\{cn\}|\{n\})", pattern)) + r"(?!\d)"
    m = re.match(regex, text)
    if not m:
        return None
    value = m.group("num")
    return int(value) if value.isdigit() else _cn_value(value)


def _piece(part: str) -> str:
    if part == "{cn}":
        return f"(?P<num>[{_CN_DIGITS}]+)"
    if part == "{n}":
        return r"(?P<num>\d+)(?!\d)"
    # full- and half-width brackets and stops are the same mark to an author
    out = ""
    for ch in part:
        alt = {"（": "(", "）": ")", "(": "（", ")": "）", ".": "．", "．": "."}.get(ch)
        out += f"[{re.escape(ch)}{re.escape(alt)}]" if alt else re.escape(ch)
    return out


def _cn_value(text: str) -> int:
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
    total, current = 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def _current(count: HeadingCount, level: int) -> int:
    return count.heading if level == 2 else count.sub[level - 3]


def _set(count: HeadingCount, level: int, n: int) -> None:
    if level == 2:
        count.heading, count.sub = n, [0, 0]
    elif level == 3:
        count.sub = [n, 0]
    else:
        count.sub[1] = n
