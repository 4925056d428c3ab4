"""8 batch variants of the sample that share its charts: serial against 2 workers, in the same run.

    .venv/bin/python benchmarks/bench_batch.py [--runs 3] [--workers 2] [--ref REV | --before DIR]

The matrix: the sample briefing (8 charts) in 8 variants, each with its own title and issue number; two of
them bring their own `opening_growth` data, so 10 distinct charts are drawn in all. Each run is a new
`python -m briefing batch` process with an empty chart cache, serial (--workers 1) and parallel taking
turns, so both meet the same load. With --ref REV (exported with `git archive`) or --before DIR, the other
code's serial and parallel runs take turns with them too.

Printed: min / median / max of wall and CPU seconds (the process and its workers) per configuration, the
load average before each configuration's runs, and serial ÷ parallel of the median walls. The machine is
shared: a speed-up from parallel workers is only there when cores are free (see the load average).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from bench_charts_cold import export, load, spread  # noqa: E402  (the benchmarks folder is not a package)

DISTRICTS = ["渝北", "江北", "北碚", "两江", "沙坪坝", "九龙坡", "南岸", "巴南"]


def matrix(root: Path) -> Path:
    """The sample copied into `root`, with a matrix of 8 variants beside it."""
    shutil.copytree(REPO / "content", root / "content", ignore=shutil.ignore_patterns("zhuankan"))
    variants = []
    for i, name in enumerate(DISTRICTS):
        v: dict = {"id": f"v{i}", "set": {"title": f"{name}区发展简报", "issue": i + 1}}
        if i in (2, 5):
            csv = root / f"growth-{i}.csv"
            csv.write_text(f"指标,增速\n果园港货物吞吐量,{50 + i}\n外贸进出口额,{40 + i}\n新增市场主体,{30 + i}\n"
                           f"实际利用外资,{5 + i}\n", encoding="utf-8")
            v["data"] = {"opening_growth": csv.name}
        variants.append(v)
    path = root / "matrix.yaml"
    path.write_text(yaml.safe_dump({"briefing": "content/briefing.yaml", "output": "{id}.pdf", "variants": variants},
                                   allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def one(code: Path, matrix_path: Path, workers: int, tmp: Path) -> dict:
    cache = Path(tempfile.mkdtemp(dir=tmp, prefix="cache-"))
    out = Path(tempfile.mkdtemp(dir=tmp, prefix="out-"))
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache), "PYTHONPATH": str(code), "PYTHONDONTWRITEBYTECODE": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "briefing", "batch", str(matrix_path), "-o", str(out),
                        "--workers", str(workers)], capture_output=True, text=True, env=env, cwd=tmp, check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode:
        raise SystemExit(f"{code} --workers {workers}:\n{r.stdout}\n{r.stderr}")
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == len(DISTRICTS), pdfs
    shutil.rmtree(cache)
    shutil.rmtree(out)
    return {"wall": wall, "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    side = ap.add_mutually_exclusive_group()
    side.add_argument("--ref", help="git revision to compare against as well")
    side.add_argument("--before", type=Path, help="a checkout to compare against as well")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as name:
        tmp = Path(name)
        path = matrix(tmp / "matrix")
        codes = {"this": REPO}
        if args.ref or args.before:
            codes["before"] = args.before.resolve() if args.before else export(args.ref, tmp)
        configs = [(c, w) for c in codes for w in (1, args.workers)]
        got: dict[tuple, list[dict]] = {c: [] for c in configs}
        loads: dict[tuple, list[str]] = {c: [] for c in configs}
        print(f"{len(DISTRICTS)} variants of the sample, 10 distinct charts, empty cache each run; "
              f"{os.cpu_count()} cores; load average at start: {load()}")
        for _run in range(args.runs):
            for c in configs:
                loads[c].append(load().split()[0])
                got[c].append(one(codes[c[0]], path, c[1], tmp))
        print(f"load average at end: {load()}")
    print(f"{'code':8s} {'workers':>7s} {'wall s min / median / max':>26s} {'CPU s min / median / max':>26s}"
          f"  load (1 min) before each run")
    for c in configs:
        print(f"{c[0]:8s} {c[1]:7d} {spread([r['wall'] for r in got[c]]):>26s} "
              f"{spread([r['cpu'] for r in got[c]]):>26s}  {', '.join(loads[c])}")
    for code in codes:
        serial = statistics.median(r["wall"] for r in got[(code, 1)])
        parallel = statistics.median(r["wall"] for r in got[(code, args.workers)])
        print(f"{code}: serial / {args.workers} workers, median wall: {serial / parallel:.2f}x")


if __name__ == "__main__":
    main()
