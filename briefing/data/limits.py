"""Resource limits: what one briefing may ask for, so no input runs for minutes or eats gigabytes unexplained.

Each limit is far above what a real briefing uses (a monthly 简报 has 5–10 sections, tables of a few dozen
rows and charts of a dozen categories) and each message says what to do instead: usually aggregate the
data first. A user who really needs more raises a limit with an environment variable named in the
message (BRIEFING_MAX_SECTIONS=5000 …). docs/limits.md lists them.
"""
from __future__ import annotations

import os

from ..content.paths import confine
from ..content.walk import blocks
from ..errors import ContentError, Location
from ..i18n import _
from ..registry import CHART_TYPES

LIMITS = {
    "sections": 1000,          # sections in one briefing (each one is a heading, a bookmark, a TOC line)
    "data_rows": 200_000,      # rows read from one data file (XLSX expands: 64 MB can hold millions)
    "table_rows": 20_000,      # rows one table prints (about 500 pages)
    "table_columns": 40,       # columns of one table (a page is not wider than this at 5 pt)
    "chart_categories": 200,   # bars, slices or categories of one chart
    "chart_points": 20_000,    # points of one line or area chart
    "table_cell": 2000,        # characters in one table cell (beyond this, no column of a page can hold it)
    "markup": 2000,            # markup characters (* { ^ [) in one text field: the inline parser is quadratic in them
}


def limit(name: str) -> int:
    raw = os.environ.get(f"BRIEFING_MAX_{name.upper()}", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else LIMITS[name]


def _too_many(what: str, found: int, name: str, where: Location, hint: str) -> ContentError:
    return ContentError(_("{what}过多：{found}，上限 {n}").format(what=what, found=found, n=limit(name)), where,
                        hint + _("（确需更多时设置环境变量 BRIEFING_MAX_{var}）").format(var=name.upper()))


def check_sections(count: int, where: Location) -> None:
    if count > limit("sections"):
        raise _too_many(_("栏目"), count, "sections", where, _("请把栏目分成几期或几份简报"))


def check_table(ds, where: Location, columns: int | None = None, width: float | None = None,
                least: float | None = None) -> None:
    """Rows and columns a table may print; with `width` (the frame) and `least` (one character plus the
    cell padding), also whether its columns fit at all."""
    rows = len(ds)
    if rows > limit("table_rows"):
        raise _too_many(_("表格行数"), rows, "table_rows", where,
                        _("表格应印汇总后的数据：先在数据中分组求和（或用 derive），只列出要读的行"))
    cols = columns if columns is not None else len(ds.names)
    if cols > limit("table_columns"):
        raise _too_many(_("表格列数"), cols, "table_columns", where,
                        _("用 columns: 选出要印的列，或把表格拆成两张"))
    if width and least and cols * least > width:
        raise ContentError(_("表格太宽：{n} 列放不进 {w} 毫米宽的栏（每列至少 {m} 毫米）").format(
            n=cols, w=round(width / 72 * 25.4), m=round(least / 72 * 25.4, 1)), where,
            _("用 columns: 选出要印的列，或把表格拆成两张"))
    cell_limit = limit("table_cell")
    for name in ds.names:
        for i, v in enumerate(ds.columns[name]):
            if isinstance(v, str) and len(v) > cell_limit:
                raise _too_many(_("表格单元格的字数"), len(v), "table_cell", ds.cell_location(i, name),
                                _("表格单元格应是简短的文字；长文字请写成段落"))


def check_chart(kind: str, ds, where: Location) -> None:
    rows = len(ds)
    if kind in CHART_TYPES and CHART_TYPES.get(kind).categorical and rows > limit("chart_categories"):
        raise _too_many(_("图表的类别"), rows, "chart_categories", where,
                        _("柱形图和饼图只能读出几十个类别：先汇总数据，保留最大的几项，其余并为“其他”"))
    if rows > limit("chart_points"):
        raise _too_many(_("图表的数据点"), rows, "chart_points", where,
                        _("折线图先按月、季或年汇总（或抽样）再画"))


def markup_problem(text: str, where: Location) -> ContentError | None:
    count = sum(text.count(c) for c in "*{^[")
    if count > limit("markup"):
        return _too_many(_("一段文字中的标记符号（* { ^ [）"), count, "markup", where,
                         _("请检查是否误粘贴了大量符号；确需原样印出时用 \\ 转义"))
    return None


def check_blocks(resolved) -> None:
    """The limits of every chart and table that can be checked before layout (validate runs this too)."""
    from . import dataset_for  # cycle: the package (briefing/data/__init__.py) imports this module

    positions = resolved.content.positions
    content = resolved.content
    for path, block, _ncols in blocks(resolved.doc):
        if hasattr(block, "chart"):
            spec = block.chart
            where = positions.find(path + ("chart", "data"))
            ds = dataset_for(spec.data, resolved, where)
            check_chart(spec.type, ds, where)
            for key in ("x", "y", "y2"):       # a misspelt column: said here, not after drawing starts
                names = getattr(spec, key)
                for name in names if isinstance(names, list) else [names] if names else []:
                    if name not in ds.columns:
                        _missing_column(ds, name, positions.find(path + ("chart", key)))
        elif hasattr(block, "table"):
            spec = block.table
            where = positions.find(path + ("table", "data"))
            ds = dataset_for(spec.data, resolved, where)
            for c, name in enumerate(spec.columns or []):
                if name not in ds.columns:
                    _missing_column(ds, name, positions.find(path + ("table", "columns", c)))
            check_table(ds, where, len(spec.columns) if spec.columns else None)
        elif hasattr(block, "image"):
            confine(content.base, block.image.file, positions.find(path + ("image", "file")),
                    allow_outside=content.allow_outside, roots=content.roots)


def _missing_column(ds, name: str, where: Location) -> None:
    """The data set's own message (did-you-mean, its file, its columns), at the field that names the column."""
    try:
        ds.column(name)
    except ContentError as e:
        e.location = where
        raise


def check_data_rows(count: int, where: Location) -> None:
    if count > limit("data_rows"):
        raise _too_many(_("数据行数"), count, "data_rows", where,
                        _("简报只需汇总后的数据：先在表格软件或数据库中汇总，再导出较小的文件"))
