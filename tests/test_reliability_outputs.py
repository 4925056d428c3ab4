"""Outputs and size — a killed build leaves the previous PDF, concurrent builds are safe,
and large or degenerate content builds (or fails clearly) in bounded time."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefing import ContentError, build

from test_reliability import HEAD, para, pdf_text, squash, write

TEXT = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定。"


def long_briefing(folder: Path, pages: int) -> Path:
    return write(folder, (para(TEXT * 10) * 20 + "      - pagebreak: true\n") * pages)


def is_complete_pdf(path: Path) -> int:
    from pypdf import PdfReader

    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    return len(PdfReader(str(path)).pages)


def test_chart_cache_writes_atomically():
    import inspect

    from briefing.charts import cache

    src = inspect.getsource(cache.store)
    assert "mkstemp" in src and "os.replace" in src


def test_killed_build_leaves_the_previous_pdf(tmp_path):
    src = long_briefing(tmp_path, 60)
    out = tmp_path / "out"
    out.mkdir()
    previous = b"%PDF-1.4 previous issue\n%%EOF\n"
    (out / "briefing.pdf").write_bytes(previous)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen([sys.executable, "-m", "briefing", "build", str(src), "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(out.glob("*.part")) and proc.poll() is None:
            time.sleep(0.02)
        assert proc.poll() is None, "the build finished before it could be killed: make it larger"
        time.sleep(0.3)          # well into the PDF stage
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert (out / "briefing.pdf").read_bytes() == previous
    stray = [p.name for p in out.iterdir() if p.name != "briefing.pdf"]
    # SIGKILL cannot be cleaned up after: a hidden .part temp file may remain, never at the final path
    assert all(n.startswith(".briefing.") and n.endswith(".part") for n in stray), stray
    # the next build replaces the previous file and leaves its own temp file alone
    result = build(src, out)
    assert is_complete_pdf(result.pdf) == result.pages


def test_concurrent_builds_to_the_same_output_are_safe(tmp_path):
    src = long_briefing(tmp_path, 3)
    out = tmp_path / "out"
    results, errors = [], []

    def one():
        try:
            results.append(build(src, out))
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert is_complete_pdf(out / "briefing.pdf") == results[0].pages
    assert sorted(p.name for p in out.iterdir()) == ["briefing.pdf"]


def test_concurrent_processes_to_the_same_output_are_safe(tmp_path):
    src = long_briefing(tmp_path, 3)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    procs = [subprocess.Popen([sys.executable, "-m", "briefing", "build", str(src), "-o", str(out)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    assert is_complete_pdf(out / "briefing.pdf") >= 4
    assert sorted(p.name for p in out.iterdir()) == ["briefing.pdf"]


# ---- size and degenerate content ---------------------------------------------------

def test_section_with_no_blocks(tmp_path):
    src = write(tmp_path, "      []\n  - id: more\n    title: 其他\n    blocks: []\n")
    text = squash(pdf_text(build(src, tmp_path / "out").pdf))
    assert "概况" in text and "其他" in text


CHARTS = {
    "one-point-bar": ("{type: bar, data: {columns: {x: [甲], y: [1]}}, x: x, y: y}", None),
    "one-point-line": ("{type: line, data: {columns: {x: [甲], y: [1]}}, x: x, y: y}", None),
    "one-point-pie": ("{type: pie, data: {columns: {x: [甲], y: [1]}}, x: x, y: y}", None),
    "zeros-bar": ("{type: bar, data: {columns: {x: [甲, 乙], y: [0, 0]}}, x: x, y: y}", None),
    "zeros-line": ("{type: line, data: {columns: {x: [甲, 乙], y: [0, 0]}}, x: x, y: y}", None),
    "zeros-pie": ("{type: pie, data: {columns: {x: [甲, 乙], y: [0, 0]}}, x: x, y: y}", "之和为零"),
    "all-nan": ("{type: line, data: {columns: {x: [甲, 乙], y: [.nan, .nan]}}, x: x, y: y}", "没有数据"),
    "some-nan": ("{type: bar, data: {columns: {x: [甲, 乙, 丙], y: [1, .nan, 3]}}, x: x, y: y}", None),
    "inf": ("{type: bar, data: {columns: {x: [甲, 乙], y: [1, .inf]}}, x: x, y: y}", "有限数值"),
    "negative-pie": ("{type: pie, data: {columns: {x: [甲, 乙], y: [-1, 3]}}, x: x, y: y}", "any"),
    "empty": ("{type: bar, data: {columns: {x: [], y: []}}, x: x, y: y}", "any"),
}


@pytest.mark.parametrize("name", CHARTS)
def test_degenerate_chart_builds_or_explains(tmp_path, name):
    spec, words = CHARTS[name]
    src = write(tmp_path, f"      - chart: {spec}\n")
    try:
        result = build(src, tmp_path / "out", cache_dir=tmp_path / "cache")
    except ContentError as e:
        assert words is not None, f"{name} should build: {e}"
        assert words == "any" or words in str(e), str(e)
        assert "chart" in str(e)
    else:
        assert words in (None, "any"), f"{name} should fail with {words}"
        assert result.charts == 1


def test_ten_thousand_row_table_repeats_its_header(tmp_path):
    import pdfplumber

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "big.csv").write_text(
        "序号,名称,数值\n" + "".join(f"{i},项目{i},{i * 3}\n" for i in range(10_000)), encoding="utf-8")
    src = write(tmp_path, "      - table: {data: big, title: 大表}\n",
                head=HEAD.replace("gdp: data/gdp.csv", "gdp: data/gdp.csv\n  big: data/big.csv"))
    result = build(src, tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
    with_header = [i for i, t in enumerate(texts) if "序号" in t and "名称" in t and "数值" in t]
    assert len(with_header) >= 2 and len(with_header) >= result.pages - 2, (len(with_header), result.pages)
    joined = squash("\n".join(texts))
    assert "项目0" in joined and "项目9999" in joined and "29,997" in joined


def test_a_one_megabyte_paragraph_builds_or_explains_in_bounded_time(tmp_path):
    text = TEXT * (1_000_000 // len(TEXT))
    src = write(tmp_path, para(text))
    t = time.perf_counter()
    try:
        result = build(src, tmp_path / "out")
    except ContentError as e:
        assert "太大" in str(e) or "过长" in str(e), str(e)
        assert not (tmp_path / "out" / "briefing.pdf").exists()
    else:
        assert result.pages > 100
    assert time.perf_counter() - t < 60


def test_a_500_page_document(tmp_path):
    src = write(tmp_path, "      - paragraph: &p " + para(TEXT * 8).split(": ", 1)[1]
                + ("      - paragraph: *p\n" + "      - pagebreak: true\n") * 500)
    t = time.perf_counter()
    result = build(src, tmp_path / "out")
    assert result.pages >= 500
    assert time.perf_counter() - t < 60
    assert is_complete_pdf(result.pdf) == result.pages
