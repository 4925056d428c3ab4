"""Walk a document's blocks in reading order, with their YAML paths, and the strings of a plain tree."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .schema import Block, Document
    from .yamlload import FieldPath


def blocks(doc: Document) -> Iterator[tuple[FieldPath, Block, int]]:
    """(yaml path, block, number of side-by-side columns it sits in) for every block, nested ones too."""
    for s, section in enumerate(doc.sections):
        yield from _walk(section.blocks, ("sections", s, "blocks"), 1)


def _walk(items: list[Block], path: FieldPath, ncols: int) -> Iterator[tuple[FieldPath, Block, int]]:
    for i, block in enumerate(items):
        here = path + (i,)
        yield here, block, ncols
        cols = getattr(block, "columns", None)
        if isinstance(cols, list):
            for c, col in enumerate(cols):
                yield from _walk(col, here + ("columns", c), ncols * len(cols))


def strings(node: object) -> Iterator[str]:
    """Every string in a tree of mappings, lists and tuples (a loaded YAML file, a model's dump), in order."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from strings(value)
