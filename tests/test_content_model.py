"""Customising in YAML: includes, overrides, --only, enabled: false, data sources and bound text.

Each test builds a small briefing and reads the PDF's text layer.
"""
from __future__ import annotations

import json
import re
import textwrap

import openpyxl
import pytest

from briefing import build
from briefing.cli import main
from kit import flat_text as pdf_text


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "sections").mkdir()
    (tmp_path / "data" / "gdp.csv").write_text("行业,本期,上年同期\n汽车,740,552\n电子,1000,676\n", encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "指标"
    for row in [["说明", "", ""], ["指标", "数值", "增速"], ["地区生产总值", 2000.2, 15.0], ["招商引资", 918, 38.6]]:
        sheet.append(row)
    book.save(tmp_path / "data" / "kf.xlsx")
    (tmp_path / "data" / "ports.json").write_text(json.dumps([{"港口": "果园港", "吞吐量": 1309}]), encoding="utf-8")
    (tmp_path / "sections" / "trade.yaml").write_text(textwrap.dedent("""\
        id: trade
        title: 开放通道
        blocks:
          - paragraph: "果园港全年完成货物吞吐量{{ ports['果园港'].吞吐量 | num }}万吨。"
        """), encoding="utf-8")
    (tmp_path / "briefing.yaml").write_text(textwrap.dedent("""\
        title: 模型测试简报
        issue: 5
        date: 2026-11-01
        issuer: 测试单位
        data:
          gdp: data/gdp.csv
          kf: {file: data/kf.xlsx, sheet: 指标, range: A2:C4}
          ports: {file: data/ports.json}
          mix: {columns: {类别: [中小学, 幼儿园], 数量: [43, 129]}}
          growth: {from: gdp, derive: {增速: {growth: [本期, 上年同期]}, 占比: {share: 本期}}}
        sections:
          - id: economy
            title: 经济运行
            blocks:
              - paragraph: "地区生产总值{{ kf['地区生产总值'].数值 | num(1) }}亿元，同比增长{{ kf['地区生产总值'].增速 | pct(1) }}。"
              - paragraph: "汽车产值增速{{ growth['汽车'].增速 | pct(1, sign=True) }}，占比{{ growth['汽车'].占比 | pct(1) }}。"
              - paragraph: "本刊{{ doc.issue | issue_label }}，编发于{{ doc.date | cndate }}，学校{{ mix['中小学'].数量 }}所。"
          - include: sections/trade.yaml
          - id: hidden
            title: 暂不发布
            enabled: false
            blocks:
              - paragraph: "这一段不应出现。"
        """), encoding="utf-8")
    return tmp_path


def test_xlsx_csv_json_inline_and_derived_values_reach_the_text(folder):
    text = pdf_text(build(folder / "briefing.yaml", folder / "out").pdf)
    assert "地区生产总值2000.2亿元，同比增长15.0%" in text           # XLSX, sheet + range
    assert "汽车产值增速+34.1%，占比42.5%" in text                     # derived from CSV: 740/552-1, 740/1740
    assert "本刊第5期，编发于2026年11月1日，学校43所" in text           # doc variables, inline data
    assert "果园港全年完成货物吞吐量1309万吨" in text                  # JSON, included section


def test_included_section_is_printed_in_its_place(folder):
    text = pdf_text(build(folder / "briefing.yaml", folder / "out").pdf)
    assert text.index("经济运行") < text.index("开放通道")


def test_disabled_section_is_left_out(folder):
    text = pdf_text(build(folder / "briefing.yaml", folder / "out").pdf)
    assert "暂不发布" not in text and "这一段不应出现" not in text


def test_overrides_from_the_command_line(folder, capsys):
    code = main(["build", str(folder / "briefing.yaml"), "-o", str(folder / "out"),
                 "--set", "issue=12", "--set", "date=2026-12-01", "--set", "title=覆盖后的标题"])
    assert code == 0, capsys.readouterr().err
    text = pdf_text(folder / "out" / "briefing.pdf")
    assert "第12期" in text and "2026年12月1日" in text and "覆盖后的标题" in text
    assert "模型测试简报" not in text


def test_only_keeps_the_named_sections(folder):
    text = pdf_text(build(folder / "briefing.yaml", folder / "out", only=["trade"]).pdf)
    assert "开放通道" in text and "经济运行" not in text


def test_sections_reorder_by_editing_the_list(folder):
    src = folder / "briefing.yaml"
    yaml_text = src.read_text(encoding="utf-8")
    block = "  - include: sections/trade.yaml\n"
    src.write_text(yaml_text.replace(block, "").replace("sections:\n", "sections:\n" + block), encoding="utf-8")
    text = pdf_text(build(src, folder / "out").pdf)
    assert text.index("开放通道") < text.index("经济运行")


def test_new_scaffold_builds_as_it_is(tmp_path, capsys):
    target = tmp_path / "mine"
    assert main(["new", str(target)]) == 0
    assert (target / "briefing.yaml").exists() and (target / "README.md").exists()
    assert any((target / "data").iterdir())
    assert main(["build", str(target), "-o", str(tmp_path / "out")]) == 0
    assert "营业收入" in pdf_text(tmp_path / "out" / "briefing.pdf")
    assert main(["new", str(target)]) == 2          # never overwrites


def test_a_fault_after_included_and_left_out_sections_is_located_at_its_line(folder, capsys):
    src = folder / "briefing.yaml"
    text = src.read_text(encoding="utf-8") + "  - id: late\n    title: 最后一节\n    blocks:\n      - bullets: 第一项\n"
    src.write_text(text, encoding="utf-8")
    line = text.splitlines().index("      - bullets: 第一项") + 1
    assert main(["validate", str(src)]) == 2
    err = capsys.readouterr().err
    # the third section printed (the included one is second, the disabled one is gone), on its own line
    assert re.search(rf"briefing\.yaml:{line}:\d+ sections\[2\]\.blocks\[0\]\.bullets", err), err


def test_a_fault_in_an_included_section_is_located_in_its_file(folder, capsys):
    trade = folder / "sections" / "trade.yaml"
    trade.write_text(trade.read_text(encoding="utf-8") + "  - bullets: 第一项\n", encoding="utf-8")
    assert main(["validate", str(folder / "briefing.yaml")]) == 2
    err = capsys.readouterr().err
    assert re.search(r"trade\.yaml:5:\d+ sections\[1\]\.blocks\[1\]\.bullets", err), err
