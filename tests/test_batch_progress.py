"""briefing.progress: stage reporting for `briefing build`, quiet when not on a terminal."""
from __future__ import annotations

import io

from briefing.progress import STAGES, Reporter, reporter


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_when_not_a_terminal():
    stream = io.StringIO()
    with reporter(stream) as progress:
        assert progress is None
    assert stream.getvalue() == ""


def test_build_reports_every_stage_in_order(tmp_path):
    from briefing import build
    from test_batch import small_briefing

    stream = Tty()
    with reporter(stream) as progress:
        assert isinstance(progress, Reporter)
        result = build(small_briefing(tmp_path / "b") / "briefing.yaml", tmp_path / "o", progress=progress)
        assert progress.seen == list(STAGES)
        assert progress.text().startswith(f"({len(STAGES)}/{len(STAGES)}) ")
    assert result.pdf.is_file()


def test_build_with_progress_none_is_silent(tmp_path, capsys):
    from briefing import build
    from test_batch import small_briefing

    with reporter(io.StringIO()) as progress:
        build(small_briefing(tmp_path / "b") / "briefing.yaml", tmp_path / "o", progress=progress)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
