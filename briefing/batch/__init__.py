"""Batch builds: many variants of one briefing from a matrix file.

    briefing: content/briefing.yaml        # relative to the matrix file
    output: "{id}.pdf"                     # file-name pattern; {id} and the variant's `set` keys
    variants:
      - id: yubei
        set: {title: 渝北区简报, issue: 3}                 # like --set KEY=VALUE
        data: {kf: data/yubei/key_figures.xlsx}            # replaces data set `kf` (relative to the matrix file)
        only: [overview, industry]                        # optional, like --only

Variants are built in parallel: on local cores (a process pool) by default, or
on a Dask distributed cluster when a scheduler address is given. One variant's
failure (its ContentError message) is reported without stopping the others.

On local cores the charts come first, in one stage shared by all variants: the
workers find every variant's charts, each chart that two variants share is drawn
once, the charts are spread over the workers, and only then are the variants
built (their charts then come from the chart cache).

    from briefing.batch import run
    for r in run("matrix.yaml", "output", workers=4):
        print(r.id, r.status, r.pages, r.seconds, r.pdf or r.error)

Only the parent process reads the matrix; each worker receives a plain Job
(paths, overrides) and calls briefing.build(), so workers need the package
installed and, with Dask, the same paths (a shared file system) for content,
data and the output folder.
"""
from __future__ import annotations

import contextvars
import difflib
import json
import multiprocessing
import os
import re
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

from ..content.paths import confine, format_name
from ..content.yamlload import load_yaml
from ..errors import ContentError, Location
from ..i18n import _

ID_RE = re.compile(r"^[A-Za-z0-9_\-\u4e00-\u9fff]+$")
VARIANT_KEYS = {"id", "set", "data", "only", "template"}
MATRIX_KEYS = {"briefing", "output", "variants", "allow_outside"}


@dataclass
class Job:
    """Everything a worker needs to build one variant (picklable, no open state)."""

    id: str
    briefing: str
    output_dir: str
    output_name: str
    overrides: dict[str, str] = field(default_factory=dict)
    only: list[str] | None = None
    template: str | None = None
    allow_outside: bool = False
    roots: tuple[str, ...] = ()     # folders besides the content folder the variant's data may come from
    cache_dir: str | None = None
    error: str | None = None        # a problem found while reading the matrix: reported, not built


@dataclass
class VariantResult:
    id: str
    status: str                     # "ok" | "failed"
    pdf: Path | None = None
    pages: int = 0
    seconds: float = 0.0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    charts: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


# ---- reading the matrix -------------------------------------------------------

def load_matrix(matrix_path: str | Path, output_dir: str | Path, cache_dir: str | Path | None = None,
                allow_outside: bool = False) -> list[Job]:
    """Read and check the matrix file. Raises ContentError for problems with the matrix as a whole;
    a problem confined to one variant becomes that variant's Job.error."""
    matrix_path = Path(matrix_path)
    if not matrix_path.is_file():
        raise ContentError(_("找不到批量文件“{name}”").format(name=matrix_path))
    raw, positions = load_yaml(matrix_path)
    if not isinstance(raw, dict):
        raise ContentError(_("批量文件的顶层应是映射（briefing: …、variants: …）"), positions.find(()))
    unknown = set(raw) - MATRIX_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise ContentError(_("批量文件中有未知字段“{key}”").format(key=key), positions.find((key,)),
                           _("可用的字段：{keys}").format(keys="、".join(sorted(MATRIX_KEYS))))
    base = matrix_path.resolve().parent
    name = raw.get("briefing")
    if not isinstance(name, str) or not name.strip():
        raise ContentError(_("批量文件缺少 briefing（内容文件的路径）"), positions.find(("briefing",)))
    allow_outside = raw.get("allow_outside", False) is True or allow_outside
    candidate = confine(base, name, positions.find(("briefing",)), allow_outside=allow_outside, must_exist=False)
    if candidate.is_dir():
        candidate = candidate / "briefing.yaml"
    briefing = confine(base, str(candidate), positions.find(("briefing",)), allow_outside=True)
    pattern = raw.get("output", "{id}.pdf")
    if not isinstance(pattern, str) or not pattern.strip():
        raise ContentError(_("output 应是文件名模式，如 \"{id}.pdf\""), positions.find(("output",)))
    variants = raw.get("variants")
    if not isinstance(variants, list) or not variants:
        raise ContentError(_("variants 应是至少含一项的列表"), positions.find(("variants",)))
    sources = _data_sources(briefing)
    out_dir = Path(output_dir).resolve()
    jobs: list[Job] = []
    names: dict[str, str] = {}
    for i, v in enumerate(variants):
        where = positions.find(("variants", i))
        if not isinstance(v, dict):
            raise ContentError(_("每个变体应是映射（id: …、set: …、data: …）"), where)
        vid = v.get("id")
        if not isinstance(vid, (str, int)) or not ID_RE.match(str(vid)):
            raise ContentError(_("变体缺少 id，或 id 含有字母、数字、汉字、_ 和 - 以外的字符"),
                               positions.find(("variants", i, "id")))
        vid = str(vid)
        if any(j.id == vid for j in jobs):
            raise ContentError(_("变体 id“{id}”重复").format(id=vid), positions.find(("variants", i, "id")))
        job = Job(vid, str(briefing), str(out_dir), "", allow_outside=allow_outside, roots=(str(base),),
                  cache_dir=str(cache_dir) if cache_dir else None)
        try:
            _fill_job(job, v, i, positions, base, briefing.parent, sources, pattern)
        except ContentError as e:
            job.error = str(e)
        if not job.error:
            if job.output_name in names:
                raise ContentError(_("变体“{a}”和“{b}”的输出文件同名：{name}").format(
                    a=names[job.output_name], b=vid, name=job.output_name), positions.find(("output",)))
            names[job.output_name] = vid
        jobs.append(job)
    return jobs


def _fill_job(job: Job, v: dict, i: int, positions, base: Path, content_base: Path, sources: dict | None,
              pattern: str) -> None:
    unknown = set(v) - VARIANT_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise ContentError(_("变体中有未知字段“{key}”").format(key=key), positions.find(("variants", i, key)),
                           _("可用的字段：{keys}").format(keys="、".join(sorted(VARIANT_KEYS))))
    sets = v.get("set") or {}
    if not isinstance(sets, dict):
        raise ContentError(_("set 应是映射（字段: 值）"), positions.find(("variants", i, "set")))
    for key, value in sets.items():
        job.overrides[str(key)] = override_text(value)
    data = v.get("data") or {}
    if not isinstance(data, dict):
        raise ContentError(_("data 应是映射（数据集名称: 文件）"), positions.find(("variants", i, "data")))
    for dname, spec in data.items():
        where = positions.find(("variants", i, "data", dname))
        dname = str(dname)
        if sources is not None and dname not in sources:
            close = difflib.get_close_matches(dname, list(sources), n=1)
            hint = (_("您是不是要写“{name}”？").format(name=close[0]) if close
                    else _("已有的数据集：{names}").format(names="、".join(sources)))
            raise ContentError(_("内容中没有数据集“{name}”").format(name=dname), where, hint)
        new = _data_spec(spec, (sources or {}).get(dname), base, content_base, where, job.allow_outside)
        job.overrides[f"data.{dname}"] = json.dumps(new, ensure_ascii=False, default=str)
    only = v.get("only")
    if only is not None:
        if isinstance(only, str):
            only = [s.strip() for s in only.split(",") if s.strip()]
        if not isinstance(only, list) or not all(isinstance(s, str) for s in only):
            raise ContentError(_("only 应是栏目 id 的列表"), positions.find(("variants", i, "only")))
        job.only = only
    if v.get("template") is not None:
        job.template = str(v["template"])
    fields = {k: v for k, v in sets.items() if isinstance(k, str)}
    name = format_name(pattern, {**fields, "id": job.id}, positions.find(("output",)))
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    if Path(name).name != name or name.startswith(".") or "\\" in name:
        raise ContentError(_("输出文件名“{name}”不能含目录").format(name=name), positions.find(("output",)))
    job.output_name = name


def override_text(value) -> str:
    """A matrix value as the text --set KEY=VALUE would take (read back as YAML by the content stage)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, default=str)   # JSON is YAML: lists and mappings


def _data_sources(briefing: Path) -> dict | None:
    """The briefing's data sets as written (name -> spec), or None if they cannot be read cheaply."""
    try:
        raw = yaml.safe_load(briefing.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    data = raw.get("data") if isinstance(raw, dict) else None
    if not isinstance(data, dict) or "include" in data:
        return None
    return data


def _data_spec(spec, original, base: Path, content_base: Path, where: Location, allow_outside: bool) -> dict:
    """A variant's replacement for one data set. A bare path keeps the original's sheet and range
    when the file type is the same (a per-variant copy of the same workbook)."""
    if isinstance(spec, str):
        spec = {"file": spec}
    if not isinstance(spec, dict):
        raise ContentError(_("数据集的替换应是文件路径或数据源映射"), where)
    spec = dict(spec)
    if "file" in spec:
        # the matrix's folder plays the content folder's part for the variants' own data
        path = confine(base, spec["file"], where, allow_outside=allow_outside, roots=(content_base,))
        if isinstance(original, dict) and "file" in original and set(spec) == {"file"} \
                and Path(str(original["file"])).suffix.lower() == path.suffix.lower():
            spec = {**{k: original[k] for k in ("sheet", "range", "format") if k in original}, "file": None}
        if path.is_relative_to(content_base.resolve()):
            spec["file"] = path.relative_to(content_base.resolve()).as_posix()
        else:
            spec["file"] = str(path)     # inside the matrix's folder: the build is given that folder as a root
    return spec


# ---- building ---------------------------------------------------------------

def build_variant(job: Job) -> VariantResult:
    """Build one variant (runs in a worker). Never raises: failures become the result."""
    if job.error:
        return VariantResult(job.id, "failed", error=job.error)

    from ..build import build  # looked up when a variant runs: briefing.build.build may be replaced (tests)

    t = time.perf_counter()
    try:
        r = build(job.briefing, job.output_dir, overrides=job.overrides, only=job.only,
                  output_name=job.output_name, template=job.template, allow_outside=job.allow_outside,
                  roots=tuple(Path(r) for r in job.roots), cache_dir=Path(job.cache_dir) if job.cache_dir else None)
    except ContentError as e:
        return VariantResult(job.id, "failed", seconds=time.perf_counter() - t, error=str(e))
    except Exception as e:  # noqa: BLE001 - one broken variant must not stop the batch
        return VariantResult(job.id, "failed", seconds=time.perf_counter() - t,
                             error=_("内部错误：") + f"{type(e).__name__}: {e}")
    return VariantResult(job.id, "ok", r.pdf, r.pages, r.seconds, None, list(r.warnings), dict(r.timings),
                         r.charts)


def _warm() -> None:
    """The build's stages and matplotlib loaded: in each spawned worker (its initializer), or once in this
    process before forking the workers."""
    from .. import build as _b  # noqa: F401
    from ..charts import render  # noqa: F401
    from ..layout import blocks  # noqa: F401
    from ..pdf import write  # noqa: F401


def run(matrix_path: str | Path, output_dir: str | Path = "output", workers: int | None = None,
        scheduler: str | None = None, *, cache_dir: str | Path | None = None, on_result=None) -> list[VariantResult]:
    """Build every variant of the matrix. Returns one VariantResult per variant, in matrix order.

    workers: local processes (default: the number of cores; 1 builds in this process).
    scheduler: a Dask distributed scheduler address (tcp://host:8786); the cluster's workers
    build the variants and `workers` is ignored.
    on_result: called with each VariantResult as it finishes (progress display).
    """
    jobs = load_matrix(matrix_path, output_dir, cache_dir)
    Path(output_dir).mkdir(parents=True, exist_ok=True)
    results: dict[str, VariantResult] = {}

    def done(r: VariantResult) -> None:
        results[r.id] = r
        if on_result:
            on_result(r)

    todo = [j for j in jobs if not j.error]
    for j in jobs:
        if j.error:
            done(build_variant(j))
    if scheduler:
        _run_dask(todo, scheduler, done)
    else:
        n = workers or os.cpu_count() or 1
        if n <= 1 or len(todo) <= 1:
            for j in todo:
                done(build_variant(j))
        else:
            _run_local(todo, min(n, len(todo)), done)
    return [results[j.id] for j in jobs]


RETRIES = 2      # times a variant whose worker process died is tried again, each time in a process of its own


def _run_local(jobs: list[Job], n: int, done) -> None:
    """Build on local processes: the shared chart stage, then the variants. A worker that dies (killed, out of
    memory) breaks the whole pool and every unfinished variant with it: those are built again, one process
    each, so only a variant that kills its worker every time fails, and the summary says why."""
    unfinished: list[Job] = []
    pool = _pool(n)
    try:
        try:
            warned = _shared_charts(pool, jobs)
        except BrokenProcessPool:       # the variants' own builds draw what is missing, in a new pool
            pool.shutdown()
            pool, warned = _pool(n), {}
        futures = {pool.submit(build_variant, j): j for j in jobs}
        for f in as_completed(futures):
            try:
                done(_with_chart_warnings(f.result(), warned.get(futures[f].id, [])))
            except BrokenProcessPool:
                unfinished.append(futures[f])
    finally:
        pool.shutdown()
    for j in sorted(unfinished, key=jobs.index):
        done(_retry_alone(j))


def _shared_charts(pool, jobs: list[Job]) -> dict[str, list[str]]:
    """The chart stage of every variant at once: the workers find each variant's charts, each distinct chart
    is drawn once, by whichever worker is free, into the chart cache. Returns, per variant id, what matplotlib
    warned about while drawing its charts (the variant's build reads them from the cache and hears nothing)."""
    found = list(pool.map(variant_charts, jobs))
    distinct = {chart.key: chart for charts in found for chart in charts}
    cache_dir = jobs[0].cache_dir if jobs else None         # one cache for the whole matrix (load_matrix)
    said: dict[str, list[str]] = {}
    for drawn in pool.map(_draw_one, distinct.values(), [cache_dir] * len(distinct)):
        said.update(drawn)
    return {job.id: [w for chart in charts for w in said.get(chart.key, [])] for job, charts in zip(jobs, found)}


def variant_charts(job: Job) -> list:
    """The charts a variant's build will draw, checked and keyed (runs in a worker): none when the variant
    does not get that far, its own build then says why."""
    # the build's stages, loaded in the worker (the command that reads the matrix never needs them)
    from .. import charts, fmt
    from ..build import check, number_style

    def plan() -> list:
        checked = check(job.briefing, overrides=job.overrides, only=job.only, template=job.template,
                        allow_outside=job.allow_outside, output_dir=job.output_dir,
                        roots=tuple(Path(r) for r in job.roots))
        fmt.use_style(number_style(checked.resolved.doc))     # the build plans its charts in the document's style
        return charts.planned([chart for _spec, chart in checked.checked.jobs])

    try:
        return contextvars.copy_context().run(plan)
    except Exception:  # noqa: BLE001 - a content error or worse: reported by the variant's build, not here
        return []


def _draw_one(chart, cache_dir: str | None) -> dict[str, list[str]]:
    """Worker: one chart of the shared stage drawn into the cache (nothing when another process drew it)."""
    from .. import charts  # loaded in the worker, as above

    try:
        return charts.draw_into_cache([chart], Path(cache_dir) if cache_dir else None)
    except Exception:  # noqa: BLE001 - the variants that use the chart draw it in their build and report it
        return {}


def _with_chart_warnings(result: VariantResult, warned: list[str]) -> VariantResult:
    result.warnings += [f"图表：{w}" for w in warned if f"图表：{w}" not in result.warnings]
    return result


def _retry_alone(job: Job) -> VariantResult:
    reason = ""
    for _attempt in range(RETRIES):
        try:
            with _pool(1) as pool:
                return pool.submit(build_variant, job).result()
        except BrokenProcessPool as e:
            reason = str(e)
    return VariantResult(job.id, "failed", error=_("构建进程异常退出（已重试 {n} 次，可能内存不足或被终止）：").format(
        n=RETRIES) + reason)


def _pool(n: int) -> ProcessPoolExecutor:
    if _can_fork():
        # fork: the workers are copies of this process, imports included, so they start at once instead of
        # each importing the build's stages and matplotlib again (about 1 s of CPU a worker)
        _warm()
        return ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork"))
    # spawn: workers start clean (no copied threads or locks from the caller)
    return ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"), initializer=_warm)


def _can_fork() -> bool:
    """Fork is safe only while this process runs one thread: another thread's locks would be copied held."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _run_dask(jobs: list[Job], scheduler: str, done) -> None:
    try:
        from dask.distributed import Client, as_completed as dask_completed  # optional: installed only for cluster builds
    except ImportError:
        raise ContentError(_("使用 --scheduler 需要安装 dask[distributed]"), Location("--scheduler"),
                           _("pip install 'briefing[dask]'")) from None
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as e:
        raise ContentError(_("无法连接 Dask 调度器“{addr}”：{e}").format(addr=scheduler, e=e),
                           Location("--scheduler")) from None
    try:
        # retries: a variant whose worker is lost is run again elsewhere by the scheduler
        futures = client.map(build_variant, jobs, key=[f"briefing-{j.id}-{os.urandom(4).hex()}" for j in jobs],
                             retries=RETRIES,
                             pure=False)
        by_key = {f.key: j for f, j in zip(futures, jobs)}
        for f in dask_completed(futures):
            j = by_key[f.key]
            try:
                done(f.result())
            except Exception as e:  # noqa: BLE001 - a lost worker or a cluster-side failure
                done(VariantResult(j.id, "failed", error=_("集群任务失败：") + f"{type(e).__name__}: {e}"))
    finally:
        client.close()
