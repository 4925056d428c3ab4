"""build(): the whole pipeline, stage by stage, data flowing one way.

content (load + validate) -> data (sources, bound text) -> charts -> layout
-> PDF, with the template (theme) as the page form. Each stage only knows
the one before it; this function is the only place that knows them all.

The stages are imported inside the functions that run them (each such import
says so): `import briefing.build`, which every CLI command pays for, stays at
about 15 ms instead of the 1-3 s that content, data, layout and pdf cost
(python -X importtime -c "import briefing.build").
"""
from __future__ import annotations

import contextvars
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
import difflib

from .errors import ContentError, ContentErrors, Location
from .i18n import _
from .resources import resource

if TYPE_CHECKING:   # the stages are imported where they run: `import briefing.build` stays cheap for the CLI
    from . import assets
    from .content.load import Content
    from .data import Resolved
    from .templates.theme import Theme

SAMPLE = resource("sample", "briefing.yaml")


@dataclass
class BuildResult:
    pdf: Path | None             # None when the PDF was not among the formats asked for
    pages: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    charts: int = 0
    outputs: dict[str, list[Path]] = field(default_factory=dict)   # format -> files written, in order


class _Clock:
    def __init__(self, progress=None):
        self.timings: dict[str, float] = {}
        self.progress = progress

    @contextmanager
    def stage(self, name: str):
        if self.progress and name not in self.timings:    # a stage met twice (checks, then drawing) shows once
            self.progress(name)
        t = time.perf_counter()
        yield
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t


def build(*args, **kwargs) -> BuildResult:
    """Build one briefing (see ``_build`` for the arguments), in a context of its own: the document's
    number rules (its `numbers:` mapping, briefing.fmt) hold for this build only, even in threads."""
    return contextvars.copy_context().run(_build, *args, **kwargs)


def _build(path: str | Path | None = None, output_dir: str | Path | None = None, *,
          overrides: dict[str, str] | None = None, only: list[str] | None = None,
          output_name: str | None = None, template: str | None = None, allow_outside: bool = False,
          template_dirs: tuple[Path, ...] = (), roots: tuple[Path, ...] = (), cache_dir: Path | None = None, variables: dict | None = None, progress=None,
          formats: str | list[str] | tuple[str, ...] = ("pdf",), image_height: int | None = None,
          period: str | None = None, issue: int | None = None) -> BuildResult:
    """Build one briefing: the PDF and/or the other editions named in `formats` ("pdf,html,docx,longimage"),
    written next to each other with the same stem. Raises ContentError for anything wrong in the content.

    `period` ("2026-10", "2026-Q3") builds the issue covering that period by the
    schedule's rule, `issue` sets its number; without them the text still sees
    {{ period }} and {{ schedule }} (see briefing/schedule/issue.py).
    """
    from . import assets, editions, pdf  # the stages: imported when a build runs (see module doc)
    from .layout.blocks import renumbering, story  # start-up: a stage (see module doc)
    from .templates import pages  # start-up: a stage (see module doc)

    start = time.perf_counter()
    formats = editions.parse_formats(formats)
    clock = _Clock(progress)
    out_dir = Path(output_dir) if output_dir is not None else Path.cwd() / "output"
    ready = _prepare(path, clock, overrides=overrides, only=only, template=template, allow_outside=allow_outside,
                     template_dirs=template_dirs, variables=variables, out_dir=out_dir, period=period, issue=issue, roots=roots,
                     register_fonts="pdf" in formats)
    loaded, resolved, theme, width = ready.content, ready.resolved, ready.theme, ready.width
    doc = resolved.doc
    pdf_path = output_path(out_dir, doc, loaded, output_name, allow_outside)
    outputs: dict[str, list[Path]] = {}
    count, found = 0, None
    if "pdf" in formats:
        with clock.stage("charts"):
            found = assets.collect(resolved, theme, width, cache_dir=cache_dir, checked=ready.checked)
        with clock.stage("layout"):
            flowables = story(resolved, theme, width, found, pages.front(theme, doc, width),
                              pages.back(theme, doc, width))
        with clock.stage("pdf"):
            meta = {"title": doc.title + (f" {doc.subtitle}" if doc.subtitle else ""),
                    "author": doc.author or doc.issuer, "subject": doc.subject or doc.subtitle or doc.title,
                    "keywords": doc.keywords}
            laid: dict = {}
            count = pdf.write(flowables, theme, meta, pdf_path, laid)
            numbers = renumbering(laid["drawn"])
            if numbers:
                # a figure that waited (or spans the columns) reached the page after a later one: number
                # them in reading order, so captions and {ref:} agree with what the reader sees; set it again
                flowables = story(resolved, theme, width, found, pages.front(theme, doc, width),
                                  pages.back(theme, doc, width), numbers)
                count = pdf.write(flowables, theme, meta, pdf_path, {"balance": laid["balance"]})
        outputs["pdf"] = [pdf_path]
    for name in formats:
        if name != "pdf":
            options = {"max_height": image_height} if name == "longimage" and image_height else {}
            with clock.stage(name):
                outputs[name] = editions.write(name, resolved, theme, pdf_path.with_suffix(""), cache_dir=cache_dir,
                                               **options)
    return BuildResult(pdf_path if "pdf" in formats else None, count, time.perf_counter() - start, clock.timings,
                       resolved.warnings + (found.warnings if found else ready.checked.assets.warnings),
                       charts=len(found.drawings) if found else 0, outputs=outputs)


@dataclass
class Checked:
    """A briefing read, its data resolved and every reference checked: all of a build but drawing and writing."""
    content: Content
    resolved: Resolved
    theme: Theme
    width: float
    checked: assets.Checked
    warnings: list[str] = field(default_factory=list)


def check(path: str | Path | None = None, *, overrides: dict[str, str] | None = None,
          only: list[str] | None = None, template: str | None = None, allow_outside: bool = False,
          variables: dict | None = None, output_dir: str | Path | None = None, period: str | None = None,
          issue: int | None = None, template_dirs: tuple[Path, ...] = (), roots: tuple[Path, ...] = ()) -> Checked:
    """What `briefing validate` runs: the build's own stages up to the drawing of charts, so whatever
    content problem `build` would report, this reports the same way. Raises ContentError."""
    out_dir = Path(output_dir) if output_dir is not None else Path.cwd() / "output"
    return contextvars.copy_context().run(
        _prepare, path, _Clock(), overrides=overrides, only=only, template=template, allow_outside=allow_outside,
        variables=variables, out_dir=out_dir, period=period, issue=issue, template_dirs=template_dirs, roots=roots)


def _prepare(path, clock: _Clock, *, overrides, only, template, allow_outside, variables, out_dir: Path,
             period=None, issue=None, register_fonts: bool = False, roots: tuple[Path, ...] = (),
             template_dirs: tuple[Path, ...] = ()) -> Checked:
    from . import assets, content, data, fmt, fonts  # the stages: imported when a build runs (see module doc)
    from .templates import load_theme  # start-up: a stage (see module doc)

    with clock.stage("content"):
        if template:
            overrides = {**(overrides or {}), "template": template}
        loaded = content.load(path or SAMPLE, overrides=overrides, only=only, allow_outside=allow_outside,
                              roots=roots, template_dirs=template_dirs)
        if "period" not in (variables or {}):
            loaded, variables = _with_issue(loaded, out_dir, period, issue, overrides, only, allow_outside, variables)
    fmt.use_style(number_style(loaded.doc))
    with clock.stage("data"):
        resolved = data.resolve(loaded, variables)
        doc = resolved.doc
        check_glyphs(resolved)
        theme = load_theme(doc.template, doc.theme, doc.page_size, loaded.positions.find(("template",)),
                           positions=loaded.positions, templates=loaded.templates)
    if register_fonts:
        with clock.stage("fonts"):
            fonts.register_reportlab_fonts()
    with clock.stage("charts"):
        # every edition draws from the same checked references; the PDF's charts are drawn in _build()
        width = theme.columns(theme.type_area(1))[0].width
        checked = assets.check(resolved, theme, width)
    return Checked(loaded, resolved, theme, width, checked, resolved.warnings + checked.assets.warnings)


def number_style(doc):
    """The document's number rules (its `numbers:` mapping) for briefing.fmt."""
    from . import fmt  # start-up: a stage (see module doc)

    return fmt.NumberStyle(**doc.numbers.model_dump())


def _with_issue(loaded, out_dir: Path, period, issue, overrides, only, allow_outside, variables):
    """Give the text `period` and `schedule` as a scheduled build would; reload when
    --period/--issue set the document's date or number (an explicit --set still wins)."""
    from . import content  # start-up: a stage (see module doc)
    from .schedule.issue import for_build  # start-up: a stage (see module doc)

    found, fields = for_build(loaded, out_dir, period=period, issue=issue)
    if fields:
        loaded = content.load(loaded.file, overrides={**fields, **(overrides or {})}, only=only,
                              allow_outside=allow_outside, roots=loaded.roots, template_dirs=loaded.template_dirs)
    return loaded, {**found.variables(), **(variables or {})}


def output_file_name(doc, source: Path, where: Location | None = None) -> str:
    from .content.paths import format_name  # start-up: a stage (see module doc)

    if doc.output:
        fields = {"date": doc.date, "title": doc.title, "issue": doc.issue or 0}
        return format_name(doc.output, fields, where or Location(path="output"))
    return f"{source.stem}.pdf"


def output_path(out_dir: Path, doc, loaded, output_name: str | None, allow_outside: bool) -> Path:
    """The PDF's path, as the user would write it (out_dir / name): the content's `output:` pattern is
    checked to stay inside the output folder; a name given on the command line (--name) is the user's
    own choice and only checked to be a name a file system can hold."""
    from .content.paths import confine  # start-up: a stage (see module doc)

    if output_name:
        confine(out_dir, output_name, Location("--name"), allow_outside=True, kind="output")
        return out_dir / output_name
    where = loaded.positions.find(("output",)) if doc.output else Location(str(loaded.file))
    name = output_file_name(doc, loaded.file, where)
    confine(out_dir, name, where, allow_outside=allow_outside, kind="output")
    return out_dir / name


def check_glyphs(resolved) -> None:
    """Every character that prints must be printable (see briefing/data/textcheck.py): the document's text,
    every data cell and column name, and the theme's strings. Called by build and validate alike."""
    from .data.textcheck import check_text  # start-up: a stage (see module doc)

    from .data.limits import check_blocks  # start-up: a stage (see module doc)

    check_text(resolved)
    check_refs(resolved)
    check_pagebreaks(resolved)
    check_blocks(resolved)


def check_pagebreaks(resolved) -> None:
    """A page break right after another would leave a blank page (and a flood of them a layout that cannot
    end): refused where the second one is written."""
    from .content.walk import blocks  # a stage: imported when a build runs (see module doc)

    previous = None
    for path, block, _ncols in blocks(resolved.doc):
        breaks = hasattr(block, "pagebreak")
        index = path[-1]                  # a block's path ends with its index in its list
        if breaks and previous is not None and previous[:-1] == path[:-1] and previous[-1] == int(index) - 1:
            raise ContentError(_("连续两个分页：会产生空白页"), resolved.content.positions.find(path),
                               _("删除多余的 pagebreak"))
        previous = path if breaks else None


def check_refs(resolved) -> None:
    """Every {ref:ID} names a figure or table: said at the field that holds it, before any layout."""
    from .data import text_slots  # stages: imported when a build runs (see module doc)
    from .layout.blocks import REF, figure_labels  # start-up: a stage (see module doc)

    refs = figure_labels(resolved.doc)
    problems = []
    for _owner, _key, path, text in text_slots(resolved.doc):
        for key in REF.findall(text) if "{ref:" in text else ():
            if key not in refs:
                close = difflib.get_close_matches(key, list(refs), n=1)
                hint = (_("您是不是要写“{name}”？").format(name=close[0]) if close else
                        _("可用：{ids}").format(ids="、".join(sorted(refs)) or "—"))
                problems.append(ContentError(_("交叉引用“{key}”找不到对应的图或表").format(key=key),
                                             resolved.content.positions.find(path), hint))
    if problems:
        raise ContentErrors(problems)
