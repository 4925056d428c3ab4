"""The seed pages set by the engine, judged by ../shared/tools/cjkcheck.py.

Skips when ../shared (seeds and checker) is not beside the repository.
"""
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
CHECKER = SHARED / "tools" / "cjkcheck.py"
SEEDS = SHARED / "seeds"


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def tools():
    if not CHECKER.is_file() or not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip("../shared (seeds, cjkcheck) not present")
    pytest.importorskip("pdfplumber")
    sys.path.insert(0, str(ROOT))
    return _load("seed_doc", ROOT / "benchmarks" / "seed_doc.py"), _load("cjkcheck", CHECKER)


@pytest.mark.parametrize("columns", [1, 2])
def test_seed_document_passes_cjkcheck(tools, tmp_path, columns):
    seed_doc, cjkcheck = tools
    out = tmp_path / f"seed{columns}.pdf"
    paras = seed_doc.build(out, columns=columns)
    res = cjkcheck.analyse(str(out), None, str(paras))
    for key in ("start_violations", "end_violations", "split_pairs", "ragged", "overfull", "text_lost", "lone_tail"):
        assert res[key] == 0, (key, res["examples"].get(key))
    assert res["loose_punct"] <= 0.05 * max(res["punct_pairs"], 1)
    assert abs(res["hanlatin_gap_em"] - 0.25) <= 0.05
    assert res["lines"] > 250
    assert len(seed_doc.seed_paragraphs()) >= 60
