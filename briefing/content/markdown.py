"""A section written in Markdown: YAML front matter for its fields, a Markdown body for its blocks.

    ---
    id: industry
    title: 工业与制造业
    ---

    新区把制造业作为立区之本……比重均在50%以上[^1]。

    ### 汽车产业

    汽车产业完成产值{{ kf['汽车产业产值'].数值 | num(0) }}亿元……

    ```chart
    type: stacked
    data: vehicles
    x: 时期
    y: [新能源汽车, 其他车型]
    ```

    [^1]: 此处比重为新区公开资料口径。

The body becomes the same blocks a YAML section holds, so everything after
this stage treats both alike: a paragraph is a `paragraph`, `##`/`###` a
`heading`, a list `bullets` (numbered: paragraphs opening （1）（2）…), a block
quote a `quote` (a last line opening with —— names who said it), a table a
`table` of inline rows, an image alone in its paragraph an `image`, `---` a
`pagebreak`, and footnotes a raised mark plus a closing “注：” paragraph. A
fenced block whose info word is a block type (```chart, ```table, ```image,
```keyfigures, ```quote, ```columns) holds that block's YAML, with the same
keys as in a YAML section; ```blocks holds a YAML list of any blocks.

Parsing is markdown-it-py's (CommonMark, plus footnotes, front matter and
tables from mdit-py-plugins). Every value keeps the line of the .md file it
came from, so errors point into the Markdown file.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import ContentError, Location
from ..i18n import _
from ..registry import BLOCK_TYPES as REGISTERED_BLOCKS
from . import schema  # noqa: F401  (registers the bundled block types)
from .text import join_lines
from .yamlload import FieldPath, MAX_BYTES, Positions, cached, load_yaml

# every block type may be written as a ```type fence but those Markdown writes in its own syntax
# (a paragraph, a heading, a thematic break), so a new block type is a fence type at once
def fence_types() -> set[str]:
    """The block types a ``` fence may name (the registry's, now: one registered later is among them)."""
    return {name for name, block in REGISTERED_BLOCKS.items() if block.fence}
# data-bound text ({{ … }}, {% … %}) is kept out of Markdown's hands: `*` and `[…]` in it are not markup
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_ESCAPE = re.compile(r"([\\*\[\]^])")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).use(front_matter_plugin).use(footnote_plugin).enable("table")


def load_markdown(file: Path, text: str | None = None) -> tuple[dict[str, Any], Positions]:
    """One .md section: its fields and blocks as plain values, with the .md line of each."""
    file = Path(file)
    if text is None and file.is_file():
        return cached(file, lambda f: load_markdown(f, _read_text(f)))
    return _Reader(file, text if text is not None else _read_text(file)).read()


def _read_text(file: Path) -> str:
    try:
        if file.stat().st_size > MAX_BYTES:
            raise ContentError(_("文件过大（{kb} KB），内容文件不能超过 {mb} MB").format(
                kb=file.stat().st_size // 1024, mb=MAX_BYTES // 1024 // 1024), Location(str(file)))
        return file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ContentError(_("找不到文件"), Location(str(file))) from None
    except UnicodeDecodeError as e:
        raise ContentError(_("文件不是 UTF-8 编码（第 {n} 字节处）").format(n=e.start), Location(str(file)),
                           _("请用 UTF-8 编码保存该文件")) from None


class _Reader:
    def __init__(self, file: Path, text: str):
        self.file = file
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.templates: list[str] = []
        self.positions = Positions()
        self.positions.add((), Location(str(file), 1, 1))
        self.blocks: list[Any] = []
        self.notes: dict[str, str] = {}       # footnote label -> its text
        self.note_line = 0
        self.note_numbers: dict[str, int] = {}
        self._href = ""

    def loc(self, line0: int, column: int = 1) -> Location:
        return Location(str(self.file), line0 + 1, column)

    def read(self) -> tuple[dict[str, Any], Positions]:
        tokens = _parser().parse(_TEMPLATE.sub(self._hide, self.text))
        section: dict[str, Any] = {}
        i = 0
        if tokens and tokens[0].type == "front_matter":
            section = self._front_matter(tokens[0])
            i = 1
        elif self.text.lstrip().startswith("---"):
            raise ContentError(_("Markdown 文件开头的 YAML 头（front matter）没有以“---”结束"), self.loc(0),
                               _("在 id、title 等字段之后单独写一行 ---"))
        self._body(tokens[i:], ("blocks",))
        if self.notes:
            self._add(("paragraph", "注：" + "　".join(f"[{k}] {v}" for k, v in self.notes.items())),
                      self.note_line)
        if "blocks" in section:
            raise ContentError(_("Markdown 栏目的内容写在正文中，YAML 头里不能再有 blocks"),
                               self.positions.find(("blocks",)))
        section["blocks"] = self.blocks
        self.positions.add(("blocks",), self.loc(0))
        return section, self.positions

    # -- pieces ------------------------------------------------------------------
    def _hide(self, m: re.Match[str]) -> str:
        self.templates.append(m.group(0))
        return f"\ue000{len(self.templates) - 1}\ue001"

    def _show(self, text: str) -> str:
        return re.sub("\ue000(\\d+)\ue001", lambda m: self.templates[int(m.group(1))], text)

    def _front_matter(self, token: Token) -> dict[str, Any]:
        # padded with empty lines, the YAML's line numbers are the .md file's
        raw, pos = load_yaml(self.file, "\n" + self._show(token.content))
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise ContentError(_("Markdown 文件的 YAML 头应是映射（id: …、title: …）"), self.loc(1))
        self.positions.where.update({k: v for k, v in pos.where.items() if k})
        self.positions.keys.update(pos.keys)
        return raw

    def _add(self, block: tuple[str, Any], line0: int, column: int = 1) -> None:
        kind, value = block
        path = ("blocks", len(self.blocks))
        self.positions.add(path, self.loc(line0, column))
        self.positions.add(path + (kind,), self.loc(line0, column))
        self.blocks.append({kind: value})

    def _body(self, tokens: list[Token], path: FieldPath) -> None:
        i = 0
        while i < len(tokens):
            t = tokens[i]
            line0 = t.map[0] if t.map else 0
            if t.type == "paragraph_open":
                inline = tokens[i + 1]
                image = self._lone_image(inline)
                if image:
                    self._add(("image", image), line0)
                else:
                    self._add(("paragraph", self.inline(inline)), line0)
                i += 3
            elif t.type == "heading_open":
                self._heading(t, tokens[i + 1], line0)
                i += 3
            elif t.type in ("bullet_list_open", "ordered_list_open"):
                end = _close(tokens, i)
                self._list(tokens[i:end + 1], line0, ordered=t.type == "ordered_list_open")
                i = end + 1
            elif t.type == "blockquote_open":
                end = _close(tokens, i)
                self._quote(tokens[i + 1:end], line0)
                i = end + 1
            elif t.type == "table_open":
                end = _close(tokens, i)
                self._table(tokens[i:end + 1], line0)
                i = end + 1
            elif t.type in ("fence", "code_block"):
                self._fence(t, line0)
                i += 1
            elif t.type == "hr":
                self._add(("pagebreak", True), line0)
                i += 1
            elif t.type == "footnote_block_open":
                end = _close(tokens, i)
                self._footnotes(tokens[i + 1:end])
                i = end + 1
            elif t.type == "html_block":
                raise ContentError(_("Markdown 中不能写 HTML"), self.loc(line0),
                                   _("用 **粗体**、*着重*，或用 ```chart 等代码块插入图表"))
            else:
                i += 1

    def _heading(self, t: Token, inline: Token, line0: int) -> None:
        text = self.inline(inline)
        if t.tag == "h1":
            raise ContentError(_("“# {text}”：栏目标题写在 YAML 头的 title 中").format(text=text), self.loc(line0),
                               _("栏目中的小标题用 ### 开头"))
        self._add(("heading", text), line0)

    def _list(self, tokens: list[Token], line0: int, ordered: bool) -> None:
        items, n = [], 0
        depth = 0
        for t in tokens:
            if t.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
                if depth > 1:
                    raise ContentError(_("列表不能嵌套"), self.loc(t.map[0] if t.map else line0),
                                       _("简报中的列表只有一层：把下一层写成同一层的条目，或写成段落"))
            elif t.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            elif t.type == "inline":
                n += 1
                text = self.inline(t)
                items.append(f"（{n}）{text}" if ordered else text)
        if ordered:
            for k, text in enumerate(items):
                self._add(("paragraph", text), line0 + k)
        else:
            self._add(("bullets", items), line0)

    def _quote(self, tokens: list[Token], line0: int) -> None:
        paragraphs = [self.inline(t, keep_lines=True) for t in tokens if t.type == "inline"]
        text = "\n".join(paragraphs)
        lines = text.split("\n")
        by = None
        if len(lines) > 1 and lines[-1].lstrip().startswith(("——", "--")):
            by = lines.pop().lstrip("—- ")
        body = join_lines("\n".join(lines), keep_paragraphs=False)
        self._add(("quote", {"text": body, "by": by} if by else body), line0)

    def _table(self, tokens: list[Token], line0: int) -> None:
        rows: list[list[str]] = []
        row: list[str] = []
        for t in tokens:
            if t.type == "tr_open":
                row = []
            elif t.type == "inline":
                row.append(self._show(t.content).strip())
            elif t.type == "tr_close":
                rows.append(row)
        self._add(("table", {"data": {"rows": rows}}), line0)

    def _fence(self, t: Token, line0: int) -> None:
        kind = (t.info or "").strip().split(" ")[0].lower()
        if kind not in fence_types() and kind != "blocks":
            hint = _("可用的代码块类型：{names}").format(names="、".join(sorted(fence_types() | {"blocks"})))
            raise ContentError(_("代码块“```{kind}”不是简报的内容块").format(kind=kind or _("（无类型）")),
                               self.loc(line0), hint)
        # padded so the YAML's lines are the .md file's (the fence's first line holds ```)
        value, pos = load_yaml(self.file, "\n" * (line0 + 1) + self._show(t.content))
        if kind == "blocks":
            if not isinstance(value, list):
                raise ContentError(_("```blocks 中应是内容块的列表（- chart: …）"), self.loc(line0 + 1))
            for item in value:
                self.blocks.append(item)
            start = len(self.blocks) - len(value)
            # the paths of a list's values begin with their index
            for p, loc in pos.where.items():
                if p:
                    self.positions.where[("blocks", start + int(p[0])) + p[1:]] = loc
            for p, loc in pos.keys.items():
                self.positions.keys[("blocks", start + int(p[0])) + p[1:]] = loc
            return
        path = ("blocks", len(self.blocks))
        self.blocks.append({kind: value})
        self.positions.add(path, self.loc(line0))
        self.positions.add(path + (kind,), self.loc(line0 + 1))
        for p, loc in pos.where.items():
            if p:
                self.positions.where[path + (kind,) + p] = loc
        for p, loc in pos.keys.items():
            self.positions.keys[path + (kind,) + p] = loc

    def _footnotes(self, tokens: list[Token]) -> None:
        label: str | None = None
        parts: list[str] = []
        for t in tokens:
            if t.type == "footnote_open":
                label, parts = t.meta.get("label"), []
            elif t.type == "inline":
                parts.append(self.inline(t))
                if t.map:
                    self.note_line = max(self.note_line, t.map[0])
            elif t.type == "footnote_close" and label is not None:
                self.notes[str(self._note_number(label))] = "".join(parts)

    def _note_number(self, label: str) -> int:
        """Footnotes are numbered 1, 2, … in the order they are first cited, whatever their labels."""
        return self.note_numbers.setdefault(label, len(self.note_numbers) + 1)

    def _lone_image(self, inline: Token) -> dict[str, str] | None:
        kids = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
        if len(kids) == 1 and kids[0].type == "image":
            img = kids[0]
            caption = "".join(c.content for c in img.children or [])
            out = {"file": str(img.attrs.get("src", ""))}
            if caption:
                out["caption"] = self._show(caption)
            return out
        return None

    # -- inline ------------------------------------------------------------------
    def inline(self, token: Token, keep_lines: bool = False) -> str:
        """Markdown inline content in the briefing's own inline markup (**, *, [](), ^[n])."""
        out = []
        for c in token.children or []:
            if c.type in ("text", "code_inline"):
                out.append(_ESCAPE.sub(r"\\\1", c.content))
            elif c.type in ("softbreak", "hardbreak"):
                out.append("\n")
            elif c.type in ("strong_open", "strong_close"):
                out.append("**")
            elif c.type in ("em_open", "em_close"):
                out.append("*")
            elif c.type == "link_open":
                out.append("[")
                self._href = str(c.attrs.get("href", ""))
            elif c.type == "link_close":
                out.append(f"]({self._href})")
            elif c.type == "footnote_ref":
                out.append(f"^[{self._note_number(str(c.meta.get('label')))}]")
            elif c.type == "image":
                raise ContentError(_("图片要单独成段（前后空一行）"), self.loc(token.map[0] if token.map else 0))
        text = self._show("".join(out))
        return text if keep_lines else join_lines(text, keep_paragraphs=False)


def _close(tokens: list[Token], i: int) -> int:
    """Index of the token that closes tokens[i] (same nesting level)."""
    level = tokens[i].level
    closing = tokens[i].type.replace("_open", "_close")
    for k in range(i + 1, len(tokens)):
        if tokens[k].type == closing and tokens[k].level == level:
            return k
    return len(tokens) - 1


__all__ = ["load_markdown"]
