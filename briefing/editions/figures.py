"""Charts for the editions: SVG for the web page, PNG for Word.

Both come from the charts stage (the same plan, matplotlib drawing and bundled
fonts as the PDF), drawn at the width each edition shows them.
"""
from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
from reportlab.graphics import renderPDF

from ..assets import chart_theme
from ..charts import plan_chart, render_chart
from ..charts._fonts import chart_fonts
from ..errors import ContentError, Location
from ..i18n import _
from .cache import cached, key


def chart_svg(chart, theme, width: float, prefix: str, cache_dir=None) -> str:
    """The chart as an <svg> element to put inline in HTML: text kept as text (so it is selectable and
    read out), ids prefixed so several charts on one page never share one, no XML prolog or metadata."""
    ctheme = chart_theme(theme)
    plan = plan_chart(chart.spec.model_dump(exclude_none=True), chart.data, where=chart.where, name=chart.caption)
    fonts = chart_fonts(ctheme.font_family)

    def draw() -> bytes:
        try:
            from ..charts import render  # start-up: matplotlib (~0.4 s), only for a chart not in the cache
            return render.render_svg(plan, ctheme, width, fonts)
        except ContentError:
            raise
        except Exception as exc:  # never show a matplotlib traceback to the user
            raise ContentError(_("图表“{caption}”无法绘制：{error}").format(
                caption=chart.caption, error=f"{type(exc).__name__}: {exc}"),
                               chart.where or Location()) from exc

    k = key(kind="svg", plan=plan.as_key(), theme=ctheme.as_key(), width=round(width, 3), fonts=fonts.identity)
    svg = cached(cache_dir, k, ".svg", draw).decode("utf-8")
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\sid="([^"]+)"', lambda m: f' id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', svg)
    return svg


def chart_png(chart, theme, width: float, dpi: int = 300, cache_dir=None) -> bytes:
    """The chart as PNG bytes at `dpi`, `width` points wide: the vector drawing the PDF uses, rasterised."""
    ctheme = chart_theme(theme)
    spec = chart.spec.model_dump(exclude_none=True)
    plan = plan_chart(spec, chart.data, where=chart.where, name=chart.caption)

    def draw() -> bytes:
        drawing = render_chart(spec, chart.data, ctheme, width, where=chart.where, name=chart.caption,
                               cache_dir=cache_dir)
        return drawing_png(drawing, dpi)

    k = key(kind="png", plan=plan.as_key(), theme=ctheme.as_key(), width=round(width, 3), dpi=dpi,
            fonts=chart_fonts(ctheme.font_family).identity)
    return cached(cache_dir, k, ".png", draw)


def drawing_png(drawing, dpi: int) -> bytes:
    pdf = pdfium.PdfDocument(renderPDF.drawToString(drawing))
    try:
        image = pdf[0].render(scale=dpi / 72, fill_color=(255, 255, 255, 255)).to_pil()
    finally:
        pdf.close()
    buf = io.BytesIO()
    image.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()
