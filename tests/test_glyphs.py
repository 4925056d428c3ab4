"""A character the bundled fonts lack stops the build and is named (the documented policy)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from briefing import ContentError, build
from briefing.fonts import missing_chars
from kit import para

RARE = "\U00020000"   # 𠀀, CJK Extension B: outside the bundled subset


def test_the_rare_character_really_is_missing():
    assert missing_chars("两江新区" + RARE) == [RARE]


def test_build_names_the_character_its_code_point_and_section(tmp_path, write_briefing):
    src = write_briefing(para(f"新区{RARE}发展"))
    with pytest.raises(ContentError) as e:
        build(src, tmp_path / "out")
    message = str(e.value)
    assert "U+20000" in message and RARE in message
    assert "intro" in message and "briefing.yaml:11:" in message and "blocks[0].paragraph" in message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cli_exits_2_without_traceback_and_leaves_output_alone(tmp_path, write_briefing):
    src = write_briefing(para(f"新区{RARE}发展"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.pdf").write_bytes(b"%PDF-previous")
    run = subprocess.run([sys.executable, "-m", "briefing", "build", str(src), "-o", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "U+20000" in run.stderr
    assert (out / "briefing.pdf").read_bytes() == b"%PDF-previous"
    assert sorted(p.name for p in out.iterdir()) == ["briefing.pdf"]


def test_common_text_builds(tmp_path, write_briefing):
    src = write_briefing(para("新区发展“稳中有进”，增长15.0%。"))
    result = build(src, tmp_path / "out")
    assert result.pages == 1
