"""On-disk chart cache: one file per chart, keyed by what the chart depends on.

Key = sha256 over (plan = validated spec + the data values actually drawn,
theme, width, font identity, RENDERER_VERSION, a hash of the chart stage's code). The entry is the pickled
ReportLab Drawing: loading it is ~20x cheaper than re-parsing the SVG with
svglib (see briefing/charts/__init__.py for numbers). Writes go to a temp
file in the same directory followed by os.replace, so concurrent builds never
see a half-written entry; an unreadable entry counts as a miss and is
overwritten.

The cache directory must be private to the user (pickle). It defaults to
$BRIEFING_CACHE_DIR/charts if set, else ~/.cache/briefing/charts.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path

from reportlab.graphics.shapes import Drawing

from ..resources import cache_dir

try:
    import fcntl
except ImportError:         # Windows: no flock; parallel builds may then draw a shared chart twice
    fcntl = None  # type: ignore[assignment]

RENDERER_VERSION = "briefing-charts/2"      # margins fitted to the measured text
SUFFIX = ".rlg.pickle"


def default_dir() -> Path:
    return cache_dir("charts")


@functools.lru_cache(maxsize=1)
def code_identity() -> str:
    """A hash of the code that draws: a new version of briefing (new margins, new label rules) never
    reuses an old drawing."""
    return folder_identity(Path(__file__).resolve().parent)


def folder_identity(folder: Path) -> str:
    """A hash over every module of the chart stage, a module added later included."""
    digest = hashlib.sha256()
    for f in sorted(folder.glob("*.py")):
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]


def drawer_identity(draw) -> str:
    """The drawing function of a chart type: a registered type's own code changes its drawings too."""
    if isinstance(draw, str):
        return draw
    code = getattr(draw, "__code__", None)
    body = hashlib.sha256(code.co_code + repr(code.co_consts).encode()).hexdigest()[:16] if code else ""
    return f"{getattr(draw, '__module__', '')}:{getattr(draw, '__qualname__', repr(draw))}:{body}"


def key(plan_key: dict, theme_key: dict, width: float, font_identity: str, drawer: str = "") -> str:
    payload = json.dumps(
        {"v": RENDERER_VERSION, "code": code_identity(), "plan": plan_key, "theme": theme_key,
         "width": round(float(width), 3), "fonts": font_identity, "drawer": drawer},
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _path(cache_dir: Path, k: str) -> Path:
    return Path(cache_dir) / k[:2] / (k + SUFFIX)


def load(cache_dir: Path, k: str):
    """The cached Drawing, or None on a miss or an unreadable entry."""
    p = _path(cache_dir, k)
    try:
        with open(p, "rb") as f:
            obj = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - corrupt/truncated/foreign entry: rebuild it
        return None

    return obj if isinstance(obj, Drawing) else None


def store(cache_dir: Path, k: str, drawing) -> None:
    """Atomically write an entry; cache problems never fail a build."""
    p = _path(cache_dir, k)
    tmp = None
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=p.parent)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(drawing, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, p)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


@contextlib.contextmanager
def locked(cache_dir: Path | None, keys: list[str]) -> Iterator[None]:
    """Hold a lock per cache key while those charts are drawn, so that builds running side by side (batch
    workers, a scheduler beside a hand build) draw each chart once: the second waits, then finds it cached.
    Keys are locked in sorted order (no two builds can wait on each other); nothing is locked where the
    platform has no flock or the cache folder cannot be written (a cache problem never fails a build)."""
    if cache_dir is None or fcntl is None or not keys:
        yield
        return
    with contextlib.ExitStack() as stack:
        for k in sorted(set(keys)):
            try:
                p = _path(cache_dir, k)
                p.parent.mkdir(parents=True, exist_ok=True)
                f = stack.enter_context(open(p.with_suffix(".lock"), "a+b"))
                fcntl.flock(f, fcntl.LOCK_EX)
            except OSError:
                continue
        yield

