"""The `briefing` command: a thin layer over the Python API (briefing.build and friends)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import ContentError
from .i18n import _, set_language

EXIT_CONTENT = 2
# packages under briefing/ with a cli.py exposing register(subparsers); each parser sets func=
PLUGINS: list[str] = ["batch", "schedule"]


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="briefing",
        description=_("把 YAML 内容和数据表排成带图表的中文 PDF 简报。"),
    )
    ap.add_argument("--lang", choices=["zh", "en"], help=_("提示信息的语言（默认中文；英文环境下为英文）"))
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser("build", help=_("排版生成 PDF（不给文件时生成自带的示例简报）"),
                       description=_("读取内容 YAML 与数据，生成 PDF，并打印文件路径、页数和用时。"))
    b.add_argument("file", nargs="?", help=_("内容文件（YAML）或其所在目录；省略时使用示例简报"))
    b.add_argument("-o", "--output", default="output", help=_("输出目录（默认 output/）"))
    _content_options(b)
    b.add_argument("--template", help=_("换用模板：jianbao（简报）、zhuankan（专刊）、report（报告）"))
    b.add_argument("--name", help=_("输出文件名（默认取内容文件名）"))
    b.add_argument("--format", default="pdf", metavar="pdf,html,docx,longimage",
                   help=_("输出格式，可多选，以逗号分隔：pdf、html（网页）、docx（审阅稿）、longimage（手机长图）；默认 pdf"))
    b.add_argument("--image-height", type=int, metavar="PX",
                   help=_("长图每张的最大高度（像素，默认 4096），超出即分成多张"))

    v = sub.add_parser("validate", help=_("只检查内容与数据，不生成 PDF"),
                       description=_("检查 YAML、数据文件和模板文字，报告每个错误所在的文件、行和字段。"))
    v.add_argument("file", nargs="?", help=_("内容文件（YAML）；省略时检查示例简报"))
    _content_options(v)

    n = sub.add_parser("new", help=_("新建一份可直接生成的简报骨架"),
                       description=_("在 DIR 中写入 briefing.yaml、一个数据文件和说明，可立即 build。"))
    n.add_argument("dir", help=_("新目录"))

    p = sub.add_parser("preview", help=_("把 PDF 的指定页面渲染成 PNG 图片"),
                       description=_("不用 PDF 阅读器也能查看页面：把页面渲染为 PNG。"))
    p.add_argument("pdf", help=_("PDF 文件"))
    p.add_argument("-o", "--output", default="preview", help=_("PNG 输出目录"))
    p.add_argument("--pages", help=_("页码，如 1,3-4（默认全部）"))
    p.add_argument("--dpi", type=int, default=80, help=_("分辨率（默认 80）"))
    for name in PLUGINS:
        # commands that sit on top of build() (scheduling, history, batch) register themselves
        import importlib

        importlib.import_module(f"briefing.{name}.cli").register(sub)
    return ap


def _content_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help=_("临时覆盖字段，如 --set issue=12 --set date=2026-11-01"))
    p.add_argument("--only", help=_("只生成这些栏目（以逗号分隔的 id）"))
    p.add_argument("--allow-outside", action="store_true", help=_("允许引用内容目录之外的文件"))


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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--lang" in argv:
        i = argv.index("--lang")
        if i + 1 < len(argv):
            set_language(argv[i + 1])
    args = _parser().parse_args(argv)
    set_language(args.lang)
    if not args.command:
        _parser().print_help()
        return 0
    try:
        func = getattr(args, "func", None) or COMMANDS[args.command]
        return func(args)
    except ContentError as e:
        print(_("错误：") + str(e), file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print(_("已中断"), file=sys.stderr)
        return 130


def cmd_build(args) -> int:
    from .build import build
    from .progress import reporter

    with reporter() as progress:
        result = build(args.file, args.output, overrides=_overrides(args.set), only=_only(args.only),
                       output_name=args.name, template=args.template, allow_outside=args.allow_outside,
                       progress=progress, formats=args.format, image_height=args.image_height)
    for w in result.warnings:
        print(_("警告：") + w, file=sys.stderr)
    for path in (p for paths in result.outputs.values() for p in paths):
        print(f"{path}")
    if result.pdf is not None:
        print(_("{pages} 页，用时 {seconds:.2f} 秒").format(pages=result.pages, seconds=result.seconds))
    else:
        print(_("用时 {seconds:.2f} 秒").format(seconds=result.seconds))
    return 0


def cmd_validate(args) -> int:
    from . import fmt
    from .build import SAMPLE, check_glyphs, number_style
    from .content import load
    from .data import resolve

    content = load(args.file or SAMPLE, overrides=_overrides(args.set), only=_only(args.only),
                   allow_outside=args.allow_outside)
    with fmt.number_style(number_style(content.doc)):
        resolved = resolve(content)
        check_glyphs(resolved)
    print(_("内容有效：{file}（{n} 个栏目，{d} 个数据集）").format(
        file=content.file, n=len(content.doc.sections), d=len(resolved.datasets)))
    return 0


def cmd_new(args) -> int:
    from .scaffold import scaffold

    path = scaffold(Path(args.dir))
    print(_("已创建 {path}，可运行：briefing build {path}").format(path=path))
    return 0


def cmd_preview(args) -> int:
    from .preview import preview

    for png in preview(Path(args.pdf), Path(args.output), args.pages, args.dpi):
        print(png)
    return 0


COMMANDS = {"build": cmd_build, "validate": cmd_validate, "new": cmd_new, "preview": cmd_preview}

if __name__ == "__main__":
    sys.exit(main())
