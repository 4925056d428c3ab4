"""The cost of checking every character (briefing/data/textcheck.py) against reading the data.

Prints, for a CSV of N rows × 4 columns of mixed Chinese text and numbers: the time to read it
(the reference, measured in the same run) and the time the text check adds, and the same for the sample
briefing. The check should cost a fraction of the reading, not a multiple.

    .venv/bin/python benchmarks/bench_textcheck.py [rows]
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.content import load  # noqa: E402
from briefing.data import resolve  # noqa: E402
from briefing.data.textcheck import check_text  # noqa: E402


def best(f, n: int = 3) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "data").mkdir()
        lines = ["地区,行业,产值,说明"] + [f"区{i % 40},行业{i % 17},{i * 1.5},第{i}行的说明文字（含标点）" for i in range(rows)]
        (folder / "data" / "big.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / "briefing.yaml").write_text(
            "title: 基准\ndate: 2026-11-01\nissuer: 基准单位\ndata:\n  big: data/big.csv\nsections:\n  - id: a\n    title: 甲\n"
            "    blocks:\n      - paragraph: 正文。\n", encoding="utf-8")
        resolved = resolve(load(folder / "briefing.yaml"))
        read = best(lambda: resolve(load(folder / "briefing.yaml")))
        check = best(lambda: check_text(resolved))
        print(f"{rows} rows: read {read * 1000:.0f} ms (reference), text check {check * 1000:.0f} ms "
              f"({check / read:.0%} of reading)")
    sample = resolve(load(ROOT / "content" / "briefing.yaml"))
    read = best(lambda: resolve(load(ROOT / "content" / "briefing.yaml")))
    check = best(lambda: check_text(sample))
    print(f"sample: read {read * 1000:.0f} ms (reference), text check {check * 1000:.1f} ms ({check / read:.0%})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
