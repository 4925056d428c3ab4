"""The Chinese documentation: reachable by `briefing docs`, its links resolve, and its Markdown section
example is a section that loads."""
from __future__ import annotations

import re
from pathlib import Path

from briefing.cli import main
from briefing.content.markdown import load_markdown

ZH = Path(__file__).resolve().parents[1] / "docs" / "zh"


def test_briefing_docs_lists_every_document(capsys):
    assert main(["docs"]) == 0
    out = capsys.readouterr().out
    for doc in ZH.glob("*.md"):
        assert doc.stem in out


def test_briefing_docs_shows_one_by_chinese_or_english_name(capsys):
    assert main(["docs", "content"]) == 0
    assert capsys.readouterr().out.startswith("# 内容格式")
    assert main(["docs", "常见错误"]) == 0
    assert "全角冒号" in capsys.readouterr().out
    assert main(["docs", "nothing"]) == 2
    assert "内容格式" in capsys.readouterr().err


def test_links_between_documents_resolve():
    for doc in ZH.glob("*.md"):
        for target in re.findall(r"\]\(([^)#]+\.md)\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), (doc.name, target)


def test_the_markdown_example_is_a_valid_section(tmp_path):
    text = (ZH / "内容格式.md").read_text(encoding="utf-8")
    example = re.search(r"~~~markdown\n(.*?)\n~~~", text, re.S).group(1)
    section, _ = load_markdown(tmp_path / "x.md", example)
    kinds = [next(iter(b)) for b in section["blocks"]]
    assert kinds == ["paragraph", "heading", "paragraph", "bullets", "quote", "chart", "paragraph"]
    assert section["blocks"][-1]["paragraph"].startswith("注：[1]")
