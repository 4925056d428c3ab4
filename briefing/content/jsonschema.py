"""JSON Schema of the content format, generated from the pydantic models, for editors.

`briefing schema > briefing.schema.json` and a `.vscode/settings.json` that maps
it to briefing.yaml (yaml.schemas, the Red Hat YAML extension) give completion,
hover help and inline errors for every key while typing. The models are the
single source: what the editor accepts is what `validate` accepts, except that
text bound to data (`{{ … }}`) is checked only when the data is there.
"""
from __future__ import annotations

import copy
from typing import Any

from ..registry import BLOCK_TYPES as REGISTERED_BLOCKS
from .schema import BLOCK_TYPES, Document, Section

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"

# hover help in the editor, in the users' language
DESCRIPTIONS = {
    "title": "简报名称，印在报头", "subtitle": "副标题", "issue": "期号（第N期）", "supplement": "是否为增刊",
    "date": "印发日期，写成 YYYY-MM-DD", "issuer": "编印单位", "author": "作者（PDF 元数据）",
    "template": "版式：jianbao（简报）、zhuankan（专刊）、report（报告），或 templates/ 文件夹中自备的模板", "page_size": "纸张大小",
    "theme": "覆盖模板中的字体、字号、颜色等", "distribution": "报、送、发和印数",
    "data": "数据集：名称: 文件路径（CSV/XLSX/JSON）或映射", "sections": "栏目列表；可写 - include: sections/x.yaml 或 .md",
    "schedule": "定时生成的设置", "output": "输出文件名模式，如 \"{date:%Y%m}-简报.pdf\"",
    "id": "唯一标识：字母、数字、下划线、连字符", "blocks": "栏目中的内容块，每项写成“类型: 内容”",
}
INCLUDE = {"type": "object", "properties": {"include": {"type": "string", "description": "引用另一个文件（.yaml 或 .md）"}},
           "required": ["include"], "additionalProperties": False}


def document_schema(templates: list[str] | None = None) -> dict[str, Any]:
    """The schema of a briefing's main YAML file; `templates`: the template names it may use (default:
    the bundled ones)."""
    schema = _annotate(Document.model_json_schema())
    if templates is not None:
        schema["properties"]["template"]["enum"] = list(templates)
    sections = schema["properties"]["sections"]
    sections["items"] = {"anyOf": [sections["items"], INCLUDE]}
    schema["properties"]["data"]["properties"] = {"include": {"type": "string", "description": "从另一个 YAML 文件引用数据集"}}
    return {"$schema": SCHEMA_URI, "title": "briefing 简报内容", **schema}


def section_schema() -> dict[str, Any]:
    """The schema of one section file (sections/*.yaml)."""
    return {"$schema": SCHEMA_URI, "title": "briefing 栏目", **_annotate(Section.model_json_schema())}


def _annotate(schema: dict[str, Any]) -> dict[str, Any]:
    schema = copy.deepcopy(schema)
    for props in [schema.get("properties", {})] + [d.get("properties", {}) for d in schema.get("$defs", {}).values()]:
        for key, prop in props.items():
            if key in DESCRIPTIONS and "description" not in prop:
                prop["description"] = DESCRIPTIONS[key]
    for name, model in BLOCK_TYPES.items():
        block = schema.get("$defs", {}).get(model.__name__)
        if block:
            block["description"] = REGISTERED_BLOCKS.get(name).help or name
            block["properties"][name].setdefault("description", block["description"])
    return schema
