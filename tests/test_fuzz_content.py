"""Fuzzing the YAML loader, the template sandbox and whole builds.

Random input must build or fail with ContentError: never another exception,
never a hang. (The layout engine over random text is fuzzed in test_layout_props.py.)
Run with `--hypothesis-show-statistics` to see how many documents were tried.
"""
from __future__ import annotations

import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import ContentError, build
from briefing.content.yamlload import load_yaml
from briefing.data.templating import render
from briefing.errors import Location

from kit import assert_in_order, para, pdf_text, write

FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
BUILDS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))

YAML_ALPHABET = st.sampled_from(list("ab:-[]{}&*!|>'\"#%@`,?\n \t") + ["  ", "- ", ": ", "&a ", "*a", "!!str ",
                                                                       "!!python/object:os.system", "\\u0000",
                                                                       "2026-02-30", ".nan", "<<: ", "中", "\ufeff"])


@FAST
@given(st.lists(YAML_ALPHABET, max_size=60).map("".join))
def test_random_yaml_text_loads_or_is_a_content_error(tmp_path_factory, text):
    f = tmp_path_factory.mktemp("y") / "briefing.yaml"
    f.write_text(text, encoding="utf-8")
    try:
        load_yaml(f)
    except ContentError:
        pass


@FAST
@given(st.binary(max_size=200))
def test_random_bytes_load_or_are_a_content_error(tmp_path_factory, data):
    f = tmp_path_factory.mktemp("y") / "briefing.yaml"
    f.write_bytes(data)
    try:
        load_yaml(f)
    except ContentError:
        pass


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                    st.dates())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=20)
KEYS = st.sampled_from(["title", "date", "issuer", "issue", "sections", "data", "template", "theme", "output",
                        "id", "blocks", "paragraph", "chart", "table", "type", "x", "y", "columns", "rows",
                        "file", "include", "enabled", "bullets", "keyfigures", "label", "value", "image"])
DOCS = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(KEYS, inner, max_size=5)), max_leaves=25)


@BUILDS
@given(st.dictionaries(KEYS, DOCS, max_size=6))
def test_random_documents_build_or_are_a_content_error(tmp_path_factory, doc):
    folder = tmp_path_factory.mktemp("d")
    base = {"title": "题", "date": "2026-11-01", "issuer": "单位",
            "sections": [{"id": "a", "title": "标题", "blocks": [{"paragraph": "正文"}]}]}
    write(folder)
    (folder / "briefing.yaml").write_text(yaml.safe_dump({**base, **doc}, allow_unicode=True), encoding="utf-8")
    try:
        build(folder / "briefing.yaml", folder / "out", cache_dir=folder / "cache")
    except ContentError:
        pass


@BUILDS
@given(st.dictionaries(st.text(max_size=8), VALUES, max_size=5))
def test_random_structures_as_sections_build_or_are_a_content_error(tmp_path_factory, value):
    folder = tmp_path_factory.mktemp("s")
    write(folder)
    doc = {"title": "题", "date": "2026-11-01", "issuer": "单位", "sections": [{"id": "a", "title": "标", **value}]}
    (folder / "briefing.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        build(folder / "briefing.yaml", folder / "out", cache_dir=folder / "cache")
    except ContentError:
        pass


TEMPLATE_ALPHABET = st.sampled_from(["{{", "}}", "{%", "%}", "{#", "#}", " ", "gdp", "['合计']", ".产值", "|",
                                     "num(1)", "pct", "cndate", "doc.title", "doc.date", "'a'", "*", "**", "9",
                                     "(", ")", "for x in gdp.rows", "endfor", "if", "endif", "else", "x", "set",
                                     "=", "~", "__class__", ".", "range(", "loop.index", "macro", "call", "raw",
                                     "endraw", "include", "'/etc/passwd'", "cycler", "lipsum", "中文", "\n"])


@FAST
@given(st.lists(TEMPLATE_ALPHABET, max_size=25).map("".join))
def test_random_templates_render_or_are_a_content_error(text):
    from briefing.data.dataset import Dataset
    from briefing.data.view import DataView

    gdp = DataView(Dataset("gdp", {"行业": ["汽车", "合计"], "产值": [740, 1740]}))
    try:
        out = render(text, {"gdp": gdp, "doc": {"title": "题", "date": None}}, Location("f"))
    except ContentError:
        return
    assert isinstance(out, str)


ESCAPE = re.compile(r"\\([\\*\[\]{}^()])")
PRINTABLE = st.characters(codec="utf-8", categories=("Lo", "Ll", "Lu", "Nd", "Po", "Ps", "Pe", "Pd", "Sm", "Zs"))
MARKUP = st.sampled_from(["<b>", "</b>", "&amp;", "&lt;", "&#x4e2d;", "**", "[", "]", "{", "}", "<br/>", "<para>",
                          "\\", "%", "$", "#", "，", "。", "“", "”", "中", "文"])


def _no_template(p: str) -> str:
    """The text with no {{, {% or {# left ("{{{" needs two passes)."""
    while "{{" in p or "{%" in p or "{#" in p:
        p = p.replace("{{", "{ {").replace("{%", "{ %").replace("{#", "{ #")
    return p


@BUILDS
@given(st.lists(st.lists(st.one_of(PRINTABLE, MARKUP), min_size=1, max_size=40).map("".join),
                min_size=1, max_size=4))
def test_random_text_builds_in_full_or_names_missing_characters(tmp_path_factory, paragraphs):
    folder = tmp_path_factory.mktemp("t")
    paragraphs = [_no_template(p) for p in paragraphs]
    src = write(folder, "".join(para(p) for p in paragraphs))
    try:
        result = build(src, folder / "out")
    except ContentError as e:
        assert "U+" in str(e) or "空" in str(e), str(e)
        return
    # "**x**" is bold markup and "**" alone prints: compare with every "*" taken out of both sides;
    # a backslash before a markup character prints it
    shown = [ESCAPE.sub(r"\1", p).replace("*", "") for p in paragraphs]
    assert_in_order(pdf_text(result.pdf).replace("*", ""), shown)
