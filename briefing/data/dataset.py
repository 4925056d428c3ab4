"""A named table of data: the one shape that charts, tables and text share."""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field

from ..errors import ContentError, Location


@dataclass
class Dataset:
    """Columns of values, in file order. Values are str, int, float or None.

    `where` locates the data (file, sheet) for error messages.
    """

    name: str
    columns: dict[str, list] = field(default_factory=dict)
    where: Location = field(default_factory=Location)

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))

    def column(self, name: str, *, numeric: bool = False, context: str = "") -> list:
        """The values of one column; a located error if it is missing or not numeric."""
        if name not in self.columns:
            close = difflib.get_close_matches(str(name), self.names, n=1)
            hint = f"您是不是要用“{close[0]}”？" if close else f"可用的列：{'、'.join(self.names)}"
            raise ContentError(f"数据“{self.name}”中没有列“{name}”{context}", self.where, hint)
        values = self.columns[name]
        if numeric:
            return [self._number(name, i, v, context) for i, v in enumerate(values)]
        return values

    def _number(self, col: str, i: int, v, context: str) -> float | None:
        if v is None or v == "":
            return None
        if isinstance(v, bool):
            raise ContentError(f"数据“{self.name}”列“{col}”第{i + 1}行不是数值：{v!r}{context}", self.where)
        if isinstance(v, (int, float)):
            return None if isinstance(v, float) and math.isnan(v) else v
        text = str(v).strip().replace(",", "").replace("，", "")
        try:
            return float(text.rstrip("%％")) if text else None
        except ValueError:
            raise ContentError(f"数据“{self.name}”列“{col}”第{i + 1}行不是数值：“{v}”{context}",
                               self.where, "数值列只能填写数字，可留空表示缺失") from None

    def rows(self) -> list[dict]:
        return [dict(zip(self.columns, vals)) for vals in zip(*self.columns.values())]
