"""What drawing a document records as it goes, for the page forms and the checks after layout.

The PDF stage makes one Record for each layout pass and draws on a RecordingCanvas that carries it.
The flowables that mark something when they reach the page (a section's bookmark, a marker, a figure
or table, a contents entry whose page number comes later) find it with record_of(canvas). Drawn on
any other canvas (a test's own document, an edition's) they record nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from reportlab.pdfgen.canvas import Canvas

from .style import TextStyle


class OutlineEntry(NamedTuple):
    """A bookmark as it reached the page."""

    page: int
    level: int
    title: str
    key: str


class ContentsSlot(NamedTuple):
    """Where a contents entry drawn before its page was known left room for its dots and page number."""

    entry: int            # the entry's place in the whole contents
    end: float            # where its title ends
    base: float           # the baseline of the number
    style: TextStyle
    width: float          # the contents' width: the number ends there
    leader: str


@dataclass
class Record:
    """What one layout pass drew, in the order it drew it."""

    section_pages: dict[str, int] = field(default_factory=dict)   # bookmark key -> page
    outline: list[OutlineEntry] = field(default_factory=list)
    markers: dict[str, int] = field(default_factory=dict)         # "cover", "contents", "body" -> first page
    placed: set[str] = field(default_factory=set)                 # keys of the figures, tables, panels drawn
    drawn: list[str] = field(default_factory=list)                # their numbers (图3, 表1) in drawing order
    contents_slots: list[ContentsSlot] | None = None              # set when the contents' numbers come later


class RecordingCanvas(Canvas):
    """A canvas carrying the record of the pass that draws on it."""

    def __init__(self, *args: Any, record: Record, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record = record


def record_of(canv: Canvas) -> Record | None:
    """The record of the pass drawing on `canv`; None on a canvas that keeps none."""
    return canv.record if isinstance(canv, RecordingCanvas) else None
