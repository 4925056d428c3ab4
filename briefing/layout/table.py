"""Data tables: header repeated on every page, numbers right-aligned on a common decimal count."""
from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Table, TableStyle

from .. import fmt
from ..errors import ContentError
from ..i18n import _
from .breakrules import _LATIN_RUN
from .paragraph import CJKParagraph

if TYPE_CHECKING:
    from ..content.schema import TableSpec
    from ..data.dataset import Dataset
    from ..templates.theme import Theme


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


# a table too wide for its column is set smaller, down to this share of the table size (never
# below MIN_SIZE points), before a number would have to break
MIN_RATIO = 0.8
MIN_SIZE = 6.5
PAD_X, PAD_Y = 5, 3      # cell padding, points


class DataTable:
    """A data table ready to set: its rows of cells (the header row first), each row's measured height,
    the column widths, its style and the notes its shortened headers left out (printed under it).

    ReportLab's Table for a run of its rows is made only when that run is set (`piece`). A long table
    is set a page at a time from one list of rows, never copied: ReportLab's own split makes a new
    Table of every row still to come at each page break, so its time grew with pages × rows."""

    def __init__(self, rows: list[list[CJKParagraph]], widths: list[float], heights: list[float],
                 style: list[tuple[Any, ...]], end_rule: tuple[Any, ...], head_notes: list[str] | None = None) -> None:
        self.rows, self.widths, self.heights = rows, widths, heights
        self.style, self.end_rule = style, end_rule
        self.head_notes: list[str] = head_notes or []
        # after[i]: the height of rows i.. to the end, so a run's height needs no pass over its rows
        self._after = list(itertools.accumulate(reversed(heights), initial=0.0))[::-1]

    def __len__(self) -> int:
        """Rows, the header row included."""
        return len(self.rows)

    def height(self, start: int, stop: int) -> float:
        """The height of the header row and rows start..stop-1, to a fraction of a point (sums of
        suffixes, not ReportLab's own addition: `piece(...).wrap` gives the exact figure)."""
        return self.heights[0] + self._after[start] - self._after[stop]

    def fitting(self, start: int, stop: int, room: float) -> int:
        """How many rows, the header row included, of the header and rows start..stop-1 fit in `room`,
        added up one by one as ReportLab adds them when it looks for the row to split at."""
        heights = self.heights
        h, n = 0.0, 0
        for i in itertools.chain((0,), range(start, stop)):     # by index: no pass over the rows before start
            if h + heights[i] > room:
                break
            h += heights[i]
            n += 1
        return n

    def piece(self, start: int, stop: int) -> Table:
        """ReportLab's Table of the header row and rows start..stop-1, styled as ReportLab styles the
        part of a split table: the rule under the last row only in the part that ends the table."""
        style = self.style + [self.end_rule] if stop == len(self.rows) else self.style
        return Table(self.rows[:1] + self.rows[start:stop], colWidths=self.widths,
                     rowHeights=self.heights[:1] + self.heights[start:stop], repeatRows=1,
                     style=TableStyle(style))


def data_table(ds: Dataset, spec: TableSpec, width: float, theme: Theme) -> DataTable:
    names = spec.columns or ds.names
    title = spec.title or ds.name
    for n in names:
        ds.column(n, context=_("（表格“{t}”）").format(t=title))
    cols = [ds.columns[n] for n in names]
    if not len(ds):
        raise ContentError(_("表格“{t}”没有数据行").format(t=title), ds.where)
    numeric = [all(_is_number(v) or v is None for v in c) and any(_is_number(v) for v in c) for c in cols]
    # each number as its data writes it (151, 41.1), unless the table sets `decimals`
    texts = [[cell_text(v, numeric[c], spec.decimals) for v in values] for c, values in enumerate(cols)]
    heads, notes, size, widths = _fit(names, texts, numeric, width, theme)
    if widths is None:
        raise _too_narrow(title, heads, texts, numeric, width, size, theme, ds)
    scale = size / theme.style("table").size
    head_style = theme.style("table_head")
    head_style = theme.style("table_head", size=head_style.size * scale, leading=head_style.leading * scale)
    cell = theme.style("table")
    cell_style = theme.style("table", size=size, leading=cell.leading * scale)
    right = theme.style("table", align="right", size=size, leading=cell.leading * scale)
    center = theme.style("table", align="center", size=size, leading=cell.leading * scale)
    rows = [[CJKParagraph(str(n), head_style, markup=False) for n in heads]]
    for r in range(len(ds)):
        row = []
        for c in range(len(cols)):
            text = texts[c][r]
            style = center if text == fmt.MISSING else right if numeric[c] else cell_style
            row.append(CJKParagraph(text, style, markup=False))
        rows.append(row)
    accent = colors.HexColor(theme.color("accent"))
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEABOVE", (0, 0), (-1, 0), 1.2, accent),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, accent),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f6e9e6")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f7f7")]),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_Y), ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X), ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
    ]
    end_rule = ("LINEBELOW", (0, -1), (-1, -1), 1.2, accent)
    return DataTable(rows, widths, _row_heights(rows, widths), commands, end_rule, notes)


def _row_heights(rows: list[list[CJKParagraph]], widths: list[float]) -> list[float]:
    """Each row's height, measured once here as ReportLab would (the tallest cell plus the padding).
    A Table given its row heights never measures them itself: ReportLab's own measuring rescans
    the rows for every row it measures, and measures the rows left again after each page break,
    so a long table took time growing with the square of its rows."""
    return [max(cell.wrap(w - 2 * PAD_X, 72000 - 2 * PAD_Y)[1] for cell, w in zip(row, widths)) + 2 * PAD_Y
            for row in rows]


def _fit(names: list[str], texts: list[list[str]], numeric: list[bool], width: float,
         theme: Theme) -> tuple[list[str], list[str], float, list[float] | None]:
    """(headers, notes, size, widths): the table's own size if it fits, else smaller down to its
    minimum, then the headers shortened (a bracketed unit moves to a note under the table);
    widths None when even that does not fit."""
    base = theme.style("table").size
    font, head_font = theme.style("table").font, theme.style("table_head").font
    least = max(MIN_SIZE, base * MIN_RATIO)
    sizes = [base]
    while sizes[-1] > least + 1e-6:
        sizes.append(max(least, sizes[-1] - 0.5))
    for size in sizes:
        widths = _column_widths(names, texts, numeric, width, size, font, head_font)
        if widths is not None:
            return list(names), [], size, widths
    short = [_abbreviated(str(n)) for n in names]
    heads = [h for h, _unit in short]
    notes = [f"{head}：{unit}" for head, unit in short if unit]
    if notes:
        widths = _column_widths(heads, texts, numeric, width, least, font, head_font)
        if widths is not None:
            return heads, notes, least, widths
    return list(names), [], least, None


_GLUED = re.compile("[（(〔【“‘]?(?:" + _LATIN_RUN.pattern + ")[）)〕】”’，。、；：]*")
_BRACKETED = re.compile(r"^(.+?)\s*[（(]([^（）()]+)[）)]$")


def _abbreviated(name: str) -> tuple[str, str]:
    """A header without its bracketed unit: ("数值（万吨）") -> ("数值", "万吨"); unchanged when it has none."""
    m = _BRACKETED.match(name)
    return (m.group(1), m.group(2)) if m else (name, "")


def _unbroken(text: str, font: str, size: float) -> float:
    """Width of the widest run a line may not break inside (a number, a Latin word) or of one character."""
    # an opening bracket stays with the word after it, a closing one with the word before it
    runs = [m.group() for m in _GLUED.finditer(text)] + list(text)
    return max((stringWidth(r, font, size) for r in runs), default=0.0)


def cell_text(v: object, numeric: bool, decimals: int | None = None) -> str:
    """A cell as every edition prints it: a number as its data writes it (or with ``decimals``), — if missing."""
    if v is None:
        return fmt.MISSING
    return fmt.number(v, decimals) if numeric else str(v)


def _ems(text: str) -> float:
    return sum(0.55 if ch.isascii() else 1.0 for ch in text)


def _column_widths(names: list[str], texts: list[list[str]], numeric: list[bool], width: float, size: float, font: str,
                   head_font: str = "",
                   pad: float = 10.0) -> list[float] | None:
    """Share the width by each column's longest text, so labels wrap least.

    Numbers and short cells (units, ≤ 4 characters) never break: in a narrow
    column (专刊) those columns get their full width first and the text
    columns share what is left. None when the numbers do not fit at ``size``.
    """
    longest = [max([_ems(t) for t in col] or [0]) for col in texts]
    need = [max([_ems(n)] + [longest[i]]) + 1.0 for i, n in enumerate(names)]
    rigid = [numeric[i] or longest[i] <= 4 for i in range(len(names))]
    least = []
    for i, n in enumerate(names):
        if numeric[i]:
            ink = max(stringWidth(t, font, size) for t in texts[i])
            least.append(max(ink, min(_ems(n), 2) * size) + pad + 0.5)
        elif rigid[i]:
            least.append((max(longest[i], min(_ems(n), 4)) + 0.5) * size + pad)
        else:
            least.append(3 * size + pad)
        # a header wraps, but never inside a number or a Latin word
        least[-1] = max(least[-1], _unbroken(str(n), head_font or font, size) + pad + 0.5)
    if sum(least) > width + 1e-6:
        return None
    total = sum(need)
    share = [width * n / total for n in need]
    if all(w >= m for w, m in zip(share, least)):
        return share
    flexible = [i for i, r in enumerate(rigid) if not r]
    left = width - sum(least[i] for i in range(len(names)) if rigid[i])
    if not flexible:
        extra = (width - sum(least)) / len(least)
        return [m + extra for m in least]
    return _fill(least, need, rigid, left)


def _fill(least: list[float], need: list[float], rigid: list[bool], left: float) -> list[float]:
    """The text columns share `left` by need, none below its least width: a column whose share would be
    narrower takes its least and the others share the rest (one very long cell must not squeeze a label
    column to nothing)."""
    widths = [m if r else 0.0 for m, r in zip(least, rigid)]
    pool = [i for i, r in enumerate(rigid) if not r]
    while pool:
        total = sum(need[i] for i in pool)
        share = {i: left * need[i] / total for i in pool}
        short = [i for i in pool if share[i] < least[i]]
        if not short:
            for i in pool:
                widths[i] = share[i]
            break
        for i in short:
            widths[i] = least[i]
            left -= least[i]
            pool.remove(i)
    return widths


def _too_narrow(title: str, names: list[str], texts: list[list[str]], numeric: list[bool], width: float,
               size: float, theme: Theme, ds: Dataset) -> ContentError:
    """Name the number column that cannot fit even at the smallest size."""
    font = theme.style("table").font
    widest = max((i for i in range(len(names)) if numeric[i]),
                 key=lambda i: max(stringWidth(t, font, size) for t in texts[i]), default=0)
    sample = max(texts[widest], key=lambda t: stringWidth(t, font, size)) if texts[widest] else ""
    return ContentError(
        _("表格“{t}”放不下：栏宽 {w:.0f} 磅，数字列“{col}”（如“{num}”）缩小到 {s:.1f} 磅仍会断开").format(
            t=title, w=width, col=names[widest], num=sample, s=size),
        ds.where, _("数字不能折行：请减少列（columns）、设置较少的小数位（decimals），或把表格放在通栏"))
