"""`validate` is `build` minus writing: over the corpus of broken briefings it fails exactly when `build`
does, with the same message — file:line:col, the source line with a caret under the spot, and a suggestion
where a near name exists."""
from __future__ import annotations

import re

import pytest
from test_content_errors import BY_NAME, CASES, make

from briefing.cli import main

CARET = re.compile(r"^ +\d+ \| .*\n +\| +\^+$", re.M)


def _run(args, capsys) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_validate_and_build_agree(tmp_path, case, capsys):
    src = make(tmp_path, case)
    extra = case.get("args", [])
    v_code, v_err = _run(["validate", str(src), *extra], capsys)
    b_code, b_err = _run(["build", str(src), "-o", str(tmp_path / "out"), *extra], capsys)
    assert (v_code, b_code) == (2, 2), (v_err, b_err)
    assert v_err == b_err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    if case.get("source_line", True):      # not for the command line's faults, nor a whole file's
        assert CARET.search(v_err), v_err


def test_a_valid_briefing_passes_both(tmp_path, capsys):
    src = make(tmp_path)
    assert _run(["validate", str(src)], capsys)[0] == 0
    assert _run(["build", str(src), "-o", str(tmp_path / "out")], capsys)[0] == 0


def test_the_caret_sits_under_the_misspelt_column(tmp_path, capsys):
    src = make(tmp_path, BY_NAME["chart-missing-column"])
    _code, err = _run(["validate", str(src)], capsys)
    source, caret = next(m.group(0) for m in CARET.finditer(err)).splitlines()
    text = source.split("| ", 1)[1]
    marks = caret.split("| ", 1)[1]
    start = marks.index("^")
    # 产量 is two characters wide each in a terminal: the caret covers both, and starts under 产
    assert marks.count("^") == 4
    wide_before = sum(2 if ord(c) > 0x2e80 else 1 for c in text[:text.index("产量")])
    assert start == wide_before
    assert "您是不是要写“产值”" in err and "gdp.csv" in err and "行业、产值、上年" in err
