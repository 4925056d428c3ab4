"""Copy the archive to other folders (a share, a web server's folder): `publish:` in the schedule.

Each target gets every archived issue (the PDF and its other formats), the
covers and the index files. A file already there with the same size and
modification time is left alone; nothing is ever deleted from a target, so
retention (`keep: N`) in the output folder never removes a published issue.
Each copy is written under a temporary name and renamed: a reader of the
share never sees half a file.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import COVERS, FEED, INDEX_HTML, INDEX_JSON, Archive


def files_of(archive: Archive) -> list[Path]:
    """Every file of the archive, relative to its folder."""
    names: list[str] = []
    for issue in archive.issues:
        names.append(issue.file)
        names += [f["file"] for f in issue.formats]
        if issue.cover:
            names.append(issue.cover)
    names += [INDEX_HTML, INDEX_JSON, FEED]
    return [Path(n) for n in names if not n.startswith("..")]


def publish(archive: Archive, target: str | Path) -> list[Path]:
    """Copy what changed to `target`; return the files copied."""
    target = Path(target)
    copied = []
    for rel in files_of(archive):
        src, dst = archive.folder / rel, target / rel
        if not src.is_file():
            continue
        st = src.stat()
        if dst.is_file() and dst.stat().st_size == st.st_size and int(dst.stat().st_mtime) == int(st.st_mtime):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(dst.name + ".part")
        shutil.copy2(src, tmp)
        os.replace(tmp, dst)
        copied.append(dst)
    return copied


__all__ = ["publish", "files_of", "COVERS"]
