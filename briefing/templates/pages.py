"""Page forms: what a template puts around the content.

front(): the masthead or headline that opens the document (flowables).
back(): the closing block (版记) of a 简报.
decorate(): page numbers and running heads, drawn on every page.
Each reads its values from the theme, so a user restyles in YAML.
"""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from .. import fmt
from ..i18n import _
from ..layout.paragraph import CJKParagraph
from ..layout.parts import AtFoot, Rule
from .units import size


def front(theme, doc, width: float) -> list[Flowable]:
    kind = theme.get("masthead", "kind", default="jianbao")
    return {"jianbao": _jianbao_masthead, "zhuankan": _zhuankan_headline, "report": _report_title}[kind](
        theme, doc, width)


def _jianbao_masthead(theme, doc, width: float) -> list[Flowable]:
    accent = theme.color("accent")
    title = CJKParagraph(doc.title, theme.style("title", size=size(theme.get("masthead", "title_size")),
                                                leading=size(theme.get("masthead", "title_size")) * 1.25,
                                                color="accent", space_before=0, space_after=0), markup=False)
    issue = fmt.issue_label(doc.issue, doc.supplement) if doc.issue is not None else ""
    out: list[Flowable] = [title]
    meta_style = theme.style("subtitle", size=size(theme.get("masthead", "meta_size")), align="left")
    if issue:
        out += [Spacer(1, 6), CJKParagraph(issue, theme.style("subtitle", align="center"), markup=False)]
    row = [[CJKParagraph(doc.issuer, meta_style, markup=False),
            CJKParagraph(fmt.date_cn(doc.date), theme.style("subtitle", size=meta_style.size, align="right"),
                         markup=False)]]
    meta = Table(row, colWidths=[width * 0.62, width * 0.38])
    meta.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    out += [Spacer(1, 8), meta, Rule(width, theme.get("masthead", "rule_width", default=1.5), accent, space=2),
            Spacer(1, theme.body_leading / 2)]
    if doc.subtitle:
        out += [CJKParagraph(doc.subtitle, theme.style("title"), markup=False)]
    return out


def _zhuankan_headline(theme, doc, width: float) -> list[Flowable]:
    out: list[Flowable] = [CJKParagraph(doc.title, theme.style("title"), markup=False)]
    if doc.subtitle:
        out.append(CJKParagraph(doc.subtitle, theme.style("subtitle"), markup=False))
    return out + [Rule(width, 1.2, theme.color("accent"), space=3)]


def _report_title(theme, doc, width: float) -> list[Flowable]:
    return _zhuankan_headline(theme, doc, width)


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


def decorate(canvas, doc, theme, page: int) -> None:
    """Page number as "— N —", odd pages right and even pages left, one character in (GB/T 9704 7.5)."""
    spec = theme.get("page_number")
    if not spec:
        return
    area = theme.type_area(page)
    pt = size(spec.get("size", 14))
    text = spec.get("format", "— {n} —").format(n=page)
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
