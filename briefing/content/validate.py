"""Turn pydantic's findings into located messages a user can act on."""
from __future__ import annotations

import difflib
import typing
from dataclasses import replace
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import ContentError, ContentErrors
from ..i18n import _
from . import schema
from .schema import BLOCK_TYPES
from .yamlload import FieldPath, Positions, dotted

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], value: Any, positions: Positions,
             context: dict[str, Any] | None = None) -> M:
    try:
        return model.model_validate(value, context=context)
    except ValidationError as e:
        errors = [_to_content_error(err, value, positions) for err in _misspelt_once(e.errors(), value)]
        raise ContentErrors(_dedupe(errors)) from None


def _misspelt_once(errs: list[ErrorDetails], root: Any) -> list[ErrorDetails]:
    """`isuer:` for `issuer:` is one mistake: report the unknown key with its suggestion, not also the
    required key it was meant to be."""
    unknown: dict[FieldPath, list[str]] = {}
    for err in errs:
        if err["type"] == "extra_forbidden":
            path = yaml_path(err["loc"], root)
            unknown.setdefault(path[:-1], []).append(str(path[-1]))
    out = []
    for err in errs:
        if err["type"] == "missing":
            path = yaml_path(err["loc"], root)
            if any(difflib.get_close_matches(k, [str(path[-1])], n=1, cutoff=0.6) for k in unknown.get(path[:-1], [])):
                continue
        out.append(err)
    return out


def _dedupe(errors: list[ContentError]) -> list[ContentError]:
    seen: set[str] = set()
    out: list[ContentError] = []
    for e in errors:
        key = str(e)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def yaml_path(loc: tuple[int | str, ...], root: Any = None) -> FieldPath:
    """pydantic's loc with union tags removed: ('blocks', 0, 'chart', 'chart', 'type') -> ('blocks', 0, 'chart', 'type').

    A block's tag comes right after its list index; with the content at hand (`root`) a tag is told from a key
    of the same name, so a `width:` beside `chart:` is ('blocks', 0, 'width'), not ('blocks', 0, 'chart', 'width').
    """
    out: list[int | str] = []
    if root is None:
        for i, part in enumerate(loc):
            if i + 1 < len(loc) and part == loc[i + 1] and isinstance(part, str):
                continue
            out.append(part)
        return tuple(out)
    node, after_index = root, False
    for part in loc:
        in_blocks = len(out) >= 2 and (out[-2] == "blocks" or isinstance(out[-2], int))   # not a section
        if after_index and in_blocks and isinstance(node, dict) and part in schema.BLOCK_TYPES and \
                part == schema.block_kind(node):
            after_index = False
            continue                      # the discriminator's tag, not a key
        out.append(part)
        after_index = isinstance(part, int)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return tuple(out)


def _found(x: Any) -> str:
    text = repr(x) if not isinstance(x, str) else f"“{x}”"
    return text if len(text) < 60 else text[:57] + "…"


def _to_content_error(err: ErrorDetails, root: Any, positions: Positions) -> ContentError:
    path = yaml_path(err["loc"], root)
    kind, ctx, found = err["type"], err.get("ctx") or {}, err.get("input")
    hint = None
    if kind == "extra_forbidden":
        key = path[-1]
        shallow = _too_shallow(path, root, positions)
        if shallow:
            return shallow
        allowed = _allowed_keys(path[:-1])
        msg = _("未知字段“{key}”").format(key=key)
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        if close:
            hint = _("您是不是要写“{name}”？").format(name=close[0])
        elif allowed:
            hint = _("此处可用的字段：{names}").format(names="、".join(allowed))
    elif kind == "missing":
        msg = _("缺少必填字段“{key}”").format(key=path[-1])
        # the missing field has no line of its own: point at its parent mapping
        parent = positions.find(path[:-1])
        return ContentError(msg, replace(parent, path=dotted(path)))
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        tag = ctx.get("tag", "")
        msg = _("未知的内容块类型“{tag}”").format(tag=tag) if tag else _("内容块应写成“类型: 内容”的形式")
        close = difflib.get_close_matches(str(tag), list(BLOCK_TYPES), n=1, cutoff=0.6)
        hint = (_("您是不是要写“{name}”？").format(name=close[0]) if close
                else _("可用的内容块类型：{names}").format(names="、".join(BLOCK_TYPES)))
    elif kind == "literal_error":
        expected = ctx.get("expected", "").replace("'", "")
        msg = _("取值{found}无效").format(found=_found(found))
        options = [o.strip() for o in expected.replace(" or ", ",").split(",") if o.strip()]
        close = difflib.get_close_matches(str(found), options, n=1, cutoff=0.5)
        hint = (_("您是不是要写“{name}”？").format(name=close[0]) + " " if close else "") + \
            _("可选值：{names}").format(names="、".join(options))
    elif kind in ("string_type", "int_type", "int_parsing", "float_type", "float_parsing", "bool_type",
                  "bool_parsing", "list_type", "dict_type", "model_type", "model_attributes_type",
                  "int_from_float", "literal_type"):
        msg = _("类型不对：应为{expected}，实际为{found}").format(expected=_type_name(kind), found=_found(found))
    elif kind.startswith("date"):
        msg = _("日期{found}无效").format(found=_found(found))
        hint = _("日期写成 YYYY-MM-DD，例如 2026-11-01")
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limit = next(iter(ctx.values()), "")
        word = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        msg = _("数值{found}超出范围：应{op} {limit}").format(found=_found(found), op=word, limit=limit)
    elif kind == "string_pattern_mismatch":
        msg = _("取值{found}不合格式：只能用字母、数字、下划线和连字符").format(found=_found(found))
    elif kind == "too_short":
        msg = _("条目数量不对：至少要有 {n} 项，现有 {m} 项").format(n=ctx.get("min_length"), m=ctx.get("actual_length"))
    elif kind == "too_long":
        msg = _("条目数量不对：最多 {n} 项，现有 {m} 项").format(n=ctx.get("max_length"), m=ctx.get("actual_length"))
    elif kind == "value_error" and "duplicate section id" in err["msg"]:
        dup = err["msg"].rsplit(":", 1)[-1].strip()
        index = next(i for i, s in reversed(list(enumerate(found or []))) if isinstance(s, dict) and s.get("id") == dup)
        path = path + (index, "id")
        msg = _("栏目 id“{id}”重复").format(id=dup)
        hint = _("每个栏目的 id 必须唯一")
    else:
        msg = err["msg"]
    where = positions.key(path) if kind == "extra_forbidden" else positions.find(path)
    return ContentError(msg, where, hint)


def _too_shallow(path: FieldPath, root: Any, positions: Positions) -> ContentError | None:
    """`width:` written one level too far left lands beside `chart:` instead of under it: say so."""
    parent = _value_at(root, path[:-1])
    if not isinstance(parent, dict):
        return None
    key = path[-1]
    for sibling, value in parent.items():
        if sibling == key or not isinstance(value, dict) or key not in _allowed_keys(path[:-1] + (sibling,)):
            continue
        here = positions.key(path)
        inner = next((positions.keys.get(path[:-1] + (sibling, k)) for k in value), None)
        hint = _("把“{key}”再缩进 {n} 个空格，与“{first}”对齐").format(
            key=key, n=inner.column - here.column, first=next(iter(value))) if inner and inner.column and here.column else None
        return ContentError(_("“{key}”缩进太浅：它是“{parent}”的字段，应写在“{parent}”下面").format(
            key=key, parent=sibling), here, hint)
    return None


def _value_at(root: Any, path: FieldPath) -> Any:
    for part in path:
        try:
            root = root[part]
        except (KeyError, IndexError, TypeError):
            return None
    return root


def _type_name(kind: str) -> str:
    return {
        "string_type": _("文字"), "int_type": _("整数"), "int_parsing": _("整数"), "int_from_float": _("整数"),
        "float_type": _("数值"), "float_parsing": _("数值"), "bool_type": _("true 或 false"),
        "bool_parsing": _("true 或 false"), "list_type": _("列表"), "dict_type": _("映射（键: 值）"),
        "model_type": _("映射（键: 值）"), "model_attributes_type": _("映射（键: 值）"), "literal_type": _("文字"),
    }[kind]


def _allowed_keys(path: FieldPath) -> list[str]:
    """The field names valid at `path` (for "did you mean")."""
    model = _model_at(schema.Document, path)
    return list(model.model_fields) if model else []


def _model_at(model: type[BaseModel] | None, path: FieldPath) -> type[BaseModel] | None:
    """Walk the schema along a YAML path to the model that holds the last key."""
    for part in path:
        if isinstance(part, int):
            continue
        if model is None:
            return None
        field = model.model_fields.get(str(part))
        if field is None:
            if part in schema.BLOCK_TYPES:
                model = schema.BLOCK_TYPES[part]
                field = model.model_fields[part]
            else:
                return None
        model = _first_model(field.annotation)
    return model


def _first_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _first_model(arg)
        if found is not None:
            return found
    return None
