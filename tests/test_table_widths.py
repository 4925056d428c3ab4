"""Column widths of data tables: one very long text cell does not squeeze the other text columns."""
from __future__ import annotations

import pdfplumber

from briefing import build

from kit import squash


def test_a_long_cell_leaves_the_label_column_three_characters_wide(tmp_path, write_briefing):
    (tmp_path / "data").mkdir()
    long = "说明文字" * 125
    (tmp_path / "data" / "t.csv").write_text(f"指标,数值,单位\n建成区绿地率,32,%\n覆盖率,42,{long}\n", encoding="utf-8")
    src = write_briefing("      - table: {data: t, title: 长单元格}\n", data="  gdp: data/gdp.csv\n  t: data/t.csv\n")
    result = build(src, tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        text = squash("".join(p.extract_text() or "" for p in pdf.pages))
        chars = [c for p in pdf.pages for c in p.chars]
    # every character arrives (the rows interleave in the text layer, so count them)
    assert sum(c["text"] == "说" for c in chars) == 125 and "建成区" in text and "覆盖率" in text
    label = [c for c in chars if c["text"] in "建成区绿地率"]
    size = label[0]["size"]
    # the label column keeps at least three characters on a line: 建成区 side by side
    rows = {}
    for c in label:
        rows.setdefault(round(c["top"]), []).append(c)
    assert max(len(r) for r in rows.values()) >= 3, [len(r) for r in rows.values()]
    assert all(c["size"] == size for c in label)
