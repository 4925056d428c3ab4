"""`briefing watch`: rebuild the PDF whenever the content changes, in one warm process.

The first build pays for Python, matplotlib, fonts and the parsers; each later
one reuses them, along with every file that did not change (parsed YAML and
Markdown, compiled text templates, drawn charts), so a one-sentence edit costs
only the layout and the writing of the PDF. When the new content is broken the
located error is printed and the last good PDF stays where it is (build()
writes atomically, and only after every check passed).

File events come from watchfiles (inotify on Linux, FSEvents on macOS), which
also debounces the bursts an editor makes when it saves.
"""
from __future__ import annotations

import sys
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from watchfiles import watch as changes

from .build import SAMPLE, build
from .errors import ContentError
from .i18n import _

# what a briefing is made of: content, data, images (an editor's swap and backup files are not)
WATCHED = {".yaml", ".yml", ".md", ".markdown", ".csv", ".xlsx", ".xlsm", ".json", ".png", ".jpg", ".jpeg",
           ".tif", ".tiff", ".gif", ".bmp", ".svg"}


@dataclass
class Outcome:
    ok: bool
    seconds: float
    pdf: Path | None = None
    pages: int = 0
    error: str = ""
    timings: dict = field(default_factory=dict)


def rebuild(file: Path, output: Path, *, template: str | None = None, **options) -> Outcome:
    """One build; a content problem is returned (not raised) so the watcher goes on."""
    start = time.perf_counter()
    try:
        result = build(file, output, template=template, **options)
    except ContentError as e:
        return Outcome(False, time.perf_counter() - start, error=str(e))
    return Outcome(True, time.perf_counter() - start, result.pdf, result.pages, timings=result.timings)


def watch(file: str | Path | None, output: str | Path, *, template: str | None = None, open_pdf: bool = False,
          report: Callable[[str, bool], None] | None = None, stop_event=None, quiet: bool = False,
          **options) -> None:
    """Build, then rebuild on every change under the content folder until interrupted (or stop_event is set)."""
    file = Path(file) if file else SAMPLE
    if file.is_dir():
        file = file / "briefing.yaml"
    output = Path(output).resolve()
    folder = file.resolve().parent
    say = report or _print
    if quiet and report is None:
        say = lambda message, is_error: _print(message, is_error) if is_error else None  # noqa: E731

    def one() -> Outcome:
        outcome = rebuild(file, output, template=template, **options)
        if outcome.ok:
            say(_("已更新 {pdf}（{pages} 页，{seconds:.2f} 秒）").format(
                pdf=outcome.pdf, pages=outcome.pages, seconds=outcome.seconds), False)
        else:
            say(_("错误：") + outcome.error, True)
            say(_("内容有误，保留上一次的 PDF；改正后会自动重新生成"), True)
        return outcome

    first = one()
    if open_pdf and first.ok and first.pdf is not None:
        _open(first.pdf)

    def relevant(_change, path: str) -> bool:
        p = Path(path)
        return p.suffix.lower() in WATCHED and not p.name.startswith((".", "~")) and output not in p.parents

    # template folders named on the command line may lie outside the content folder: watched too
    folders = [folder, *(Path(d).resolve() for d in options.get("template_dirs", ()))]
    # "watching" is said at the first (empty) batch, once the file watches are in place: an edit made
    # right after the message is never missed
    watching = False
    for batch in changes(*folders, watch_filter=relevant, stop_event=stop_event, debounce=200, step=20,
                         raise_interrupt=False, rust_timeout=100, yield_on_timeout=True):
        if not watching:
            say(_("正在监视 {folder}（按 Ctrl+C 结束）").format(folder=folder), False)
            watching = True
        if batch:
            one()


def _print(message: str, is_error: bool) -> None:
    print(message, file=sys.stderr if is_error else sys.stdout, flush=True)


def _open(pdf: Path) -> None:
    """Open the PDF once in the desktop's viewer (most viewers reload it when it changes)."""
    webbrowser.open(pdf.resolve().as_uri())
