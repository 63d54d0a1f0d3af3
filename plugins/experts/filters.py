"""Template filters of the expert pages that need the page's language."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from jinja2 import pass_context

from ambassade.languages import page_lang


@pass_context
def language_name(ctx, code: str) -> str:
    """A language's name in the page's language: "anglais" on a French page."""
    return _name(code, page_lang(ctx))


@lru_cache(maxsize=1024)
def _name(code: str, lang: str) -> str:
    try:
        return Locale.parse(code).get_language_name(lang) or code.upper()
    except (UnknownLocaleError, ValueError):
        return code.upper()
