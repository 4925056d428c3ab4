"""Chart-choice lint: warnings (never errors) about charts that do not suit their data.

Each warning names the chart's place in the YAML, what is wrong and what to
use instead. A chart with ``lint: false`` is not checked. Pure Python: runs
on the Plan, so ``briefing validate`` needs no matplotlib.
"""
from __future__ import annotations

import datetime as dt

from ..content.walk import blocks
from ..data import dataset_for
from ..errors import ContentError, Location
from ..i18n import _
from ..registry import CHART_TYPES
from .spec import Plan, plan_chart

PIE_MIN, PIE_MAX = 3, 6
LINE_MIN = 3


def lint_plan(plan: Plan, spec: dict) -> list[tuple[str, str]]:
    """(problem, suggestion) for one chart."""
    found = []
    n = plan.n
    kind = CHART_TYPES.get(plan.type)
    if plan.type == "stacked" and n == 1:
        found.append((_("堆积柱形图只有一个分类，各部分无法比较，小的部分几乎看不见"),
                      _("表示一个总量的构成请用 pie 或 donut；比较各部分的大小请用 bar，或直接写在正文中")))
    if plan.type in ("line", "area") and n < LINE_MIN:
        found.append((_("{type} 图只有 {n} 个点，看不出趋势").format(type=plan.type, n=n),
                      _("两个数值请直接写在正文中，或用 bar 对比；趋势图至少需要 {m} 个时点").format(m=LINE_MIN)))
    if kind.shares:
        k = len(plan.series[0].values)
        if k < PIE_MIN:
            found.append((_("饼图只有 {k} 块，一个比例不需要图").format(k=k),
                          _("把比例写在正文中（如“六成来自市外”），或与其他构成合成 {m}～{M} 块的饼图").format(
                              m=PIE_MIN, M=PIE_MAX)))
        elif k > PIE_MAX:
            found.append((_("饼图有 {k} 块，多于 {M} 块就难以分辨").format(k=k, M=PIE_MAX),
                          _("把小项合并为“其他”，或改用 barh 按大小排列")))
        if any(v is not None and v < 0 for v in plan.series[0].values):
            found.append((_("饼图有负值"), _("饼图表示构成，各部分应为非负数；请改用 bar")))
    y_min = spec.get("y_min")
    if kind.bars and isinstance(y_min, (int, float)) and not isinstance(y_min, bool) and y_min != 0:
        found.append((_("柱形图的数值轴不从零开始（y_min: {v}），柱的长短会夸大差别").format(v=y_min),
                      _("删去 y_min；要突出变化请改用 line")))
    if kind.bars and plan.time_axis and _uneven(plan.dates):
        found.append((_("时间间隔不相等（{dates}），柱形图却等距排列").format(dates="、".join(plan.categories)),
                      _("改用 line：折线图按实际时间间隔画出各点")))
    return found


def _uneven(dates: list[str]) -> bool:
    days = [dt.date.fromisoformat(d) for d in dates]
    if len(days) < 3:
        return False
    gaps = [(b.year - a.year) * 12 + b.month - a.month if a.day == b.day == 1 else (b - a).days
            for a, b in zip(days, days[1:])]
    return max(gaps) != min(gaps)


def lint_document(resolved) -> list[str]:
    """Located warnings for every chart of the document (``lint: false`` skips one)."""
    positions = resolved.content.positions
    out = []
    for path, block, _ncols in blocks(resolved.doc):
        spec = getattr(block, "chart", None)
        if spec is None or not getattr(spec, "lint", True):
            continue
        where = positions.find(path + ("chart",))
        name = spec.caption or spec.title or ""
        try:
            data = dataset_for(spec.data, resolved, positions.find(path + ("chart", "data")))
            raw = spec.model_dump(exclude_none=True)
            plan = plan_chart(raw, data, where=where, name=name)
        except ContentError:
            continue        # the build reports it as an error
        for problem, hint in lint_plan(plan, raw):
            out.append(_located(where, name, problem, hint))
    return out


def _located(where: Location, name: str, problem: str, hint: str) -> str:
    label = _("图表“{name}”").format(name=name) if name else _("图表")
    return _("{where}: {label}：{problem}。建议：{hint}（不需要提示时写 lint: false）").format(
        where=where, label=label, problem=problem, hint=hint)
