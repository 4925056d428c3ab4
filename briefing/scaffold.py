"""`briefing new DIR`: a small briefing that builds as it is, to start from
(or, with --sample, a copy of the full sample briefing that ships with briefing)."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from .content.jsonschema import document_schema, section_schema
from .errors import ContentError, Location
from .i18n import _
from .resources import resource

BRIEFING = """\
# 简报内容文件。字段说明：briefing docs 内容格式
title: 工作简报
issue: 1
date: {today}
issuer: 某某单位办公室
template: jianbao          # jianbao（简报）| zhuankan（专刊）| report（报告）
distribution:
  send: 各有关单位
  copies: 30
data:
  figures: data/figures.csv
sections:
  - id: overview
    title: 总体情况
    blocks:
      - paragraph: "本期共统计{{{{ figures.rows | length }}}}项指标，其中营业收入{{{{ figures['营业收入'].数值 | num(1) }}}}亿元，同比增长{{{{ figures['营业收入'].增速 | pct(1) }}}}。"
      - keyfigures:
          - {{label: 营业收入, value: "{{{{ figures['营业收入'].数值 | num(1) }}}}", unit: 亿元, change: "{{{{ figures['营业收入'].增速 | pct(1, sign=True) }}}}"}}
          - {{label: 固定资产投资, value: "{{{{ figures['固定资产投资'].数值 | num(1) }}}}", unit: 亿元, change: "{{{{ figures['固定资产投资'].增速 | pct(1, sign=True) }}}}"}}
      - chart:
          type: combo
          data: figures
          x: 名称
          y: 数值
          y2: 增速
          unit: 亿元
          y2_unit: "%"
          title: 主要指标及增速
          source: 本单位统计
"""

FIGURES = """\
名称,指标,数值,增速
营业收入,全口径,120.5,8.2
固定资产投资,全口径,45.3,-2.1
税收收入,全口径,18.7,5.4
"""

README = ("在本目录运行 `briefing build` 生成 PDF（写入 output/）；修改 briefing.yaml 和 data/ 中的数据即可出下一期。\n"
          "边改边看：`briefing watch --open`。中文文档：`briefing docs`（入门、内容格式、常见错误）。\n")


def scaffold(folder: Path, *, sample: bool = False) -> Path:
    """Write a starter briefing (or the full sample) into a new or empty folder."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ContentError(_("目录已存在且不为空"), Location(str(folder)), _("请换一个新目录名"))
    if sample:
        # copyfile, not copy2: files installed read-only must come out editable
        shutil.copytree(resource("sample"), folder, dirs_exist_ok=True, copy_function=shutil.copyfile)
        return folder
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "briefing.yaml").write_text(BRIEFING.format(today=dt.date.today().isoformat()), encoding="utf-8")
    (folder / "data" / "figures.csv").write_text(FIGURES, encoding="utf-8")
    (folder / "README.md").write_text(README, encoding="utf-8")
    editor_settings(folder)
    return folder


def editor_settings(folder: Path) -> None:
    """JSON Schemas beside the content and a VS Code setting that maps them (completion and checks while typing)."""
    for name, schema in (("briefing.schema.json", document_schema()), ("section.schema.json", section_schema())):
        (folder / name).write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    settings = {"yaml.schemas": {"./briefing.schema.json": ["briefing.yaml"],
                                 "./section.schema.json": ["sections/*.yaml"]},
                "files.encoding": "utf8"}
    (folder / ".vscode").mkdir(exist_ok=True)
    (folder / ".vscode" / "settings.json").write_text(json.dumps(settings, ensure_ascii=False, indent=2) + "\n",
                                                       encoding="utf-8")
