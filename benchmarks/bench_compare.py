"""briefing against stock ReportLab and Typst on the same text, in one run.

    .venv/bin/python benchmarks/bench_compare.py [--runs 5] [--chars 9923] [--only text,sample,warm,big]

Every figure is a ratio to a reference measured in the same run on the same machine (a shared
machine's absolute seconds move by 2x between runs; ratios of interleaved runs hardly move).
Each row prints min / median / max over --runs new processes; the ratio is of the medians.
No thresholds: the figures are for a reader to judge.

Sections (--only picks some):

* text: a text-only briefing of --chars characters (generated sentences, headings every few
  paragraphs, no charts, no data), whole process, wall time and peak memory:
  - `briefing build` (the CLI, as a user runs it);
  - stock ReportLab: a script that registers the same Song face and sets the same paragraphs with
    `Paragraph(wordWrap="CJK")` in a SimpleDocTemplate — what ReportLab alone costs;
  - Typst (the `typst` package, `pip install -e '.[bench]'`): the same paragraphs in a .typ source
    with the same font folder; skipped with a note when the package is absent;
  - `build()` a second time in one warm process (what `briefing watch` and batch workers pay).
* sample: the bundled sample (content/) cold (empty chart cache), and after a one-sentence edit with
  the chart cache warm, both in a new process; and the same edit in a warm process.
* big: a text-only briefing of about 1,000,000 characters as jianbao and as report (contents page):
  wall, peak memory, pages, time per page; Typst on the same text when installed.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

# ---- generated text ------------------------------------------------------------------------

SUBJECTS = ["全区", "新区", "各园区", "规上工业企业", "重点项目", "服务业企业", "外贸企业", "科技型企业",
            "市场主体", "制造业", "各街道", "重点商圈", "物流园区", "高新技术企业"]
VERBS = ["完成", "实现", "新增", "累计完成", "带动", "吸引"]
OBJECTS = ["固定资产投资", "营业收入", "进出口总额", "工业产值", "税收收入", "招商引资到位资金", "研发投入",
           "社会消费品零售总额", "新开工项目投资", "技术合同成交额"]
CHANGES = ["同比增长", "较上年同期提高", "环比增长", "同比下降", "较一季度加快"]
CLAUSES = ["产业结构持续优化", "发展质量稳步提升", "营商环境不断改善", "创新动能加快集聚", "开放水平进一步提高",
           "民生保障更加有力", "重点领域改革纵深推进", "区域协同发展取得新进展", "市场预期总体稳定"]
LEADS = ["", "其中，", "同时，", "此外，", "从结构看，", "分行业看，", "总体来看，"]
TOPICS = ["经济运行", "工业生产", "固定资产投资", "消费市场", "对外贸易", "科技创新", "财政金融", "城市建设"]


def paragraphs(chars: int, seed: int = 1) -> list[str]:
    """Paragraphs of generated sentences, `chars` characters in all (the last one cut to fit)."""
    rng = random.Random(seed)
    out, total = [], 0
    while total < chars:
        p = "".join(f"{rng.choice(LEADS)}{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
                    f"{rng.uniform(1, 999):.1f}亿元，{rng.choice(CHANGES)}{rng.uniform(0.5, 30):.1f}%，"
                    f"{rng.choice(CLAUSES)}。" for _ in range(rng.randint(3, 6)))
        p = p[:chars - total]
        out.append(p)
        total += len(p)
    return out


def write_briefing(folder: Path, paras: list[str], template: str = "jianbao") -> Path:
    """A briefing of these paragraphs: a section every 12 paragraphs, a heading every 5."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["title: 文本基准简报", "issue: 1", "date: 2026-01-15", "issuer: 基准测试办公室",
             f"template: {template}", "sections:"]
    for i, p in enumerate(paras):
        if i % 12 == 0:
            lines += [f"  - id: s{i // 12}", f"    title: {TOPICS[(i // 12) % len(TOPICS)]}（{i // 12 + 1}）",
                      "    blocks:"]
        if i % 5 == 3:
            lines.append(f"      - heading: {TOPICS[i % len(TOPICS)]}专题{i // 5 + 1}")
        lines.append(f'      - paragraph: "{p}"')
    path = folder / "briefing.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "paras.json").write_text(json.dumps(paras, ensure_ascii=False), encoding="utf-8")
    return path


# ---- references -----------------------------------------------------------------------------

REPORTLAB = r'''
import json, sys
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate
pdfmetrics.registerFont(TTFont("Song", sys.argv[3]))
paras = json.load(open(sys.argv[1], encoding="utf-8"))
style = ParagraphStyle("body", fontName="Song", fontSize=12, leading=21, firstLineIndent=24, wordWrap="CJK")
head = ParagraphStyle("head", fontName="Song", fontSize=16, leading=28)
story = []
for i, p in enumerate(paras):
    if i % 5 == 3:
        story.append(Paragraph("专题%d" % (i // 5 + 1), head))
    story.append(Paragraph(p, style))
SimpleDocTemplate(sys.argv[2], pagesize=A4).build(story)
'''

TYPST = r'''
import json, sys
import typst
paras = json.load(open(sys.argv[1], encoding="utf-8"))
body = ['#set page(paper: "a4", margin: (x: 28mm, y: 30mm))',
        '#set text(font: "Briefing Serif SC", size: 12pt, lang: "zh")',
        '#set par(justify: true, first-line-indent: 2em, leading: 0.75em)']
for i, p in enumerate(paras):
    if i % 5 == 3:
        body.append("== 专题%d" % (i // 5 + 1))
    body.append(p.replace("#", "\\#").replace("*", "\\*").replace("_", "\\_").replace("$", "\\$") + "\n")
open(sys.argv[2] + ".typ", "w", encoding="utf-8").write("\n\n".join(body))
typst.compile(sys.argv[2] + ".typ", output=sys.argv[2], font_paths=[sys.argv[3]], ignore_system_fonts=True)
'''

WARM = r'''
import json, resource, sys, time
from briefing import build
t0, c0 = time.perf_counter(), time.process_time()
build(sys.argv[1], sys.argv[2])
t1, c1 = time.perf_counter(), time.process_time()
build(sys.argv[1], sys.argv[2])
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({"first": t1 - t0, "second": t2 - t1, "cpu1": c1 - c0, "cpu2": c2 - c1}))
'''


def have_typst() -> bool:
    return subprocess.run([PY, "-c", "import typst"], capture_output=True).returncode == 0


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MiB) of the child, its stdout. Uses wait4 for the child's own peak."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    wall = time.perf_counter() - t
    # the RUSAGE_CHILDREN peak is the largest child so far; measure each with /usr/bin/time-like wait4
    if p.returncode:
        sys.exit(f"failed: {' '.join(cmd)}\n{err[-3000:]}")
    return wall, (getattr(p, "_peak", float("nan")), getattr(p, "_cpu", float("nan"))), out


class _Popen(subprocess.Popen):
    """Popen whose wait records the child's own peak RSS (os.wait4), not the largest child's so far."""

    def _try_wait(self, wait_flags):
        pid, sts, usage = os.wait4(self.pid, wait_flags)
        if pid:
            self._peak = usage.ru_maxrss / 1024
            self._cpu = usage.ru_utime + usage.ru_stime
        return pid, sts


subprocess.Popen = _Popen    # only this script's children


class Series:
    """One measured thing over several runs: wall seconds, CPU seconds, peak RSS."""

    def __init__(self, name: str):
        self.name, self.walls, self.cpus, self.peaks = name, [], [], []

    def add(self, wall: float, usage: tuple[float, float]) -> None:
        self.walls.append(wall)
        self.peaks.append(usage[0])
        self.cpus.append(usage[1])

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)

    def row(self, ref: Series | None = None, extra: str = "") -> str:
        w = self.walls
        ratio = f"{self.median / ref.median:6.2f}x" if ref and ref.walls else "       "
        cratio = f"{self.cpu / ref.cpu:6.2f}x" if ref and ref.cpus and ref.cpu else "       "
        peak = statistics.median(self.peaks)
        return (f"  {self.name:<46} {min(w):6.2f} {statistics.median(w):6.2f} {max(w):6.2f}  {ratio}"
                f"  {self.cpu:6.2f}  {cratio}  {peak:6.0f} MiB{extra}")


HEADER = (f"  {'':<46} {'min':>6} {'median':>6} {'max':>6}  {'ratio':>7}  {'cpu':>6}  {'ratio':>7}"
          f"  {'peak':>6}")


def env_with(cache: Path) -> dict:
    """The children's environment. Bytecode is written and used, as for an installed package: with
    PYTHONDONTWRITEBYTECODE set, an editable checkout compiles every briefing module on each start
    (about 0.15 s), while the references' packages come with their bytecode. The scripts written to a
    temporary folder import briefing from this checkout, as `-m briefing` run in ROOT does, not from
    whichever checkout the venv was installed from (before/after runs from two checkouts)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    path = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return {**env, "BRIEFING_CACHE_DIR": str(cache), "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": path}


def section_text(args, tmp: Path, typst_ok: bool) -> None:
    from briefing.fonts import font_path

    paras = paragraphs(args.chars)
    path = write_briefing(tmp / "text", paras)
    font = str(font_path("serif"))
    fontdir = str(Path(font).parent)
    env = env_with(tmp / "cache-text")
    names = ["briefing build (CLI, new process)", "stock ReportLab (same text, same font)"]
    if typst_ok:
        names.append("Typst (typst package, same text, same fonts)")
    series = {n: Series(n) for n in names}
    warm2, warm1 = Series("build() again in a warm process (2nd call)"), Series("build() 1st call in that process")
    (tmp / "rl.py").write_text(REPORTLAB)
    (tmp / "ty.py").write_text(TYPST)
    (tmp / "warm.py").write_text(WARM)
    cmds = {names[0]: [PY, "-m", "briefing", "build", str(path), "-o", str(tmp / "text-out")],
            names[1]: [PY, str(tmp / "rl.py"), str(tmp / "text" / "paras.json"), str(tmp / "rl.pdf"), font]}
    if typst_ok:
        cmds[names[2]] = [PY, str(tmp / "ty.py"), str(tmp / "text" / "paras.json"), str(tmp / "ty.pdf"), fontdir]
    for cmd in cmds.values():               # one unmeasured run each: the page cache holds the fonts
        run(cmd, env)
    for _ in range(args.runs):              # interleaved, so load on the machine hits all alike
        for name, cmd in cmds.items():
            wall, peak, _out = run(cmd, env)
            series[name].add(wall, peak)
        _wall, peak, out = run([PY, str(tmp / "warm.py"), str(path), str(tmp / "warm-out")], env)
        res = json.loads(out.strip().splitlines()[-1])
        warm1.add(res["first"], (peak[0], res["cpu1"]))
        warm2.add(res["second"], (peak[0], res["cpu2"]))
    print(f"\n## text: {sum(map(len, paras))} characters in {len(paras)} paragraphs, whole process, "
          f"{args.runs} runs each (ratio: to stock ReportLab)")
    print(HEADER)
    rl = series[names[1]]
    for name in names:
        print(series[name].row(rl))
    print(warm1.row(rl))
    print(warm2.row(rl))
    if typst_ok:
        ty = series[names[2]]
        print("  ratios to Typst's whole run (medians):")
        for label, s in (("briefing build, new process", series[names[0]]), ("stock ReportLab, new process", rl),
                         ("build() 2nd call, warm process", warm2)):
            print(f"    {label:<34} wall {s.median / ty.median:6.2f}x   cpu {s.cpu / ty.cpu:6.2f}x")
    else:
        print("  Typst: not installed (pip install -e '.[bench]'); no Typst ratios")


def _edit(folder: Path, n: int) -> None:
    sec = folder / "sections" / "overview.yaml"
    text = sec.read_text(encoding="utf-8")
    sec.write_text(text.replace("。", f"（第{n}次修改）。", 1), encoding="utf-8")


def section_sample(args, tmp: Path) -> None:
    cold, edit, warm = (Series("cold: empty chart cache, new process"),
                        Series("one sentence edited, new process (cache warm)"),
                        Series("one sentence edited, warm process (watch)"))
    work = tmp / "sample"
    shutil.copytree(ROOT / "content", work)
    (tmp / "warm.py").write_text(WARM)
    for i in range(args.runs):
        cache = tmp / f"cache-sample{i}"
        env = env_with(cache)
        cmd = [PY, "-m", "briefing", "build", str(work / "briefing.yaml"), "-o", str(tmp / "sample-out")]
        wall, peak, _ = run(cmd, env)
        cold.add(wall, peak)
        _edit(work, i)
        wall, peak, _ = run(cmd, env)
        edit.add(wall, peak)
    # the watch-mode rebuild: briefing.watch.rebuild in one process, after a first build
    script = tmp / "watch.py"
    script.write_text(WATCH)
    _w, peak, out = run([PY, str(script), str(work), str(tmp / "watch-out"), str(args.runs)],
                        env_with(tmp / "cache-sample0"))
    times, cpus = json.loads(out.strip().splitlines()[-1])
    for t, c in zip(times, cpus):
        warm.add(t, (peak[0], c))
    print(f"\n## sample (content/), {args.runs} runs each (ratio: to the cold build)")
    print(HEADER)
    print(cold.row(cold))
    print(edit.row(cold))
    print(warm.row(cold))


WATCH = r'''
import json, sys, time
from pathlib import Path
from briefing.build import build
from briefing.watch import rebuild
folder, out, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
build(folder / "briefing.yaml", out)
sec = folder / "sections" / "overview.yaml"
times, cpus = [], []
for i in range(n):
    c = time.process_time()
    text = sec.read_text(encoding="utf-8")
    sec.write_text(text.replace("。", "（第%d次温修改）。" % i, 1), encoding="utf-8")
    r = rebuild(folder, out)
    assert r.ok, r.error
    times.append(r.seconds)
    cpus.append(time.process_time() - c)
print(json.dumps([times, cpus]))
'''


def section_big(args, tmp: Path, typst_ok: bool) -> None:
    from briefing.fonts import font_path

    paras = paragraphs(args.big_chars, seed=7)
    rows = []
    for template in ("jianbao", "report"):
        path = write_briefing(tmp / f"big-{template}", paras, template)
        s = Series(f"briefing build, {template}")
        pages = 0
        for _ in range(args.big_runs):
            wall, peak, _ = run([PY, "-m", "briefing", "build", str(path), "-o", str(tmp / f"big-{template}-out")],
                                env_with(tmp / "cache-big"))
            s.add(wall, peak)
            pages = _pages(tmp / f"big-{template}-out" / "briefing.pdf")
        rows.append((s, pages))
    ty = None
    if typst_ok:
        (tmp / "ty.py").write_text(TYPST)
        ty = Series("Typst, same text")
        for _ in range(args.big_runs):
            wall, peak, _ = run([PY, str(tmp / "ty.py"), str(tmp / "big-jianbao" / "paras.json"),
                                 str(tmp / "big-ty.pdf"), str(font_path("serif").parent)])
            ty.add(wall, peak)
    print(f"\n## big: {sum(map(len, paras))} characters, whole process, {args.big_runs} runs each "
          f"(ratio: to jianbao)")
    print(HEADER)
    base = rows[0][0]
    for s, pages in rows:
        print(s.row(base, f"  {pages} pages, {s.median / pages * 1000:.1f} ms/page"))
    if ty:
        print(ty.row(base))


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader        # the test extra

    return len(PdfReader(pdf).pages)


def machine() -> str:
    cpu = ""
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                   if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
            f"Python {platform.python_version()}, load average {load:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--chars", type=int, default=9923)
    ap.add_argument("--big-chars", type=int, default=1_000_000)
    ap.add_argument("--big-runs", type=int, default=1)
    ap.add_argument("--only", default="text,sample,big")
    args = ap.parse_args()
    only = set(args.only.split(","))
    typst_ok = have_typst()
    print(f"# bench_compare  {time.strftime('%Y-%m-%d %H:%M')}  {machine()}")
    print("# columns: wall seconds min / median / max over the runs, ratio of medians; CPU seconds (user+sys)"
          " median, its ratio; median peak RSS")
    print("# bytecode: written and used by the runs (PYTHONDONTWRITEBYTECODE unset for them, see env_with)")
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as d:
        tmp = Path(d)
        run([PY, "-m", "compileall", "-q", str(ROOT / "briefing")], env_with(tmp / "cache"))
        if "text" in only:
            section_text(args, tmp, typst_ok)
        if "sample" in only:
            section_sample(args, tmp)
        if "big" in only:
            section_big(args, tmp, typst_ok)


if __name__ == "__main__":
    main()
