"""Check a chart spec against its data and reduce both to a Plan.

Pure Python (no matplotlib): cheap enough to run for every chart on every
build. The Plan holds exactly what gets drawn, so it is also what the cache
key is computed from.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import asdict, dataclass, field

from .. import fmt
from ..data.dataset import Dataset
from ..errors import ContentError, Location
from ..i18n import _
from ..registry import CHART_TYPES

LABEL_LIMIT = 12          # data labels on by default up to this many points


def __getattr__(name: str):
    if name == "TYPES":    # the chart types registered now (briefing/registry.py)
        return tuple(CHART_TYPES.names())
    raise AttributeError(name)


@dataclass
class Series:
    name: str
    values: list            # float | None
    places: list = field(default_factory=list)   # decimal places as the data writes each value (int | None)


@dataclass
class Plan:
    type: str
    categories: list[str]
    series: list[Series]
    y2: list[Series] = field(default_factory=list)
    unit: str = ""
    y2_unit: str = "%"
    labels: bool = True
    height: float = 0.62
    colors: list[str] = field(default_factory=list)
    name: str = ""
    labels_auto: bool = True     # labels not set in the spec: drop them when crowded
    time_axis: bool = False      # categories are dates/periods (labels may be thinned)
    decimals: int | None = None  # places of every data label (the spec's `decimals`), else as written
    dates: list = field(default_factory=list)   # ISO first days of the periods, when time_axis
    y_min: float | None = None   # where the value axis starts (spec `y_min`)
    numbers: tuple = ()          # the document's fmt.NumberStyle, as_key() (drawn with it, even in a worker)

    def as_key(self) -> dict:
        d = asdict(self)
        d.pop("name")       # the chart's name does not change the drawing
        return d

    @property
    def n(self) -> int:
        return len(self.categories) if self.categories else len(self.series[0].values)


def _err(name: str, where: Location | None, message: str, hint: str | None = None,
         sub: str | None = None) -> ContentError:
    loc = Location(**vars(where)) if where is not None else Location()
    if sub:
        loc.path = f"{loc.path}.{sub}" if loc.path else sub
    label = _("图表“{name}”").format(name=name) if name else _("图表")
    return ContentError(_("{label}：{message}").format(label=label, message=message), loc, hint)


def columns_of(data: Dataset) -> str:
    return _("数据“{name}”的列：{names}").format(name=data.name, names="、".join(data.names))


def _as_names(value, key: str, name: str, where) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, (list, tuple)) and value and all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        return [str(v) for v in value]
    raise _err(name, where, _("{key} 应为一个列名或列名的列表，现为 {value!r}").format(key=key, value=value), sub=key)


def plan_chart(spec: dict, data: Dataset, *, where: Location | None = None, name: str = "") -> Plan:
    """Validate ``spec`` against ``data``; a located ContentError for anything wrong."""
    if not isinstance(spec, dict):
        raise _err(name, where, _("图表设置应为映射（键: 值），现为 {name}").format(name=type(spec).__name__))
    c = _Checker(spec, data, where, name)
    ctype = c.chart_type()
    kind = CHART_TYPES.get(ctype)
    ys, y2s = c.value_columns(ctype, kind)
    x = spec.get("x")
    if x is None and kind.needs_x:
        raise c.err(_("缺少分类列 x"), columns_of(data), sub="x")
    categories: list[str] = []
    raw: list = []
    time_axis = False
    if x is not None:
        if not isinstance(x, (str, int)) or isinstance(x, bool):
            raise c.err(_("x 应为一个列名，现为 {x!r}").format(x=x), sub="x")
        raw = c.column(str(x), "x", False)
        categories = _category_labels(raw)
        time_axis = bool(raw) and all(fmt.parse_period(v) is not None for v in raw)
    main = c.series(ys, "y", x, categories)
    extra = c.series(y2s, "y2", x, categories)
    n = len(main[0].values)
    if kind.shares:
        c.check_shares(main[0].values, categories)
    labels, labels_auto = c.labels(ctype, kind, n, len(main))
    height = c.height(kind, n, len(main))
    colors = c.colors()
    y_min, decimals = c.number_options()
    dates = [p[1].isoformat() for v in raw if (p := fmt.parse_period(v))] if time_axis else []
    return Plan(type=ctype, categories=categories, series=main, y2=extra, decimals=decimals, dates=dates,
                numbers=fmt.current_style().as_key(), y_min=y_min,
                unit=c.unit("unit", ""), y2_unit=c.unit("y2_unit", "%"),
                labels=labels, height=height, colors=colors, name=name,
                labels_auto=labels_auto, time_axis=time_axis)


@dataclass
class _Checker:
    """The checks of one chart's settings against its data, each naming the chart and the key."""

    spec: dict
    data: Dataset
    where: Location | None
    name: str

    def err(self, message: str, hint: str | None = None, sub: str | None = None) -> ContentError:
        return _err(self.name, self.where, message, hint, sub=sub)

    def chart_type(self) -> str:
        ctype = self.spec.get("type")
        types = CHART_TYPES.names()
        if not isinstance(ctype, str) or not ctype.strip():
            raise self.err(_("缺少图表类型 type"), _("可用的类型：{names}").format(names="、".join(types)), sub="type")
        ctype = ctype.strip().lower()
        if ctype not in CHART_TYPES:
            close = difflib.get_close_matches(ctype, types, n=1, cutoff=0.5)
            hint = (f"您是不是要用“{close[0]}”？" if close else "") + f"可用的类型：{'、'.join(types)}"
            raise self.err(_("未知的图表类型“{value}”").format(value=self.spec.get("type")), hint, sub="type")
        return ctype

    def value_columns(self, ctype: str, kind) -> tuple[list[str], list[str]]:
        """The y and y2 column names, as many as the chart type takes."""
        ys = _as_names(self.spec.get("y"), "y", self.name, self.where)
        if not ys:
            raise self.err(_("缺少数值列 y"), columns_of(self.data), sub="y")
        y2s = _as_names(self.spec.get("y2"), "y2", self.name, self.where)
        if kind.y2 and not y2s:
            raise self.err(_("组合图（combo）需要 y2：画在右轴上的增速列"), _("例如 y2: 增速（单位默认为 %）"), sub="y2")
        if not kind.y2 and y2s:
            raise self.err(_("只有组合图（combo）可以设置 y2，本图类型为 {ctype}").format(ctype=ctype), _("把 type 改为 combo，或删去 y2"),
                           sub="y2")
        if not kind.multi and len(ys) > 1:
            raise self.err(_("{ctype} 图只能有一个数值列，现有 {n} 个：{names}").format(
                ctype=ctype, n=len(ys), names="、".join(ys)), sub="y")
        return ys, y2s

    def column(self, col: str, key: str, numeric: bool) -> list:
        name, data = self.name, self.data
        ctx = f"（图表“{name}”的 {key}）" if name else f"（图表的 {key}）"
        if col not in data.columns:
            listed = self.spec.get(key)
            # in a list (y: [a, b]) point at the item itself
            sub = f"{key}[{[str(v) for v in listed].index(col)}]" if isinstance(listed, list) and col in [
                str(v) for v in listed] else key
            try:
                data.column(col, context=ctx)
            except ContentError as e:
                raise self.err(e.message.replace(ctx, ""), e.hint, sub=sub) from None
        try:
            return data.column(col, numeric=numeric, context=ctx)
        except ContentError as e:
            # the fix is in the data file: keep its location, name the chart too
            if self.where is not None and str(self.where):
                e.hint = ((e.hint + "；") if e.hint else "") + f"图表位于 {self.where}"
            raise

    def series(self, cols: list[str], key: str, x, categories: list[str]) -> list[Series]:
        out = []
        for col in cols:
            vals = self.column(col, key, True)
            clean, places = [], []
            for i, v in enumerate(vals):
                places.append(fmt.places_of(v))
                if v is not None and not math.isfinite(float(v)):
                    raise ContentError(_("数据“{data}”列“{col}”第{row}行不是有限数值：{v}（图表“{chart}”）").format(
                        data=self.data.name, col=col, row=i + 1, v=v, chart=self.name), self.data.where)
                clean.append(None if v is None else float(v))
            if x is not None and len(clean) != len(categories):
                raise self.err(_("列“{col}”有 {n} 个值，分类列“{x}”有 {m} 个").format(
                    col=col, n=len(clean), x=x, m=len(categories)),
                               _("各列的行数应相同"), sub=key)
            if not clean or all(v is None for v in clean):
                raise self.err(_("列“{col}”没有数据（空序列）").format(col=col),
                               _("数据“{name}”中该列为空，请检查数据来源").format(name=self.data.name), sub=key)
            out.append(Series(col, clean, places))
        return out

    def check_shares(self, vals: list[float | None], categories: list[str]) -> None:
        """Parts of a whole (pie, donut): none negative, none missing, a sum above zero."""
        bad = [categories[i] if categories else str(i + 1) for i, v in enumerate(vals) if v is not None and v < 0]
        if bad:
            raise self.err(_("饼图不能有负值：{names}").format(names="、".join(bad)),
                           _("饼图表示构成，各部分应为非负数；有负值请改用 bar 或 barh"), sub="y")
        if any(v is None for v in vals):
            raise self.err(_("饼图的数值不能为空"), _("请补全数据或删去该行"), sub="y")
        if sum(v for v in vals if v is not None) <= 0:
            raise self.err(_("饼图各部分之和为零，无法画出"), sub="y")

    def labels(self, ctype: str, kind, n: int, n_series: int) -> tuple[bool, bool]:
        """(data labels shown, chosen by the engine rather than the spec)."""
        labels = self.spec.get("labels")
        if labels is None:
            points = n if ctype in ("stacked", "combo") else n * n_series
            return bool(kind.labels if kind.labels is not None else points <= LABEL_LIMIT), True
        if not isinstance(labels, bool):
            raise self.err(_("labels 应为 true 或 false，现为 {labels!r}").format(labels=labels), sub="labels")
        return labels, False

    def height(self, kind, n: int, n_series: int) -> float:
        height = self.spec.get("height")
        if height is None:
            height = kind.default_height
            if height is None:    # room for each bar (barh)
                height = min(1.2, max(0.45, 0.08 * n * max(1, n_series * 0.7) + 0.15))
        elif isinstance(height, bool) or not isinstance(height, (int, float)) or not 0.1 <= height <= 2.0:
            raise self.err(_("height 是高度与宽度之比，应在 0.1～2.0 之间，现为 {height!r}").format(height=height), sub="height")
        return float(height)

    def colors(self) -> list[str]:
        colors = self.spec.get("colors") or []
        if not isinstance(colors, (list, tuple)) or not all(isinstance(c, str) for c in colors):
            raise self.err(_('colors 应为颜色的列表（如 "#2f5597"），现为 {colors!r}').format(colors=colors), sub="colors")
        return list(colors)

    def unit(self, key: str, default: str) -> str:
        u = self.spec.get(key, default)
        if u is None:
            return ""
        if isinstance(u, bool) or not isinstance(u, (str, int, float)):
            raise self.err(_("{key} 应为文字，现为 {u!r}").format(key=key, u=u), sub=key)
        return bare_unit(str(u))

    def number_options(self) -> tuple[float | None, int | None]:
        """(y_min, decimals)."""
        y_min = self.spec.get("y_min")
        if y_min is not None and (isinstance(y_min, bool) or not isinstance(y_min, (int, float))):
            raise self.err(_("y_min 应为数值，现为 {y_min!r}").format(y_min=y_min), sub="y_min")
        decimals = self.spec.get("decimals")
        if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int)
                                     or not 0 <= decimals <= 4):
            raise self.err(_("decimals 是数据标签的小数位数，应为 0～4 的整数，现为 {decimals!r}").format(decimals=decimals), sub="decimals")
        return (None if y_min is None else float(y_min)), decimals


def bare_unit(text: str) -> str:
    """The unit itself: "（万辆）", "(万辆)", "单位：万辆" -> "万辆", so the chart composes its
    unit line once and never nests brackets ("（家（个））")."""
    u = text.strip()
    for prefix in ("单位：", "单位:"):
        if u.startswith(prefix):
            u = u[len(prefix):].strip()
    while len(u) > 2 and u[0] in "（(" and u[-1] in "）)" and _balanced(u[1:-1]):
        u = u[1:-1].strip()
    return u


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch in "（("
        depth -= ch in "）)"
        if depth < 0:
            return False
    return depth == 0


def _category_labels(values: list) -> list[str]:
    """Periods in Chinese; a long run of months is shortened to 1月 2月 … with
    the year written out at the start and at each January."""
    labels = [fmt.period_cn(v) for v in values]
    periods = [fmt.parse_period(v) for v in values]
    if len(values) > 6 and all(p is not None and p[0] == "month" for p in periods):
        prev_year = None
        for i, (_kind, d) in enumerate(p for p in periods if p is not None):
            if d.year != prev_year:
                prev_year = d.year
            else:
                labels[i] = f"{d.month}月"
    return labels
