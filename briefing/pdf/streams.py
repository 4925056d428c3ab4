"""Page content compressed as each page ends, not when the file is saved.

ReportLab's canvas keeps every page's drawing operators as text until save(): about 80 KB a page of
body text, 55 MB for a document of 1,000,000 characters. Compressed when the page ends, a page keeps
about a fifth of that. The stream made here is the one PDFPage.check_format would make at save (the
same filters, in the same order, under the same dictionary), so the file is byte for byte the same.
"""
from __future__ import annotations

from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas


class PageCompressingCanvas(Canvas):
    """A canvas that compresses each page's content stream as the page ends."""

    def showPage(self) -> None:
        pages = self._doc.Pages.pages  # type: ignore[attr-defined]  # the canvas's PDFDocument, in no stub
        first = len(pages)
        super().showPage()
        for page in pages[first:]:
            compress_page(page)


def compress_page(page: pdfdoc.PDFPage) -> None:
    """Give the page its compressed Contents stream now; a page ReportLab would not compress is left as it is."""
    if not page.compression or page.Contents or not page.stream or page.Override_default_compilation:
        return
    # as PDFPage.check_format chooses them; PDFStream.format applies them last to first
    filters: list[Any] = [pdfdoc.PDFBase85Encode, pdfdoc.PDFZCompress] if rl_config.useA85 else [pdfdoc.PDFZCompress]
    content = page.stream
    for f in reversed(filters):
        content = f.encode(content)
    stream = pdfdoc.PDFStream(content=content)
    # a stream whose dictionary names its filters is written as it is (PDFStream.format)
    stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(f.pdfname) for f in filters])
    stream.__Comment__ = "page stream"  # type: ignore[attr-defined]  # as check_format labels it
    page.Contents = stream
    page.stream = None
