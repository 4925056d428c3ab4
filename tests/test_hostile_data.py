"""Hostile corpus — data, text and theme: every string is checked whatever its source (CSV/XLSX/JSON cells,
headers, derived names, key figures, chart labels, theme strings), in validate and build alike; parsing faults
are located content errors; limits say what to do; what builds carries every input character into the PDF."""
from __future__ import annotations

import json
import zipfile

import pytest

from hostile_kit import (CSV, assert_refused, briefing_yaml, cli, every_character_printed, make, output_folder,
                         snapshot)
from kit import cases

TABLE = "      - table: {data: gdp}\n"
BAR = "      - chart: {type: bar, data: gdp, x: 行业, y: 产值, title: 产值}\n"


def _refused(tmp_path, capsys, yaml_text, files, *where, status=2, validate=True):
    src = make(tmp_path, yaml_text, files)
    out = output_folder(tmp_path)
    before = snapshot(out)
    assert_refused(cli(capsys, "build", src, "-o", out), status, *where)
    assert snapshot(out) == before
    if validate:
        assert_refused(cli(capsys, "validate", src), status, *where)


# ---- characters arriving through data: refused with code point, file, line and column ----------------------

CASES = cases("hostile_data")
CELLS = {name: tuple(case) for name, case in CASES["cells"].items()}


@pytest.mark.parametrize("case", sorted(CELLS))
def test_csv_cell_with_unprintable_character(tmp_path, capsys, case):
    cell, code = CELLS[case]
    csv = CSV.replace("汽车", cell)
    _refused(tmp_path, capsys, briefing_yaml(blocks=TABLE), {"data/gdp.csv": csv}, "gdp.csv:2", "行业", code)


@pytest.mark.parametrize("case", ["line-separator", "emoji", "zero-width-space", "ext-b"])
def test_csv_header_with_unprintable_character(tmp_path, capsys, case):
    cell, code = CELLS[case]
    csv = CSV.replace("产值", cell.replace("汽", "产").replace("车", "值"))
    _refused(tmp_path, capsys, briefing_yaml(blocks=TABLE), {"data/gdp.csv": csv}, "gdp.csv:1", code)


@pytest.mark.parametrize("case", ["line-separator", "emoji", "escape", "quoted-newline"])
def test_json_cell_with_unprintable_character(tmp_path, capsys, case):
    cell, code = CELLS[case]
    cell = cell.strip('"')
    records = [{"行业": cell, "产值": 740}, {"行业": "电子", "产值": 1000}]
    _refused(tmp_path, capsys, briefing_yaml(data="  gdp: data/gdp.json\n", blocks=TABLE),
             {"data/gdp.json": json.dumps(records, ensure_ascii=True)}, "gdp.json", "行业", code)


@pytest.mark.parametrize("case", ["paragraph-separator", "emoji", "zero-width-space"])
def test_xlsx_cell_with_unprintable_character(tmp_path, capsys, case):
    from openpyxl import Workbook

    cell, code = CELLS[case]
    src = make(tmp_path)
    wb = Workbook()
    ws = wb.active
    for row in (["行业", "产值"], [cell, 740], ["电子", 1000]):
        ws.append(row)
    wb.save(src.parent / "data" / "gdp.xlsx")
    _refused(tmp_path, capsys, briefing_yaml(data="  gdp: data/gdp.xlsx\n", blocks=TABLE), {},
             "gdp.xlsx", "第1个数据行", code)


@pytest.mark.parametrize("case", ["emoji", "line-separator"])
def test_inline_data_cell_with_unprintable_character(tmp_path, capsys, case):
    cell, code = CELLS[case]
    esc = json.dumps(cell, ensure_ascii=False).replace("\u2028", "\\u2028")
    data = f"  gdp: {{columns: {{行业: [{esc}, 电子], 产值: [1, 2]}}}}\n"
    _refused(tmp_path, capsys, briefing_yaml(data=data, blocks=TABLE), {}, "briefing.yaml", code)


def test_derived_column_name_with_emoji(tmp_path, capsys):
    data = "  gdp: data/gdp.csv\n  more: {from: gdp, derive: {增速😀: {growth: [产值, 上年]}}}\n"
    _refused(tmp_path, capsys, briefing_yaml(data=data, blocks="      - table: {data: more}\n"), {},
             "增速😀", "U+1F600")


@pytest.mark.parametrize("field, block, where", CASES["text_fields"])
def test_yaml_text_with_unprintable_character(tmp_path, capsys, field, block, where):
    _refused(tmp_path, capsys, briefing_yaml(blocks=f"      - {block}\n"), {}, "briefing.yaml:", where, "U+")


def test_chart_labels_come_from_data_and_are_checked(tmp_path, capsys):
    csv = CSV.replace("电子", "电子📱")
    _refused(tmp_path, capsys, briefing_yaml(blocks=BAR), {"data/gdp.csv": csv}, "gdp.csv:3", "U+1F4F1")


def test_unused_data_set_is_checked_too(tmp_path, capsys):
    _refused(tmp_path, capsys, briefing_yaml(), {"data/gdp.csv": CSV.replace("材料", "材\x00料")},
             "gdp.csv:4", "U+0000")


@pytest.mark.parametrize("key, value", CASES["theme_strings"])
def test_theme_string_with_unprintable_character(tmp_path, capsys, key, value):
    parts = key.split(".")
    nested = value
    for p in reversed(parts):
        nested = f"{{{p}: {nested}}}"
    _refused(tmp_path, capsys, briefing_yaml(extra=f"theme: {nested}\n"), {}, "briefing.yaml:5", "U+")


# ---- parsing faults: located content errors ---------------------------------------------------------------

# the files too large to write out; tests/cases/hostile_data.yaml holds the others
DATA_FILES = [("gdp.csv", "行业,产值\n汽车," + "9" * 200_000 + "\n", "gdp.csv"),
              ("gdp.json", "[" * 100_000 + "]" * 100_000, "gdp.json"),
              ("gdp.xlsx", b"PK\x03\x04" + b"\x00" * 100, "gdp.xlsx")]
DATA_FILES += [(case["file"], case["text"] if "text" in case else case["bytes"].encode("latin-1"), case["at"])
               for case in CASES["data_files"]]


@pytest.mark.parametrize("name, content, where", DATA_FILES)
def test_data_file_that_cannot_be_parsed(tmp_path, capsys, name, content, where):
    _refused(tmp_path, capsys, briefing_yaml(data=f"  gdp: data/{name}\n", blocks=TABLE), {f"data/{name}": content},
             where)


def _xlsx_zip_of_junk(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<not xml")


def test_xlsx_zip_with_broken_parts(tmp_path, capsys):
    src = make(tmp_path)
    _xlsx_zip_of_junk(src.parent / "data" / "gdp.xlsx")
    _refused(tmp_path, capsys, briefing_yaml(data="  gdp: data/gdp.xlsx\n", blocks=TABLE), {}, "gdp.xlsx")


@pytest.mark.parametrize("value", ["1e308", "1e309", "-1e400", "123456789012345678901234567890", "9" * 5000, "inf"])
def test_huge_numbers_in_a_chart_are_located(tmp_path, capsys, value):
    csv = CSV.replace("1000", value)
    _refused(tmp_path, capsys, briefing_yaml(blocks=BAR), {"data/gdp.csv": csv}, "gdp.csv:3", "数值",
             validate=False)   # charts are drawn by build only


@pytest.mark.parametrize("code", ["123456789012345678901234567890", "500101199001011234", "1e308", "nan", "NaN"])
def test_long_codes_print_exactly_as_written(tmp_path, capsys, code):
    csv = f"单位,代码\n渝北区,{code}\n两江新区,{code[::-1]}\n"
    src = make(tmp_path, briefing_yaml(blocks=TABLE), {"data/gdp.csv": csv})
    out = tmp_path / "out"
    outcome = cli(capsys, "build", src, "-o", out)
    assert outcome.status == 0 and "Traceback" not in outcome.err, outcome.err
    every_character_printed(out / "briefing.pdf", *csv.replace("\n", ",").split(","))


def test_surrogates_in_yaml_are_refused(tmp_path, capsys):
    _refused(tmp_path, capsys, briefing_yaml(blocks='      - paragraph: "半个\\ud83d字符"\n'), {},
             "briefing.yaml:11", "U+D83D")


# ---- content structure -------------------------------------------------------------------------------------

@pytest.mark.parametrize("field, value, where", CASES["booleans"])
def test_booleans_are_booleans(tmp_path, capsys, field, value, where):
    sections = f"sections:\n  - id: intro\n    title: 概况\n    {field}: {value}\n    blocks:\n      - paragraph: 正文。\n"
    _refused(tmp_path, capsys, briefing_yaml(sections=sections), {}, "briefing.yaml:", where)


def test_supplement_string_is_refused(tmp_path, capsys):
    _refused(tmp_path, capsys, briefing_yaml(extra='supplement: "false"\n'), {}, "briefing.yaml:5", "supplement")


def test_includes_nest(tmp_path, capsys):
    files = {
        "sections/all.yaml": "- include: sections/one.yaml\n- include: sections/more.yaml\n",
        "sections/one.yaml": "id: one\ntitle: 第一栏\nblocks:\n  - paragraph: 嵌套引用的第一段文字。\n",
        "sections/more.yaml": "- id: two\n  title: 第二栏\n  blocks:\n    - paragraph: 嵌套两层的第二段文字。\n"
                              "- include: sections/three.yaml\n",
        "sections/three.yaml": "id: three\ntitle: 第三栏\nblocks:\n  - paragraph: 第三层的文字也印出。\n",
    }
    src = make(tmp_path, briefing_yaml(sections="sections:\n  - include: sections/all.yaml\n"), files)
    out = tmp_path / "out"
    outcome = cli(capsys, "build", src, "-o", out)
    assert outcome.status == 0, outcome.err
    every_character_printed(out / "briefing.pdf", "第一栏嵌套引用的第一段文字。", "第二栏嵌套两层的第二段文字。",
                            "第三栏第三层的文字也印出。")


def test_nested_include_error_is_located_in_the_nested_file(tmp_path, capsys):
    files = {
        "sections/all.yaml": "- include: sections/one.yaml\n",
        "sections/one.yaml": "id: one\ntitle: 第一栏\nblocks:\n  - chart: {type: pie3d, data: gdp, y: 产值}\n",
    }
    _refused(tmp_path, capsys, briefing_yaml(sections="sections:\n  - include: sections/all.yaml\n"), files,
             "one.yaml:4", "type")


def test_include_cycle_is_located(tmp_path, capsys):
    files = {"sections/a.yaml": "- include: sections/b.yaml\n", "sections/b.yaml": "- include: sections/a.yaml\n"}
    _refused(tmp_path, capsys, briefing_yaml(sections="sections:\n  - include: sections/a.yaml\n"), files,
             "b.yaml:1", "sections/a.yaml", "重复")


def test_more_than_ninety_nine_numbered_sections_build(tmp_path, capsys):
    sections = "sections:\n" + "".join(
        f"  - id: s{i}\n    title: 栏{i}\n    blocks:\n      - paragraph: 第{i}栏。\n" for i in range(1, 112))
    src = make(tmp_path, briefing_yaml(sections=sections))
    out = tmp_path / "out"
    outcome = cli(capsys, "build", src, "-o", out)
    assert outcome.status == 0, outcome.err
    every_character_printed(out / "briefing.pdf", "一百零一、栏101", "一百一十一、栏111", "九十九、栏99")


def test_more_than_ninety_nine_numbered_headings_build(tmp_path, capsys):
    blocks = "".join(f"      - heading: 小标题{i}\n      - paragraph: 段{i}。\n" for i in range(1, 103))
    src = make(tmp_path, briefing_yaml(blocks=blocks))
    out = tmp_path / "out"
    outcome = cli(capsys, "build", src, "-o", out)
    assert outcome.status == 0, outcome.err
    every_character_printed(out / "briefing.pdf", "（一百零二）小标题102", "（一百）小标题100")


# ---- limits -----------------------------------------------------------------------------------------------

def _rows(n: int, cols: int = 2) -> str:
    head = ",".join(["行业"] + [f"值{j}" for j in range(1, cols)])
    return head + "\n" + "".join(",".join([f"类{i}"] + [str(i + j) for j in range(1, cols)]) + "\n" for i in range(n))


@pytest.mark.parametrize("name, blocks, csv, env, words", [
    ("bar-10000-categories", BAR.replace("title: 产值", "title: 多").replace("y: 产值", "y: 值1"), _rows(10_000), {},
     ["类别过多", "10000", "BRIEFING_MAX_CHART_CATEGORIES", "汇总"]),
    ("pie-500", "      - chart: {type: pie, data: gdp, x: 行业, y: 值1}\n", _rows(500), {}, ["类别过多"]),
    ("line-points", "      - chart: {type: line, data: gdp, x: 行业, y: 值1}\n", _rows(300), {"BRIEFING_MAX_CHART_POINTS": "100"},
     ["数据点过多"]),
    ("table-rows", TABLE, _rows(300), {"BRIEFING_MAX_TABLE_ROWS": "100"}, ["表格行数过多", "汇总"]),
    ("table-columns", TABLE, _rows(2, 60), {}, ["表格列数过多", "columns"]),
    ("table-too-wide", TABLE, _rows(2, 35), {"validate": "no"}, ["表格太宽"]),
    ("table-cell", TABLE, "行业,值1\n" + "长" * 10_000 + ",1\n", {}, ["字数过多"]),
    ("data-rows", "      - paragraph: 正文。\n", _rows(300), {"BRIEFING_MAX_DATA_ROWS": "100"}, ["数据行数过多"]),
])
def test_limits_say_what_to_do(tmp_path, capsys, monkeypatch, name, blocks, csv, env, words):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    _refused(tmp_path, capsys, briefing_yaml(blocks=blocks), {"data/gdp.csv": csv}, *words,
             validate="validate" not in env)   # the frame's width is known to the layout only


def test_million_row_csv_stops_early(tmp_path, capsys):
    _refused(tmp_path, capsys, briefing_yaml(blocks=TABLE), {"data/gdp.csv": _rows(1_000_000)},
             "gdp.csv", "数据行数过多", validate=False)


def test_input_file_size_limit(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BRIEFING_MAX_INPUT_MB", "0.01")
    _refused(tmp_path, capsys, briefing_yaml(blocks=TABLE), {"data/gdp.csv": _rows(2000)}, "data.gdp", "过大",
             "BRIEFING_MAX_INPUT_MB")


def test_too_many_sections(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BRIEFING_MAX_SECTIONS", "20")
    sections = "sections:\n" + "".join(f"  - id: s{i}\n    title: 栏\n    blocks: []\n" for i in range(25))
    _refused(tmp_path, capsys, briefing_yaml(sections=sections), {}, "sections", "栏目过多", "BRIEFING_MAX_SECTIONS")


@pytest.mark.parametrize("text", ["[" * 300_000, "**" * 100_000, "{color=#c00}" * 5000, "^[" * 100_000])
def test_markup_flood(tmp_path, capsys, text):
    _refused(tmp_path, capsys, briefing_yaml(blocks=f'      - paragraph: "{text}"\n'), {},
             "briefing.yaml:", "paragraph", "标记符号")


def test_page_break_flood(tmp_path, capsys):
    blocks = "      - paragraph: 正文。\n" + "      - pagebreak: true\n" * 2000
    _refused(tmp_path, capsys, briefing_yaml(blocks=blocks), {}, "briefing.yaml:", "blocks[2]", "分页")


@pytest.mark.parametrize("raw, where", [
    (b"title: \xff\xfe\n", "briefing.yaml:1:8"),
    (b"title: a\x00b\n", "briefing.yaml:1:9"),
    (b"title: t\nsections:\n  - id: a\n    title: \xc3\x28\n", "briefing.yaml:4:12"),
])
def test_yaml_faults_are_located(tmp_path, capsys, raw, where):
    src = make(tmp_path)
    src.write_bytes(raw)
    out = output_folder(tmp_path)
    before = snapshot(out)
    assert_refused(cli(capsys, "build", src, "-o", out), 2, where)
    assert snapshot(out) == before


def test_unknown_ref_is_located(tmp_path, capsys):
    _refused(tmp_path, capsys, briefing_yaml(blocks=BAR + "      - paragraph: 见{ref:intro-fig9}。\n"), {},
             "briefing.yaml:12", "paragraph", "intro-fig9", "intro-fig1")


# ---- templates: read-only data, bounded time and size -------------------------------------------------------

@pytest.mark.parametrize("template, words", CASES["template_limits"])
def test_templates_cannot_change_data_or_eat_the_machine(tmp_path, capsys, template, words):
    esc = template.replace('"', '\\"')
    blocks = f'      - paragraph: "{esc}"\n' + TABLE
    _refused(tmp_path, capsys, briefing_yaml(blocks=blocks), {}, "briefing.yaml:11", "paragraph", *words)


def test_template_that_loops_printing_nothing_stops(tmp_path, capsys, monkeypatch):
    import briefing.data.templating as templating

    monkeypatch.setattr(templating, "MAX_SECONDS", 0.5)
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    _refused(tmp_path, capsys, briefing_yaml(blocks=f'      - paragraph: "{loop}"\n'), {},
             "briefing.yaml:11", "超时", validate=False)


def test_table_prints_the_data_in_file_order_after_templates_read_it(tmp_path, capsys):
    blocks = "      - paragraph: \"最大：{{ gdp.col('产值') | sort | last }}，合计{{ gdp.total('产值') }}。\"\n" + TABLE
    src = make(tmp_path, briefing_yaml(blocks=blocks))
    out = tmp_path / "out"
    assert cli(capsys, "build", src, "-o", out).status == 0
    from hostile_kit import pdf_text

    text = pdf_text(out / "briefing.pdf")
    assert text.index("汽车") < text.index("电子") < text.index("材料")
    every_character_printed(out / "briefing.pdf", "最大：1000，合计2160。", *CSV.replace("\n", ",").split(","))


# ---- theme values -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("theme, where, words", CASES["theme_values"])
def test_theme_values_are_checked(tmp_path, capsys, theme, where, words):
    _refused(tmp_path, capsys, briefing_yaml(extra=f"theme: {theme}\n"), {}, "briefing.yaml:5", where, *words)


def test_theme_override_that_is_right_builds(tmp_path, capsys):
    theme = '{styles: {h1: {number: "第{cn}部分 "}, body: {size: 四号, leading: 24}}, colors: {accent: "#1f4e9a"}}'
    src = make(tmp_path, briefing_yaml(extra=f"theme: {theme}\n"))
    out = tmp_path / "out"
    outcome = cli(capsys, "build", src, "-o", out)
    assert outcome.status == 0, outcome.err
    every_character_printed(out / "briefing.pdf", "第一部分概况", "正文一段。")


# ---- what builds prints every character ---------------------------------------------------------------------

ODD_BUT_PRINTABLE = [
    "全角　空格与（括号）、【方括号】《书名号》",
    "数字１２３与ＡＢＣ以及½与°符号",
    "标点：“引号”‘单引号’——破折号……省略号",
    "<b>不是标签</b>&amp;不是实体",
    "制表\t符号",
    "罕见字：齉",
]


@pytest.mark.parametrize("text", ODD_BUT_PRINTABLE)
def test_odd_but_printable_text_reaches_the_pdf(tmp_path, capsys, text):
    csv = f"行业,产值\n{text.replace(',', '，')},1\n"
    src = make(tmp_path, briefing_yaml(blocks=f"      - paragraph: {json.dumps(text, ensure_ascii=False)}\n" + TABLE),
               {"data/gdp.csv": csv})
    out = tmp_path / "out"
    outcome = cli(capsys, "build", src, "-o", out)
    assert outcome.status == 0, outcome.err
    every_character_printed(out / "briefing.pdf", text)


@pytest.mark.parametrize("blocks, where", [
    (BAR.replace("y: 产值", "y: 产量"), "chart.y"),
    (BAR.replace("x: 行业", "x: 行叶"), "chart.x"),
    ("      - table: {data: gdp, columns: [行业, 产量]}\n", "table.columns"),
    ("      - image: {file: photos/nope.jpg}\n", "image.file"),
])
def test_validate_finds_what_build_would(tmp_path, capsys, blocks, where):
    _refused(tmp_path, capsys, briefing_yaml(blocks=blocks), {}, "briefing.yaml:11", where)
