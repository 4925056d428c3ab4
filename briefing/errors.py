"""Errors a user can act on.

Every problem with the user's content becomes a ContentError that names the
file, line and column, the field's path in the YAML, what was found and what
is allowed. The CLI prints it and exits with status 2; nothing here ever
reaches the user as a Python traceback.
"""
from __future__ import annotations

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
            where = str(self.file)
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            parts.append(where)
        if self.path:
            parts.append(self.path)
        return " ".join(parts)


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
