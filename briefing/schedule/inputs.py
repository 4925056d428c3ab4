"""Every file a build reads, and one hash over them (skip-if-unchanged).

A scheduled run skips a period whose inputs are unchanged, so the hash must
cover everything that can change the PDF:
  - the YAML and its includes (content.files),
  - every file the content names: data tables, images, a chart's own data
    file, Markdown … — found by walking the validated document for strings
    that name an existing file, so a new kind of file reference is covered
    without a list to keep up to date here,
  - the page forms (briefing/templates/*.yaml) and the bundled fonts,
  - the program itself: its version and a digest of its source files, so an
    upgrade (or a local change) rebuilds the current issue.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import briefing

from .. import fonts
from ..content.walk import strings
from ..templates import theme

PACKAGE_DIR = Path(__file__).resolve().parents[1]
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
MAX_NAME = 260           # longer strings are text, not file names


def content_files(content) -> list[Path]:
    """The YAML files and every existing file a string in the document names (relative to the content folder)."""
    found: list[Path] = list(content.files)
    base = Path(content.base)
    for text in strings(content.doc.model_dump()):
        path = _as_file(base, text, content.allow_outside)
        if path is not None and path not in found:
            found.append(path)
    return found


def template_files() -> list[Path]:
    return sorted(Path(theme.HERE).glob("*.yaml"))


def font_files() -> list[Path]:
    root = Path(fonts.FONT_DIR)
    return sorted(p for p in root.iterdir() if p.suffix.lower() in FONT_SUFFIXES) if root.is_dir() else []


def input_files(content) -> list[Path]:
    """Every file the build of `content` reads, in a stable order."""
    return [*content_files(content), *template_files(), *font_files()]


def input_hash(content) -> str:
    """sha256 over the program's fingerprint and every input file (its path and its bytes)."""
    h = hashlib.sha256(program_fingerprint().encode() + b"\0")
    for path in input_files(content):
        h.update(str(path).encode() + b"\0")
        h.update(_file_digest(path))
        h.update(b"\0")
    return h.hexdigest()


def program_fingerprint() -> str:
    """The package version plus a digest of its Python and YAML files."""
    return f"{briefing.__version__}:{_source_digest(PACKAGE_DIR)}"   # read now: an upgrade in place counts


@lru_cache(maxsize=4)
def _source_digest(root: Path) -> str:
    # once per process: the program does not change under a running scheduler's feet
    # (and when it is upgraded, the scheduler is restarted)

    h = hashlib.sha256()
    files = []
    for folder, dirs, names in os.walk(root):      # symlinked folders (bundled data) are not followed
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        files += [Path(folder) / n for n in names if n.endswith((".py", ".yaml"))]
    for p in sorted(files):
        h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _file_digest(path: Path) -> bytes:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return b"<missing>"
    return h.digest()


def _as_file(base: Path, text: str, allow_outside: bool) -> Path | None:
    text = text.strip()
    if not text or len(text) > MAX_NAME or "\n" in text or "{" in text:
        return None
    try:
        path = (base / text).resolve()
        if not allow_outside and not path.is_relative_to(base.resolve()):
            return None
        return path if path.is_file() else None
    except (OSError, ValueError):
        return None
