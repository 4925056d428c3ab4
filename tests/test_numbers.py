"""Numbers as the data writes them, read back from the built PDF: charts, tables, key figures, text."""
from __future__ import annotations

import re
import textwrap
from collections import defaultdict

import pdfplumber
import pytest

from briefing import build
from briefing.errors import ContentError
from kit import flat_text as text_of

# an integer column, a one-decimal column (one value written "15.0") and a percentage column
CSV = textwrap.dedent("""\
    指标,数量,总量,增速
    中欧班列到发,151,1054.5,56
    实际利用外资,43,13.5,6
    新增市场主体,129,15.0,41.1
    外贸进出口额,12500,1355.2,55
    """)

BRIEFING = textwrap.dedent("""\
    title: 数字测试简报
    issue: 3
    date: 2026-11-01
    issuer: 测试单位
    template: {template}
    {numbers}
    data:
      t: data/t.csv
    sections:
      - id: s
        title: 数字
        blocks:
          - keyfigures:
              - label: 班列
                value: "{{{{ t['中欧班列到发'].数量 | num }}}}"
                unit: 班次
                change: "{{{{ t['中欧班列到发'].增速 | pct(sign=True) }}}}"
              - label: 总量
                value: "{{{{ t['新增市场主体'].总量 | num }}}}"
                unit: 亿元
          - paragraph: "班列{{{{ t['中欧班列到发'].数量 | num }}}}班次，增长{{{{ t['中欧班列到发'].增速 | pct }}}}；总量{{{{ t['外贸进出口额'].总量 | num }}}}亿元，增长{{{{ t['新增市场主体'].增速 | pct }}}}。"
          - chart:
              type: bar
              data: t
              x: 指标
              y: 数量
              unit: 班次
              title: 整数列
          - chart:
              type: barh
              data: t
              x: 指标
              y: 增速
              unit: "%"
              title: 百分比列
          - chart:
              type: bar
              data: t
              x: 指标
              y: 总量
              unit: 亿元
              title: 一位小数列
          - table:
              data: t
              title: 指标表
    """)


def make(tmp_path, template="jianbao", numbers=""):
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "t.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "briefing.yaml").write_text(BRIEFING.format(template=template, numbers=numbers), encoding="utf-8")
    return tmp_path / "briefing.yaml"


def words(pdf_path) -> list[str]:
    with pdfplumber.open(pdf_path) as pdf:
        return [w["text"] for page in pdf.pages for w in page.extract_words(keep_blank_chars=False)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("numbers")
    result = build(make(tmp), tmp / "out")
    return result.pdf


def test_no_spurious_decimal_on_integers(built):
    text = text_of(built)
    for whole in ("151", "43", "129"):
        assert whole in text
        assert whole + ".0" not in text, whole
    assert "班列151班次" in text


def test_places_as_written(built):
    text = text_of(built)
    assert "15.0" in text                  # written "15.0" in the CSV: one place kept
    for written in ("1054.5", "13.5", "1355.2", "41.1%"):
        assert written in text, written
    assert "12,500" in text                # grouped from 10,000 on
    assert "1,054.5" not in text and "1,355.2" not in text     # never below 10,000 (GB/T 15835)


def test_one_percentage_style_per_document(built):
    text = text_of(built)
    forms = defaultdict(set)
    for m in re.finditer(r"(?<![\d.])[+\u2212-]?(\d+(?:\.\d+)?)%", text):
        forms[float(m.group(1))].add(m.group(0).lstrip("+\u2212-"))
    for value in (56, 6, 55, 41.1):
        assert value in forms, value
    assert all(len(f) == 1 for f in forms.values()), {k: v for k, v in forms.items() if len(v) > 1}
    assert "56%" in text and "56.0%" not in text


def test_document_setting_changes_grouping_and_percentages(tmp_path):
    numbers = "numbers: {group_from: 1000, percent_decimals: 1}"
    text = text_of(build(make(tmp_path, numbers=numbers), tmp_path / "out").pdf)
    assert "1,054.5" in text and "56.0%" in text and "41.1%" in text
    assert "56%" not in text.replace("56.0%", "")


def test_table_never_breaks_a_number_it_fails_naming_the_column(tmp_path):
    wide = "指标,甲,乙,丙,丁,戊,己\n" + "".join(
        f"项目{i},{'1234567.891'},{'2345678.912'},{'3456789.123'},{'4567891.234'},{'5678912.345'},{'6789123.456'}\n"
        for i in range(3))
    path = make(tmp_path)
    (tmp_path / "data" / "t.csv").write_text(wide, encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("- keyfigures")] + "- table: {data: t, title: 宽表}\n",
                    encoding="utf-8")
    with pytest.raises(ContentError) as e:
        build(path, tmp_path / "out")
    message = str(e.value)
    assert "宽表" in message and re.search("数字列“[甲乙丙丁戊己]”", message) and "t.csv" in message
    assert not (tmp_path / "out" / "briefing.pdf").exists()


def test_table_shrinks_before_breaking(tmp_path):
    # fits only at a smaller size: every number is printed whole on one line
    cols = "指标,甲,乙,丙,丁\n" + "".join(f"项{i},123456.78,234567.89,345678.91,456789.12\n" for i in range(3))
    path = make(tmp_path)
    (tmp_path / "data" / "t.csv").write_text(cols, encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("- keyfigures")] + "- table: {data: t, title: 宽表}\n",
                    encoding="utf-8")
    pdf = build(path, tmp_path / "out").pdf
    found = words(pdf)
    for n in ("123,456.78", "234,567.89", "345,678.91", "456,789.12"):
        assert n in found, (n, [w for w in found if w[:2] in n])


def test_xlsx_number_formats_give_the_places(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["指标", "数值", "增速", "比重"])
    sheet.append(["甲", 151, 15, 0.163])
    sheet.append(["乙", 43.25, 6, 0.114])
    for row in (2, 3):
        sheet.cell(row, 2).number_format = "0.0"      # shows 151.0 and 43.3 in the sheet
        sheet.cell(row, 3).number_format = "General"
        sheet.cell(row, 4).number_format = "0.0%"     # shows 16.3% and 11.4%
    (tmp_path / "data").mkdir()
    book.save(tmp_path / "data" / "x.xlsx")
    (tmp_path / "b.yaml").write_text(textwrap.dedent("""\
        title: 表格数字
        date: 2026-11-01
        issuer: 测试单位
        data:
          x: data/x.xlsx
        sections:
          - id: s
            title: 数字
            blocks:
              - paragraph: "甲{{ x['甲'].数值 | num }}，乙{{ x['乙'].数值 | num }}，增长{{ x['甲'].增速 | pct }}，占{{ x['甲'].比重 | pct }}。"
        """), encoding="utf-8")
    text = text_of(build(tmp_path / "b.yaml", tmp_path / "out").pdf)
    assert "甲151.0，乙43.3，增长15%，占16.3%。" in text
