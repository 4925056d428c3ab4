"""`briefing batch MATRIX.yaml [-o DIR] [--workers N] [--scheduler tcp://host:8786]`."""
from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..i18n import _
from . import load_matrix, run


def batch_options(p: argparse.ArgumentParser) -> None:
    """`briefing batch`'s parser (its line in `briefing --help` is in briefing.cli)."""
    p.description = _("读取矩阵文件（briefing、output、variants），并行生成每个版本；"
                      "某个版本出错不影响其他版本，最后列表汇总。格式见 docs/batch.md。")
    p.add_argument("matrix", help=_("矩阵文件（YAML）"))
    p.add_argument("-o", "--output", default="output", help=_("输出目录（默认 output/）"))
    p.add_argument("--workers", type=int, help=_("本机并行进程数（默认等于 CPU 核数）"))
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help=_("在 Dask 集群上生成，如 tcp://host:8786（各节点需能读写相同路径）"))
    p.set_defaults(func=cmd_batch)


def cmd_batch(args) -> int:
    console = Console() if sys.stdout.isatty() else Console(width=200)
    err = Console(stderr=True)
    if err.is_terminal:
        total = len(load_matrix(args.matrix, args.output))
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True, auto_refresh=False) as bar:
            # refreshed on each result rather than by rich's timer thread: with no other thread running, the
            # batch can fork its workers (see batch._pool)
            task = bar.add_task(_("批量生成"), total=total)
            results = run(args.matrix, args.output, workers=args.workers, scheduler=args.scheduler,
                          on_result=lambda r: bar.update(task, advance=1, description=r.id, refresh=True))
    else:
        results = run(args.matrix, args.output, workers=args.workers, scheduler=args.scheduler)
    console.print(summary_table(results))
    failed = sum(not r.ok for r in results)
    console.print(_("{ok} 个成功，{failed} 个失败").format(ok=len(results) - failed, failed=failed))
    return 2 if failed else 0


def summary_table(results):
    t = Table(show_lines=False)
    t.add_column(_("版本"))
    t.add_column(_("状态"))
    t.add_column(_("页数"), justify="right")
    t.add_column(_("用时（秒）"), justify="right")
    t.add_column(_("输出文件或错误"), overflow="fold")
    for r in results:
        if r.ok:
            t.add_row(escape(r.id), "[green]" + _("成功") + "[/]", str(r.pages), f"{r.seconds:.2f}",
                      escape(str(r.pdf)))
        else:
            t.add_row(escape(r.id), "[red]" + _("失败") + "[/]", "", f"{r.seconds:.2f}" if r.seconds else "",
                      escape(r.error or ""))
    return t

