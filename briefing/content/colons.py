"""Colons typed the Chinese way: a full-width "：" after a key (a Chinese input method types it),
or no space after ":". YAML reads either as plain text and then fails somewhere else — often on
the next line, with a message that never mentions the colon. We find such lines so the message
can name the right line and say what to type."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import _

# a key as written in this format: an ASCII name (title, date, y2) or a short Chinese column name
_KEY = r"[A-Za-z_][A-Za-z0-9_-]{0,39}|[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9_%]{0,11}"
_FULLWIDTH = re.compile(rf"^(\s*(?:-\s+)?)({_KEY})[ \t]*：")
_NO_SPACE = re.compile(rf"^(\s*(?:-\s+)?)({_KEY}):(?=[^\s/:])")
_BLOCK_START = re.compile(r":\s+[|>][-+0-9]*\s*(#.*)?$")


@dataclass
class ColonSlip:
    line: int          # 1-based
    column: int        # 1-based, at the colon
    key: str
    fullwidth: bool


def find_slips(text: str) -> list[ColonSlip]:
    """Lines whose key is followed by "：" or by ":" without a space; block scalars (| >) are skipped."""
    out: list[ColonSlip] = []
    block_indent: int | None = None
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped or indent > block_indent:
                continue
            block_indent = None
        if stripped.startswith("#"):
            continue
        for pattern, fullwidth in ((_FULLWIDTH, True), (_NO_SPACE, False)):
            m = pattern.match(line)
            if m:
                out.append(ColonSlip(n, m.end() if fullwidth else m.end(2) + 1, m.group(2), fullwidth))
                break
        if _BLOCK_START.search(line):
            block_indent = indent
    return out


def describe(slip: ColonSlip) -> tuple[str, str]:
    """(message, hint) for a slip, in the user's language."""
    if slip.fullwidth:
        return (_("“{key}”后面是全角冒号“：”，YAML 不认它作字段分隔符").format(key=slip.key),
                _("改成半角冒号加一个空格：“{key}: ”（关掉中文输入法再输入冒号）").format(key=slip.key))
    return (_("“{key}:”后面缺少空格，YAML 把整行当成了一段文字").format(key=slip.key),
            _("在冒号后加一个空格：“{key}: …”").format(key=slip.key))
