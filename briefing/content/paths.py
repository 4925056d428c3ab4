"""Files named in content stay inside the content folder; outputs stay inside the output folder.

Shared YAML travels between offices; a path such as ../../etc/passwd or
/home/x/secret.csv in it must not read files the author of the briefing did
not mean to publish, and an output pattern such as ../../x.pdf must not write
beside them. Every path the content names goes through `confine()`: symlinks
are resolved first, then the result must lie under one of the allowed roots
unless the command line allowed more (`allow_outside=True`, `--allow-outside`).
Names a file system cannot hold (NUL bytes, over-long names, symlink loops)
and inputs that are not plain files (FIFOs, devices, folders) are located
content errors, never OSErrors.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import ContentError, Location
from ..i18n import _

MAX_NAME = 255          # bytes in one path component (ext4, APFS, NTFS)
MAX_PATH = 4096         # bytes in a whole path (Linux PATH_MAX)
MAX_INPUT_BYTES = 64 * 1024 * 1024   # any one input file; override with BRIEFING_MAX_INPUT_MB


def max_input_bytes() -> int:
    mb = os.environ.get("BRIEFING_MAX_INPUT_MB")
    return int(float(mb) * 1024 * 1024) if mb and mb.replace(".", "", 1).isdigit() else MAX_INPUT_BYTES


def _hint(base: Path) -> str:
    return _("请把文件放进内容目录（{base}），用相对路径引用；确需引用外部文件时加 --allow-outside").format(base=base)


def check_name(name: object, where: Location, what: str = "") -> str:
    """A path as written in content: text, no NUL, not over-long. Returns it as a str."""
    if not isinstance(name, (str, os.PathLike)) or isinstance(name, bool):
        raise ContentError(_("路径应是文字，而不是“{value}”").format(value=name), where)
    text = os.fspath(name)
    if not text.strip():
        raise ContentError(_("路径是空的"), where)
    if "\x00" in text:
        raise ContentError(_("路径中含有 NUL 字符（U+0000）"), where, _("请检查文件名是否被错误地复制"))
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_PATH or any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME
                                  for part in text.replace("\\", "/").split("/")):
        raise ContentError(_("路径过长（{n} 个字符）").format(n=len(text)), where,
                           _("文件名每段不能超过 {n} 字节").format(n=MAX_NAME))
    return text


def _resolve(path: Path, name: str, where: Location) -> Path:
    try:
        return path.resolve()
    except RuntimeError:   # Python < 3.13: "Symlink loop from ..."
        raise ContentError(_("路径“{name}”中有循环的符号链接").format(name=name), where) from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise ContentError(_("路径“{name}”中有循环的符号链接").format(name=name), where) from None
        raise ContentError(_("无法解析路径“{name}”：{e}").format(name=name, e=e.strerror or e), where) from None


def inside(path: Path, roots: Iterable[Path]) -> bool:
    return any(path == r or path.is_relative_to(r) for r in roots)


def confine(base: Path, name: str | os.PathLike[str], where: Location, *, allow_outside: bool = False, must_exist: bool = True,
            roots: Iterable[Path] = (), kind: str = "file") -> Path:
    """Resolve `name` (relative to `base`) to a real path inside `base` or one of `roots`.

    kind="file": an existing regular file (not a FIFO, device or folder), no larger than the
    input limit. kind="output": a file to write, whose folder may not exist yet.
    """
    text = check_name(name, where)
    raw = Path(text)
    allowed = [_resolve(Path(r), str(r), where) for r in (base, *roots)]
    path = _resolve(base / raw, text, where)
    if not allow_outside and not inside(path, allowed):
        if raw.is_absolute():
            raise ContentError(_("不允许使用绝对路径“{name}”").format(name=text), where, _hint(base))
        raise ContentError(_("路径“{name}”指向内容目录之外").format(name=text), where, _hint(base))
    if kind == "output":
        return _check_output(path, text, where)
    if must_exist:
        check_input(path, where, text, base)
    return path


def check_input(path: Path, where: Location, name: str | None = None, base: Path | None = None) -> os.stat_result:
    """An input must be a regular file of bounded size: a FIFO would block and /dev/zero never ends."""
    name = name or str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        hint = _("路径相对于 {base}").format(base=base) if base else None
        raise ContentError(_("找不到文件“{name}”").format(name=name), where, hint) from None
    except OSError as e:
        raise ContentError(_("无法读取文件“{name}”：{e}").format(name=name, e=e.strerror or e), where) from None
    if stat.S_ISDIR(st.st_mode):
        raise ContentError(_("“{name}”是目录，不是文件").format(name=name), where)
    if not stat.S_ISREG(st.st_mode):
        raise ContentError(_("“{name}”不是普通文件（管道、设备或套接字）").format(name=name), where,
                           _("只能读取普通文件"))
    limit = max_input_bytes()
    if st.st_size > limit:
        raise ContentError(_("文件“{name}”过大（{size} MB，上限 {limit} MB）").format(
            name=name, size=round(st.st_size / 1048576, 1), limit=round(limit / 1048576)), where,
            _("可先汇总数据；确需更大的文件时设置环境变量 BRIEFING_MAX_INPUT_MB"))
    return st


def _check_output(path: Path, name: str, where: Location) -> Path:
    if path.exists() and not path.is_file():
        raise ContentError(_("输出路径“{name}”已存在且不是普通文件").format(name=name), where)
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise ContentError(_("输出路径“{name}”的上级“{parent}”不是目录").format(name=name, parent=parent), where)
    return path


MAX_FORMAT_WIDTH = 64


def format_name(pattern: str, fields: dict[str, Any], where: Location) -> str:
    """A file-name pattern such as "{date:%Y%m%d}-{title}.pdf" filled in, bounded: plain field names only
    (no {title.__class__}), and no width like {title:>999999999} that would build a gigabyte string."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as e:
        raise ContentError(_("文件名模式“{p}”无效：{e}").format(p=pattern, e=e), where) from None
    for _text, name, spec, conv in parts:
        if name is None:
            continue
        if name not in fields:
            raise ContentError(_("文件名模式“{p}”中的“{{{name}}}”不可用").format(p=pattern, name=name), where,
                               _("可用的名称：{names}").format(names="、".join("{" + k + "}" for k in fields)))
        if any(int(n) > MAX_FORMAT_WIDTH for n in re.findall(r"\d+", (spec or "") + (conv or ""))):
            raise ContentError(_("文件名模式“{p}”中的宽度过大").format(p=pattern), where)
        if "{" in (spec or ""):
            raise ContentError(_("文件名模式“{p}”无效：格式中不能再嵌套 {{}}").format(p=pattern), where)
    try:
        name = pattern.format(**fields)
    except (KeyError, ValueError, IndexError, AttributeError, TypeError) as e:
        raise ContentError(_("文件名模式“{p}”无效：{e}").format(p=pattern, e=e), where) from None
    return check_name(name, where)


def resolve(base: Path, name: str, where: Location, *, allow_outside: bool = False,
            must_exist: bool = True) -> Path:
    """Kept for callers that name one file relative to the content folder."""
    return confine(base, name, where, allow_outside=allow_outside, must_exist=must_exist)
