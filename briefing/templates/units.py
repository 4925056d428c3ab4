"""Lengths and Chinese font sizes as a user writes them in a theme."""
from __future__ import annotations

import re

from ..i18n import _

# 字号 -> points (the values Word, WPS and CTeX use)
ZIHAO = {
    "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
    "四号": 14, "小四": 12, "五号": 10.5, "小五": 9, "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5,
}
UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in|em)?\s*$")


def size(value) -> float:
    """A font size: 三号, 10.5, "10.5pt"."""
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if text in ZIHAO:
        return float(ZIHAO[text])
    return length(text)


def length(value, em: float | None = None) -> float:
    """A length in points: 37mm, 2cm, 12pt, 12, 1.5em (needs em)."""
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if text in ZIHAO:
        return float(ZIHAO[text])
    m = _LENGTH.match(text)
    if not m:
        raise ValueError(_("“{value}”不是长度：写成 37mm、12pt、1.5cm 或字号名").format(value=value))
    number, unit = float(m.group(1)), m.group(2) or "pt"
    if unit == "em":
        if em is None:
            raise ValueError(f"em needs a font size here: {value!r}")
        return number * em
    return number * UNITS[unit]
