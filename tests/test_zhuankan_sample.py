"""The 专刊 sample (content/zhuankan/): written anew from the facts of the seed pages, never copied.

The copy check needs the seed pages in ../shared/seeds (BRIEFING_SHARED points elsewhere) and skips
with a reason when they are not beside the repository."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "zhuankan"
SHARED = Path(os.environ.get("BRIEFING_SHARED", ROOT / ".." / "shared"))
SEEDS = SHARED / "seeds"
RUN = 20          # no run of this many characters of the sample may appear in a seed page


def texts(node):
    """Every string in a YAML tree."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from texts(value)


def squeeze(text: str) -> str:
    # the seed pages are broken into lines mid-sentence: compare without any white space
    return re.sub(r"\s+", "", text)


def sample_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted(SAMPLE.rglob("*.yaml")):
        out += [(path.name, squeeze(t)) for t in texts(yaml.safe_load(path.read_text(encoding="utf-8")))]
    return out


def test_the_sample_has_its_text():
    found = sample_texts()
    assert sum(len(t) for _name, t in found) > 4000       # two A3 pages of articles


def test_no_run_of_the_sample_is_copied_from_the_seed_pages():
    pages = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not pages:
        pytest.skip(f"the seed pages are not beside the repository ({SEEDS}); set BRIEFING_SHARED")
    seeds = "".join(squeeze(p.read_text(encoding="utf-8")) for p in pages)
    copied = [(name, text[i:i + RUN]) for name, text in sample_texts()
              for i in range(len(text) - RUN + 1) if text[i:i + RUN] in seeds]
    assert not copied, f"copied from the seed pages: {copied[:5]}"

