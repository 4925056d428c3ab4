"""Fields whose value is a name from a registry (briefing/registry.py): a chart's `type`, a schedule's
`period`, the document's `template`.

Such a field is text that must be one of the registered names at the moment it is checked, so a name
registered later (a template dropped into a folder, a chart type a plugin adds) is accepted without a
change to the schema. A wrong name fails as a Literal would (pydantic's "literal_error" with the
allowed names), so the message, the "did you mean" and the list of choices read the same; the JSON
Schema lists the names registered when it is generated.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, ValidationInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema


class OneOf:
    """`Annotated[str, OneOf(names)]`: the value must be in `names()`, or, when the validation context
    has an entry `context_key` (the templates a briefing can see), in that."""

    def __init__(self, names: Callable[[], list[str]], context_key: str | None = None):
        self.names = names
        self.context_key = context_key

    def allowed(self, info: ValidationInfo | None = None) -> list[str]:
        context = info.context if info is not None and isinstance(info.context, dict) else {}
        if self.context_key and context.get(self.context_key) is not None:
            return list(context[self.context_key])
        return list(self.names())

    def check(self, value: str, info: ValidationInfo) -> str:
        names = self.allowed(info)
        if value not in names:
            expected = " or ".join(", ".join(repr(n) for n in names).rsplit(", ", 1)) if names else "''"
            raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        out = handler(schema)
        out["enum"] = self.allowed()
        return out
