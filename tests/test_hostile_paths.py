"""Hostile corpus — paths: every path the content names stays inside the content folder (outputs inside
the output folder) unless --allow-outside is given; names no file system can hold, symlink loops, FIFOs
and devices are located content errors (exit 2), never tracebacks, and the output folder is untouched."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from hostile_kit import assert_refused, briefing_yaml, cli, make, output_folder, snapshot

# where each kind of path is written, and the field path the message must name
KINDS = {
    "include": (lambda p: briefing_yaml(sections=f"sections:\n  - include: {p}\n"), "sections[0].include"),
    "data": (lambda p: briefing_yaml(data=f"  gdp: {p}\n"), "data.gdp"),
    "data-file": (lambda p: briefing_yaml(data=f"  gdp: {{file: {p}}}\n"), "data.gdp"),
    "data-include": (lambda p: briefing_yaml(data=f"  include: {p}\n"), "data.include"),
    "image": (lambda p: briefing_yaml(blocks=f"      - image: {{file: {p}}}\n"), "image.file"),
    "table-inline": (lambda p: briefing_yaml(blocks=f"      - table: {{data: {{file: {p}}}}}\n"), "table"),
}


def _setup(content: Path, outside: Path) -> None:
    outside.mkdir(exist_ok=True)
    (outside / "secret.csv").write_text("机密,值\n甲,1\n", encoding="utf-8")
    (content / "loop").symlink_to(content / "loop")
    (content / "a").symlink_to(content / "b")
    (content / "b").symlink_to(content / "a")
    (content / "escape.csv").symlink_to(outside / "secret.csv")
    (content / "escape-dir").symlink_to(outside)
    os.mkfifo(content / "fifo.csv")
    (content / "folder").mkdir()


# the bad path as written in YAML, and a word the message must contain
BAD = {
    "dotdot": ('"../outside/secret.csv"', "内容目录之外"),
    "absolute": ('"/etc/passwd"', "绝对路径"),
    "dev-zero": ('"/dev/zero"', "绝对路径"),
    "nul-byte": ('"data/gdp\\0.csv"', "NUL"),
    "long-name": ('"' + "长" * 2000 + '.csv"', "过长"),
    "long-path": ('"' + "/".join(["d" * 200] * 30) + '.csv"', "过长"),
    "symlink-loop": ('"loop"', "循环"),
    "symlink-cycle": ('"a"', "循环"),
    "symlink-escape": ('"escape.csv"', "内容目录之外"),
    "symlink-dir-escape": ('"escape-dir/secret.csv"', "内容目录之外"),
    "fifo": ('"fifo.csv"', "不是普通文件"),
    "folder": ('"folder"', "目录"),
    "missing": ('"nope.csv"', "找不到"),
    "empty": ('""', "空"),
    "not-text": ("[1, 2]", "文字"),
}


@pytest.mark.parametrize("bad", sorted(BAD))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_path_refused(tmp_path, capsys, kind, bad):
    text, field = KINDS[kind]
    written, word = BAD[bad]
    if kind == "include" and bad == "not-text":
        pytest.skip("an include of a list is a section error, covered in test_hostile_content")
    src = make(tmp_path)
    _setup(src.parent, tmp_path / "outside")
    src.write_text(text(written), encoding="utf-8")
    out = output_folder(tmp_path)
    before = snapshot(out)
    outcome = cli(capsys, "build", src, "-o", out)
    assert_refused(outcome, 2, "briefing.yaml:", field)
    if kind not in ("table-inline",) and bad not in ("not-text",):
        assert word in outcome.err, outcome.err
    assert snapshot(out) == before
    assert "机密" not in outcome.err + outcome.out


@pytest.mark.parametrize("bad", ["fifo", "dev-zero", "symlink-escape"])
def test_allow_outside_still_refuses_what_cannot_be_read(tmp_path, capsys, bad):
    src = make(tmp_path)
    _setup(src.parent, tmp_path / "outside")
    written, _word = BAD[bad]
    src.write_text(briefing_yaml(data=f"  gdp: {written}\n"), encoding="utf-8")
    out = output_folder(tmp_path)
    outcome = cli(capsys, "build", src, "-o", out, "--allow-outside")
    if bad == "symlink-escape":   # the user allowed it: the file outside is read
        assert outcome.status == 0, outcome.err
        return
    assert_refused(outcome, 2, "data.gdp", "不是普通文件")


@pytest.mark.parametrize("pattern, word", [
    ('"../escaped.pdf"', "之外"),
    ('"../../escaped.pdf"', "之外"),
    ('"/tmp/escaped-by-pattern.pdf"', "绝对路径"),
    ('"sub/../../escaped.pdf"', "之外"),
    ('"{title:>999999999}.pdf"', "宽度"),
    ('"{date.__class__}.pdf"', "不可用"),
    ('"{title[0]}.pdf"', "不可用"),
    ('"{nope}.pdf"', "不可用"),
    ('"{title"', "无效"),
    ('"a\\0b.pdf"', "NUL"),
    ('"' + "名" * 300 + '.pdf"', "过长"),
    ('"folder"', "不是普通文件"),
])
def test_output_pattern_stays_in_the_output_folder(tmp_path, capsys, pattern, word):
    src = make(tmp_path, briefing_yaml(extra=f"output: {pattern}\n"))
    out = output_folder(tmp_path)
    (out / "folder").mkdir()
    before = snapshot(out)
    outcome = cli(capsys, "build", src, "-o", out)
    assert_refused(outcome, 2, "briefing.yaml:", "output", word)
    assert snapshot(out) == before
    assert not (tmp_path / "escaped.pdf").exists() and not Path("/tmp/escaped-by-pattern.pdf").exists()


def test_output_pattern_may_use_a_subfolder_of_the_output_folder(tmp_path, capsys):
    src = make(tmp_path, briefing_yaml(extra='output: "2026/{date:%Y%m%d}-简报.pdf"\n'))
    out = output_folder(tmp_path)
    outcome = cli(capsys, "build", src, "-o", out)
    assert outcome.status == 0, outcome.err
    assert (out / "2026" / "20261101-简报.pdf").is_file()


def _matrix(tmp_path: Path, data: str, extra: str = "") -> Path:
    src = make(tmp_path)
    (tmp_path / "outside").mkdir(exist_ok=True)
    (tmp_path / "outside" / "secret.csv").write_text("行业,产值,上年\n机密,1,1\n", encoding="utf-8")
    m = src.parent / "matrix.yaml"
    m.write_text(f"briefing: briefing.yaml\n{extra}variants:\n  - id: a\n    data: {{gdp: {data}}}\n"
                 "  - id: b\n", encoding="utf-8")
    return m


@pytest.mark.parametrize("data, word", [
    ('"../outside/secret.csv"', "之外"),
    (None, "绝对路径"),
    ('"data/gdp\\0.csv"', "NUL"),
    ('"nope.csv"', "找不到"),
])
def test_batch_variant_data_stays_in_the_matrix_folder(tmp_path, capsys, data, word):
    data = data or f'"{tmp_path / "outside" / "secret.csv"}"'
    m = _matrix(tmp_path, data)
    out = tmp_path / "out"
    outcome = cli(capsys, "batch", m, "-o", out, "--workers", "1")
    text = outcome.err + outcome.out
    assert "Traceback" not in text
    assert outcome.status != 0
    assert word in text and "variants[0].data.gdp" in text, text
    assert (out / "b.pdf").is_file() and not (out / "a.pdf").exists()
    from hostile_kit import pdf_text

    assert "机密" not in pdf_text(out / "b.pdf")


def test_batch_output_pattern_cannot_leave_the_output_folder(tmp_path, capsys):
    src = make(tmp_path)
    m = src.parent / "matrix.yaml"
    m.write_text('briefing: briefing.yaml\noutput: "../{id}.pdf"\nvariants:\n  - id: a\n', encoding="utf-8")
    outcome = cli(capsys, "batch", m, "-o", tmp_path / "out", "--workers", "1")
    assert "Traceback" not in outcome.err and outcome.status != 0
    assert "matrix.yaml" in outcome.err + outcome.out and not (tmp_path / "a.pdf").exists()


def test_main_file_nul_and_fifo(tmp_path, capsys):
    os.mkfifo(tmp_path / "main.yaml")
    assert_refused(cli(capsys, "build", tmp_path / "main.yaml", "-o", tmp_path / "o"), 2, "main.yaml", "不是普通文件")
    assert_refused(cli(capsys, "validate", tmp_path / "main.yaml"), 2, "main.yaml")
    assert_refused(cli(capsys, "build", "a\x00b.yaml", "-o", tmp_path / "o"), 2, "NUL")
    assert_refused(cli(capsys, "build", "x" * 5000 + ".yaml", "-o", tmp_path / "o"), 2, "过长")
    assert not (tmp_path / "o").exists()
