"""Periods in plain builds, --period/--issue, `schedule once --dry-run`, and the complete input hash."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from briefing import build
from briefing.content import load
from briefing.schedule import History, run_once, timing
from briefing.schedule.inputs import input_files
from briefing.schedule.runner import dry_run
from test_schedule import FakeBuild, at, write_briefing

def _png(path: Path, colour=(200, 40, 40)) -> None:
    from PIL import Image

    Image.new("RGB", (40, 30), colour).save(path)


def _text(pdf: Path) -> str:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        return "".join(text.split())      # the layout puts spaces between Chinese and Latin: compare without them
    finally:
        doc.close()


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "briefing", *map(str, args)], capture_output=True, text=True)


# ---- periods in plain builds -------------------------------------------------------

def test_plain_build_knows_the_period_and_number(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly\nfirst_issue: 5",
                         paragraph="本期为{{ period.label }}情况，第{{ schedule.issue }}期。")
    result = build(src, tmp_path / "out")
    # dated 2026-11-01 in the YAML, monthly last_month: October; no history yet: first_issue
    assert "本期为2026年10月情况，第5期。" in _text(result.pdf)
    assert not (tmp_path / "out" / ".briefing-history.sqlite").exists()      # a plain build records nothing
    checked = _cli("validate", src)
    assert checked.returncode == 0, checked.stderr


def test_plain_build_without_a_schedule_section(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly", paragraph="{{ period.label }}，第{{ doc.issue }}期。",
                         extra="issue: 3")
    text = src.read_text(encoding="utf-8")
    src.write_text(text.replace("schedule:\n  preset: monthly\n", ""), encoding="utf-8")
    assert "2026年10月，第3期。" in _text(build(src, tmp_path / "out").pdf)


def test_build_any_period_with_its_date_and_number(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly\nfirst_issue: 8",
                         paragraph="{{ period.label }}，{{ doc.date }}，第{{ doc.issue }}期。")
    out = tmp_path / "out"
    assert run_once(src, out, now=at(2026, 10, 2), builder=FakeBuild()).issue == 8     # September was 第8期
    run = _cli("build", src, "-o", out, "--period", "2026-10")
    assert run.returncode == 0, run.stderr
    text = _text(out / "briefing.pdf")
    assert "2026年10月，2026-11-01，第9期。" in text            # the issue of 1 November, the next number
    again = _cli("build", src, "-o", out, "--period", "2026-09", "--name", "sep.pdf")
    assert again.returncode == 0 and "2026年9月，2026-10-01，第8期。" in _text(out / "sep.pdf")
    numbered = _cli("build", src, "-o", out, "--period", "2026-Q4", "--issue", "30", "--name", "q.pdf")
    assert numbered.returncode == 0 and "2026年10月，2026-11-01，第30期。" in _text(out / "q.pdf")


def test_period_for_quarters_and_weeks():
    from briefing.content.schema import Schedule

    q = Schedule(preset="quarterly", period="last_quarter")
    assert timing.fire_for_period(q, timing.parse_period("2026Q3")) == at(2026, 10, 1, 8)
    w = Schedule(preset="weekly", weekday="mon", period="last_week")
    assert timing.fire_for_period(w, timing.parse_period("2026-11-18")) == at(2026, 11, 23, 8)


def test_a_bad_period_is_a_located_error(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly")
    run = _cli("build", src, "-o", tmp_path / "out", "--period", "2026-13x")
    assert run.returncode == 2 and "--period" in run.stderr and "2026-13x" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "out").exists()


# ---- dry run -------------------------------------------------------------------------

def test_dry_run_says_what_would_happen_and_writes_nothing(tmp_path):
    src = write_briefing(tmp_path / "b", "preset: monthly\nfirst_issue: 3")
    out = tmp_path / "out"
    due = _cli("schedule", "once", src, "-o", out, "--dry-run", "--at", "2026-12-01T09:00")
    assert due.returncode == 0, due.stderr
    assert "将生成" in due.stdout and "2026年11月" in due.stdout and "第3期" in due.stdout
    assert "2026-12-01T08:00:00+08:00" in due.stdout and "本期尚未生成" in due.stdout
    assert not out.exists()
    run_once(src, out, now=at(2026, 12, 1, 9), builder=FakeBuild())
    same = dry_run(src, out, now=at(2026, 12, 5))
    assert (same.status, same.issue) == ("skipped", 3)
    (src.parent / "data.csv").write_text("月份,数值\n1,11\n", encoding="utf-8")
    changed = dry_run(src, out, now=at(2026, 12, 5))
    assert (changed.status, changed.message) == ("due", "输入有变化")
    later = dry_run(src, out, now=at(2027, 1, 1, 8))
    assert (later.status, later.issue, later.period.label) == ("due", 4, "2026年12月")
    assert len(History(out / ".briefing-history.sqlite").runs()) == 1


def test_dry_run_reports_a_held_lock(tmp_path):
    from filelock import FileLock

    from briefing.schedule.runner import briefing_key, lock_path

    src = write_briefing(tmp_path / "b", "preset: monthly")
    out = tmp_path / "out"
    out.mkdir()
    with FileLock(str(lock_path(out, briefing_key(src)))):
        assert dry_run(src, out, now=at(2026, 12, 5)).status == "busy"
    assert dry_run(src, out, now=at(2026, 12, 5)).status == "due"


# ---- complete input hashing ------------------------------------------------------------

FULL = """\
title: 测试简报
date: 2026-11-01
issuer: 测试单位
data:
  d: data.csv
schedule:
  preset: monthly
sections:
  - id: intro
    title: 概况
    blocks:
      - paragraph: "本期为{{ period.label }}。"
      - chart:
          type: bar
          title: 数值
          data: {file: chart.csv}
          x: 项目
          y: 数值
      - image:
          file: images/photo.png
          caption: 照片
  - include: more.yaml
"""


def _full(folder: Path) -> Path:
    (folder / "images").mkdir(parents=True)
    (folder / "data.csv").write_text("月份,数值\n1,10\n2,12\n", encoding="utf-8")
    (folder / "chart.csv").write_text("项目,数值\n甲,1\n乙,2\n", encoding="utf-8")
    _png(folder / "images" / "photo.png")
    (folder / "more.yaml").write_text("id: more\ntitle: 其他\nblocks:\n  - paragraph: 一\n", encoding="utf-8")
    (folder / "briefing.yaml").write_text(FULL, encoding="utf-8")
    return folder / "briefing.yaml"


@pytest.fixture
def program_copy(tmp_path, monkeypatch):
    """The templates and fonts from a copy, so a test can change them."""
    from briefing import fonts
    from briefing.templates import theme

    templates = tmp_path / "templates"
    shutil.copytree(theme.HERE, templates, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    font_dir = tmp_path / "fonts"
    font_dir.mkdir()
    for name in fonts.FILES.values():
        (font_dir / name).symlink_to(Path(fonts.FONT_DIR) / name)
    monkeypatch.setattr(theme, "HERE", templates)
    monkeypatch.setattr(fonts, "FONT_DIR", font_dir)
    return templates, font_dir


def _change_file(path: Path) -> None:
    data = path.read_bytes()
    path.unlink()            # fonts are symlinks to the real ones: replace, never write through
    path.write_bytes(data + b"\n")


CHANGES = {
    "yaml": lambda b, t, f: _change_file(b / "briefing.yaml"),
    "include": lambda b, t, f: _change_file(b / "more.yaml"),
    "data": lambda b, t, f: _change_file(b / "data.csv"),
    "chart data": lambda b, t, f: _change_file(b / "chart.csv"),
    "image": lambda b, t, f: _change_file(b / "images" / "photo.png"),
    "template": lambda b, t, f: _change_file(t / "jianbao.yaml"),
    "font": lambda b, t, f: _change_file(f / "BriefingSansSC-Bold.ttf"),
}


@pytest.mark.parametrize("kind", [*CHANGES, "package version"])
def test_every_kind_of_input_triggers_a_rebuild(tmp_path, program_copy, monkeypatch, kind):
    src = _full(tmp_path / "b")
    out, fake = tmp_path / "out", FakeBuild()
    assert run_once(src, out, now=at(2026, 11, 2), builder=fake).status == "ok"
    assert run_once(src, out, now=at(2026, 11, 3), builder=fake).status == "skipped"
    if kind == "package version":
        import briefing

        monkeypatch.setattr(briefing, "__version__", briefing.__version__ + ".post1")
    else:
        CHANGES[kind](src.parent, *program_copy)
    again = run_once(src, out, now=at(2026, 11, 4), builder=fake)
    assert (again.status, again.issue) == ("ok", 1), again.message
    assert len(fake.calls) == 2


def test_the_hash_covers_every_file_a_real_build_opens(tmp_path):
    """Record every file a real build opens (audit hook); each one under the content folder, the
    templates or the fonts must be among the hashed inputs."""
    from briefing import fonts
    from briefing.templates import theme

    src = _full(tmp_path / "b")
    opened: list[Path] = []
    recording = [True]

    def hook(event, args):
        if recording[0] and event == "open" and isinstance(args[0], (str, Path)):
            opened.append(Path(args[0]).resolve())

    sys.addaudithook(hook)
    try:
        build(src, tmp_path / "out")
    finally:
        recording[0] = False
    roots = [src.parent.resolve(), Path(theme.HERE).resolve(), Path(fonts.FONT_DIR).resolve()]
    read = {p for p in opened if p.is_file() and any(p.is_relative_to(r) for r in roots)}
    hashed = {p.resolve() for p in input_files(load(src))}
    assert {p.name for p in read} >= {"briefing.yaml", "more.yaml", "data.csv", "chart.csv", "photo.png"}
    assert read <= hashed, sorted(map(str, read - hashed))
