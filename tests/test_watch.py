"""`briefing watch`: a change rebuilds the PDF; broken content prints the located error and leaves the last
good PDF alone; the fix rebuilds again — all in the one process started at the beginning."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pdfplumber
import pytest

pytest.importorskip("watchfiles")

BRIEFING = textwrap.dedent("""\
    title: 监视测试
    date: 2026-11-01
    issuer: 测试单位
    sections:
      - id: a
        title: 第一栏
        blocks:
          - paragraph: "第一版的文字。"
    """)


class Watcher:
    def __init__(self, folder: Path, out: Path):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "briefing", "watch", str(folder), "-o", str(out)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: queue.Queue = queue.Queue()
        for stream, name in ((self.proc.stdout, "out"), (self.proc.stderr, "err")):
            threading.Thread(target=self._pump, args=(stream, name), daemon=True).start()

    def _pump(self, stream, name):
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, words: str, timeout: float = 120) -> list:
        seen, end = [], time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                item = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            seen.append(item)
            if words in item[1]:
                return seen
        raise AssertionError(f"no “{words}” within {timeout} s; saw {seen}")

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as doc:
        return "".join(page.extract_text() for page in doc.pages).replace("\n", "")


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_watch_rebuilds_keeps_the_last_good_pdf_and_recovers(tmp_path):
    folder, out = tmp_path / "b", tmp_path / "out"
    folder.mkdir()
    src = folder / "briefing.yaml"
    src.write_text(BRIEFING, encoding="utf-8")
    pdf = out / "briefing.pdf"
    w = Watcher(folder, out)
    try:
        w.wait_for("正在监视")
        assert "第一版的文字。" in _text(pdf)

        _edit(src, "第一版的文字。", "第二版改过的文字。")
        w.wait_for("已更新")
        assert "第二版改过的文字。" in _text(pdf)
        good = pdf.read_bytes()

        _edit(src, "title: 第一栏", "title： 第一栏")       # broken: a full-width colon
        seen = w.wait_for("保留上一次的 PDF")
        errors = "\n".join(line for stream, line in seen if stream == "err")
        assert "briefing.yaml:6:" in errors and "全角冒号" in errors, errors
        assert pdf.read_bytes() == good

        _edit(src, "title： 第一栏", "title: 第一栏")
        _edit(src, "第二版改过的文字。", "第三版修好的文字。")
        w.wait_for("已更新")
        assert "第三版修好的文字。" in _text(pdf)
        assert w.proc.poll() is None          # the same process all along
    finally:
        w.stop()
