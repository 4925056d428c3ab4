"""Themes: page forms as data.

A theme is a YAML file (briefing/templates/<name>.yaml) holding the page
geometry, colours, text styles and decorations of one form of document. A
briefing picks one with `template:` and adjusts any value with `theme:`
(deep-merged), so users restyle without touching Python.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from reportlab.lib import pagesizes

from ..content.paths import resolve
from ..content.yamlload import load_yaml
from ..errors import ContentError, Location
from ..fonts import register_user_font, registered
from ..i18n import _
from ..layout.paper import COLOR_EMPHASIS, LINK_STYLES
from ..layout.style import TextStyle
from ..registry import FONT_FACES, template_files
from .units import length, size

if TYPE_CHECKING:
    from .model import ThemeModel

HERE = Path(__file__).parent
PAGE_SIZES = {
    "A4": pagesizes.A4, "A3": pagesizes.A3, "B4": pagesizes.B4, "B5": pagesizes.B5,
    # a Chinese broadsheet (对开) is about 390 × 550 mm; tabloid (四开) about 275 × 390 mm
    "broadsheet": (390 * 72 / 25.4, 550 * 72 / 25.4), "tabloid": (275 * 72 / 25.4, 390 * 72 / 25.4),
}
# the faces by role (briefing/registry.py FONT_FACES): role -> ReportLab font name; a face without a
# font of its own prints in its stand-in (no 仿宋 is bundled, so Song stands in unless the theme names a
# file, `fonts: {fangsong: …}`); a face's bold counterpart
FACES = {f.name: f.font for _n, f in FONT_FACES.items()}
STAND_INS = {f.font: FONT_FACES.get(f.stand_in).font for _n, f in FONT_FACES.items() if f.stand_in}
BOLD = {f.font: FONT_FACES.get(f.bold).font for _n, f in FONT_FACES.items() if f.bold}


MAX_EXTENDS = 8          # `extends:` chains longer than this are refused (and cycles with them)


@lru_cache(maxsize=8)
def _builtin(name: str) -> dict:
    path = HERE / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def available(templates: dict[str, Path] | None = None) -> list[str]:
    """The template names: the bundled ones, or those of `templates` (a briefing's, content.Content)."""
    return sorted(templates if templates is not None else template_files())


def template_data(name: str, templates: dict[str, Path] | None = None, depth: int = 0) -> dict:
    """A template's values: the bundled YAML as it is, a user's YAML read with the content's bounded
    loader (located faults) and laid over the template it `extends:` (if any)."""
    found = templates if templates is not None else template_files()
    path = found[name]
    if path.parent.resolve() == HERE.resolve():
        return copy.deepcopy(_builtin(path.stem))

    data, positions = load_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(_("模板文件的顶层应是映射（page: …、styles: … 等）"), positions.find(()))
    data = dict(data)
    base = data.pop("extends", None)
    if base is not None:
        where = positions.find(("extends",))
        # a user's `jianbao.yaml` that extends `jianbao` means the bundled one it replaces
        under = {**found, name: HERE / f"{name}.yaml"} if base == name else found
        if not isinstance(base, str) or base not in under or not under[base].is_file() or depth >= MAX_EXTENDS:
            raise ContentError(_("模板“{name}”的 extends 无效：“{base}”").format(name=name, base=base), where,
                               _("可选：{names}").format(names="、".join(sorted(under))))
        data = merge(template_data(base, under, depth + 1), data)
    data.setdefault("name", name)
    return data


def merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


@dataclass
class Frame:
    x: float
    y: float
    width: float
    height: float


class Theme:
    """A theme's values with the lookups the later stages need."""

    def __init__(self, data: dict, where: Location | None = None):
        self.data = data
        self.where = where or Location()
        self.name: str = data["name"]
        self.model: ThemeModel | None = None   # the checked values, set by load_theme
        # the addresses of links printed as footnotes (`text.link_style: footnote`), in order: every
        # TextStyle of this theme appends to this one list, so the marks number across the document
        self.link_notes: list[str] = []
        self.running_title = ""                 # the document's title in the running head (pages.py)

    # -- values ---------------------------------------------------------------
    def get(self, *keys: str, default: Any = None) -> Any:
        node = self.data
        for k in keys:
            if not isinstance(node, dict) or k not in node:
                return default
            node = node[k]
        return node

    def length(self, *keys: str, default: Any = 0.0) -> float:
        value = self.get(*keys, default=default)
        try:
            return length(value)
        except ValueError as e:
            raise ContentError(_("主题中的长度“{key}”无效：{e}").format(key=".".join(keys), e=e), self.where) from None

    def color(self, name: str) -> str:
        """A colour by role (accent, muted…) or as written (#rrggbb)."""
        return self.get("colors", name, default=name)

    def font(self, face: str) -> str:
        """The ReportLab font name of a face (serif, sans, kai, fangsong, their -bold, or a font name)."""
        own = self._own_font(face)
        if own:
            return own
        name = FACES.get(face, face)
        if registered(name):
            return name
        return STAND_INS.get(name, name)

    def _own_font(self, face: str) -> str | None:
        """A face the theme points at a font file of the user's (`fonts: {fangsong: fonts/仿宋.ttf}`),
        relative to the briefing's folder and inside it."""
        file = self.get("fonts", face)
        if not file or face not in FACES:
            return None
        base = Path(self.where.file).parent if self.where.file else Path.cwd()
        path = resolve(base, str(file), self.where)
        return register_user_font(path, self.where)

    # -- geometry -------------------------------------------------------------
    @property
    def page_size(self) -> tuple[float, float]:
        name = self.get("page", "size", default="A4")
        if name not in PAGE_SIZES:
            raise ContentError(_("未知的纸张尺寸“{name}”").format(name=name), self.where,
                               _("可选：{names}").format(names="、".join(PAGE_SIZES)))
        w, h = PAGE_SIZES[name]
        return (h, w) if self.get("page", "landscape") else (w, h)

    @property
    def body_size(self) -> float:
        return size(self.get("styles", "body", "size", default=10.5))

    @property
    def body_leading(self) -> float:
        grid = self.grid
        if grid:
            return self.type_area(1).height / grid[1]
        return length(self.get("styles", "body", "leading", default=18))

    @property
    def grid(self) -> tuple[int, int] | None:
        """(characters per line, lines per page) of the character grid, or None.

        GB/T 9704 asks for 28 characters × 22 lines of 三号 in a 156 × 225 mm
        area, but 28 × 16 pt = 448 pt is wider than 156 mm (442.2 pt): as
        Word's document grid does, each character then takes 1/28 of the line
        (15.79 pt) while its glyph keeps its size.
        """
        spec = self.get("page", "grid")
        if not spec:
            return None
        try:
            chars, lines = int(spec["chars"]), int(spec["lines"])
        except (TypeError, KeyError, ValueError):
            raise ContentError(_("主题中的“page.grid”应写作 {example}").format(example="{chars: 28, lines: 22}"), self.where) from None
        if chars < 1 or lines < 1:
            raise ContentError(_("主题中的“page.grid”应写作 {example}").format(example="{chars: 28, lines: 22}"), self.where)
        return chars, lines

    @property
    def char_pitch(self) -> float:
        """Advance of one body character: the grid's pitch, or the body size without a grid."""
        grid = self.grid
        return self.type_area(1).width / grid[0] if grid else self.body_size

    def type_area(self, page: int = 1) -> Frame:
        """The type area (版心) of a page; inner margin on the binding side."""
        pw, ph = self.page_size
        top, bottom = self.length("page", "margin_top"), self.length("page", "margin_bottom")
        inner = self.length("page", "margin_inner")
        width = self.length("page", "type_width", default=pw - 2 * inner)
        # odd pages bind on the left; even pages on the right (mirrored)
        x = inner if page % 2 or not self.get("page", "mirror", default=False) else pw - inner - width
        return Frame(x, bottom, width, ph - top - bottom)

    def columns(self, area: Frame) -> list[Frame]:
        """Column frames inside the type area, each a whole number of body characters wide."""
        n = int(self.get("page", "columns", default=1))
        gap = self.length("page", "column_gap", default=0)
        em = self.body_size
        chars = self.get("page", "grid_chars")
        if self.grid and n == 1:
            width = area.width          # the grid divides the whole type area
        elif chars and n == 1:
            width = chars * em
        else:
            width = (area.width - gap * (n - 1)) / n
            width = int(width / em) * em
        total = n * width + (n - 1) * gap
        x0 = area.x + (area.width - total) / 2
        # the height is a whole number of lines, so every column ends on the grid
        lines = int((area.height + 0.01) / self.body_leading)
        height = lines * self.body_leading
        y0 = area.y + area.height - height
        return [Frame(x0 + i * (width + gap), y0, width, height) for i in range(n)]

    # -- text styles ------------------------------------------------------------
    def style(self, name: str, **changes: Any) -> TextStyle:

        spec = dict(self.get("styles", name, default={}) or {})
        spec.update(changes)
        face = spec.pop("font", "serif")
        font = self.font(face)
        bold = self.font(face + "-bold") if face + "-bold" in FACES else BOLD.get(font, font)
        fsize = size(spec.pop("size", 10.5))
        leading = length(spec.pop("leading", fsize * 1.6))
        pitch = 0.0
        # text at the body size sits on the character grid (its pitch and line pitch) unless `grid: false`
        if spec.pop("grid", True) and self.grid and abs(fsize - self.body_size) < 0.01:
            pitch, leading = self.char_pitch, self.body_leading
        color = self.color(spec.pop("color", "text"))
        spec.pop("number", None)
        return TextStyle(font=font, bold_font=bold, size=fsize, leading=leading, color=color,
                         align=spec.pop("align", "justify"), first_indent=float(spec.pop("first_indent", 0)),
                         hanlatin=bool(spec.pop("hanlatin", True)),
                         space_before=length(spec.pop("space_before", 0)),
                         space_after=length(spec.pop("space_after", 0)), pitch=pitch, **self._paper(color))

    def _paper(self, color: str) -> dict[str, Any]:
        """Colour and links on paper (`text:` in the theme; see layout/paper.py)."""
        colors = bool(self.get("text", "colors", default=True))
        emphasis = self.get("text", "color_emphasis", default="bold")
        links = self.get("text", "link_style", default="inline")
        for key, value, allowed in (("color_emphasis", emphasis, COLOR_EMPHASIS), ("link_style", links, LINK_STYLES)):
            if value not in allowed:
                raise ContentError(_("主题中的“text.{key}”不能是“{value}”").format(key=key, value=value), self.where,
                                   _("可选：{names}").format(names="、".join(allowed)))
        out: dict[str, Any] = {"colors": colors, "color_emphasis": emphasis, "link_style": links, "notes": self.link_notes}
        if not colors:
            out["link_color"] = color
        return out


def load_theme(name: str, overrides: dict | None = None, page_size: str | None = None,
               where: Location | None = None, positions=None, templates: dict[str, Path] | None = None) -> Theme:
    """The template `name` with a briefing's `theme:` overrides, every value checked (templates/model.py);
    `positions` (the content's) locate a wrong override at its line; `templates` are the ones the
    briefing can see (content.Content.templates: the bundled ones and the user's folders)."""
    from .model import ThemeProblem, check_geometry, check_keys, validate_theme  # cycle: model reads this module's tables

    found = templates if templates is not None else template_files()
    if name not in found:
        raise ContentError(_("未知的模板“{name}”").format(name=name), where or Location(),
                           _("可选：{names}").format(names="、".join(available(found))))
    if overrides is not None and not isinstance(overrides, dict):
        raise ContentError(_("theme 应是映射（键: 值）"), positions.find(("theme",)) if positions else where or Location())
    data = merge(template_data(name, found), overrides or {})
    if page_size:
        data = merge(data, {"page": {"size": page_size}})
    theme = Theme(data, where)
    try:
        if overrides:
            check_keys(overrides)
        theme.model = validate_theme(data)
        check_geometry(*theme.page_size, theme.model)
    except ThemeProblem as p:
        raise ContentError(_("主题值“{key}”无效：{msg}").format(key=".".join(str(k) for k in p.path), msg=p.message),
                           _theme_location(p.path, overrides, positions, found[name]), p.hint) from None
    return theme


def _theme_location(path: tuple, overrides: dict | None, positions, file: Path) -> Location:
    """Where a theme value was written: in the briefing's `theme:` if it overrides it, else in the template."""
    node = overrides or {}
    for key in path:
        if (isinstance(node, dict) and key in node) or (isinstance(node, list) and isinstance(key, int) and key < len(node)):
            node = node[key]
        else:
            break
    else:
        if positions is not None:
            return positions.find(("theme", *path))
    if overrides and path[:1] and path[0] in overrides and positions is not None:
        return positions.find(("theme", *path))
    if file.parent.resolve() != HERE.resolve():      # a user's template: at its line, when it writes the key

        found = load_yaml(file)[1].where.get(tuple(path))
        if found is not None:
            return Location(found.file, found.line, found.column, ".".join(str(k) for k in path))
    return Location(str(file), path=".".join(str(k) for k in path))
