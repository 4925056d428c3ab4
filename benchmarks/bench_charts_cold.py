"""50 charts of mixed types drawn with an empty cache: this checkout against another one, in the same run.

    .venv/bin/python benchmarks/bench_charts_cold.py --ref REV [--runs 5] [--charts 50]
    .venv/bin/python benchmarks/bench_charts_cold.py --before DIR

--ref REV    the code to compare against, exported with `git archive REV` into a temporary folder
--before DIR a checkout of it (its `briefing` package is imported from there)

Each run is a new process per side, the two sides taking turns, so both meet the same load. A process
imports briefing, draws one chart that is not among the 50 (matplotlib imported, fonts registered), then
draws the 50 one after the other (workers=1: CPU seconds are then the process's own) into an empty cache.
Printed: min / median / max of CPU and wall seconds for the 50 charts, and after ÷ before of the medians,
with the load average at the start and end (the machine is shared: compare ratios, not seconds).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

CHILD = r"""
import json, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[2])
t0 = time.process_time()
import briefing.charts as charts
from bench_charts_cold import jobs
from briefing.data.dataset import Dataset
theme = charts.ChartTheme()
assert charts.__file__.startswith(sys.argv[1]), charts.__file__
warm = Dataset("warm", {"x": ["a", "b"], "y": [1.0, 2.0]})
charts.render_chart({"type": "bar", "x": "x", "y": "y"}, warm, theme, 300.0, cache_dir=False)
js = jobs(theme, int(sys.argv[3]))
with tempfile.TemporaryDirectory() as cache:
    c, w = time.process_time(), time.perf_counter()
    charts.render_charts(js, cache_dir=cache, workers=1)
    cpu, wall = time.process_time() - c, time.perf_counter() - w
print(json.dumps({"cpu": cpu, "wall": wall}))
"""


def jobs(theme, n: int = 50) -> list:
    """`n` different charts: every drawn type, at a full width, a half width and a narrow column."""
    from briefing.data.dataset import Dataset

    years = [f"{y}年" for y in range(2016, 2024)]
    months = [f"2021-{m:02d}" for m in range(1, 13)]
    parks = ["两路寸滩综合保税区", "果园港", "鱼复工业园", "龙兴工业园", "水土高新园", "悦来会展城"]
    kinds = [
        ("bar", years, 1), ("grouped", years, 2), ("stacked", years, 3), ("line", months, 2),
        ("area", months, 1), ("barh", parks, 1), ("pie", parks, 1), ("donut", parks, 1), ("combo", years, 1),
        ("bar", parks, 1), ("grouped", parks, 2),
    ]
    widths = (430.0, 250.0, 178.5)
    out = []
    for i in range(n):
        kind, cats, k = kinds[i % len(kinds)]
        width = widths[(i // len(kinds)) % len(widths)]
        f = 1 + i / 37
        cols = {"名": cats}
        names = ["产值", "投资", "出口"][:k]
        for j, name in enumerate(names):
            cols[name] = [round((120 + 37 * ((c * 7 + j * 3 + i) % 11)) * f, 1) for c in range(len(cats))]
        cols["增速"] = [round(((c * 5 + i) % 13 - 3) * 1.7, 1) for c in range(len(cats))]
        spec = {"type": kind, "x": "名", "y": names if k > 1 else names[0], "unit": "亿元"}
        if kind == "combo":
            spec["y2"] = "增速"
        if kind in ("pie", "donut"):
            spec.pop("unit")
        out.append((spec, Dataset(f"d{i}", cols), theme, width, None, f"图{i + 1}"))
    return out


def export(ref: str, into: Path) -> Path:
    """The repository at `ref` as plain files (git archive): no worktree, nothing changed in the repository."""
    tar = into / "src.tar"
    with open(tar, "wb") as f:
        subprocess.run(["git", "-C", str(REPO), "archive", ref], stdout=f, check=True)
    with tarfile.open(tar) as t:
        t.extractall(into / "src", filter="data")
    return into / "src"


def one(code: Path, n: int) -> dict:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    r = subprocess.run([sys.executable, "-c", CHILD, str(code), str(HERE), str(n)], capture_output=True, text=True,
                       env=env, check=False)
    if r.returncode:
        raise SystemExit(f"{code}: {r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def spread(values: list[float]) -> str:
    return f"{min(values):6.2f} / {statistics.median(values):6.2f} / {max(values):6.2f}"


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    side = ap.add_mutually_exclusive_group(required=True)
    side.add_argument("--ref", help="git revision to compare against")
    side.add_argument("--before", type=Path, help="a checkout to compare against")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--charts", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-charts-cold-") as tmp:
        before = args.before.resolve() if args.before else export(args.ref, Path(tmp))
        sides = {"before": before, "after": REPO}
        print(f"{args.charts} charts, empty cache, one process per run; before = {args.ref or before}")
        print(f"load average at start: {load()}")
        got: dict[str, list[dict]] = {"before": [], "after": []}
        for _run in range(args.runs):
            for name, code in sides.items():
                got[name].append(one(code, args.charts))
        print(f"load average at end:   {load()}")
    print(f"{'':8s} {'CPU s min / median / max':>26s}   {'wall s min / median / max':>26s}")
    for name in sides:
        print(f"{name:8s} {spread([r['cpu'] for r in got[name]]):>26s}   {spread([r['wall'] for r in got[name]]):>26s}")
    for what in ("cpu", "wall"):
        b = statistics.median(r[what] for r in got["before"])
        a = statistics.median(r[what] for r in got["after"])
        print(f"after / before, median {what}: {a / b:.2f}x")


if __name__ == "__main__":
    main()
