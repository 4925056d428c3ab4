"""Long tables and layout passes (imports and fonts loaded before the clock).

    .venv/bin/python benchmarks/bench_passes.py [--rows 2500,5000,10000,20000] [--runs 3] [--only tables,passes]
        [--reference TREE]

* tables: a briefing that is one data table of N rows (four columns: a name, two numbers, a short
  note), each size in a new process — CPU seconds of build() (the machine is shared: CPU time moves
  less than wall time), the layout and pdf stages (wall, median), pages; milliseconds per row and
  its ratio to the smallest table's (linear growth: every ratio about 1). Each size is built --runs
  times (min / median / max) after a small unmeasured build that loads fonts and imports.
  --reference TREE (a checkout of earlier code, e.g. `git worktree add /tmp/before COMMIT`) builds
  every size with that code too, right before this code's, and prints this/before for each size.
* passes: the sample (content/) as a 专刊 (zhuankan) and as a report (contents page) — how many
  layout passes the PDF stage runs, the CPU seconds of writing the PDF (every pdf.write of a build),
  and the share of it spent copying the story for each pass (briefing.pdf._fresh, or copy.deepcopy
  where the stage deep-copies), min / median / max over --runs builds.

Figures are seconds on a shared machine (the load average is printed beside each table row); compare
rows of one run with each other.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def table_briefing(folder: Path, rows: int, seed: int = 3) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = ["园区", "街道", "企业", "项目", "平台"]
    lines = ["名称,产值,增速,备注"]
    for i in range(rows):
        lines.append(f"{rng.choice(names)}{i + 1},{rng.uniform(1, 9999):.1f},{rng.uniform(-9, 30):.1f},"
                     f"{rng.choice(['新建', '续建', '投产', '在建'])}")
    (folder / "rows.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "briefing.yaml").write_text(
        "title: 长表基准\nissue: 1\ndate: 2026-01-15\nissuer: 基准测试办公室\n"
        "data:\n  rows: rows.csv\n"
        "sections:\n  - id: t\n    title: 明细\n    blocks:\n"
        "      - paragraph: 下表列出全部条目。\n"
        "      - table: {data: rows, title: 全部条目, source: 基准测试生成}\n", encoding="utf-8")
    return folder / "briefing.yaml"


def stats(values: list[float]) -> str:
    return f"{min(values):7.2f} {statistics.median(values):7.2f} {max(values):7.2f}"


def table_runs(rows: int, runs: int, tmp: Path) -> dict:
    """Build a table of `rows` rows `runs` times in this process (after an unmeasured small build that loads
    fonts and imports): CPU seconds of each build(), the layout and pdf stages' wall seconds, pages."""
    from briefing import build

    os.environ["BRIEFING_MAX_TABLE_ROWS"] = str(max(rows, 10000))
    build(table_briefing(tmp / "warmup", 200), tmp / "warmup-out")
    path = table_briefing(tmp / f"t{rows}", rows)
    out: dict = {"cpu": [], "layout": [], "pdf": [], "pages": 0}
    for _ in range(runs):
        c = time.process_time()
        r = build(path, tmp / f"t{rows}-out")
        out["cpu"].append(time.process_time() - c)
        out["layout"].append(r.timings.get("layout", 0))
        out["pdf"].append(r.timings.get("pdf", 0))
        out["pages"] = r.pages
    return out


def _worker(tree: Path, rows: int, runs: int) -> dict:
    """table_runs in a new process that imports briefing from `tree` (this checkout or an earlier one)."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    cmd = [sys.executable, __file__, "--worker", str(rows), "--runs", str(runs)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def tables(args) -> None:
    sizes = [int(s) for s in args.rows.split(",")]
    trees = [("this", ROOT)] + ([("before", Path(args.reference).resolve())] if args.reference else [])
    print(f"\n## tables: one table of N rows, build() in a new process per size and code, {args.runs} runs each")
    if args.reference:
        print(f"  before: the code in {args.reference}; each size runs before and this, one after the other")
    print(f"  {'code':<6} {'rows':>6} {'pages':>5}  {'cpu s: min':>12} {'median':>7} {'max':>7}  {'layout':>6} {'pdf':>6}"
          f"  {'ms/row':>7}  {'vs first':>8}  {'load':>4}")
    first: dict[str, float] = {}
    results: dict[tuple[str, int], float] = {}
    for n in sizes:
        for name, tree in trees[::-1]:
            r = _worker(tree, n, args.runs)
            cpu = statistics.median(r["cpu"])
            per = cpu / n * 1000
            first.setdefault(name, per)
            results[name, n] = cpu
            print(f"  {name:<6} {n:>6} {r['pages']:>5}  {stats(r['cpu']):>28}  {statistics.median(r['layout']):6.2f}"
                  f" {statistics.median(r['pdf']):6.2f}  {per:7.3f}  {per / first[name]:7.2f}x"
                  f"  {os.getloadavg()[0]:4.1f}", flush=True)
    if args.reference:
        print("  this vs before, CPU medians: " + ", ".join(
            f"{n} rows {results['this', n] / results['before', n]:.2f}x" for n in sizes))


def _timed(fn, calls: dict, key: str):
    """`fn`, adding the CPU seconds each call takes to calls[key]."""
    def timed(*a, **k):
        t = time.process_time()
        try:
            return fn(*a, **k)
        finally:
            calls[key] += time.process_time() - t
    return timed


def passes(args, tmp: Path) -> None:
    import briefing.pdf as pdfstage
    from briefing import build

    calls = {"passes": 0, "copy_cpu": 0.0, "pdf_cpu": 0.0}
    real_pass, real_deepcopy, real_write = pdfstage._pass, copy.deepcopy, pdfstage.write

    def counting_pass(*a, **k):
        calls["passes"] += 1
        return real_pass(*a, **k)

    timed_deepcopy = _timed(real_deepcopy, calls, "copy_cpu")
    pdfstage._pass = counting_pass
    pdfstage.write = _timed(real_write, calls, "pdf_cpu")
    real_fresh = getattr(pdfstage, "_fresh", None)
    if real_fresh:                       # the story copied per pass by a function of its own
        pdfstage._fresh = _timed(real_fresh, calls, "copy_cpu")
    pdfstage.copy = type(copy)("copy_timed")
    pdfstage.copy.deepcopy = timed_deepcopy
    pdfstage.copy.copy = copy.copy
    work = tmp / "sample"
    shutil.copytree(ROOT / "content", work)
    print(f"\n## passes: the sample in each page form, build() in one process, {args.runs} runs each")
    print(f"  {'form':<9} {'pages':>5} {'passes':>6}  {'pdf cpu s: min':>14} {'median':>7} {'max':>7}"
          f"  {'copying s':>9} {'share':>6}")
    for template in ("jianbao", "zhuankan", "report"):
        build(work / "briefing.yaml", tmp / "p-out", template=template)          # charts drawn, fonts read
        pdf, copies, n, pages = [], [], 0, 0
        for _ in range(args.runs):
            calls["passes"], calls["copy_cpu"] = 0, 0.0
            calls["pdf_cpu"] = 0.0
            r = build(work / "briefing.yaml", tmp / "p-out", template=template)
            pdf.append(calls["pdf_cpu"])
            copies.append(calls["copy_cpu"])
            n, pages = calls["passes"], r.pages
        share = statistics.median(copies) / statistics.median(pdf)
        print(f"  {template:<9} {pages:>5} {n:>6}  {stats(pdf):>30}  {statistics.median(copies):9.3f} {share:6.0%}")
    pdfstage._pass, pdfstage.write = real_pass, real_write
    if real_fresh:
        pdfstage._fresh = real_fresh
    pdfstage.copy = copy


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", default="2500,5000,10000,20000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="tables,passes")
    ap.add_argument("--reference", metavar="TREE",
                    help="a checkout of earlier code (git worktree add /tmp/before COMMIT): its tables beside these")
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        with tempfile.TemporaryDirectory(prefix="bench-passes-") as d:
            os.environ["BRIEFING_CACHE_DIR"] = str(Path(d) / "cache")
            print(json.dumps(table_runs(args.worker, args.runs, Path(d))))
        return
    only = set(args.only.split(","))
    print(f"# bench_passes  {time.strftime('%Y-%m-%d %H:%M')}  load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="bench-passes-") as d:
        os.environ["BRIEFING_CACHE_DIR"] = str(Path(d) / "cache")
        if "passes" in only:
            passes(args, Path(d))
        if "tables" in only:
            tables(args)


if __name__ == "__main__":
    main()
