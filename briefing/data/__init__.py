"""Stage 2 — data: load the named data sets and bind text to them.

Input: the validated content (stage 1). Output: the same document with every
text field rendered against the data, plus the data sets that charts and
tables draw from.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ..content.load import Content
from ..content.schema import ColumnsBlock
from ..content.yamlload import Positions
from ..errors import ContentError
from ..i18n import _
from .dataset import Dataset
from .derive import derive
from .limits import check_sections
from .sources import load_source
from .view import DataView

# fields that hold names, paths or settings, never text to print
NOT_TEXT = {"id", "data", "x", "y", "y2", "file", "columns", "type", "width", "colors", "template",
            "page_size", "theme", "style", "schedule", "output", "column", "distribution_copies"}


@dataclass
class Resolved:
    content: Content
    datasets: dict[str, Dataset]
    variables: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def doc(self):
        return self.content.doc


def resolve(content: Content, extra_variables: dict | None = None) -> Resolved:
    check_sections(len(content.doc.sections), content.positions.find(("sections",)))
    datasets = load_datasets(content)
    doc = content.doc
    variables: dict[str, Any] = {name: DataView(ds) for name, ds in datasets.items()}
    variables["doc"] = {
        "title": doc.title, "subtitle": doc.subtitle, "issue": doc.issue, "date": doc.date,
        "issuer": doc.issuer, "supplement": doc.supplement,
    }
    variables.update(extra_variables or {})
    render_fields(doc, (), variables, content.positions)
    warnings = [note for ds in datasets.values() for note in ds.notes]
    return Resolved(content, datasets, variables, warnings)


def load_datasets(content: Content) -> dict[str, Dataset]:
    out: dict[str, Dataset] = {}
    for name, spec in content.doc.data.items():
        where = content.positions.find(("data", name))
        if isinstance(spec, dict) and "from" in spec:
            out[name] = derive(name, spec, out, where)
        else:
            out[name] = load_source(name, spec, content.base, where, allow_outside=content.allow_outside,
                                    roots=content.roots)
    return out


def dataset_for(ref, resolved: Resolved, where) -> Dataset:
    """A chart's or table's `data:` — a data set name or an inline spec."""
    if isinstance(ref, str):
        if ref not in resolved.datasets:
            close = difflib.get_close_matches(ref, list(resolved.datasets), n=1)
            hint = _("您是不是要写“{name}”？").format(name=close[0]) if close else \
                _("已定义的数据：{names}").format(names="、".join(resolved.datasets) or _("（无）"))
            raise ContentError(_("数据“{name}”未在 data 中定义").format(name=ref), where, hint)
        return resolved.datasets[ref]
    return load_source("inline", ref, resolved.content.base, where, allow_outside=resolved.content.allow_outside,
                       roots=resolved.content.roots)


def text_fields(model: BaseModel):
    """(name, value) of the fields of a model that may hold printable text."""
    for name in type(model).model_fields:
        # a table's `columns` names data columns; a columns block's holds blocks
        if name not in NOT_TEXT or isinstance(model, ColumnsBlock):
            yield name, getattr(model, name)


def text_slots(obj, path: tuple = ()):
    """(owner, key, yaml path, text) for every printable text field under `obj`, in reading order."""
    if isinstance(obj, BaseModel):
        items = text_fields(obj)
    elif isinstance(obj, list):
        items = enumerate(obj)
    else:
        return
    for key, value in items:
        if isinstance(value, str):
            yield obj, key, path + (key,), value
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and isinstance(obj, BaseModel):
            yield obj, key, path + (key,), str(value)
        else:
            yield from text_slots(value, path + (key,))


def render_fields(obj, path: tuple, variables: dict, positions: Positions) -> None:
    """Render every text field of the document in place."""
    for owner, key, where, text in list(text_slots(obj, path)):
        if "{{" in text or "{%" in text:
            from .templating import render  # start-up: Jinja2 costs ~20 ms, only text with a template needs it

            rendered = render(text, variables, positions.find(where))
            if isinstance(owner, list):
                owner[key] = rendered
            else:
                object.__setattr__(owner, key, rendered)
