"""Editions benchmark: time and size of each format for the sample, against the PDF of the same run.

    .venv/bin/python benchmarks/bench_editions.py [--repeat 2]

Each format is built alone, in a new Python process (start-up and imports count, as for
`briefing build --format X`), with a warm chart cache (one build of every format first), then
all four together. Prints wall and CPU seconds (best of --repeat), the stage timing of the
format itself, the files and their bytes, and each format's time as a multiple of the PDF's.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ["pdf", "html", "docx", "longimage", "pdf,html,docx,longimage"]


def child(fmt: str, out: str) -> None:
    from briefing import build

    t = time.perf_counter()
    result = build(ROOT / "content" / "briefing.yaml", out, formats=fmt)
    files = [(str(p), p.stat().st_size) for paths in result.outputs.values() for p in paths]
    print(json.dumps({"seconds": time.perf_counter() - t, "timings": result.timings, "files": files}))


def run(fmt: str, cache: str) -> dict:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        cpu0 = os.times()
        proc = subprocess.run([sys.executable, __file__, "--child", fmt, out], capture_output=True, text=True,
                              env={**os.environ, "BRIEFING_CACHE_DIR": cache}, check=True)
        cpu1 = os.times()
        data = json.loads(proc.stdout.strip().splitlines()[-1])
        data["wall"] = time.perf_counter() - start
        data["cpu"] = (cpu1.children_user - cpu0.children_user) + (cpu1.children_system - cpu0.children_system)
        return data


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--child", nargs=2)
    args = ap.parse_args()
    if args.child:
        return child(*args.child)
    with tempfile.TemporaryDirectory() as cache:
        run(FORMATS[-1], cache)                          # warm the chart cache
        results = {}
        for fmt in FORMATS:
            runs = [run(fmt, cache) for _ in range(args.repeat)]
            results[fmt] = min(runs, key=lambda r: r["wall"])
    pdf = results["pdf"]
    print(f"{'format':<26}{'wall s':>8}{'cpu s':>8}{'stage s':>9}{'× pdf':>7}  files")
    for fmt, r in results.items():
        stage = sum(v for k, v in r["timings"].items() if k in fmt.split(",") or (fmt == "pdf" and k in (
            "fonts", "charts", "layout", "pdf")))
        files = r["files"]
        size = sum(s for _p, s in files)
        names = ", ".join(f"{Path(p).name} {s / 1024:.0f} kB" for p, s in files[:3])
        more = f" … {len(files)} files, {size / 1024:.0f} kB in all" if len(files) > 3 else ""
        print(f"{fmt:<26}{r['wall']:>8.2f}{r['cpu']:>8.2f}{stage:>9.2f}{r['wall'] / pdf['wall']:>7.2f}  {names}{more}")


if __name__ == "__main__":
    main()
