"""Vector charts for briefings, driven by a YAML chart spec.

    from briefing.charts import ChartTheme, render_chart, render_charts, sparkline

Pipeline: spec + Dataset -> Plan (validated, pure Python) -> matplotlib Figure
(object API, no pyplot) -> SVG with ``svg.fonttype: none`` (text stays text)
-> svglib -> ReportLab Drawing ``width`` points wide. No raster images; the
chart text is set in the bundled Briefing fonts (briefing.fonts) and is
selectable in the PDF.

Importing this package does not import matplotlib; it is imported on the
first chart that actually has to be drawn (not on cache hits).

Timings (this 2-core machine, 8 typical charts, see benchmarks/bench_charts.py):
  import briefing.charts (no matplotlib)                  ~65 ms
  first chart in a process: matplotlib import + font
    registration + first draw                            ~0.4 s extra
  per chart, matplotlib Figure -> SVG                     55-75 ms
  per chart, svglib SVG -> Drawing                        19-24 ms
  per chart, validation (spec against data)               <1 ms
  per chart, cache hit (unpickle Drawing)                 ~1 ms   (vs ~20 ms to re-parse SVG,
                                                                   hence the pickled Drawing)
  8 charts cold (empty cache, sequential)                 1.0-1.5 s
  8 charts warm (same cache)                              ~10 ms

Process pool (fork, 2 workers; matplotlib and the fonts are loaded in the
parent before forking so workers inherit them): 8 charts 0.95-2.4 s pooled
vs 1.17-1.30 s sequential (no reliable gain, large variance when anything
else runs on the 2 cores); 16 charts 1.26 s pooled vs 1.78-2.04 s sequential.
So render_charts uses the pool only for >= POOL_MIN_CHARTS (12) uncached
charts, on >= 2 CPUs, with the fork start method, and only when the process
has a single thread (forking a threaded process can deadlock). A typical
briefing (4-10 charts) renders sequentially; ``workers=`` overrides.
"""
from __future__ import annotations

import copy
import multiprocessing as mp
import os
import threading
import warnings
from pathlib import Path
from typing import NamedTuple

from ..data.dataset import Dataset
from ..errors import ContentError, ContentErrors, Location
from ..i18n import _
from ..registry import CHART_TYPES, ChartType, load_object, register_chart_type
from . import cache as _cache
from ._fonts import chart_fonts, matplotlib_family
from .lint import lint_document
from .sparkline import sparkline
from .spec import Plan, plan_chart
from .theme import DEFAULT_PALETTE, ChartTheme

__all__ = ["ChartTheme", "ChartJob", "ChartType", "Planned", "render_chart", "render_charts", "planned",
           "draw_into_cache", "sparkline", "plan_chart", "lint_document", "register_chart_type", "TYPES",
           "DEFAULT_PALETTE"]


def __getattr__(name: str):
    if name == "TYPES":    # the chart types registered now (briefing/registry.py)
        return tuple(CHART_TYPES.names())
    raise AttributeError(name)

# Render misses in a process pool only from this many misses on (see module doc).
POOL_MIN_CHARTS = 12


class ChartJob(NamedTuple):
    spec: dict
    data: Dataset
    theme: ChartTheme
    width: float
    where: Location | None = None
    name: str = ""


def _cache_dir(cache_dir) -> Path | None:
    if cache_dir is False:
        return None
    return Path(cache_dir) if cache_dir is not None else _cache.default_dir()


def _prepare(job: ChartJob):
    """(plan, fonts, key) for a job; raises ContentError for bad input."""
    plan = plan_chart(job.spec, job.data, where=job.where, name=job.name)
    if _direct(plan):
        return plan, None, None
    fonts = chart_fonts(job.theme.font_family)
    k = _cache.key(plan.as_key(), job.theme.as_key(), job.width, fonts.identity, _cache.drawer_identity(
        CHART_TYPES.get(plan.type).draw))
    return plan, fonts, k


def _direct(plan: Plan) -> bool:
    """A chart type drawn without matplotlib (the sparkline): not cached, not pooled."""
    return CHART_TYPES.get(plan.type).direct is not None


def _draw(plan: Plan, theme: ChartTheme, width: float, fonts, where: Location | None):
    """Render a validated plan (imports matplotlib)."""
    try:
        from . import render  # start-up: matplotlib and svglib (~0.5 s), only when a chart is not in the cache
        svg = render.render_svg(plan, theme, width, fonts)
        return render.svg_to_drawing(svg, width, fonts)
    except ContentError as e:
        if where is not None and not str(e.location):
            e.location = where
        raise
    except Exception as exc:
        label = _("图表“{name}”").format(name=plan.name) if plan.name else _("图表")
        raise ContentError(_("{label}无法绘制：{error}").format(label=label, error=f"{type(exc).__name__}: {exc}"),
                           where or Location(),
                           _("请检查图表设置与数据；若问题持续，请报告此错误")) from exc


def sparkline_of(plan: Plan, theme: ChartTheme, width: float):
    """The sparkline chart type: a Drawing `width` wide, without matplotlib."""
    return sparkline(plan.series[0].values, width, width * plan.height, theme)


def _direct_drawing(plan: Plan, theme: ChartTheme, width: float):
    direct = CHART_TYPES.get(plan.type).direct
    assert direct is not None, plan.type      # _direct(plan) chose this path
    return load_object(direct)(plan, theme, width)


def render_chart(spec: dict, data: Dataset, theme: ChartTheme, width: float, *,
                 where: Location | None = None, name: str = "", cache_dir: Path | None = None):
    """One chart as a ReportLab Drawing ``width`` points wide (height from the spec).

    ``cache_dir=False`` disables the cache.
    """
    job = ChartJob(spec, data, theme, width, where, name)
    plan, fonts, k = _prepare(job)
    if _direct(plan):
        return _direct_drawing(plan, theme, width)
    cdir = _cache_dir(cache_dir)
    out: list = [None]
    if cdir is not None:
        out[0] = _cache.load(cdir, k)
        if out[0] is not None:
            return out[0]
    with _cache.locked(cdir, [k]):
        _draw_missing([job], [(plan, fonts, k)], out, [0], cdir, 0)
    return out[0]


class Planned(NamedTuple):
    """A chart matplotlib will draw, checked, with the key it is cached under."""
    key: str
    plan: Plan
    job: ChartJob


def planned(jobs: list) -> list[Planned]:
    """The charts among `jobs` that are drawn with matplotlib (not the sparkline), checked and keyed, so that
    another process can draw them into the cache (a batch's shared chart stage). Plan them in the build's own
    number style (briefing.fmt), as the build will: the key depends on it. Raises ContentError."""
    jobs = [j if isinstance(j, ChartJob) else ChartJob(*j) for j in jobs]
    return [Planned(k, plan, job) for job, (plan, _fonts, k) in zip(jobs, _prepare_all(jobs)) if k is not None]


def draw_into_cache(charts: list[Planned], cache_dir: Path | None = None) -> dict[str, list[str]]:
    """Draw each chart the cache does not hold yet and store it, under that chart's lock (a build or another
    worker that reaches the same chart waits, then reads it). Returns, for each chart drawn here, what
    matplotlib warned about while drawing it (a build that reads the chart from the cache never hears it)."""
    cdir = _cache_dir(cache_dir)
    drawn: dict[str, list[str]] = {}
    for chart in charts:
        with _cache.locked(cdir, [chart.key]):
            if cdir is not None and _cache.load(cdir, chart.key) is not None:
                continue        # drawn meanwhile by another process
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                drawing = _draw(chart.plan, chart.job.theme, chart.job.width, chart_fonts(chart.job.theme.font_family),
                                chart.job.where)
            if cdir is not None:
                _cache.store(cdir, chart.key, drawing)
            drawn[chart.key] = [str(w.message) for w in caught]
    return drawn


def _pool_render(args):
    """Worker: render one plan, return the Drawing (pickled back) or the ContentError."""
    plan, theme, width, family, where = args
    fonts = chart_fonts(family)
    try:
        return _draw(plan, theme, width, fonts, where)
    except ContentError as e:
        # exceptions pickle by their args only: send the fields
        return ("ContentError", e.message, e.location, e.hint)


def render_charts(jobs: list, *, cache_dir: Path | None = None, workers: int | None = None) -> list:
    """Many charts; cached; in a process pool when that pays off.

    ``jobs`` are ChartJob or plain tuples (spec, data, theme, width[, where[, name]]).
    All specs are validated first; several bad charts raise one ContentErrors.
    ``workers``: None = decide (see POOL_MIN_CHARTS), 0/1 = sequential, n = pool of n.
    """
    jobs = [j if isinstance(j, ChartJob) else ChartJob(*j) for j in jobs]
    prepared = _prepare_all(jobs)
    cdir = _cache_dir(cache_dir)
    out: list = [None] * len(jobs)
    todo: list[int] = []
    for i, (job, (plan, _fonts, k)) in enumerate(zip(jobs, prepared)):
        if _direct(plan):
            out[i] = _direct_drawing(plan, job.theme, job.width)
            continue
        hit = _cache.load(cdir, k) if cdir is not None else None
        if hit is not None:
            out[i] = hit
        else:
            todo.append(i)

    # identical charts are drawn once
    unique: dict[str, int] = {}
    for i in todo:
        unique.setdefault(prepared[i][2], i)
    with _cache.locked(cdir, list(unique)):
        _draw_missing(jobs, prepared, out, list(unique.values()), cdir, workers)
    for i in todo:
        if out[i] is None:
            out[i] = copy.deepcopy(out[unique[prepared[i][2]]])
    return out


def _draw_missing(jobs: list[ChartJob], prepared: list, out: list, first: list[int], cdir: Path | None,
                  workers: int | None) -> None:
    """Draw the charts at `first` into `out` and cache them, but for those another build drew and cached
    while this one waited for their locks."""
    if cdir is not None:
        for i in first:
            out[i] = _cache.load(cdir, prepared[i][2])
        first = [i for i in first if out[i] is None]
    n_workers = _workers(len(first), workers)
    if n_workers > 1:
        for i, r in zip(first, _draw_in_pool([jobs[i] for i in first], [prepared[i][0] for i in first], n_workers)):
            out[i] = r
    else:
        for i in first:
            plan, fonts, _k = prepared[i]
            out[i] = _draw(plan, jobs[i].theme, jobs[i].width, fonts, jobs[i].where)
    for i in first:
        if cdir is not None:
            _cache.store(cdir, prepared[i][2], out[i])


def _prepare_all(jobs: list[ChartJob]) -> list:
    """Every job's (plan, fonts, cache key); all the bad specs said at once."""
    prepared, errors = [], []
    for job in jobs:
        try:
            prepared.append(_prepare(job))
        except ContentError as e:
            errors.append(e)
    if errors:
        raise errors[0] if len(errors) == 1 else ContentErrors(errors)
    return prepared


def _draw_in_pool(jobs: list[ChartJob], plans: list[Plan], n_workers: int) -> list:
    """The charts drawn by a pool of `n_workers` processes, in order."""
    # import matplotlib and register the fonts once, before forking, so
    # the workers inherit them instead of paying for it each
    from . import render  # noqa: F401
    from concurrent.futures import ProcessPoolExecutor  # start-up: ~5 ms on every build, only a pool needs it

    for job in jobs:
        matplotlib_family(job.theme.font_family)
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")
    args = [(plan, job.theme, job.width, job.theme.font_family, job.where) for plan, job in zip(plans, jobs)]
    with ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx) as pool:
        results = list(pool.map(_pool_render, args))
    for r in results:
        if isinstance(r, tuple) and r and r[0] == "ContentError":
            raise ContentError(r[1], r[2], r[3])
    return results


def _workers(n_misses: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, min(int(workers), n_misses))

    if (n_misses < POOL_MIN_CHARTS or (os.cpu_count() or 1) < 2 or threading.active_count() > 1
            or "fork" not in mp.get_all_start_methods()):
        return 1
    return max(1, min(os.cpu_count() or 1, n_misses))
