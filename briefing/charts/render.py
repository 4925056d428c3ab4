"""Plan -> matplotlib Figure -> SVG (text kept as text) -> ReportLab Drawing.

Imported lazily by briefing.charts: this module imports matplotlib.
Only the Figure object API and the SVG canvas are used, never pyplot.
"""
from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any

import matplotlib

matplotlib.use("svg", force=False)

from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import is_color_like
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.text import Annotation
from matplotlib.ticker import FixedLocator, Formatter, MaxNLocator
from reportlab.pdfbase.pdfmetrics import stringWidth
from svglib.svglib import svg2rlg

from .. import fmt
from ..errors import ContentError
from ..i18n import _
from ..registry import CHART_TYPES, load_object
from . import margins
from ._fonts import ChartFonts, SvgFontMap, matplotlib_family
from .labels import widest_word, wrap
from .lint import _uneven
from .spec import Plan
from .theme import ChartTheme

PT = 1 / 72.0


class _NumberFormatter(Formatter):
    """zh_CN tick labels via briefing.fmt; places chosen from the tick step."""

    def __init__(self, fonts: ChartFonts, percent: bool = False):
        self.fonts = fonts
        self.percent = percent
        self.decimals = 0

    def set_locs(self, locs):
        super().set_locs(locs)
        self.decimals = fmt.decimals_of([round(v, 6) for v in locs], cap=3)

    def __call__(self, x, pos=None):
        if abs(x) < 1e-12:
            x = 0.0
        text = fmt.percent(x, self.decimals) if self.percent else fmt.number(x, self.decimals)
        return self.fonts.minus(text)


# --- value scaling and labels -------------------------------------------------

def _scale(values: list, unit: str) -> tuple[float, str]:
    """(divisor, displayed unit) applying 万/亿 to large amounts."""
    if unit in ("%", "％") or unit.startswith("亿"):
        return 1.0, unit
    finite = [abs(v) for v in values if v is not None]
    big = max(finite, default=0)
    if unit.startswith("万"):
        return (1e4, "亿" + unit[1:]) if big >= 1e5 else (1.0, unit)
    if big >= 1e8:
        return 1e8, "亿" + unit
    if big >= 1e5:
        return 1e4, "万" + unit
    return 1.0, unit


class _Labeler:
    """Data labels: each value with the places its data writes it with (151, 41.1),
    or the chart's ``decimals``; values scaled to 万/亿 take the places they need (at most 2)."""

    def __init__(self, values: list, unit: str, fonts: ChartFonts, sign: bool = False,
                 decimals: int | None = None, places: dict | None = None):
        self.fonts = fonts
        self.percent = unit in ("%", "％")
        self.sign = sign
        self.fixed = decimals
        self.places = places or {}
        self.fallback = fmt.decimals_of(values, cap=2)

    def __call__(self, v, key=None) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        d = self.fixed
        if d is None and self.percent:
            d = fmt.current_style().percent_decimals     # the document's one rule for percentages
        if d is None:
            d = self.places.get(key)
        if d is None:
            d = self.fallback
        if self.percent:
            text = fmt.percent(v, d, sign=self.sign)
        else:
            text = fmt.number(v, d)
        return self.fonts.minus(text)


def _places(plan: Plan, series: list, scale: float = 1.0) -> dict:
    """(series index, point index) -> places as written; nothing when the values are rescaled."""
    if scale != 1.0:
        return {}
    return {(j, i): p for j, s in enumerate(series) for i, p in enumerate(s.places) if p is not None}


# --- figure ---------------------------------------------------------------------

def _nan(values):
    return [math.nan if v is None else v for v in values]


def _colors(plan: Plan, theme: ChartTheme) -> list[str]:
    base = list(plan.colors) + [c for c in theme.palette if c not in plan.colors]
    for c in plan.colors:
        if not is_color_like(c):
            raise ContentError(_("图表“{name}”：colors 中的“{c}”不是颜色").format(name=plan.name, c=c),
                               hint=_('请用 #RRGGBB 形式，如 "#2f5597"'))
    return base or list(theme.palette)


def _style_axes(ax, theme: ChartTheme, value_axis: str = "y") -> None:
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    base = "left" if value_axis == "x" else "bottom"
    ax.spines[base].set_visible(True)
    ax.spines[base].set_color(theme.axis_color)
    ax.spines[base].set_linewidth(0.6)
    ax.tick_params(axis="both", colors=theme.text_color, labelsize=theme.font_size, length=0, pad=3)
    ax.tick_params(axis="x" if value_axis == "y" else "y", length=2.5, width=0.6, color=theme.axis_color)
    grid = ax.yaxis if value_axis == "y" else ax.xaxis
    grid.grid(True, color=theme.grid_color, linewidth=0.5)
    ax.set_axisbelow(True)


def _em(s: str) -> float:
    """Rough width of a label in ems: CJK glyphs are 1 em, the rest about 0.55 em."""
    lines = s.split("\n")
    return max(sum(1.0 if ord(ch) > 0x2E80 else 0.56 for ch in line) for line in lines)


def _avail(plan: Plan, theme: ChartTheme, width_pt: float) -> float:
    """Estimated width of the plot area (points), between the tick-label columns."""
    fs = theme.font_size
    vals = [abs(v) for s in plan.series for v in s.values if v is not None]
    div, _unit = _scale(vals, plan.unit)
    widest = fmt.number(max(vals, default=0) / div * 1.2, 0) + ("%" if plan.unit in ("%", "％") else "")
    avail = width_pt - _em(widest) * fs - 10
    if plan.type == "combo":
        avail -= _em("-10.0%") * fs + 6
    return max(avail, width_pt * 0.4)


def _measure(fonts: ChartFonts, size: float):
    """Width in points of one line of chart text, from the font's own metrics."""
    def measure(text: str) -> float:
        return max((stringWidth(line, fonts.regular, size) for line in text.split("\n")), default=0.0)
    return measure


def _category_ticks(ax, plan: Plan, theme: ChartTheme, width_pt: float, xs: list | None = None,
                    fonts: ChartFonts | None = None) -> None:
    """Horizontal category labels; when they do not fit: drop 年 from plain years,
    thin a time axis, break names between words (never inside one, see labels.py)
    onto two, three or four lines, and only then turn them upright.

    ``xs``: the tick positions on a real time axis (unequal gaps); the labels
    must then fit the narrowest gap."""
    labels = list(plan.categories)
    n = len(labels)
    ax.set_xticks(xs if xs is not None else range(n))
    fs = theme.font_size
    slot = _avail(plan, theme, width_pt) / max(n, 1)
    if xs is not None and n > 1:
        gaps = [b - a for a, b in zip(xs, xs[1:])]
        slot = _avail(plan, theme, width_pt) * min(gaps) / (xs[-1] - xs[0] + 0.8 * min(gaps))
    gap = 0.8 * fs
    measure = _measure(fonts, fs) if fonts is not None else (lambda t: _em(t) * fs)

    def fits(ls):
        return max((measure(x) for x in ls if x), default=0) + gap <= slot

    rotation = 0
    if not fits(labels):
        years = [x[:-1] for x in labels if len(x) == 5 and x.endswith("年") and x[:4].isdigit()]
        if plan.time_axis and len(years) == n and fits(years):
            labels = years
        elif plan.time_axis:
            step = math.ceil((max(measure(x) for x in labels) + gap) / slot)
            labels = [x if i % step == 0 else "" for i, x in enumerate(labels)]
        else:
            for lines in (2, 3, 4):
                wrapped = [w for x in labels if (w := wrap(x, slot - gap, measure, lines)) is not None]
                if len(wrapped) == len(labels):
                    labels = ["\n".join(w) for w in wrapped]
                    break
            else:
                rotation = 90
    if rotation:
        ax.set_xticklabels(labels, rotation=90, ha="center", va="top")
    else:
        ax.set_xticklabels(labels, linespacing=1.05)


def _upright_fit(plan: Plan, theme: ChartTheme, width_pt: float, fonts: ChartFonts) -> bool:
    """Whether the category names fit under vertical bars, broken between words onto at most three lines."""
    if plan.time_axis or not plan.categories:
        return True

    measure = _measure(fonts, theme.font_size)
    slot = _avail(plan, theme, width_pt) / len(plan.categories) - 0.8 * theme.font_size
    return all(wrap(x, slot, measure, 3) is not None for x in plan.categories if x)


def _rows_height(plan: Plan, theme: ChartTheme, width_pt: float, fonts: ChartFonts) -> float:
    """The height horizontal bars need so that no two row names (up to three lines each) touch."""
    horizontal = plan.type == "barh" or (plan.type in ("bar", "grouped") and not _upright_fit(plan, theme, width_pt, fonts))
    if not horizontal or not plan.categories:
        return 0.0
    lines = [label.count("\n") + 1 for label in _row_labels(plan, theme, fonts, width_pt)]
    rows = sum(max(n, 1) * theme.font_size * 1.25 + 3 for n in lines)
    legend = theme.font_size * 2.2 if len(plan.series) > 1 else 0
    return rows + theme.font_size * 4.5 + legend


def _row_labels(plan: Plan, theme: ChartTheme, fonts: ChartFonts, width_pt: float) -> list[str]:
    """Labels of horizontal bars: at most about two fifths of the width, broken between words."""
    measure = _measure(fonts, theme.font_size)
    out = []
    for label in plan.categories:
        limit = max(width_pt * 0.38, widest_word(label, measure) if label else 0)
        lines = wrap(label, limit, measure, 3) if label else [label]
        out.append("\n".join(lines) if lines else label)
    return out


def _time_positions(plan: Plan) -> list[float] | None:
    """Periods at unequal intervals (2020-03, 2020-12, 2021-06) on a real time axis
    (matplotlib dates); None when the intervals are equal and even spacing is true."""
    if not plan.time_axis or len(plan.dates) < 3:
        return None

    if not _uneven(plan.dates):
        return None
    return [float(date2num(dt.date.fromisoformat(d))) for d in plan.dates]


def _crowded(texts: list[str], size: float, slot: float) -> bool:
    return max((_em(t) * size for t in texts if t), default=0) > slot * 0.98


def unit_label(unit: str) -> str:
    """The unit line of a chart, composed once: "单位：万辆" (the spec's unit is stored bare)."""
    return f"单位：{unit}"


def _unit_note(ax, text: str, theme: ChartTheme, right: bool = False) -> None:
    if not text or text in ("%", "％"):
        return      # percentage ticks already carry the sign
    ax.annotate(unit_label(text), xy=(1 if right else 0, 1), xycoords="axes fraction", gid="unit",
                xytext=(0, theme.font_size * 0.6), textcoords="offset points",
                ha="right" if not right else "left", va="bottom",
                fontsize=theme.font_size, color=theme.text_color)


def _zero_line(ax, theme: ChartTheme, values: list, axis: str = "y") -> None:
    if any(v is not None and v < 0 for v in values):
        if axis == "y":
            ax.axhline(0, color=theme.axis_color, linewidth=0.7, zorder=2.5)
        else:
            ax.axvline(0, color=theme.axis_color, linewidth=0.7, zorder=2.5)


def _legend(fig, handles, labels, theme: ChartTheme) -> None:
    if len(handles) < 2:
        return
    fig.legend(handles, labels, loc="outside lower center", ncol=min(len(handles), 5), frameon=False,
               fontsize=theme.font_size, labelcolor=theme.text_color, handlelength=1.4,
               handleheight=0.8, columnspacing=1.4, borderaxespad=0.2)


def _bars(ax, plan: Plan, theme: ChartTheme, fonts: ChartFonts, colors, scale: float, unit: str,
          horizontal: bool = False, stacked: bool = False):
    n = len(plan.categories)
    k = len(plan.series)
    handles = []
    single = k == 1
    group_w = 0.62 if single else min(0.8, 0.22 * k + 0.2)
    w = group_w if (single or stacked) else group_w / k
    pos_base = [0.0] * n
    neg_base = [0.0] * n
    allvals = [v / scale for s in plan.series for v in s.values if v is not None]
    labeler = _Labeler(allvals, unit, fonts, decimals=plan.decimals, places=_places(plan, plan.series, scale))
    positions = list(range(n))
    show = plan.labels
    if show and plan.labels_auto:
        per = n if (single or stacked) else n * k
        if horizontal:
            show = True   # labels sit at the bar ends, one per row
        elif stacked:
            show = not _crowded([labeler(v / scale) for v in allvals_raw(plan)], theme.label_size,
                                _avail(plan, theme, ax.figure.get_figwidth() * 72) / max(n, 1))
        else:
            show = not _crowded([labeler(v) for v in allvals], theme.label_size,
                                _avail(plan, theme, ax.figure.get_figwidth() * 72) / max(per, 1))
    for j, s in enumerate(plan.series):
        vals = [None if v is None else v / scale for v in s.values]
        offs = 0.0 if (single or stacked) else (j - (k - 1) / 2) * w
        xs = [p + offs for p in positions]
        heights = [0.0 if v is None else v for v in vals]
        if stacked:
            bottoms = [pos_base[i] if heights[i] >= 0 else neg_base[i] for i in range(n)]
            for i, h in enumerate(heights):
                if h >= 0:
                    pos_base[i] += h
                else:
                    neg_base[i] += h
        else:
            bottoms = [0.0] * n
        color = colors[j % len(colors)]
        face = [theme.negative_color if (single and h < 0) else color for h in heights]
        if horizontal:
            cont = ax.barh(xs, heights, height=w, left=bottoms, color=face, linewidth=0, zorder=2)
        else:
            cont = ax.bar(xs, heights, width=w, bottom=bottoms, color=face, linewidth=0, zorder=2)
        handles.append(cont.patches[0] if cont.patches else cont)
        if show:
            texts = [labeler(v, (j, i)) for i, v in enumerate(vals)]
            if stacked:
                _stack_labels(ax, cont, texts, theme, horizontal)
            else:
                ax.bar_label(cont, labels=texts, padding=2, fontsize=theme.label_size,
                             color=theme.text_color)
    return handles


def allvals_raw(plan: Plan) -> list[float]:
    return [v for s in plan.series for v in s.values if v is not None]


def _stack_labels(ax, cont, texts, theme: ChartTheme, horizontal: bool) -> None:
    # label a segment only if it is tall enough to hold the text
    fig = ax.figure
    bbox = ax.get_position()
    lo, hi = (ax.get_xlim() if horizontal else ax.get_ylim())
    span = (hi - lo) or 1.0
    axis_pt = (bbox.width * fig.get_figwidth() if horizontal else bbox.height * fig.get_figheight()) * 72
    need = theme.label_size * (3.5 if horizontal else 1.3)
    shown = []
    for patch, t in zip(cont.patches, texts):
        size = abs(patch.get_width() if horizontal else patch.get_height())
        shown.append(t if size / span * axis_pt >= need else "")
    ax.bar_label(cont, labels=shown, label_type="center", fontsize=theme.label_size, color="white")


def draw_builtin(fig, plan: Plan, theme: ChartTheme, fonts: ChartFonts, width_pt: float) -> None:
    """The bundled chart types (registered in briefing/registry.py)."""
    colors = _colors(plan, theme)
    t = plan.type
    if t in ("pie", "donut"):
        _pie(fig, plan, theme, fonts, colors)
        return

    ax = fig.add_subplot()
    allvals = [v for s in plan.series for v in s.values if v is not None]
    scale, unit = _scale(allvals, plan.unit)
    # names that do not fit under the bars even on three lines (a narrow column): the bars are
    # laid down, each name beside its bar, rather than turned upright and squeezing the plot
    horizontal = t == "barh" or (t in ("bar", "grouped") and not _upright_fit(plan, theme, width_pt, fonts))
    ax.set_gid("horizontal" if horizontal else "vertical")
    _style_axes(ax, theme, "x" if horizontal else "y")
    fmt_axis = ax.xaxis if horizontal else ax.yaxis
    # a horizontal value axis in a narrow column gets fewer ticks, so their labels never touch
    bins = 5 if not horizontal else max(2, min(5, int(width_pt / (theme.font_size * 5.5))))
    fmt_axis.set_major_locator(MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10]))
    fmt_axis.set_major_formatter(_NumberFormatter(fonts, percent=unit in ("%", "％")))
    if t in ("bar", "barh", "grouped", "stacked", "combo"):
        handles = _bar_chart(ax, plan, theme, fonts, colors, scale, unit, horizontal, width_pt)
    elif t in ("line", "area"):
        handles = _line_chart(ax, plan, theme, fonts, colors, scale, unit, width_pt)
    else:
        handles = []
    if t == "combo":
        handles += _combo_line(ax, plan, theme, fonts, colors, scale)

    names = [s.name for s in plan.series] + [s.name for s in plan.y2]
    _legend(fig, handles, names, theme)


def _bar_chart(ax, plan: Plan, theme: ChartTheme, fonts: ChartFonts, colors, scale: float, unit: str,
               horizontal: bool, width_pt: float) -> list:
    """Bars (upright or laid down), grouped, stacked, or the bars of a combo; returns the legend handles."""
    t, n = plan.type, len(plan.categories)
    allvals = [v for s in plan.series for v in s.values if v is not None]
    if t == "stacked":
        # set limits first so _stack_labels can measure segments
        pos = [sum(max(0.0, (s.values[i] or 0)) for s in plan.series) / scale for i in range(n)]
        neg = [sum(min(0.0, (s.values[i] or 0)) for s in plan.series) / scale for i in range(n)]
        lo, hi = min(neg + [0.0]), max(pos + [0.0])
        pad = (hi - lo) * 0.08 or 1.0
        ax.set_ylim(lo - (pad if lo < 0 else 0), hi + pad)
    handles = _bars(ax, plan, theme, fonts, colors, scale, unit, horizontal=horizontal,
                    stacked=t == "stacked")
    if t == "stacked":
        ax.set_ylim(auto=True)
        ax.autoscale_view()
    if horizontal:
        ax.set_yticks(range(n))
        ax.set_yticklabels(_row_labels(plan, theme, fonts, width_pt), linespacing=1.05)
        ax.invert_yaxis()
        ax.margins(x=0.12 if plan.labels else 0.04)
        _zero_line(ax, theme, allvals, "x")
        if unit and unit not in ("%", "％"):
            ax.set_xlabel(unit_label(unit), loc="right", fontsize=theme.font_size, color=theme.text_color,
                          labelpad=2)
    else:
        _category_ticks(ax, plan, theme, width_pt, fonts=fonts)
        ax.set_xlim(-0.6, n - 0.4)
        ax.margins(y=0.15 if plan.labels else 0.05)
        if plan.y_min is not None:      # honoured, though validate warns about it for bars
            ax.set_ylim(bottom=plan.y_min / scale)
        _zero_line(ax, theme, allvals)
        _unit_note(ax, unit, theme)
    return handles


def _line_chart(ax, plan: Plan, theme: ChartTheme, fonts: ChartFonts, colors, scale: float, unit: str,
                width_pt: float) -> list:
    """Lines or areas (stacked when there are several); returns the legend handles."""
    t, n = plan.type, len(plan.categories)
    allvals = [v for s in plan.series for v in s.values if v is not None]
    handles: list = []
    xs = _time_positions(plan) or list(range(n))
    real_time = xs != list(range(n))
    labeler = _Labeler([v / scale for v in allvals], unit, fonts, decimals=plan.decimals,
                       places=_places(plan, plan.series, scale))
    if t == "area" and len(plan.series) > 1:
        ys = [[(v or 0.0) / scale for v in s.values] for s in plan.series]
        polys = ax.stackplot(xs, ys, colors=[colors[j % len(colors)] for j in range(len(ys))],
                             alpha=0.9, linewidth=0, zorder=2)
        handles = list(polys)
    else:
        for j, s in enumerate(plan.series):
            vals = [None if v is None else v / scale for v in s.values]
            color = colors[j % len(colors)]
            if t == "area":
                ax.fill_between(xs, _nan(vals), 0, color=color, alpha=0.22, linewidth=0, zorder=2)
            (line,) = ax.plot(xs, _nan(vals), color=color, linewidth=1.6, zorder=3,
                              marker="o" if (t == "line" and n <= 24) else None, markersize=3.2,
                              markerfacecolor=color, markeredgewidth=0)
            handles.append(line)
            if plan.labels and not (plan.labels_auto and _crowded(
                    [labeler(v) for v in vals if v is not None], theme.label_size,
                    _avail(plan, theme, width_pt) / max(n, 1))):
                _point_labels(ax, xs, vals, labeler, theme, color=theme.text_color, series=j)
    _category_ticks(ax, plan, theme, width_pt, xs if real_time else None, fonts=fonts)
    if n <= 1:
        ax.set_xlim(-1, 1)
    elif t == "area":
        ax.set_xlim(xs[0], xs[-1])
    else:
        pad = 0.4 * min(b - a for a, b in zip(xs, xs[1:]))
        ax.set_xlim(xs[0] - pad, xs[-1] + pad)
    ax.margins(y=0.14 if plan.labels else 0.06)
    if t == "area" and min(allvals) >= 0:
        ax.set_ylim(bottom=0)
    if plan.y_min is not None:
        ax.set_ylim(bottom=plan.y_min / scale)
    _zero_line(ax, theme, allvals)
    _unit_note(ax, unit, theme)
    return handles


def _point_labels(ax, xs, vals, labeler, theme: ChartTheme, color: str, neg_color: str | None = None,
                  series: int = 0):
    for i, (x, v) in enumerate(zip(xs, vals)):
        if v is None:
            continue
        below = v < 0 and neg_color is not None
        ax.annotate(labeler(v, (series, i)), (x, v), xytext=(0, -4 if below else 4), textcoords="offset points",
                    ha="center", va="top" if below else "bottom", fontsize=theme.label_size,
                    color=(neg_color if (neg_color and v < 0) else color), zorder=4)


def _combo_line(ax, plan: Plan, theme: ChartTheme, fonts: ChartFonts, colors, scale_bars: float) -> list:
    ax2 = ax.twinx()
    for side in ("top", "right", "left", "bottom"):
        ax2.spines[side].set_visible(False)
    ax2.tick_params(axis="y", colors=theme.text_color, labelsize=theme.font_size, length=0, pad=3)
    pct = plan.y2_unit in ("%", "％")
    ax2.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax2.yaxis.set_major_formatter(_NumberFormatter(fonts, percent=pct))
    vals_all = [v for s in plan.y2 for v in s.values if v is not None]
    labeler = _Labeler(vals_all, plan.y2_unit, fonts, sign=True, decimals=plan.decimals,
                       places=_places(plan, plan.y2))
    handles = []
    k = len(plan.series)
    xs = list(range(len(plan.categories)))
    for j, s in enumerate(plan.y2):
        color = colors[(k + j) % len(colors)]
        (line,) = ax2.plot(xs, _nan(s.values), color=color, linewidth=1.6, marker="o", markersize=3.4,
                           markeredgewidth=0, zorder=5)
        neg = [(x, v) for x, v in zip(xs, s.values) if v is not None and v < 0]
        if neg:
            ax2.plot([p[0] for p in neg], [p[1] for p in neg], linestyle="none", marker="o",
                     markersize=3.4, markeredgewidth=0, color=theme.negative_color, zorder=6)
        handles.append(line)
        width_pt = ax.figure.get_figwidth() * 72
        if plan.labels and not (plan.labels_auto and _crowded(
                [labeler(v) for v in s.values if v is not None], theme.label_size,
                _avail(plan, theme, width_pt) / max(len(xs), 1))):
            _point_labels(ax2, xs, s.values, labeler, theme, color=color, neg_color=theme.negative_color, series=j)
    # bars in the lower part, the rate line in a band above them, so that
    # the two sets of data labels never collide
    bar_vals = [v for s in plan.series for v in s.values if v is not None]
    blo, _bhi = ax.get_ylim()
    top = max(bar_vals + [0.0])
    if top > 0:
        top /= scale_bars
        ax.set_ylim(blo, top * 1.85)
        ax.yaxis.set_major_locator(FixedLocator(
            [t for t in MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]).tick_values(min(blo, 0), top)
             if blo - 1e-9 <= t <= top * 1.12]))
    lo, hi = min(vals_all), max(vals_all)
    span = (hi - lo) or (abs(hi) or 1.0)
    total = span / 0.30
    bottom = lo - 0.60 * total
    ax2.set_ylim(bottom, bottom + total)
    ticks = [t for t in MaxNLocator(nbins=3, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
             if lo - 0.08 * span <= t <= hi + 0.15 * span]
    if lo < 0 < hi and 0 not in ticks:
        ticks = sorted(ticks + [0.0])
    ax2.yaxis.set_major_locator(FixedLocator(ticks))
    if lo < 0:
        ax2.axhline(0, color=theme.negative_color, linewidth=0.6, linestyle=(0, (3, 2)), zorder=1)
    if not pct:
        _unit_note(ax2, plan.y2_unit, theme, right=True)
    ax2.set_zorder(ax.get_zorder() + 1)
    ax2.patch.set_visible(False)
    return handles


def _pie(fig, plan: Plan, theme: ChartTheme, fonts: ChartFonts, colors) -> None:
    ax = fig.add_subplot()
    vals = plan.series[0].values
    total = sum(vals)
    cats = plan.categories or [str(i + 1) for i in range(len(vals))]
    shares = [v / total * 100 for v in vals]
    labels = _pie_labels(fig, plan, cats, shares, theme, fonts)
    donut = plan.type == "donut"
    wedges, _texts = ax.pie(
        vals, colors=[colors[i % len(colors)] for i in range(len(vals))],
        startangle=90, counterclock=False, radius=1.0,
        wedgeprops={"linewidth": 1.0, "edgecolor": "white", **({"width": 0.42} if donut else {})},
    )
    ax.set_aspect("equal")
    # the pie is made as large as the labels beside it allow, so that no label leaves the chart
    w_pt, h_pt = fig.get_figwidth() * 72 * 0.95, fig.get_figheight() * 72 * 0.9
    measure = _measure(fonts, theme.label_size)
    widest = max((measure(t) for t in labels), default=0.0)
    r = max(h_pt * 0.22, min(h_pt / 2.64, (w_pt / 2 - widest - theme.label_size) / 1.25))
    xlim, ylim = w_pt / 2 / r, h_pt / 2 / r
    # outside labels, pushed apart vertically on each side, with a thin leader
    # line when a label had to move away from its slice
    lines = max((t.count("\n") + 1 for t in labels), default=1)
    line_h = theme.label_size * 1.2 * lines / r + 0.04      # label height in data units
    items: list[list] = []
    for w, text in zip(wedges, labels):
        if w.theta2 - w.theta1 < 0.3:
            continue
        ang = math.radians((w.theta1 + w.theta2) / 2)
        x, y = math.cos(ang), math.sin(ang)
        items.append([x, y, 1.18 * y, text])
    for side in (1, -1):
        group = sorted([it for it in items if (it[0] >= 0) == (side > 0)], key=lambda it: -it[2])
        for a, b in zip(group, group[1:]):          # top-down: push lower labels down
            if a[2] - b[2] < line_h:
                b[2] = a[2] - line_h
        for a, b in zip(reversed(group), list(reversed(group))[1:]):   # then bottom-up
            if b[2] - a[2] < line_h and a[2] < -1.25:
                b[2] = a[2] + line_h
    for x, y, ly, text in items:
        sx = 1 if x >= 0 else -1
        lx = sx * max(abs(x) * 1.12, 0.35) if abs(ly - 1.18 * y) < 1e-9 else sx * 1.22
        moved = abs(ly - 1.18 * y) > 1e-9
        if moved:
            ax.plot([x * 1.01, x * 1.08, lx - sx * 0.03], [y * 1.01, y * 1.08, ly],
                    color=theme.axis_color, linewidth=0.5, solid_capstyle="butt")
        ax.text(lx, ly, text, ha="left" if sx > 0 else "right", va="center",
                fontsize=theme.label_size, color=theme.text_color)
    ax.set_xlim(-xlim, xlim)
    ax.set_ylim(-ylim, ylim)


def _pie_labels(fig, plan: Plan, cats: list, shares: list, theme: ChartTheme, fonts: ChartFonts) -> list[str]:
    """"name share" on one line, or when that is long for the width, the name (broken between
    words) over the share."""
    measure = _measure(fonts, theme.label_size)
    width = fig.get_figwidth() * 72
    out = []
    for c, share in zip(cats, shares):
        pct = fmt.percent(share, plan.decimals) if plan.labels else ""
        one = f"{c} {pct}".strip()
        if measure(one) <= width * 0.22 or not pct:
            out.append(one)
            continue
        limit = max(width * 0.2, widest_word(c, measure))
        name = wrap(c, limit, measure, 2) or [c]
        out.append("\n".join(name + [pct]))
    return out


# --- overlaps ----------------------------------------------------------------------

PAD = 0.6   # points kept between two text boxes


def _box(text, renderer):
    if not text.get_visible() or not text.get_text().strip():
        return None
    return text.get_window_extent(renderer=renderer).expanded(1.0, 1.0).padded(PAD / 2)


def _settle(fig, plan: Plan, renderer) -> bool:
    """Measure every text box where the margins put it and resolve overlaps: category labels stay (an
    upright turn if they still collide), a value-axis tick that collides is left out, a data
    label is moved up clear of what it hits or, failing that, left out (the axis still gives
    its value). Returns True when something changed."""
    margins.place_legends(fig, renderer)
    axes = fig.axes
    main = axes[0]
    horizontal = main.get_gid() == "horizontal"
    category = main.get_yticklabels() if horizontal else main.get_xticklabels()
    cats = [(t, _box(t, renderer)) for t in category]
    cats = [(t, b) for t, b in cats if b is not None]
    if _thin_categories(cats, horizontal, plan):
        return True
    kept = [b for _t, b in cats]
    fixed = list(fig.texts) + [t for ax in axes for t in ax.texts if t.get_gid() == "unit"]
    for leg in fig.legends:
        fixed += leg.get_texts()
    for ax in axes:
        fixed += [ax.xaxis.label, ax.yaxis.label]
    kept += [b for b in (_box(t, renderer) for t in fixed) if b is not None]
    values = []
    for ax in axes:
        values += ax.get_xticklabels() if horizontal else ax.get_yticklabels()
    changed = _drop_clashing(values, kept, renderer)
    for ax in axes:
        changed = _settle_labels(fig, ax, kept, renderer, horizontal) or changed
    return changed


def _thin_categories(cats: list, horizontal: bool, plan: Plan) -> bool:
    """Category labels that collide: turned upright, or every other one left out on a time axis.
    True when they were changed (the chart is laid out again)."""
    clash = any(a[1].overlaps(b[1]) for a, b in zip(cats, cats[1:]))
    if clash and not horizontal and not plan.time_axis and cats[0][0].get_rotation() == 0:
        for t, _b in cats:
            t.set_rotation(90)
            t.set_verticalalignment("top")
        return True
    if clash and plan.time_axis:
        for i, (t, _b) in enumerate(cats):
            if i % 2:
                t.set_visible(False)
        return True
    return False


def _drop_clashing(texts: list, kept: list, renderer) -> bool:
    """Leave out each text that overlaps a kept box; the others join `kept`. True if one was left out."""
    changed = False
    for t in texts:
        b = _box(t, renderer)
        if b is None:
            continue
        if any(b.overlaps(k) for k in kept):
            t.set_visible(False)
            changed = True
        else:
            kept.append(b)
    return changed


def _settle_labels(fig, ax, kept: list, renderer, horizontal: bool) -> bool:
    """The data labels of one axes: lifted clear of what they hit (upright charts), else left out."""
    changed = False
    for t in ax.texts:
        if t.get_gid() == "unit":
            continue
        b = _box(t, renderer)
        if b is None:
            continue
        hits = [k for k in kept if b.overlaps(k)]
        if hits and isinstance(t, Annotation) and not horizontal:
            lift = max(k.y1 for k in hits) - b.y0 + PAD
            x, y = t.xyann
            t.xyann = (x, y + lift)
            b = _box(t, renderer)
            changed = True
            if any(b.overlaps(k) for k in kept) or b.y1 > fig.bbox.y1:
                t.set_visible(False)
                continue
        elif hits:
            t.set_visible(False)
            changed = True
            continue
        kept.append(b)
    return changed


# --- plot height ----------------------------------------------------------------------

MIN_PLOT = 0.5   # share of the chart's height the plot keeps, however much the labels and legend take


def _keep_plot(fig, measure) -> None:
    """Fit the margins to the text (margins.fit), and make the chart taller when its labels and legend
    leave the plot less than MIN_PLOT of the height (upright names in a narrow column): the text keeps
    its size, the plot its room.

    The room the text takes is measured from its boxes, not from where the plot was put: when the text
    takes more than the whole height the plot is left where it was."""
    for _round in range(4):
        box = margins.fit(fig, measure)
        if box is None:
            return
        text = box.height - fig.axes[0].bbox.height
        height = fig.get_figheight() * 72
        if height - text >= MIN_PLOT * height - 0.5:
            return
        fig.set_figheight(text / (1 - MIN_PLOT) * 1.03 / 72)


# --- SVG and Drawing ------------------------------------------------------------------

def render_svg(plan: Plan, theme: ChartTheme, width: float, fonts: ChartFonts) -> bytes:
    """The chart as SVG bytes, fonts named by family, text as <text>."""
    height = max(width * plan.height, _rows_height(plan, theme, width, fonts))
    rc: dict[Any, Any] = {      # Any: matplotlib's stub knows the keys only as literals
        "svg.fonttype": "none",
        "svg.hashsalt": "briefing",
        "font.family": [matplotlib_family(fonts.family)],
        "font.size": theme.font_size,
        "text.color": theme.text_color,
        "axes.unicode_minus": fonts.has_minus,
        "figure.dpi": 72,
        "savefig.dpi": 72,
        "lines.solid_capstyle": "round",
        "hatch.linewidth": 0.5,
    }
    with rc_context(rc), fmt.number_style(fmt.NumberStyle(*plan.numbers) if plan.numbers else None):
        # no layout engine: the margins are fitted to the measured text (margins.py), measured by the
        # SVG canvas's renderer, i.e. at the widths the text prints at
        fig = Figure(figsize=(width * PT, height * PT), dpi=72)
        FigureCanvasSVG(fig)
        fig.patch.set_alpha(0)
        kind = CHART_TYPES.get(plan.type)
        assert kind.draw is not None, plan.type   # a type drawn without matplotlib never comes here
        load_object(kind.draw)(fig, plan, theme, fonts, width)
        measure = margins.renderer(fig)
        if not kind.shares and fig.axes:
            _keep_plot(fig, measure)
            for _round in range(3):        # what settling changes (a hidden tick) changes the margins
                if not _settle(fig, plan, measure):
                    break
                _keep_plot(fig, measure)
        else:
            # a pie's labels move with its square plot: two passes, as matplotlib's layout made
            margins.fit(fig, measure, passes=2)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    return buf.getvalue()


def svg_to_drawing(svg: bytes, width: float, fonts: ChartFonts):
    drawing = svg2rlg(io.BytesIO(svg), font_map=SvgFontMap(fonts))
    if drawing is None:
        raise RuntimeError("svglib could not read the chart SVG")
    if drawing.width and abs(drawing.width - width) > 0.01:
        f = width / drawing.width
        drawing.scale(f, f)
        drawing.width, drawing.height = width, drawing.height * f
    return drawing
