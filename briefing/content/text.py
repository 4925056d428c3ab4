"""Line breaks inside written text, the way CJK-aware typesetters (Typst, xeCJK) treat them.

A paragraph may be wrapped over several lines in the source — a YAML block
scalar (`|`, `>`), a quoted string over two lines, a Markdown paragraph. A
single line break is not part of the text: it is joined with nothing between
two Chinese characters (or next to full-width punctuation) and with one space
between Latin words or numbers. A blank line separates paragraphs; fields that
hold one paragraph join across it the same way, so no line break ever
reaches the page (where it would print as an empty box).
"""
from __future__ import annotations

import re
import unicodedata

_BLANK = re.compile(r"\n[ \t\u3000]*(?:\n[ \t\u3000]*)+")


def is_wide(ch: str) -> bool:
    """Chinese characters and full-width punctuation: no space is set beside them at a joined line break."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def join_line(left: str, right: str) -> str:
    """Join two source lines of one paragraph."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left + right
    space = not (is_wide(left[-1]) or is_wide(right[0]))
    return left + (" " if space else "") + right


def join_paragraph(text: str) -> str:
    """All the lines of one paragraph joined into one line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = ""
    for line in lines:
        out = join_line(out, line) if out else line.strip()
    return out


def join_lines(text: str, *, keep_paragraphs: bool = True) -> str:
    """Single line breaks joined; blank lines kept as one "\\n\\n" (or joined too, if not keep_paragraphs)."""
    if "\n" not in text and "\r" not in text:
        return text
    paragraphs = [join_paragraph(p) for p in _BLANK.split(text.replace("\r\n", "\n").replace("\r", "\n"))]
    paragraphs = [p for p in paragraphs if p]
    if keep_paragraphs:
        return "\n\n".join(paragraphs)
    out = ""
    for p in paragraphs:
        out = join_line(out, p) if out else p
    return out
