"""Tables longer than what is left of a column, read back from the PDF in every page form: each part opens
with its caption (续表N after the first), the unit line and the header row; every row arrives once, in order;
no part holds fewer than two rows; the heavy rule and the source note close the last part only.

The briefing sets several tables one after another with paragraphs of different lengths between them,
so the tables start at many different heights of a page or column, some close to its foot.
"""
from __future__ import annotations

import io
import re

import pdfplumber
import pytest
import yaml
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table

from briefing import build
from briefing.content.schema import TableSpec
from briefing.data.dataset import Dataset
from briefing.layout.fontsetup import ensure_fonts
from briefing.layout.parts import TableUnit
from briefing.layout.table import data_table
from briefing.templates import load_theme

from test_composition import column_of, line_text, sentence, text_lines

TEMPLATES = ["jianbao", "zhuankan", "report"]
ROWS = [31, 44, 27, 58, 36]
ROW = re.compile(r"^条目(\d+)$")
CAP = re.compile(r"^(续?)表\s*(\d+)")


def table(n: int, rows: int) -> dict:
    return {"table": {"title": f"台账{n}", "source": f"测试台账{n}", "units": "单位：个",
                      "data": {"columns": {"项目": [f"条目{k}" for k in range(rows)],
                                           "数量": [k * 7 + n for k in range(rows)]}}}}


def doc(template: str, rows: list[int]) -> dict:
    blocks: list = []
    for n, count in enumerate(rows, 1):
        # lead paragraphs of 3, 8, 13… clauses: each table starts at another height of its page or column
        blocks += [{"paragraph": sentence(n * 5 + k, 3 + 5 * ((n + k) % 4))} for k in range(n % 3 + 1)]
        blocks.append(table(n, count))
    return {"title": "分表测试", "date": "2026-01-15", "issue": 1, "issuer": "测试新区管理委员会办公室",
            "template": template, "sections": [{"id": "t", "title": "明细", "blocks": blocks}]}


def make(tmp_path, template: str, rows: list[int]):
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump(doc(template, rows), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return build(path, tmp_path / "out")


def events(pdf, theme) -> list[tuple]:
    """(kind, value, page, column, top, bottom) of the table lines in reading order: caption (value: (continued,
    number)), units, header, row (value: its number), note (value: the table's number)."""
    out = []
    for p in pdf.pages:
        for line in text_lines(p):
            text = line_text(line).replace(" ", "")
            where = (p.page_number, column_of(line[0]["x0"], theme), line[0]["top"], line[0]["bottom"])
            if (m := CAP.match(text)) and abs(line[0]["size"] - theme.body_size) > 0.1:
                out.append(("caption", (bool(m.group(1)), int(m.group(2))), *where))
            elif text == "单位：个":
                out.append(("units", None, *where))
            elif text == "项目":
                out.append(("header", None, *where))
            elif m := ROW.match(text):
                out.append(("row", int(m.group(1)), *where))
            elif m := re.fullmatch(r"资料来源：测试台账(\d+)", text):
                out.append(("note", int(m.group(1)), *where))
    return sorted(out, key=lambda e: e[2:5])


def parts(pdf, theme) -> dict[int, list[list[tuple]]]:
    """Each table's parts: the events from a caption up to the next caption or note, note included."""
    tables: dict[int, list[list[tuple]]] = {}
    current: list[tuple] = []
    for e in events(pdf, theme):
        if e[0] == "caption":
            current = [e]
            tables.setdefault(e[1][1], []).append(current)
        else:
            assert current, f"{e} before any caption"
            current.append(e)
    return tables


@pytest.fixture(scope="module", params=TEMPLATES)
def split(request, tmp_path_factory):
    result = make(tmp_path_factory.mktemp(request.param), request.param, ROWS)
    theme = load_theme(request.param)
    with pdfplumber.open(result.pdf) as pdf:
        yield parts(pdf, theme), theme, pdf


def test_each_part_opens_with_caption_units_and_header_and_holds_two_rows(split):
    tables, theme, _pdf = split
    assert sorted(tables) == list(range(1, len(ROWS) + 1))
    assert any(len(p) > 1 for p in tables.values()), "some table splits"
    for n, table_parts in tables.items():
        for i, part in enumerate(table_parts):
            kinds = [e[0] for e in part]
            assert part[0][1] == (i > 0, n), f"表{n} part {i + 1} opens with {'续' if i else ''}表{n}"
            assert kinds[1:3] == ["units", "header"], (n, i, kinds[:4])
            rows = [e for e in part if e[0] == "row"]
            assert len(rows) >= TableUnit.MIN_ROWS, f"表{n} part {i + 1} has {len(rows)} rows"
            # one column of one page, every line right under the one before
            assert len({e[2:4] for e in part}) == 1, f"表{n} part {i + 1} spreads over columns"
            for above, below in zip(part, part[1:]):
                assert 0 < below[4] - above[5] < 2 * theme.body_leading, (n, i, above[:2], below[:2])


def test_every_row_arrives_once_in_order_and_the_note_closes_the_last_part(split):
    tables, _theme, _pdf = split
    for n, table_parts in tables.items():
        rows = [e[1] for part in table_parts for e in part if e[0] == "row"]
        assert rows == list(range(ROWS[n - 1])), f"表{n}"
        notes = [(i, e) for i, part in enumerate(table_parts) for e in part if e[0] == "note"]
        assert [i for i, _e in notes] == [len(table_parts) - 1], f"表{n}: one note, in the last part"
        assert table_parts[-1][-1][0] == "note" and table_parts[-1][-2][1] == ROWS[n - 1] - 1


def test_the_heavy_rule_closes_the_last_part_only(split):
    tables, theme, pdf = split
    for n, table_parts in tables.items():
        for i, part in enumerate(table_parts):
            page = pdf.pages[part[0][2] - 1]
            header = next(e for e in part if e[0] == "header")
            last = [e for e in part if e[0] == "row"][-1]
            col = part[0][3]
            rules = [(round(ln["linewidth"], 1), ln["top"]) for ln in page.lines
                     if abs(ln["top"] - ln["bottom"]) < 0.5 and column_of((ln["x0"] + ln["x1"]) / 2, theme) == col
                     and header[4] - theme.body_leading < ln["top"] < last[5] + theme.body_leading]
            above = [w for w, top in rules if top < header[4]]
            under = [w for w, top in rules if top > last[5]]
            assert above == [1.2], f"表{n} part {i + 1}: the heavy rule over its header"
            assert under == ([1.2] if i == len(table_parts) - 1 else []), f"表{n} part {i + 1}: rule under"


def test_the_last_part_keeps_two_rows_rather_than_one(tmp_path):
    """A table one row longer than the first part can hold sets one row fewer there, so its note has two
    rows above it."""
    theme = load_theme("jianbao")
    with pdfplumber.open(make(tmp_path / "a", "jianbao", [80]).pdf) as pdf:
        first = parts(pdf, theme)[1]
    fits = sum(e[0] == "row" for e in first[0])
    with pdfplumber.open(make(tmp_path / "b", "jianbao", [fits + 1]).pdf) as pdf:
        tight = parts(pdf, theme)[1]
    counts = [sum(e[0] == "row" for e in part) for part in tight]
    assert counts == [fits - 1, 2]
    assert tight[0][0][2:4] == first[0][0][2:4], "the table starts where it did"


def drawn(table: Table, width: float) -> bytes:
    """The PDF of one page with `table` drawn at its foot (no dates or ids in it)."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width, 2000), invariant=1)
    table.wrapOn(canvas, width, 2000)
    table.drawOn(canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_a_table_set_part_by_part_draws_what_reportlabs_own_split_draws():
    """Each part is made from the table's rows alone, not by splitting the rest of the table as ReportLab
    does; drawn, it must be what ReportLab's split draws, rules and row shading included."""
    ensure_fonts()
    width, room = 260.0, 230.0
    ds = Dataset("t", {"项目": [f"条目{k}" for k in range(50)], "数量": [k * 7.5 for k in range(50)],
                       "备注": [("新建项目" * (k % 3 + 1)) for k in range(50)]})
    table = data_table(ds, TableSpec(data="t", title="台账"), width, load_theme("jianbao"))
    unit, ours = TableUnit([], table, [], 0.0, floating=False), []
    while (split := unit.split(width, room)) != [unit]:
        ours.append(split[0])
        unit = split[1]
    ours.append(unit)
    assert len(ours) > 3 and [p.start for p in ours[1:]] == [p.stop for p in ours[:-1]]
    assert (ours[0].start, ours[-1].stop) == (1, len(table))
    rest = Table(table.rows, colWidths=table.widths, rowHeights=table.heights, repeatRows=1,
                 style=table.style + [table.end_rule])
    for part in ours[:-1]:
        piece = table.piece(part.start, part.stop)
        _w, h = piece.wrap(width, 10_000)
        first, rest = rest.split(width, h + 1e-6)
        assert drawn(piece, width) == drawn(first, width), (part.start, part.stop)
    assert drawn(table.piece(ours[-1].start, ours[-1].stop), width) == drawn(rest, width)
