"""A named table of data: the one shape that charts, tables and text share."""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field

from .. import fmt
from ..errors import ContentError, Location, shown_path
from ..i18n import _


@dataclass
class Dataset:
    """Columns of values, in file order. Values are str, int, float or None.

    `where` locates the data (file, sheet) for error messages.
    """

    name: str
    columns: dict[str, list] = field(default_factory=dict)
    where: Location = field(default_factory=Location)
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
            return None if isinstance(v, float) and math.isnan(v) else v
        text = str(v).strip().replace(",", "").replace("，", "")
        try:
            return fmt.written(text.rstrip("%％")) if text else None
        except ValueError:
            raise ContentError(_("数据“{name}”列“{col}”第{n}个数据行不是数值：“{v}”{context}").format(
                name=self.name, col=col, n=i + 1, v=v, context=context), self.row_location(i, col),
                _("数值列只能填写数字，可留空表示缺失")) from None

    def row_location(self, i: int, column: str | None = None) -> Location:
        """Where data row i is: in a CSV file, line i + 2 (after the header), at the cell of `column`."""
        w = self.where
        if w.file and w.file.lower().endswith(".csv"):
            return Location(w.file, i + 2, self._cell_column(i + 2, column), w.path)
        return w

    def _cell_column(self, line: int, column: str | None) -> int | None:
        from ..errors import source_line

        text = source_line(self.where.file, line) if column in self.columns else None
        if text is None or '"' in text:
            return None        # quoted cells may hold commas: no caret rather than a wrong one
        cells = text.split(",")
        k = self.names.index(column)
        return sum(len(c) + 1 for c in cells[:k]) + 1 if k < len(cells) else None

    def rows(self) -> list[dict]:
        return [dict(zip(self.columns, vals)) for vals in zip(*self.columns.values())]
