"""Content blocks -> platypus flowables, every piece of text through CJKParagraph.

WeasyPrint keeps one module per kind of box; here one function per kind of
block, dispatched by name. Numbering (一、 （一） 图N 表N) is decided here,
in reading order, so captions and cross references agree.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from .. import fmt
from ..i18n import _
from .paragraph import CJKParagraph
from .parts import Bookmark, Float, SideBar


@dataclass
class Counters:
    section: int = 0
    heading: int = 0
    figure: int = 0
    table: int = 0


@dataclass
class Builder:
    """Builds the story of one document. `drawings` maps id(chart spec) -> Drawing (stage 3's output)."""

    theme: object
    width: float                                  # column width in points
    drawings: dict = field(default_factory=dict)
    sparklines: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)    # id(table spec) -> Dataset
    images: dict = field(default_factory=dict)    # id(image spec) -> (path, info)
    count: Counters = field(default_factory=Counters)

    def p(self, text: str, style: str, markup: bool = True, **changes) -> CJKParagraph:
        return CJKParagraph(str(text), self.theme.style(style, **changes), markup=markup)

    # -- sections ---------------------------------------------------------------
    def section(self, section) -> list[Flowable]:
        out: list[Flowable] = []
        title = section.title
        if section.numbered:
            self.count.section += 1
            number = self.theme.get("styles", "h1", "number", default="{cn}、")
            title = number.format(cn=fmt.cn_numeral(self.count.section), n=self.count.section) + title
        self.count.heading = 0
        key = f"sec-{section.id}"
        head = self.p(title, "h1", markup=False)
        out += [CondPageBreak(self.theme.body_leading * 4), Bookmark(key, title, 0), head]
        for block in section.blocks:
            out += self.block(block, self.width)
        return out

    def block(self, block, width: float) -> list[Flowable]:
        kind = next(k for k in type(block).model_fields)
        return getattr(self, f"b_{kind}")(getattr(block, kind), width)

    # -- text blocks -------------------------------------------------------------
    def b_paragraph(self, text: str, width: float) -> list[Flowable]:
        return [self.p(text, "body")]

    def b_paragraphs(self, texts, width: float) -> list[Flowable]:
        if isinstance(texts, str):
            texts = texts.split("\n\n")
        return [self.p(join_lines(t), "body") for t in texts if t.strip()]

    def b_heading(self, text: str, width: float) -> list[Flowable]:
        self.count.heading += 1
        number = self.theme.get("styles", "h2", "number", default="（{cn}）")
        return [CondPageBreak(self.theme.body_leading * 3),
                self.p(number.format(cn=fmt.cn_numeral(self.count.heading), n=self.count.heading) + text, "h2")]

    def b_bullets(self, items: list[str], width: float) -> list[Flowable]:
        style = self.theme.style("bullet")
        mark_w = style.size * 1.5
        rows = [[CJKParagraph("•", self.theme.style("bullet", align="left"), markup=False),
                 CJKParagraph(item, style)] for item in items]
        table = Table(rows, colWidths=[mark_w, width - mark_w])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                                   ("LEFTPADDING", (0, 0), (0, -1), style.size * 0.5)]))
        return [table]

    def b_quote(self, quote, width: float) -> list[Flowable]:
        text, by = (quote, None) if isinstance(quote, str) else (quote.text, quote.by)
        inner = [self.p(text, "quote")]
        if by:
            inner.append(self.p("—— " + by, "quote_by"))
        return [Spacer(1, self.theme.body_leading / 2),
                SideBar(inner, width, colors.HexColor(self.theme.color("accent"))),
                Spacer(1, self.theme.body_leading / 2)]

    def b_pagebreak(self, _value, width: float) -> list[Flowable]:
        return [PageBreak()]

    def b_columns(self, cols, width: float) -> list[Flowable]:
        gap = self.theme.body_size
        cw = (width - gap * (len(cols) - 1)) / len(cols)
        cells = [_flat(sum((self.block(b, cw) for b in col), [])) for col in cols]
        table = Table([cells], colWidths=[cw + (gap if i < len(cols) - 1 else 0) for i in range(len(cols))])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-2, -1), gap),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        return [table]

    # -- figures -------------------------------------------------------------------
    def b_chart(self, spec, width: float) -> list[Flowable]:
        drawing = self.drawings[id(spec)]
        self.count.figure += 1
        title = spec.caption or spec.title or ""
        parts: list[Flowable] = [Spacer(1, self.theme.body_leading / 3), drawing,
                                 self.p(f"图{self.count.figure}　{title}".rstrip("　"), "caption")]
        if spec.source:
            parts.append(self.p(_("资料来源：") + spec.source, "source"))
        parts.append(Spacer(1, self.theme.body_leading / 2))
        return [Float(parts)]

    def b_image(self, spec, width: float) -> list[Flowable]:
        from .image import image_flowable

        path, info = self.images[id(spec)]
        w = width if spec.width in ("column", "full") else width * float(spec.width)
        parts: list[Flowable] = [image_flowable(path, info, w)]
        if spec.credit:
            parts.append(self.p(spec.credit, "source", align="right"))
        if spec.caption:
            self.count.figure += 1
            parts.append(self.p(f"图{self.count.figure}　{spec.caption}", "caption"))
        return [Float(parts)]

    def b_keyfigures(self, figures, width: float) -> list[Flowable]:
        rows_needed = -(-len(figures) // 4)
        per_row = -(-len(figures) // rows_needed)     # 6 figures: 2 rows of 3, not 4 + 2
        cw = width / per_row
        up, down = self.theme.color("positive"), self.theme.color("negative")
        cells = []
        for f in figures:
            value = fmt.number(f.value) if isinstance(f.value, (int, float)) else str(f.value)
            cell = [self.p(value, "kf_value", markup=False)]
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
        return [Float([Spacer(1, self.theme.body_leading / 3), table, Spacer(1, self.theme.body_leading / 2)])]

    def b_table(self, spec, width: float) -> list[Flowable]:
        from .table import data_table

        ds = self.tables[id(spec)]
        self.count.table += 1
        parts: list[Flowable] = []
        if spec.title:
            parts.append(self.p(f"表{self.count.table}　{spec.title}", "caption"))
        if spec.units:
            parts.append(self.p(spec.units, "source", align="right"))
        table = data_table(ds, spec, width, self.theme)
        out: list[Flowable] = [Spacer(1, self.theme.body_leading / 3)]
        if len(ds) <= 15:      # a short table stays with its title; a long one splits, header repeated
            out.append(Float(parts + [table]))
        else:
            out += [CondPageBreak(self.theme.body_leading * 6), *parts, table]
        if spec.source:
            out.append(self.p(_("资料来源：") + spec.source, "source"))
        out.append(Spacer(1, self.theme.body_leading / 2))
        return out


def _flat(flowables: list[Flowable]) -> list[Flowable]:
    """Inside a table cell there are no pages to keep things together on: unwrap the keep-togethers."""
    out: list[Flowable] = []
    for f in flowables:
        if isinstance(f, KeepTogether):
            out += _flat(f._content)
        elif not isinstance(f, CondPageBreak):
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


def story(resolved, theme, width: float, assets, front: list[Flowable], back: list[Flowable]) -> list[Flowable]:
    b = Builder(theme, width, assets.drawings, assets.sparklines, assets.tables, assets.images)
    out = list(front)
    for section in resolved.doc.sections:
        out += b.section(section)
    return out + list(back)
