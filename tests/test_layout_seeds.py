"""The seed pages set by the engine, judged by ../shared/tools/cjkcheck.py and looseness.py.

Skips when ../shared (seeds and checkers) is not beside the repository (BRIEFING_SHARED points
elsewhere).
"""
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BRIEFING_SHARED", ROOT / ".." / "shared"))
CHECKER = SHARED / "tools" / "cjkcheck.py"
LOOSENESS = SHARED / "tools" / "looseness.py"
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


def looseness(pdf, source):
    """looseness.py's summary line as numbers: loose>0.10, loose>0.25, max_hanhan_gap_em, hl_out."""
    out = subprocess.run([sys.executable, str(LOOSENESS), str(pdf), "--source", str(source)],
                         capture_output=True, text=True, check=True).stdout
    got = dict(re.findall(r"(\S+)=([0-9.]+)", out.strip().splitlines()[-1]))
    return {k: float(v) for k, v in got.items()}


# (characters per line, columns): the 专刊 body, two columns of A4, a wide column, one column of A4
@pytest.mark.parametrize("chars,columns", [(17, 1), (20, 2), (27, 1), (42, 1)])
def test_seed_document_passes_cjkcheck_and_is_evenly_spaced(tools, tmp_path, chars, columns):
    seed_doc, cjkcheck = tools
    out = tmp_path / f"seed{chars}.pdf"
    paras = seed_doc.build(out, columns=columns, chars=chars)
    res = cjkcheck.analyse(str(out), None, str(paras))
    for key in ("start_violations", "end_violations", "split_pairs", "ragged", "overfull", "text_lost", "lone_tail"):
        assert res[key] == 0, (key, res["examples"].get(key))
    assert res["loose_punct"] <= 0.05 * max(res["punct_pairs"], 1)
    assert abs(res["hanlatin_gap_em"] - 0.25) <= 0.05
    assert res["lines"] > 250
    assert len(seed_doc.seed_paragraphs()) >= 60
    loose = looseness(out, paras)
    assert loose["hl_out"] == 0
    if chars <= 20:   # narrow columns: no line letter-spaced past 1/4 em, two at most past 1/10 em
        assert loose["loose>0.25"] == 0 and loose["loose>0.10"] <= 2, loose
        assert loose["max_hanhan_gap_em"] <= 0.25, loose
    else:
        assert loose["loose>0.10"] == 0, loose


def test_edge_paragraphs_in_a_17_character_column(tools, tmp_path):
    seed_doc, cjkcheck = tools
    out = tmp_path / "edge.pdf"
    paras = seed_doc.build(out, columns=1, paras=seed_doc.EDGE, chars=17)
    res = cjkcheck.analyse(str(out), None, str(paras))
    for key in ("start_violations", "end_violations", "split_pairs", "ragged", "overfull", "text_lost", "lone_tail"):
        assert res[key] == 0, (key, res["examples"].get(key))
    loose = looseness(out, paras)
    assert loose["hl_out"] == 0
    assert loose["loose>0.25"] == 0 and loose["max_hanhan_gap_em"] <= 0.25, loose
    assert loose["loose>0.10"] <= 2, loose


@pytest.mark.parametrize("template", ["jianbao", "zhuankan", "report"])
def test_sample_in_every_page_form_is_evenly_spaced(tools, tmp_path, template):
    from briefing import build

    _, cjkcheck = tools
    result = build(ROOT / "content" / "briefing.yaml", tmp_path, template=template)
    res = cjkcheck.analyse(str(result.pdf))
    for key in ("start_violations", "end_violations", "split_pairs", "ragged", "overfull"):
        assert res[key] == 0, (key, res["examples"].get(key))
    out = subprocess.run([sys.executable, str(LOOSENESS), str(result.pdf)], capture_output=True, text=True,
                         check=True).stdout
    loose = {k: float(v) for k, v in re.findall(r"(\S+)=([0-9.]+)", out.strip().splitlines()[-1])}
    assert loose["loose>0.25"] == 0 and loose["hl_out"] == 0, loose
