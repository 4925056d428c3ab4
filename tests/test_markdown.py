"""Sections written in Markdown: the same blocks, the same PDF text as the equivalent YAML, errors at the
.md file's line, and the sample's Markdown sections equal to their YAML form."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pdfplumber
import pytest

from briefing import ContentError, build
from briefing.cli import main
from briefing.content import load
from briefing.content.markdown import load_markdown
from briefing.content.yamlload import load_yaml

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "sections"

MAIN = textwrap.dedent("""\
    title: 港口简报
    date: 2026-11-01
    issuer: 测试单位
    data:
      port:
        columns: {年份: ["2019", "2020"], 吞吐量: [118, 126]}
    sections:
      - include: sections/port.{ext}
    """)

SECTION_YAML = textwrap.dedent("""\
    id: port
    title: 港口与物流
    blocks:
      - paragraph: "果园港2019年集装箱吞吐量{{ port['2019'].吞吐量 }}万标箱，是**内陆开放**的重要*支点*^[1]。"
      - heading: 通道建设
      - paragraph: "中欧班列经[新疆口岸](https://example.org/rail)出境，The route links Chongqing and Duisburg."
      - bullets:
          - "**铁路**：班列开行保持增长。"
          - "**水运**：长江航道通航条件改善。"
      - quote:
          text: 港口、铁路、航空三类枢纽联动，物流成本明显下降。
          by: 本刊评论
      - chart: {type: bar, data: port, x: 年份, y: 吞吐量, unit: 万标箱, title: 集装箱吞吐量}
      - paragraph: "注：[1] 支点指内陆地区连接海港的集散中心。"
    """)

SECTION_MD = textwrap.dedent("""\
    ---
    id: port
    title: 港口与物流
    ---

    果园港2019年集装箱吞吐量{{ port['2019'].吞吐量 }}万标箱，
    是**内陆开放**的重要*支点*[^a]。

    ### 通道建设

    中欧班列经[新疆口岸](https://example.org/rail)出境，The route links
    Chongqing and Duisburg.

    - **铁路**：班列开行保持增长。
    - **水运**：长江航道通航条件改善。

    > 港口、铁路、航空三类枢纽联动，
    > 物流成本明显下降。
    > —— 本刊评论

    ```chart
    type: bar
    data: port
    x: 年份
    y: 吞吐量
    unit: 万标箱
    title: 集装箱吞吐量
    ```

    [^a]: 支点指内陆地区连接海港的集散中心。
    """)


def _folder(tmp: Path, ext: str, section: str) -> Path:
    (tmp / "sections").mkdir(parents=True)
    (tmp / "sections" / f"port.{ext}").write_text(section, encoding="utf-8")
    (tmp / "briefing.yaml").write_text(MAIN.replace("{ext}", ext), encoding="utf-8")
    return tmp / "briefing.yaml"


def _pdf_text(path: Path) -> tuple[str, list]:
    with pdfplumber.open(path) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
        fonts = [(c["text"], c["fontname"]) for page in pdf.pages for c in page.chars]
    return text, fonts


def test_a_markdown_section_builds_the_same_pdf_text_as_yaml(tmp_path):
    from_yaml = build(_folder(tmp_path / "y", "yaml", SECTION_YAML), tmp_path / "y" / "out")
    from_md = build(_folder(tmp_path / "m", "md", SECTION_MD), tmp_path / "m" / "out")
    yaml_text, yaml_fonts = _pdf_text(from_yaml.pdf)
    md_text, md_fonts = _pdf_text(from_md.pdf)
    assert "果园港2019年集装箱吞吐量118万标箱" in yaml_text.replace("\n", "").replace(" ", "")
    assert md_text == yaml_text
    assert md_fonts == yaml_fonts          # bold and emphasis set in the same fonts, glyph by glyph
    assert from_md.pages == from_yaml.pages and from_md.charts == from_yaml.charts == 1


def test_the_sample_markdown_sections_equal_their_yaml_form():
    for name in ("industry", "chengyu"):
        md, _ = load_markdown(REPO / "content" / "sections" / f"{name}.md")
        yml, _ = load_yaml(FIXTURES / f"{name}.yaml")
        assert md == yml, name


def test_markdown_positions_point_into_the_md_file(tmp_path):
    src = _folder(tmp_path, "md", SECTION_MD)
    content = load(src)
    chart_y = content.positions.find(("sections", 0, "blocks", 5, "chart", "y"))
    assert chart_y.file.endswith("port.md") and chart_y.line == 25
    heading = content.positions.find(("sections", 0, "blocks", 1, "heading"))
    assert heading.line == 9


@pytest.mark.parametrize("change, line, words", [
    (("y: 吞吐量", "y: 吞吐"), 25, "您是不是要写“吞吐量”"),                           # column in a chart fence
    (("type: bar", "type: bars"), 22, "您是不是要写“bar”"),
    (("{{ port['2019'].吞吐量 }}", "{{ port['2019'].吞吐 }}"), 6, "吞吐"),          # data-bound text
    (("title: 港口与物流", "title： 港口与物流"), 3, "全角冒号"),                      # front matter
    (("```chart", "```chrat"), 21, "不是简报的内容块"),
    (("### 通道建设", "# 通道建设"), 9, "### 开头"),
])
def test_errors_in_markdown_point_to_its_line(tmp_path, capsys, change, line, words):
    src = _folder(tmp_path, "md", SECTION_MD.replace(*change))
    assert main(["validate", str(src)]) == 2
    v_err = capsys.readouterr().err
    assert main(["build", str(src), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == v_err
    assert f"port.md:{line}:" in v_err, v_err
    assert words in v_err, v_err
    assert f"\n  {line} | " in v_err, v_err            # the .md line itself, under the message


def test_the_sample_uses_markdown_for_prose(tmp_path):
    shutil.copytree(REPO / "content", tmp_path / "content")
    content = load(tmp_path / "content" / "briefing.yaml")
    assert any(f.suffix == ".md" for f in content.files)
    industry = next(s for s in content.doc.sections if s.id == "industry")
    assert content.positions.find(("sections", 1, "blocks", 0)).file.endswith("industry.md")
    assert "\n" not in industry.blocks[0].paragraph


def test_markdown_error_is_a_content_error(tmp_path):
    src = _folder(tmp_path, "md", SECTION_MD.replace("- **水运**", "  - **水运**").replace(
        "- **铁路**：班列开行保持增长。", "- **铁路**：班列开行保持增长。\n  - 嵌套"))
    with pytest.raises(ContentError) as e:
        load(src)
    assert "列表不能嵌套" in str(e.value)
