"""A block type added from outside the package, as docs/extending.md tells a newcomer to: one model, one
layout function, one edition function and one register_block_type() call — no list edited anywhere else.

The new block (`- stamp: 内部资料`) must then validate with located messages, print in the PDF and the
web edition, be offered by `briefing schema`, be a Markdown fence, and be gone again once unregistered.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefing import ContentError, build
from briefing.cli import main
from briefing.content.schema import Strict
from briefing.editions.model import Para
from briefing.registry import BLOCK_TYPES, BlockType, register_block_type
from kit import pdf_text, squash, write


class StampBlock(Strict):
    stamp: str


def lay_out_stamp(builder, text, width):
    """A line in the note style, kept on the line grid like the other short blocks."""
    return [builder.grid([builder.p(f"【{text}】", "note", markup=False)])]


def stamp_pieces(text):
    return [Para(f"【{text}】", "note")]


@pytest.fixture
def stamp():
    register_block_type(BlockType("stamp", StampBlock, layout=lay_out_stamp, edition=stamp_pieces,
                                  help="一行加方括号的提示，如“内部资料　注意保存”"))
    yield
    BLOCK_TYPES.unregister("stamp")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def test_a_registered_block_prints_in_the_pdf_and_the_web_edition(tmp_path, stamp):
    src = write(tmp_path, "      - paragraph: 正文第一段。\n      - stamp: 内部资料　注意保存\n"
                          "      - paragraph: 正文第二段。\n")
    result = build(src, tmp_path / "out", formats="pdf,html")
    text = squash(pdf_text(result.pdf))
    assert "正文第一段。【内部资料注意保存】正文第二段。" in text
    page = _Text()
    page.feed(result.outputs["html"][0].read_text(encoding="utf-8"))
    assert "【内部资料　注意保存】" in "".join(page.parts)


def test_a_registered_block_is_validated_where_it_is_written(tmp_path, stamp, capsys):
    src = write(tmp_path, "      - stamp: [内部, 资料]\n")
    assert main(["validate", str(src)]) == 2
    err = capsys.readouterr().err
    assert "briefing.yaml:11:16 sections[0].blocks[0].stamp" in err and "应为文字" in err, err
    src = write(tmp_path, "      - stamps: 内部资料\n")
    assert main(["validate", str(src)]) == 2
    assert "您是不是要写“stamp”" in capsys.readouterr().err


def test_a_registered_block_is_a_markdown_fence_and_in_the_editor_schema(tmp_path, stamp, capsys):
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "note.md").write_text("---\nid: note\ntitle: 说明\n---\n\n正文一段。\n\n"
                                                   "```stamp\n内部资料\n```\n", encoding="utf-8")
    src = write(tmp_path, yaml_text="title: 测试简报\nissue: 3\ndate: 2026-11-01\nissuer: 测试单位\n"
                                    "sections:\n  - include: sections/note.md\n")
    result = build(src, tmp_path / "out")
    assert "正文一段。【内部资料】" in squash(pdf_text(result.pdf))
    assert main(["schema", "--section"]) == 0
    schema = json.loads(capsys.readouterr().out)
    stamp_def = schema["$defs"]["StampBlock"]
    assert stamp_def["description"].startswith("一行加方括号的提示")


def test_an_unregistered_block_is_unknown_again(tmp_path, stamp):
    BLOCK_TYPES.unregister("stamp")
    src = write(tmp_path, "      - stamp: 内部资料\n")
    with pytest.raises(ContentError, match="未知的内容块类型“stamp”"):
        build(src, tmp_path / "out")


def test_a_block_the_editions_are_not_told_about_is_refused_there_at_its_line(tmp_path, stamp):
    """Registered with a layout only: the PDF prints it, the web and Word editions refuse it where it is
    written rather than leave it out."""
    BLOCK_TYPES.unregister("stamp")
    register_block_type(BlockType("stamp", StampBlock, layout=lay_out_stamp))
    src = write(tmp_path, "      - paragraph: 正文。\n      - stamp: 内部资料\n")
    assert "【内部资料】" in squash(pdf_text(build(src, tmp_path / "pdf").pdf))
    with pytest.raises(ContentError) as e:
        build(src, tmp_path / "web", formats="html")
    assert "stamp" in e.value.message and "网页" in e.value.message
    assert e.value.location.line == 12 and e.value.location.file.endswith("briefing.yaml")
    assert not (tmp_path / "web").exists() or not list((tmp_path / "web").glob("*.html"))


def test_the_recipe_in_the_docs_works_as_written(tmp_path):
    """The code of docs/extending.md's block-type recipe, run as a newcomer would paste it."""
    doc = (Path(__file__).parents[1] / "docs" / "extending.md").read_text(encoding="utf-8")
    recipe = doc[doc.index("## Add a block type"):doc.index("## Add a schedule period")]
    code = re.search(r"```python\n(.*?)```", recipe, re.S).group(1)
    src = write(tmp_path, "      - stamp: 内部资料\n")
    code = code.replace('build("briefing.yaml", "output"', f'build({str(src)!r}, {str(tmp_path / "out")!r}')
    try:
        exec(compile(code, "docs/extending.md", "exec"), {})
    finally:
        BLOCK_TYPES.unregister("stamp")
    assert "【内部资料】" in squash(pdf_text(tmp_path / "out" / "briefing.pdf"))
    assert (tmp_path / "out" / "briefing.html").exists()
