"""How wide a block is set, decided from the page form before anything is drawn.

Charts are drawn once, at the width layout will give them, so both the
charts stage (assets) and layout ask these functions and never disagree.
"""
from __future__ import annotations

from ..registry import CHART_TYPES


def multi_column(theme) -> bool:
    """More than one column on the page (专刊)."""
    return len(theme.columns(theme.type_area(1))) > 1


def column_width(theme) -> float:
    return theme.columns(theme.type_area(1))[0].width


def side_by_side(theme, width: float, count: int) -> float | None:
    """The width of each of `count` side-by-side columns inside `width`, or None when they would be
    narrower than the theme's `blocks.columns_min_chars` and are set one after another instead."""
    gap = theme.body_size
    each = (width - gap * (count - 1)) / count
    narrow = float(theme.get("blocks", "columns_min_chars", default=12)) * theme.body_size
    return None if each < narrow else each


def spans(theme, kind, nested: bool) -> bool:
    """Whether a `width: full` block leaves its column for the whole type area (multi-column pages only)."""
    return kind == "full" and not nested and multi_column(theme)


def articles(theme) -> bool:
    """Whether the page form sets each section as an article of whole columns (the 专刊's make-up)."""
    return theme.get("makeup", default=None) == "articles" and multi_column(theme)


def article_columns(theme, section) -> int:
    """How many columns an article takes: its `columns`, at most the page's (default: all of them)."""
    n = len(theme.columns(theme.type_area(1)))
    return max(1, min(n, section.columns or n))


def article_width(theme, section) -> float | None:
    """The width of a section set as an article (its whole columns and the gaps between), or None
    when the page form has no articles."""
    if not articles(theme):
        return None
    cols = theme.columns(theme.type_area(1))
    k = article_columns(theme, section)
    return cols[k - 1].x + cols[k - 1].width - cols[0].x


def chart_size(theme, spec, width: float, nested: bool, full: float | None = None) -> tuple[float, float | None]:
    """(width, height ratio or None for the chart's own) at which a chart is drawn.

    A spanning chart is as wide as the type area (or, in an article, as the
    article: `full`) and lower in proportion (theme chart.full_height), so its
    text keeps the size of the other charts.
    """
    if not spans(theme, spec.width, nested):
        return width, None
    area = theme.type_area(1).width
    full = full or area
    if CHART_TYPES.get(spec.type).shares:     # a pie keeps its own proportions
        return full, None
    own = spec.height or 0.62
    ratio = min(own, own * float(theme.get("chart", "full_height", default=0.5)) * area / full)
    return full, max(0.15, min(2.0, ratio))


def keyfigure_columns(count: int, theme) -> int:
    """Key figures per row: balanced rows of at most the theme's per_row (6 figures: 2 rows of 3, not 4 + 2)."""
    most = int(theme.get("keyfigures", "per_row", default=4))
    rows = -(-count // most)
    return -(-count // rows)


def keyfigure_width(theme, width: float, nested: bool) -> float:
    """A key-figure panel in a multi-column page with `keyfigures.span` set spans the type area
    (in an article it stays in its column)."""
    if theme.get("keyfigures", "span") and not nested and multi_column(theme) and not articles(theme):
        return theme.type_area(1).width
    return width
