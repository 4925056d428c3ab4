"""Text wrapped over several source lines: YAML block scalars (| > >-) and multi-line quoted strings build
without boxes or stray spaces — Chinese lines join with nothing between them, Latin words with one space —
and CSV files saved by Excel/WPS in GBK are read."""
from __future__ import annotations

import textwrap

import pdfplumber
import pytest

from briefing import build
from briefing.content.text import join_lines
from briefing.fonts import missing_chars

BRIEFING = textwrap.dedent("""\
    title: 换行测试
    date: 2026-11-01
    issuer: 测试单位
    data:
      port: data/port.csv
    sections:
      - id: lines
        title: 多行文字
        blocks:
          - paragraph: |
              新区开放平台加快建设，
              果园港全年集装箱吞吐量
              达到{{ port['2019'].吞吐量 }}万标箱。
          - paragraph: >
              中欧班列（渝新欧）累计开行
              超过八千班，
              通达欧洲一百余个城市。
          - paragraph: >-
              The port handles
              containers for
              Chongqing and Sichuan.
          - paragraph: "保税港区的
              检验流程
              进一步简化。"
          - bullets:
              - >-
                第一条，
                分两行写。
          - paragraphs: |
              第一段的
              第一句。

              第二段的
              第一句。
    """)


@pytest.fixture(scope="module")
def pdf_text(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lines")
    (folder / "data").mkdir()
    # the way Excel/WPS on Chinese Windows save a CSV: GBK, no BOM
    (folder / "data" / "port.csv").write_bytes("年份,吞吐量\n2019,118\n".encode("gbk"))
    (folder / "briefing.yaml").write_text(BRIEFING, encoding="utf-8")
    result = build(folder / "briefing.yaml", folder / "out")
    with pdfplumber.open(result.pdf) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
        glyphs = "".join(c["text"] for page in pdf.pages for c in page.chars)
    return text, result, glyphs


def test_chinese_lines_join_without_a_space(pdf_text):
    text = pdf_text[2]      # the glyphs as drawn: a space would be one (the Latin-Chinese gap is not)
    for sentence in ("新区开放平台加快建设，果园港全年集装箱吞吐量达到118万标箱。",
                     "中欧班列（渝新欧）累计开行超过八千班，通达欧洲一百余个城市。",
                     "保税港区的检验流程进一步简化。", "第一条，分两行写。"):
        assert sentence in text, text


def test_latin_lines_join_with_one_space(pdf_text):
    # a line of the page may end after "and": the break stands for the space
    assert "The port handles containers for Chongqing and Sichuan." in pdf_text[0].replace("\n", " ")
    assert "The port handles containers for Chongqing and" in pdf_text[2]     # real space glyphs, one each


def test_a_blank_line_in_paragraphs_starts_a_new_paragraph(pdf_text):
    lines = pdf_text[0].splitlines()
    first = next(i for i, line in enumerate(lines) if "第一段的第一句。" in line)
    assert "第二段的第一句。" in lines[first + 1]


def test_no_box_and_no_control_character_reaches_the_page(pdf_text):
    text = pdf_text[0]
    assert not missing_chars(text.replace("\n", ""))
    assert not any(ord(c) < 32 for c in text.replace("\n", ""))


def test_gbk_csv_is_read_and_the_encoding_is_named(pdf_text):
    warnings = " ".join(pdf_text[1].warnings)
    assert "port.csv" in warnings and "GB18030" in warnings


@pytest.mark.parametrize("text, joined", [
    ("第一行，\n第二行。", "第一行，第二行。"),
    ("Latin\nwords", "Latin words"),
    ("汉字\nLatin", "汉字Latin"),
    ("2026年\n11月", "2026年11月"),
    ("段一\n\n\n段二\n", "段一\n\n段二"),
    ("  缩进的行  \n  下一行", "缩进的行下一行"),
])
def test_join_lines(text, joined):
    assert join_lines(text) == joined
