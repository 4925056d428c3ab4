"""`briefing docs`: the Chinese documentation, from the command line.

The documents live in docs/zh/ and ship with the package (resources.resource("docs", "zh")).
"""
from __future__ import annotations

from pathlib import Path

from .errors import ContentError, Location
from .i18n import _
from .resources import resource

# English names for the Chinese file names, so `briefing docs content` works on any keyboard
ALIASES = {"start": "入门", "readme": "README", "index": "README", "content": "内容格式", "errors": "常见错误"}


def docs_folder() -> Path | None:
    here = Path(__file__).resolve().parent
    for folder in (resource("docs", "zh"), here.parent / "docs" / "zh"):
        if folder.is_dir():
            return folder
    return None


def documents() -> list[Path]:
    folder = docs_folder()
    return sorted(folder.glob("*.md"), key=lambda p: (p.stem != "README", p.name)) if folder else []


def title(doc: Path) -> str:
    for line in doc.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return doc.stem


def find(name: str) -> Path:
    stem = ALIASES.get(name.lower().removesuffix(".md"), name.removesuffix(".md"))
    docs = documents()
    for doc in docs:
        if doc.stem == stem or doc.stem.lower() == stem.lower():
            return doc
    names = "、".join(d.stem for d in docs) or _("（没有找到文档目录）")
    raise ContentError(_("没有名为“{name}”的文档").format(name=name), Location("briefing docs"),
                       _("可用的文档：{names}").format(names=names))
