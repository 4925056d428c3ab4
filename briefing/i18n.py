"""Messages in the user's language.

Chinese is the default (the users are Chinese) and is also the source text
of every message; an English catalog (gettext .po, managed with babel's
tools: `pybabel extract/update`) translates them. `--lang en` or an English
locale (LANG/LC_ALL starting with "en") switches to English. The .po file is
read with babel at first use, so no compiled .mo file needs to be kept in
sync.
"""
from __future__ import annotations

import os
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


@lru_cache(maxsize=4)
def _catalog(lang: str) -> dict[str, str]:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "briefing.po"
    if not po.exists():
        return {}
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    return {m.id: m.string for m in catalog if isinstance(m.id, str) and isinstance(m.string, str) and not m.fuzzy}


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
    from babel.messages.pofile import read_po

    with ARGPARSE_PO.open("rb") as f:
        catalog = read_po(f)
    out: dict[str, object] = {}
    for m in catalog:
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
    import argparse

    argparse._ = argparse_gettext  # type: ignore[attr-defined]  # argparse's own module-level gettext
    argparse.ngettext = argparse_ngettext  # type: ignore[attr-defined]
