"""Hostile corpus — faults of the machine and of briefing itself: every one ends in a plain message and exit
status 1 (environment) or 2 (content), never a traceback; a bug says "please report" and leaves its traceback
in a log file; the history database survives garbage, other schemas and locks; no temporary file is left in
the output folder after SIGTERM."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hostile_kit import assert_refused, briefing_yaml, cli, make, output_folder, snapshot

SCHEDULE = 'schedule: {preset: monthly, day: 1, time: "08:00"}\n'


def _history(tmp_path: Path) -> tuple[Path, Path, Path]:
    src = make(tmp_path, briefing_yaml(extra=SCHEDULE))
    out = tmp_path / "out"
    out.mkdir()
    return src, out, out / ".briefing-history.sqlite"


@pytest.mark.parametrize("garbage", [
    b"this is not a database at all\n" * 40,
    b"SQLite format 3\x00" + b"\xff" * 200,          # a truncated header
    b"",
])
def test_garbage_history_is_moved_aside_and_a_new_one_started(tmp_path, capsys, garbage):
    src, out, db = _history(tmp_path)
    db.write_bytes(garbage)
    outcome = cli(capsys, "schedule", "once", src, "-o", out)
    assert "Traceback" not in outcome.err
    assert outcome.status == 0, outcome.err
    if garbage:
        assert "已移到" in outcome.err, outcome.err
        aside = [p for p in out.iterdir() if ".broken-" in p.name]
        assert len(aside) == 1 and aside[0].read_bytes() == garbage
    assert len(sqlite3.connect(db).execute("SELECT * FROM runs").fetchall()) == 1


def test_history_of_another_program_is_moved_aside(tmp_path, capsys):
    src, out, db = _history(tmp_path)
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE runs (x TEXT)")
    con.execute("INSERT INTO runs VALUES ('theirs')")
    con.commit()
    con.close()
    outcome = cli(capsys, "schedule", "once", src, "-o", out)
    assert outcome.status == 0 and "已移到" in outcome.err, outcome.err
    aside = next(p for p in out.iterdir() if ".broken-" in p.name)
    assert sqlite3.connect(aside).execute("SELECT x FROM runs").fetchall() == [("theirs",)]


def test_history_that_is_a_folder_is_an_environment_error(tmp_path, capsys):
    src, out, db = _history(tmp_path)
    db.mkdir()
    assert_refused(cli(capsys, "schedule", "once", src, "-o", out), 1, "不是文件")
    assert_refused(cli(capsys, "history", "-o", out), 1, "不是文件")
    assert db.is_dir()


def test_locked_history_waits_then_says_so(tmp_path, capsys, monkeypatch):
    _src, out, db = _history(tmp_path)
    monkeypatch.setenv("BRIEFING_DB_TIMEOUT", "0.5")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        outcome = cli(capsys, "history", "-o", out)
        assert_refused(outcome, 1, "锁住", "BRIEFING_DB_TIMEOUT")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_internal_bug_asks_for_a_report_and_logs_the_traceback(tmp_path, capsys, monkeypatch):
    import importlib

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def broken(*a, **k):
        return {}["no such key"]

    monkeypatch.setattr(importlib.import_module("briefing.build"), "build", broken)
    outcome = cli(capsys, "build", make(tmp_path), "-o", tmp_path / "out")
    assert_refused(outcome, 1, "请报告", "KeyError")
    logs = list((tmp_path / "state" / "briefing").glob("briefing-crash-*.log"))
    assert len(logs) == 1 and "Traceback" in logs[0].read_text(encoding="utf-8")
    assert "broken" in logs[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("exc, status, word", [
    (MemoryError(), 1, "内存不足"),
    (RecursionError("maximum recursion depth exceeded"), 2, "嵌套过深"),
    (OSError(28, "No space left on device", "/x/out/.b.part"), 1, "磁盘空间已满"),
    (OSError(30, "Read-only file system", "/x/out"), 1, "只读"),
    (OSError(36, "File name too long", "/x/out/long"), 1, "文件名过长"),
    (sqlite3.OperationalError("disk I/O error"), 1, "历史数据库"),
])
def test_faults_raised_inside_a_stage_become_messages(tmp_path, capsys, monkeypatch, exc, status, word):
    import briefing.pdf

    def failing(*a, **k):
        raise exc

    monkeypatch.setattr(briefing.pdf, "write", failing)
    out = output_folder(tmp_path)
    before = snapshot(out)
    assert_refused(cli(capsys, "build", make(tmp_path), "-o", out), status, word)
    assert snapshot(out) == before


def _run(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefing", *args], capture_output=True, text=True, timeout=120,
                          **kw)


def test_closed_stdout_pipe_is_not_a_traceback(tmp_path):
    src = make(tmp_path)
    p = subprocess.Popen([sys.executable, "-m", "briefing", "build", str(src), "-o", str(tmp_path / "out")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()          # the reader went away (briefing build | head -0)
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) in (0, 1)
    assert "Traceback" not in err and "Exception ignored" not in err, err


def test_file_size_limit_of_the_system_is_a_message_and_leaves_no_part_file(tmp_path):
    import resource

    src = make(tmp_path)
    out = tmp_path / "out"

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    p = _run(["build", str(src), "-o", str(out)], preexec_fn=limit)
    assert p.returncode == 1 and "Traceback" not in p.stderr and "文件超过系统允许的大小" in p.stderr, p.stderr
    assert list(out.iterdir()) == []


def test_sigterm_mid_build_leaves_no_temporary_file(tmp_path):
    paragraphs = "".join(f"      - paragraph: 第{i}段，内容用于拖长排版时间。{'经济运行稳中有进。' * 40}\n" for i in range(400))
    src = make(tmp_path, briefing_yaml(blocks=paragraphs))
    out = tmp_path / "out"
    p = subprocess.Popen([sys.executable, "-m", "briefing", "build", str(src), "-o", str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(out.glob(".*.part")) and p.poll() is None:
        time.sleep(0.02)
    p.send_signal(signal.SIGTERM)
    _out, err = p.communicate(timeout=60)
    assert "Traceback" not in err.decode()
    assert [x.name for x in out.iterdir() if x.suffix == ".part"] == [] if out.exists() else True


def test_part_file_of_a_killed_build_is_removed_by_the_next_build(tmp_path, capsys):
    src = make(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    litter = out / f".briefing.{dead.pid}.x1y2.part"   # left by a SIGKILLed build whose process is gone
    litter.write_bytes(b"half a PDF")
    assert cli(capsys, "build", src, "-o", out).status == 0
    assert not litter.exists() and (out / "briefing.pdf").is_file()


def test_cron_that_never_fires_is_a_located_error(tmp_path, capsys):
    src = make(tmp_path, briefing_yaml(extra='schedule: {cron: "0 8 30 2 *"}\n'))
    for argv in (["schedule", "next", src], ["schedule", "once", src, "-o", tmp_path / "out"], ["validate", src]):
        assert_refused(cli(capsys, *argv), 2, "briefing.yaml:5", "schedule.cron", "永远不会触发")
    assert not list((tmp_path / "out").glob("*.pdf"))   # the failed run is recorded in the history, nothing built


def test_new_over_an_existing_file_is_a_message(tmp_path, capsys):
    (tmp_path / "taken").write_text("mine", encoding="utf-8")
    outcome = cli(capsys, "new", tmp_path / "taken")
    assert outcome.status in (1, 2) and "Traceback" not in outcome.err and "taken" in outcome.err
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("dpi", ["0", "-5", "100000"])
def test_preview_with_absurd_dpi_is_a_message(tmp_path, capsys, dpi):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    outcome = cli(capsys, "preview", pdf, "--dpi", dpi, "-o", tmp_path / "png")
    assert outcome.status == 2 and "Traceback" not in outcome.err and "dpi" in outcome.err.lower(), outcome.err


def test_deeply_nested_set_is_a_message(tmp_path, capsys):
    src = make(tmp_path)
    outcome = cli(capsys, "build", src, "-o", tmp_path / "out", "--set", "x=" + "[" * 100_000 + "]" * 100_000)
    assert_refused(outcome, 2, "--set")
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    outcome = cli(capsys, "build", src, "-o", tmp_path / "out", "--set", "title=" + "{" + bomb.replace("\n", ", ") + "}")
    assert outcome.status == 2 and "Traceback" not in outcome.err
    assert not (tmp_path / "out").exists()


def test_batch_survives_a_lost_worker(tmp_path):
    import multiprocessing

    from briefing.batch import run

    src = make(tmp_path)
    m = src.parent / "matrix.yaml"
    m.write_text("briefing: briefing.yaml\nvariants:\n" + "".join(
        f"  - {{id: v{i}, set: {{title: 第{i}号简报}}}}\n" for i in range(5)), encoding="utf-8")
    out = tmp_path / "out"
    killed = []

    def on_result(r):
        children = multiprocessing.active_children()
        if not killed and children:     # the first result in: kill a worker while others are still building
            os.kill(children[0].pid, signal.SIGKILL)
            killed.append(children[0].pid)

    results = run(m, out, workers=2, on_result=on_result)
    assert killed
    assert [r.id for r in results] == [f"v{i}" for i in range(5)]
    assert all(r.ok for r in results), [(r.id, r.error) for r in results]
    from hostile_kit import pdf_text

    for i in range(5):
        assert f"第{i}号简报" in "".join(pdf_text(out / f"v{i}.pdf").split())
    assert not list(out.glob(".*.part"))
