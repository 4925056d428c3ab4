"""Stage 1 — content: read the briefing's YAML (with includes and command-line
overrides), validate it, and hand on a Document plus where each field came from."""
from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel


from ..errors import ContentError, ContentErrors, Location
from ..i18n import _
from ..registry import BUILTIN_TEMPLATES
from .colons import describe, find_slips
from .forms import available_templates, check_template_file, template_folders
from .paths import check_name, confine
from .schema import Document, ParagraphsBlock
from .text import join_lines
from .validate import validate
from .yamlload import FieldPath, Positions, load_yaml

MAX_INCLUDE_DEPTH = 8


@dataclass
class Content:
    doc: Document
    positions: Positions
    file: Path                     # the main YAML file
    base: Path                     # its folder: data, images and includes are relative to it
    files: list[Path] = field(default_factory=list)   # every file read (for input hashing)
    allow_outside: bool = False
    roots: tuple[Path, ...] = ()   # folders besides `base` that data may come from (a batch matrix's folder)
    templates: dict[str, Path] = field(default_factory=dict)   # every template it may name -> its file
    template_dirs: tuple[Path, ...] = ()   # template folders named on the command line


def load(file: str | Path, *, overrides: dict[str, str] | None = None, only: list[str] | None = None,
         allow_outside: bool = False, roots: tuple[Path, ...] = (), template_dirs: tuple[Path, ...] = ()) -> Content:
    file = Path(check_name(file, Location(str(file).replace("\x00", "\\0")[:200])))
    if file.is_dir():
        file = file / "briefing.yaml"
    base = file.resolve().parent
    raw, positions = load_yaml(file)
    if not isinstance(raw, dict):
        raise ContentError(_("内容文件的顶层应是映射（title: …、sections: … 等字段）"), positions.find(()))
    files = [file.resolve()]
    raw = _expand_includes(raw, positions, base, files, allow_outside)
    for key, value in (overrides or {}).items():
        _apply_override(raw, positions, key, value)
    if only:
        _keep_only(raw, positions, only)
    _drop_disabled(raw, positions)
    templates = available_templates(template_folders(raw, positions, base, allow_outside, tuple(template_dirs)))
    try:
        doc = validate(Document, raw, positions, context={"templates": list(templates)})
    except ContentErrors as e:
        raise _with_colon_slips(e, files) from None
    _one_paragraph_fields(doc)
    chosen = check_template_file(templates[doc.template], base, tuple(template_dirs), allow_outside,
                                 positions.find(("template",)))
    templates[doc.template] = chosen
    if chosen not in files and chosen.parent != BUILTIN_TEMPLATES.resolve():
        files.append(chosen)      # a user's template is an input of the build like its YAML
    return Content(doc, positions, file, base, files, allow_outside, tuple(roots), templates, tuple(template_dirs))


def _with_colon_slips(errors: ContentErrors, files: list[Path]) -> ContentErrors:
    """A "：" or "key:value" reads as text, so validation fails near it (a missing field, a value of the
    wrong type): where a failing field's line has such a slip, or the missing field is its key, say so."""
    slips = {}
    for f in files:
        try:
            slips[str(f)] = find_slips(f.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue
    out, seen = [], set()
    for err in errors.errors:
        loc = err.location
        found = None
        for file, items in slips.items():
            for slip in items:
                same_file = loc.file and Path(loc.file).resolve() == Path(file)
                near = same_file and loc.line and loc.line <= slip.line <= loc.line + 2
                if near or f"“{slip.key}”" in err.message:
                    found = (file, slip)
                    break
            if found:
                break
        if found and (found[0], found[1].line) not in seen:
            seen.add((found[0], found[1].line))
            msg, hint = describe(found[1])
            out.append(ContentError(msg, Location(found[0], found[1].line, found[1].column), hint))
        elif not found:
            out.append(err)
    return ContentErrors(out)


def _one_paragraph_fields(obj: Any) -> None:
    """A blank line splits `paragraphs: |` into paragraphs; in any other text it is joined like a line break."""
    if isinstance(obj, list):
        for i, v in enumerate(obj):
            if isinstance(v, str) and "\n" in v:
                obj[i] = join_lines(v, keep_paragraphs=False)
            else:
                _one_paragraph_fields(v)
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            v = getattr(obj, name)
            if isinstance(v, str) and "\n" in v and not isinstance(obj, ParagraphsBlock):
                object.__setattr__(obj, name, join_lines(v, keep_paragraphs=False))
            elif not isinstance(v, str):
                _one_paragraph_fields(v)


# ---- includes -------------------------------------------------------------

def _expand_includes(raw: dict[str, Any], positions: Positions, base: Path, files: list[Path], allow: bool,
                     depth: int = 0) -> dict[str, Any]:
    sections = raw.get("sections")
    if isinstance(sections, list):
        out, moved = _expand_items(sections, positions, ("sections",), base, files, allow, depth)
        under = Positions()
        _graft_moved(under, ("sections",), moved, ())
        under.where.pop(("sections",), None)
        under.keys.pop(("sections",), None)
        _replace_sections(positions, under)
        raw["sections"] = out
    data = raw.get("data")
    if isinstance(data, dict) and "include" in data:
        loaded, sub = _include(data.pop("include"), positions.find(("data", "include")), base, files, allow, depth)
        if not isinstance(loaded, dict):
            raise ContentError(_("被引用的数据文件应是映射（名称: 数据源）"), sub.find(()))
        for key, value in loaded.items():
            data.setdefault(key, value)
            _graft_moved(positions, ("data", key), sub, (key,))
    return raw


def _expand_items(items: list[Any], positions: Positions, prefix: FieldPath, base: Path, files: list[Path], allow: bool,
                  depth: int) -> tuple[list[Any], Positions]:
    """Replace every `- include: file` in a list of sections by the file's section(s), recursively
    (an included list may include again); positions come back keyed (index, ...)."""
    out: list[Any] = []
    moved = Positions()
    under = _under_items(positions, prefix)
    for i, item in enumerate(items):
        if isinstance(item, dict) and set(item) == {"include"}:
            loaded, sub = _include(item["include"], positions.find(prefix + (i, "include")), base, files, allow, depth)
            if not isinstance(loaded, list):
                single = Positions()
                _graft_moved(single, (0,), sub, ())
                loaded, sub = [loaded], single
            inner, inner_pos = _expand_items(loaded, sub, (), base, files, allow, depth + 1)
            inner_under = _under_items(inner_pos, ())
            for j, one in enumerate(inner):
                _graft_moved(moved, (len(out),), inner_under.get(j, Positions()), ())
                out.append(one)
        else:
            _graft_moved(moved, (len(out),), under.get(i, Positions()), ())
            out.append(item)
    return out, moved


def _include(name: Any, where: Location, base: Path, files: list[Path], allow: bool, depth: int) -> tuple[Any, Positions]:
    if depth >= MAX_INCLUDE_DEPTH:
        raise ContentError(_("include 嵌套过深"), where)
    if not isinstance(name, str):
        raise ContentError(_("include 的值应是文件路径"), where)
    path = confine(base, name, where, allow_outside=allow)
    if path in files:
        raise ContentError(_("文件“{name}”被重复引用（循环或重复 include）").format(name=name), where)
    files.append(path)
    if path.suffix.lower() in (".md", ".markdown"):
        from .markdown import load_markdown      # markdown-it loads only for briefings that use it

        return load_markdown(path)
    return load_yaml(path)


def _under_items(source: Positions, prefix: FieldPath) -> dict[str | int | float, Positions]:
    """The positions under each item of the list at `prefix`, keyed from the item. One pass over the
    tables: grafting item by item from the whole tables took a pass per item, quadratic in sections."""
    n = len(prefix)
    out: dict[str | int | float, Positions] = {}
    for p, loc in source.where.items():
        if len(p) > n and p[:n] == prefix:
            out.setdefault(p[n], Positions()).where[p[n + 1:]] = loc
    for p, loc in source.keys.items():
        if len(p) > n and p[:n] == prefix:
            out.setdefault(p[n], Positions()).keys[p[n + 1:]] = loc
    return out


def _graft_moved(target: Positions, new_prefix: FieldPath, source: Positions, old_prefix: FieldPath) -> None:
    n = len(old_prefix)
    for table, into in ((source.where, target.where), (source.keys, target.keys)):
        for p, loc in list(table.items()):
            if p[:n] == old_prefix:
                into[new_prefix + p[n:]] = loc


def _replace_sections(positions: Positions, moved: Positions) -> None:
    """Sections were renumbered (includes expanded, sections dropped): swap in their new positions."""
    for table in (positions.where, positions.keys):
        for p in [p for p in table if p[:1] == ("sections",) and len(p) > 1]:
            del table[p]
    positions.where.update(moved.where)
    positions.keys.update(moved.keys)


# ---- overrides and selection -------------------------------------------------

def _apply_override(raw: dict[str, Any], positions: Positions, key: str, value: str) -> None:
    where = Location("--set", None, None, key)
    try:
        # the bounded loader of the content files: no tags, no alias bombs, no [[[[… deeper than the limit
        parsed = load_yaml(Path("--set"), value)[0] if value.strip() else ""
    except ContentError as e:
        if e.message.startswith(_("YAML 语法错误：{problem}").split("{")[0]):
            parsed = value     # not YAML: plain text, as written
        else:
            raise ContentError(_("--set {key} 的值无效：{e}").format(key=key, e=e.message), where) from None
    except ValueError:   # a date such as 2026-99-01
        parsed = value
    if isinstance(parsed, str):
        parsed = value
    parts = key.split(".")
    node = raw
    for part in parts[:-1]:
        node = node.setdefault(part, {}) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            raise ContentError(_("无法设置“{key}”").format(key=key), where)
    node[parts[-1]] = parsed
    positions.add(tuple(parts), where)


def _keep_only(raw: dict[str, Any], positions: Positions, only: list[str]) -> None:
    sections = _sections(raw)
    ids = [s.get("id") for s in sections if isinstance(s, dict)]
    for wanted in only:
        if wanted not in ids:
            close = difflib.get_close_matches(wanted, [i for i in ids if isinstance(i, str)], n=1)
            hint = _("您是不是要写“{name}”？").format(name=close[0]) if close else \
                _("已有的栏目：{names}").format(names="、".join(str(i) for i in ids))
            raise ContentError(_("--only 中的栏目“{id}”不存在").format(id=wanted), Location("--only"), hint)
    _filter_sections(raw, positions, lambda s: s.get("id") in only)


def _drop_disabled(raw: dict[str, Any], positions: Positions) -> None:
    for i, s in enumerate(_sections(raw)):
        # strict: "false" in quotes is text, and a section must not print because of a pair of quotes
        if isinstance(s, dict) and "enabled" in s and not isinstance(s["enabled"], bool):
            raise ContentError(_("enabled 应是 true 或 false，而不是“{value}”").format(value=s["enabled"]),
                               positions.find(("sections", i, "enabled")), _("不要给 true/false 加引号"))
    _filter_sections(raw, positions, lambda s: s.get("enabled", True) is not False)


def _sections(raw: dict[str, Any]) -> list[Any]:
    """The sections list, or nothing when it is not a list (validation reports that, located)."""
    sections = raw.get("sections")
    return sections if isinstance(sections, list) else []


def _filter_sections(raw: dict[str, Any], positions: Positions, keep: Callable[[dict[str, Any]], bool]) -> None:
    sections = raw.get("sections")
    if not isinstance(sections, list):
        return
    kept: list[Any] = []
    moved = Positions()
    under = _under_items(positions, ("sections",))
    for i, s in enumerate(sections):
        if not isinstance(s, dict) or keep(s):
            _graft_moved(moved, ("sections", len(kept)), under.get(i, Positions()), ())
            kept.append(s)
    _replace_sections(positions, moved)
    raw["sections"] = kept
