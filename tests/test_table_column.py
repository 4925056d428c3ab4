"""Tables in one newspaper column (the 专刊's 17 characters) never break a number, read back from the
PDF; a table that cannot fit even smaller and with shortened headers fails naming the column."""
from __future__ import annotations

import re

import pdfplumber
import pytest
import yaml

from briefing import build
from briefing.errors import ContentError

ROWS = {
    "指标": ["果园港货物吞吐量", "外贸进出口额", "实际利用外资", "中新项目签约金额", "长安汽车3月销量"],
    "数值": [1054.0, 1355, 13.5, 107.5, 139737],
    "单位": ["万吨", "亿元", "亿美元", "亿美元", "辆"],
    "增速（%）": [56, 55, 6, None, 385.8],
}


def briefing(tmp_path, table: dict, numbers: dict | None = None):
    doc = {"title": "表格测试", "date": "2021-07-20", "issuer": "测试单位", "template": "zhuankan",
           "data": {"t": {"columns": table}},
           "sections": [{"id": "a", "title": "开放", "blocks": [
               {"paragraph": "上半年开放型经济主要指标见下表。" * 12},
               {"table": {"data": "t", "title": "开放型经济主要指标"}},
               {"paragraph": "表中数据均为上半年数。" * 20}]}]}
    if numbers:
        doc["numbers"] = numbers
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


NUMBER = re.compile(r"\d[\d,.]*")


@pytest.fixture(scope="module")
def table_pdf(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("table")
    result = build(briefing(tmp, ROWS, numbers={"group_from": 1000}), tmp / "out")
    with pdfplumber.open(result.pdf) as pdf:
        yield pdf.pages[0]


def test_every_number_prints_whole_on_one_line(table_pdf):
    lines = table_pdf.extract_text().split("\n")
    cells = {"1,054", "1,355", "13.5", "107.5", "139,737", "56", "55", "6", "385.8"}
    for value in cells:
        assert any(value in line for line in lines), (value, lines)
    # every run of digits on the page is a whole cell (or the date and folio): no piece of a number
    pieces = {w["text"] for w in table_pdf.extract_words() if NUMBER.fullmatch(w["text"])}
    assert pieces <= cells | {"2021", "7", "20", "1", "3"}, pieces - cells


def test_numbers_sit_inside_their_cells(table_pdf):
    """Each number's glyphs share one baseline: a number cut in two would sit on two."""
    for value in ("1,054", "139,737", "385.8"):
        hits = table_pdf.search(value)
        assert hits, value
        assert all(h["bottom"] - h["top"] < 12 for h in hits), (value, hits)


def test_a_table_too_wide_for_its_column_names_the_column(tmp_path):
    wide = {f"指标{i}": [123456789.25, 987654321.5] for i in range(6)}
    with pytest.raises(ContentError) as err:
        build(briefing(tmp_path, wide), tmp_path / "out")
    message = str(err.value)
    assert "指标" in message and "123,456,789.25" in message.replace("123456789.25", "123,456,789.25")
    assert err.value.location.file and err.value.location.file.endswith("briefing.yaml")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.pdf"))


def test_a_header_with_a_long_unit_is_shortened_before_the_table_fails(tmp_path):
    """A bracketed unit too wide to sit in a narrow header moves to a note under the table."""
    head = "产量（ABCDEFGHIJKLMNOP）"
    table = {"产品": ["甲", "乙"], head: [12.5, 13.5], "产值": [101.25, 99.5], "增速": [11.5, 12.25]}
    result = build(briefing(tmp_path, table), tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        text = pdf.pages[0].extract_text()
    assert "产量：ABCDEFGHIJKLMNOP" in text
    assert "12.5" in text and "101.25" in text
