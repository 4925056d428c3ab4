"""The theme's values, typed: one pydantic model for a template's YAML and a briefing's `theme:` overrides.

A theme value that is wrong — a size of 0 or "big", a leading of -3, `columns: 0`, a colour that is no
colour, a font the bundled set does not have (or one without Chinese characters), a margin wider than the
page, a heading-number format with an unknown field, a typo such as `colums` — is refused here, before any
layout, with the place it was written (the briefing's `theme:` field, or the template file) and, for an
unknown key, the key it probably meant.

    from briefing.templates.model import ThemeModel, validate_theme
    model = validate_theme(merged_dict, overrides, positions, template_file)   # -> ThemeModel

Keys that a template YAML carries but this model does not name yet are accepted with their value as
written (`extra="allow"`), so a new decoration needs no change here; a key in a briefing's overrides
must exist in the model or in some bundled template, so typos are still caught.
"""
from __future__ import annotations

import difflib
import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model
from reportlab.lib import colors as rl

from .. import fonts
from ..content.names import OneOf
from ..i18n import _
from ..registry import MASTHEADS
from .theme import FACES, HERE, PAGE_SIZES, _builtin
from .units import ZIHAO, length, size

MAX_PAGE_SIDE = 1500.0 * 72 / 25.4     # 1.5 m: larger than any press sheet
MIN_TYPE_AREA = 30.0 * 72 / 25.4       # the type area must keep at least 30 mm each way


# ---- value types ----------------------------------------------------------------------------------------

def _points(value: Any, read: Callable[[Any], float], lo: float, hi: float,
            not_bool: str, unreadable: str, out_of_range: str) -> float:
    """`value` read as points by `read`, from `lo` to `hi`; each fault its message (with {value} in it)."""
    if isinstance(value, bool):
        raise ValueError(not_bool)
    try:
        points = read(value)
    except (ValueError, TypeError):
        raise ValueError(unreadable.format(value=value)) from None
    if not lo <= points <= hi:
        raise ValueError(out_of_range.format(value=value))
    return points


def _length(value: Any) -> float:
    return _points(value, length, 0, MAX_PAGE_SIDE, _("应是长度，如 37mm、12pt，而不是 true/false"),
                   _("“{value}”不是长度：写成 37mm、12pt、1.5cm 或字号名"), _("长度“{value}”超出范围（0 到 1500mm）"))


def _font_size(value: Any) -> float:
    names = "、".join(list(ZIHAO)[:6])
    return _points(value, size, 3, 300, _("应是字号，如 三号、10.5，而不是 true/false"),
                   _("“{value}”不是字号：写成字号名（{names}…）或磅值，如 10.5").format(value="{value}", names=names),
                   _("字号“{value}”超出范围（3 到 300 磅）"))


def _leading(value: Any) -> float:
    points = _length(value)
    if points < 3:
        raise ValueError(_("行距“{value}”过小（至少 3 磅）").format(value=value))
    return points


HEX = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")


def _colour(value: Any) -> str:
    """#rgb, #rrggbb, a colour role of the theme (accent, muted…; checked against `colors` later) or a
    named colour ReportLab knows (red, navy…)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(_("“{value}”不是颜色：写成 #c8161d 或颜色角色名（accent、muted…）").format(value=value))
    return value.strip()


def _count(lo: int, hi: int):
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(_("应是 {lo} 到 {hi} 的整数，而不是“{value}”").format(lo=lo, hi=hi, value=value))
        if not lo <= value <= hi:
            raise ValueError(_("“{value}”超出范围（{lo} 到 {hi}）").format(value=value, lo=lo, hi=hi))
        return value
    return check


def _fraction(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(_("应是 0 到 1 之间的比例，而不是“{value}”").format(value=value))
    return float(value)


def _strict_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(_("应是 true 或 false，而不是“{value}”（不要加引号）").format(value=value))
    return value


def _format(*fields: str):
    """A format string that may use only `fields`, with no widths or attribute access."""
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(_("应是文字格式，如“{example}、”").format(example="{" + fields[0] + "}"))
        try:
            parts = list(string.Formatter().parse(value))
        except ValueError as e:
            raise ValueError(_("格式“{value}”无效：{e}（花括号要成对，原样印出的花括号写成 {{{{ }}}}）").format(value=value, e=e)) from None
        for _text, name, spec, conv in parts:
            if name is not None and (name not in fields or spec or conv):
                allowed = "、".join("{" + f + "}" for f in fields)
                field = "{" + name + (":" + spec if spec else "") + "}"
                raise ValueError(_("格式“{value}”中的“{field}”不可用：只能用 {allowed}").format(
                    value=value, field=field, allowed=allowed))
        return value
    return check


Length = Annotated[float, BeforeValidator(_length)]
FontSize = Annotated[float, BeforeValidator(_font_size)]
Leading = Annotated[float, BeforeValidator(_leading)]
Colour = Annotated[str, BeforeValidator(_colour)]
Fraction = Annotated[float, BeforeValidator(_fraction)]
Flag = Annotated[bool, BeforeValidator(_strict_bool)]
Chars = Annotated[float, Field(ge=0, le=20)]
Rule = Annotated[float, Field(ge=0, le=20)]        # a rule's width in points


def _whole(lo: int, hi: int) -> Any:
    """A whole number from `lo` to `hi` as a value type (true/false refused)."""
    return Annotated[int, BeforeValidator(_count(lo, hi))]


class _Part(BaseModel):
    # a template may carry keys this model does not name yet; a briefing's overrides are checked apart
    model_config = ConfigDict(extra="allow", validate_default=False)


def _page_size(value: Any) -> str:
    if value not in PAGE_SIZES:
        raise ValueError(_("未知的纸张尺寸“{value}”：可选 {sizes}").format(value=value, sizes="、".join(PAGE_SIZES)))
    return value


class Page(_Part):
    size: Annotated[str, BeforeValidator(_page_size)] = "A4"
    landscape: Flag = False
    mirror: Flag = False
    balance: Flag = False
    margin_top: Length = 0.0
    margin_bottom: Length = 0.0
    margin_inner: Length = 0.0
    type_width: Length | None = None
    grid_chars: Annotated[int, BeforeValidator(_count(4, 200))] | None = None
    columns: Annotated[int, BeforeValidator(_count(1, 8))] = 1
    column_gap: Length = 0.0
    span_gap: Annotated[float, Field(ge=0, le=10)] | None = None


class Style(_Part):
    font: str | None = None
    size: FontSize | None = None
    leading: Leading | None = None
    align: Literal["left", "right", "center", "justify"] | None = None
    first_indent: Chars | None = None
    hanlatin: Flag | None = None
    space_before: Length | None = None
    space_after: Length | None = None
    color: Colour | None = None
    decor: Literal["box", "rule"] | None = None
    decor_color: Colour | None = None
    number: Annotated[str, BeforeValidator(_format("cn", "n"))] | None = None


class Masthead(_Part):
    kind: Annotated[str, OneOf(MASTHEADS.names)] | None = None
    label: str | None = None
    title_size: FontSize | None = None
    issue_size: FontSize | None = None
    meta_size: FontSize | None = None
    rule_width: Rule | None = None


class PageNumber(_Part):
    format: Annotated[str, BeforeValidator(_format("n"))] = "— {n} —"
    size: FontSize | None = None
    below: Length | None = None
    alternate: Flag | None = None


class Chart(_Part):
    font: str | None = None
    size: FontSize | None = None
    palette: Annotated[list[Colour], Field(min_length=1, max_length=64)] | None = None
    full_height: Annotated[float, Field(gt=0.05, le=2.0)] | None = None


class RunningHead(_Part):
    above: Length | None = None
    font: str | None = None
    rule: Rule | None = None
    size: FontSize | None = None


class ThemeModel(_Part):
    """A whole theme (a template's YAML merged with a briefing's `theme:`)."""

    name: str
    label: str | None = None
    page: Page = Field(default_factory=Page)
    colors: dict[str, Colour] = Field(default_factory=dict)
    styles: dict[str, Style] = Field(default_factory=dict)
    masthead: Masthead = Field(default_factory=Masthead)
    page_number: PageNumber = Field(default_factory=PageNumber)
    chart: Chart = Field(default_factory=Chart)
    running_head: RunningHead = Field(default_factory=RunningHead)
    fonts: dict[str, Any] = Field(default_factory=dict)     # a face name -> the user's own font file


# the parts of a theme whose every key may be left out (the layout has a default for each):
# each part's keys and the values a key takes
OPTIONAL_PARTS: dict[str, dict[str, Any]] = {
    "blocks": {"columns_min_chars": _whole(1, 200), "heading_keep_lines": _whole(2, 6)},
    "closing": {"rule_outer": Rule, "rule_inner": Rule},
    "contents": {"depth": _whole(0, 4), "title": str},
    "cover": {"title_at": Fraction, "issuer_at": Fraction},
    "keyfigures": {"per_row": _whole(1, 12), "span": str},
    "bullets": {"mark": str},
}


def _optional_part(name: str, keys: dict[str, Any]) -> type[_Part]:
    fields: dict[str, Any] = {key: (kind | None, None) for key, kind in keys.items()}
    return create_model(name.title(), __base__=_Part, **fields)


# a whole theme as it is checked: ThemeModel with the optional parts
_PARTS = {name: _optional_part(name, keys) for name, keys in OPTIONAL_PARTS.items()}
_PART_FIELDS: dict[str, Any] = {name: (part, Field(default_factory=part)) for name, part in _PARTS.items()}
CheckedTheme: type[ThemeModel] = create_model("CheckedTheme", __base__=ThemeModel, **_PART_FIELDS)


# ---- checks across fields --------------------------------------------------------------------------------

LATIN_ONLY = {"Helvetica", "Helvetica-Bold", "Times-Roman", "Times-Bold", "Courier", "Courier-Bold", "Symbol",
              "ZapfDingbats", "Helvetica-Oblique", "Times-Italic", "Courier-Oblique"}


def font_names() -> set[str]:
    """Font names a theme may use: the bundled faces by role (serif, sans-bold…) or by registered name."""
    return set(FACES) | set(FACES.values()) | set(fonts.FACES) | set(fonts.FACES.values())


def known_keys() -> dict[tuple, set[str]]:
    """Keys allowed under each path: the model's fields plus every key some bundled template uses."""
    known: dict[tuple, set[str]] = {}

    def add_model(model: type[BaseModel], path: tuple) -> None:
        known.setdefault(path, set()).update(model.model_fields)
        for name, f in model.model_fields.items():
            ann = f.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                add_model(ann, path + (name,))
    add_model(CheckedTheme, ())
    add_model(Style, ("styles", "*"))

    def add_yaml(node, path: tuple) -> None:
        if isinstance(node, dict):
            known.setdefault(path, set()).update(str(k) for k in node)
            for k, v in node.items():
                add_yaml(v, path + (("*",) if path == ("styles",) else (str(k),)))
    for p in HERE.glob("*.yaml"):
        add_yaml(_builtin(p.stem), ())
    return known


class ThemeProblem(Exception):
    """One wrong theme value: its path in the theme (("page", "columns")) and what is wrong."""

    def __init__(self, path: tuple, message: str, hint: str | None = None):
        super().__init__(message)
        self.path, self.message, self.hint = path, message, hint


def check_keys(overrides: dict, path: tuple = ()) -> None:
    """A key of a briefing's `theme:` that no theme knows is most likely a typo (`colums`)."""
    known = known_keys()
    for key, value in overrides.items():
        allowed = known.get(path if path[:1] != ("styles",) or len(path) < 2 else ("styles", "*") + path[2:])
        if path in (("styles",), ("colors",), ("fonts",)):
            allowed = None       # any style, colour role or font face name may be added
        if allowed is not None and str(key) not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
            hint = (_("您是不是要写“{name}”？").format(name=close[0]) if close
                    else _("可用的键：{names}").format(names="、".join(sorted(allowed))))
            raise ThemeProblem(path + (key,), _("主题中没有“{key}”这一项").format(key=key), hint)
        if value is None:
            raise ThemeProblem(path + (key,), _("主题值是空的"), _("删除这一行以沿用模板的值，或写出一个值"))
        if isinstance(value, dict):
            check_keys(value, path + (key,))


def validate_theme(data: dict) -> ThemeModel:
    """The merged theme as a model; raises ThemeProblem naming the first wrong value."""
    try:
        model = CheckedTheme.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        path = tuple(err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "literal_error":
            message = _("“{value}”不是可选的值：{expected}").format(value=err["input"], expected=err["ctx"]["expected"])
        elif err["type"] in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            message = _("“{value}”超出范围（{limit}）").format(value=err["input"], limit=err["msg"])
        elif err["type"] in ("int_type", "float_type", "int_parsing", "float_parsing", "string_type",
                             "list_type", "dict_type", "model_type"):
            message = _("“{value}”的类型不对（{expected}）").format(value=err["input"], expected=err["msg"])
        raise ThemeProblem(path, message) from None
    _check_fonts(model)
    _check_colours(model)
    return model


def _check_fonts(model: ThemeModel) -> None:
    names = font_names() | set(model.fonts)
    places: list[tuple[tuple[str, ...], str | None]] = [(("styles", k, "font"), s.font) for k, s in model.styles.items()]
    places += [(("chart", "font"), model.chart.font), (("running_head", "font"), model.running_head.font)]
    for path, font in places:
        if font is None or font in names:
            continue
        available = _("可用的字体：{names}").format(names="、".join(sorted(n for n in names if n.islower())))
        if font in LATIN_ONLY:
            raise ThemeProblem(path, _("字体“{font}”只有拉丁字母，没有汉字：文档中的中文会全部丢失").format(font=font),
                               available)
        close = difflib.get_close_matches(font, sorted(names), n=1)
        raise ThemeProblem(path, _("未知的字体“{font}”").format(font=font),
                           (_("您是不是要写“{name}”？").format(name=close[0]) if close else "") + available)


def _check_colours(model: ThemeModel) -> None:
    roles = set(model.colors)

    def ok(value: str) -> bool:
        if value.startswith("#"):
            return bool(HEX.match(value))
        return value in roles or isinstance(getattr(rl, value, None), rl.Color)

    places: list[tuple[tuple[str | int, ...], str | None]] = [(("colors", k), v) for k, v in model.colors.items()]
    for k, s in model.styles.items():
        places += [(("styles", k, "color"), s.color), (("styles", k, "decor_color"), s.decor_color)]
    places += [(("chart", "palette", i), v) for i, v in enumerate(model.chart.palette or [])]
    for path, value in places:
        if value is not None and not (ok(value) and (not value.startswith("#") or HEX.match(value))):
            raise ThemeProblem(path, _("“{value}”不是颜色").format(value=value),
                               _("写成 #c8161d（或 #c11）、颜色名（red、navy）或主题 colors 中的角色：{roles}").format(
                                   roles="、".join(sorted(roles))))
    for k, v in model.colors.items():
        if not v.startswith("#") and v in roles and v == k:
            raise ThemeProblem(("colors", k), _("颜色角色“{role}”指向自己").format(role=k))


def check_geometry(page_w: float, page_h: float, model: ThemeModel) -> None:
    """Margins that leave no type area (a "huge margin") are refused, naming the margin."""
    p = model.page
    width = p.type_width if p.type_width is not None else page_w - 2 * p.margin_inner
    height = page_h - p.margin_top - p.margin_bottom
    if width < MIN_TYPE_AREA or p.margin_inner + width > page_w + 0.5:
        key = "margin_inner" if 2 * p.margin_inner + MIN_TYPE_AREA > page_w or p.type_width is None else "type_width"
        raise ThemeProblem(("page", key), _("页边距过大：版心宽度不足 30 毫米或超出纸张"),
                           _("减小 margin_inner 或 type_width"))
    if height < MIN_TYPE_AREA:
        raise ThemeProblem(("page", "margin_top"), _("页边距过大：版心高度不足 30 毫米"),
                           _("减小 margin_top 或 margin_bottom"))
    gap_total = p.column_gap * (p.columns - 1)
    if gap_total >= width:
        raise ThemeProblem(("page", "column_gap"), _("栏间距过大：各栏没有宽度"))


def template_file(name: str) -> Path:
    return HERE / f"{name}.yaml"
