"""Between data and layout: resolve what blocks point at (charts, tables, images).

Charts are rendered here (stage 3) so layout receives finished drawings and
never calls matplotlib; tables get their data sets and images are checked.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from PIL import Image, ImageFile

from . import charts
from .charts import ChartTheme, lint_document, plan_chart
from .content.paths import resolve as resolve_path
from .content.yamlload import undotted
from .data import dataset_for
from .data.limits import check_chart, check_table
from .errors import ContentError, ContentErrors
from .i18n import _
from .layout.image import PRINT_DPI, inspect_image, print_dpi
from .templates.placement import article_width, chart_size, keyfigure_columns, keyfigure_width, side_by_side
from .templates.units import size


@dataclass
class Assets:
    drawings: dict = field(default_factory=dict)     # id(chart spec) -> Drawing
    sparklines: dict = field(default_factory=dict)   # id(key figure) -> Drawing
    tables: dict = field(default_factory=dict)       # id(table spec) -> Dataset
    images: dict = field(default_factory=dict)       # id(image spec) -> (Path, ImageInfo)
    warnings: list = field(default_factory=list)


def _precise(error: ContentError, positions) -> ContentError:
    """Charts name the field at fault (…blocks[1].y); point at the line that field is on."""
    if isinstance(error, ContentErrors):
        return ContentErrors([_precise(e, positions) for e in error.errors])
    path = error.location.path
    if path and path.startswith("sections"):
        parts = undotted(path)
        if "chart" not in parts and len(parts) > 4:      # …blocks[1].y -> …blocks[1].chart.y
            parts = parts[:4] + ("chart",) + parts[4:]
        if parts in positions.where:
            error.location = positions.find(parts)
    return error


def _decodes(path, where) -> None:
    """Decode every pixel: PIL's verify() does not notice a truncated JPEG, which would then be embedded as it
    is (ReportLab passes JPEG data through) and print half grey. inspect_image has already bounded the size."""
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(path) as im:
            im.load()
    except Exception as e:  # noqa: BLE001 - PIL raises OSError, SyntaxError, ValueError… for broken data
        raise ContentError(_("图片文件已损坏或不完整：{e}").format(e=e), where,
                           _("请重新导出或重新下载该图片")) from None


def chart_theme(theme):
    return ChartTheme(palette=tuple(theme.get("chart", "palette", default=())) or ChartTheme().palette,
                      font_size=size(theme.get("chart", "size", default=9)),
                      text_color=theme.color("text"),
                      negative_color=theme.color("negative"))


def placed_blocks(doc, theme, width: float):
    """(yaml path, block, width it is set at, nested in a columns block) for every block, in reading order:
    the same widths layout gives them (see templates.placement)."""
    for s, section in enumerate(doc.sections):
        yield from _placed(section.blocks, ("sections", s, "blocks"), width, False, theme)


def _placed(items, path: tuple, width: float, nested: bool, theme):
    for i, block in enumerate(items):
        here = path + (i,)
        yield here, block, width, nested
        cols = getattr(block, "columns", None)
        if isinstance(cols, list) and cols:
            each = side_by_side(theme, width, len(cols))
            for c, col in enumerate(cols):
                yield from _placed(col, here + ("columns", c), width if each is None else each, True, theme)


@dataclass
class Checked:
    """What `check` found: every reference resolved and checked, nothing drawn yet."""
    jobs: list = field(default_factory=list)         # (spec, render job) per chart
    trends: list = field(default_factory=list)       # (key figure, values, cell width) per sparkline
    assets: Assets = field(default_factory=Assets)


def check(resolved, theme, width: float) -> Checked:
    """Resolve and check everything blocks point at — data sets, columns of charts, tables and sparklines,
    images — without drawing. `briefing validate` stops here; `build` goes on to `collect`, so both
    report the same problem with the same message."""
    done = Checked()
    out = done.assets
    positions = resolved.content.positions
    ctheme = chart_theme(theme)
    fulls = [article_width(theme, s) for s in resolved.doc.sections]
    for path, block, w, nested in placed_blocks(resolved.doc, theme, width):
        if hasattr(block, "chart"):
            spec = block.chart
            where = positions.find(path + ("chart",))
            ds = dataset_for(spec.data, resolved, positions.find(path + ("chart", "data")))
            check_chart(spec.type, ds, positions.find(path + ("chart", "data")))
            cw, ratio = chart_size(theme, spec, w, nested, fulls[path[1]])
            dump = spec.model_dump(exclude_none=True)
            if ratio is not None:
                dump["height"] = ratio
            done.jobs.append((spec, (dump, ds, ctheme, cw, where, spec.caption or spec.title or f"chart@{where.line}")))
        elif hasattr(block, "table"):
            spec = block.table
            ds = dataset_for(spec.data, resolved, positions.find(path + ("table", "data")))
            for c, column in enumerate(spec.columns or []):
                _column_at(ds, column, positions.find(path + ("table", "columns", c)),
                           _("（表格“{t}”）").format(t=spec.title or ds.name))
            out.tables[id(spec)] = ds
            check_table(ds, positions.find(path + ("table", "data")), len(spec.columns) if spec.columns else None,
                        w, theme.style("table").size + 10.0)
        elif hasattr(block, "image"):
            _image(block.image, path, w, resolved, out)
        elif hasattr(block, "keyfigures"):
            _trends(block.keyfigures, path, keyfigure_width(theme, w, nested), resolved, theme, done)
    errors = []
    for _spec, (dump, ds, _theme, _w, where, name) in done.jobs:
        try:
            plan_chart(dump, ds, where=where, name=name)
        except ContentError as e:
            errors.append(_precise(e, positions))
    if errors:
        raise errors[0] if len(errors) == 1 else ContentErrors(errors)
    out.warnings += lint_document(resolved)       # chart-choice advice, once every chart is known to be sound
    return done


def _column_at(ds, column: str, where, context: str, numeric: bool = False) -> list:
    """A column a block names, or an error at the line that names it (the data set and its file in the hint)."""
    if column not in ds.columns:
        try:
            ds.column(column, context=context)
        except ContentError as e:
            raise ContentError(e.message, where, e.hint) from None
    return ds.column(column, numeric=numeric, context=context)


def _trends(figures, path: tuple, width: float, resolved, theme, done: Checked) -> None:
    positions = resolved.content.positions
    per_row = keyfigure_columns(len(figures), theme)
    for k, fig in enumerate(figures):
        if fig.trend:
            tw = path + ("keyfigures", k, "trend")
            ds = dataset_for(fig.trend.data, resolved, positions.find(tw + ("data",)))
            values = _column_at(ds, fig.trend.column, positions.find(tw + ("column",)),
                                _("（关键数字“{label}”的走势）").format(label=fig.label), numeric=True)
            done.trends.append((fig, values, width / per_row - 8))


def collect(resolved, theme, width: float, cache_dir=None, checked: Checked | None = None) -> Assets:
    """Charts drawn once at their final width, tables' data sets, images checked, sparklines."""
    done = checked or check(resolved, theme, width)
    out = done.assets
    ctheme = chart_theme(theme)
    for fig, values, cell in done.trends:
        out.sparklines[id(fig)] = charts.sparkline([v for v in values if v is not None], cell, cell * 0.28, ctheme)
    try:
        drawings = _render_quietly([job for _spec, job in done.jobs], cache_dir, out.warnings)
    except ContentError as e:
        raise _precise(e, resolved.content.positions) from None
    for (spec, _job), drawing in zip(done.jobs, drawings):
        out.drawings[id(spec)] = drawing
    return out


def _render_quietly(jobs: list, cache_dir, warnings_out: list) -> list:
    """Render charts; a library's warning becomes a build warning instead of reaching the terminal."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        drawings = charts.render_charts(jobs, cache_dir=cache_dir)
    for w in caught:
        warnings_out.append(f"图表：{w.message}")
    return drawings


def _image(spec, path: tuple, width: float, resolved, out: Assets) -> None:
    file_where = resolved.content.positions.find(path + ("image", "file"))
    p = resolve_path(resolved.content.base, spec.file, file_where, allow_outside=resolved.content.allow_outside)
    info = inspect_image(p, file_where)
    _decodes(p, file_where)
    if print_dpi(info, width) < PRINT_DPI:
        out.warnings.append(f"{file_where}: 图片分辨率偏低（约 {print_dpi(info, width):.0f} dpi），印刷可能发虚")
    out.images[id(spec)] = (p, info)


