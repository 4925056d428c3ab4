"""Small briefings for tests, and the text a built PDF prints.

`write(folder, blocks)` writes briefing.yaml (a head, one data set `gdp` and one
section `intro` holding `blocks`) and data/gdp.csv into `folder`; the
`write_briefing` fixture in conftest.py does the same in the test's own
temporary folder. Block lines are indented for the section's block list
(six spaces: "      - paragraph: 正文。\n"), so the first block stands on
line 11 of briefing.yaml.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

HEAD = "title: 测试简报\nissue: 3\ndate: 2026-11-01\nissuer: 测试单位\n"
GDP = "  gdp: data/gdp.csv\n"
GDP_CSV = "行业,产值,上年\n汽车,740,552\n电子,1000,676\n合计,1740,1228\n"
ONE_PARAGRAPH = "      - paragraph: 正文。\n"
INTRO = "sections:\n  - id: intro\n    title: 概况\n    blocks:\n"


def briefing_yaml(blocks: str = ONE_PARAGRAPH, *, data: str = GDP, extra: str = "",
                  sections: str | None = None) -> str:
    """The text of briefing.yaml: HEAD, `extra` top-level lines, `data:` lines, then the sections."""
    body = sections if sections is not None else INTRO + blocks
    return HEAD + extra + ("data:\n" + data if data else "") + body


def write(folder: Path, blocks: str = ONE_PARAGRAPH, *, yaml_text: str | None = None, data: str = GDP,
          csv: str = GDP_CSV, files: dict[str, str | bytes] | None = None) -> Path:
    """briefing.yaml (`yaml_text`, or built from `blocks` and `data`), data/gdp.csv and `files` in `folder`."""
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "gdp.csv").write_text(csv, encoding="utf-8")
    for name, value in (files or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, bytes):
            path.write_bytes(value)
        else:
            path.write_text(value, encoding="utf-8")
    text = yaml_text if yaml_text is not None else briefing_yaml(blocks, data=data)
    (folder / "briefing.yaml").write_text(text, encoding="utf-8")
    return folder / "briefing.yaml"


def yq(text: str) -> str:
    """`text` as a YAML double-quoted scalar (control characters and surrogates escaped)."""
    out = []
    for c in text:
        o = ord(c)
        if c in '"\\':
            out.append("\\" + c)
        elif o < 0x20 or 0x7F <= o <= 0x9F or 0xD800 <= o <= 0xDFFF or o in (0x2028, 0x2029, 0xFEFF):
            out.append(f"\\u{o:04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def para(text: str) -> str:
    """A paragraph block whose YAML double-quoted scalar holds exactly `text`."""
    return f"      - paragraph: {yq(text)}\n"


CASES = Path(__file__).parent / "cases"


def cases(name: str) -> Any:
    """The case table tests/cases/NAME.yaml: inputs and the outcome each must give, kept as data."""
    import yaml

    return yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))


FOLIO = re.compile(r"\s*—\s*\d+\s*—\s*")


def pdf_text(path: Path, folios: bool = False) -> str:
    """The text layer, page after page (lines joined by newlines), without the folios (—2—) unless asked."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    return "\n".join(line for page in pages for line in page.splitlines()
                     if folios or not FOLIO.fullmatch(line))


def squash(text: str) -> str:
    """`text` without white space (extraction shows the spacing of mixed Han and Latin text as spaces)."""
    return "".join(text.split())


def flat_text(path: Path) -> str:
    """All the text a PDF prints, folios included, with no white space: for `in` checks."""
    return squash(pdf_text(path, folios=True))


def assert_in_order(text: str, pieces: list[str]) -> None:
    """Each of `pieces` stands in `text`, one after the other (white space aside on both sides)."""
    text = squash(text)
    pos = 0
    for piece in pieces:
        i = text.find(squash(piece), pos)
        assert i >= 0, (piece, text)
        pos = i + len(squash(piece))


def drawing_pdf(drawing: Any) -> Any:
    """A ReportLab Drawing on a page of its own size, opened with pdfplumber (a chart read as it prints)."""
    import io

    import pdfplumber
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(drawing.width, drawing.height))
    renderPDF.draw(drawing, c, 0, 0)
    c.showPage()
    c.save()
    buf.seek(0)
    return pdfplumber.open(buf)
