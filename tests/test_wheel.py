"""The tool as a user installs it: a wheel, built from the repository and installed into a
fresh virtual environment in an empty folder, starts a briefing, builds it and builds the
sample without the repository's files (slow: builds and installs; CI runs it on every
submission with `python -m pytest -m slow`)."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing import __version__

REPO = Path(__file__).resolve().parents[1]


def _run(cmd, cwd, expect=0):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BRIEFING_FONT_DIR", "VIRTUAL_ENV")}
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, env=env)
    assert done.returncode == expect, (cmd, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _text(pdf: Path) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


@pytest.mark.slow
@pytest.mark.timeout(1800)     # pip installs every dependency into a new venv
def test_wheel_in_a_fresh_venv_builds_a_new_briefing_and_the_sample(tmp_path):
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, REPO], cwd=tmp_path)
    (wheel,) = dist.glob("briefing-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("briefing/bundled/fonts/BriefingSerifSC-Regular.ttf", "briefing/bundled/fonts/OFL.txt",
                 "briefing/bundled/fonts/PROVENANCE.md", "briefing/bundled/sample/briefing.yaml",
                 "briefing/bundled/docs/content.md", "briefing/templates/jianbao.yaml",
                 "briefing/locale/zh/LC_MESSAGES/argparse.po"):
        assert name in names
    assert not any(n.endswith("build_fonts.py") for n in names)      # font sources stay in the repository
    info = f"briefing-{__version__}.dist-info"
    assert f"{info}/licenses/fonts/OFL.txt" in names                 # the fonts' licence travels with them
    metadata = zipfile.ZipFile(wheel).read(f"{info}/METADATA").decode()
    assert "License-Expression: MIT AND OFL-1.1" in metadata

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    _run([venv / "bin" / "pip", "install", "-q", wheel], cwd=tmp_path)
    briefing = venv / "bin" / "briefing"
    work = tmp_path / "work"
    work.mkdir()
    located = _run([venv / "bin" / "python", "-c", "import briefing; print(briefing.__file__)"], cwd=work)
    assert Path(located.stdout.strip()).is_relative_to(venv)          # the installed copy, not the repository

    _run([briefing, "new", "demo"], cwd=work)
    built = _run([briefing, "build"], cwd=work / "demo")
    pdf = work / "demo" / "output" / "briefing.pdf"
    assert built.stdout.splitlines()[0] == "output/briefing.pdf"
    assert "工作简报" in _text(pdf)

    sample = _run([briefing, "build", "--sample", "-q"], cwd=work)
    assert sample.stdout == ""
    text = _text(work / "output" / "sample.pdf")
    assert "两江新区" in text and len(PdfReader(work / "output" / "sample.pdf").pages) > 10

    empty = tmp_path / "empty"
    empty.mkdir()
    refused = _run([briefing, "build", "--lang", "en"], cwd=empty, expect=2)
    assert "briefing new" in refused.stderr and list(empty.iterdir()) == []
    assert _run([briefing, "--version"], cwd=work).stdout.startswith("briefing ")
