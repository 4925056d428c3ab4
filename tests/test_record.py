"""The record a layout pass keeps: the marks, bookmarks and units that reach a page note themselves in the
record of the canvas they are drawn on, and on any other canvas draw as usual and note nothing."""
from __future__ import annotations

import pypdf
from reportlab.pdfgen.canvas import Canvas

from briefing.layout.parts import Bookmark, GridBox, Marker, Rule
from briefing.layout.record import OutlineEntry, Record, RecordingCanvas, record_of


def draw_two_pages(canv: Canvas) -> None:
    Marker("cover").drawOn(canv, 0, 0)
    canv.showPage()
    Marker("body").drawOn(canv, 0, 0)
    Bookmark("s1", "第一栏").drawOn(canv, 0, 0)
    unit = GridBox([Rule(100)], 18, key="图1“增长”")
    unit.number_id = "图1"
    unit.wrap(100, 500)
    unit.drawOn(canv, 50, 400)
    canv.showPage()
    canv.save()


def test_a_recording_canvas_receives_what_was_drawn_and_where(tmp_path):
    record = Record()
    canv = RecordingCanvas(str(tmp_path / "rec.pdf"), record=record)
    assert record_of(canv) is record
    draw_two_pages(canv)
    assert record.markers == {"cover": 1, "body": 2}
    assert record.section_pages == {"s1": 2}
    assert record.outline == [OutlineEntry(page=2, level=0, title="第一栏", key="s1")]
    assert record.placed == {"图1“增长”"}
    assert record.drawn == ["图1"]
    outline = pypdf.PdfReader(tmp_path / "rec.pdf").outline
    assert [o.title for o in outline] == ["第一栏"]


def test_on_a_plain_canvas_the_same_flowables_draw_and_note_nothing(tmp_path):
    canv = Canvas(str(tmp_path / "plain.pdf"))
    assert record_of(canv) is None
    draw_two_pages(canv)
    reader = pypdf.PdfReader(tmp_path / "plain.pdf")
    assert len(reader.pages) == 2
    assert [o.title for o in reader.outline] == ["第一栏"]
