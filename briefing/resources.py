"""Where the files that ship with briefing are: fonts, the sample briefing, the docs.

They live in the repository's top-level folders (fonts/, content/, docs/) and are
reached through ``briefing/bundled/``, whose entries link to those folders. A wheel
copies the linked files into the package, so the same path works in a source
checkout, an editable install and a normal (or pipx) install.
"""
from __future__ import annotations

import os
from pathlib import Path

BUNDLED: Path = Path(__file__).resolve().parent / "bundled"


def resource(*parts: str) -> Path:
    """The path of a bundled file or folder: ``resource("fonts")``,
    ``resource("sample", "briefing.yaml")``, ``resource("docs", "content.md")``."""
    return BUNDLED.joinpath(*parts)


def cache_dir(kind: str) -> Path:
    """The user's cache folder for one kind of entry ("charts", "data", "locale"):
    $BRIEFING_CACHE_DIR/KIND if set, else $XDG_CACHE_HOME/briefing/KIND or ~/.cache/briefing/KIND."""
    if os.environ.get("BRIEFING_CACHE_DIR"):
        return Path(os.environ["BRIEFING_CACHE_DIR"]) / kind
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "briefing" / kind
