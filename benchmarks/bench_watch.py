"""`briefing watch` against a cold `briefing build`, in the same run.

    .venv/bin/python benchmarks/bench_watch.py [--repeat 5]

Prints, for the sample (content/, copied to a temp dir) and for the skeleton
`briefing new` writes:

* cold: `briefing build` in a new process (start-up, imports, fonts, parsing;
  chart cache warm, as it is when one edits text) — wall seconds;
* watch: the rebuild `briefing watch` runs after a one-sentence change, in the
  warm process (what the user waits for after saving; the debounce of 0.2 s
  is not counted) — median of --repeat edits, with the stage timings;
* the ratio of the watch-mode rebuild to the cold build of the same run.

The machine is shared with other jobs, so absolute figures vary between runs;
the two columns of one run compare like with like.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cold(folder: Path, out: Path, env: dict) -> float:
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "briefing", "build", str(folder), "-o", str(out)], env=env,
                         capture_output=True, text=True)
    if run.returncode:
        sys.exit(run.stderr)
    return time.perf_counter() - start


def warm(folder: Path, out: Path, repeat: int) -> tuple[float, dict]:
    from briefing.build import build
    from briefing.watch import rebuild

    build(folder, out)                       # what `briefing watch` does first
    target = _sentence_file(folder)
    times, stages = [], []
    for i in range(repeat):
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("。", f"（第{i + 1}次修改）。", 1), encoding="utf-8")
        outcome = rebuild(folder, out)
        if not outcome.ok:
            sys.exit(outcome.error)
        times.append(outcome.seconds)
        stages.append({k: round(v, 3) for k, v in outcome.timings.items()})
    return statistics.median(times), stages[len(stages) // 2]


def _sentence_file(folder: Path) -> Path:
    for name in ("sections/industry.md", "briefing.yaml"):
        if (folder / name).exists():
            return folder / name
    raise SystemExit("no file to edit")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(tmp / "cache")}
    os.environ["BRIEFING_CACHE_DIR"] = env["BRIEFING_CACHE_DIR"]
    try:
        sample = tmp / "sample"
        shutil.copytree(ROOT / "content", sample)
        subprocess.run([sys.executable, "-m", "briefing", "new", str(tmp / "new")], env=env, check=True,
                       capture_output=True)
        rows = []
        for name, folder in (("sample (content/)", sample), ("briefing new skeleton", tmp / "new")):
            out = tmp / ("out-" + folder.name)
            cold(folder, out, env)                          # fills the chart cache, as a first build does
            c = min(cold(folder, out, env) for _ in range(2))
            w, stages = warm(folder, out, args.repeat)
            rows.append((name, c, w, stages))
        print(f"{'briefing':24} {'cold build s':>12} {'watch rebuild s':>16} {'speed-up':>9}")
        for name, c, w, _stages in rows:
            print(f"{name:24} {c:12.2f} {w:16.3f} {c / w:8.1f}×")
        for name, _c, _w, stages in rows:
            print(f"stages of a watch rebuild, {name}: {stages}")
        print(f"sample rebuild in watch mode: {rows[0][2]:.3f} s = {rows[0][2] / rows[0][1]:.2f} x its cold build")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
