"""The lists the program is extended by (briefing/registry.py): a template dropped into a folder as a
YAML file, a chart type registered from Python, and the names the content schema and the JSON Schema
accept, all read from one registry."""
from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest

from briefing import build
from briefing.cli import main
from briefing.content.jsonschema import document_schema
from briefing.registry import BUILTIN_TEMPLATES, CHART_TYPES, PERIOD_KINDS

MM = 72 / 25.4

BRIEFING = """\
title: 园区动态
date: 2026-11-01
issuer: 高新区管委会办公室
template: {template}
sections:
  - id: overview
    title: 总体情况
    blocks:
      - paragraph: 十月份园区新签约项目十二个，协议投资额较上月明显增加。
"""


def write_briefing(folder: Path, template: str = "jianbao", extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "briefing.yaml"
    path.write_text(BRIEFING.format(template=template) + extra, encoding="utf-8")
    return path


def chars_of(pdf_path: Path, text: str, page: int = 0) -> list[dict]:
    """The characters of the first run of `text` on a page."""
    with pdfplumber.open(pdf_path) as pdf:
        chars = pdf.pages[page].chars
        joined = "".join(c["text"] for c in chars)
        at = joined.find(text)
        assert at >= 0, f"{text!r} not on page {page + 1}: {joined[:200]!r}"
        return chars[at:at + len(text)]


# ---- templates --------------------------------------------------------------------------------

GREEN = """\
# a 简报 in green, with the masthead lower and page numbers written out
extends: jianbao
colors:
  accent: "#1a7f37"
page:
  margin_top: 50mm
page_number:
  format: "第{n}页"
"""


def test_template_dropped_into_the_templates_folder_builds(tmp_path):
    content = tmp_path / "content"
    source = write_briefing(content, template="lvse")
    (content / "templates").mkdir()
    (content / "templates" / "lvse.yaml").write_text(GREEN, encoding="utf-8")

    result = build(source, tmp_path / "out")

    title = chars_of(result.pdf, "园区动态")
    assert all(c["non_stroking_color"] == pytest.approx((0x1a / 255, 0x7f / 255, 0x37 / 255), abs=0.01)
               for c in title)
    # the type area starts 50 mm down, not the bundled 37 mm: the masthead title sits below that line
    assert title[0]["top"] >= 50 * MM - 1
    plain = build(write_briefing(tmp_path / "plain"), tmp_path / "plain-out")
    assert chars_of(plain.pdf, "园区动态")[0]["top"] < 50 * MM - 1
    assert chars_of(result.pdf, "第1页")


def test_template_folder_named_on_the_command_line(tmp_path, capsys):
    forms = tmp_path / "forms"                      # outside the content folder: the command line may
    forms.mkdir()
    report = (BUILTIN_TEMPLATES / "report.yaml").read_text(encoding="utf-8")
    (forms / "baogao.yaml").write_text(report.replace("name: report", "name: baogao")
                                       .replace("title: 目　　录", "title: 本期目次"), encoding="utf-8")
    source = write_briefing(tmp_path / "content", template="baogao")

    status = main(["build", str(source), "-o", str(tmp_path / "out"), "--template-dir", str(forms)])

    assert status == 0, capsys.readouterr().err
    pdf = tmp_path / "out" / "briefing.pdf"
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    assert "本期目次" in text and "目　　录" not in text


def test_template_folder_named_in_the_briefing_stays_inside_it(tmp_path, capsys):
    outside = tmp_path / "forms"
    outside.mkdir()
    (outside / "lvse.yaml").write_text(GREEN, encoding="utf-8")
    source = write_briefing(tmp_path / "content", template="lvse", extra="template_dirs: ../forms\n")

    status = main(["validate", str(source)])

    err = capsys.readouterr().err
    assert status == 2
    assert "briefing.yaml" in err and "../forms" in err and "内容目录之外" in err


def test_template_folder_inside_the_content_folder(tmp_path):
    content = tmp_path / "content"
    source = write_briefing(content, template="lvse", extra="template_dirs: [版式]\n")
    (content / "版式").mkdir()
    (content / "版式" / "lvse.yaml").write_text(GREEN, encoding="utf-8")

    result = build(source, tmp_path / "out")

    assert chars_of(result.pdf, "第1页")


def test_unknown_template_lists_the_users_own(tmp_path, capsys):
    content = tmp_path / "content"
    source = write_briefing(content, template="lvs")
    (content / "templates").mkdir()
    (content / "templates" / "lvse.yaml").write_text(GREEN, encoding="utf-8")

    assert main(["validate", str(source)]) == 2

    err = capsys.readouterr().err
    assert "briefing.yaml:4" in err and "“lvs”" in err
    assert "lvse" in err and "jianbao" in err


def _validate_with_template(tmp_path, capsys, text: str) -> str:
    """`briefing validate` of a briefing whose template `lvse` is `text`: its exit status is 2; what it said."""
    content = tmp_path / "content"
    source = write_briefing(content, template="lvse")
    (content / "templates").mkdir()
    (content / "templates" / "lvse.yaml").write_text(text, encoding="utf-8")
    assert main(["validate", str(source)]) == 2
    return capsys.readouterr().err


def test_a_fault_in_a_users_template_is_located_in_it(tmp_path, capsys):
    err = _validate_with_template(tmp_path, capsys, "extends: jianbo\ncolors: {accent: '#1a7f37'}\n")
    assert "lvse.yaml:1" in err and "jianbo" in err and "Traceback" not in err


def test_json_schema_lists_the_registered_names():
    schema = document_schema()
    defs = schema["$defs"]
    assert set(schema["properties"]["template"]["enum"]) >= {"jianbao", "zhuankan", "report"}
    assert defs["ChartSpec"]["properties"]["type"]["enum"] == CHART_TYPES.names()
    assert defs["Schedule"]["properties"]["period"]["enum"] == PERIOD_KINDS.names()


def test_schema_command_lists_a_template_folder(tmp_path, capsys):
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "lvse.yaml").write_text(GREEN, encoding="utf-8")

    assert main(["schema", "--template-dir", str(forms)]) == 0

    schema = json.loads(capsys.readouterr().out)
    assert "lvse" in schema["properties"]["template"]["enum"]


# ---- chart types ------------------------------------------------------------------------------

CHART_BRIEFING = """\
data:
  parks: {columns: {园区: [水土, 鱼复, 龙兴, 空港], 产值: [312, 268, 455, 190]}}
sections:
  - id: parks
    title: 园区产值
    blocks:
      - chart: {type: lollipop, data: parks, x: 园区, y: 产值, unit: 亿元, caption: 各园区产值}
"""


def draw_lollipop(fig, plan, theme, fonts, width):
    """A lollipop chart: a stem and a dot per category, each category named under its stem."""
    ax = fig.add_subplot()
    values = plan.series[0].values
    ax.vlines(range(len(values)), 0, values, color=theme.palette[0], linewidth=1)
    ax.scatter(range(len(values)), values, color=theme.palette[0], s=30, zorder=3)
    ax.set_xticks(range(len(values)), [f"{c}园" for c in plan.categories])
    ax.set_ylim(bottom=0)


@pytest.fixture
def lollipop():
    from briefing.registry import ChartType, register_chart_type

    register_chart_type(ChartType("lollipop", draw=draw_lollipop, help="棒棒糖图"))
    yield
    CHART_TYPES.unregister("lollipop")


def test_a_registered_chart_type_renders(tmp_path, lollipop):
    source = tmp_path / "content" / "briefing.yaml"
    source.parent.mkdir()
    source.write_text(BRIEFING.split("sections:")[0].format(template="jianbao") + CHART_BRIEFING, encoding="utf-8")

    result = build(source, tmp_path / "out")

    assert result.charts == 1
    with pdfplumber.open(result.pdf) as pdf:
        page = pdf.pages[0]
        text = page.extract_text()
        # the category names the drawing function wrote, as text in the PDF, left to right in data order
        names = [chars_of(result.pdf, f"{c}园")[0]["x0"] for c in ("水土", "鱼复", "龙兴", "空港")]
        dots = [c for c in page.curves if c["fill"]]
    assert names == sorted(names) and "各园区产值" in text
    assert len(dots) >= 4


def test_a_registered_chart_type_is_in_the_schema_and_validation(tmp_path, lollipop, capsys):
    assert "lollipop" in document_schema()["$defs"]["ChartSpec"]["properties"]["type"]["enum"]
    source = tmp_path / "content" / "briefing.yaml"
    source.parent.mkdir()
    source.write_text((BRIEFING.split("sections:")[0].format(template="jianbao") + CHART_BRIEFING)
                      .replace("lollipop", "lolipop"), encoding="utf-8")

    assert main(["validate", str(source)]) == 2

    err = capsys.readouterr().err
    assert "“lolipop”" in err and "lollipop" in err


def test_a_chart_type_name_is_registered_once():
    from briefing.registry import ChartType, register_chart_type

    with pytest.raises(ValueError, match="registered already"):
        register_chart_type(ChartType("bar", draw=draw_lollipop))
    assert CHART_TYPES.get("bar").draw != draw_lollipop


def test_a_wrong_value_in_a_users_template_is_located_at_its_line(tmp_path, capsys):
    content = tmp_path / "content"
    source = write_briefing(content, template="lvse")
    (content / "templates").mkdir()
    (content / "templates" / "lvse.yaml").write_text(GREEN.replace("margin_top: 50mm", "columns: 0"),
                                                     encoding="utf-8")

    assert main(["validate", str(source)]) == 2

    err = capsys.readouterr().err
    assert "lvse.yaml:6" in err and "page.columns" in err


def test_an_unknown_masthead_kind_is_named(tmp_path, capsys):
    err = _validate_with_template(tmp_path, capsys, "extends: report\nmasthead:\n  kind: poster\n")
    assert "lvse.yaml:3" in err and "poster" in err and "zhuankan" in err


def test_watch_rebuilds_when_a_template_named_on_the_command_line_changes(tmp_path):
    import threading

    from briefing.watch import watch

    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "lvse.yaml").write_text(GREEN, encoding="utf-8")
    source = write_briefing(tmp_path / "content", template="lvse")
    said: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(source, tmp_path / "out"), daemon=True,
                              kwargs={"report": lambda message, _error: said.append(message), "stop_event": stop,
                                      "template_dirs": (forms,)})
    thread.start()
    try:
        for _ in range(600):
            if any("正在监视" in m for m in said):
                break
            threading.Event().wait(0.1)
        (forms / "lvse.yaml").write_text(GREEN.replace("第{n}页", "第{n}面"), encoding="utf-8")
        for _ in range(600):
            if sum("已更新" in m for m in said) >= 2:
                break
            threading.Event().wait(0.1)
    finally:
        stop.set()
        thread.join(20)
    assert sum("已更新" in m for m in said) >= 2, said
    assert chars_of(tmp_path / "out" / "briefing.pdf", "第1面")


def test_schema_run_in_a_briefing_folder_lists_its_templates(tmp_path, monkeypatch, capsys):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "lvse.yaml").write_text(GREEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    assert main(["schema"]) == 0

    names = json.loads(capsys.readouterr().out)["properties"]["template"]["enum"]
    assert "lvse" in names and "jianbao" in names
