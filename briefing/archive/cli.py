"""`briefing archive`: write the archive index (listed in cli.PLUGINS)."""
from __future__ import annotations

import argparse

from ..i18n import _
from ..schedule.issue import history_key
from . import write


def archive_options(a: argparse.ArgumentParser) -> None:
    """`briefing archive`'s parser (its line in `briefing --help` is in briefing.cli)."""
    a.description = _("列出输出目录中定期生成的每一期（期号、期间、日期、标题、页数、封面缩略图、链接），"
                      "写成静态网页 index.html、index.json 和 feed.atom。定期生成每成功一期会自动更新。")
    a.add_argument("file", nargs="?", help=_("内容文件（YAML）：只列这份简报；省略时列出历史库中的全部简报"))
    a.add_argument("-o", "--output", default="output", help=_("存档目录，即定期生成的输出目录（默认 output/）"))
    a.add_argument("--history", help=_("历史数据库路径（默认 输出目录/.briefing-history.sqlite）"))
    a.add_argument("--title", help=_("目录页标题（默认取简报标题）"))
    a.add_argument("--base-url", help=_("存档在网上的地址，用于订阅中的绝对链接，如 https://example.cn/jianbao/"))
    a.set_defaults(func=cmd_archive)


def cmd_archive(args) -> int:
    archive = write(args.output, args.history, history_key(args.file) if args.file else None,
                    title=args.title, base_url=args.base_url)
    print(archive.index)
    print(_("{n} 期；另有 {json} 和 {feed}").format(n=len(archive.issues), json=archive.json.name,
                                              feed=archive.feed.name))
    return 0
