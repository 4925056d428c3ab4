"""`briefing schedule …` and `briefing history` run in this process through briefing.cli.main: what each
prints, what it writes, and the exit status (the end-to-end process runs are in test_schedule.py)."""
from __future__ import annotations

import pytest

from briefing.cli import main
from test_schedule import RARE, write_briefing

AT = "2026-12-01T09:00"        # the monthly run of 1 December 08:00 has fired: the issue covers 2026年11月


@pytest.fixture(autouse=True)
def _wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")     # the history table on one line a run, as a wide terminal shows it


def _run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_once_at_a_time_builds_that_period_and_history_lists_it(tmp_path, capsys):
    src = write_briefing(tmp_path / "b", "preset: monthly\nfirst_issue: 7")
    out = tmp_path / "out"
    code, printed, err = _run(capsys, "schedule", "once", src, "-o", out, "--at", AT)
    assert code == 0, err
    pdf = out / printed.splitlines()[0].rsplit("/", 1)[-1]
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF-")
    assert "2026年11月 第7期" in printed
    code, printed, _err = _run(capsys, "schedule", "once", src, "-o", out, "--at", AT)
    assert code == 0 and "跳过：2026年11月 第7期" in printed
    code, table, _err = _run(capsys, "history", src, "-o", out)
    rows = [line for line in table.splitlines() if "第7期" in line]
    assert code == 0 and len(rows) == 2, table
    assert "2026年11月" in rows[0] and "ok" in rows[0] and pdf.name in rows[0]
    assert "2026年11月" in rows[1] and "skipped" in rows[1]


def test_dry_run_says_what_it_would_build_and_writes_nothing(tmp_path, capsys):
    src = write_briefing(tmp_path / "b", "preset: monthly\nfirst_issue: 2")
    out = tmp_path / "out"
    code, printed, err = _run(capsys, "schedule", "once", src, "-o", out, "--dry-run", "--at", AT)
    assert code == 0, err
    assert "将生成：2026年11月（2026-11-01—2026-11-30）第2期" in printed
    assert "计划时间 2026-12-01T08:00:00+08:00" in printed
    assert not out.exists()


def test_a_time_that_is_not_one_is_refused_at_the_option(tmp_path, capsys):
    src = write_briefing(tmp_path / "b", "preset: monthly")
    code, _out, err = _run(capsys, "schedule", "once", src, "-o", tmp_path / "out", "--at", "下个月初")
    assert code == 2 and "--at" in err and "时间“下个月初”无法识别" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_next_lists_the_coming_issues_in_order(tmp_path, capsys):
    src = write_briefing(tmp_path / "b", "preset: weekly\nweekday: fri\nperiod: last_week\nfirst_issue: 1", extra="supplement: true")
    code, printed, err = _run(capsys, "schedule", "next", src, "-o", tmp_path / "out", "-n", "3")
    assert code == 0, err
    assert "0 8 * * fri" in printed and "Asia/Shanghai" in printed and "last_week" in printed
    lines = [line for line in printed.splitlines() if line.startswith("20")]
    assert [line.split()[1] for line in lines] == ["增刊第1期", "增刊第2期", "增刊第3期"]
    times = [line.split()[0] for line in lines]
    assert times == sorted(times) and all(t.endswith("T08:00:00+08:00") for t in times)


def test_a_failed_run_is_in_the_history_with_its_error(tmp_path, capsys):
    src = write_briefing(tmp_path / "b", "preset: monthly", paragraph=f"新区{RARE}发展")
    out = tmp_path / "out"
    code, _printed, err = _run(capsys, "schedule", "once", src, "-o", out, "--at", AT)
    assert code == 2 and "U+20000" in err
    code, table, _err = _run(capsys, "history", "-o", out)
    rows = [line for line in table.splitlines() if "│ failed │" in line]
    assert code == 0 and len(rows) == 1 and "U+20000" in table, table      # the error's lines under its run


def test_history_with_no_runs_says_so(tmp_path, capsys):
    code, printed, _err = _run(capsys, "history", "-o", tmp_path / "out")
    assert code == 0 and "没有记录" in printed
    assert not (tmp_path / "out").exists()


def test_schedule_without_an_action_prints_its_help(capsys):
    code, printed, _err = _run(capsys, "schedule")
    assert code == 0
    for action in ("run", "next", "once", "install", "notify"):
        assert action in printed


def test_notify_without_a_notify_section_is_refused(tmp_path, capsys):
    src = write_briefing(tmp_path / "b", "preset: monthly")
    code, _out, err = _run(capsys, "schedule", "notify", src, "-o", tmp_path / "out")
    assert code == 2 and "没有 notify 段" in err and "briefing.yaml" in err
