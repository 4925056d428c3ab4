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


# Hard cases for a narrow column, written for this test: URLs, e-mail, units, Latin words,
# numbers, nested quotes, names with middle dots.
EDGE = [
    "详细的投资指南已发布在两江新区官方网站www.liangjiang.gov.cn的“投资服务”栏目，完整网址为"
    "https://www.liangjiang.gov.cn/tzfw/2021/guide.html?lang=zh&page=2，欢迎企业查阅。",
    "欢迎读者对果园港物流枢纽建设提出意见和建议，来信请发送至ljxq_tzj@163.com或"
    "guoyuangang-wuliu@liangjiang.gov.cn，编辑部将在五个工作日内回复。",
    "监测数据显示，新区上半年细颗粒物平均浓度为28微克/立方米，同比下降3.4%；港区内货运车辆限速30km/h，"
    "智能闸口识别速度达到12次/秒，钢材到港均价约4150元/吨。",
    "新区引进的企业中，有一家专注于semiconductor packaging的研发机构，另一家从事e-commerce和"
    "cross-border logistics，两家都已在两江协同创新区落户。",
    "2019年，果园港完成货物吞吐量1309万吨，同比增长22.8%；今年上半年的吞吐量达到1054万吨，"
    "外贸进出口额1,355亿元，占全市的比重提高到16.3%。",
    "“‘十四五’开局之年，我们要把‘制造’变成‘智造’。”一位企业负责人说，“《关于高标准打造两江协同创新区的"
    "意见》出台后，我们的信心更足了。”",
    "德国物理学家阿尔伯特·爱因斯坦的一句名言印在创新区展厅的墙上，展厅旁的咖啡馆则以列奥纳多·达·芬奇命名，"
    "日本客商称之为レオナルド・ダ・ヴィンチ。",
]


def test_edge_paragraphs_in_a_17_character_column(tools, tmp_path):
    seed_doc, cjkcheck = tools
    out = tmp_path / "edge.pdf"
    paras = seed_doc.build(out, columns=1, paras=EDGE, chars=17)
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
