"""Shared fixtures: one build of the sample per test session, in a temporary folder; small briefings
written into a test's own folder (see kit.py)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import kit

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLE = REPO / "content" / "briefing.yaml"


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory):
    # tests never touch the user's cache
    os.environ["BRIEFING_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    from briefing import build

    out = tmp_path_factory.mktemp("out")
    return build(SAMPLE, out)


@pytest.fixture(scope="session")
def sample_pdf(sample_build):
    import pdfplumber

    with pdfplumber.open(sample_build.pdf) as pdf:
        yield pdf


@pytest.fixture
def write_briefing(tmp_path):
    """write_briefing(blocks, **options) -> the path of a small briefing.yaml in this test's folder.

    The options are those of kit.write: yaml_text, data, csv, files.
    """
    def write(blocks: str = kit.ONE_PARAGRAPH, **options) -> Path:
        return kit.write(tmp_path, blocks, **options)

    return write
