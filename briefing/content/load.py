"""Stage 1 — content: read the briefing's YAML (with includes and command-line
overrides), validate it, and hand on a Document plus where each field came from."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ContentError, ContentErrors, Location
from ..i18n import _
from .paths import resolve
from .schema import Document, ParagraphsBlock
from .text import join_lines
from .validate import validate
from .yamlload import Positions, load_yaml

MAX_INCLUDE_DEPTH = 8


@dataclass
class Content:
    doc: Document
    positions: Positions
    file: Path                     # the main YAML file
    base: Path                     # its folder: data, images and includes are relative to it
    files: list[Path] = field(default_factory=list)   # every file read (for input hashing)
    allow_outside: bool = False


def load(file: str | Path, *, overrides: dict[str, str] | None = None, only: list[str] | None = None,
         allow_outside: bool = False) -> Content:
    file = Path(file)
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
    try:
        doc = validate(Document, raw, positions)
    except ContentErrors as e:
        raise _with_colon_slips(e, files) from None
    _one_paragraph_fields(doc)
    return Content(doc, positions, file, base, files, allow_outside)


def _with_colon_slips(errors: ContentErrors, files: list[Path]) -> ContentErrors:
    """A "：" or "key:value" reads as text, so validation fails near it (a missing field, a value of the
    wrong type): where a failing field's line has such a slip, or the missing field is its key, say so."""
    from .colons import describe, find_slips

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


def _one_paragraph_fields(obj) -> None:
    """A blank line splits `paragraphs: |` into paragraphs; in any other text it is joined like a line break."""
    from pydantic import BaseModel

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

def _expand_includes(raw: dict, positions: Positions, base: Path, files: list, allow: bool, depth: int = 0) -> dict:
    sections = raw.get("sections")
    if isinstance(sections, list):
        out: list = []
        moved = Positions()
        for i, item in enumerate(sections):
            if isinstance(item, dict) and set(item) == {"include"}:
                loaded, sub = _include(item["include"], positions.find(("sections", i, "include")), base, files,
                                       allow, depth)
                items = loaded if isinstance(loaded, list) else [loaded]
                for j, one in enumerate(items):
                    prefix = (j,) if isinstance(loaded, list) else ()
                    _graft_moved(moved, ("sections", len(out)), sub, prefix)
                    out.append(one)
            else:
                _graft_moved(moved, ("sections", len(out)), positions, ("sections", i))
                out.append(item)
        _replace_sections(positions, moved)
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


def _include(name, where: Location, base: Path, files: list, allow: bool, depth: int):
    if depth >= MAX_INCLUDE_DEPTH:
        raise ContentError(_("include 嵌套过深"), where)
    if not isinstance(name, str):
        raise ContentError(_("include 的值应是文件路径"), where)
    path = resolve(base, name, where, allow_outside=allow)
    if path in files:
        raise ContentError(_("文件“{name}”被重复引用（循环或重复 include）").format(name=name), where)
    files.append(path)
    if path.suffix.lower() in (".md", ".markdown"):
        from .markdown import load_markdown      # markdown-it loads only for briefings that use it

        return load_markdown(path)
    return load_yaml(path)


def _graft_moved(target: Positions, new_prefix: tuple, source: Positions, old_prefix: tuple) -> None:
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

def _apply_override(raw: dict, positions: Positions, key: str, value: str) -> None:
    where = Location("--set", None, None, key)
    try:
        parsed = yaml.safe_load(value) if value.strip() else ""
    except (yaml.YAMLError, ValueError):   # ValueError: a date such as 2026-99-01
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


def _keep_only(raw: dict, positions: Positions, only: list[str]) -> None:
    sections = raw.get("sections") or []
    ids = [s.get("id") for s in sections if isinstance(s, dict)]
    for wanted in only:
        if wanted not in ids:
            close = difflib.get_close_matches(wanted, [i for i in ids if isinstance(i, str)], n=1)
            hint = _("您是不是要写“{name}”？").format(name=close[0]) if close else \
                _("已有的栏目：{names}").format(names="、".join(str(i) for i in ids))
            raise ContentError(_("--only 中的栏目“{id}”不存在").format(id=wanted), Location("--only"), hint)
    _filter_sections(raw, positions, lambda s: s.get("id") in only)


def _drop_disabled(raw: dict, positions: Positions) -> None:
    _filter_sections(raw, positions, lambda s: s.get("enabled", True) is not False)


def _filter_sections(raw: dict, positions: Positions, keep) -> None:
    sections = raw.get("sections")
    if not isinstance(sections, list):
        return
    kept, moved = [], Positions()
    for i, s in enumerate(sections):
        if not isinstance(s, dict) or keep(s):
            _graft_moved(moved, ("sections", len(kept)), positions, ("sections", i))
            kept.append(s)
    _replace_sections(positions, moved)
    raw["sections"] = kept
