"""Progress of a build on a terminal: which stage is running, and for how long.

build() calls ``progress(stage_name)`` as each stage starts (content, data,
fonts, charts, layout, pdf). ``reporter()`` gives such a callable that shows a
spinner line on stderr — ``(4/6) 生成图表 … 1.2 秒`` — and leaves nothing behind
(the command prints its result as before). When stderr is not a terminal
(a pipe, a log file, cron, CI) it yields None, and build() reports nothing:

    from .progress import reporter
    with reporter() as progress:
        result = build(..., progress=progress)

rich is imported only on a terminal, so quiet runs pay nothing for it.
"""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager

from .i18n import _

STAGES = ("content", "data", "fonts", "charts", "layout", "pdf")


def stage_label(name: str) -> str:
    return {
        "content": _("读取内容"),
        "data": _("读取数据"),
        "fonts": _("注册字体"),
        "charts": _("生成图表"),
        "layout": _("排版"),
        "pdf": _("写入 PDF"),
    }.get(name, name)


class Reporter:
    """A progress(stage) callable drawing one live status line with rich."""

    def __init__(self, console=None, *, refresh_per_second: float = 8):
        from rich.console import Console  # start-up: see reporter()

        self.console = console or Console(stderr=True)
        self.start = time.perf_counter()
        self.stage: str | None = None
        self.seen: list[str] = []
        self._status = self.console.status(_("准备中"), spinner="dots", refresh_per_second=refresh_per_second)
        self._status.start()

    def __call__(self, stage: str) -> None:
        self.stage = stage
        self.seen.append(stage)
        self._status.update(self)     # re-rendered on every refresh: the seconds keep counting

    def __rich__(self) -> str:
        return self.text()

    def text(self) -> str:
        n = STAGES.index(self.stage) + 1 if self.stage in STAGES else len(self.seen)
        elapsed = time.perf_counter() - self.start
        return f"({n}/{len(STAGES)}) {stage_label(self.stage or '')} … " + _("{s:.1f} 秒").format(s=elapsed)

    def close(self) -> None:
        self._status.stop()


@contextmanager
def reporter(stream=None, *, enabled: bool | None = None):
    """Yield a progress callable for build(), or None when not on a terminal (quiet)."""
    stream = sys.stderr if stream is None else stream
    if enabled is None:
        enabled = bool(getattr(stream, "isatty", lambda: False)())
    if not enabled:
        yield None
        return
    from rich.console import Console  # start-up: rich (~25 ms) only when progress is shown, on a terminal

    r = Reporter(Console(file=stream, force_terminal=True))
    try:
        yield r
    finally:
        r.close()
