"""YAML loading that remembers where every value came from.

PyYAML's safe loader builds plain Python values and forgets positions. We
compose the node graph ourselves (still the safe resolver: no tags that run
code), build the values while recording each field path's file, line and
column, and refuse documents that are too big, too deep or that expand
through aliases into something huge (a "billion laughs" bomb), so a hostile
file fails in well under a second instead of eating the machine.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from ..errors import ContentError, Location
from ..i18n import _
from .colons import describe, find_slips
from .paths import check_input
from .text import join_lines

MAX_BYTES = 8 * 1024 * 1024      # a briefing's YAML is kilobytes; 8 MB is generous
MAX_NODES = 200_000              # values after alias expansion
MAX_DEPTH = 64

# the tags plain YAML resolves to; anything else (!!python/object, !!binary, !!set, !custom) is refused
ALLOWED_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}

# a field path: ("sections", 2, "blocks", 0, "chart", "type"): field names, list indexes, and the numbers
# YAML allows as mapping keys
FieldPath = tuple[str | int | float, ...]


@dataclass
class Positions:
    """Field path -> Location, across all files of one briefing."""

    where: dict[FieldPath, Location] = field(default_factory=dict)
    keys: dict[FieldPath, Location] = field(default_factory=dict)   # where a mapping key itself is written

    def add(self, path: FieldPath, loc: Location) -> None:
        self.where[path] = loc

    def key(self, path: FieldPath) -> Location:
        """Where the key of `path` is written (for "unknown field"), else where its value is."""
        loc = self.keys.get(tuple(path))
        return Location(loc.file, loc.line, loc.column, dotted(path)) if loc else self.find(path)

    def find(self, path: FieldPath) -> Location:
        """The location of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.where:
                loc = self.where[path]
                return Location(loc.file, loc.line, loc.column, dotted(path))
            path = path[:-1]
        root = self.where.get((), Location())
        return Location(root.file, root.line, root.column, None)

    def graft(self, prefix: FieldPath, other: Positions) -> None:
        """Take another file's positions under `prefix` (used by include)."""
        for p, loc in other.where.items():
            self.where[prefix + p] = loc


def undotted(text: str) -> FieldPath:
    """The inverse of dotted(): "sections[0].blocks[1].chart.y" -> ("sections", 0, "blocks", 1, "chart", "y")."""
    out: list[str | int] = []
    for part in text.split("."):
        name, *indexes = part.split("[")
        if name:
            out.append(name)
        out += [int(i.rstrip("]")) for i in indexes if i.rstrip("]").isdigit()]
    return tuple(out)


def dotted(path: FieldPath) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


class _Loader(yaml.SafeLoader):
    """The safe loader, except that a line break inside a scalar stays a line break.

    YAML folds a wrapped line into a space (plain, quoted and `>` scalars), which
    shows as a stray gap between Chinese characters; we keep the break and join it
    the CJK way instead (text.join_lines), the same for every scalar style.
    """

    def scan_block_scalar(self, style: str) -> yaml.ScalarToken:
        token = super().scan_block_scalar("|")     # `>` read as `|`: the lines as written
        token.style = style
        return token

    def scan_flow_scalar_spaces(self, double: bool, start_mark: yaml.Mark) -> list[str]:
        line = self.line
        return _unfold(super().scan_flow_scalar_spaces(double, start_mark), self.line != line)

    def scan_plain_spaces(self, indent: int, start_mark: yaml.Mark) -> list[str] | None:
        line = self.line
        return _unfold(super().scan_plain_spaces(indent, start_mark), self.line != line)


Chunks = TypeVar("Chunks", list[str], list[str] | None)


def _unfold(chunks: Chunks, crossed_line: bool) -> Chunks:
    """The scanner folds a line break into a lone " " chunk: put the break back."""
    if crossed_line and chunks == [" "]:
        return ["\n"]
    return chunks


T = TypeVar("T")
_parsed: dict[tuple[str, int, int], tuple[object, Positions]] = {}   # (path, mtime, size) -> (value, positions):
#                                                                     what a warm process has read


def cached(file: Path, read: Callable[[Path], tuple[T, Positions]]) -> tuple[T, Positions]:
    """read(file), or a copy of what it gave for this very file before (same path, mtime and size).

    `briefing watch` rebuilds in one process: a one-sentence change reparses one file, not all of them.
    """
    try:
        st = Path(file).stat()
        key = (str(Path(file).resolve()), st.st_mtime_ns, st.st_size)
    except OSError:
        return read(file)
    if key not in _parsed:
        if len(_parsed) > 512:
            _parsed.clear()
        _parsed[key] = read(file)
    value, positions = _parsed[key]
    # a file is always read by the same reader (chosen by its suffix), so the value is the T `read` gives
    return cast(T, copy.deepcopy(value)), Positions(dict(positions.where), dict(positions.keys))


def load_yaml(file: Path, text: str | None = None) -> tuple[object, Positions]:
    """Load one YAML file into plain values plus the positions of every field."""
    file = Path(file)
    if text is None and file.is_file():
        return cached(file, _read_yaml)
    return _read_yaml(file, text)


def _read_yaml(file: Path, text: str | None = None) -> tuple[object, Positions]:
    try:
        if text is None:
            size = check_input(file, Location(str(file))).st_size
            if size > MAX_BYTES:
                raise ContentError(_("文件过大（{kb} KB），YAML 内容文件不能超过 {mb} MB").format(
                    kb=size // 1024, mb=MAX_BYTES // 1024 // 1024), Location(str(file)))
            text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ContentError(_("找不到文件"), Location(str(file))) from None
    except UnicodeDecodeError as e:
        line, column = _line_column(e.object[:e.start].decode("utf-8", "replace"))
        raise ContentError(_("文件不是 UTF-8 编码（第 {n} 字节处）").format(n=e.start), Location(str(file), line, column),
                           _("请用 UTF-8 编码保存该文件")) from None
    except OSError as e:
        raise ContentError(_("无法读取文件：{reason}").format(reason=e.strerror), Location(str(file))) from None
    try:
        _check_depth(text, file)
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:   # _check_depth makes this unreachable; kept so no input can give a traceback
        raise ContentError(_("嵌套层次过深（超过 {n} 层）").format(n=MAX_DEPTH), Location(str(file))) from None
    except yaml.MarkedYAMLError as e:
        raise syntax_error(e, text, file) from None
    except yaml.reader.ReaderError as e:   # a NUL or other character YAML does not allow, at a position
        line, column = _line_column(text[:e.position])
        raise ContentError(_("文件中有 YAML 不允许的字符 U+{code:04X}").format(code=e.character if isinstance(
            e.character, int) else ord(e.character)), Location(str(file), line, column),
            _("请删除该字符（可能是复制时带进来的）")) from None
    except yaml.YAMLError as e:
        raise ContentError(_("YAML 语法错误：{problem}").format(problem=e), Location(str(file))) from None
    positions = Positions()
    positions.add((), Location(str(file), 1, 1))
    if node is None:
        return None, positions
    builder = _Builder(str(file), positions)
    builder.measure(node, {}, 0)
    return builder.build(node, (), 0), positions


def _line_column(before: str) -> tuple[int, int]:
    """1-based line and column just after `before` (the text up to a fault)."""
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def syntax_error(e: yaml.MarkedYAMLError, text: str, file: Path) -> ContentError:
    """PyYAML's finding in words a user can act on, at the line that is really wrong."""
    mark = e.problem_mark or e.context_mark
    line = mark.line + 1 if mark else 1
    first = e.context_mark.line + 1 if e.context_mark else line - 3
    # a "：" or a missing space makes YAML fail a line or two later: name the line that has it
    slips = [s for s in find_slips(text) if min(first, line - 3) <= s.line <= line]
    if slips:
        slip = slips[-1]
        msg, hint = describe(slip)
        return ContentError(msg, Location(str(file), slip.line, slip.column), hint)
    loc = Location(str(file), line if mark else None, mark.column + 1 if mark else None)
    problem = _yaml_problem(e.problem or e.context or "")
    source = text.splitlines()[line - 1] if mark and line <= len(text.splitlines()) else ""
    if source.count('"') > 2 and "{{" in source:
        hint = _("双引号里又用了双引号：外层改用单引号，如 '{{ date | cndate(\"month\") }}'，或把里面的改成单引号")
    elif "\t" in source[: len(source) - len(source.lstrip())]:
        hint = _("缩进里有制表符（Tab）：YAML 只能用空格缩进")
    else:
        hint = _("检查缩进（只能用空格）、冒号后的空格和引号是否成对")
    return ContentError(_("YAML 语法错误：{problem}").format(problem=problem), loc, hint)


def _yaml_problem(problem: str) -> str:
    """PyYAML's common findings, said in Chinese (the rest stay as PyYAML words them)."""
    known = {
        "could not find expected ':'": _("这一行应是“字段: 值”，却找不到冒号"),
        "mapping values are not allowed here": _("此处不能再写“字段: 值”（上一行的值没写完，或冒号后少了空格）"),
        "did not find expected key": _("缩进不齐：这一行和同级的字段没有对齐"),
        "did not find expected '-' indicator": _("缩进不齐：列表项的“-”没有对齐"),
        "found character '\\t' that cannot start any token": _("有制表符（Tab）：YAML 只能用空格缩进"),
        "found unexpected end of stream": _("文件在引号或括号闭合之前就结束了"),
        "did not find expected node content": _("此处缺少值"),
        "expected <block end>": _("这一行多出了内容（常见原因：引号没有成对，或缩进不齐）"),
        "found undefined alias": _("引用了未定义的别名（*名称）"),
    }
    for english, chinese in known.items():
        if problem.startswith(english):
            return chinese
    return problem


def _check_depth(text: str, file: Path) -> None:
    """PyYAML composes recursively: refuse [[[[… deeper than MAX_DEPTH from the (iterative) event stream first."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise ContentError(_("嵌套层次过深（超过 {n} 层）").format(n=MAX_DEPTH),
                                   Location(str(file), mark.line + 1, mark.column + 1) if mark else Location(str(file)))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


class _Builder:
    def __init__(self, file: str, positions: Positions):
        self.file = file
        self.positions = positions
        self.count = 0
        self.constructor = yaml.SafeLoader("")  # only used to turn scalar nodes into values

    def measure(self, node: yaml.Node, sizes: dict[int, int], depth: int) -> int:
        """How many values `node` expands to, counting each shared (anchored) node once per use but computing
        it once: an alias bomb is refused in milliseconds, before anything is built."""
        if depth > MAX_DEPTH:
            raise ContentError(_("嵌套层次过深（超过 {n} 层）").format(n=MAX_DEPTH), self.loc(node))
        known = sizes.get(id(node))
        if known is not None:
            return known
        n = 1
        if isinstance(node, yaml.MappingNode):
            n += sum(1 + self.measure(v, sizes, depth + 1) for _k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            n += sum(self.measure(v, sizes, depth + 1) for v in node.value)
        if n > MAX_NODES:
            raise ContentError(_("内容过大：展开后超过 {n} 个值（可能是别名/锚点被反复引用）").format(n=MAX_NODES),
                               self.loc(node), _("请删除对锚点（&）和别名（*）的嵌套引用"))
        sizes[id(node)] = n
        return n

    def loc(self, node: yaml.Node) -> Location:
        return Location(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: FieldPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise ContentError(_("内容过大：展开后超过 {n} 个值（可能是别名/锚点被反复引用）").format(n=MAX_NODES),
                               self.loc(node), _("请删除对锚点（&）和别名（*）的嵌套引用"))
        if depth > MAX_DEPTH:
            raise ContentError(_("嵌套层次过深（超过 {n} 层）").format(n=MAX_DEPTH), self.loc(node))
        self.positions.add(path, self.loc(node))
        if node.tag not in ALLOWED_TAGS:
            raise ContentError(_("不支持的 YAML 标签“{tag}”").format(tag=_short_tag(node.tag)), self.loc(node),
                               _("内容文件只能用普通的文字、数字、日期、列表和映射"))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: FieldPath, depth: int) -> dict[str | int | float, Any]:
        out: dict[str | int | float, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ContentError(_("不支持 YAML 合并键“<<”"), self.loc(key_node), _("请把需要的字段直接写出"))
            if not isinstance(key_node, yaml.ScalarNode):
                raise ContentError(_("字段名必须是简单文字"), self.loc(key_node))
            key = self.scalar(key_node, path)
            if not isinstance(key, (str, int, float, bool)) or isinstance(key, bool):
                key = str(key_node.value)
            if key in out:
                raise ContentError(_("字段“{key}”重复出现").format(key=key), self.loc(key_node),
                                   _("同一层级中每个字段只能写一次"))
            self.positions.add(path + (key,), self.loc(key_node))
            self.positions.keys[path + (key,)] = self.loc(key_node)
            out[key] = self.build(value_node, path + (key,), depth + 1)
            # the value's own position is more useful than the key's for scalar errors
            if isinstance(value_node, yaml.ScalarNode):
                self.positions.add(path + (key,), self.loc(value_node))
        return out

    def scalar(self, node: yaml.Node, path: FieldPath = ()) -> Any:
        where = self.loc(node)
        where.path = dotted(path) or None
        try:
            value = self.constructor.construct_object(node, deep=True)
            return join_lines(value) if isinstance(value, str) else value
        except yaml.constructor.ConstructorError as e:
            raise ContentError(_("无法识别的值：{problem}").format(problem=e.problem), where) from None
        except ValueError:  # an impossible date such as 2026-02-30 or 2026-13-01
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise ContentError(_("日期“{value}”不存在").format(value=node.value), where,
                                   _("日期写成 YYYY-MM-DD，例如 2026-11-01")) from None
            raise ContentError(_("无法识别的值“{value}”").format(value=node.value), where) from None


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag
