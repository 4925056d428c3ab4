"""Files named in content stay inside the content folder.

Shared YAML travels between offices; a path such as ../../etc/passwd or
/home/x/secret.csv in it must not read files the author of the briefing did
not mean to publish. Absolute paths and escapes are refused unless the
caller allows them explicitly (`allow_outside=True`, `--allow-outside`).
"""
from __future__ import annotations

from pathlib import Path

from ..errors import ContentError, Location
from ..i18n import _


def resolve(base: Path, name: str, where: Location, *, allow_outside: bool = False,
            must_exist: bool = True) -> Path:
    raw = Path(str(name))
    if raw.is_absolute() and not allow_outside:
        raise ContentError(_("不允许使用绝对路径“{name}”").format(name=name), where,
                           _("请把文件放进内容目录，用相对路径引用"))
    path = (base / raw).resolve()
    if not allow_outside and not path.is_relative_to(base.resolve()):
        raise ContentError(_("路径“{name}”指向内容目录之外").format(name=name), where,
                           _("请把文件放进内容目录，用相对路径引用"))
    if must_exist and not path.is_file():
        raise ContentError(_("找不到文件“{name}”").format(name=name), where,
                           _("路径相对于 {base}").format(base=base))
    return path
