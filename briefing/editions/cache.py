"""What the HTML edition makes again and again, kept in the chart cache's folder.

Subset fonts (a second or more per face) and chart SVGs are keyed by everything
they depend on (the font file, the characters; the chart's plan, theme, width,
fonts) and written atomically; a cache problem never fails a build.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from ..charts import cache as charts_cache
from .output import write_atomic


def folder(cache_dir) -> Path | None:
    if cache_dir is False:
        return None

    return Path(cache_dir) if cache_dir is not None else charts_cache.default_dir()


def key(**parts) -> str:
    text = json.dumps({"v": "briefing-editions/1", **parts}, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached(cache_dir, k: str, suffix: str, make: Callable[[], bytes]) -> bytes:
    root = folder(cache_dir)
    path = root / k[:2] / (k + suffix) if root is not None else None
    if path is not None:
        try:
            return path.read_bytes()
        except OSError:
            pass
    data = make()
    if path is not None:
        try:
            write_atomic(path, data)
        except OSError:
            pass
    return data


def file_identity(path: Path) -> str:
    st = Path(path).stat()
    return f"{Path(path).name}:{st.st_size}:{st.st_mtime_ns}"
