"""Text bound to data: Jinja2 in its sandbox, with zh_CN filters.

The sandbox matters because briefing YAML is shared between offices: a
template may read the data sets it is given, never files, attributes of
Python objects or the environment. Undefined names are errors (StrictUndefined),
so a typo in {{ gdp.vaule }} stops the build instead of printing nothing.
"""
from __future__ import annotations

from functools import lru_cache

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .. import fmt
from ..errors import ContentError, Location
from ..i18n import _
from .dataset import Dataset


class DataView:
    """How a data set looks from a template: ds['行名'].列名, ds.rows, ds.col('列名'), ds.列名 (one row)."""

    def __init__(self, ds: Dataset):
        self._ds = ds
        self._rows = ds.rows()
        first = ds.names[0] if ds.names else None
        self._by_key = {str(r[first]): r for r in self._rows} if first else {}

    @property
    def rows(self) -> list[dict]:
        return self._rows

    @property
    def last(self) -> dict:
        return self._rows[-1] if self._rows else {}

    def col(self, name: str) -> list:
        return self._ds.column(name)

    def total(self, name: str) -> float:
        return sum(v for v in self._ds.column(name, numeric=True) if v is not None)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._rows[key]
        if str(key) in self._by_key:
            return self._by_key[str(key)]
        raise jinja2.UndefinedError(_("数据“{name}”中没有“{key}”这一行").format(name=self._ds.name, key=key))

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if len(self._rows) == 1 and name in self._rows[0]:
            return self._rows[0][name]
        if name in self._by_key:
            return self._by_key[name]
        raise jinja2.UndefinedError(_("数据“{name}”中没有“{key}”").format(name=self._ds.name, key=name))


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters.update({
        "num": fmt.number, "pct": fmt.percent, "scaled": fmt.scaled, "cndate": fmt.date_cn,
        "cnnum": fmt.cn_numeral, "issue_label": fmt.issue_label,
    })
    return env


def render(text: str, variables: dict, where: Location) -> str:
    """Render one text field; any template problem becomes a located ContentError."""
    if "{{" not in text and "{%" not in text:
        return text
    env = environment()
    try:
        return env.from_string(text).render(variables)
    except jinja2.TemplateSyntaxError as e:
        raise ContentError(_("模板语法错误：{msg}").format(msg=e.message), _offset(where, e.lineno),
                           _("变量写成 {{{{ 名称 }}}}，过滤器写成 {{{{ 值 | num(1) }}}}")) from None
    except jinja2.UndefinedError as e:
        raise ContentError(_("模板中用到了未定义的值：{msg}").format(msg=_undefined(e)), where,
                           _("可用的数据：{names}").format(names="、".join(sorted(k for k in variables)))) from None
    except jinja2.exceptions.SecurityError as e:
        raise ContentError(_("模板试图访问不允许的内容：{msg}").format(msg=e), where) from None
    except (TypeError, ValueError, ArithmeticError, KeyError, IndexError) as e:
        raise ContentError(_("模板求值出错：{msg}").format(msg=e), where) from None


def _offset(where: Location, lineno: int | None) -> Location:
    if where.line and lineno and lineno > 1:
        return Location(where.file, where.line + lineno - 1, None, where.path)
    return where


def _undefined(e: Exception) -> str:
    msg = str(e)
    # jinja2: "'gdp' is undefined" / "'dict object' has no attribute 'x'"
    if msg.endswith(" is undefined"):
        return _("变量 {name} 未定义").format(name=msg[: -len(" is undefined")])
    if "has no attribute" in msg:
        return _("没有属性 {name}").format(name=msg.rsplit("has no attribute", 1)[1].strip())
    return msg
