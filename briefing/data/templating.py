"""Text bound to data: Jinja2 in its sandbox, with zh_CN filters.

The sandbox matters because briefing YAML is shared between offices: a
template may read the data sets it is given, never files, attributes of
Python objects or the environment. Undefined names are errors (StrictUndefined),
so a typo in {{ gdp.vaule }} stops the build instead of printing nothing.
"""
from __future__ import annotations

import ctypes
import difflib
import re
import threading
from functools import lru_cache

import jinja2
from jinja2.filters import do_format, do_indent, do_replace
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from .. import fmt
from ..errors import ContentError, Location, shown_path, source_line
from ..i18n import _
from .view import Row


class _Undefined(jinja2.StrictUndefined):
    """StrictUndefined whose message names the data set, its file and the nearest column."""

    @property
    def _undefined_message(self) -> str:
        obj = self._undefined_obj
        if isinstance(obj, Row) and isinstance(self._undefined_name, str):
            ds, name = obj.dataset, self._undefined_name
            source = f"（{shown_path(ds.where.file)}）" if ds.where.file else ""
            close = difflib.get_close_matches(name, ds.names, n=1, cutoff=0.5)
            hint = _("您是不是要写“{name}”？").format(name=close[0]) + " " if close else ""
            return _("数据“{ds}”{source}中没有列“{name}”。{hint}可用的列：{names}").format(
                ds=ds.name, source=source, name=name, hint=hint, names="、".join(ds.names))
        return super()._undefined_message


MAX_OUTPUT = 2_000_000      # characters one text field may render to
MAX_SECONDS = 5.0           # time one text field may take to render
MAX_REPEAT = 100_000        # length of a string/list made by * (jinja2's sandbox bounds range() the same way)


MAX_WIDTH = 1000           # a field width in "%9999d" / "{:>9999}" / indent(9999)
_WIDTHS = re.compile(r"(?:%[-+ #0]*|[:][^{}]*?)(\d{4,})")


def _check_widths(pattern) -> None:
    if isinstance(pattern, str):
        for m in _WIDTHS.finditer(pattern):
            if int(m.group(1)) > MAX_WIDTH:
                raise _TooBig(_("模板中的格式宽度过大（{n}，上限 {max}）").format(n=m.group(1), max=MAX_WIDTH))


class _Sandbox(ImmutableSandboxedEnvironment):
    """The jinja2 sandbox, read-only (a template cannot reorder or clear the data a table prints: list.reverse,
    dict.update… are refused), and bounded in what `*`, `**`, `%` and format widths may build
    ('a' * 10**9 or "%999999999d" would eat the machine)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def call(__self, __context, __obj, *args, **kwargs):  # jinja2's signature
        # a macro that calls itself with its argument doubled grows a string without printing it
        for a in (*args, *kwargs.values()):
            if isinstance(a, (str, list, tuple)) and len(a) > MAX_OUTPUT:
                raise _TooBig(_("模板生成的文字过长（超过 {n} 个字符）").format(n=MAX_OUTPUT))
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_widths(value.__self__)     # "{:>999999999}".format(1)
        return wrapped

    def call_binop(self, context, operator, left, right):
        if operator == "%":
            _check_widths(left)
        if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) \
                and len(left) + len(right) > MAX_OUTPUT:
            raise _TooBig(_("模板生成的文字过长（超过 {n} 个字符）").format(n=MAX_OUTPUT))
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_REPEAT:
                    raise _TooBig(_("模板中重复得到的内容过长（超过 {n}）").format(n=MAX_REPEAT))
        if (operator == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float))
                and abs(right) > 1000 and abs(left) > 1):
            raise _TooBig(_("模板中乘方结果过大"))
        return super().call_binop(context, operator, left, right)


class _TooBig(Exception):
    pass


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = _Sandbox(loader=jinja2.FunctionLoader(_no_files), undefined=_Undefined, autoescape=False, keep_trailing_newline=True)
    env.filters.update({
        "num": fmt.number, "pct": fmt.percent, "scaled": fmt.scaled, "cndate": fmt.date_cn,
        "cnnum": fmt.cn_numeral, "issue_label": fmt.issue_label,
        "center": _center, "indent": _indent, "format": _format, "replace": _replace,
    })
    env.globals["namespace"] = _Namespace
    env.globals.pop("lipsum", None)   # lipsum(10**6) runs for a minute; a briefing has no use for it
    return env


def _no_files(name: str):
    raise jinja2.TemplateNotFound(name, _("模板中不能引用文件（include、import、extends）"))


def _center(value, width: int = 80) -> str:
    return str(value).center(min(int(width), MAX_REPEAT))


class _Namespace(jinja2.utils.Namespace):
    """{% set ns.s = ns.s ~ ns.s %} in a loop doubles a string each turn without printing: bounded here."""

    def __setitem__(self, name, value):
        if isinstance(value, (str, list, tuple)) and len(value) > MAX_OUTPUT:
            raise _TooBig(_("模板生成的文字过长（超过 {n} 个字符）").format(n=MAX_OUTPUT))
        super().__setitem__(name, value)


@jinja2.pass_eval_context
def _replace(eval_ctx, value, old, new, count=None) -> str:
    text, grow = str(value), len(str(new)) - len(str(old))
    if grow > 0 and grow * (text.count(str(old)) if old else len(text) + 1) + len(text) > MAX_OUTPUT:
        raise _TooBig(_("模板生成的文字过长（超过 {n} 个字符）").format(n=MAX_OUTPUT))
    return do_replace(eval_ctx, value, old, new, count)


def _indent(value, width=4, first: bool = False, blank: bool = False) -> str:
    if (isinstance(width, int) and width > MAX_WIDTH) or (isinstance(width, str) and len(width) > MAX_WIDTH):
        raise _TooBig(_("模板中的缩进过宽（上限 {max}）").format(max=MAX_WIDTH))
    return do_indent(value, width, first, blank)


def _format(value, *args, **kwargs) -> str:
    _check_widths(value)
    return do_format(value, *args, **kwargs)


def render(text: str, variables: dict, where: Location) -> str:
    """Render one text field; any template problem becomes a located ContentError."""
    if "{{" not in text and "{%" not in text:
        return text
    try:
        return _bounded(_compiled(text), variables)
    except _TooBig as e:
        raise ContentError(str(e), where, _("模板应只生成简报中的一段文字")) from None
    except jinja2.TemplateNotFound as e:
        raise ContentError(_("模板试图读取文件“{name}”").format(name=e.name), where,
                           _("模板中不能引用文件（include、import、extends）")) from None
    except jinja2.TemplateSyntaxError as e:
        raise ContentError(_("模板语法错误：{msg}").format(msg=e.message), _offset(where, e.lineno),
                           _("变量写成 {{{{ 名称 }}}}，过滤器写成 {{{{ 值 | num(1) }}}}").format()) from None
    except jinja2.UndefinedError as e:
        raise ContentError(_("模板中用到了未定义的值：{msg}").format(msg=_undefined(e)), _pinpoint(where, e),
                           _did_you_mean(e, variables) + _("可用的数据：{names}").format(
                               names="、".join(sorted(k for k in variables)))) from None
    except jinja2.exceptions.SecurityError as e:
        raise ContentError(_("模板试图访问不允许的内容：{msg}").format(msg=e), where) from None
    except (TypeError, ValueError, ArithmeticError, KeyError, IndexError, AttributeError) as e:
        raise ContentError(_("模板求值出错：{msg}").format(msg=e), where) from None
    except RecursionError:
        raise ContentError(_("模板求值出错：递归层次过深"), where, _("宏不能无限地调用自身")) from None
    except MemoryError:
        raise ContentError(_("模板求值出错：内容过大"), where) from None
    except jinja2.TemplateError as e:   # e.g. include/import/extends: there is no loader, so no files
        raise ContentError(_("模板求值出错：{msg}").format(msg=e), where,
                           _("模板中不能引用文件（include、import、extends）")) from None


@lru_cache(maxsize=4096)
def _compiled(text: str):
    """Compiling is most of a render's time; the same text (every rebuild in `briefing watch`) compiles once."""
    return environment().from_string(text)


def _bounded(template, variables: dict) -> str:
    """Render chunk by chunk, stopping a template that produces too much or runs too long — also one that
    loops without printing anything, which a check between chunks never sees: a watchdog raises in the
    rendering thread when the time is up."""
    out, size = [], 0
    watchdog = _Watchdog(MAX_SECONDS)
    try:
        with watchdog:
            for chunk in template.generate(variables):
                out.append(chunk)
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise _TooBig(_("模板生成的文字过长（超过 {n} 个字符）").format(n=MAX_OUTPUT))
    except _Timeout:
        raise _TooBig(_("模板求值超时（超过 {n} 秒）").format(n=MAX_SECONDS)) from None
    return "".join(out)


class _Timeout(BaseException):
    """Raised inside the rendering thread by the watchdog (BaseException: no template code catches it)."""


class _Watchdog:
    """Interrupts the thread that entered it after `seconds` (CPython's PyThreadState_SetAsyncExc)."""

    def __init__(self, seconds: float):
        self.seconds, self.lock, self.done = seconds, threading.Lock(), False
        self.thread_id = threading.get_ident()
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        with self.lock:
            self.done = True
        self.timer.cancel()

    def _fire(self) -> None:
        with self.lock:
            if not self.done:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread_id), ctypes.py_object(_Timeout))


_NAME = re.compile(r"没有列“([^”]+)”|'([^']+)' is undefined|has no attribute '([^']+)'|没有“([^”]+)”")


def _did_you_mean(error: Exception, variables: dict) -> str:
    """"您是不是要写“gdp”？ " when an undefined variable is close to a data set's name."""
    m = re.search(r"'([^']+)' is undefined", str(error))
    close = difflib.get_close_matches(m.group(1), list(variables), n=1, cutoff=0.6) if m else []
    return _("您是不是要写“{name}”？").format(name=close[0]) + " " if close else ""


def _pinpoint(where: Location, error: Exception) -> Location:
    """The line and column of the undefined name inside the text (a paragraph may span many source lines)."""
    m = _NAME.search(str(error))
    name = next((g for g in m.groups() if g), None) if m else None
    if not (name and where.file and where.line):
        return where
    for line in range(where.line, where.line + 60):
        text = source_line(where.file, line)
        if text is None:
            break
        for span in re.finditer(r"\{\{.*?\}\}|\{%.*?%\}", text):
            at = span.group(0).find(name)
            if at >= 0:
                return Location(where.file, line, span.start() + at + 1, where.path)
    return where


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
