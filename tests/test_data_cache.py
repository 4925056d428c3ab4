"""Spreadsheets read once: the rows of a workbook are kept on disk by the file's content, so a rebuild does
not open an unchanged workbook again, and a changed one is read afresh."""
from __future__ import annotations

import openpyxl
import pdfplumber
import pytest
import yaml

from briefing import build
from briefing.data import sources


def workbook(path, value: float) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append(["项目", "数值"])
    sheet.append(["园区产值", value])
    sheet.append(["企业数量", 42])
    book.save(path)


def printed(result) -> str:
    with pdfplumber.open(result.pdf) as pdf:
        return "".join((p.extract_text() or "") for p in pdf.pages).replace(" ", "")


@pytest.fixture
def briefing(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    workbook(tmp_path / "figures.xlsx", 12.5)
    doc = {"title": "表格缓存", "date": "2026-01-15", "issuer": "测试单位",
           "data": {"kf": {"file": "figures.xlsx", "sheet": "指标"}},
           "sections": [{"id": "a", "title": "指标", "blocks": [{"table": {"data": "kf", "title": "主要指标"}}]}]}
    (tmp_path / "briefing.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(sources, "_read", {})     # what a new process starts with
    return tmp_path


def test_an_unchanged_workbook_is_not_opened_again(briefing, monkeypatch):
    assert "12.5" in printed(build(briefing / "briefing.yaml", briefing / "out"))
    assert len(list((briefing / "cache" / "data").iterdir())) == 1

    def refuse(*_a, **_k):
        raise AssertionError("the workbook was opened again")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    monkeypatch.setattr(sources, "_read", {})
    assert "12.5" in printed(build(briefing / "briefing.yaml", briefing / "out"))


def test_a_changed_workbook_is_read_afresh(briefing, monkeypatch):
    assert "12.5" in printed(build(briefing / "briefing.yaml", briefing / "out"))
    workbook(briefing / "figures.xlsx", 99.5)
    monkeypatch.setattr(sources, "_read", {})
    text = printed(build(briefing / "briefing.yaml", briefing / "out"))
    assert "99.5" in text and "12.5" not in text
