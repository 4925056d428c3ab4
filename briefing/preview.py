"""Render chosen pages of a PDF to PNG (pypdfium2), to look at pages without a viewer."""
from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from .errors import ContentError, Location
from .i18n import _


MIN_DPI, MAX_DPI = 10, 1200     # 1200 dpi is a print proof; an A3 page at more is gigabytes of pixels


def parse_pages(spec: str | None, count: int) -> list[int]:
    """'1,3-4' -> [1, 3, 4] (1-based); None -> every page."""
    if not spec:
        return list(range(1, count + 1))
    pages: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        try:
            a, _sep, b = part.partition("-")
            lo, hi = int(a), int(b) if b else int(a)
        except ValueError:
            raise ContentError(_("页码“{p}”无效，应写成 1,3-4").format(p=part)) from None
        if not (1 <= lo <= hi <= count):
            raise ContentError(_("页码“{p}”超出范围（共 {n} 页）").format(p=part, n=count))
        pages += range(lo, hi + 1)
    return pages


def preview(pdf: Path, out_dir: Path, pages: str | None = None, dpi: int = 80) -> list[Path]:
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise ContentError(_("分辨率 {dpi} dpi 超出范围（{lo}–{hi}）").format(dpi=dpi, lo=MIN_DPI, hi=MAX_DPI),
                           Location("--dpi"))
    if not pdf.is_file():
        raise ContentError(_("找不到文件"), Location(str(pdf)))
    try:
        document = pdfium.PdfDocument(str(pdf))
    except pdfium.PdfiumError as e:
        raise ContentError(_("无法打开 PDF：{e}").format(e=e), Location(str(pdf))) from None
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        for n in parse_pages(pages, len(document)):
            image = document[n - 1].render(scale=dpi / 72).to_pil()
            path = out_dir / f"{pdf.stem}-{n}.png"
            image.save(path)
            written.append(path)
    finally:
        document.close()
    return written
