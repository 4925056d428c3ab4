"""Messages in the user's language.

Chinese is the default (the users are Chinese) and is also the source text
of every message; an English catalog (gettext .po, managed with babel's
tools: `pybabel extract/update`) translates them. `--lang en` or an English
locale (LANG/LC_ALL starting with "en") switches to English. The .po file is
read at first use (read_po below), so no compiled .mo file needs to be kept in
sync.
"""
from __future__ import annotations

import argparse
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
_language: str | None = None


def set_language(lang: str | None) -> None:
    global _language
    _language = lang


def language() -> str:
    if _language:
        return "en" if _language.lower().startswith("en") else "zh"
    env = os.environ.get("BRIEFING_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "en" if env.lower().startswith("en") else "zh"


@dataclass
class Message:
    """One entry of a .po file: a plural's id and string are tuples (singular, plural) and (forms …)."""
    id: str | tuple[str, ...]
    string: str | tuple[str, ...]
    fuzzy: bool = False


_ESCAPE = re.compile(r'\\([\\trn"])')
_KEYWORD = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


def read_po(path: Path) -> list[Message]:
    """The messages of a .po file as pybabel writes it, without the header and obsolete (#~) entries.

    Read here rather than with babel.messages.pofile: importing that (email, difflib, babel.dates)
    and its first read cost about 25 ms on every start, for the argparse catalog every Chinese
    command line needs (tests/test_i18n.py checks this reader agrees with babel's on every file).
    """
    found: list[Message] = []
    fields: dict[str, list[str]] = {}     # keyword -> its quoted pieces, of the entry being read
    fuzzy, keyword = False, ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        match = _KEYWORD.match(line)
        starts_entry = not line or line.startswith("#") or (match and match.group(1) in ("msgctxt", "msgid"))
        if starts_entry and any(key.startswith("msgstr") for key in fields):
            if "".join(fields.get("msgid", [])) or "msgid_plural" in fields:   # msgid "" is the header
                found.append(_message(fields, fuzzy))
            fields, fuzzy = {}, False
        if line.startswith("#,"):
            fuzzy = "fuzzy" in (flag.strip() for flag in line[2:].split(","))
        elif not line or line.startswith("#"):
            continue
        elif line.startswith('"') and keyword in fields:
            fields[keyword].append(_unquote(line))
        elif match:
            keyword = match.group(1)
            fields[keyword] = [_unquote(match.group(2))]
        else:
            raise ValueError(f"{path}:{number}: not a line of a .po file: {line!r}")
    if "".join(fields.get("msgid", [])) or "msgid_plural" in fields:
        found.append(_message(fields, fuzzy))
    return found


def _unquote(quoted: str) -> str:
    return _ESCAPE.sub(lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), quoted[1:-1])


def _message(fields: dict[str, list[str]], fuzzy: bool) -> Message:
    text = {key: "".join(parts) for key, parts in fields.items()}
    if "msgid_plural" in text:
        forms = sorted((int(key[7:-1]), value) for key, value in text.items() if key.startswith("msgstr["))
        return Message((text["msgid"], text["msgid_plural"]), tuple(value for _n, value in forms), fuzzy)
    return Message(text.get("msgid", ""), text.get("msgstr", ""), fuzzy)


@lru_cache(maxsize=4)
def _catalog(lang: str) -> dict[str, str]:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "briefing.po"
    if not po.exists():
        return {}
    return {m.id: m.string for m in read_po(po) if isinstance(m.id, str) and isinstance(m.string, str)
            and not m.fuzzy}


def _(message: str) -> str:
    """Translate a message (its Chinese source text) to the current language."""
    if language() == "zh":
        return message
    return _catalog(language()).get(message, message)


# ---- argparse's own messages ("usage:", "options", its error lines) ------------------------
# argparse writes them in English and looks each one up through the module-level names
# `_` and `ngettext` it imported from gettext. Pointing those names at the catalog below
# puts "用法：", "选项" and the error lines in the same language as the rest of briefing.

ARGPARSE_PO = LOCALE_DIR / "zh" / "LC_MESSAGES" / "argparse.po"


@lru_cache(maxsize=1)
def _argparse_catalog() -> dict[str, object]:
    out: dict[str, object] = {}
    for m in read_po(ARGPARSE_PO):
        if m.id and m.string and not m.fuzzy:
            out[m.id[0] if isinstance(m.id, (tuple, list)) else m.id] = m.string
    return out


def argparse_gettext(message: str) -> str:
    if language() == "en":
        return message
    found = _argparse_catalog().get(message)
    return found if isinstance(found, str) else message


def argparse_ngettext(singular: str, plural: str, n: int) -> str:
    if language() == "en":
        return singular if n == 1 else plural
    found = _argparse_catalog().get(singular)
    if isinstance(found, (tuple, list)) and found and found[0]:
        return found[0]          # Chinese has one plural form
    return singular if n == 1 else plural


def translate_argparse() -> None:
    """Route argparse's messages through the catalog (idempotent; call before building parsers)."""
    argparse._ = argparse_gettext  # type: ignore[attr-defined]  # argparse's own module-level gettext
    argparse.ngettext = argparse_ngettext  # type: ignore[attr-defined]
