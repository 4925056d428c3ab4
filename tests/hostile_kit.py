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
from dataclasses import dataclass
from pathlib import Path

import kit
from kit import pdf_text

CSV = "行业,产值,上年\n汽车,740,552\n电子,1000,676\n材料,420,390\n"


def briefing_yaml(data: str = kit.GDP, blocks: str = "      - paragraph: 正文一段。\n",
                  extra: str = "", sections: str | None = None) -> str:
    return kit.briefing_yaml(blocks, data=data, extra=extra, sections=sections)


def make(folder: Path, yaml_text: str | None = None, files: dict[str, str | bytes] | None = None) -> Path:
    """A content folder with data/gdp.csv, `files` and briefing.yaml; returns the YAML's path."""
    return kit.write(folder / "content", yaml_text=yaml_text if yaml_text is not None else briefing_yaml(),
                     csv=CSV, files=files)


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


def every_character_printed(pdf: Path, *texts: str) -> None:
    """Each non-space character of `texts` is in the PDF's text layer, as often as it is written."""
    layer = re.sub(r"\s", "", pdf_text(pdf))
    for text in texts:
        for ch in set(re.sub(r"\s", "", text)):
            assert layer.count(ch) >= text.count(ch), (ch, f"U+{ord(ch):04X}", text)
