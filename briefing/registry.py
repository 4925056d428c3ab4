"""The lists the program is extended by, each kept in one place.

Every name a user may write from a fixed set — a chart type, a block type, a page form (template), a
schedule's period, a font face — is looked up in a registry here; the content schema, the JSON Schema for
editors, the messages that list the choices and the stages that do the work all read the same
registry, so adding one is adding it here (docs/extending.md has the recipes):

    from briefing.registry import ChartType, register_chart_type
    register_chart_type(ChartType("dot", draw="mypackage.dot:draw", multi=True))

This module imports nothing from the stages: the content stage reads names from it without pulling
in matplotlib or ReportLab, and a stage's code is named as "module:function" and imported only when
it is first used.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Named entries of one kind, in the order they were registered."""

    def __init__(self, kind: str):
        self.kind = kind
        self._items: dict[str, T] = {}
        self._watchers: list[Callable[[], None]] = []

    def watch(self, changed: Callable[[], None]) -> None:
        """Call `changed` after every later register/unregister (a stage that derives something from the
        entries, such as the content schema's union of block models, makes it again)."""
        self._watchers.append(changed)

    def _changed(self) -> None:
        for changed in self._watchers:
            changed()

    def register(self, name: str, item: T, *, replace: bool = False) -> T:
        """Add `item` as `name`; a name already taken is refused unless `replace`."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"a {self.kind} needs a name, not {name!r}")
        if name in self._items and not replace:
            raise ValueError(f"{self.kind} {name!r} is registered already (pass replace=True to replace it)")
        self._items[name] = item
        self._changed()
        return item

    def unregister(self, name: str) -> None:
        if self._items.pop(name, None) is not None:
            self._changed()

    def get(self, name: str) -> T:
        return self._items[name]

    def names(self) -> list[str]:
        return list(self._items)

    def items(self) -> list[tuple[str, T]]:
        return list(self._items.items())

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)


def load_object(ref: str | Callable[..., Any]) -> Callable[..., Any]:
    """A callable given as itself or as "package.module:function" (imported on first use)."""
    if callable(ref):
        return ref
    module, _, attr = ref.partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), attr)
    return found


# ---- chart types ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChartType:
    """One value of a chart's `type:` and what the chart stage needs to know about it.

    draw:   "module:function" or a callable (fig, plan, theme, fonts, width) that draws the checked plan
            on a matplotlib Figure (object API); the chart stage turns the figure into vector drawing.
    direct: instead of `draw`, a callable (plan, theme, width) -> ReportLab Drawing, for a chart that is
            drawn without matplotlib (the sparkline).
    """
    name: str
    draw: str | Callable[..., Any] | None = None
    direct: str | Callable[..., Any] | None = None
    multi: bool = False                 # may plot several y columns
    needs_x: bool = True                # has a category column x
    shares: bool = False                # parts of a whole (pie): values ≥ 0, labels on, no axes
    bars: bool = False                  # drawn as bars (the chart-choice checks use it)
    categorical: bool = True            # one category per row (the category limit applies)
    y2: bool = False                    # has a second value axis (y2)
    default_height: float | None = 0.62   # height ÷ width; None: from the number of rows (barh)
    labels: bool | None = None          # data labels by default: True/False, None = when few points
    help: str = ""                      # one line for the editor's hover help

    def __post_init__(self) -> None:
        if (self.draw is None) == (self.direct is None):
            raise ValueError(f"chart type {self.name!r} needs exactly one of draw= or direct=")


CHART_TYPES: Registry[ChartType] = Registry("chart type")


def register_chart_type(chart: ChartType, *, replace: bool = False) -> ChartType:
    """Make `chart.name` a valid `type:` of a chart block, in validation, the JSON Schema and drawing."""
    return CHART_TYPES.register(chart.name, chart, replace=replace)


_DRAW = "briefing.charts.render:draw_builtin"
for _chart in (
    ChartType("bar", _DRAW, multi=True, bars=True, help="柱形图"),
    ChartType("barh", _DRAW, multi=True, bars=True, default_height=None, help="条形图（横向）"),
    ChartType("grouped", _DRAW, multi=True, bars=True, help="簇状柱形图"),
    ChartType("stacked", _DRAW, multi=True, bars=True, help="堆积柱形图"),
    ChartType("line", _DRAW, multi=True, categorical=False, help="折线图"),
    ChartType("area", _DRAW, multi=True, categorical=False, labels=False, help="面积图"),
    ChartType("pie", _DRAW, shares=True, labels=True, help="饼图"),
    ChartType("donut", _DRAW, shares=True, labels=True, help="环形图"),
    ChartType("combo", _DRAW, multi=True, bars=True, y2=True, default_height=0.72, help="柱线组合图（右轴为增速）"),
    ChartType("sparkline", direct="briefing.charts:sparkline_of", needs_x=False, categorical=False,
              default_height=0.25, labels=False, help="迷你走势线"),
):
    register_chart_type(_chart)


# ---- block types ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class BlockType:
    """One kind of block a section's `blocks:` may hold (`- quote: …`) and the code each stage runs for it.

    model:   the pydantic model of the block, or "module:Class": a model with the one field `name` (and
             extra=forbid, as briefing.content.schema.Strict); validation, the "unknown block type" message,
             Markdown fences and the JSON Schema for editors read it from here
    layout:  "module:function" or a callable (builder, value, width) -> list of ReportLab flowables; None:
             the layout's own method Builder.b_<name> (the bundled blocks)
    edition: "module:function" or a callable (value) -> list of edition pieces (briefing.editions.model.Para,
             Heading, Table …) for the web page, the Word copy and the phone images; None: those editions
             refuse the block with a located message (the bundled blocks are handled there by name)
    help:    one line for the editor's hover help
    fence:   may be written as a ```name fence in a Markdown section (not the blocks Markdown has a syntax for)
    """
    name: str
    model: str | type
    layout: str | Callable[..., Any] | None = None
    edition: str | Callable[..., Any] | None = None
    help: str = ""
    fence: bool = True


# the bundled block types are registered by briefing.content.schema, beside their models
BLOCK_TYPES: Registry[BlockType] = Registry("block type")


def register_block_type(block: BlockType, *, replace: bool = False) -> BlockType:
    """Make `block.name` a block type: validated, laid out, in the editions (when it says how) and in
    `briefing schema`, from the next build on."""
    return BLOCK_TYPES.register(block.name, block, replace=replace)


# ---- templates (page forms) -----------------------------------------------------------------------

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
USER_TEMPLATES = "templates"        # a folder of this name beside the briefing's YAML is searched too


def template_files(folders: tuple[Path, ...] | list[Path] = ()) -> dict[str, Path]:
    """Every template by name: the bundled ones (briefing/templates/*.yaml), then each of `folders` in
    order — a template there is a YAML file whose name is the template's name, and it replaces a
    bundled one of the same name."""
    found = {p.stem: p for p in sorted(BUILTIN_TEMPLATES.glob("*.yaml"))}
    for folder in folders:
        if folder.is_dir():
            found.update({p.stem: p for p in sorted(folder.glob("*.yaml")) if p.is_file()})
    return found


# what opens the document: the masthead of a 简报, the headline band of a 专刊, a report's cover; a
# template picks one with `masthead: {kind: …}`. Each is a function (theme, doc, width) -> flowables.
MASTHEADS: Registry[str | Callable[..., Any]] = Registry("masthead kind")
MASTHEADS.register("jianbao", "briefing.templates.pages:_jianbao_masthead")
MASTHEADS.register("zhuankan", "briefing.templates.pages:_zhuankan_headline")
MASTHEADS.register("report", "briefing.templates.pages:_report_title")


# ---- font faces ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FontFace:
    """A face a theme names by role (`font: serif`, `font: kai-bold`).

    font:     the ReportLab font name it prints in
    file:     its TrueType file in the bundled fonts/ folder; None when none is bundled
    bold:     the face `**bold**` text in it switches to
    stand_in: the face that prints when it has no file (and the theme names none of the user's)
    css:      (CSS family, weight) in the web edition, for a bundled file
    matplotlib: the family name charts use, for a regular face whose file is bundled
    """
    name: str
    font: str
    file: str | None = None
    bold: str | None = None
    stand_in: str | None = None
    css: tuple[str, int] | None = None
    matplotlib: str | None = None


FONT_FACES: Registry[FontFace] = Registry("font face")
for _face in (
    FontFace("serif", "BriefingSerif", "BriefingSerifSC-Regular.ttf", bold="serif-bold",
             css=("Briefing Serif SC", 400), matplotlib="Briefing Serif SC"),
    FontFace("serif-bold", "BriefingSerif-Bold", "BriefingSerifSC-Bold.ttf", css=("Briefing Serif SC", 700)),
    FontFace("sans", "BriefingSans", "BriefingSansSC-Regular.ttf", bold="sans-bold",
             css=("Briefing Sans SC", 400), matplotlib="Briefing Sans SC"),
    FontFace("sans-bold", "BriefingSans-Bold", "BriefingSansSC-Bold.ttf", css=("Briefing Sans SC", 700)),
    FontFace("kai", "BriefingKai", "BriefingKaiSC-Regular.ttf", bold="kai-bold", stand_in="serif-bold"),
    FontFace("kai-bold", "BriefingKai-Bold", "BriefingKaiSC-Bold.ttf", stand_in="serif-bold"),
    # no 仿宋 under an open licence could be had: Song stands in unless the theme names a file
    FontFace("fangsong", "BriefingFangSong", bold="fangsong-bold", stand_in="serif"),
    FontFace("fangsong-bold", "BriefingFangSong-Bold", stand_in="serif-bold"),
):
    FONT_FACES.register(_face.name, _face)


# ---- schedule periods ------------------------------------------------------------

@dataclass(frozen=True)
class PeriodKind:
    """A schedule's `period:` — which stretch of time an issue covers, counted from its date.

    span: "module:function" or a callable (issue date) -> (first day, last day, label such as 2026年10月).
    """
    name: str
    span: str | Callable[..., Any]
    help: str = ""


PERIOD_KINDS: Registry[PeriodKind] = Registry("period kind")
for _period in (PeriodKind("last_week", "briefing.schedule.timing:last_week", "上一周（周一至周日）"),
                PeriodKind("last_month", "briefing.schedule.timing:last_month", "上个月"),
                PeriodKind("last_quarter", "briefing.schedule.timing:last_quarter", "上一季度"),
                PeriodKind("year_to_date", "briefing.schedule.timing:year_to_date", "1月1日至发布前一天"),
                PeriodKind("current_day", "briefing.schedule.timing:current_day", "发布当天")):
    PERIOD_KINDS.register(_period.name, _period)
