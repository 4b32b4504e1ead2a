"""Which language core messages use. Japanese unless told otherwise."""

from __future__ import annotations

import os

_lang: str | None = None


def language() -> str:
    if _lang:
        return _lang
    env = os.environ.get("DENSHI_LANG", "").lower()
    return "en" if env.startswith("en") else "ja"


def set_language(lang: str | None) -> None:
    global _lang
    _lang = None if lang is None else ("en" if lang.lower().startswith("en") else "ja")


def pick(ja: str, en: str, lang: str | None = None) -> str:
    return en if (lang or language()) == "en" else ja
