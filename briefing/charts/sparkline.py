"""Word-sized trend lines drawn directly with ReportLab shapes.

No matplotlib and no cache: a sparkline is a handful of vector points and
takes well under a millisecond.
"""
from __future__ import annotations

import math

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine
from reportlab.lib.colors import HexColor, toColor

from .theme import ChartTheme


def _color(c: str):
    try:
        return HexColor(c) if c.startswith("#") else toColor(c)
    except Exception:   # noqa: BLE001 - a bad theme colour must not break the build
        return HexColor("#2f5597")


def sparkline(values: list[float], width: float, height: float, theme: ChartTheme,
              *, color: str | None = None) -> Drawing:
    """A line through ``values`` (None = gap) with the last point marked.

    The last point is drawn in the theme's negative colour when it is below
    zero; a faint zero line is drawn when the values cross zero.
    """
    d = Drawing(width, height)
    pts = [(i, float(v)) for i, v in enumerate(values)
           if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not pts:
        return d
    n = max(len(values) - 1, 1)
    lo = min(v for _, v in pts)
    hi = max(v for _, v in pts)
    span = hi - lo or 1.0
    r = max(0.8, min(height * 0.09, 1.6))
    pad = r + 0.4

    def X(i):
        return pad + (width - 2 * pad) * (i / n if len(values) > 1 else 0.5)

    def Y(v):
        return pad + (height - 2 * pad) * ((v - lo) / span if hi > lo else 0.5)

    stroke = _color(color or theme.palette[0])
    if lo < 0 < hi:
        d.add(Line(pad, Y(0), width - pad, Y(0), strokeColor=_color(theme.grid_color), strokeWidth=0.4))
    run: list[float] = []
    prev = None
    for i, v in pts:
        if prev is not None and i != prev + 1 and len(run) >= 4:
            d.add(PolyLine(run, strokeColor=stroke, strokeWidth=0.8, strokeLineJoin=1, strokeLineCap=1))
            run = []
        elif prev is not None and i != prev + 1:
            run = []
        run += [X(i), Y(v)]
        prev = i
    if len(run) >= 4:
        d.add(PolyLine(run, strokeColor=stroke, strokeWidth=0.8, strokeLineJoin=1, strokeLineCap=1))
    li, lv = pts[-1]
    end = _color(theme.negative_color) if lv < 0 else stroke
    d.add(Circle(X(li), Y(lv), r, fillColor=end, strokeColor=None))
    return d
