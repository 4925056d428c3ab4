"""Derived data sets: the values statisticians compute every issue."""
from __future__ import annotations

from .. import fmt
from ..errors import ContentError, Location
from ..i18n import _
from .dataset import Dataset

OPERATIONS = ("share", "growth", "difference", "sum")


def derive(name: str, spec: dict, sources: dict[str, Dataset], where: Location) -> Dataset:
    """{from: industry, derive: {占比: {share: 产值}, 增速: {growth: [本期, 上年同期]}}}"""
    base_name = spec.get("from")
    if base_name not in sources:
        raise ContentError(_("派生数据“{name}”的来源“{src}”不存在或在它之后定义").format(name=name, src=base_name), where)
    base = sources[base_name]
    columns = {k: list(v) for k, v in base.columns.items()}
    rules = spec.get("derive") or {}
    if not isinstance(rules, dict):
        raise ContentError(_("derive 应是“新列名: {运算: 参数}”的映射"), where)
    out = Dataset(name, columns, base.where, base.lines)
    for new, rule in rules.items():
        if not isinstance(rule, dict) or len(rule) != 1 or next(iter(rule)) not in OPERATIONS:
            raise ContentError(_("派生列“{col}”的写法无效").format(col=new), where,
                               _("可用的运算：{ops}，例如 占比: {{share: 产值}}").format(ops="、".join(OPERATIONS)))
        op, arg = next(iter(rule.items()))
        ctx = _("（派生列“{col}”）").format(col=new)
        if op == "share":
            values = out.column(arg, numeric=True, context=ctx)
            total = sum(v for v in values if v is not None)
            columns[new] = [None if v is None or not total else round(100 * v / total, 4) for v in values]
        elif op == "growth":
            now, before = _pair(arg, new, where)
            a, b = out.column(now, numeric=True, context=ctx), out.column(before, numeric=True, context=ctx)
            columns[new] = [None if x is None or not y else round(100 * (x - y) / abs(y), 4) for x, y in zip(a, b)]
        elif op == "difference":
            now, before = _pair(arg, new, where)
            a, b = out.column(now, numeric=True, context=ctx), out.column(before, numeric=True, context=ctx)
            columns[new] = [None if x is None or y is None else _as_written(x - y, [x, y]) for x, y in zip(a, b)]
        else:  # sum of several columns, row by row
            cols = [out.column(c, numeric=True, context=ctx) for c in (arg if isinstance(arg, list) else [arg])]
            columns[new] = [_as_written(sum(v for v in row if v is not None), row) for row in zip(*cols)]
    return out


def _pair(arg, col: str, where: Location) -> tuple[str, str]:
    if not (isinstance(arg, list) and len(arg) == 2 and all(isinstance(a, str) for a in arg)):
        raise ContentError(_("派生列“{col}”需要两个列名：[本期列, 上期列]").format(col=col), where)
    return arg[0], arg[1]


def _as_written(value, operands) -> float:
    """A difference or sum is written with the most places of its operands (1.5 + 42 -> 43.5, 2 + 3 -> 5)."""
    places = [fmt.places_of(v) for v in operands if v is not None]
    known = [p for p in places if p is not None]
    if not places or len(known) < len(places):
        return value
    most = max(known)
    return round(value) if most == 0 else fmt.Written(round(value, most), most)
