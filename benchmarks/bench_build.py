"""Whole-build benchmark: cold, incremental and large builds, in one run.

    .venv/bin/python benchmarks/bench_build.py [--sizes 10,50,200] [--repeat 3] [--profile PAGES]

Every build runs in a new Python process (this script with --child), so start-up
and imports count, as they do for `briefing build`. Prints:

* references: `python -c pass` and `python -c "import reportlab, matplotlib"` start-up;
* the sample (content/): cold build (empty chart cache) as `briefing build` and as
  build() with stage timings; PDF size;
* a warm rebuild after a one-word text change (copy of content/ in a temp dir):
  no chart may be re-rendered (new cache entries = 0, charts stage ~ 0 s);
* a rebuild after one CSV value changes: exactly one chart re-rendered;
* generated briefings of about 10, 50 and 200 pages (paragraphs of generated text,
  a chart every 3 pages, each chart with its own data file): pages, time per page,
  layout and charts stages, PDF bytes per page, peak memory (child ru_maxrss),
  and the ratio of time per page at the largest vs the smallest size;
* a summary of the figures above (no pass/fail: a shared machine's seconds move by 2x between runs;
  bench_compare.py sets them against references measured in the same run).

--profile PAGES: also cProfile a build of a generated briefing of that size (in
this process, imports done first) and print the top functions by cumulative time.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

# ---- child: one build in this (fresh) process ---------------------------------------

def child(path: str, out: str, preimport: bool) -> None:
    t0 = time.perf_counter()
    if preimport:
        # imports outside build()'s own clock, so build seconds compare across sizes
        import briefing.build
        import briefing.charts.render
        import briefing.layout.blocks
        import briefing.pdf  # noqa: F401
    from briefing import ContentError, build

    t1 = time.perf_counter()
    try:
        r = build(path, out)
    except ContentError as e:
        print(json.dumps({"error": str(e)}, ensure_ascii=False))
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": r.seconds, "pages": r.pages, "timings": r.timings, "charts": r.charts,
                      "bytes": r.pdf.stat().st_size, "imports": t1 - t0,
                      "maxrss_mb": usage.ru_maxrss / 1024}))


def run_child(path: Path, out: Path, cache: Path, preimport: bool = False) -> dict:
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache)}
    t = time.perf_counter()
    p = subprocess.run([PY, __file__, "--child", str(path), str(out)] + (["--preimport"] if preimport else []),
                       env=env, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    if p.returncode:
        sys.exit(f"child build failed for {path}:\n{p.stderr}")
    res = json.loads(p.stdout.strip().splitlines()[-1])
    if "error" in res:
        return res
    res["wall"] = wall
    # peak RSS of every child so far: the children run smallest first, so this is the latest one's
    res["maxrss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return res


def wall(cmd: list[str], env=None, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def cli_build(path: Path, out: Path, cache: Path) -> float:
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache)}
    return wall([PY, "-m", "briefing", "build", str(path), "-o", str(out)], env=env, repeat=1)


def top_imports(path: Path, out: Path, cache: Path, n: int = 6) -> list[tuple[float, str]]:
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache)}
    p = subprocess.run([PY, "-X", "importtime", "-m", "briefing", "build", str(path), "-o", str(out)],
                       env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    rows = []
    for line in p.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)   # top level: no indent
        if m:
            rows.append((int(m.group(1)) / 1000, m.group(2)))
    return sorted(rows, reverse=True)[:n]


def cache_entries(cache: Path) -> int:
    return sum(1 for _ in (cache / "charts").rglob("*.rlg.pickle")) if (cache / "charts").exists() else 0


# ---- generated briefings -------------------------------------------------------------

SUBJECTS = ["全区", "新区", "各园区", "规上工业企业", "重点项目", "服务业企业", "外贸企业", "科技型企业",
            "市场主体", "制造业", "各街道", "重点商圈", "物流园区", "高新技术企业"]
VERBS = ["完成", "实现", "新增", "累计完成", "带动", "吸引", "完成年度计划的"]
OBJECTS = ["固定资产投资", "营业收入", "进出口总额", "工业产值", "税收收入", "招商引资到位资金", "研发投入",
           "社会消费品零售总额", "新开工项目投资", "技术合同成交额"]
CHANGES = ["同比增长", "较上年同期提高", "环比增长", "同比下降", "较一季度加快"]
CLAUSES = ["产业结构持续优化", "发展质量稳步提升", "营商环境不断改善", "创新动能加快集聚", "开放水平进一步提高",
           "民生保障更加有力", "重点领域改革纵深推进", "区域协同发展取得新进展", "市场预期总体稳定",
           "要素保障能力明显增强", "绿色低碳转型步伐加快", "数字化改造全面铺开"]
LEADS = ["", "其中，", "同时，", "此外，", "从结构看，", "分行业看，", "总体来看，", "从趋势看，"]
TOPICS = ["经济运行", "工业生产", "固定资产投资", "消费市场", "对外贸易", "科技创新", "财政金融", "城市建设",
          "生态环境", "社会民生", "营商环境", "改革开放"]
CATS = ["一月", "二月", "三月", "四月", "五月", "六月"]
CHART_TYPES = ["bar", "line", "combo", "barh", "grouped"]
PARAS_PER_PAGE = 2          # ~150 characters each; calibrated on the jianbao page (~500 characters)
PAGES_PER_CHART = 3


def sentence(rng: random.Random) -> str:
    return (f"{rng.choice(LEADS)}{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
            f"{rng.uniform(1, 999):.1f}亿元，{rng.choice(CHANGES)}{rng.uniform(0.5, 30):.1f}%，"
            f"{rng.choice(CLAUSES)}。")


def paragraph(rng: random.Random) -> str:
    return "".join(sentence(rng) for _ in range(rng.randint(4, 6)))


def generate(folder: Path, pages: int, seed: int = 1) -> Path:
    """A briefing of about `pages` pages: sections of paragraphs, a chart every few pages."""
    rng = random.Random(seed * 1000 + pages)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    paras = pages * PARAS_PER_PAGE
    charts = max(1, pages // PAGES_PER_CHART)
    chart_every = max(1, paras // charts)
    per_section = 12
    lines = ["title: 生成的测试简报", "subtitle: 性能测试", "issue: 8", "date: 2026-01-15",
             "issuer: 基准测试办公室", "data:"]
    blocks_by_section: list[list[str]] = []
    k = 0
    for i in range(paras):
        if i % per_section == 0:
            blocks_by_section.append([])
        blocks = blocks_by_section[-1]
        if i % 5 == 3:
            blocks.append(f"      - heading: {rng.choice(TOPICS)}专题{i // 5 + 1}")
        blocks.append(f'      - paragraph: "{paragraph(rng)}"')
        if i % chart_every == chart_every - 1 and k < charts:
            name = f"c{k}"
            kind = CHART_TYPES[k % len(CHART_TYPES)]
            rows = ["月份,数值,增速,上年"] + [
                f"{m},{rng.uniform(20, 200):.1f},{rng.uniform(-5, 25):.1f},{rng.uniform(20, 200):.1f}" for m in CATS]
            (folder / "data" / f"{name}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
            lines.append(f"  {name}: data/{name}.csv")
            y = "[数值, 上年]" if kind == "grouped" else "数值"
            extra = ", y2: 增速, y2_unit: '%'" if kind == "combo" else ""
            blocks.append(f"      - chart: {{type: {kind}, data: {name}, x: 月份, y: {y}, unit: 亿元{extra}, "
                          f"title: 第{k + 1}组指标逐月变化, source: 基准测试生成}}")
            k += 1
    lines.append("sections:")
    for s, blocks in enumerate(blocks_by_section):
        lines += [f"  - id: s{s}", f"    title: {TOPICS[s % len(TOPICS)]}情况（{s + 1}）", "    blocks:"] + blocks
    path = folder / "briefing.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---- profile -----------------------------------------------------------------------

def profile(pages: int, tmp: Path, seed: int) -> None:
    import cProfile
    import pstats

    import briefing.charts.render
    import briefing.layout.blocks
    import briefing.pdf  # noqa: F401
    from briefing import build

    os.environ["BRIEFING_CACHE_DIR"] = str(tmp / "prof-cache")
    path = generate(tmp / f"prof{pages}", pages, seed)
    prof = cProfile.Profile()
    prof.enable()
    r = build(path, tmp / "prof-out")
    prof.disable()
    print(f"\n## cProfile: generated briefing, {r.pages} pages, {r.seconds:.2f} s "
          f"(stages: {', '.join(f'{k} {v:.2f}' for k, v in r.timings.items())})")
    pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


# ---- main --------------------------------------------------------------------------

def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){mem}, "
            f"Python {platform.python_version()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10,50,200")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the start-up references (median)")
    ap.add_argument("--profile", type=int, metavar="PAGES")
    ap.add_argument("--seed", type=int, default=1, help="seed of the generated text and data (default 1)")
    ap.add_argument("--child", nargs=2, metavar=("YAML", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--preimport", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child, args.preimport)
        return

    sizes = sorted(int(s) for s in args.sizes.split(","))
    results: dict[str, float] = {}
    print(f"# bench_build  {time.strftime('%Y-%m-%d %H:%M')}  {machine()}\n")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as d:
        tmp = Path(d)

        print(f"## references (new process, median of {args.repeat})")
        t_pass = wall([PY, "-c", "pass"], repeat=args.repeat)
        t_imp = wall([PY, "-c", "import reportlab, matplotlib"], repeat=args.repeat)
        t_heavy = wall([PY, "-c", "import reportlab.platypus, matplotlib.figure, openpyxl, pydantic"],
                       repeat=args.repeat)
        t_help = wall([PY, "-m", "briefing", "--help"], repeat=args.repeat)
        print(f"  python -c pass                                       {t_pass:6.2f} s")
        print(f"  python -c 'import reportlab, matplotlib'             {t_imp:6.2f} s")
        print(f"  python -c 'import reportlab.platypus, matplotlib.figure, openpyxl, pydantic'"
              f"  {t_heavy:6.2f} s")
        print(f"  python -m briefing --help                            {t_help:6.2f} s")

        print("\n## sample (content/), cold: empty chart cache, new process")
        cache = tmp / "cache"
        cold_cli = cli_build(ROOT / "content" / "briefing.yaml", tmp / "out-cli", tmp / "cache-cli")
        cold = run_child(ROOT / "content" / "briefing.yaml", tmp / "out", cache)
        print(f"  briefing build (CLI, wall)              {cold_cli:6.2f} s"
              f"   = {cold_cli / t_imp:.1f} x 'import reportlab, matplotlib', "
              f"{cold_cli - t_heavy:+.2f} s over the heavy-import reference")
        print(f"  build() in a new process (wall)         {cold['wall']:6.2f} s   build() {cold['seconds']:.2f} s, "
              f"imports before build() {cold['imports']:.2f} s")
        stages = "  ".join(f"{k} {v:.2f}" for k, v in cold["timings"].items())
        print(f"  stages (s)                              {stages}")
        print(f"  pages {cold['pages']}, charts {cold['charts']} (new cache entries {cache_entries(cache)}), "
              f"PDF {cold['bytes'] / 1e6:.2f} MB ({cold['bytes'] / cold['pages'] / 1024:.1f} KB/page), "
              f"peak RSS {cold['maxrss_mb']:.0f} MB")
        results["cold sample build"] = cold_cli
        results["sample PDF size"] = cold["bytes"] / 1e6

        print("\n## incremental rebuilds (copy of content/, warm chart cache, new process)")
        work = tmp / "content"
        shutil.copytree(ROOT / "content", work)
        run_child(work / "briefing.yaml", tmp / "out2", cache)          # same inputs: all hits
        before = cache_entries(cache)
        sec = work / "sections" / "overview.yaml"
        text = sec.read_text(encoding="utf-8")
        m = re.search(r"paragraph: \"[^\"]*?(稳步)", text) or re.search(r"paragraph: \"[^\"]*?(持续)", text)
        assert m, "no word to edit in overview.yaml"
        sec.write_text(text[:m.start(1)] + "平稳" + text[m.end(1):], encoding="utf-8")
        text_cli = cli_build(work / "briefing.yaml", tmp / "out2", cache)
        text_run = run_child(work / "briefing.yaml", tmp / "out2", cache)
        new_text = cache_entries(cache) - before
        print(f"  one word in a paragraph ({m.group(1)} -> 平稳):")
        print(f"    briefing build (CLI, wall)            {text_cli:6.2f} s   (vs cold {cold_cli:.2f} s; "
              f"'python -m briefing --help' {t_help:.2f} s)")
        print(f"    build() {text_run['seconds']:.2f} s   stages: "
              + "  ".join(f"{k} {v:.2f}" for k, v in text_run["timings"].items()))
        print(f"    charts re-rendered (new cache entries): {new_text}")
        print("    start-up: heaviest top-level imports of this rebuild (python -X importtime, cumulative ms):")
        for ms, name in top_imports(work / "briefing.yaml", tmp / "out2", cache):
            print(f"      {ms:6.0f}  {name}")
        results["text-only rebuild"] = text_cli

        csv = work / "data" / "electronics.csv"
        rows = csv.read_text(encoding="utf-8").splitlines()
        cells = rows[1].split(",")
        for j in range(len(cells) - 1, 0, -1):
            try:
                cells[j] = f"{float(cells[j]) + 1.5:g}"
                break
            except ValueError:
                continue
        rows[1] = ",".join(cells)
        csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
        before = cache_entries(cache)
        data_cli = cli_build(work / "briefing.yaml", tmp / "out2", cache)
        data_run = run_child(work / "briefing.yaml", tmp / "out2", cache)
        new_data = cache_entries(cache) - before
        print(f"  one value in data/electronics.csv ({rows[1]}):")
        print(f"    briefing build (CLI, wall)            {data_cli:6.2f} s")
        print(f"    build() {data_run['seconds']:.2f} s   stages: "
              + "  ".join(f"{k} {v:.2f}" for k, v in data_run["timings"].items()))
        print(f"    charts re-rendered (new cache entries): {new_data}   (the CLI run drew it, "
              f"build() after it found it cached: charts {data_run['timings'].get('charts', 0):.2f} s)")

        print("\n## generated briefings (new process, empty cache; imports done before build())")
        print(f"  {'target':>6} {'pages':>5} {'charts':>6} {'wall s':>7} {'build s':>7} {'s/page':>7} "
              f"{'layout s':>8} {'charts s':>8} {'pdf s':>6} {'KB/page':>7} {'peak MB':>7}")
        rows_out = []
        for n in sizes:
            path = generate(tmp / f"gen{n}", n, args.seed)
            r = run_child(path, tmp / f"gen{n}-out", tmp / f"gen{n}-cache", preimport=True)
            if "error" in r:
                print(f"  {n:>6} BUILD FAILED (seed {args.seed}): {r['error']}")
                results[f"{n}-page build"] = float("nan")
                continue
            per = r["seconds"] / r["pages"]
            rows_out.append((n, r, per))
            t = r["timings"]
            print(f"  {n:>6} {r['pages']:>5} {r['charts']:>6} {r['wall']:>7.2f} {r['seconds']:>7.2f} {per:>7.3f} "
                  f"{t.get('layout', 0):>8.2f} {t.get('charts', 0):>8.2f} {t.get('pdf', 0):>6.2f} "
                  f"{r['bytes'] / r['pages'] / 1024:>7.1f} {r['maxrss_mb']:>7.0f}")
        if len(rows_out) < 2:
            sys.exit("not enough generated builds succeeded")
        (_, r0, p0), (_, r1, p1) = rows_out[0], rows_out[-1]
        ratio = p1 / p0
        lay = (r1["timings"]["layout"] / r1["pages"]) / (r0["timings"]["layout"] / r0["pages"])
        print(f"  time per page, {r1['pages']} vs {r0['pages']} pages: {p1:.3f} / {p0:.3f} s = {ratio:.2f} "
              f"(layout stage alone: {lay:.2f}; without charts: "
              f"{((r1['seconds'] - r1['timings']['charts']) / r1['pages']) / ((r0['seconds'] - r0['timings']['charts']) / r0['pages']):.2f})")
        results["time/page ratio"] = ratio
        results[f"{rows_out[-1][0]}-page build"] = r1["wall"]
        results[f"{rows_out[-1][0]}-page peak memory"] = r1["maxrss_mb"]

        print("\n## summary (one run; compare with references of the same run, not with other days)")
        for name, value in results.items():
            unit = "MB" if "MB" in name or "memory" in name or "size" in name else "" if "ratio" in name else "s"
            print(f"  {name:<24} {value:8.2f} {unit}")
        if args.profile:
            profile(args.profile, tmp, args.seed)


if __name__ == "__main__":
    main()
