"""Outputs and size — a killed build leaves the previous PDF, concurrent builds are safe,
and large or degenerate content builds, or fails naming what is wrong."""
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

from kit import para, pdf_text, squash, write

TEXT = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定。"


def long_briefing(folder: Path, pages: int) -> Path:
    return write(folder, (para(TEXT * 10) * 20 + "      - pagebreak: true\n") * pages)


def is_complete_pdf(path: Path) -> int:
    from pypdf import PdfReader

    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    return len(PdfReader(str(path)).pages)


def test_chart_cache_entry_is_never_half_written(tmp_path, monkeypatch):
    """A write that dies half-way leaves the previous entry readable and no temp file behind."""
    import pickle

    from reportlab.graphics.shapes import Drawing, String

    from briefing.charts import cache

    old, new = Drawing(10, 10, String(0, 0, "旧图")), Drawing(10, 10, String(0, 0, "新图"))
    cache.store(tmp_path, "ab" * 32, old)
    seen_during_write = []

    def dump_half_then_fail(obj, f, protocol=None):
        f.write(pickle.dumps(obj)[:20])
        seen_during_write.append(cache.load(tmp_path, "ab" * 32))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.pickle, "dump", dump_half_then_fail)
    cache.store(tmp_path, "ab" * 32, new)
    monkeypatch.undo()
    for found in (*seen_during_write, cache.load(tmp_path, "ab" * 32)):
        assert found is not None and found.contents[0].text == "旧图"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["ab" * 32 + cache.SUFFIX]
    cache.store(tmp_path, "ab" * 32, new)
    assert cache.load(tmp_path, "ab" * 32).contents[0].text == "新图"


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
    "negative-pie": ("{type: pie, data: {columns: {x: [甲, 乙], y: [-1, 3]}}, x: x, y: y}", "饼图不能有负值：甲"),
    "empty": ("{type: bar, data: {columns: {x: [], y: []}}, x: x, y: y}", "没有数据（空序列）"),
}


@pytest.mark.parametrize("name", [n for n, (_, words) in CHARTS.items() if words is None])
def test_degenerate_chart_builds(tmp_path, name):
    result = build(write(tmp_path, f"      - chart: {CHARTS[name][0]}\n"), tmp_path / "out", cache_dir=tmp_path / "c")
    assert result.charts == 1
    assert "甲" in squash(pdf_text(result.pdf))        # the first category is labelled on the chart


@pytest.mark.parametrize("name", [n for n, (_, words) in CHARTS.items() if words is not None])
def test_degenerate_chart_is_refused_with_its_reason(tmp_path, name):
    spec, words = CHARTS[name]
    with pytest.raises(ContentError) as e:
        build(write(tmp_path, f"      - chart: {spec}\n"), tmp_path / "out", cache_dir=tmp_path / "c")
    assert words in str(e.value) and "briefing.yaml:11:" in str(e.value), str(e.value)
    assert "sections[0].blocks[0].chart" in str(e.value), str(e.value)
    assert not (tmp_path / "out" / "briefing.pdf").exists()


def test_ten_thousand_row_table_repeats_its_header(tmp_path):
    import pdfplumber

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "big.csv").write_text(
        "序号,名称,数值\n" + "".join(f"{i},项目{i},{i * 3}\n" for i in range(10_000)), encoding="utf-8")
    src = write(tmp_path, "      - table: {data: big, title: 大表}\n", data="  gdp: data/gdp.csv\n  big: data/big.csv\n")
    result = build(src, tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
    with_header = [i for i, t in enumerate(texts) if "序号" in t and "名称" in t and "数值" in t]
    assert len(with_header) >= 2 and len(with_header) >= result.pages - 2, (len(with_header), result.pages)
    joined = squash("\n".join(texts))
    assert "项目0" in joined and "项目9999" in joined and "29,997" in joined


def test_a_one_megabyte_paragraph_fills_every_page_in_order(tmp_path):
    from pypdf import PdfReader

    text = TEXT * (1_000_000 // len(TEXT))
    result = build(write(tmp_path, para(text)), tmp_path / "out")
    pages = PdfReader(str(result.pdf)).pages
    assert len(pages) == result.pages
    body = [squash(pages[i].extract_text()).split("—")[0] for i in (0, 1, len(pages) // 2, -1)]
    # the paragraph's first characters open page 1, its last close the last page (before its folio)
    assert TEXT[:10] in body[0] and body[-1].endswith(TEXT[-10:]), (body[0][:40], body[-1][-40:])
    # a middle page is an unbroken run of the paragraph, and the pages hold about all of it
    assert len(body[2]) > 500 and body[2] in TEXT * (len(body[2]) // len(TEXT) + 2)
    assert abs(result.pages * len(body[1]) - len(text)) < len(text) / 100, (result.pages, len(body[1]))


def test_a_500_page_document(tmp_path):
    src = write(tmp_path, "      - paragraph: &p " + para(TEXT * 8).split(": ", 1)[1]
                + ("      - paragraph: *p\n" + "      - pagebreak: true\n") * 500)
    result = build(src, tmp_path / "out")
    assert result.pages >= 500
    assert is_complete_pdf(result.pdf) == result.pages
