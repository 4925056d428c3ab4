"""Messages in the user's language.

Chinese is the default (the users are Chinese) and is also the source text
of every message; an English catalog (gettext .po, managed with babel's
tools: `pybabel extract/update`) translates them. `--lang en` or an English
locale (LANG/LC_ALL starting with "en") switches to English. The .po file is
compiled at first use into the cache (translations below), so no compiled .mo
file needs to be kept in sync.
"""
from __future__ import annotations

import argparse
import gettext
import hashlib
import io
import os
from functools import lru_cache
from pathlib import Path

from .resources import cache_dir

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


def translations(po: Path) -> gettext.NullTranslations:
    """A .po catalog, read by the standard library's gettext from its compiled form (.mo).

    babel compiles the .po the first time and the .mo is kept in the cache, named by the .po's hash,
    so an edited catalog is compiled again. Reading the .po with babel on every start cost about 25 ms
    (its import pulls in email, difflib and babel.dates), for the argparse catalog every Chinese command
    line needs. Fuzzy entries are left out, as gettext tools do.
    """
    data = po.read_bytes()
    mo = cache_dir("locale") / f"{po.parent.parent.name}-{po.stem}-{hashlib.sha256(data).hexdigest()[:16]}.mo"
    try:
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    except Exception:  # noqa: BLE001 - missing, unreadable or damaged: compiled again below
        pass
    compiled = _compile(data)
    try:
        mo.parent.mkdir(parents=True, exist_ok=True)
        part = mo.with_name(f"{mo.name}.{os.getpid()}.part")
        part.write_bytes(compiled)
        os.replace(part, mo)
    except OSError:
        pass        # a read-only cache: the catalog is compiled in memory on each start instead
    return gettext.GNUTranslations(io.BytesIO(compiled))


def _compile(po_bytes: bytes) -> bytes:
    # start-up: babel's catalog tools load only when the cache holds no compiled copy (about 25 ms)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    out = io.BytesIO()
    write_mo(out, read_po(io.BytesIO(po_bytes)))
    return out.getvalue()


@lru_cache(maxsize=4)
def _catalog(lang: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "briefing.po"
    return translations(po) if po.exists() else gettext.NullTranslations()


def _(message: str) -> str:
    """Translate a message (its Chinese source text) to the current language."""
    if language() == "zh":
        return message
    return _catalog(language()).gettext(message)


# ---- argparse's own messages ("usage:", "options", its error lines) ------------------------
# argparse writes them in English and looks each one up through the module-level names
# `_` and `ngettext` it imported from gettext. Pointing those names at the catalog below
# puts "用法：", "选项" and the error lines in the same language as the rest of briefing.

ARGPARSE_PO = LOCALE_DIR / "zh" / "LC_MESSAGES" / "argparse.po"


@lru_cache(maxsize=1)
def _argparse_catalog() -> gettext.NullTranslations:
    return translations(ARGPARSE_PO)


def argparse_gettext(message: str) -> str:
    if language() == "en":
        return message
    return _argparse_catalog().gettext(message)


def argparse_ngettext(singular: str, plural: str, n: int) -> str:
    if language() == "en":
        return singular if n == 1 else plural
    return _argparse_catalog().ngettext(singular, plural, n)     # Chinese has one plural form


def translate_argparse() -> None:
    """Route argparse's messages through the catalog (idempotent; call before building parsers)."""
    argparse._ = argparse_gettext  # type: ignore[attr-defined]  # argparse's own module-level gettext
    argparse.ngettext = argparse_ngettext  # type: ignore[attr-defined]
