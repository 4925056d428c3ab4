"""A named table of data: the one shape that charts, tables and text share."""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field

from .. import fmt
from ..errors import ContentError, Location, shown_path, source_line
from ..i18n import _

MAX_QUANTITY = 10 ** 15     # a figure this large is a code (an ID, an account) or a typo, never a quantity


def _short(v) -> str:
    text = str(v)
    return text[:40] + ("…" if len(text) > 40 else "")


@dataclass
class Dataset:
    """Columns of values, in file order. Values are str, int, float or None.

    `where` locates the data (file, sheet) for error messages.
    """

    name: str
    columns: dict[str, list] = field(default_factory=dict)
    where: Location = field(default_factory=Location)
    lines: list[int] | None = None      # the file line each data row starts on (CSV), for messages
    notes: list[str] = field(default_factory=list)     # warnings from reading it (e.g. the encoding used)

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))

    def column(self, name: str, *, numeric: bool = False, context: str = "") -> list:
        """The values of one column; a located error if it is missing or not numeric."""
        if name not in self.columns:
            close = difflib.get_close_matches(str(name), self.names, n=1, cutoff=0.5)
            source = f"（{shown_path(self.where.file)}）" if self.where.file else ""
            hint = (_("您是不是要写“{name}”？").format(name=close[0]) + " " if close else "") + \
                _("数据“{ds}”{source}的列：{names}").format(ds=self.name, source=source, names="、".join(self.names))
            raise ContentError(_("数据“{ds}”中没有列“{name}”{context}").format(ds=self.name, name=name, context=context),
                               self.where, hint)
        values = self.columns[name]
        if numeric:
            return [self._number(name, i, v, context) for i, v in enumerate(values)]
        return values

    def _number(self, col: str, i: int, v, context: str) -> float | None:
        if v is None or v == "":
            return None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            value = v
        else:
            text = str(v).strip().replace(",", "").replace("，", "")
            if not text:
                return None
            try:
                parsed = fmt.written(text.rstrip("%％")) if len(text) <= 40 else None
            except ValueError:
                parsed = None
            if parsed is None:
                raise ContentError(_("数据“{name}”列“{col}”第{n}个数据行不是数值：“{v}”{context}").format(
                    name=self.name, col=col, n=i + 1, v=_short(v), context=context), self.row_location(i, col),
                    _("数值列只能填写数字，可留空表示缺失")) from None
            value = parsed
        if isinstance(value, float) and math.isnan(value):
            return None
        if not abs(value) < MAX_QUANTITY:      # inf, 1e308, a 30-digit code: nothing a chart can draw
            raise ContentError(_("数据“{name}”列“{col}”第{n}个数据行的“{v}”不是有限数值或过大（绝对值应小于 10^15）{context}")
                               .format(name=self.name, col=col, n=i + 1, v=_short(v), context=context),
                               self.row_location(i, col), _("代码、编号请放在不画图的列中；数值请换用合适的单位（万元、亿元）"))
        return value

    def row_location(self, i: int, column: str | None = None) -> Location:
        """Where data row i is: in a CSV file, the line it starts on (after the header), at the cell of `column`."""
        w = self.where
        if self.lines is not None and i < len(self.lines):
            return Location(w.file, self.lines[i], self._cell_column(self.lines[i], column), w.path)
        if w.file and w.file.lower().endswith(".csv"):
            return Location(w.file, i + 2, self._cell_column(i + 2, column), w.path)
        return w

    def cell_location(self, i: int, column: str) -> Location:
        """Data row i, `column`: line and column number in a CSV, row and column letter in a sheet."""
        loc = self.row_location(i)
        col = self.names.index(column) + 1 if column in self.columns else None
        if loc.line:
            return Location(loc.file, loc.line, None, _("列“{col}”（第{n}列）").format(col=column, n=col))
        return Location(loc.file, None, None, _("第{row}个数据行，列“{col}”").format(row=i + 1, col=column)
                        + (f" ({loc.path})" if loc.path else ""))

    def header_location(self, column: str) -> Location:
        w = self.where
        line = 1 if w.file and w.file.lower().endswith(".csv") else w.line
        return Location(w.file, line, w.column if line == w.line else None,
                        _("列名“{col}”").format(col=column))

    def _cell_column(self, line: int, column: str | None) -> int | None:
        text = source_line(self.where.file, line) if self.where.file and column in self.columns else None
        if text is None or '"' in text:
            return None        # quoted cells may hold commas: no caret rather than a wrong one
        cells = text.split(",")
        k = self.names.index(column or "")
        return sum(len(c) + 1 for c in cells[:k]) + 1 if k < len(cells) else None

    def rows(self) -> list[dict]:
        return [dict(zip(self.columns, vals)) for vals in zip(*self.columns.values())]
