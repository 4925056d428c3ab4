"""Which templates (page forms) a briefing can name: the bundled ones and those of the user's folders.

A user's template is a YAML file `name.yaml` in one of:
  - the folder `templates/` beside the briefing's YAML (found without being named),
  - a folder the briefing names in `template_dirs:` — relative to the content folder and inside it,
    like every path in content, unless the command line allows more (--allow-outside),
  - a folder named on the command line (`--template-dir DIR`): the user's own choice, anywhere.
Later folders win over earlier ones, and every user folder over the bundled templates.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ContentError, Location
from ..i18n import _
from ..registry import BUILTIN_TEMPLATES, USER_TEMPLATES, template_files
from .paths import check_name, confine, inside
from .yamlload import Positions


def template_folders(raw: dict[str, Any], positions: Positions, base: Path, allow_outside: bool,
                     command_line: tuple[Path, ...] = ()) -> list[Path]:
    """The user's template folders for a briefing, in the order they win (last wins)."""
    folders = [base / USER_TEMPLATES]
    named = raw.get("template_dirs", [])
    for i, name in enumerate([named] if isinstance(named, str) else named if isinstance(named, list) else []):
        if not isinstance(name, str):
            continue            # validation reports the wrong type, located
        where = positions.find(("template_dirs",) if isinstance(named, str) else ("template_dirs", i))
        folders.append(_folder(confine(base, name, where, allow_outside=allow_outside, must_exist=False),
                               name, where))
    for folder in command_line:
        where = Location("--template-dir")
        text = check_name(str(folder), where)
        folders.append(_folder(Path(text).resolve(), text, where))
    return folders


def _folder(path: Path, name: str, where: Location) -> Path:
    if not path.is_dir():
        raise ContentError(_("找不到模板文件夹“{name}”").format(name=name), where,
                           _("模板文件夹中每个模板是一个 YAML 文件，文件名即模板名"))
    return path


def available_templates(folders: list[Path]) -> dict[str, Path]:
    """Every template a briefing with these folders may name, by name."""
    return template_files(folders)


def check_template_file(path: Path, base: Path, command_line: tuple[Path, ...], allow_outside: bool,
                        where: Location) -> Path:
    """The template the briefing chose, confined: a file of a folder named on the command line may lie
    anywhere, any other (a symlink in `templates/` pointing elsewhere) must stay in the content folder."""
    real = path.resolve()
    if inside(real, [BUILTIN_TEMPLATES.resolve()]):
        return real
    return confine(base, str(real), where, allow_outside=allow_outside,
                   roots=[Path(f).resolve() for f in command_line])
