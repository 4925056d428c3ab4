"""A corpus of broken inputs: each gives a located, helpful message, exit status 2, and no traceback.

Every case starts from one valid small briefing and breaks one thing. The
expected location is the file, line and column a user must look at; the
expected words are what tells them what is wrong (and, where possible, what
is allowed or what they probably meant).
"""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

from briefing import ContentError, build
from briefing.cli import main

import kit

BASE = kit.briefing_yaml(sections=textwrap.dedent("""\
    sections:
      - id: intro
        title: 概况
        blocks:
          - paragraph: "产值{{ gdp['合计'].产值 | num(1) }}亿元。"
          - chart:
              type: bar
              data: gdp
              x: 行业
              y: 产值
              title: 主要行业产值
      - id: more
        title: 其他
        blocks:
          - bullets: [第一项, 第二项]
    """))
CSV = kit.GDP_CSV

# name, (old, new) replacements in briefing.yaml or a callable on the folder, location, words in the message
CASES = [
    ("yaml-syntax-quote", ('"产值{{', '"产值{{ "'), r"briefing\.yaml:11:", "YAML 语法错误"),
    ("yaml-tab-indent", ("    title: 概况", "\ttitle: 概况"), r"briefing\.yaml:9:", "YAML 语法错误"),
    ("yaml-duplicate-key", ("issue: 3\n", "issue: 3\nissue: 4\n"), r"briefing\.yaml:3:1", "重复"),
    ("top-level-list", (None, "- a\n- b\n"), r"briefing\.yaml:1:1", "顶层应是映射"),
    ("missing-title", ("title: 测试简报\n", ""), r"briefing\.yaml:1:1 title", "缺少必填字段“title”"),
    ("missing-sections", ("sections:", "sectionz:"), r"briefing\.yaml:7:1 sectionz", "您是不是要写“sections”"),
    ("unknown-top-key", ("issue: 3", "isue: 3"), r"briefing\.yaml:2:1 isue", "您是不是要写“issue”"),
    ("issue-not-int", ("issue: 3", "issue: 三"), r"briefing\.yaml:2:8 issue", "应为整数"),
    ("issue-negative", ("issue: 3", "issue: -1"), r"briefing\.yaml:2:8 issue", "超出范围"),
    ("bad-date", ("date: 2026-11-01", "date: 2026-13-01"), r"briefing\.yaml:3:7 date", "日期“2026-13-01”不存在"),
    ("impossible-date", ("date: 2026-11-01", "date: 2026-02-30"), r"briefing\.yaml:3:7", "2026-02-30"),
    ("unknown-template", ("issuer: 测试单位", "issuer: 测试单位\ntemplate: jianbo"), r"briefing\.yaml:5:11 template",
     "您是不是要写“jianbao”"),
    ("section-id-bad-chars", ("id: intro", "id: 概况"), r"briefing\.yaml:8:9 sections\[0\]\.id", "只能用字母"),
    ("duplicate-section-id", ("id: more", "id: intro"), r"briefing\.yaml:18:9 sections\[1\]\.id", "重复"),
    ("unknown-block-type", ("- bullets:", "- bulets:"), r"briefing\.yaml:21:9 sections\[1\]\.blocks\[0\]",
     "您是不是要写“bullets”"),
    ("unknown-chart-key", ("x: 行业", "xx: 行业"), r"briefing\.yaml:15:11 sections\[0\]\.blocks\[1\]\.chart\.xx",
     "未知字段“xx”"),
    ("unknown-chart-type", ("type: bar", "type: bars"), r"briefing\.yaml:13:17 sections\[0\]\.blocks\[1\]\.chart\.type",
     "您是不是要写“bar”"),
    ("chart-missing-y", ("          y: 产值\n", ""), r"briefing\.yaml:13:11 sections\[0\]\.blocks\[1\]\.chart\.y",
     "缺少必填字段“y”"),
    ("bullets-not-list", ("- bullets: [第一项, 第二项]", "- bullets: 第一项"), r"briefing\.yaml:21:18 sections\[1\]\.blocks\[0\]\.bullets", "应为列表"),
    ("paragraph-not-text", ('- paragraph: "产值{{ gdp[\'合计\'].产值 | num(1) }}亿元。"', "- paragraph: [1, 2]"),
     r"briefing\.yaml:11:20 sections\[0\]\.blocks\[0\]\.paragraph", "应为文字"),
    ("missing-data-file", ("gdp: data/gdp.csv", "gdp: data/gpd.csv"), r"briefing\.yaml:6:8 data\.gdp", "找不到文件"),
    ("data-path-escape", ("gdp: data/gdp.csv", "gdp: ../../etc/passwd"), r"briefing\.yaml:6:8 data\.gdp", "内容目录之外"),
    ("data-absolute-path", ("gdp: data/gdp.csv", "gdp: /etc/passwd"), r"briefing\.yaml:6:8 data\.gdp", "绝对路径"),
    ("unknown-data-format", ("gdp: data/gdp.csv", "gdp: briefing.yaml"), r"briefing\.yaml:6:8 data\.gdp", "不支持的数据文件格式"),
    ("chart-unknown-dataset", ("data: gdp", "data: gpd"), r"briefing\.yaml:14:17 sections\[0\]\.blocks\[1\]\.chart\.data",
     "您是不是要写“gdp”"),
    ("chart-missing-column", ("y: 产值", "y: 产量"), r"briefing\.yaml:16:14 sections\[0\]\.blocks\[1\]\.chart\.y", "没有列“产量”"),
    ("chart-non-numeric", ("y: 产值", "y: 行业"), r"gdp\.csv:2:1 data\.gdp", "列“行业”第1个数据行不是数值：“汽车”"),
    ("template-syntax", ("{{ gdp['合计'].产值 | num(1) }}", "{{ gdp['合计'].产值 | num(1) }"),
     r"briefing\.yaml:11:20 sections\[0\]\.blocks\[0\]\.paragraph", "模板语法错误"),
    ("template-undefined-var", ("{{ gdp['合计']", "{{ gpd['合计']"), r"briefing\.yaml:11:26", "您是不是要写“gdp”"),
    ("template-missing-column", ("合计'].产值", "合计'].产量"), r"briefing\.yaml:11:36", "您是不是要写“产值”"),
    ("template-missing-row", ("gdp['合计']", "gdp['总计']"), r"briefing\.yaml:11:31", "没有“总计”这一行"),
    ("template-unknown-filter", ("| num(1)", "| numb(1)"), r"briefing\.yaml:11:20", "numb"),
    ("template-sandbox", ("{{ gdp['合计'].产值 | num(1) }}", "{{ gdp.__class__.__mro__ }}"), r"briefing\.yaml:11:20",
     "不允许"),
    ("include-missing", ("  - id: more\n    title: 其他\n    blocks:\n      - bullets: [第一项, 第二项]\n",
                         "  - include: sections/more.yaml\n"), r"briefing\.yaml:18:14 sections\[1\]\.include",
     "找不到文件"),
    ("only-unknown-section", ("", ""), r"--only", "您是不是要写“intro”"),
    ("set-bad-date", ("", ""), r"--set date", "日期"),
    ("keyfigures-empty", ("- bullets: [第一项, 第二项]", "- keyfigures: []"), r"briefing\.yaml:21:21 sections\[1\]\.blocks\[0\]\.keyfigures",
     "条目数量不对"),
    # slips a Chinese input method makes, and indentation
    ("fullwidth-colon", ("issuer: 测试单位", "issuer： 测试单位"), r"briefing\.yaml:4:7", "全角冒号"),
    ("fullwidth-colon-in-chart", ("          title: 主要行业产值", "          title：主要行业产值"),
     r"briefing\.yaml:17:16", "全角冒号"),
    ("no-space-after-colon", ("issuer: 测试单位", "issuer:测试单位"), r"briefing\.yaml:4:7", "缺少空格"),
    ("width-too-shallow", ("          title: 主要行业产值\n", "          title: 主要行业产值\n        width: full\n"),
     r"briefing\.yaml:18:9 sections\[0\]\.blocks\[1\]\.width", "再缩进 2 个空格"),
    ("quotes-inside-quotes", ('- paragraph: "产值', '- paragraph: "日期{{ doc.date | cndate("month") }}，产值'),
     r"briefing\.yaml:11:", "外层改用单引号"),
    ("section-key-typo", ("    blocks:\n      - paragraph", "    block:\n      - paragraph"), r"briefing\.yaml:10:5",
     "您是不是要写“blocks”"),
    # every column and data set a block names is checked (by validate too)
    ("chart-missing-x-column", ("x: 行业", "x: 行当"), r"briefing\.yaml:15:14 sections\[0\]\.blocks\[1\]\.chart\.x",
     "您是不是要写“行业”"),
    ("table-missing-column", ("- bullets: [第一项, 第二项]", "- table: {data: gdp, columns: [行业, 产量]}"),
     r"briefing\.yaml:21:42 sections\[1\]\.blocks\[0\]\.table\.columns\[1\]", "data/gdp.csv"),
    ("table-unknown-dataset", ("- bullets: [第一项, 第二项]", "- table: {data: gd}"),
     r"briefing\.yaml:21:23 sections\[1\]\.blocks\[0\]\.table\.data", "您是不是要写“gdp”"),
    ("sparkline-missing-column", ("- bullets: [第一项, 第二项]",
                                  "- keyfigures: [{label: 产值, value: 1, trend: {data: gdp, column: 产量}}]"),
     r"briefing\.yaml:21:71 .*trend\.column", "您是不是要写“产值”"),
    ("sparkline-unknown-dataset", ("- bullets: [第一项, 第二项]",
                                   "- keyfigures: [{label: 产值, value: 1, trend: {data: gpd, column: 产值}}]"),
     r"briefing\.yaml:21:58 .*trend\.data", "您是不是要写“gdp”"),
    ("csv-unknown-encoding", (None, None), r"gdp\.csv", "GBK/GB18030"),
]

EXTRA_ARGS = {"only-unknown-section": ["--only", "intra"], "set-bad-date": ["--set", "date=2026-99-01"]}


def make(folder, case):
    name, (old, new), *_ = case
    text = BASE if old is None and new is None else (new if old is None else BASE.replace(old, new, 1))
    if old is not None:
        assert old == "" or old in BASE, old
    # a byte that is neither UTF-8 nor GBK at the end of the data file
    files = {"data/gdp.csv": CSV.encode("utf-8")[:-3] + b"\x81\x20\n"} if name == "csv-unknown-encoding" else None
    return kit.write(folder, yaml_text=text, files=files)


def test_the_base_briefing_is_valid(tmp_path):
    result = build(make(tmp_path, ("base", ("", ""))), tmp_path / "out")
    assert result.pages >= 1


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_broken_input_is_located_and_explained(tmp_path, case, capsys):
    name, _change, location, words = case
    src = make(tmp_path, case)
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.pdf").write_bytes(b"previous")
    code = main(["build", str(src), "-o", str(out), *EXTRA_ARGS.get(name, [])])
    err = capsys.readouterr().err
    assert code == 2, err
    assert re.search(location, err), err
    assert words in err, err
    assert "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["briefing.pdf"]
    assert (out / "briefing.pdf").read_bytes() == b"previous"


def test_validate_reports_without_building(tmp_path, capsys):
    src = make(tmp_path, CASES[6])
    assert main(["validate", str(src)]) == 2
    assert "isue" in capsys.readouterr().err
    good = make(tmp_path, ("base", ("", "")))
    assert main(["validate", str(good)]) == 0


def test_english_messages_with_lang_en(tmp_path):
    src = make(tmp_path, CASES[6])
    run = subprocess.run([sys.executable, "-m", "briefing", "--lang", "en", "build", str(src), "-o",
                          str(tmp_path / "o")], capture_output=True, text=True)
    assert run.returncode == 2
    assert "Unknown field “isue”" in run.stderr and "Did you mean “issue”?" in run.stderr, run.stderr


def test_english_locale_switches_language(tmp_path):
    src = make(tmp_path, CASES[6])
    env = {"PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8", "BRIEFING_CACHE_DIR": str(tmp_path / "c")}
    run = subprocess.run([sys.executable, "-m", "briefing", "validate", str(src)], capture_output=True, text=True,
                         env=env)
    assert run.returncode == 2 and "Unknown field" in run.stderr, run.stderr


def test_content_error_is_an_exception_with_location(tmp_path):
    src = make(tmp_path, CASES[8])
    with pytest.raises(ContentError) as e:
        build(src, tmp_path / "out")
    assert "briefing.yaml:2:8" in str(e.value)
