"""A chart's margins from the measured extents of its text, instead of matplotlib's automatic layout.

A chart here is one plot (a combo's second value axis sits on the same place) with, at most, a legend
under it. Its margins are then plain sums: the tick labels, unit note and data labels that stand out of
the plot on each side, a pad, and below the plot the legend's height with a pad above and below it.
Those are the sums matplotlib's constrained layout arrives at for such a figure (same pads), so the
charts look as they did; but constrained layout measured every text box twice on each draw and ran again
on each of the several draws a chart needs (about a third of a chart's time). Here the text is measured
with one renderer, whose text metrics matplotlib caches, and the figure is not drawn to do it.

A figure of another shape (several plots side by side, a colour bar: a registered chart type may draw
one) is laid out by constrained layout once, as before.
"""
from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

PAD = 2.0        # points between the text and the chart's edge, and above and below a legend under the plot
PASSES = 6       # data labels near the plot's top stand out by an amount that depends on the plot's height:
                 # the margins settle over a few passes (a pass measures text and does not draw)
SETTLED = 0.01   # points: a margin that moves less than this has settled


def renderer(fig: Figure):
    """The renderer the chart's text is measured with (keep it for the whole chart: text sizes are
    cached per renderer). Attach the SVG canvas first: its renderer measures text by the font's own advance
    widths, as it is printed, where the default (Agg) one rounds each glyph to whole pixels."""
    return fig._get_renderer()      # type: ignore[attr-defined]  # what savefig uses; matplotlib has no public name


def fit(fig: Figure, measure, passes: int = PASSES) -> Bbox | None:
    """Place the plot so that its text just fits inside the chart. Returns the box around the plot, its
    text and the legend, measured at the place the plot is left at (None for a figure without a plot).
    `passes`: at most so many measurements (each after the plot moved), fewer when the margins settle."""
    if not fig.axes:
        return None
    if not _one_plot(fig):
        return _constrained(fig, measure)
    pad = PAD * fig.dpi / 72
    width, height = fig.bbox.width, fig.bbox.height
    boxes: list[Bbox] = []
    for _pass in range(passes):
        place = fig.axes[0].get_position(original=True).transformed(fig.transFigure)
        plots = [b for b in (ax.get_tightbbox(measure, for_layout_only=True) for ax in fig.axes) if b is not None]
        legends = [b for b in (leg.get_tightbbox(measure) for leg in fig.legends if leg.get_visible()) if b is not None]
        boxes = plots + legends
        if not plots:
            break       # nothing visible to fit
        below = max((b.height + 2 * pad for b in legends if b.y0 + b.y1 < height), default=0.0)
        above = max((b.height + 2 * pad for b in legends if b.y0 + b.y1 >= height), default=0.0)
        # what stands out of the plot on each side (never less than nothing: a pie's square sits inside its place)
        left = pad + max(0.0, *(place.x0 - b.x0 for b in plots))
        right = width - pad - max(0.0, *(b.x1 - place.x1 for b in plots))
        bottom = below + pad + max(0.0, *(place.y0 - b.y0 for b in plots))
        top = height - above - pad - max(0.0, *(b.y1 - place.y1 for b in plots))
        if right <= left or top <= bottom:
            break       # the text takes the whole chart: the plot stays where it is (the caller makes it taller)
        if max(abs(left - place.x0), abs(right - place.x1), abs(bottom - place.y0), abs(top - place.y1)) < SETTLED:
            break       # measured where it stands: the boxes are the ones printed
        fig.subplots_adjust(left=left / width, right=right / width, bottom=bottom / height, top=top / height)
    return Bbox.union(boxes) if boxes else None


def _one_plot(fig: Figure) -> bool:
    """Every axes on one and the same place, filling a 1 x 1 grid: one plot, or a plot and its twin."""
    if fig.subfigs:
        return False
    specs = [ax.get_subplotspec() for ax in fig.axes]
    if any(s is None for s in specs):
        return False
    return all(s.get_gridspec().get_geometry() == (1, 1) for s in specs if s is not None)


def _constrained(fig: Figure, measure) -> Bbox:
    """matplotlib's constrained layout, run once and then switched off, so that nothing moves on saving."""
    fig.set_layout_engine("constrained", w_pad=PAD / 72, h_pad=PAD / 72)
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return Bbox.union([b for b in [ax.get_tightbbox(measure) for ax in fig.axes]
                       + [leg.get_window_extent(measure) for leg in fig.legends] if b is not None])


def place_legends(fig: Figure, measure) -> None:
    """Put the legends' entries where they will be printed (matplotlib places them only when it draws),
    so that their boxes can be measured."""
    with measure._draw_disabled():
        for leg in fig.legends:
            leg.draw(measure)
