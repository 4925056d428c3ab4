"""The DOCX edition: a review copy for Word or WPS, not a replica of the PDF's pages.

Leaders mark up the text, so what matters is that every sentence, number,
table and chart is there, in named styles a typist can reuse: 标题 (title),
Heading 1–4 for 一、（一）1.（1）, 正文 (body, 三号 in 简报), 题注 (captions),
资料来源 (source notes), 表格文字. Pages follow the 简报 geometry (A4, GB/T 9704
margins: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm), with "— N —" page numbers
on alternate sides. Tables are Word tables; charts PNG at 300 dpi.

The fonts named are the ones Word and WPS offices have (宋体, 黑体, 楷体, 仿宋):
a DOCX does not carry fonts, and the bundled ones would be missing there.
"""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..assets import chart_theme
from ..charts import sparkline
from ..layout.inline import parse_inline
from ..templates.units import size
from .figures import chart_png, drawing_png
from .model import Chart, Edition, Heading, Image, KeyFigures, Para, Table, writer_for
from .output import write_atomic

DPI = 300
# GB/T 9704-2012: A4, 天头 37 mm, 订口 28 mm, type area 156 × 225 mm
PAGE = {"width": Mm(210), "height": Mm(297), "top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TYPE_WIDTH_MM = 156
SONG, HEI, KAI, FANGSONG = "宋体", "黑体", "楷体", "仿宋"
# style name -> (East Asian font, size, bold, align, first-line indent in characters)
STYLES = {
    "Title": (SONG, "二号", True, "center", 0),
    "Heading 1": (HEI, "三号", False, "left", 2),        # 一、
    "Heading 2": (KAI, "三号", False, "left", 2),        # （一）
    "Heading 3": (FANGSONG, "三号", True, "left", 2),    # 1.
    "Heading 4": (FANGSONG, "三号", False, "left", 2),   # （1）
}
BODY = "正文（简报）"


def _font(style_or_run, east_asian: str, latin: str = "Times New Roman") -> None:
    """Set the Latin and the East Asian font (Word keeps them apart: w:eastAsia)."""
    font = style_or_run.font
    font.name = latin
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _paragraph_style(doc, name: str, base: str | None, font: str, pt: float, *, bold=False, align="justify",
                     indent_chars: float = 0, leading: float | None = None, color: str | None = None,
                     before: float = 0, after: float = 0):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    _font(style, font)
    style.font.size = Pt(pt)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor.from_string((color or "#000000").lstrip("#").upper())
    pf = style.paragraph_format
    pf.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                    "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    pf.first_line_indent = Pt(pt * indent_chars) if indent_chars else Pt(0)
    pf.left_indent = Pt(0)
    if leading:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(leading)
    else:       # never inherit an exact line height: it would clip a picture to one line
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):     # Word's Title has a blue rule under it
        ppr.remove(border)
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    return style


def _styles(doc, theme) -> None:
    body_pt = size(theme.get("styles", "body", "size", default="三号"))
    leading = float(theme.body_leading)
    accent = theme.color("accent")
    _paragraph_style(doc, "Normal", None, FANGSONG, body_pt, leading=leading)
    _paragraph_style(doc, BODY, "Normal", FANGSONG, body_pt, indent_chars=2, leading=leading)
    for name, (font, pt, bold, align, indent) in STYLES.items():
        st = _paragraph_style(doc, name, BODY, font, size(pt), bold=bold, align=align, indent_chars=indent,
                              leading=leading if name != "Title" else None, after=6 if name == "Title" else 0)
        st.paragraph_format.keep_with_next = True
    _paragraph_style(doc, "报头", "Normal", SONG, size(theme.get("masthead", "title_size", default="小初")),
                     bold=True, align="center", color=accent)
    _paragraph_style(doc, "期号", "Normal", FANGSONG, body_pt, align="center", leading=leading)
    _paragraph_style(doc, "发文机关与日期", "Normal", FANGSONG, body_pt, align="left", leading=leading)
    _paragraph_style(doc, "注释", BODY, FANGSONG, size("四号"), leading=24)
    _paragraph_style(doc, "引文", BODY, KAI, body_pt, bold=True, indent_chars=0, leading=leading)
    _paragraph_style(doc, "Caption", "Normal", HEI, size("小四"), align="center", leading=20, after=2)
    _paragraph_style(doc, "资料来源", "Normal", SONG, size("五号"), align="left", leading=16, color="#444444",
                     after=6)
    _paragraph_style(doc, "表格文字", "Normal", SONG, size("小四"), align="left", leading=18)
    _paragraph_style(doc, "表头", "表格文字", HEI, size("小四"), align="center", leading=18)
    _paragraph_style(doc, "图", "Normal", SONG, body_pt, align="center")
    _paragraph_style(doc, "主要指标数值", "Normal", HEI, size("二号"), bold=True, align="center", color=accent)
    _paragraph_style(doc, "主要指标名称", "表格文字", HEI, size("小四"), align="center", leading=18)
    _paragraph_style(doc, "版记", "Normal", FANGSONG, size("四号"), align="left", leading=26)
    _paragraph_style(doc, "页码", "Normal", SONG, size("四号"), align="right")


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = PAGE["top"], PAGE["bottom"]
    section.left_margin, section.right_margin = PAGE["left"], PAGE["right"]
    section.footer_distance = Mm(35 - 7 - 6)       # the number sits 7 mm below the type area (GB/T 9704 7.5)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(footer, align) -> None:
    """"— N —", odd pages right and even pages left, one character in, as in the PDF."""
    p = footer.paragraphs[0]
    p.style = "页码"
    p.alignment = align
    pf = p.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        pf.right_indent = Pt(14)
    else:
        pf.left_indent = Pt(14)
    p.add_run("— ")
    run = p.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text is not None and text.strip() == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    p.add_run(" —")


def _rule_below(paragraph, color: str, width_pt: float) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(int(width_pt * 8)))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), color.lstrip("#").upper())
    borders.append(bottom)
    ppr.append(borders)


def _runs(paragraph, text: str) -> None:
    """Inline markup as Word runs: bold, 着重号 (w:em dot), colour, superscript; a link keeps its text."""
    for r in parse_inline(text):
        run = paragraph.add_run(r.text)
        s = r.style
        if s.bold:
            run.bold = True
        if s.sup:
            run.font.superscript = True
        if s.color and s.color.startswith("#") and len(s.color) == 7:
            run.font.color.rgb = RGBColor.from_string(s.color[1:].upper())
        if s.emph:
            em = OxmlElement("w:em")
            em.set(qn("w:val"), "dot")
            run._r.get_or_add_rPr().append(em)
        if s.link:
            run.font.underline = True


class _Writer:
    def __init__(self, doc, theme, cache_dir=None):
        self.doc = doc
        self.theme = theme
        self.cache_dir = cache_dir
        # style ids by name, looked up once: python-docx's lookup by name walks every style each time
        self.ids = {s.name: s.style_id for s in doc.styles}

    def add(self, style: str, text: str | None = None, where=None):
        p = (where or self.doc).add_paragraph(text)
        self.restyle(p, style)
        return p

    def restyle(self, paragraph, style: str) -> None:
        paragraph._p.style = self.ids[style]

    def front(self, ed: Edition) -> None:
        f = ed.front
        self.add("报头", f.title)
        if f.issue:
            self.add("期号", f.issue)
        meta = self.add("发文机关与日期")
        meta.paragraph_format.tab_stops.add_tab_stop(Mm(TYPE_WIDTH_MM), alignment=2)   # right
        meta.add_run(f"{f.issuer}\t{f.date}")
        _rule_below(meta, self.theme.color("accent"), 1.5)
        if f.subtitle:
            self.add("Title", f.subtitle)

    def heading(self, h: Heading) -> None:
        p = self.add(f"Heading {h.level}")
        _runs(p, h.number + h.text)

    def para(self, p: Para) -> None:
        style = {"note": "注释", "quote": "引文", "quote_by": "引文"}.get(p.role, BODY)
        par = self.add(style)
        if p.role == "quote_by":
            par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _runs(par, p.text)

    def keyfigures(self, k: KeyFigures) -> None:
        rows = [k.figures[i:i + k.per_row] for i in range(0, len(k.figures), k.per_row)]
        self.add("资料来源")          # a little room above the panel
        table = self.doc.add_table(rows=len(rows), cols=k.per_row)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.style = self.doc.styles["Table Grid"]
        for r, row in enumerate(rows):
            for c, f in enumerate(row):
                cell = table.cell(r, c)
                value = cell.paragraphs[0]
                self.restyle(value, "主要指标数值")
                value.add_run(f.value)
                if f.unit:
                    unit = value.add_run(f.unit)
                    unit.bold = False
                    unit.font.size = Pt(size("小四"))
                self.add("主要指标名称", f.label, cell)
                if f.change:
                    change = self.add("主要指标名称", None, cell)
                    run = change.add_run(f.change)
                    run.font.color.rgb = RGBColor.from_string(
                        self.theme.color("negative" if f.falling else "positive").lstrip("#").upper())
                if len(f.trend) > 1:
                    self.sparkline(cell, f.trend, TYPE_WIDTH_MM / k.per_row - 6)
        self.add("资料来源")

    def sparkline(self, cell, values: list[float], width_mm: float) -> None:
        width = width_mm * 72 / 25.4
        png = drawing_png(sparkline(values, width, width * 0.28, chart_theme(self.theme)), DPI)
        # a style of single line spacing: an exact line height would clip the picture to one line
        self.add("图", None, cell).add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))

    def chart(self, c: Chart) -> None:
        width_pt = TYPE_WIDTH_MM * 72 / 25.4
        png = chart_png(c, self.theme, width_pt, DPI, self.cache_dir)
        p = self.add("图")
        p.paragraph_format.keep_with_next = True
        p.add_run().add_picture(io.BytesIO(png), width=Mm(TYPE_WIDTH_MM))
        self.add("Caption", c.label)
        if c.source:
            _runs(self.add("资料来源"), "资料来源：" + c.source)

    def table(self, t: Table) -> None:
        cap = self.add("Caption", t.label)
        cap.paragraph_format.keep_with_next = True
        if t.units:
            units = self.add("资料来源", t.units)
            units.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            units.paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=1 + len(t.rows), cols=len(t.head))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for c, name in enumerate(t.head):
            self.restyle(table.cell(0, c).paragraphs[0], "表头")
            table.cell(0, c).paragraphs[0].add_run(name)
        _repeat_header(table.rows[0])
        for r, row in enumerate(t.rows, start=1):
            for c, (text, number) in enumerate(row):
                p = table.cell(r, c).paragraphs[0]
                self.restyle(p, "表格文字")
                if number:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                elif text == "—":
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.add_run(text)
        _widths(table, t)
        if t.source:
            _runs(self.add("资料来源"), "资料来源：" + t.source)
        else:
            self.add("资料来源")

    def image(self, im: Image) -> None:
        p = self.add("图")
        p.add_run().add_picture(str(im.path), width=Mm(TYPE_WIDTH_MM * im.scale))
        if im.credit:
            credit = self.add("资料来源", im.credit)
            credit.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if im.caption:
            self.add("Caption", f"{im.number}　{im.caption}")

    def closing(self, ed: Edition) -> None:
        """版记: 报/送/发 lines between rules, in a one-column table like the PDF's."""
        if not ed.closing:
            return
        self.add(BODY)
        table = self.doc.add_table(rows=len(ed.closing), cols=1)
        for i, line in enumerate(ed.closing):
            p = table.cell(i, 0).paragraphs[0]
            self.restyle(p, "版记")
            if line.startswith("（"):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.add_run(line)
        _borders(table, top=8, bottom=8, inside=6)


def _widths(table, t: Table) -> None:
    """Columns shared by their longest text (Word would give every column the same width)."""
    def ems(text: str) -> float:
        return sum(0.55 if ch.isascii() else 1.0 for ch in text)

    need = [max([ems(h)] + [ems(row[c][0]) for row in t.rows]) + 1.5 for c, h in enumerate(t.head)]
    total = sum(need)
    table.autofit = False
    for c, n in enumerate(need):
        width = Mm(max(12.0, TYPE_WIDTH_MM * n / total))
        table.columns[c].width = width            # the grid (LibreOffice, WPS) …
        for cell in table.columns[c].cells:       # … and each cell (Word)
            cell.width = width


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _borders(table, top: int, bottom: int, inside: int) -> None:
    """Rules above, below and between rows only (eighths of a point), no verticals."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge, sz in (("top", top), ("bottom", bottom), ("insideH", inside)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(sz))
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tblpr.append(borders)


def render(ed: Edition, theme, cache_dir=None) -> bytes:
    doc = Document()
    _styles(doc, theme)
    _page(doc)
    props = doc.core_properties
    props.title = ed.front.title + (f" {ed.front.subtitle}" if ed.front.subtitle else "")
    props.author = ed.front.issuer
    props.language = "zh-CN"
    props.comments = "审阅稿：版式以 PDF 为准"
    w = _Writer(doc, theme, cache_dir)
    w.front(ed)
    for p in ed.pieces:
        writer_for(w, p)(p)
    w.closing(ed)
    _language(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _language(doc) -> None:
    """zh-CN as the East Asian language of the default run properties (spell checking, line breaking)."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def write(ed: Edition, theme, path: Path, cache_dir=None) -> Path:
    write_atomic(path, render(ed, theme, cache_dir))
    return path


__all__ = ["write", "render"]
