"""The chart-choice lint of `briefing validate`: located warnings with a suggestion, `lint: false` to silence."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import SAMPLE

# the three charts an editor sent back, as they were written
OLD_CHARTS = textwrap.dedent("""\
    title: 旧图表
    date: 2021-07-20
    issuer: 测试单位
    data:
      vehicles: {columns: {时期: [2021H1], 新能源汽车: [1.5], 其他车型: [42.0]}}
      port: {columns: {货源: [重庆市外, 重庆市内], 占比: [60, 40]}}
      parks: {columns: {时点: [2020-03, 2020-12, 2021-06], 公园数量: [116, 119, 121]}}
    sections:
      - id: s
        title: 图表
        blocks:
          - chart:
              type: stacked
              data: vehicles
              x: 时期
              y: [新能源汽车, 其他车型]
              title: 汽车产量构成
          - chart:
              type: area
              data: {columns: {时点: [2020-12, 2021-06], 二级节点: [17, 19]}}
              x: 时点
              y: 二级节点
              title: 二级节点数量
          - chart:
              type: pie
              data: port
              x: 货源
              y: 占比
              title: 货源构成
          - chart: {type: line, data: parks, x: 时点, y: 公园数量, title: 公园数量}
    """)


def validate(path):
    return subprocess.run([sys.executable, "-m", "briefing", "validate", str(path)], capture_output=True, text=True)


def test_old_sample_charts_get_three_located_warnings(tmp_path):
    (tmp_path / "b.yaml").write_text(OLD_CHARTS, encoding="utf-8")
    out = validate(tmp_path / "b.yaml")
    assert out.returncode == 0, out.stderr
    warnings = [line for line in out.stderr.splitlines() if line.startswith("警告：")]
    assert len(warnings) == 3, out.stderr
    stacked, area, pie = warnings
    assert "b.yaml:13:" in stacked and "汽车产量构成" in stacked and "只有一个分类" in stacked and "建议：" in stacked
    assert "b.yaml:19:" in area and "只有 2 个点" in area and "建议：" in area
    assert "b.yaml:25:" in pie and "只有 2 块" in pie and "建议：" in pie
    assert all("lint: false" in w for w in warnings)
    # the line over unequal intervals is drawn on a real time axis: no warning for it
    assert "公园数量" not in out.stderr


def test_lint_false_silences_a_chart(tmp_path):
    text = OLD_CHARTS.replace("title: 汽车产量构成\n", "title: 汽车产量构成\n          lint: false\n")
    assert text != OLD_CHARTS
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    out = validate(tmp_path / "b.yaml")
    assert out.returncode == 0 and "汽车产量构成" not in out.stderr and out.stderr.count("警告：") == 2


def test_bars_off_zero_and_uneven_periods_on_an_even_axis(tmp_path):
    text = OLD_CHARTS.replace("chart: {type: line, data: parks,", "chart: {type: bar, y_min: 110, data: parks,")
    assert text != OLD_CHARTS
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    out = validate(tmp_path / "b.yaml")
    line = [w for w in out.stderr.splitlines() if "公园数量" in w]
    assert any("不从零开始" in w for w in line) and any("时间间隔不相等" in w and "line" in w for w in line), out.stderr


def test_pie_with_too_many_slices(tmp_path):
    text = OLD_CHARTS.replace("port: {columns: {货源: [重庆市外, 重庆市内], 占比: [60, 40]}}",
                              "port: {columns: {货源: [甲, 乙, 丙, 丁, 戊, 己, 庚], 占比: [30, 20, 15, 10, 10, 8, 7]}}")
    assert text != OLD_CHARTS
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    out = validate(tmp_path / "b.yaml")
    assert "饼图有 7 块" in out.stderr and "其他" in out.stderr


def test_the_sample_has_no_chart_warnings():
    out = validate(SAMPLE)
    assert out.returncode == 0, out.stderr
    assert "警告" not in out.stderr, out.stderr
