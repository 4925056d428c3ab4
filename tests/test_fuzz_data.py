"""Fuzzing what arrives through data files and theme values: random CSV/JSON/XLSX cells and random theme
overrides either build — with every cell's characters in the PDF — or fail with a located ContentError;
never another exception."""
from __future__ import annotations

import csv
import io
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import ContentError, build
from briefing.content import load
from briefing.data import resolve
from briefing.build import check_glyphs

from hostile_kit import briefing_yaml, make, pdf_text

CHECKS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
BUILDS = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))

# cells: Chinese, digits, punctuation, the troublemakers (controls, separators, emoji, huge numbers)
CELL = st.one_of(
    st.text(alphabet=st.sampled_from(list("汽车电子材料增长下降，。、（）%-.0123456789 ")), max_size=12),
    st.sampled_from(["1e308", "-0", "nan", "inf", "1,234", "12%", "9" * 50, "\u2028", "\x00", "😀", "𠀀",
                     "\u200b", "\ufeff", "\n", '"', "=1+1", "<b>x</b>"]),
    st.text(max_size=6),
)
TABLE = "      - table: {data: gdp}\n"


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([["行业", "产值"], *rows])
    return buf.getvalue()


def _checked(src) -> None:
    """The data stage and the text check, as validate runs them: pass, or a located ContentError."""
    try:
        check_glyphs(resolve(load(src)))
    except ContentError as e:
        assert str(e.location) or "\n" in str(e), str(e)


@CHECKS
@given(st.lists(st.tuples(CELL, CELL), min_size=1, max_size=5))
def test_random_csv_cells_are_checked_or_located(tmp_path_factory, rows):
    src = make(tmp_path_factory.mktemp("c"), briefing_yaml(blocks=TABLE), {"data/gdp.csv": _csv([list(r) for r in rows])})
    _checked(src)


@CHECKS
@given(st.lists(st.dictionaries(st.sampled_from(["行业", "产值", "😀", "\u2028", ""]),
                                st.one_of(CELL, st.integers(), st.floats(), st.none(), st.booleans(),
                                          st.lists(st.integers(), max_size=2)), min_size=1, max_size=3),
                min_size=1, max_size=4))
def test_random_json_records_are_checked_or_located(tmp_path_factory, records):
    src = make(tmp_path_factory.mktemp("j"), briefing_yaml(data="  gdp: data/gdp.json\n", blocks=TABLE),
               {"data/gdp.json": json.dumps(records, ensure_ascii=False)})
    _checked(src)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(CELL, st.one_of(CELL, st.integers(-10**6, 10**6), st.floats(allow_nan=False))),
                min_size=1, max_size=4))
def test_random_xlsx_cells_are_checked_or_located(tmp_path_factory, rows):
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    folder = tmp_path_factory.mktemp("x")
    src = make(folder, briefing_yaml(data="  gdp: data/gdp.xlsx\n", blocks=TABLE))
    wb = Workbook()
    try:
        for row in (["行业", "产值"], *rows):
            wb.active.append(list(row))
    except IllegalCharacterError:
        return      # openpyxl will not write it, so no workbook can hold it
    wb.save(src.parent / "data" / "gdp.xlsx")
    _checked(src)


THEME_VALUES = st.one_of(st.integers(-5, 500), st.floats(-10, 1000, allow_nan=False), st.booleans(), st.none(),
                         st.sampled_from(["三号", "小五", "12pt", "37mm", "-3mm", "9999mm", "big", "#c8161d", "#12",
                                          "accent", "red", "Helvetica", "serif", "sans-bold", "{cn}、", "{x}", "{n",
                                          "left", "middle", "false", "😀", ""]))
THEME_KEYS = st.sampled_from([("page", "columns"), ("page", "margin_top"), ("page", "margin_inner"),
                              ("page", "column_gap"), ("page", "size"), ("page", "mirror"), ("styles", "body", "size"),
                              ("styles", "body", "leading"), ("styles", "h1", "font"), ("styles", "h1", "number"),
                              ("styles", "body", "align"), ("styles", "body", "color"), ("colors", "accent"),
                              ("page_number", "format"), ("chart", "size"), ("page", "colums"),
                              ("styles", "body", "first_indent")])


def _nest(path: tuple, value) -> dict:
    out = value
    for k in reversed(path):
        out = {k: out}
    return out


@CHECKS
@given(THEME_KEYS, THEME_VALUES)
def test_random_theme_values_are_accepted_or_located(tmp_path_factory, key, value):
    from briefing.templates import load_theme

    src = make(tmp_path_factory.mktemp("t"), briefing_yaml(extra="theme: " + json.dumps(_nest(key, value),
                                                                                        ensure_ascii=False) + "\n"))
    try:
        content = load(src)
        resolved = resolve(content)
        check_glyphs(resolved)
        theme = load_theme(content.doc.template, content.doc.theme, None, None, positions=content.positions)
        theme.columns(theme.type_area(1))
        theme.style("body")
    except ContentError as e:
        assert "briefing.yaml:" in str(e), str(e)


@BUILDS
@given(st.lists(st.tuples(CELL, CELL), min_size=1, max_size=3), THEME_KEYS, THEME_VALUES)
def test_random_cells_and_theme_build_or_fail_located(tmp_path_factory, rows, key, value):
    folder = tmp_path_factory.mktemp("b")
    theme = "theme: " + json.dumps(_nest(key, value), ensure_ascii=False) + "\n"
    src = make(folder, briefing_yaml(blocks=TABLE, extra=theme), {"data/gdp.csv": _csv([list(r) for r in rows])})
    try:
        result = build(src, folder / "out")
    except ContentError as e:
        assert str(e.location) or "\n" in str(e), str(e)
        return
    layer = re.sub(r"\s", "", pdf_text(result.pdf))
    for cell in (c for r in rows for c in r):
        for ch in re.sub(r"\s", "", cell):
            assert ch in layer, (ch, f"U+{ord(ch):04X}", cell)
