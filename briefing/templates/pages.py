"""Page forms: what a template puts around the content.

front(): the masthead or headline that opens the document (flowables).
back(): the closing block (版记) of a 简报.
decorate(): page numbers and running heads, drawn on every page.
Each reads its values from the theme, so a user restyles in YAML.
"""
from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Spacer, Table, TableStyle

from .. import fmt
from ..i18n import _
from ..layout.paragraph import CJKParagraph
from ..layout.article import Band
from ..layout.headline import fit_lines
from ..layout.measure import char_widths
from ..layout.parts import AtFoot, Boxed, Contents, GridBox, Marker, Rule, Span
from ..layout.record import Record
from ..registry import MASTHEADS, load_object
from .placement import articles
from .theme import Frame, Theme
from .units import size


def front(theme, doc, width: float) -> list[Flowable]:
    """The opening of the document: the 版头 band of a page made up of articles, else the template's
    `masthead.kind` (registered in briefing/registry.py)."""
    if articles(theme):
        return [banner(theme, doc)]
    return load_object(MASTHEADS.get(theme.get("masthead", "kind", default="jianbao")))(theme, doc, width)


def _jianbao_masthead(theme, doc, width: float) -> list[Flowable]:
    """Red title, 第N期, the compiling unit left and the date right above a red rule; each line a whole
    number of body lines high, so the body below and the masthead's own lines keep the line grid."""
    lead = theme.body_leading
    tsize = size(theme.get("masthead", "title_size"))
    title = CJKParagraph(doc.title, theme.style("title", size=tsize, leading=tsize * 1.25, color="accent",
                                                space_before=0, space_after=0), markup=False)
    out: list[Flowable] = [GridBox([title], lead)]
    if doc.issue is not None:
        issue = fmt.issue_label(doc.issue, doc.supplement)
        out.append(GridBox([CJKParagraph(issue, theme.style("subtitle", align="center", leading=lead,
                                                            space_before=0, space_after=0), markup=False)],
                           lead, top=True))
    meta_style = theme.style("subtitle", size=size(theme.get("masthead", "meta_size")), align="left", leading=lead,
                             space_before=0, space_after=0)
    row = [[CJKParagraph(doc.issuer, meta_style, markup=False),
            CJKParagraph(fmt.date_cn(doc.date), theme.style("subtitle", size=meta_style.size, align="right",
                                                            leading=lead, space_before=0, space_after=0),
                         markup=False)]]
    meta = Table(row, colWidths=[width * 0.62, width * 0.38])
    meta.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                              ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    out += [GridBox([meta, Rule(width, theme.get("masthead", "rule_width", default=1.5), theme.color("accent"),
                                space=2)], lead, top=True)]
    if doc.subtitle:
        out.append(GridBox([CJKParagraph(doc.subtitle, theme.style("title"), markup=False)], lead))
    return out


def _zhuankan_headline(theme, doc, width: float) -> list[Flowable]:
    """Folio line (issuer · issue · date) between rules, headline and deck: one Span over all columns."""
    full = theme.type_area(1).width
    accent = theme.color("accent")
    folio = theme.style("folio")
    issue = fmt.issue_label(doc.issue, doc.supplement) if doc.issue is not None else ""
    label = theme.get("masthead", "label", default="专刊")
    row = [[CJKParagraph(doc.issuer, folio, markup=False),
            CJKParagraph(" ".join(t for t in (label, issue) if t), theme.style("folio", align="center"),
                         markup=False),
            CJKParagraph(fmt.date_cn(doc.date), theme.style("folio", align="right"), markup=False)]]
    meta = Table(row, colWidths=[full * 0.4, full * 0.2, full * 0.4])
    meta.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    out: list[Flowable] = [Rule(full, theme.get("masthead", "rule_width", default=2.0), accent, space=1), meta,
                           Rule(full, 0.5, accent, space=1), Spacer(1, 6),
                           CJKParagraph(doc.title, theme.style("title"), markup=False)]
    if doc.subtitle:
        out.append(CJKParagraph(doc.subtitle, theme.style("subtitle"), markup=False))
    out += [Spacer(1, 4), Rule(full, 0.5, theme.color("rule"), space=1)]
    return [Span(out, full)]


WEEKDAYS = "一二三四五六日"


def banner(theme, doc) -> Band:
    """The 版头 band of a made-up 专刊 (docs/articles.md): the paper's name and the 专版 label on the
    left, the date, 版次 and editors on the right, over a heavy and a thin rule. Its fields default to
    the document's: the paper to the issuer, the label to the title (with the subtitle)."""
    spec = doc.banner
    paper = (spec.paper if spec and spec.paper else doc.issuer)
    label = (spec.label if spec and spec.label else doc.title)
    if not (spec and spec.label) and doc.subtitle:
        label += "　" + doc.subtitle
    editors = "　".join(f"{role}：{name}" for role, name in (spec.editors if spec else {}).items())
    issue = fmt.issue_label(doc.issue, doc.supplement) if doc.issue is not None else ""
    first = spec.edition if spec and spec.edition else ""
    date = fmt.date_cn(doc.date) + "　" + _("星期{d}").format(d=WEEKDAYS[doc.date.weekday()])
    columns = theme.columns(theme.type_area(1))
    full = columns[-1].x + columns[-1].width - columns[0].x

    label_style = theme.style("banner_label")
    label_w = min(full * 0.4, sum(char_widths(label, label_style.font, label_style.size)) + 4 * label_style.size)
    meta_w = full * 0.3
    pad = theme.body_size * 0.35
    # a label too long for its box breaks between words, never inside one ("经济运/行情况")
    # (and a title with its subtitle breaks between the two first)
    parts = [label] if sum(char_widths(label, label_style.font, label_style.size)) <= label_w - 2 * pad \
        else label.split("　")
    _pt, label_lines = fit_lines(parts, label_w - 2 * pad, label_style.font, label_style.size, label_style.size)
    paper_w = full - label_w - meta_w - theme.body_size * 2
    paper_style = theme.style("banner_paper")
    pt, lines = fit_lines([paper], paper_w, paper_style.font, paper_style.size, min(paper_style.size, size("小二")))
    paper_style = theme.style("banner_paper", size=pt, leading=pt * 1.2)

    def make(edition: str) -> Flowable:
        meta = [CJKParagraph("　".join(t for t in (date, issue, edition) if t),
                             theme.style("banner_meta", align="right"), markup=False)]
        if editors:
            meta.append(CJKParagraph(editors, theme.style("banner_meta", align="right"), markup=False))
        name = [CJKParagraph(line, paper_style, markup=False) for line in lines]
        tag = Boxed(_lines_block(label_lines, label_style, label_w - 2 * pad), "box", theme.color("accent"),
                    pad=pad)
        row = Table([[name, tag, meta]], colWidths=[paper_w + theme.body_size, label_w, meta_w + theme.body_size])
        row.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (0, 0), theme.body_size),
                                 ("LEFTPADDING", (2, 0), (2, 0), theme.body_size),
                                 ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                 ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
        rule = float(theme.get("banner", "rule_width", default=2.5))
        return GridBox([row, Rule(full, rule, theme.color("accent"), space=1), Rule(full, 0.5, theme.color("accent"))],
                       theme.body_leading, width=full)

    return Band(make, first)


def _lines_block(lines: list[str], style, width: float) -> Flowable:
    """Lines set one under another, each as written (already broken where they may break)."""
    if len(lines) == 1:
        return CJKParagraph(lines[0], style, markup=False)
    table = Table([[CJKParagraph(line, style, markup=False)] for line in lines], colWidths=[width])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _report_title(theme, doc, width: float) -> list[Flowable]:
    """Cover (title, subtitle, issuer, date), then the table of contents; the body starts on a new page."""
    area = theme.type_area(1)
    out: list[Flowable] = [Marker("cover"), Spacer(1, area.height * theme.get("cover", "title_at", default=0.3)),
                           Rule(width, 2.0, theme.color("accent"), space=6),
                           CJKParagraph(doc.title, theme.style("cover_title"), markup=False)]
    if doc.subtitle:
        out.append(CJKParagraph(doc.subtitle, theme.style("cover_subtitle"), markup=False))
    if doc.issue is not None:
        out.append(CJKParagraph(fmt.issue_label(doc.issue, doc.supplement), theme.style("cover_meta"), markup=False))
    out += [Rule(width, 0.75, theme.color("accent"), space=6),
            Spacer(1, area.height * theme.get("cover", "issuer_at", default=0.3)),
            CJKParagraph(doc.issuer, theme.style("cover_meta"), markup=False),
            CJKParagraph(fmt.date_cn(doc.date), theme.style("cover_meta"), markup=False),
            PageBreak(), Marker("contents"),
            CJKParagraph(theme.get("contents", "title", default="目　　录"), theme.style("contents_title"),
                         markup=False),
            Contents({0: theme.style("contents_1"), 1: theme.style("contents_2")}),
            PageBreak(), Marker("body")]
    theme.running_title = doc.title
    return out


def back(theme, doc, width: float) -> list[Flowable]:
    dist = doc.distribution
    if dist is None or theme.get("closing") is None:
        return []
    style = theme.style("closing")
    lines = [(label, value) for label, value in
             ((_("报："), dist.report), (_("送："), dist.send), (_("发："), dist.issue_to)) if value]
    rows = [[CJKParagraph(label + value, style, markup=False)] for label, value in lines]
    if dist.copies:
        rows.append([CJKParagraph(_("（共印{n}份）").format(n=dist.copies), theme.style("closing", align="right"),
                                  markup=False)])
    if not rows:
        return []
    outer = theme.get("closing", "rule_outer", default=1.0)
    inner = theme.get("closing", "rule_inner", default=0.75)
    block = Table(rows, colWidths=[width])
    block.setStyle(TableStyle([
        ("LINEABOVE", (0, 0), (-1, 0), outer, colors.black), ("LINEBELOW", (0, -1), (-1, -1), outer, colors.black),
        ("LINEBELOW", (0, 0), (-1, -2), inner, colors.black),
        ("LEFTPADDING", (0, 0), (-1, -1), style.size / 2), ("RIGHTPADDING", (0, 0), (-1, -1), style.size / 2),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return [AtFoot(block)]


ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
         (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def page_label(record: Record, page: int) -> str:
    """The number printed on a page: arabic from the body, roman on the contents, none on the cover."""
    markers = record.markers
    body = markers.get("body", None if ("cover" in markers or "contents" in markers) else 1)
    if body is not None and page >= body:
        return str(page - body + 1)
    if "contents" in markers and page >= markers["contents"]:
        return roman(page - markers["contents"] + 1)
    return ""


def _page_labels(canvas: Canvas, record: Record, page: int) -> None:
    """PDF page labels, so a viewer shows 封面, i, ii, 1, 2 … as printed."""

    markers = record.markers
    if page == 1 and "cover" not in markers and "contents" not in markers and markers.get("body", 1) == 1:
        canvas.addPageLabel(0, "ARABIC", 1)
    if markers.get("cover") == page:
        canvas.addPageLabel(page - 1, prefix=_("封面"))
    if markers.get("contents") == page:
        canvas.addPageLabel(page - 1, "ROMAN_LOWER", 1)
    if markers.get("body") == page and page > 1:
        canvas.addPageLabel(page - 1, "ARABIC", 1)


def running_section(record: Record, page: int) -> str:
    """The section a page belongs to: the first that begins on it, else the one running on from before."""
    log = [(e.page, e.title) for e in record.outline if e.level == 0]
    starting = [t for p, t in log if p == page]
    if starting:
        return starting[0]
    before = [t for p, t in log if p < page]
    return before[-1] if before else ""


def decorate(canvas: Canvas, record: Record, theme: Theme, page: int) -> None:
    """Drawn when a page is complete: page labels, running head, page number.

    The page number is "— N —" on odd pages right and on even pages left, one
    character in, 7 mm below the type area (GB/T 9704 7.5), unless the theme
    says otherwise (`page_number.alternate: false` centres it).
    """
    _page_labels(canvas, record, page)
    markers = record.markers
    body = markers.get("body", None if ("cover" in markers or "contents" in markers) else 1)
    area = theme.type_area(page)
    head = theme.get("running_head")
    if head and body is not None and page >= body:
        _running_head(canvas, record, theme, page, area, head)
    spec = theme.get("page_number")
    label = page_label(record, page)
    if not spec or not label:
        return
    pt = size(spec.get("size", 14))
    text = spec.get("format", "— {n} —").format(n=label)
    y = area.y - theme.length("page_number", "below", default="7mm") - pt * 0.8
    canvas.saveState()
    canvas.setFont(theme.font(spec.get("font", "serif")), pt)
    canvas.setFillColor(colors.HexColor(theme.color(spec.get("color", "text"))))
    if not spec.get("alternate", True):
        canvas.drawCentredString(area.x + area.width / 2, y, text)
    elif page % 2:
        canvas.drawRightString(area.x + area.width - pt, y, text)
    else:
        canvas.drawString(area.x + pt, y, text)
    canvas.restoreState()


def _running_head(canvas: Canvas, record: Record, theme: Theme, page: int, area: Frame,
                  head: dict[str, Any]) -> None:
    """Document title left, the current section's title right, a hairline under both."""
    pt = size(head.get("size", 9))
    y = area.y + area.height + theme.length("running_head", "above", default="6mm")
    canvas.saveState()
    canvas.setFont(theme.font(head.get("font", "sans")), pt)
    canvas.setFillColor(colors.HexColor(theme.color(head.get("color", "muted"))))
    canvas.drawString(area.x, y + 3, theme.running_title)
    canvas.drawRightString(area.x + area.width, y + 3, running_section(record, page))
    canvas.setStrokeColor(colors.HexColor(theme.color(head.get("rule_color", "accent"))))
    canvas.setLineWidth(float(head.get("rule", 0.5)))
    canvas.line(area.x, y, area.x + area.width, y)
    canvas.restoreState()
