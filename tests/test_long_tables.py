"""A long data table: every cell measured once and drawn once, however many pages it runs over, and
every row printed in order with the header repeated on each page."""
from __future__ import annotations

import re
from collections import Counter

import pdfplumber
import pytest
import yaml

from briefing import build
from briefing.layout.paragraph import CJKParagraph

ROWS = 240


@pytest.fixture
def long_table(tmp_path, monkeypatch):
    doc = {"title": "长表", "date": "2026-01-15", "issuer": "测试单位",
           "sections": [{"id": "t", "title": "明细", "blocks": [
               {"paragraph": "下表列出全部项目。"},
               {"table": {"title": "全部项目", "source": "测试台账",
                          "data": {"columns": {"项目": [f"项目{k}" for k in range(ROWS)],
                                               "数量": [k * 3 for k in range(ROWS)]}}}}]}]}
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    wraps: Counter = Counter()
    real = CJKParagraph.wrap

    def counting(self, availWidth, availHeight):
        if re.fullmatch(r"项目\d+|\d+", self.text):        # a body cell, not a caption or the header
            wraps[id(self)] += 1
        return real(self, availWidth, availHeight)

    monkeypatch.setattr(CJKParagraph, "wrap", counting)
    result = build(path, tmp_path / "out")
    monkeypatch.undo()
    return result, wraps


def test_a_table_over_many_pages_measures_each_cell_once_and_draws_it_once(long_table):
    result, wraps = long_table
    assert result.pages >= 5
    assert len(wraps) == 2 * ROWS
    assert Counter(wraps.values()) == {2: 2 * ROWS}      # measured once, drawn once


def test_every_row_prints_once_in_order_with_the_header_on_each_page(long_table):
    result, _wraps = long_table
    seen = []
    with pdfplumber.open(result.pdf) as pdf:
        table_pages = 0
        for page in pdf.pages:
            lines = (page.extract_text() or "").splitlines()
            rows = [(int(m.group(1)), line) for line in lines if (m := re.search(r"项目(\d+)", line))]
            if rows:
                table_pages += 1
                assert any(set(line.split()) == {"项目", "数量"} for line in lines), "the header opens every page"
            for k, line in rows:
                assert str(k * 3) in line.split(), "each row keeps its own figure"
                seen.append(k)
    assert table_pages >= 4
    assert seen == list(range(ROWS))
