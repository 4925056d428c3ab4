"""Shared fixtures: one build of the sample per test session, in a temporary folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

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
