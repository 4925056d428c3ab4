"""The JSON Schema (`briefing schema`) comes from the pydantic models: it accepts the sample and every
section file, refuses what validate refuses, and `briefing new` wires it into VS Code."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from briefing.cli import main

REPO = Path(__file__).resolve().parents[1]


def _as_json(value):
    """What an editor's YAML plugin sees: dates are strings."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v)))




def _schema(capsys, *args) -> dict:
    assert main(["schema", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_schema_accepts_the_sample(capsys):
    doc, section = _schema(capsys), _schema(capsys, "--section")
    jsonschema.validate(_as_json(yaml.safe_load((REPO / "content" / "briefing.yaml").read_text("utf-8"))), doc)
    files = sorted((REPO / "content" / "sections").glob("*.yaml"))
    assert files
    for f in files:
        jsonschema.validate(_as_json(yaml.safe_load(f.read_text("utf-8"))), section)


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(titel="x"), "titel"),
    (lambda d: d.update(template="jianbo"), "jianbo"),
    (lambda d: d["sections"].append({"id": "x", "title": "t", "blocks": [{"chart": {"type": "bars", "data": "a",
                                                                                      "y": "b"}}]}), None),
    (lambda d: d["sections"].append({"id": "x", "title": "t", "blocks": [{"bulets": ["a"]}]}), None),
])
def test_the_schema_refuses_what_validate_refuses(capsys, change, words):
    doc = _schema(capsys)
    data = _as_json(yaml.safe_load((REPO / "content" / "briefing.yaml").read_text("utf-8")))
    change(data)
    with pytest.raises(jsonschema.ValidationError) as e:
        jsonschema.validate(data, doc)
    if words:
        assert words in str(e.value.message)


def test_new_writes_vscode_settings_that_map_the_schemas(tmp_path, capsys):
    assert main(["new", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    settings = json.loads((tmp_path / "b" / ".vscode" / "settings.json").read_text("utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping["./briefing.schema.json"] == ["briefing.yaml"]
    doc = json.loads((tmp_path / "b" / "briefing.schema.json").read_text("utf-8"))
    assert doc == _schema(capsys)
    jsonschema.validate(_as_json(yaml.safe_load((tmp_path / "b" / "briefing.yaml").read_text("utf-8"))), doc)
    assert doc["properties"]["title"]["description"]        # hover help in Chinese
