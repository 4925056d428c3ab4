"""The archive of scheduled issues: index.html, index.json and an Atom feed beside the PDFs.

Every issue a scheduled build wrote is in the history database with its
number, period and date; this module reads them back, looks at each PDF that
is still there (title, page count, a cover thumbnail rendered with pypdfium2)
and writes three files into the archive folder:

  index.html  a static page in Chinese, self-contained (inline CSS, no script,
              no external resource), readable on a phone: one card per issue
  index.json  the same list for programs
  feed.atom   an Atom feed (feedgen), newest first

plus covers/<stem>.png. Links are relative, so the folder can be copied or
served anywhere. Other formats of an issue (the same stem with another
extension: .html, .docx, .png …) are linked when they exist.
"""
from __future__ import annotations

import datetime as dt
import glob
import json
import os
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

import pypdfium2 as pdfium
from feedgen.feed import FeedGenerator
from jinja2 import Environment

from ..fmt import date_cn, issue_label
from ..schedule.history import FILE_NAME, History, Run

INDEX_HTML, INDEX_JSON, FEED = "index.html", "index.json", "feed.atom"
COVERS = "covers"
COVER_WIDTH = 240            # px: sharp at 120 CSS px on a 2× phone screen
FORMAT_NAMES = {".html": "网页", ".htm": "网页", ".docx": "Word", ".doc": "Word", ".png": "长图", ".jpg": "长图",
                ".jpeg": "长图", ".webp": "长图", ".epub": "EPUB", ".txt": "文本", ".md": "Markdown"}


@dataclass
class Issue:
    file: str                 # relative to the archive folder
    label: str                # 第8期, 增刊第1期
    issue: int | None
    series: str
    date: str                 # the issue date, ISO
    period: str               # its label, 2026年10月
    period_start: str
    period_end: str
    title: str
    pages: int
    size: int                 # bytes
    built: str                # when it was built (ISO with offset)
    cover: str | None = None  # relative path of the thumbnail
    formats: list[dict] = field(default_factory=list)   # [{"name": "Word", "file": "x.docx"}]


@dataclass
class Archive:
    folder: Path
    title: str
    issues: list[Issue]
    index: Path
    json: Path
    feed: Path


def collect(folder: str | Path, history: str | Path | None = None, briefing: str | None = None) -> list[Issue]:
    """The archived issues, newest first: the latest successful build of each period whose PDF is still there."""
    folder = Path(folder).resolve()
    db = History(Path(history) if history else folder / FILE_NAME)
    latest: dict[tuple, Run] = {}
    for run in db.runs(briefing, status="ok"):
        if run.output:
            latest[(run.briefing, run.series, run.period_key)] = run
    issues = []
    for run in latest.values():
        pdf = Path(run.output or "")
        if not pdf.is_file():
            continue            # deleted by retention (keep: N) or by hand: not listed, so every link works
        title, pages = pdf_facts(pdf)
        issues.append(Issue(
            file=_rel(pdf, folder), label=issue_label(run.issue, run.series == "supplement") if run.issue else "",
            issue=run.issue, series=run.series, date=run.issue_date or "", period=run.period_label or "",
            period_start=run.period_start or "", period_end=run.period_end or "", title=title, pages=pages,
            size=pdf.stat().st_size, built=run.started, formats=other_formats(pdf, folder)))
    issues.sort(key=lambda i: (i.date, i.series == "regular", i.issue or 0), reverse=True)
    return issues


def write(folder: str | Path, history: str | Path | None = None, briefing: str | None = None,
          title: str | None = None, base_url: str | None = None) -> Archive:
    """Write index.html, index.json, feed.atom and the cover thumbnails into `folder`."""
    folder = Path(folder).resolve()
    issues = collect(folder, history, briefing)
    for one in issues:
        one.cover = cover(folder / one.file, folder)
    title = title or _title(issues)
    now = dt.datetime.now(dt.timezone.utc).astimezone()
    index = _write_text(folder / INDEX_HTML, render_html(title, issues, now))
    data = {"title": title, "updated": now.isoformat(timespec="seconds"), "issues": [asdict(i) for i in issues]}
    js = _write_text(folder / INDEX_JSON, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    feed = _write_bytes(folder / FEED, render_feed(title, issues, now, base_url, folder))
    return Archive(folder, title, issues, index, js, feed)


# ---- one PDF -------------------------------------------------------------------------

def pdf_facts(pdf: Path) -> tuple[str, int]:
    """The PDF's title (its metadata, else its file name) and page count."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        title = (doc.get_metadata_dict().get("Title") or "").strip()
        return title or pdf.stem, len(doc)
    finally:
        doc.close()


def cover(pdf: Path, folder: Path) -> str | None:
    """covers/<stem>.png, page 1 at COVER_WIDTH pixels wide; redrawn only when the PDF is newer."""
    out = folder / COVERS / (pdf.stem + ".png")
    if out.exists() and out.stat().st_mtime >= pdf.stat().st_mtime:
        return _rel(out, folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[0]
        image = page.render(scale=COVER_WIDTH / page.get_width()).to_pil()
        tmp = out.with_name(out.name + ".part")
        image.convert("RGB").save(tmp, "PNG", optimize=True)
        os.replace(tmp, out)
    except Exception:  # noqa: BLE001 - a cover is a convenience; the entry is listed without it
        return None
    finally:
        doc.close()
    return _rel(out, folder)


def other_formats(pdf: Path, folder: Path) -> list[dict]:
    """The other editions beside the PDF: the same stem with another extension (briefing.html,
    briefing.docx), or numbered parts of one (briefing-1.png, briefing-2.png: a long image in pieces)."""
    found = []
    for p in sorted(pdf.parent.glob(_glob_escape(pdf.stem) + "*.*"), key=_part_order):
        if not p.is_file() or p.suffix.lower() == ".pdf" or p.name.endswith(".part"):
            continue
        tail = p.stem[len(pdf.stem):]
        if tail and not (tail[:1] == "-" and tail[1:].isdigit()):
            continue           # another issue whose name merely starts the same
        found.append({"name": FORMAT_NAMES.get(p.suffix.lower(), p.suffix.lstrip(".").upper()),
                      "part": tail[1:], "file": _rel(p, folder)})
    suffixes = [f["file"].rsplit(".", 1)[-1] for f in found]
    for f, suffix in zip(found, suffixes):
        part = f.pop("part")
        if part and suffixes.count(suffix) > 1:      # 长图 1, 长图 2 …; a single piece is just 长图
            f["name"] += f" {part}"
    return found


def _part_order(p: Path):
    tail = p.stem.rsplit("-", 1)[-1]
    return (p.suffix, int(tail) if tail.isdigit() else 0, p.name)


# ---- the page, the feed --------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<link rel="alternate" type="application/atom+xml" title="{{ title }}" href="feed.atom">
<style>
  :root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #e3e3e3; --accent: #b3121b; }
  * { box-sizing: border-box; }
  body { margin: 0; background: #f6f6f4; color: var(--ink);
         font: 16px/1.6 "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; }
  header { background: #fff; border-bottom: 3px solid var(--accent); padding: 20px 16px 14px; }
  header h1 { margin: 0; font-size: 1.5rem; letter-spacing: .05em; color: var(--accent); }
  header p { margin: 4px 0 0; color: var(--muted); font-size: .9rem; }
  main { max-width: 1080px; margin: 0 auto; padding: 16px; }
  ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 16px;
       grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); }
  li { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px;
       display: flex; gap: 14px; align-items: flex-start; }
  li img { width: 120px; height: auto; border: 1px solid var(--line); flex: none; background: #fff; }
  li .nocover { width: 120px; height: 170px; border: 1px dashed var(--line); flex: none; }
  .no { font-size: 1.25rem; font-weight: bold; color: var(--accent); margin: 0; }
  .period { margin: 0; font-weight: bold; }
  .meta { margin: 4px 0; color: var(--muted); font-size: .875rem; }
  .meta span, header a { white-space: nowrap; }
  .title { margin: 4px 0; }
  .links a { display: inline-block; margin: 6px 8px 0 0; padding: 4px 12px; border-radius: 4px;
             background: var(--accent); color: #fff; text-decoration: none; font-size: .9rem; }
  .links a.alt { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
  .empty { color: var(--muted); }
  footer { text-align: center; color: var(--muted); font-size: .8rem; padding: 24px 16px; }
</style>
</head>
<body>
<header>
  <h1>{{ title }}</h1>
  <p>共 {{ issues|length }} 期 · 更新于 {{ updated }} · <a href="feed.atom">订阅（Atom）</a> · <a href="index.json">数据（JSON）</a></p>
</header>
<main>
{% if issues %}
<ol>
{% for i in issues %}
  <li id="issue-{{ i.series }}-{{ i.issue }}">
    {% if i.cover %}<a href="{{ i.file|url }}"><img src="{{ i.cover|url }}" alt="{{ i.label }}封面" loading="lazy"></a>
    {% else %}<span class="nocover"></span>{% endif %}
    <div>
      <p class="no">{{ i.label }}</p>
      <p class="period">{{ i.period }}</p>
      <p class="title">{{ i.title }}</p>
      <p class="meta"><span>{{ i.date_cn }}</span> · <span>{{ i.pages }} 页</span> · <span>{{ i.size_text }}</span></p>
      <p class="links"><a href="{{ i.file|url }}">PDF</a>{% for f in i.formats %}<a class="alt" href="{{ f.file|url }}">{{ f.name }}</a>{% endfor %}</p>
    </div>
  </li>
{% endfor %}
</ol>
{% else %}
<p class="empty">还没有已生成的一期。</p>
{% endif %}
</main>
<footer>由 briefing 生成</footer>
</body>
</html>
"""


def render_html(title: str, issues: list[Issue], now: dt.datetime) -> str:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["url"] = lambda path: quote(path, safe="/")
    rows = []
    for i in issues:
        row = asdict(i)
        row["date_cn"] = date_cn(dt.date.fromisoformat(i.date)) if i.date else ""
        row["size_text"] = _size(i.size)
        rows.append(row)
    return env.from_string(PAGE).render(title=title, issues=rows, updated=now.strftime("%Y-%m-%d %H:%M"))


def render_feed(title: str, issues: list[Issue], now: dt.datetime, base_url: str | None, folder: Path) -> bytes:
    """Atom 1.0 (feedgen). Without a base URL the links are relative to the feed's own address."""
    def link(path: str) -> str:
        return (base_url.rstrip("/") + "/" if base_url else "") + quote(path, safe="/")

    fg = FeedGenerator()
    fg.id(_urn(base_url or str(folder)))
    fg.title(title)
    fg.language("zh-CN")
    fg.author({"name": _author(folder, issues)})      # Atom requires an author: the issuing office
    fg.link(href=link(FEED), rel="self")
    fg.link(href=link(INDEX_HTML), rel="alternate")
    fg.updated(now)
    for i in reversed(issues):          # feedgen lists the last added first: newest on top
        e = fg.add_entry()
        e.id(_urn(f"{base_url or folder}/{i.file}"))
        e.title(" ".join(x for x in (i.title, i.label, i.period) if x))
        e.link(href=link(i.file), rel="alternate", type="application/pdf")
        for f in i.formats:
            e.link(href=link(f["file"]), rel="related", title=f["name"])
        built = dt.datetime.fromisoformat(i.built)
        e.updated(built if built.tzinfo else built.replace(tzinfo=dt.timezone.utc))
        e.summary(f"{i.label}（{i.period}），{i.pages} 页")
    return fg.atom_str(pretty=True)


# ---- helpers -------------------------------------------------------------------------

def _title(issues: list[Issue]) -> str:
    # a PDF's title is the briefing's title and the issue's subtitle, "两江新区发展简报 2026年10月经济运行"
    names = {i.title.split(" ", 1)[0] for i in issues}
    return (next(iter(names)) + " · 历期存档") if len(names) == 1 else "简报存档"


def _author(folder: Path, issues: list[Issue]) -> str:
    """The Author of the newest PDF (the document's author or issuer), else the title."""
    for i in issues:
        try:
            doc = pdfium.PdfDocument(str(folder / i.file))
        except pdfium.PdfiumError:
            continue
        try:
            author = (doc.get_metadata_dict().get("Author") or "").strip()
        finally:
            doc.close()
        if author:
            return author
    return _title(issues) if issues else "briefing"


def _urn(text: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, text).urn


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def _rel(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), folder)).as_posix()


def _glob_escape(text: str) -> str:
    return glob.escape(text)


def _write_text(path: Path, text: str) -> Path:
    return _write_bytes(path, text.encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> Path:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)        # a reader never sees half a page
    return path


__all__ = ["Archive", "Issue", "collect", "write", "cover", "other_formats", "pdf_facts"]
