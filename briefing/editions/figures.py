"""Charts for the editions: SVG for the web page, PNG for Word.

Both come from the charts stage (the same plan, matplotlib drawing and bundled
fonts as the PDF), drawn at the width each edition shows them.
"""
from __future__ import annotations

import re

from ..assets import chart_theme
from ..errors import ContentError, Location


def chart_svg(chart, theme, width: float, prefix: str) -> str:
    """The chart as an <svg> element to put inline in HTML: text kept as text (so it is selectable and
    read out), ids prefixed so several charts on one page never share one, no XML prolog or metadata."""
    from ..charts import plan_chart
    from ..charts._fonts import chart_fonts

    ctheme = chart_theme(theme)
    plan = plan_chart(chart.spec.model_dump(exclude_none=True), chart.data, where=chart.where, name=chart.caption)
    try:
        from ..charts import render
        svg = render.render_svg(plan, ctheme, width, chart_fonts(ctheme.font_family)).decode("utf-8")
    except ContentError:
        raise
    except Exception as exc:  # noqa: BLE001 - never show a matplotlib traceback to the user
        raise ContentError(f"图表“{chart.caption}”无法绘制：{type(exc).__name__}: {exc}",
                           chart.where or Location()) from exc
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\sid="([^"]+)"', lambda m: f' id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', svg)
    return svg


def chart_png(chart, theme, width: float, dpi: int = 300) -> bytes:
    """The chart as PNG bytes at `dpi`, `width` points wide: the vector drawing the PDF uses, rasterised."""
    from ..charts import render_chart

    drawing = render_chart(chart.spec.model_dump(exclude_none=True), chart.data, chart_theme(theme), width,
                           where=chart.where, name=chart.caption)
    return drawing_png(drawing, dpi)


def drawing_png(drawing, dpi: int) -> bytes:
    import io

    import pypdfium2 as pdfium
    from reportlab.graphics import renderPDF

    pdf = pdfium.PdfDocument(renderPDF.drawToString(drawing))
    try:
        image = pdf[0].render(scale=dpi / 72, fill_color=(255, 255, 255, 255)).to_pil()
    finally:
        pdf.close()
    buf = io.BytesIO()
    image.save(buf, format="PNG", dpi=(dpi, dpi), optimize=True)
    return buf.getvalue()
