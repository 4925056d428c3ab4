"""The document as a reading sequence, for the editions that are not page layouts (HTML, DOCX).

Input: the resolved document (stage 2: text already bound to the data) and the
theme (for the numbering formats). Output: a flat list of pieces in reading
order, each numbered as the PDF numbers it — 一、（一）, 图N, 表N — with
{ref:ID} resolved and table cells formatted as the PDF formats them. Charts
stay specs with their data set: each edition draws them in its own medium.
Side-by-side columns are read one after the other (a phone or a Word page has
one column).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import fmt
from ..content.paths import resolve as resolve_path
from ..content.schema import ChartSpec
from ..content.walk import blocks as walk_blocks
from ..data import dataset_for
from ..data.dataset import Dataset
from ..errors import Location
from ..errors import ContentError
from ..i18n import _
from ..layout.blocks import NOTE_OPENINGS, Builder, Counters, join_lines
from ..layout.headings import heading_text
from ..layout.inline import parse_inline
from ..layout.table import _is_number, cell_text
from ..registry import BLOCK_TYPES, load_object
from ..templates.placement import keyfigure_columns


@dataclass
class Heading:
    level: int          # 1 = section (一、), 2–4 = heading block (（一） 1. （1）)
    number: str
    text: str
    anchor: str = ""


@dataclass
class Para:
    text: str           # inline markup (briefing.layout.inline), refs resolved
    role: str = "body"  # body, note, bullet, quote, quote_by


@dataclass
class Figure:
    value: str
    unit: str
    label: str
    change: str = ""
    falling: bool = False
    trend: list[float] = field(default_factory=list)     # the sparkline's values, oldest first


@dataclass
class KeyFigures:
    figures: list[Figure]
    per_row: int


@dataclass
class Chart:
    number: str         # 图3
    caption: str
    source: str
    spec: ChartSpec
    data: Dataset
    where: Location     # for messages

    @property
    def label(self) -> str:
        return f"{self.number}　{self.caption}".rstrip("　")

    def description(self, limit: int = 24) -> str:
        """The chart's data in words, for readers who cannot see it (alt text)."""
        spec, ds = self.spec, self.data
        ys = [spec.y] if isinstance(spec.y, str) else list(spec.y)
        if spec.y2:
            ys.append(spec.y2)
        xs = ds.column(spec.x) if spec.x else [str(i + 1) for i in range(len(ds))]
        parts = []
        for y in ys:
            unit = spec.y2_unit if (y == spec.y2 and spec.y2_unit) else (spec.unit or "")
            values = ds.column(y, numeric=True)
            pairs = [f"{x} {fmt.number(v)}{unit}" for x, v in list(zip(xs, values))[:limit] if v is not None]
            more = _("等") if len(values) > limit else ""
            parts.append(f"{y}：" + "，".join(pairs) + more if len(ys) > 1 else "，".join(pairs) + more)
        return f"{self.label}。" + "；".join(parts) + "。"


@dataclass
class Table:
    number: str
    title: str
    units: str
    source: str
    head: list[str]
    rows: list[list[tuple[str, bool]]]   # (text, is a number: right-aligned)

    @property
    def label(self) -> str:
        return f"{self.number}　{self.title}".rstrip("　") if self.title else self.number


@dataclass
class Image:
    path: Path
    caption: str
    credit: str
    number: str
    scale: float        # share of the text width


# each edition's writer has one method per kind of piece, named here
PIECE_METHODS = {Heading: "heading", Para: "para", KeyFigures: "keyfigures", Chart: "chart", Table: "table",
                 Image: "image"}


def writer_for(writer, piece):
    """The writer's method that sets `piece`: writer.heading for a Heading, writer.table for a Table…"""
    return getattr(writer, PIECE_METHODS[type(piece)])


@dataclass
class Front:
    title: str
    subtitle: str
    issue: str          # 第7期 / 增刊第1期 / ""
    issuer: str
    date: str           # 2021年7月20日
    iso_date: str


@dataclass
class Edition:
    front: Front
    pieces: list = field(default_factory=list)
    closing: list[str] = field(default_factory=list)   # 报：… 送：… 发：… （共印N份）

    def texts(self) -> list[str]:
        """Every printed text of the pieces, in order (what a reader must find in any edition)."""
        out = []
        for p in self.pieces:
            if isinstance(p, Heading):
                out.append(p.number + p.text)
            elif isinstance(p, Para):
                out.append(p.text)
            elif isinstance(p, KeyFigures):
                out += [t for f in p.figures for t in (f.value, f.unit, f.label, f.change) if t]
            elif isinstance(p, Chart):
                out += [p.label] + ([p.source] if p.source else [])
            elif isinstance(p, Table):
                out += [p.label, *p.head, *(t for row in p.rows for t, _n in row)]
            elif isinstance(p, Image):
                out += [t for t in (p.caption, p.credit) if t]
        return out


def edition(resolved, theme) -> Edition:
    """The resolved document as an Edition (numbering from the theme, as in the PDF)."""
    doc = resolved.doc
    numbering = Builder(theme, 0.0)
    numbering.number_figures(doc)
    front = Front(doc.title, doc.subtitle or "",
                  fmt.issue_label(doc.issue, doc.supplement) if doc.issue is not None else "",
                  doc.issuer, fmt.date_cn(doc.date), doc.date.isoformat())
    out = Edition(front, closing=_closing(doc))
    h1 = theme.get("styles", "h1", "number", default="{cn}、")
    h2 = theme.get("styles", "h2", "number", default="（{cn}）")
    counts: dict[str, Any] = {"section": 0, "figure": 0, "table": 0}
    paths = {id(block): path for path, block, _n in walk_blocks(doc)}
    for section in doc.sections:
        number = ""
        if section.numbered:
            counts["section"] += 1
            number = h1.format(cn=fmt.cn_numeral(counts["section"]), n=counts["section"])
        # an article's 引题, 副题, byline and signature print as short paragraphs around its title
        out.pieces += [Para(section.kicker, "note")] if section.kicker else []
        out.pieces.append(Heading(1, number, section.title, f"sec-{section.id}"))
        out.pieces += [Para(text, "note") for text in (section.subhead, section.byline) if text]
        counts["headings"] = Counters()
        for block in _flat(section.blocks):
            out.pieces += _pieces(block, resolved, numbering, counts, h2, theme, paths)
        out.pieces += [Para(section.signature, "quote_by")] if section.signature else []
    return out


def _flat(blocks):
    """Blocks in reading order, the blocks of side-by-side columns one column after the other."""
    for block in blocks:
        cols = getattr(block, "columns", None)
        if isinstance(cols, list) and type(block).__name__ == "ColumnsBlock":
            for col in cols:
                yield from _flat(col)
        else:
            yield block


def _pieces(block, resolved, numbering: Builder, counts: dict, h2: str, theme, paths: dict) -> list:
    kind = next(iter(type(block).model_fields))
    value = getattr(block, kind)
    refs = numbering.resolve_refs
    positions = resolved.content.positions
    if kind == "paragraph":
        return [Para(refs(value), _role(value))]
    if kind == "paragraphs":
        texts = value.split("\n\n") if isinstance(value, str) else value
        return [Para(refs(join_lines(t)), _role(t)) for t in texts if t.strip()]
    if kind == "heading":
        text, level = (value, 2) if isinstance(value, str) else (value.text, value.level)
        text = refs(text)
        full = heading_text(theme, counts["headings"], text, level)     # numbered as the PDF numbers it
        return [Heading(level, full[: len(full) - len(text)], text)]
    if kind == "bullets":
        mark = theme.get("bullets", "mark", default="●")
        return [Para(mark + refs(item), "bullet") for item in value]
    if kind == "quote":
        text, by = (value, None) if isinstance(value, str) else (value.text, value.by)
        return [Para(refs(text), "quote")] + ([Para("—— " + refs(by), "quote_by")] if by else [])
    if kind == "keyfigures":
        figures = []
        for k, f in enumerate(value):
            figure = _figure(f)
            if f.trend:
                ds = dataset_for(f.trend.data, resolved, positions.find(paths[id(block)] + ("keyfigures", k, "trend")))
                figure.trend = [v for v in ds.column(f.trend.column, numeric=True) if v is not None]
            figures.append(figure)
        title = [Para(block.title, "note")] if block.title else []
        return title + [KeyFigures(figures, keyfigure_columns(len(value), theme))]
    if kind == "chart":
        counts["figure"] += 1
        where = positions.find(paths[id(block)] + ("chart", "data"))
        return [Chart(f"图{counts['figure']}", value.caption or value.title or "", value.source or "", value,
                      dataset_for(value.data, resolved, where), where)]
    if kind == "table":
        counts["table"] += 1
        ds = dataset_for(value.data, resolved, positions.find(paths[id(block)] + ("table", "data")))
        head, rows = table_cells(ds, value)
        return [Table(f"表{counts['table']}", value.title or "", value.units or "", value.source or "", head, rows)]
    if kind == "image":
        where = positions.find(paths[id(block)] + ("image", "file"))
        path = resolve_path(resolved.content.base, value.file, where, allow_outside=resolved.content.allow_outside)
        number = ""
        if value.caption:
            counts["figure"] += 1
            number = f"图{counts['figure']}"
        scale = 1.0 if value.width in ("column", "full") else float(value.width)
        return [Image(path, value.caption or "", value.credit or "", number, scale)]
    if kind == "pagebreak":
        return []          # pages are the PDF's business
    edition = BLOCK_TYPES.get(kind).edition
    if edition is not None:            # a block type registered from outside says what it reads as
        return list(load_object(edition)(value))
    # a block type this edition does not know yet must not vanish from it
    raise ContentError(_("内容块“{kind}”还不能写入网页、Word 稿或长图").format(kind=kind),
                       positions.find(paths[id(block)]), _("只生成 PDF（--format pdf），或改用其他内容块"))


def _role(text: str) -> str:
    return "note" if text.lstrip().startswith(NOTE_OPENINGS) else "body"


def _figure(f) -> Figure:
    value = fmt.number(f.value) if isinstance(f.value, (int, float)) else str(f.value)
    change = ""
    if f.change not in (None, ""):
        change = fmt.percent(f.change, sign=True) if isinstance(f.change, (int, float)) else str(f.change)
    return Figure(value, f.unit, f.label, change, change.lstrip().startswith(("-", "−", "下降")))


def table_cells(ds, spec) -> tuple[list[str], list[list[tuple[str, bool]]]]:
    """Header and rows as the PDF prints them: numbers as the data writes them, — for a missing value."""
    names = spec.columns or ds.names
    for n in names:
        ds.column(n, context=_("（表格“{t}”）").format(t=spec.title or ds.name))
    cols = [ds.columns[n] for n in names]
    numeric = [all(_is_number(v) or v is None for v in c) and any(_is_number(v) for v in c) for c in cols]
    rows = []
    for r in range(len(ds)):
        row = []
        for c, values in enumerate(cols):
            v = values[r]
            if v is None:
                row.append(("—", False))
            elif numeric[c]:
                row.append((cell_text(v, True, spec.decimals), True))
            else:
                row.append((str(v), False))
        rows.append(row)
    return [str(n) for n in names], rows


def _closing(doc) -> list[str]:
    dist = doc.distribution
    if dist is None:
        return []
    lines = [label + value for label, value in
             ((_("报："), dist.report), (_("送："), dist.send), (_("发："), dist.issue_to)) if value]
    if dist.copies:
        lines.append(_("（共印{n}份）").format(n=dist.copies))
    return lines


def plain(text: str) -> str:
    """Inline markup as the text a reader sees (no **, no link targets)."""
    return "".join(r.text for r in parse_inline(text))
