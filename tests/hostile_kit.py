"""Helpers for the hostile-input corpus (tests/test_hostile_*.py).

Each case writes a small briefing into a temporary folder, changes one thing
for the worse, runs the command line in this process (main(), not a
subprocess: the corpus must stay fast) and checks what a user would see: the
exit status, no traceback, the location in the message, and the output folder
as it was. A build that succeeds must carry every character of its input into
the PDF's text layer.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

CSV = "行业,产值,上年\n汽车,740,552\n电子,1000,676\n材料,420,390\n"

HEAD = textwrap.dedent("""\
    title: 测试简报
    issue: 3
    date: 2026-11-01
    issuer: 测试单位
    """)


def briefing_yaml(data: str = "  gdp: data/gdp.csv\n", blocks: str = "      - paragraph: 正文一段。\n",
                  extra: str = "", sections: str | None = None) -> str:
    body = sections if sections is not None else (
        "sections:\n  - id: intro\n    title: 概况\n    blocks:\n" + blocks)
    return HEAD + extra + ("data:\n" + data if data else "") + body


def make(folder: Path, yaml_text: str | None = None, files: dict[str, str | bytes] | None = None) -> Path:
    """A content folder with data/gdp.csv, `files` and briefing.yaml; returns the YAML's path."""
    content = folder / "content"
    (content / "data").mkdir(parents=True, exist_ok=True)
    (content / "data" / "gdp.csv").write_text(CSV, encoding="utf-8")
    for name, value in (files or {}).items():
        p = content / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, bytes):
            p.write_bytes(value)
        else:
            p.write_text(value, encoding="utf-8")
    (content / "briefing.yaml").write_text(yaml_text if yaml_text is not None else briefing_yaml(), encoding="utf-8")
    return content / "briefing.yaml"


def output_folder(folder: Path) -> Path:
    """An output folder that already holds a previous issue (which must survive a failed build)."""
    out = folder / "out"
    out.mkdir(exist_ok=True)
    (out / "previous.pdf").write_bytes(b"%PDF-1.4 previous issue\n")
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass
class Outcome:
    status: int
    out: str
    err: str


def cli(capsys, *argv: str) -> Outcome:
    from briefing.cli import main

    capsys.readouterr()
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return Outcome(status, captured.out, captured.err)


def assert_refused(outcome: Outcome, status: int = 2, *where: str) -> None:
    """Refused as a user should see it: the status, a message naming `where`, no Python traceback."""
    text = outcome.err + outcome.out
    assert "Traceback" not in text and 'File "' not in text, text
    assert outcome.status == status, (outcome.status, text)
    for w in where:
        assert w in outcome.err, (w, outcome.err)


def pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages)


def every_character_printed(pdf: Path, *texts: str) -> None:
    """Each non-space character of `texts` is in the PDF's text layer, as often as it is written."""
    layer = re.sub(r"\s", "", pdf_text(pdf))
    for text in texts:
        for ch in set(re.sub(r"\s", "", text)):
            assert layer.count(ch) >= text.count(ch), (ch, f"U+{ord(ch):04X}", text)
