"""Errors a user can act on.

Every problem with the user's content becomes a ContentError that names the
file, line and column, the field's path in the YAML, what was found and what
is allowed. The CLI prints it and exits with status 2; nothing here ever
reaches the user as a Python traceback.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Location:
    file: str | None = None
    line: int | None = None      # 1-based
    column: int | None = None    # 1-based
    path: str | None = None      # field path, e.g. sections[2].blocks[0].chart.type

    def __str__(self) -> str:
        parts = []
        if self.file:
            where = shown_path(self.file)
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            parts.append(where)
        if self.path:
            parts.append(self.path)
        return " ".join(parts)


def shown_path(file: str) -> str:
    """A path as the user would type it: relative to the current folder when it lies inside it."""
    try:
        path = Path(file)
        if path.is_absolute():
            return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):
        pass
    return str(file)


@dataclass
class ContentError(Exception):
    """A problem in the user's content (YAML, data files, templates, images)."""

    message: str
    location: Location = field(default_factory=Location)
    hint: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        head = str(self.location)
        text = f"{head}: {self.message}" if head else self.message
        text += excerpt(self.location)
        if self.hint:
            text += f"\n  {self.hint}"
        return text


class ContentErrors(ContentError):
    """Several content errors found in one pass (validation reports them all)."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def at(file: str | Path | None = None, line: int | None = None, column: int | None = None,
       path: str | None = None) -> Location:
    """Shorthand for building a Location."""
    return Location(str(file) if file is not None else None, line, column, path)


class EnvironmentFault(Exception):
    """A problem with the machine, not the content (history database locked, disk full…): exit status 1."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint

    def __str__(self) -> str:
        return self.message + (f"\n  {self.hint}" if self.hint else "")


# ---- the source line under a message, with a caret (as Typst, Quarto and rustc show it) ----

_SOURCE_SUFFIXES = {".yaml", ".yml", ".md", ".markdown", ".csv", ".txt", ".json"}
_lines_cache: dict[tuple[str, float], list[str]] = {}


def source_line(file: str, line: int) -> str | None:
    """Line `line` (1-based) of a text file, or None (unreadable, binary, not there)."""
    path = Path(file)
    if path.suffix.lower() not in _SOURCE_SUFFIXES:
        return None
    try:
        key = (str(path), path.stat().st_mtime)
        lines = _lines_cache.get(key)
        if lines is None:
            raw = path.read_bytes()
            if len(raw) > 8 * 1024 * 1024:
                return None
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    lines = raw.decode(encoding).splitlines()
                    break
                except UnicodeDecodeError:
                    continue
            else:
                return None
            _lines_cache[key] = lines
    except OSError:
        return None
    return lines[line - 1] if 0 < line <= len(lines) else None


def width(text: str) -> int:
    """Columns `text` takes in a terminal: Chinese characters and full-width forms take two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def token_length(text: str, start: int) -> int:
    """How many characters the caret underlines from `start`: a quoted string, or a word up to , ] } # or a space."""
    if start >= len(text):
        return 1
    quote = text[start]
    if quote in "：:":
        return 1
    if quote in "\"'":
        end = text.find(quote, start + 1)
        return (end - start + 1) if end > start else len(text) - start
    end = start
    while end < len(text) and text[end] not in " \t,]}#" and not (text[end] == ":" and end + 1 < len(text)
                                                                   and text[end + 1] == " "):
        end += 1
    return max(1, end - start)


def excerpt(location: Location) -> str:
    """The source line of a location and a caret line under the spot; "" when the line cannot be shown."""
    if not (location.file and location.line):
        return ""
    text = source_line(location.file, location.line)
    if text is None:
        return ""
    text = text.replace("\t", " ")
    if len(text) > 160:
        return ""
    number = str(location.line)
    pad = " " * len(number)
    out = f"\n  {pad} |\n  {number} | {text}"
    if location.column and location.column <= len(text) + 1:
        start = location.column - 1
        n = token_length(text, start)
        out += f"\n  {pad} | " + " " * width(text[:start]) + "^" * max(1, width(text[start:start + n]))
    return out
