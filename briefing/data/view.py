"""How a data set looks from a text template: rows by name, columns, totals.

Kept apart from templating.py, which holds the Jinja2 sandbox: every build makes a view of each data
set, and only a text that uses a template needs Jinja2 (about 20 ms to import).
"""
from __future__ import annotations

from ..i18n import _
from .dataset import Dataset


class Row(dict):
    """One row of a data set, as a template sees it; knows its data set so a misspelt column can be named."""

    def __init__(self, values: dict, ds: Dataset):
        super().__init__(values)
        self.dataset = ds


class DataView:
    """How a data set looks from a template: ds['行名'].列名, ds.rows, ds.col('列名'), ds.列名 (one row)."""

    def __init__(self, ds: Dataset):
        self._ds = ds
        self._rows = [Row(r, ds) for r in ds.rows()]
        first = ds.names[0] if ds.names else None
        self._by_key = {str(r[first]): r for r in self._rows} if first else {}

    @property
    def rows(self) -> list[Row]:
        return self._rows

    @property
    def last(self) -> dict:
        return self._rows[-1] if self._rows else {}

    def col(self, name: str) -> list:
        return self._ds.column(name)

    def total(self, name: str) -> float:
        return sum(v for v in self._ds.column(name, numeric=True) if v is not None)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._rows[key]
        if str(key) in self._by_key:
            return self._by_key[str(key)]
        raise _undefined(_("数据“{name}”中没有“{key}”这一行").format(name=self._ds.name, key=key))

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if len(self._rows) == 1 and name in self._rows[0]:
            return self._rows[0][name]
        if name in self._by_key:
            return self._by_key[name]
        raise _undefined(_("数据“{name}”中没有“{key}”").format(name=self._ds.name, key=name))


def _undefined(message: str) -> Exception:
    """Jinja2's error for an undefined value, so the template reports it with its line."""
    import jinja2  # start-up: only a template looks values up, and it has loaded jinja2 (see module doc)

    return jinja2.UndefinedError(message)
