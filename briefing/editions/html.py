"""The HTML edition: one self-contained page for a portal or a phone.

Semantic HTML (header, main, article, h1–h3, figure/figcaption, table with th),
charts as inline SVG with their text kept as text, photos as data: URIs, the
fonts as subset WOFF2 in the page: nothing is fetched from anywhere.

Fonts: the bundled Briefing Serif/Sans SC, subset to the characters the page
uses (fontTools, WOFF2). The charts were laid out with these fonts' metrics,
so labels fit as drawn; a character the build accepted can never show as a
box on a phone without a CJK font of that coverage; and the page reads the
same on every device, as the PDF does. System fonts follow in the stacks only
as a fallback while the page loads.

Line breaking is the browser's: text-align: justify, line-break: strict
(no small kana or 々 at a line start, 禁则), text-spacing-trim and
text-autospace where the browser has them.
"""
from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from .. import fmt
from ..fonts import font_path
from ..layout.inline import parse_inline
from ..registry import FONT_FACES
from .cache import cached, file_identity, key
from .figures import chart_svg
from .model import Chart, Edition, Heading, Image, KeyFigures, Para, Table, plain, writer_for
from .output import write_atomic

SERIF = "'Briefing Serif SC', 'Noto Serif CJK SC', 'Source Han Serif SC', 'Songti SC', SimSun, serif"
SANS = "'Briefing Sans SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
CHART_WIDTH = 360.0     # pt: a phone's width, so chart text reads at body-text scale there; vector, so it scales

# (CSS family, weight) of each bundled face the web page embeds (briefing/registry.py FONT_FACES)
FACES = {f.name: f.css for _n, f in FONT_FACES.items() if f.css}

CSS = """
:root { --accent: %(accent)s; --muted: #555; --rule: #d9d9d9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%%; }
body { margin: 0; background: #fff; color: #111; font-family: %(serif)s; font-size: 18px; line-height: 1.85; }
.page { max-width: 44em; margin: 0 auto; padding: 1.2em 1.1em 3em; }
p, li, figcaption, td, th, dd, dt { text-align: justify; line-break: strict; word-break: normal;
  overflow-wrap: anywhere; text-spacing-trim: trim-start; text-autospace: normal; }
header.masthead { text-align: center; border-bottom: 2px solid var(--accent); padding-bottom: .4em; }
.masthead .title { font-family: %(serif)s; font-weight: 700; color: var(--accent); font-size: 2.1em;
  letter-spacing: .08em; line-height: 1.3; margin: .3em 0 .1em; text-align: center; }
.masthead .issue { margin: 0; text-align: center; }
.masthead .meta { display: flex; justify-content: space-between; gap: 1em; flex-wrap: wrap; margin-top: .5em; }
h1.subtitle { font-family: %(serif)s; font-weight: 700; font-size: 1.35em; text-align: center; margin: 1em 0 .6em;
  line-height: 1.5; }
h2 { font-family: %(sans)s; font-weight: 400; font-size: 1.15em; margin: 1.4em 0 .4em; line-height: 1.6; }
h3 { font-family: %(serif)s; font-weight: 700; font-size: 1em; margin: 1em 0 .2em; text-indent: 2em; }
p { margin: 0; text-indent: 2em; }
p.note { font-size: .85em; color: #333; margin-top: .3em; }
p.bullet { text-indent: 2em; }
blockquote { margin: .8em 0; padding: .2em 0 .2em 1em; border-left: 4px solid var(--accent); font-weight: 700; }
blockquote p { text-indent: 0; }
blockquote p.by { text-align: right; font-weight: 400; font-size: .9em; }
strong { font-weight: 700; }
em.dot { font-style: normal; text-emphasis: filled dot; -webkit-text-emphasis: filled dot;
  text-emphasis-position: under right; -webkit-text-emphasis-position: under; }
a { color: inherit; text-decoration: underline; text-decoration-color: var(--accent); }
section.keyfigures { margin: 1em 0; }
.keyfigures dl { display: grid; grid-template-columns: repeat(auto-fit, minmax(8.5em, 1fr)); margin: 0;
  border-top: 2px solid var(--accent); border-bottom: 2px solid var(--accent); background: #fbf5f2; }
.keyfigures .kf { padding: .5em .4em; text-align: center; border-right: 1px solid #e5d6d0; }
.keyfigures dt { font-family: %(sans)s; font-size: .8em; text-align: center; line-height: 1.4; }
.keyfigures dd { margin: 0; text-align: center; font-family: %(sans)s; }
.keyfigures .value { font-weight: 700; font-size: 1.6em; color: var(--accent); line-height: 1.2; }
.keyfigures .unit { font-size: .75em; margin-left: .15em; }
.keyfigures .change { font-size: .8em; display: block; text-align: center; }
.keyfigures .spark { display: block; width: 80%%; height: 1.4em; margin: .2em auto 0; color: var(--accent); }
.keyfigures .up { color: %(positive)s; } .keyfigures .down { color: %(negative)s; }
figure { margin: 1.2em 0; }
figure svg { display: block; width: 100%%; max-width: 32em; height: auto; margin: 0 auto; }
figure img { display: block; max-width: 100%%; height: auto; margin: 0 auto; }
figcaption { font-family: %(sans)s; font-size: .85em; text-align: center; margin-top: .3em; }
.source { font-size: .75em; color: var(--muted); text-indent: 0; line-height: 1.6; margin-top: .2em; }
.table-wrap { overflow-x: auto; margin: 1em 0; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%%; font-size: .85em; line-height: 1.5; }
caption { font-family: %(sans)s; font-size: 1em; padding-bottom: .3em; }
caption .units { display: block; text-align: right; font-size: .85em; color: var(--muted); }
th { font-family: %(sans)s; font-weight: 400; background: #f6e9e6; border-top: 2px solid var(--accent);
  border-bottom: 1px solid var(--accent); padding: .35em .5em; text-align: center; }
td { padding: .3em .5em; border-bottom: 1px solid var(--rule); }
tbody tr:last-child td { border-bottom: 2px solid var(--accent); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
footer.closing { margin-top: 2.5em; border-top: 1px solid #000; border-bottom: 1px solid #000; font-size: .9em; }
footer.closing p { text-indent: 0; padding: .25em .5em; border-bottom: 1px solid #999; }
footer.closing p:last-child { border-bottom: 0; }
footer.closing p.copies { text-align: right; }
@media (max-width: 480px) {
  body { font-size: 17px; }
  .page { padding: .8em .9em 2em; }
  .masthead .title { font-size: 1.7em; }
  .masthead .meta { flex-direction: column; align-items: center; gap: 0; }
}
"""


class _Page:
    """Writes the page and notes which characters each face shows, for the font subsets."""

    def __init__(self, theme, cache_dir=None):
        self.theme = theme
        self.cache_dir = cache_dir
        self.used: dict[str, set[str]] = {face: set() for face in FACES}
        self.charts = 0

    def text(self, text: str, face: str) -> str:
        self.used[face].update(text)
        return html.escape(text, quote=False)

    def inline(self, text: str, face: str = "serif") -> str:
        """Inline markup (**bold**, *着重号*, colour, ^[1], links) as HTML."""
        out = []
        for run in parse_inline(text):
            s = run.style
            piece = self.text(run.text, face + "-bold" if s.bold and not face.endswith("-bold") else face)
            if s.emph:
                piece = f'<em class="dot">{piece}</em>'
            if s.sup:
                piece = f"<sup>{piece}</sup>"
            if s.color:
                piece = f'<span style="color:{html.escape(s.color)}">{piece}</span>'
            if s.bold:
                piece = f"<strong>{piece}</strong>"
            if s.link:
                piece = f'<a href="{html.escape(s.link)}">{piece}</a>'
            out.append(piece)
        return "".join(out)

    # -- pieces ---------------------------------------------------------------------
    def heading(self, h: Heading) -> str:
        if h.level == 1:
            return f'<h2 id="{html.escape(h.anchor)}">{self.text(h.number + h.text, "sans")}</h2>'
        return f"<h3>{self.inline(h.number + h.text, 'serif-bold')}</h3>"

    def para(self, p: Para) -> str:
        if p.role == "quote":
            return f"<blockquote><p>{self.inline(p.text, 'serif-bold')}</p></blockquote>"
        if p.role == "quote_by":
            return f'<blockquote><p class="by">{self.inline(p.text)}</p></blockquote>'
        cls = f' class="{p.role}"' if p.role != "body" else ""
        return f"<p{cls}>{self.inline(p.text)}</p>"

    def keyfigures(self, k: KeyFigures) -> str:
        items = []
        for f in k.figures:
            change = ""
            if f.change:
                change = f'<span class="change {"down" if f.falling else "up"}">{self.text(f.change, "sans")}</span>'
            unit = f'<span class="unit">{self.text(f.unit, "sans")}</span>' if f.unit else ""
            items.append(f'<div class="kf"><dt>{self.text(f.label, "sans")}</dt>'
                         f'<dd><span class="value">{self.text(f.value, "sans-bold")}</span>{unit}{change}'
                         f'{self.sparkline(f.label, f.trend)}</dd></div>')
        return f'<section class="keyfigures" aria-label="主要指标"><dl>{"".join(items)}</dl></section>'

    def sparkline(self, label: str, values: list[float]) -> str:
        """A trend line under a key figure, its values in the label for screen readers."""
        if len(values) < 2:
            return ""

        lo, hi = min(values), max(values)
        span = (hi - lo) or 1.0
        step = 100 / (len(values) - 1)
        points = " ".join(f"{i * step:.1f},{24 - (v - lo) / span * 20:.1f}" for i, v in enumerate(values))
        words = html.escape(f"{label}趋势：" + "、".join(fmt.number(v) for v in values), quote=True)
        return (f'<svg class="spark" viewBox="0 0 100 28" preserveAspectRatio="none" role="img" '
                f'aria-label="{words}"><polyline points="{points}" fill="none" stroke="currentColor" '
                f'stroke-width="1.5" vector-effect="non-scaling-stroke"/></svg>')

    def chart(self, c: Chart) -> str:
        self.charts += 1
        svg = chart_svg(c, self.theme, CHART_WIDTH, f"c{self.charts}-", self.cache_dir)
        for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg):
            self.used["sans"].update(html.unescape(text))
        cap_id = f"chart{self.charts}"
        label = html.escape(c.description(), quote=True)
        svg = svg.replace("<svg", f'<svg role="img" aria-label="{label}" aria-describedby="{cap_id}"', 1)
        source = f'<p class="source">{self.inline("资料来源：" + c.source)}</p>' if c.source else ""
        return (f'<figure>{svg}<figcaption id="{cap_id}">{self.text(c.label, "sans")}</figcaption>'
                f"{source}</figure>")

    def table(self, t: Table) -> str:
        units = f'<span class="units">{self.text(t.units, "serif")}</span>' if t.units else ""
        head = "".join(f'<th scope="col">{self.text(h, "sans")}</th>' for h in t.head)
        body = "".join("<tr>" + "".join(
            f'<td class="num">{self.text(v, "serif")}</td>' if num else f"<td>{self.text(v, 'serif')}</td>"
            for v, num in row) + "</tr>" for row in t.rows)
        source = f'<p class="source">{self.inline("资料来源：" + t.source)}</p>' if t.source else ""
        return (f'<div class="table-wrap"><table><caption>{self.text(t.label, "sans")}{units}</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>{source}")

    def image(self, im: Image) -> str:
        data = base64.b64encode(im.path.read_bytes()).decode("ascii")
        mime = "image/png" if im.path.read_bytes()[:4] == b"\x89PNG" else "image/jpeg"
        alt = html.escape(im.caption or im.credit or "图片", quote=True)
        self.used["sans"].update(im.caption)
        parts = [f'<img src="data:{mime};base64,{data}" alt="{alt}" style="width:{im.scale * 100:.0f}%">']
        if im.credit:
            parts.append(f'<p class="source" style="text-align:right">{self.text(im.credit, "serif")}</p>')
        if im.caption:
            parts.append(f"<figcaption>{self.text(im.number + '　' + im.caption, 'sans')}</figcaption>")
        return f"<figure>{''.join(parts)}</figure>"

    def front(self, ed: Edition) -> tuple[str, str]:
        f = ed.front
        issue = f'<p class="issue">{self.text(f.issue, "serif")}</p>' if f.issue else ""
        head = (f'<header class="masthead" role="banner"><p class="title">{self.text(f.title, "serif-bold")}</p>'
                f'{issue}<div class="meta"><span>{self.text(f.issuer, "serif")}</span>'
                f'<time datetime="{f.iso_date}">{self.text(f.date, "serif")}</time></div></header>')
        sub = f'<h1 class="subtitle">{self.text(f.subtitle, "serif-bold")}</h1>' if f.subtitle else \
            f'<h1 class="subtitle">{self.text(f.title, "serif-bold")}</h1>'
        return head, sub

    def closing(self, ed: Edition) -> str:
        if not ed.closing:
            return ""
        lines = "".join(f'<p{" class=copies" if line.startswith("（") else ""}>{self.text(line, "serif")}</p>'
                        for line in ed.closing)
        return f'<footer class="closing" aria-label="发送范围">{lines}</footer>'


def render(ed: Edition, theme, cache_dir=None) -> str:
    """The page as one HTML string."""
    page = _Page(theme, cache_dir)
    head, sub = page.front(ed)
    body = [sub] + [writer_for(page, p)(p) for p in ed.pieces]
    closing = page.closing(ed)
    css = CSS % {"accent": theme.color("accent"), "positive": theme.color("positive"),
                 "negative": theme.color("negative"), "serif": SERIF, "sans": SANS}
    title = plain(ed.front.title + ("　" + ed.front.subtitle if ed.front.subtitle else ""))
    description = html.escape(plain(ed.front.subtitle or ed.front.title), quote=True)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n"
            f'<meta name="description" content="{description}">\n'
            f'<meta name="author" content="{html.escape(ed.front.issuer, quote=True)}">\n'
            f"<style>\n{font_faces(page.used, cache_dir)}{css}</style>\n</head>\n<body>\n<div class=\"page\">\n{head}\n"
            f'<main>\n<article>\n' + "\n".join(body) + f"\n</article>\n</main>\n{closing}\n</div>\n</body>\n</html>\n")


def font_faces(used: dict[str, set[str]], cache_dir=None) -> str:
    """@font-face rules with each bundled face subset to the characters it shows, as WOFF2 data: URIs."""
    rules = []
    for face, chars in used.items():
        chars = {c for c in chars if not c.isspace()}
        if not chars:
            continue
        family, weight = FACES[face]
        data = base64.b64encode(subset_woff2(face, "".join(sorted(chars)), cache_dir)).decode("ascii")
        rules.append(f"@font-face {{ font-family: '{family}'; font-weight: {weight}; font-style: normal; "
                     f"font-display: swap; src: url(data:font/woff2;base64,{data}) format('woff2'); }}\n")
    return "".join(rules)


def subset_woff2(face: str, text: str, cache_dir=None) -> bytes:
    k = key(kind="woff2", font=file_identity(font_path(face)), text=text)
    return cached(cache_dir, k, ".woff2", lambda: _subset(face, text))


def _subset(face: str, text: str) -> bytes:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]        # vertical forms, proportional digits… whatever the font has
    options.name_IDs = ["*"]               # keep the licence and the renamed family (OFL)
    options.notdef_outline = True
    font = TTFont(str(font_path(face)), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buf = io.BytesIO()
    font.flavor = "woff2"
    font.save(buf)
    return buf.getvalue()


def write(ed: Edition, theme, path: Path, cache_dir=None) -> Path:
    write_atomic(path, render(ed, theme, cache_dir).encode("utf-8"))
    return path
