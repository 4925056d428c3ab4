"""Editions beyond the printed PDF, from the same resolved content, data and charts.

    html      one self-contained web page (html.py)
    docx      a Word/WPS review copy (docx.py)
    longimage a phone-width page form laid out by the layout engine, as PNG images (longimage.py)

Each is written next to the PDF with the same stem: briefing.pdf, briefing.html,
briefing.docx, briefing-1.png … The PDF stays the one that is printed.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import ContentError
from ..i18n import _

FORMATS = ("pdf", "html", "docx", "longimage")


def parse_formats(text: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """"pdf,html" -> ("pdf", "html"): known names, in the order given, each once."""
    if text is None:
        return ("pdf",)
    items = text.split(",") if isinstance(text, str) else list(text)
    out: list[str] = []
    for item in (s.strip().lower() for s in items):
        if not item:
            continue
        if item not in FORMATS:
            raise ContentError(_("未知的输出格式“{name}”").format(name=item),
                               hint=_("可选：{names}").format(names="、".join(FORMATS)))
        if item not in out:
            out.append(item)
    if not out:
        raise ContentError(_("没有给出输出格式"), hint=_("可选：{names}").format(names="、".join(FORMATS)))
    return tuple(out)


def write(fmt: str, resolved, theme, stem: Path, cache_dir=None, **options) -> list[Path]:
    """Write one edition next to `stem` (a path without suffix); the files written, in order.
    `cache_dir`: the chart cache (None: the default one, False: none)."""
    # start-up: every build imports this module, and only a build asking for other formats than the PDF
    # loads their writers: fontTools for html (~125 ms), python-docx (~70 ms), numpy for longimage (~90 ms)
    from .model import edition

    if fmt == "html":
        from . import html  # start-up: see above
        return [html.write(edition(resolved, theme), theme, _named(stem, ".html"), cache_dir)]
    if fmt == "docx":
        from . import docx  # start-up: see above
        return [docx.write(edition(resolved, theme), theme, _named(stem, ".docx"), cache_dir)]
    if fmt == "longimage":
        from . import longimage  # start-up: see above
        return longimage.write(resolved, stem, cache_dir=cache_dir, **options)
    raise ValueError(fmt)


def _named(stem: Path, suffix: str) -> Path:
    # not with_suffix: a stem such as "简报-2021.07" has a dot that is no suffix
    return stem.parent / (stem.name + suffix)
