"""Between data and layout: resolve what blocks point at (charts, tables, images).

Charts are rendered here (stage 3) so layout receives finished drawings and
never calls matplotlib; tables get their data sets and images are checked.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .content.paths import resolve as resolve_path
from .content.walk import blocks
from .content.yamlload import undotted
from .errors import ContentError, ContentErrors
from .data import dataset_for
from .layout.blocks import keyfigure_columns


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
    from PIL import Image, ImageFile

    from .i18n import _

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(path) as im:
            im.load()
    except Exception as e:  # noqa: BLE001 - PIL raises OSError, SyntaxError, ValueError… for broken data
        raise ContentError(_("图片文件已损坏或不完整：{e}").format(e=e), where,
                           _("请重新导出或重新下载该图片")) from None


def chart_theme(theme):
    from .charts import ChartTheme
    from .templates.units import size

    return ChartTheme(palette=tuple(theme.get("chart", "palette", default=())) or ChartTheme().palette,
                      font_size=size(theme.get("chart", "size", default=9)),
                      text_color=theme.color("text"),
                      negative_color=theme.color("negative"))


def collect(resolved, theme, width: float, cache_dir=None) -> Assets:
    from . import charts

    out = Assets()
    positions = resolved.content.positions
    ctheme = chart_theme(theme)
    gap = theme.body_size
    jobs = []
    for path, block, ncols in blocks(resolved.doc):
        w = (width - gap * (ncols - 1)) / ncols
        if hasattr(block, "chart") and block.chart.width == "full" and ncols == 1:
            w = theme.type_area(1).width      # a full-width chart spans the columns (专刊)
        where = positions.find(path + ("chart",)) if hasattr(block, "chart") else positions.find(path)
        if hasattr(block, "chart"):
            spec = block.chart
            ds = dataset_for(spec.data, resolved, positions.find(path + ("chart", "data")))
            name = spec.caption or spec.title or f"chart@{where.line}"
            jobs.append((spec, ds, w, where, name))
        elif hasattr(block, "table"):
            out.tables[id(block.table)] = dataset_for(block.table.data, resolved,
                                                      positions.find(path + ("table", "data")))
        elif hasattr(block, "image"):
            from .layout.image import PRINT_DPI, inspect_image, print_dpi

            file_where = positions.find(path + ("image", "file"))
            p = resolve_path(resolved.content.base, block.image.file, file_where,
                             allow_outside=resolved.content.allow_outside)
            info = inspect_image(p, file_where)
            _decodes(p, file_where)
            if print_dpi(info, w) < PRINT_DPI:
                out.warnings.append(f"{file_where}: 图片分辨率偏低（约 {print_dpi(info, w):.0f} dpi），印刷可能发虚")
            out.images[id(block.image)] = (p, info)
        elif hasattr(block, "keyfigures"):
            per_row = keyfigure_columns(len(block.keyfigures), theme)
            for k, fig in enumerate(block.keyfigures):
                if fig.trend:
                    tw = positions.find(path + ("keyfigures", k, "trend"))
                    ds = dataset_for(fig.trend.data, resolved, tw)
                    values = ds.column(fig.trend.column, numeric=True)
                    cell = w / per_row - 8
                    out.sparklines[id(fig)] = charts.sparkline([v for v in values if v is not None],
                                                               cell, cell * 0.28, ctheme)
    try:
        drawings = charts.render_charts(
            [(spec.model_dump(exclude_none=True), ds, ctheme, w, where, name) for spec, ds, w, where, name in jobs],
            cache_dir=cache_dir)
    except ContentError as e:
        raise _precise(e, positions) from None
    for (spec, *_), drawing in zip(jobs, drawings):
        out.drawings[id(spec)] = drawing
    out.warnings += charts.lint_document(resolved)
    return out
