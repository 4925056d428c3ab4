"""Every character that will print must be printable: one check for all text, whatever its source.

A character the bundled fonts lack prints as an empty box; a control or
separator character (NUL, U+2028, a zero-width space, a newline inside a CSV
cell) prints as nothing or as a box. Neither may pass silently, so the text of
every slot — the YAML's fields after templates are rendered, every data cell
and column name (CSV, XLSX, JSON, inline, derived), and the strings of the
theme (heading numbers, bullet marks, page-number formats) — is checked here,
and each bad character is named with its code point and where it came from
(file, line, row and column). `validate` and `build` both call `check_text`.
"""
from __future__ import annotations

import unicodedata
from itertools import chain, islice

from .. import fonts
from ..errors import ContentError, ContentErrors, Location
from ..i18n import _
from . import text_slots
from .limits import markup_problem

# control, format (zero-width, bidi), surrogate, private-use, unassigned, line and paragraph separators
UNPRINTABLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
MAX_REPORTED = 30


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def bad_characters(text: str, *, newline: bool = True) -> tuple[list[str], list[str]]:
    """(control characters, characters without a glyph) of `text`, each distinct, in order.
    `newline`: whether a line break is part of the text (YAML paragraphs) or a fault (a table cell)."""
    if text.isascii() and (text.isprintable() or not _has_control(text, newline)):
        return [], []

    control, seen = [], set()
    for ch in text:
        if ch in seen:
            continue
        seen.add(ch)
        if ch == "\t" or (ch == "\n" and newline):
            continue
        if unicodedata.category(ch) in UNPRINTABLE:
            control.append(ch)
    missing = [c for c in fonts.missing_chars(text) if c not in control]
    return control, missing


def _has_control(text: str, newline: bool) -> bool:
    return any(not c.isprintable() and c != "\t" and not (c == "\n" and newline) for c in text)


def problem(text: str, where: Location, what: str, *, newline: bool = True) -> ContentError | None:
    """A located error for the unprintable characters of one text, or None."""
    control, missing = bad_characters(text, newline=newline)
    if not control and not missing:
        return None
    parts = []
    if control:
        parts.append(_("不可打印的控制或分隔字符 {chars}").format(chars="、".join(describe(c) for c in control)))
    if missing:
        parts.append(_("字体不含的字符 {chars}").format(
            chars="、".join(f"“{c}”({describe(c)})" for c in missing)))
    hint = (_("这些字符会印成空白方框。请改用常用字，或扩充 fonts/ 中的字体（见 fonts/build_fonts.py）") if missing
            else _("请删除这些字符；换行请用新的段落，表格单元格只能有一行"))
    return ContentError(_("{what}中有{parts}").format(what=what, parts="；".join(parts)), where, hint)


def check_text(resolved) -> None:
    """Raise one ContentErrors naming every unprintable character of the document, its data and theme."""
    problems = list(islice(chain(_document(resolved), _datasets(resolved), _theme(resolved)), MAX_REPORTED + 1))
    if problems:
        shown = problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            shown.append(ContentError(_("……另有更多同类问题，请先改正以上各处")))
        raise ContentErrors(shown)


def _document(resolved):
    doc = resolved.doc
    for _owner, _key, path, text in text_slots(doc):
        section = doc.sections[path[1]].id if path[0] == "sections" and len(path) > 1 else None
        what = _("栏目“{id}”").format(id=section) if section else _("文字")
        where = resolved.content.positions.find(path)
        err = problem(text, where, what) or markup_problem(text, where)
        if err:
            yield err


def _datasets(resolved):
    for ds in resolved.datasets.values():
        for name in ds.columns:
            err = problem(name, ds.header_location(name), _("数据“{ds}”的列名“{col}”").format(ds=ds.name, col=name),
                          newline=False)
            if err:
                yield err
        for name, values in ds.columns.items():
            # one look at each distinct character of the column (set() and join run in C), then only the
            # cells holding a bad one are examined: 100,000 rows cost milliseconds, not seconds
            texts = [v for v in values if isinstance(v, str)]
            control, missing = bad_characters("".join(sorted(set("".join(texts)))), newline=False)
            bad = set(control) | set(missing)
            if not bad:
                continue
            for i, v in enumerate(values):
                if isinstance(v, str) and not bad.isdisjoint(v):
                    err = problem(v, ds.cell_location(i, name),
                                  _("数据“{ds}”第{n}个数据行“{col}”列").format(ds=ds.name, n=i + 1, col=name),
                                  newline=False)
                    if err:
                        yield err


def _theme(resolved):
    theme = getattr(resolved.doc, "theme", None)
    if not isinstance(theme, dict):
        return
    positions = resolved.content.positions

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from walk(v, path + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from walk(v, path + (i,))
        elif isinstance(node, str):
            err = problem(node, positions.find(path), _("主题值“{key}”").format(
                key=".".join(str(p) for p in path[1:])), newline=False)
            if err:
                yield err

    yield from walk(theme, ("theme",))
