"""Articles (docs/articles.md): the 专刊's article fields, and the same YAML in the 简报 and the report."""
from __future__ import annotations

import pdfplumber
import pytest
import yaml

from briefing import build
from briefing.errors import ContentError

DOC = {
    "title": "两江新区专版", "date": "2026-11-01", "issuer": "重庆日报",
    "banner": {"paper": "重庆日报", "label": "两江新区专版", "edition": "第 9 版",
               "editors": {"责任编辑": "王某", "美术编辑": "李某"}},
    "sections": [
        {"id": "lead", "kicker": "加快制造业高质量发展", "headline": ["着力打造", "高质量发展引领区"],
         "subhead": "前三季度工业产值稳步回升", "byline": "本报记者 张某", "columns": 4, "lead": True,
         "blocks": [{"paragraph": "新区前三季度工业运行平稳，新的增长动能加快集聚。"},
                    {"heading": "产业集群壮大"},
                    {"paragraph": "四大支柱产业协同发力，带动全区经济稳步回升。"},
                    {"keyfigures": [{"label": "工业产值", "value": 1054, "unit": "亿元"}], "title": "数读"}]},
        {"id": "comment", "kind": "commentary", "signature": "本报评论员", "headline": "以开放促发展",
         "columns": 1, "blocks": [{"paragraph": "开放是新区鲜明的底色，越是困难越要扩大开放。"}]},
    ],
}


def _build(tmp_path, doc: dict, template: str):
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump({**doc, "template": template}, allow_unicode=True), encoding="utf-8")
    result = build(path, tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        return "".join((p.extract_text() or "") for p in pdf.pages).replace("\n", "")


@pytest.mark.parametrize("template", ["jianbao", "report"])
def test_jianbao_and_report_build_the_article_yaml(tmp_path, template):
    text = _build(tmp_path, DOC, template)
    assert "一、着力打造高质量发展引领区" in text          # the headline lines joined are the numbered title
    assert "二、以开放促发展" in text
    for line in ("加快制造业高质量发展", "前三季度工业产值稳步回升", "本报记者 张某", "本报评论员", "数读"):
        assert line in text
    # the 引题 just above its title (the report lists the title in its contents first)
    assert text.rindex("加快制造业高质量发展") < text.rindex("一、着力打造")


def test_a_section_without_title_or_headline_is_refused_where_written(tmp_path):
    doc = {**DOC, "sections": [{"id": "x", "blocks": [{"paragraph": "正文。"}]}]}
    path = tmp_path / "briefing.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as e:
        build(path, tmp_path / "out")
    assert "headline" in str(e.value) and "sections" in str(e.value)
    assert not (tmp_path / "out").exists()
