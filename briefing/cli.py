"""The `briefing` command: a thin layer over the Python API (briefing.build and friends).

A command's heavier modules (rich, pydantic's JSON Schema, watchfiles, pypdfium2, shtab, the
registry) are imported in the function that runs it, each saying so: `briefing --help` and a
build stay free of what they do not use (python -X importtime -c "import briefing.cli").
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import __version__
from .build import SAMPLE
from .errors import ContentError, Location
from .i18n import _, set_language, translate_argparse
from .registry import USER_TEMPLATES, load_object, template_files
from .resources import resource

# exit statuses, documented in `briefing --help` and the README
EXIT_OK, EXIT_INTERNAL, EXIT_CONTENT = 0, 1, 2
# commands that live with their own package: "module:function" adds a command's options (and sets
# func=) to its parser, see Command
PLUGINS: dict[str, str] = {"batch": "briefing.batch.cli:batch_options",
                           "schedule": "briefing.schedule.cli:schedule_options",
                           "history": "briefing.schedule.cli:history_options",
                           "archive": "briefing.archive.cli:archive_options"}
SHELLS = ["bash", "zsh", "tcsh", "fish", "powershell"]


class Command(argparse.ArgumentParser):
    """A command's parser; given `options=` ("module:function"), that function fills it in only when
    the command is chosen (or for completion). Building the parser then imports no command's
    package: importing batch, schedule and archive for every run cost 0.24 s of a 1.2 s build
    (cProfile of `python -m briefing build`)."""

    def __init__(self, *args: Any, options: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.options = options

    def fill(self) -> None:
        if self.options:
            options, self.options = self.options, None
            load_object(options)(self)
            _global_options(self)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        self.fill()
        return super().parse_known_args(args, namespace)


def _plugin_help() -> dict[str, str]:
    """The line `briefing --help` shows for each command of PLUGINS."""
    return {"batch": _("按矩阵文件批量生成同一简报的多个版本（本机多核或 Dask 集群）"),
            "schedule": _("按 YAML 中的 schedule 定期生成（run、next、once、install）"),
            "history": _("列出定期生成的历史记录"),
            "archive": _("为历期简报写存档目录页 index.html、index.json 和 Atom 订阅")}


def _parser(*, complete: bool = False) -> argparse.ArgumentParser:
    """The whole command line; `complete` fills in every command (for the completion script)."""
    ap = argparse.ArgumentParser(
        prog="briefing",
        description=_("把 YAML 内容和数据表排成带图表的中文 PDF 简报。"),
        epilog=_("退出状态：0 成功；1 内部错误；2 内容或用法有误。"),
    )
    ap.add_argument("--version", action="version", version=f"briefing {__version__}",
                    help=_("显示版本号并退出"))
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", parser_class=Command)

    b = sub.add_parser("build", help=_("排版生成 PDF（不给文件时生成当前目录的 briefing.yaml）"),
                       description=_("读取内容 YAML 与数据，生成 PDF，并打印文件路径、页数和用时。"))
    _file_options(b)
    b.add_argument("-o", "--output", help=_("输出目录，或以 .pdf 结尾的文件名（默认 output/）"))
    _content_options(b)
    _template_option(b)
    b.add_argument("--name", help=_("输出文件名（默认取内容文件名；可省略 .pdf）"))
    b.add_argument("--format", default="pdf", metavar="pdf,html,docx,longimage",
                   help=_("输出格式，可多选，以逗号分隔：pdf、html（网页）、docx（审阅稿）、longimage（手机长图）；默认 pdf"))
    b.add_argument("--image-height", type=int, metavar="PX",
                   help=_("长图每张的最大高度（像素，默认 4096），超出即分成多张"))
    b.add_argument("--period", help=_("生成覆盖该期间的一期，如 2026-10、2026-Q3（按 schedule 的规则定日期和期号）"))
    b.add_argument("--issue", type=int, help=_("期号（默认取内容中的 issue，或按历史记录递增）"))

    v = sub.add_parser("validate", help=_("只检查内容与数据，不生成 PDF"),
                       description=_("检查 YAML、数据文件和模板文字，报告每个错误所在的文件、行和字段。"))
    _file_options(v)
    _content_options(v)
    _template_option(v)

    w = sub.add_parser("watch", help=_("监视内容，每次保存后自动重新生成 PDF"),
                       description=_("先生成一次 PDF，之后 YAML、Markdown、数据或图片一有改动就在同一进程中重新生成；"
                                     "内容有误时打印错误并保留上一次的 PDF。按 Ctrl+C 结束。"))
    _file_options(w)
    w.add_argument("-o", "--output", default="output", help=_("输出目录（默认 output/）"))
    _template_option(w)
    w.add_argument("--open", action="store_true", help=_("生成后用默认的 PDF 阅读器打开一次"))
    _content_options(w)

    sc = sub.add_parser("schema", help=_("输出内容格式的 JSON Schema（供编辑器补全和检查）"),
                        description=_("briefing schema > briefing.schema.json；--section 输出栏目文件（sections/*.yaml）的 Schema。"))
    sc.add_argument("--section", action="store_true", help=_("输出单个栏目文件的 Schema"))
    sc.add_argument("--template-dir", action="append", default=[], metavar="DIR", type=Path,
                    help=_("自备模板的文件夹，其中每个 NAME.yaml 是一个模板（可重复）"))

    d = sub.add_parser("docs", help=_("查看中文文档"),
                       description=_("不带参数时列出全部中文文档及其位置；给出名称时在终端中显示该篇，如 briefing docs 内容格式。"))
    d.add_argument("name", nargs="?", help=_("文档名：入门、内容格式、常见错误（也可写 start、content、errors）"))

    n = sub.add_parser("new", help=_("新建一份可直接生成的简报骨架"),
                       description=_("在 DIR 中写入 briefing.yaml、一个数据文件和说明，可立即 build；"
                                     "--sample 则复制自带的完整示例。"))
    n.add_argument("dir", help=_("新目录"))
    n.add_argument("--sample", action="store_true", help=_("复制自带的完整示例简报"))

    p = sub.add_parser("preview", help=_("把 PDF 的指定页面渲染成 PNG 图片"),
                       description=_("不用 PDF 阅读器也能查看页面：把页面渲染为 PNG。"))
    p.add_argument("pdf", help=_("PDF 文件"))
    p.add_argument("-o", "--output", default="preview", help=_("PNG 输出目录"))
    p.add_argument("--pages", help=_("页码，如 1,3-4（默认全部）"))
    p.add_argument("--dpi", type=int, default=80, help=_("分辨率（默认 80）"))

    c = sub.add_parser("completion", help=_("打印 shell 补全脚本"),
                       description=_("打印 shell 的补全脚本，例如 bash：briefing completion bash > "
                                     "~/.local/share/bash-completion/completions/briefing"))
    c.add_argument("shell", choices=SHELLS, help=_("shell 名称"))
    help_line = _plugin_help()
    for name, options in PLUGINS.items():
        # commands that sit on top of build() (scheduling, history, batch): filled in by their package
        sub.add_parser(name, help=help_line[name], options=options)
    _global_options(ap, top=True)
    if complete:
        for parser in _parsers(ap):
            if isinstance(parser, Command):
                parser.fill()
    return ap


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """The commands' parsers below `parser`, at every depth (a filled command may add its own)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):   # aliases share a parser
                yield child
                yield from _parsers(child)


def _global_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """--lang, -q and -v on the top parser and every subcommand, so they work before or after it.

    Below the top, the defaults are SUPPRESS: a subcommand's parser then sets only the
    options given after it and keeps what was given before it. A Command not filled in yet
    gets them when it is, after its own.
    """
    if isinstance(parser, Command) and parser.options:
        return
    default = (lambda value: value) if top else (lambda value: argparse.SUPPRESS)
    group = parser.add_argument_group(_("通用选项"))
    group.add_argument("--lang", choices=["zh", "en"], default=default(None),
                       help=_("提示信息的语言（默认中文；英文环境下为英文）"))
    group.add_argument("-q", "--quiet", action="store_true", default=default(False),
                       help=_("只显示警告和错误"))
    group.add_argument("-v", "--verbose", action="count", default=default(0),
                       help=_("显示更多信息（各阶段用时等）"))
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):   # aliases share a parser
                _global_options(child)


def _file_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", nargs="?",
                   help=_("内容文件（YAML）或其所在目录；省略时使用当前目录的 briefing.yaml"))
    p.add_argument("--sample", nargs="?", const=True, default=False, metavar="NAME",
                   help=_("使用自带的示例简报；--sample zhuankan 为专刊示例"))


def _template_option(p: argparse.ArgumentParser) -> None:
    text = _("换用模板：自带的 {bundled}，或内容文件旁 {folder}/ 文件夹、--template-dir 文件夹中 NAME.yaml 的 NAME").format(
        bundled="、".join(template_files()), folder=USER_TEMPLATES)
    folder = Path(USER_TEMPLATES)       # beside ./briefing.yaml, the file a command reads when given none
    here = [name for name, path in template_files([folder]).items() if path.parent == folder]
    if here:
        text += _("；当前目录的 {folder}/ 中有：{names}").format(folder=USER_TEMPLATES, names="、".join(here))
    p.add_argument("--template", metavar="NAME", help=text)


def _content_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help=_("临时覆盖字段，如 --set issue=12 --set date=2026-11-01"))
    p.add_argument("--only", help=_("只生成这些栏目（以逗号分隔的 id）"))
    p.add_argument("--allow-outside", action="store_true", help=_("允许引用内容目录之外的文件"))
    p.add_argument("--template-dir", action="append", default=[], metavar="DIR", type=Path,
                   help=_("自备模板的文件夹，其中每个 NAME.yaml 是一个模板（可重复）"))


def _overrides(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        if "=" not in item:
            raise ContentError(_("--set 的写法应为 KEY=VALUE：{item}").format(item=item))
        key, value = item.split("=", 1)
        out[key.strip()] = value
    return out


def _only(text: str | None) -> list[str] | None:
    return [s.strip() for s in text.split(",") if s.strip()] if text else None


def _language_from(argv: list[str]) -> str | None:
    """The value of --lang wherever it stands, so that --help and argparse's own
    messages are already in that language while the command line is parsed."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return lang


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    set_language(_language_from(argv))
    translate_argparse()
    parser = _parser()
    args = parser.parse_args(argv)
    set_language(args.lang)
    if not args.command:
        parser.print_help()
        return EXIT_OK
    from .boundary import run  # imported when a command runs, not for --help (see module doc)

    func = getattr(args, "func", None) or COMMANDS[args.command]
    return run(lambda: func(args))


def content_file(file: str | None, sample: bool | str = False) -> Path:
    """The briefing a command works on: FILE, the bundled sample with --sample, or else
    ./briefing.yaml. With none of these, say how to start instead of guessing."""
    if sample:
        # argparse takes `--sample FILE` as a sample's name: a path there is a content file given too
        named_file = (isinstance(sample, str) and not resource("sample", sample, "briefing.yaml").is_file()
                      and (Path(sample).suffix in (".yaml", ".yml") or Path(sample).exists()))
        if file or named_file:
            raise ContentError(_("不能同时给出内容文件和 --sample"))
        return sample_file(sample)
    if file:
        return Path(file)
    here = Path("briefing.yaml")
    if here.is_file():
        return here
    raise ContentError(_("当前目录没有 briefing.yaml"), hint=_(
        "新建一份：briefing new 目录名，再进入该目录运行 briefing build；"
        "生成自带的示例：briefing build --sample"))


def sample_file(sample: bool | str) -> Path:
    """The bundled sample: the 简报 (``--sample``), or a named one from its own folder
    (``--sample zhuankan`` -> the 专刊 sample)."""
    if sample is True or sample == "jianbao":
        return SAMPLE
    path = resource("sample", str(sample), "briefing.yaml")
    if Path(str(sample)).name != sample or not path.is_file():
        names = ["jianbao"] + sorted(d.name for d in resource("sample").iterdir() if (d / "briefing.yaml").is_file())
        raise ContentError(_("没有名为“{name}”的自带示例").format(name=sample),
                           hint=_("可用的示例：{names}").format(names="、".join(names)))
    return path


def output_target(output: str | None, name: str | None, sample: bool = False) -> tuple[Path, str | None]:
    """-o and --name as (folder, file name or None for the default name).

    -o is a folder, or a file when it ends in .pdf (and is not an existing folder);
    --name gets .pdf added when it lacks it. The sample is written as sample.pdf, so it
    never takes the name of the user's own briefing.pdf.
    """
    folder = Path(output) if output else Path("output")
    if folder.suffix.lower() == ".pdf" and not folder.is_dir():
        if name:
            raise ContentError(_("-o 已给出文件名“{file}”，不能再用 --name").format(file=folder.name))
        return folder.parent, folder.name
    if name:
        if Path(name).name != name or name in (".", ".."):
            raise ContentError(_("--name 只能是文件名，不含目录：“{name}”").format(name=name),
                               hint=_("目录请用 -o 指定"))
        return folder, name if name.lower().endswith(".pdf") else name + ".pdf"
    if sample and sample is not True and sample != "jianbao":
        return folder, f"sample-{sample}.pdf"
    return folder, "sample.pdf" if sample else None


def cmd_build(args) -> int:
    from .build import build  # looked up when the command runs, so that briefing.build.build can be replaced
    from .progress import reporter, stage_label  # rich: only a build shows progress

    file = content_file(args.file, args.sample)
    folder, name = output_target(args.output, args.name, args.sample)
    with reporter(enabled=False if args.quiet else None) as progress:
        result = build(file, folder, overrides=_overrides(args.set), only=_only(args.only),
                       output_name=name, template=args.template, allow_outside=args.allow_outside,
                       template_dirs=tuple(args.template_dir), progress=progress, formats=args.format, image_height=args.image_height,
                       period=args.period, issue=args.issue)
    for w in result.warnings:
        print(_("警告：") + w, file=sys.stderr)
    if args.quiet:
        return EXIT_OK
    for path in (p for paths in result.outputs.values() for p in paths):
        print(f"{path}")
    if result.pdf is not None:
        print(_("{pages} 页，用时 {seconds:.2f} 秒").format(pages=result.pages, seconds=result.seconds))
    else:
        print(_("用时 {seconds:.2f} 秒").format(seconds=result.seconds))
    if args.verbose:
        print("  ".join(_("{stage} {seconds:.2f} 秒").format(stage=stage_label(k), seconds=v)
                        for k, v in result.timings.items()))
        print(_("{n} 张图表").format(n=result.charts))
    return EXIT_OK


def cmd_validate(args) -> int:
    from .build import check  # looked up when the command runs, like build above
    checked = check(content_file(args.file, args.sample), overrides=_overrides(args.set), only=_only(args.only),
                    template=getattr(args, "template", None), allow_outside=args.allow_outside,
                    template_dirs=tuple(args.template_dir))
    for w in checked.warnings:
        print(_("警告：") + w, file=sys.stderr)
    if not args.quiet:
        print(_("内容有效：{file}（{n} 个栏目，{d} 个数据集）").format(
            file=checked.content.file, n=len(checked.resolved.doc.sections), d=len(checked.resolved.datasets)))
    return EXIT_OK


def cmd_watch(args) -> int:
    from .watch import watch  # watchfiles: only for `briefing watch`

    watch(content_file(args.file, args.sample), args.output, template=args.template, open_pdf=args.open,
          overrides=_overrides(args.set), only=_only(args.only), allow_outside=args.allow_outside,
          template_dirs=tuple(args.template_dir), quiet=args.quiet)
    return EXIT_OK


def cmd_schema(args) -> int:
    from .content.jsonschema import document_schema, section_schema  # pydantic's schema: only for `schema`

    for folder in args.template_dir:
        if not folder.is_dir():
            raise ContentError(_("找不到模板文件夹“{name}”").format(name=folder), Location("--template-dir"))
    # run in a briefing's folder (`briefing schema > briefing.schema.json`), its templates/ are listed too
    folders = [Path(USER_TEMPLATES), *args.template_dir]
    schema = section_schema() if args.section else document_schema(list(template_files(folders)))
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_docs(args) -> int:
    from .guide import docs_folder, documents, find, title  # only for `briefing docs`

    if args.name:
        print(find(args.name).read_text(encoding="utf-8"))
        return EXIT_OK
    folder = docs_folder()
    if folder is None:
        print(_("没有找到中文文档目录（docs/zh）"), file=sys.stderr)
        return 1
    print(_("中文文档在 {folder}：").format(folder=folder))
    for doc in documents():
        print(f"  {doc.stem:8}\t{title(doc)}")
    print(_("查看一篇：briefing docs 名称"))
    return EXIT_OK


def cmd_new(args) -> int:
    from .scaffold import scaffold  # only for `briefing new`

    path = scaffold(Path(args.dir), sample=args.sample)
    if not args.quiet:
        print(_("已创建 {path}，可运行：cd {path} && briefing build").format(path=path))
        print(_("中文文档：briefing docs（入门、内容格式、常见错误）"))
    return EXIT_OK


def cmd_preview(args) -> int:
    from .preview import preview  # pypdfium2: only for `briefing preview`

    for png in preview(Path(args.pdf), Path(args.output), args.pages, args.dpi):
        if not args.quiet:
            print(png)
    return EXIT_OK


def cmd_completion(args) -> int:
    """A completion script generated from the parser itself (shtab), so it never lags behind."""
    import shtab  # only for `briefing completion`

    parser = _parser(complete=True)
    _mark_paths(parser, shtab)
    print(shtab.complete(parser, shell=args.shell))
    return EXIT_OK


def _mark_paths(parser: argparse.ArgumentParser, shtab) -> None:
    """Complete file names for file arguments and folder names for -o/DIR."""
    for action in (action for p in (parser, *_parsers(parser)) for action in p._actions):
        if action.dest in ("file", "pdf", "matrix", "history"):
            action.complete = shtab.FILE  # type: ignore[attr-defined]  # shtab reads it from the action
        elif action.dest in ("dir", "output"):
            action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]


COMMANDS = {"build": cmd_build, "validate": cmd_validate, "watch": cmd_watch, "schema": cmd_schema,
            "docs": cmd_docs, "new": cmd_new, "preview": cmd_preview, "completion": cmd_completion}

if __name__ == "__main__":
    sys.exit(main())
