"""The 专刊 sample (content/zhuankan/): written anew from the facts of the seed pages, never copied.

The copy check needs the seed pages in ../shared/seeds (BRIEFING_SHARED points elsewhere) and skips
with a reason when they are not beside the repository."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from briefing.content.walk import strings

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "zhuankan"
SHARED = Path(os.environ.get("BRIEFING_SHARED", ROOT / ".." / "shared"))
SEEDS = SHARED / "seeds"
RUN = 20          # no run of this many characters of the sample may appear in a seed page


def squeeze(text: str) -> str:
    # the seed pages are broken into lines mid-sentence: compare without any white space
    return re.sub(r"\s+", "", text)


def sample_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted(SAMPLE.rglob("*.yaml")):
        out += [(path.name, squeeze(t)) for t in strings(yaml.safe_load(path.read_text(encoding="utf-8")))]
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



# --- the sample as built -----------------------------------------------------------------------

ARTICLES = {   # headline line -> byline or signature printed under it
    "制造业挑起增长大梁": "本报记者 张某",
    "汽车产业向高端智能绿色加速迈进": "本报记者 李某",
    "电子信息产业半年产值首破千亿元": "本报记者 刘某",
    "工业互联网为智能制造“赋能”": "本报记者 陈某",
    "既要跑得快 更要跑得稳": "本报评论员",
    "通道连陆海 平台聚四方": "本报记者 赵某",
    "三大科创平台集聚创新力量": "本报记者 孙某",
    "“百园之城”里的幸福生活": "本报记者 周某",
    "两江天府“双引擎”同频共振": "本报记者 吴某",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("zhuankan")
    run = subprocess.run([sys.executable, "-m", "briefing", "build", "--sample", "zhuankan", "-o", str(out), "-q"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return out / "sample-zhuankan.pdf"


@pytest.fixture(scope="module")
def pages(built):
    import pdfplumber

    with pdfplumber.open(built) as pdf:
        yield [(p.width, p.height, p.extract_text(), p) for p in pdf.pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_two_a3_pages_under_the_banner(pages):
    assert len(pages) == 2
    for (width, height, text, _p), edition in zip(pages, ("第9版", "第10版")):
        assert (round(width), round(height)) == (842, 1191)        # A3
        assert "重庆日报" in text and "两江新区专版" in text and edition in flat(text)


def test_every_article_has_its_headline_and_byline(pages):
    text = flat("".join(t for _w, _h, t, _p in pages))
    for headline, byline in ARTICLES.items():
        assert flat(headline) in text, headline
        assert flat(byline) in text, byline
    assert "数读" in text and "评论" in text


def test_four_articles_a_page(pages):
    for number, (_w, _h, text, _p) in enumerate(pages):
        found = [h for h in ARTICLES if flat(h) in flat(text)]
        assert len(found) >= 4, (number + 1, found)


def test_no_report_numbering_in_the_newspaper(pages):
    for _w, _h, text, _p in pages:
        assert not re.search(r"(^|\n)\s*[一二三四五六七八九十]+、", text)
        assert not re.search(r"（[一二三四五六七八九十]+）", text)


def test_the_sample_has_its_charts(pages):
    text = flat("".join(t for _w, _h, t, _p in pages))
    numbers = set(re.findall(r"图(\d)", text))
    assert len(numbers) >= 3, numbers


def test_the_lead_headline_is_the_largest_type(pages):
    _w, _h, _text, page = pages[0]
    sizes = {}
    for c in page.chars:
        sizes.setdefault(round(c["size"]), []).append(c["text"])
    largest = max(sizes)
    assert largest >= 36 and "制造业挑起增长大梁" in "".join(sizes[largest])


def test_a_sample_that_does_not_ship_is_named(tmp_path):
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "briefing", "build", "--sample", "nosuch", "-o", str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "nosuch" in run.stderr and "zhuankan" in run.stderr
    assert "Traceback" not in run.stderr and not any(tmp_path.iterdir())


def test_the_checkers_find_no_fault(built):
    tools = SHARED / "tools"
    if not (tools / "pagecheck.py").is_file():
        pytest.skip(f"the page checkers are not beside the repository ({tools}); set BRIEFING_SHARED")
    import subprocess
    import sys

    for tool in ("pagecheck.py", "cjkcheck.py"):
        run = subprocess.run([sys.executable, str(tools / tool), str(built)], capture_output=True, text=True)
        assert run.stdout.strip().splitlines()[-1].startswith("faults=0"), (tool, run.stdout[-600:])
