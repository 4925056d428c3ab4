"""A newspaper article's headline zone: 引题 over 主题 over 副题, the byline under them.

The 主题's size follows the article: the page's lead article at the theme's
`article.lead_size` (小初 or larger), the others by how many columns wide they
are (`article.sizes`). Each line the author wrote stays one line: a line too
wide for the article is set smaller, down to `article.min_size` (the lead
never below its own size), and only then broken — between words, never inside
one (the words come from the chart labels' segmenter, rjieba).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reportlab.platypus import Flowable

from ..charts.labels import wrap as wrap_words
from ..templates.units import size
from .measure import char_widths
from .paragraph import CJKParagraph
from .style import TextStyle

if TYPE_CHECKING:
    from ..content.schema import Section
    from ..templates.theme import Theme

SIZES: dict[int | str, str | float] = {1: "小二", 2: "二号", 3: "小一", 4: "一号"}


def headline_size(theme: Theme, columns: int, lead: bool) -> float:
    """The 主题's size for an article `columns` wide."""
    if lead:
        return size(theme.get("article", "lead_size", default="小初"))
    sizes: dict[int | str, str | float] = theme.get("article", "sizes", default=None) or SIZES  # keys: int or str
    keys = sorted(int(k) for k in sizes)
    at = max((k for k in keys if k <= columns), default=keys[0])
    return size(sizes.get(at, sizes.get(str(at))))


def fit_lines(lines: list[str], width: float, font: str, pt: float, smallest: float) -> tuple[float, list[str]]:
    """(size, lines) so that every line fits `width`: the largest size from `pt` down to `smallest`
    (in half points) at which each written line fits whole, else `smallest` with a line broken
    between words."""
    def measure_at(s: float) -> Callable[[str], float]:
        return lambda text: sum(char_widths(text, font, s))

    s = pt
    while s >= smallest - 1e-6:
        if all(measure_at(s)(line) <= width for line in lines):
            return s, list(lines)
        s -= 0.5
    measure = measure_at(smallest)
    out: list[str] = []
    for line in lines:
        broken = wrap_words(line, width, measure, max_lines=4) if measure(line) > width else [line]
        # no word boundary lets the line fit: set it as written, the paragraph breaks it as text
        out += broken or [line]
    return smallest, out


def head_zone(theme: Theme, section: Section, width: float, columns: int, lead: bool) -> list[Flowable]:
    """The flowables of an article's headline zone, top to bottom, each as wide as the article."""
    align = theme.get("article", "align", default="center")
    main = theme.style("headline", align=align)
    pt = headline_size(theme, columns, lead)
    smallest = pt if lead else size(theme.get("article", "min_size", default="三号"))
    pt, lines = fit_lines(section.headline_lines, width, main.font, pt, smallest)
    out: list[Flowable] = []
    commentary = section.kind == "commentary"
    if commentary:
        tag = theme.get("article", "commentary_tag", default="评论")
        if tag:
            out.append(_para(tag, theme.style("tag", align=align)))
    small = max(theme.body_size * 1.2, round(pt * 0.5))
    if section.kicker:
        out.append(_para(section.kicker, theme.style("kicker", align=align, size=small, leading=small * 1.4)))
    style = theme.style("headline", align=align, size=pt, leading=pt * 1.25)
    out += [_para(line, style) for line in lines]
    if section.subhead:
        out.append(_para(section.subhead, theme.style("subhead", align=align, size=small, leading=small * 1.4)))
    if commentary and section.signature:
        out.append(_para(section.signature, theme.style("byline", align=align)))
    if section.byline:
        out.append(_para(section.byline, theme.style("byline", align=align)))
    return out


def _para(text: str, style: TextStyle) -> CJKParagraph:
    return CJKParagraph(text, style, markup=False)
