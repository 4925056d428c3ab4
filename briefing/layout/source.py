"""Which block of the content a flowable was made from.

A fault found only while pages are set — a block too large for any page — is then reported at the
block's place in the content (file, line, field and the source line), like every other content error.
The place rides on the flowable itself, so it survives the shallow copies a layout pass makes.
"""
from __future__ import annotations

from reportlab.platypus import Flowable

from ..errors import Location

_KEY = "block_source"


def mark(flowables: list[Flowable], where: Location | None) -> list[Flowable]:
    """Tag each of `flowables` with `where`; a flowable of a nested block keeps its own block's place."""
    if where is not None:
        for f in flowables:
            vars(f).setdefault(_KEY, where)
    return flowables


def source(flowable: Flowable) -> Location | None:
    """The place of the block `flowable` was made from, when it was made from one."""
    found = vars(flowable).get(_KEY)
    return found if isinstance(found, Location) else None
