"""Batch builds: 50 variants of a one-page briefing, on local cores and on a Dask LocalCluster.

One variant is broken on purpose: it must be reported failed (with its ContentError
message) while the other 49 are built, each PDF carrying its own title.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
import yaml

from briefing.batch import load_matrix, override_text, run
from briefing.cli import main
from briefing.errors import ContentError

import kit

N = 50
BRIEF = kit.briefing_yaml(
    "      - paragraph: \"本期营业收入{{ figures['营业收入'].数值 | num(1) }}亿元，"
    "同比增长{{ figures['营业收入'].增速 | pct(1) }}。\"\n"
    "      - chart: {type: bar, data: figures, x: 名称, y: 数值, unit: 亿元, title: 主要指标, height: 0.5}\n",
    data="  figures: data/figures.csv\n")


def figures_csv(revenue: str = "120.5") -> str:
    return f"名称,指标,数值,增速\n营业收入,全口径,{revenue},8.2\n固定资产投资,全口径,45.3,-2.1\n"


def small_briefing(folder: Path) -> Path:
    """A one-page briefing: a paragraph bound to data and a chart."""
    kit.write(folder, yaml_text=BRIEF, files={"data/figures.csv": figures_csv()})
    return folder
BROKEN = "v13"


def title_of(i: int) -> str:
    return f"第{i}号测试简报"


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    small_briefing(root / "brief")
    (root / "sets").mkdir()
    variants = []
    for i in range(N):
        v = {"id": f"v{i:02d}", "set": {"title": title_of(i), "issue": i + 1}}
        if i % 10 == 0:   # a few variants bring their own data (path relative to the matrix file)
            csv = root / "sets" / f"v{i:02d}.csv"
            csv.write_text(figures_csv(f"{100 + i}.5"), encoding="utf-8")
            v["data"] = {"figures": f"sets/v{i:02d}.csv"}
        if f"v{i:02d}" == BROKEN:
            v["set"]["date"] = "notadate"        # not a date: a ContentError in that build only
        variants.append(v)
    path = root / "matrix.yaml"
    path.write_text(yaml.safe_dump({"briefing": "brief/briefing.yaml", "output": "{id}.pdf", "variants": variants},
                                   allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def cache(tmp_path, monkeypatch):
    # workers (spawned processes, dask workers) inherit the environment
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))


def check_results(results, out: Path) -> None:
    import pdfplumber

    assert [r.id for r in results] == [f"v{i:02d}" for i in range(N)]
    failed = [r for r in results if not r.ok]
    assert [r.id for r in failed] == [BROKEN]
    assert "notadate" in failed[0].error and failed[0].pdf is None
    assert not (out / f"{BROKEN}.pdf").exists()
    for i, r in enumerate(results):
        if not r.ok:
            continue
        assert r.pdf == out / f"v{i:02d}.pdf" and r.pdf.is_file()
        assert r.pages == 1 and r.seconds > 0
        with pdfplumber.open(r.pdf) as pdf:
            # mixed Chinese/Latin text is spaced (四分之一空), which extraction shows as spaces
            text = "".join((p.extract_text() or "") for p in pdf.pages).replace("\n", "").replace(" ", "")
        assert title_of(i) in text, (r.id, text[:80])
        for j in range(N):   # and no other variant's title
            if j != i and len(str(j)) == len(str(i)):
                assert title_of(j) not in text
        if i % 10 == 0:      # the variant's own data set was used
            assert f"{100 + i}.5亿元" in text


@pytest.fixture
def only_in_workers(monkeypatch):
    """A build in this process fails: variants reported built were built by worker processes (a forked
    worker inherits this guard and passes it, a spawned one imports the real build)."""
    import os
    import sys

    here, real = os.getpid(), sys.modules["briefing.build"].build

    def guarded(*args, **kwargs):
        if os.getpid() == here:
            raise RuntimeError("built in the calling process, not in a worker")
        return real(*args, **kwargs)

    monkeypatch.setattr(sys.modules["briefing.build"], "build", guarded)


def test_batch_on_local_cores(matrix, tmp_path, cache, only_in_workers):
    out = tmp_path / "out"
    seen = []
    results = run(matrix, out, workers=2, on_result=seen.append)
    assert sorted(r.id for r in seen) == sorted(r.id for r in results)
    check_results(results, out)


def test_batch_on_dask_cluster(matrix, tmp_path, cache, capsys, monkeypatch, only_in_workers):
    distributed = pytest.importorskip("dask.distributed")
    import briefing.batch

    returned = []

    def run_and_keep(*args, **kwargs):
        returned.extend(run(*args, **kwargs))
        return returned

    monkeypatch.setattr(briefing.batch, "run", run_and_keep)
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        code = main(["batch", str(matrix), "-o", str(out), "--scheduler", cluster.scheduler_address])
    assert code == 2          # one variant failed
    check_results(returned, out)
    printed = capsys.readouterr().out
    for i in range(N):
        assert f"v{i:02d}" in printed
    assert re.search(r"49\s*个成功，1\s*个失败", printed)
    assert "notadate" in printed       # the broken variant's error is in the summary


def test_cli_summary_and_exit_code(tmp_path, cache, capsys):
    small_briefing(tmp_path / "b")
    m = tmp_path / "m.yaml"
    m.write_text("briefing: b\noutput: \"{id}-{issue}.pdf\"\nvariants:\n"
                 "  - {id: a, set: {title: 甲区简报, issue: 4}}\n"
                 "  - {id: b, set: {title: 乙区简报}, data: {figures: nosuch.csv}}\n", encoding="utf-8")
    code = main(["batch", str(m), "-o", str(tmp_path / "o"), "--workers", "1"])
    printed = capsys.readouterr().out
    assert code == 2
    assert (tmp_path / "o" / "a-4.pdf").is_file()
    assert "nosuch.csv" in printed and "失败" in printed and "成功" in printed


def test_matrix_errors(tmp_path):
    small_briefing(tmp_path / "b")
    m = tmp_path / "m.yaml"
    for text, words in [
        ("briefing: b\nvariants: []\n", "variants"),
        ("briefing: nowhere.yaml\nvariants: [{id: a}]\n", "nowhere.yaml"),
        ("briefing: b\nvariants: [{id: a}, {id: a}]\n", "重复"),
        ("briefing: b\nvariants: [{id: a/b}]\n", "id"),
        ("briefing: b\nvariantz: [{id: a}]\n", "variantz"),
        ("briefing: b\noutput: same.pdf\nvariants: [{id: a}, {id: b}]\n", "same.pdf"),
    ]:
        m.write_text(text, encoding="utf-8")
        with pytest.raises(ContentError, match=re.escape(words)):
            load_matrix(m, tmp_path / "o")


@pytest.mark.parametrize("variant, where, words", kit.cases("batch_variants"))
def test_a_variant_written_wrong_fails_alone_at_its_place(tmp_path, variant, where, words):
    small_briefing(tmp_path / "b")
    m = tmp_path / "m.yaml"
    m.write_text(f"briefing: b\nvariants:\n  - {variant}\n  - {{id: good}}\n", encoding="utf-8")
    wrong, good = load_matrix(m, tmp_path / "o")
    assert wrong.error is not None and where in wrong.error and words in wrong.error, wrong.error
    assert f"  3 |   - {variant}" in wrong.error           # the source line, quoted under the place
    assert good.error is None


def test_a_variant_may_pick_sections_and_a_template(tmp_path):
    small_briefing(tmp_path / "b")
    m = tmp_path / "m.yaml"
    m.write_text("briefing: b\nvariants:\n  - {id: a, only: 'intro, more', template: zhuankan}\n", encoding="utf-8")
    (job,) = load_matrix(m, tmp_path / "o")
    assert job.error is None and job.only == ["intro", "more"] and job.template == "zhuankan"


def test_variant_data_keeps_sheet_and_range_and_paths(tmp_path):
    root = tmp_path
    (root / "c" / "data").mkdir(parents=True)
    (root / "c" / "data" / "kf.xlsx").write_bytes(b"x")
    (root / "other").mkdir()
    (root / "other" / "kf.xlsx").write_bytes(b"x")
    (root / "c" / "briefing.yaml").write_text(
        "title: t\ndata:\n  kf: {file: data/kf.xlsx, sheet: 指标, range: A1:E18}\nsections: []\n", encoding="utf-8")
    (root / "m.yaml").write_text(
        "briefing: c/briefing.yaml\nvariants:\n"
        "  - {id: inside, data: {kf: c/data/kf.xlsx}}\n"
        "  - {id: outside, data: {kf: other/kf.xlsx}}\n"
        "  - {id: typo, data: {kff: other/kf.xlsx}}\n", encoding="utf-8")
    inside, outside, typo = load_matrix(root / "m.yaml", root / "o")
    assert yaml.safe_load(inside.overrides["data.kf"]) == {"sheet": "指标", "range": "A1:E18", "file": "data/kf.xlsx"}
    assert not inside.allow_outside
    assert yaml.safe_load(outside.overrides["data.kf"])["file"] == str((root / "other" / "kf.xlsx").resolve())
    assert not outside.allow_outside and outside.roots == (str(root.resolve()),)
    assert "kff" in typo.error and "kf" in typo.error


def test_override_text_reads_back_as_yaml():
    import datetime as dt

    for value in [3, 2.5, True, None, "渝北区简报", dt.date(2021, 8, 1), [1, "a"], {"copies": 200}]:
        assert yaml.safe_load(override_text(value)) == value


# Loaded by every worker process (through PYTHONPATH): notes each chart drawn and each variant build begun.
NOTING = """
import os, sys, time
import briefing.build, briefing.charts

stage = sys.modules["briefing.build"]      # (the package's `build` names the function)

def _note(what):
    with open(os.environ["BRIEFING_NOTES"], "a", encoding="utf-8") as f:
        f.write(f"{time.time():.6f} {os.getpid()} {what}\\n")

_draw, _build = briefing.charts._draw, stage.build

def draw(plan, *args, **kwargs):
    _note("draw " + "/".join(str(v) for v in plan.series[0].values))
    return _draw(plan, *args, **kwargs)

def build(*args, **kwargs):
    _note("build")
    return _build(*args, **kwargs)

briefing.charts._draw, stage.build = draw, build
"""


def test_local_batch_draws_each_shared_chart_once_before_the_variants(tmp_path, cache, monkeypatch):
    small_briefing(tmp_path / "b")
    (tmp_path / "own.csv").write_text(figures_csv("99.5"), encoding="utf-8")
    m = tmp_path / "m.yaml"
    m.write_text("briefing: b\nvariants:\n  - {id: a, set: {title: 甲区简报}}\n  - {id: b, set: {title: 乙区简报}}\n"
                 "  - {id: c, set: {title: 丙区简报}, data: {figures: own.csv}}\n"
                 "  - {id: d, set: {title: 丁区简报}}\n", encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(NOTING, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path / "site"), *sys.path]))
    monkeypatch.setenv("BRIEFING_NOTES", str(tmp_path / "notes.txt"))

    results = run(m, tmp_path / "out", workers=2)

    assert [r.status for r in results] == ["ok"] * 4
    notes = [line.split(" ", 2) for line in (tmp_path / "notes.txt").read_text(encoding="utf-8").splitlines()]
    draws = [(float(t), what) for t, _pid, what in notes if what.startswith("draw")]
    builds = [float(t) for t, _pid, what in notes if what == "build"]
    # two distinct charts among four variants (one brings its own data): each drawn once, all of them
    # before the first variant is built
    assert sorted(what for _t, what in draws) == ["draw 120.5/45.3", "draw 99.5/45.3"]
    assert len(builds) == 4 and max(t for t, _what in draws) < min(builds)
