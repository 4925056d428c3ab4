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

# each case breaks one thing in BASE: tests/cases/content_errors.yaml says what, and where and how it is reported
CASES = kit.cases("content_errors")
BY_NAME = {case["name"]: case for case in CASES}


def make(folder, case=None):
    """The briefing of `case` (BASE itself when None) written into `folder`."""
    case = case or {}
    text = case.get("text", BASE)
    if "replace" in case:
        assert case["replace"] in BASE, case["replace"]
        text = BASE.replace(case["replace"], case["with"], 1)
    # a byte that is neither UTF-8 nor GBK at the end of the data file
    files = {"data/gdp.csv": CSV.encode("utf-8")[:-3] + b"\x81\x20\n"} if case.get("csv_ends_in_bad_byte") else None
    return kit.write(folder, yaml_text=text, files=files)


def test_the_base_briefing_is_valid(tmp_path):
    result = build(make(tmp_path), tmp_path / "out")
    assert result.pages >= 1


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_broken_input_is_located_and_explained(tmp_path, case, capsys):
    src = make(tmp_path, case)
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.pdf").write_bytes(b"previous")
    code = main(["build", str(src), "-o", str(out), *case.get("args", [])])
    err = capsys.readouterr().err
    assert code == 2, err
    assert re.search(case["at"], err), err
    assert case["says"] in err, err
    assert "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["briefing.pdf"]
    assert (out / "briefing.pdf").read_bytes() == b"previous"


def test_validate_reports_without_building(tmp_path, capsys):
    src = make(tmp_path, BY_NAME["unknown-top-key"])
    assert main(["validate", str(src)]) == 2
    assert "isue" in capsys.readouterr().err
    good = make(tmp_path)
    assert main(["validate", str(good)]) == 0


def test_english_messages_with_lang_en(tmp_path):
    src = make(tmp_path, BY_NAME["unknown-top-key"])
    run = subprocess.run([sys.executable, "-m", "briefing", "--lang", "en", "build", str(src), "-o",
                          str(tmp_path / "o")], capture_output=True, text=True)
    assert run.returncode == 2
    assert "Unknown field “isue”" in run.stderr and "Did you mean “issue”?" in run.stderr, run.stderr


def test_english_locale_switches_language(tmp_path):
    src = make(tmp_path, BY_NAME["unknown-top-key"])
    env = {"PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8", "BRIEFING_CACHE_DIR": str(tmp_path / "c")}
    run = subprocess.run([sys.executable, "-m", "briefing", "validate", str(src)], capture_output=True, text=True,
                         env=env)
    assert run.returncode == 2 and "Unknown field" in run.stderr, run.stderr


def test_content_error_is_an_exception_with_location(tmp_path):
    src = make(tmp_path, BY_NAME["issue-negative"])
    with pytest.raises(ContentError) as e:
        build(src, tmp_path / "out")
    assert "briefing.yaml:2:8" in str(e.value)
