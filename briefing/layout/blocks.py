"""Content blocks -> platypus flowables, every piece of text through CJKParagraph.

WeasyPrint keeps one module per kind of box; here one function per kind of
block, dispatched by name. Numbering (一、 （一） 图N 表N) is decided here,
in reading order, so captions and cross references agree.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer, Table, TableStyle

from .. import fmt
from ..errors import ContentError, Location
from ..i18n import _
from ..registry import BLOCK_TYPES, load_object
from .headings import heading_text
from .paragraph import CJKParagraph
from ..templates.placement import (article_columns, article_width, articles, keyfigure_columns, multi_column,
                                   side_by_side)
from ..content import walk
from ..templates.theme import Theme
from . import source
from .article import Article
from .headline import head_zone
from .image import image_flowable
from .measure import char_widths
from .parts import Bookmark, Boxed, Float, GridBox, SideBar, Span, TableUnit
from .table import data_table

if TYPE_CHECKING:
    from ..assets import Assets
    from ..content.schema import (Block, ChartSpec, Document, HeadingSpec, ImageSpec, KeyFigure, KeyFiguresBlock,
                                  QuoteSpec, Section, TableSpec)
    from ..data import Resolved
    from ..data.dataset import Dataset
    from .image import ImageInfo

NOTE_OPENINGS = ("注：", "注:", "说明：", "附注：")
REF = re.compile(r"\{ref:([A-Za-z0-9_.:-]+)\}")


@dataclass
class Counters:
    section: int = 0
    heading: int = 0
    figure: int = 0
    table: int = 0
    sub: list[int] = field(default_factory=lambda: [0, 0])   # levels 3 and 4, under the current heading


class HeadingKeep(CondPageBreak):
    """Room a heading needs at the foot of a column, measured again against the text after it
    once the section's blocks are set (Builder.section)."""

    def __init__(self, height: float, heading: Flowable):
        super().__init__(height)
        self.heading = heading


def figure_labels(doc: Document, numbers: dict[str, int] | None = None, photos_numbered: bool = True) -> dict[str, str]:
    """{figure/table id -> "图3" / "表2"}: a chart's, image's or table's `id:` and its automatic id
    (<section id>-fig<k>, <section id>-tab<k>), numbered in reading order (or as `numbers`, the order
    on the page from a first layout pass, says); photos are figures unless `photos_numbered` is False."""
    numbers = numbers or {}
    refs: dict[str, str] = {}
    fig = tab = 0
    for section in doc.sections:
        k_fig = k_tab = 0
        for block in _walk(section.blocks):
            kind = next(iter(type(block).model_fields))
            spec = getattr(block, kind)
            if kind == "chart" or (kind == "image" and spec.caption and photos_numbered):
                fig, k_fig = fig + 1, k_fig + 1
                label, auto = f"图{numbers.get(f'图{fig}', fig)}", f"{section.id}-fig{k_fig}"
            elif kind == "table":
                tab, k_tab = tab + 1, k_tab + 1
                label, auto = f"表{numbers.get(f'表{tab}', tab)}", f"{section.id}-tab{k_tab}"
            else:
                continue
            refs[auto] = label
            if getattr(spec, "id", None):
                refs[spec.id] = label
    return refs


@dataclass
class Builder:
    """Builds the story of one document. `drawings` maps id(chart spec) -> Drawing (stage 3's output)."""

    theme: Theme
    width: float                                  # column width in points
    drawings: dict[int, Flowable] = field(default_factory=dict)
    sparklines: dict[int, Flowable] = field(default_factory=dict)     # id(key figure) -> Drawing
    tables: dict[int, Dataset] = field(default_factory=dict)          # id(table spec) -> Dataset
    images: dict[int, tuple[Path, ImageInfo]] = field(default_factory=dict)   # id(image spec) -> (path, info)
    count: Counters = field(default_factory=Counters)
    full_width: float = 0.0                       # the type area's width (spans in a multi-column page)
    multi: bool = False                           # more than one column on the page
    refs: dict[str, str] = field(default_factory=dict)      # figure/table id -> "图3" / "表2"
    nested: bool = False                          # inside a `columns` block
    _fronted: bool = False
    _section: str = ""
    numbers: dict[str, int] = field(default_factory=dict)   # "图3" (order in the content) -> 5 (order on the page)
    photos_numbered: bool = True                  # False in a made-up 专刊: a photo has a credit, not 图N
    places: dict[int, Location] = field(default_factory=dict)    # id(block) -> its Location in the content

    @property
    def pitch(self) -> float:
        return self.theme.body_leading

    def grid(self, content: list[Flowable], key: str = "") -> GridBox:
        """An unbreakable unit a whole number of body lines high (headings, quotes, notes)."""
        return GridBox(content, self.pitch, key)

    def label(self, kind: str, n: int) -> str:
        """图N / 表N as printed: the number the figure takes in reading order once placed (`numbers`, from
        a first layout pass), else its order in the content."""
        return f"{kind}{self.numbers.get(f'{kind}{n}', n)}"

    def key(self, label: str) -> str:
        """How a figure, table or panel is named if it could not be placed."""
        return _("{label}（栏目“{section}”）").format(label=label, section=self._section)

    def p(self, text: str, style: str, markup: bool = True, **changes: Any) -> CJKParagraph:
        text = self.resolve_refs(str(text)) if markup else str(text)
        return CJKParagraph(text, self.theme.style(style, **changes), markup=markup)

    def resolve_refs(self, text: str) -> str:
        """"{ref:gdp-chart}" -> "图1": a chart's, image's or table's `id:`, or its automatic id
        (<section id>-fig<k>, <section id>-tab<k>: the k-th figure/table of that section)."""
        def one(m: re.Match[str]) -> str:
            key = m.group(1)
            if key not in self.refs:
                raise ContentError(_("交叉引用“{key}”找不到对应的图或表").format(key=key), hint=_(
                    "可用：{ids}").format(ids="、".join(sorted(self.refs)) or "—"))
            return self.refs[key]
        return REF.sub(one, text) if "{ref:" in text else text

    def number_figures(self, doc: Document) -> None:
        """Number figures and tables in reading order before any text is set, so references may point ahead."""
        self.refs.update(figure_labels(doc, self.numbers, self.photos_numbered))

    def spans(self, width: float, kind: str | float) -> bool:
        """Whether a block of `width: full` leaves the column for the whole type area (as assets drew it)."""
        return self.multi and not self.nested and kind == "full"

    # -- sections ---------------------------------------------------------------
    def section(self, section: Section) -> list[Flowable]:
        title = _title(section)
        if section.numbered:
            self.count.section += 1
            number = self.theme.get("styles", "h1", "number", default="{cn}、")
            title = number.format(cn=fmt.cn_numeral(self.count.section), n=self.count.section) + title
        self.count.heading, self.count.sub = 0, [0, 0]
        self._section = section.id
        key = f"sec-{section.id}"
        head: Flowable = self.p(title, "h1", markup=False)
        decor = self.theme.get("styles", "h1", "decor")
        if decor in ("box", "rule"):
            head = Boxed(head, decor, self.theme.color(self.theme.get("styles", "h1", "decor_color", default="accent")),
                         pad=self.theme.body_size * 0.3)
        head = self.grid([head])
        first = len(self.theme.link_notes)
        body = self.deck(section) + [f for block in section.blocks for f in self.block(block, self.width)]
        # link_style: footnote — the addresses of this section's links, numbered as their marks
        notes = self.theme.link_notes[first:]
        body += [self.grid([self.p(f"[{first + k}] {url}", "note", markup=False)]) for k, url in enumerate(notes, 1)]
        for i, f in enumerate(body):
            if isinstance(f, HeadingKeep):
                f.height = self._keep(f.heading, _first_text(body[i + 2:]), sub=True)
        body += self.signature(section)
        above = [self.grid([self.p(section.kicker, "kicker", markup=False)])] if section.kicker else []
        return [CondPageBreak(self._keep(head, _first_text(body))), Bookmark(key, title, 0), *above, head, *body]

    def deck(self, section: Section) -> list[Flowable]:
        """An article's 副题 and byline under its section title (a 简报 or report sets an article as a section)."""
        lines = [(section.subhead, "subhead"), (section.byline, "byline")]
        return [self.grid([self.p(text, style, markup=False)]) for text, style in lines if text]

    def signature(self, section: Section) -> list[Flowable]:
        """A commentary's signature, right-aligned after its text."""
        if not section.signature:
            return []
        return [self.grid([self.p(section.signature, "signature", markup=False)])]

    @property
    def articles(self) -> bool:
        return not self.photos_numbered

    def article(self, section: Section) -> Article:
        """A section as a 专刊 article: its headline zone over its blocks, as wide as its columns."""
        k = article_columns(self.theme, section)
        self.full_width = article_width(self.theme, section) or self.full_width   # the page form has articles here
        self.count.heading, self.count.sub = 0, [0, 0]
        self._section = section.id
        key = f"sec-{section.id}"
        head = head_zone(self.theme, section, self.full_width, k, section.lead)
        body = [f for block in section.blocks for f in self.block(block, self.width)]
        if section.signature and section.kind != "commentary":
            body += self.signature(section)
        return Article(key, _title(section), head, body, k, lead=section.lead, new_page=section.new_page,
                       edition=section.edition, commentary=section.kind == "commentary",
                       marks=[Bookmark(key, _title(section), 0)])

    def block(self, block: Block, width: float) -> list[Flowable]:
        kind = next(k for k in type(block).model_fields)
        layout = BLOCK_TYPES.get(kind).layout
        made: list[Flowable]
        if layout is not None:           # a block type registered from outside lays itself out
            made = list(load_object(layout)(self, getattr(block, kind), width))
        elif kind == "keyfigures":
            figures = cast("KeyFiguresBlock", block)      # the model whose field is `keyfigures`
            made = self.b_keyfigures(figures.figures, width, figures.title)
        else:
            # b_<kind>(the block's value, width): each takes its own kind's value
            make: Callable[[Any, float], list[Flowable]] = getattr(self, f"b_{kind}")
            made = make(getattr(block, kind), width)
        return source.mark(made, self.places.get(id(block)))

    # -- text blocks -------------------------------------------------------------
    def b_paragraph(self, text: str, width: float) -> list[Flowable]:
        return [self._text(text)]

    def _text(self, text: str) -> Flowable:
        style = self._body_style(text)
        para = self.p(text, style)
        # a note is set smaller, at its own leading: kept whole on the body's line grid
        return self.grid([para]) if style == "note" else para

    def _body_style(self, text: str) -> str:
        """A note ("注：…", "说明：…") is set smaller than the body, as notes conventionally are."""
        if self.theme.get("styles", "note") and text.lstrip().startswith(NOTE_OPENINGS):
            return "note"
        return "body"

    def b_paragraphs(self, texts: str | list[str], width: float) -> list[Flowable]:
        if isinstance(texts, str):
            texts = texts.split("\n\n")
        return [self._text(join_lines(t)) for t in texts if t.strip()]

    def b_heading(self, spec: str | HeadingSpec, width: float) -> list[Flowable]:
        text, level = (spec, 2) if isinstance(spec, str) else (spec.text, spec.level)
        head = self.grid([self.p(heading_text(self.theme, self.count, text, level), f"h{level}")])
        return [HeadingKeep(self._keep(head, sub=True), head), head]

    def _keep(self, head: Flowable, after: Flowable | None = None, sub: bool = False) -> float:
        """Room a heading needs at a column's foot, else it opens the next column: itself and two lines of
        the text after it, or all of that text when it is three lines or fewer (a split paragraph keeps two
        lines on each side). A sub-heading (levels 2-4) keeps `blocks.heading_keep_lines` lines where the
        form sets it: set at the body size, a sub-heading over two lines reads as a stub paragraph."""
        _w, h = head.wrap(self.width, 10_000)
        least = int(self.theme.get("blocks", "heading_keep_lines", default=2)) if sub else 2
        lines = least + 1
        if isinstance(after, CJKParagraph):
            _w, ph = after.wrap(self.width, 10_000)
            n = round(ph / after.style.leading)
            lines = n if n <= least + 1 else least
        return h + head.getSpaceBefore() + head.getSpaceAfter() + self.theme.body_leading * lines

    def b_bullets(self, items: list[str], width: float) -> list[Flowable]:
        """Each item a paragraph opening with the mark, indented two characters like the body
        (lists in Chinese documents run on as paragraphs; no hanging indent)."""
        mark = self.theme.get("bullets", "mark", default="●")
        return [self.p(mark + item, "bullet") for item in items]

    def b_quote(self, quote: str | QuoteSpec, width: float) -> list[Flowable]:
        text, by = (quote, None) if isinstance(quote, str) else (quote.text, quote.by)
        inner: list[Flowable] = [self.p(text, "quote")]
        if by:
            inner.append(self.p("—— " + by, "quote_by"))
        bar = SideBar(inner, width, colors.HexColor(self.theme.color("accent")), vpad=False)
        return [GridBox([bar], self.pitch, top=True)]

    def b_pagebreak(self, _value: bool, width: float) -> list[Flowable]:
        return [PageBreak()]

    def b_columns(self, cols: list[list[Block]], width: float) -> list[Flowable]:
        gap = self.theme.body_size
        cw = side_by_side(self.theme, width, len(cols))
        nested, self.nested = self.nested, True
        try:
            if cw is None:
                # too narrow to set side by side at this body size: the columns follow one another
                return [f for col in cols for b in col for f in self.block(b, width)]
            cells = [_flat([f for b in col for f in self.block(b, cw)]) for col in cols]
        finally:
            self.nested = nested
        table = Table([cells], colWidths=[cw + (gap if i < len(cols) - 1 else 0) for i in range(len(cols))])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-2, -1), gap),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        return [table]

    # -- figures -------------------------------------------------------------------
    def b_chart(self, spec: ChartSpec, width: float) -> list[Flowable]:
        drawing = self.drawings[id(spec)]
        self.count.figure += 1
        title = spec.caption or spec.title or ""
        parts: list[Flowable] = [Spacer(1, self.theme.body_leading / 3), drawing,
                                 self.p(f"{self.label('图', self.count.figure)}　{title}".rstrip("　"), "caption")]
        if spec.source:
            parts.append(self.p(_("资料来源：") + spec.source, "source"))
        parts.append(Spacer(1, self.theme.body_leading / 2))
        key = self.key(f"{self.label('图', self.count.figure)}“{title}”")
        unit = Span(parts, self.full_width, pitch=self.pitch, key=key) if self.spans(width, spec.width) \
            else Float(parts, self.pitch, key)
        unit.number_id = f"图{self.count.figure}"
        return [unit]

    def b_image(self, spec: ImageSpec, width: float) -> list[Flowable]:
        path, info = self.images[id(spec)]
        span = self.spans(width, spec.width)
        if span:
            width = self.full_width
        w = width if spec.width in ("column", "full") else width * float(spec.width)
        parts: list[Flowable] = [Spacer(1, self.theme.body_leading / 3), image_flowable(path, info, w)]
        if not self.photos_numbered:
            # a newspaper photo: its caption and credit as one line under it ("果园港　陈力行 摄"), no number
            line = "　".join(t for t in (spec.caption, spec.credit) if t)
            if line:
                parts.append(self.p(line, "photo_caption", markup=False))
            parts.append(Spacer(1, self.theme.body_leading / 2))
            key = self.key(spec.caption or spec.credit or str(spec.file))
            return [Span(parts, self.full_width, pitch=self.pitch, key=key) if span else Float(parts, self.pitch, key)]
        if spec.credit:
            parts.append(self.p(spec.credit, "source", align="right"))
        if spec.caption:
            self.count.figure += 1
            parts.append(self.p(f"{self.label('图', self.count.figure)}　{spec.caption}", "caption"))
        parts.append(Spacer(1, self.theme.body_leading / 2))
        key = self.key(spec.caption or spec.credit or str(spec.file))
        unit = Span(parts, self.full_width, pitch=self.pitch, key=key) if span else Float(parts, self.pitch, key)
        if spec.caption:
            unit.number_id = f"图{self.count.figure}"
        return [unit]

    def b_keyfigures(self, figures: list[KeyFigure], width: float, title: str | None = None) -> list[Flowable]:
        place = self.theme.get("keyfigures", "span") if self.multi and not self.nested and not self.articles \
            else None
        if place:
            width = self.full_width
        per_row = keyfigure_columns(len(figures), self.theme)
        if self.articles:
            # in an article's column: as many figures a row as leave each value whole on one line
            per_row = max(1, min(per_row, int(width // self._figure_room(figures))))
        cw = width / per_row
        up, down = self.theme.color("positive"), self.theme.color("negative")
        cells: list[list[Flowable] | str] = []
        for f in figures:
            value = fmt.number(f.value) if isinstance(f.value, (int, float)) else str(f.value)
            cell: list[Flowable] = [self.p(value, "kf_value", markup=False)]
            if f.unit:
                cell.append(self.p(f.unit, "kf_label", markup=False))
            cell.append(self.p(f.label, "kf_label", markup=False))
            if f.change not in (None, ""):
                change = fmt.percent(f.change, sign=True) if isinstance(f.change, (int, float)) else str(f.change)
                color = down if change.lstrip().startswith(("-", "−", "下降")) else up
                cell.append(self.p(change, "kf_change", markup=False, color=color))
            spark = self.sparklines.get(id(f))
            if spark is not None:
                cell.append(spark)
            cells.append(cell)
        rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
        if len(rows[-1]) < per_row:
            rows[-1] += [""] * (per_row - len(rows[-1]))
        accent = colors.HexColor(self.theme.color("accent"))
        table = Table(rows, colWidths=[cw] * per_row)
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEABOVE", (0, 0), (-1, 0), 1.2, accent), ("LINEBELOW", (0, -1), (-1, -1), 1.2, accent),
            ("LINEAFTER", (0, 0), (-2, -1), 0.4, colors.HexColor("#bbbbbb")),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fbf5f2")),
        ]))
        parts = [Spacer(1, self.theme.body_leading / 3), table, Spacer(1, self.theme.body_leading / 2)]
        if title:
            parts.insert(1, self.p(title, "kf_title" if self.theme.get("styles", "kf_title") else "caption",
                                   markup=False))
        key = self.key(_("关键数据（{first}等）").format(first=title or figures[0].label))
        if place:
            front = place == "front" and not self._fronted
            self._fronted = self._fronted or front
            return [Span(parts, width, front=front, pitch=self.pitch, key=key)]
        return [Float(parts, self.pitch, key)]

    def _figure_room(self, figures: list[KeyFigure]) -> float:
        """The width a key-figure cell needs: its widest value on one line, or four label characters."""
        value, label = self.theme.style("kf_value"), self.theme.style("kf_label")
        widest = max(sum(char_widths(fmt.number(f.value) if isinstance(f.value, (int, float)) else str(f.value),
                                     value.bold_font, value.size)) for f in figures)
        return max(widest, 4 * label.size) + 8 + value.size

    def b_table(self, spec: TableSpec, width: float) -> list[Flowable]:
        ds = self.tables[id(spec)]
        self.count.table += 1
        label = self.label("表", self.count.table)
        head: list[Flowable] = [Spacer(1, self.theme.body_leading / 3)]
        cont: list[Flowable] = [Spacer(1, self.theme.body_leading / 3)]
        if spec.title:
            head.append(self.p(f"{label}　{spec.title}", "caption"))
        cont.append(self.p(_("续{label}　{title}").format(label=label, title=spec.title or "").rstrip("　"),
                           "caption"))
        if spec.units:
            head.append(self.p(spec.units, "source", align="right"))
            cont.append(self.p(spec.units, "source", align="right"))
        table = data_table(ds, spec, width, self.theme)
        foot: list[Flowable] = [self.p("；".join(table.head_notes), "source")] if table.head_notes else []
        if spec.source:
            foot.append(self.p(_("资料来源：") + spec.source, "source"))
        foot.append(Spacer(1, self.theme.body_leading / 2))
        # a short table stays whole with its title and floats like a figure; a long one splits between rows
        unit = TableUnit(head, table, foot, self.pitch, cont, self.key(f"{label}“{spec.title or ds.name}”"),
                         floating=len(ds) <= 15)
        unit.number_id = f"表{self.count.table}"
        return [unit]


def _title(section: Section) -> str:
    """A section's title: as written, or made from its headline when the content was checked."""
    assert section.title is not None, section.id
    return section.title


def _first_text(flowables: list[Flowable]) -> CJKParagraph | None:
    """The paragraph a heading introduces, if the heading is followed by one."""
    for f in flowables:
        if isinstance(f, (CondPageBreak, Bookmark)):
            continue
        return f if isinstance(f, CJKParagraph) else None
    return None


def _flat(flowables: list[Flowable]) -> list[Flowable]:
    """Inside a table cell there are no pages to break: drop the conditional page breaks."""
    out: list[Flowable] = []
    for f in flowables:
        if not isinstance(f, CondPageBreak):
            out.append(f)
    return out


def join_lines(text: str) -> str:
    """A paragraph written over several YAML lines: Chinese lines join without a space, Latin with one."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out = lines[0] if lines else ""
    for line in lines[1:]:
        latin = out[-1:].isascii() and out[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum()
        out += (" " if latin else "") + line
    return out


def _walk(blocks: list[Block]) -> Iterator[Block]:
    for block in blocks:
        yield block
        cols = getattr(block, "columns", None)
        if isinstance(cols, list):
            for col in cols:
                yield from _walk(col)


def story(resolved: Resolved, theme: Theme, width: float, assets: Assets, front: list[Flowable], back: list[Flowable],
          numbers: dict[str, int] | None = None) -> list[Flowable | Article]:
    """The document as flowables (or, in a made-up form, articles for pdf/makeup.py). `numbers` renumbers figures and tables in the order a layout pass
    placed them (see renumbering)."""
    full = theme.type_area(1).width
    multi = multi_column(theme)
    made_up = articles(theme)
    b = Builder(theme, width, assets.drawings, assets.sparklines, assets.tables, assets.images,
                full_width=full, multi=multi, numbers=dict(numbers or {}), photos_numbered=not made_up,
                places={id(block): resolved.content.positions.find(path) for path, block, _n in walk.blocks(resolved.doc)})
    b.number_figures(resolved.doc)
    out: list[Flowable | Article] = list(front)
    for section in resolved.doc.sections:
        out += [b.article(section)] if made_up else b.section(section)
    return out + list(back)


def renumbering(drawn: list[str]) -> dict[str, int]:
    """From the order figures and tables were drawn ("图1", "图3", "图2", …, content numbers) to the numbers
    that put them in reading order; empty when the order is already right."""
    out: dict[str, int] = {}
    for kind in ("图", "表"):
        seen = [d for d in dict.fromkeys(drawn) if d.startswith(kind)]
        for n, d in enumerate(seen, 1):
            if int(d[len(kind):]) != n:
                out[d] = n
    if not out:
        return {}
    for kind in ("图", "表"):      # the ones already in place keep their number explicitly
        for n, d in enumerate([d for d in dict.fromkeys(drawn) if d.startswith(kind)], 1):
            out[d] = n
    return out
