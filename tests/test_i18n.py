"""The English message catalog is complete and safe to use.

The Chinese source messages are extracted into briefing/locale/briefing.pot;
briefing/locale/en/LC_MESSAGES/briefing.po must translate every one of them,
keep each {placeholder}, and be what `--lang en` actually shows. The .pot
itself must be what babel extracts from the code today.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import kit

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "briefing" / "locale"
POT = LOCALE / "briefing.pot"
PO = LOCALE / "en" / "LC_MESSAGES" / "briefing.po"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
UPDATE = ("pybabel extract -F briefing/locale/babel.cfg -k _ --no-location --sort-output -o briefing/locale/briefing.pot "
          "briefing && pybabel update -i briefing/locale/briefing.pot -d briefing/locale -D briefing "
          "--no-fuzzy-matching --ignore-obsolete (docs/i18n.md)")


def _read(path):
    with path.open("rb") as f:
        return read_po(f)


def _ids(catalog):
    return [m.id for m in catalog if m.id]


@cache
def _read_po():
    """The English catalog, read once for the whole module (hundreds of parametrized cases use it)."""
    return _read(PO)


MSGIDS = _ids(_read(POT))


def _extracted() -> set:
    """The messages `pybabel extract` finds in the code now, with the project's babel.cfg."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (LOCALE / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    return {message for _file, _line, message, _comments, _context
            in extract_from_dir(ROOT / "briefing", method_map, options_map) if message}


def test_template_is_what_the_code_says():
    """A message added to, changed in or removed from the code shows here until the .pot is extracted again."""
    extracted, template = _extracted(), set(MSGIDS)
    assert not extracted - template, f"messages missing from briefing.pot (run {UPDATE}): {sorted(extracted - template)}"
    assert not template - extracted, f"messages no longer in the code (run {UPDATE}): {sorted(template - extracted)}"


HAN = re.compile(r"[\u4e00-\u9fff]")


def _callee(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _messages_outside_the_catalog() -> list[str]:
    """Chinese text in what is raised (or given to an …Error) that does not pass through _(): it would
    print in Chinese under --lang en, and babel would not extract it."""
    found = []
    for path in sorted((ROOT / "briefing").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        raised = [n.exc for n in ast.walk(tree) if isinstance(n, ast.Raise) and n.exc is not None]
        raised += [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _callee(n).endswith(("Error", "Errors"))]
        for root in raised:
            translated = {id(node) for call in ast.walk(root)
                          if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "_"
                          for node in ast.walk(call)}
            found += [f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}" for node in ast.walk(root)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str) and HAN.search(node.value)
                      and id(node) not in translated]
    return sorted(set(found))


def test_every_message_raised_goes_through_the_catalog():
    assert not _messages_outside_the_catalog()


@pytest.mark.parametrize("msgid", MSGIDS)
def test_every_message_has_an_english_translation(msgid):
    message = _read_po().get(msgid)
    assert message is not None, f"not in briefing.po (run pybabel update): {msgid}"
    assert message.string and message.string.strip(), f"no translation: {msgid}"
    assert not message.fuzzy, f"fuzzy translation, check it and remove the fuzzy flag: {msgid}"


@pytest.mark.parametrize("msgid", MSGIDS)
def test_placeholders_are_kept(msgid):
    message = _read_po().get(msgid)
    if message is None or not message.string:
        pytest.skip("untranslated (reported by the test above)")
    assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(msgid)), (msgid, message.string)


def test_no_obsolete_or_unknown_translations():
    po = _read_po()
    assert not po.obsolete, f"obsolete messages in briefing.po: {list(po.obsolete)}"
    assert sorted(_ids(po)) == sorted(MSGIDS)


def test_required_translations():
    po = _read_po()
    assert po.get("未知字段“{key}”").string == "Unknown field “{key}”"
    assert po.get("您是不是要写“{name}”？").string == "Did you mean “{name}”?"


@pytest.mark.parametrize("label", ["报：", "送：", "发：", "资料来源：", "（共印{n}份）", "星期{d}", "（上接{edition}）",
                                   "（下转{edition}）", "下版"])
def test_pdf_labels_stay_chinese(label):
    """Text printed in the PDF is document text: the briefing stays Chinese in any message language."""
    message = _read_po().get(label)
    if message is None:
        pytest.skip(f"{label} is no longer a message")
    assert message.string == label


def test_catalog_is_used(monkeypatch):
    from briefing import i18n

    monkeypatch.setattr(i18n, "_language", "en")
    assert i18n._("未知字段“{key}”").format(key="x") == "Unknown field “x”"
    monkeypatch.setattr(i18n, "_language", "zh")
    assert i18n._("未知字段“{key}”") == "未知字段“{key}”"


BAD = kit.briefing_yaml(data="").replace("issue: 3", "isue: 3")    # a misspelt field on line 2


def test_validate_in_english(tmp_path):
    src = tmp_path / "briefing.yaml"
    src.write_text(BAD, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "briefing", "--lang", "en", "validate", str(src)],
                         capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                                                               "BRIEFING_CACHE_DIR": str(tmp_path / "c")})
    assert run.returncode == 2, run.stderr
    assert "briefing.yaml:2:1" in run.stderr, run.stderr
    assert "Unknown field “isue”" in run.stderr and "Did you mean “issue”?" in run.stderr, run.stderr
    assert "Error: " in run.stderr and "错误" not in run.stderr and "未知" not in run.stderr, run.stderr


@pytest.mark.parametrize("path", sorted(LOCALE.glob("*/LC_MESSAGES/*.po")), ids=lambda p: str(p.relative_to(LOCALE)))
def test_every_shipped_catalog_translates_as_babel_reads_it(path, tmp_path, monkeypatch):
    """Catalogs are compiled once into the cache and read with gettext: every translated, non-fuzzy
    message of each shipped .po comes back as babel reads it, from a new cache and from the kept copy."""
    from briefing.i18n import translations

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    expected = [(m.id, m.string) for m in _read(path) if m.id and not m.fuzzy and isinstance(m.id, str) and m.string]
    assert len(expected) > 10
    for _round in ("compiled", "read from the cache"):
        catalog = translations(path)
        assert [(msgid, catalog.gettext(msgid)) for msgid, _s in expected] == expected
    assert len(list((tmp_path / "locale").glob("*.mo"))) == 1


def test_catalog_fuzzy_plural_edit_and_damaged_cache(tmp_path, monkeypatch):
    from briefing.i18n import translations

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "c"))
    po = tmp_path / "x.po"
    header = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
    po.write_text(header + '#, fuzzy\nmsgid "甲"\nmsgstr "A"\n\nmsgid "乙"\nmsgstr "B"\n\n'
                  'msgid "%s 个"\nmsgid_plural "%s 个们"\nmsgstr[0] "%s one"\nmsgstr[1] "%s many"\n', encoding="utf-8")
    t = translations(po)
    assert (t.gettext("甲"), t.gettext("乙")) == ("甲", "B")          # a fuzzy entry is not a translation
    assert (t.ngettext("%s 个", "%s 个们", 1), t.ngettext("%s 个", "%s 个们", 3)) == ("%s one", "%s many")
    po.write_text(header + 'msgid "乙"\nmsgstr "Bee"\n', encoding="utf-8")
    assert translations(po).gettext("乙") == "Bee"                   # an edited catalog is compiled again
    for mo in (tmp_path / "c" / "locale").glob("*.mo"):
        mo.write_bytes(b"not a catalog")
    assert translations(po).gettext("乙") == "Bee"                   # a damaged copy is replaced
