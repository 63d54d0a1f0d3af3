"""The site's languages: where a page of a language lives, and which language a page is in.

French (the default language) is at the site's root; every other language of
``LANGUAGES`` under ``/<lang>/``. The theme plugin renders pages per language
and the fast path keys what it keeps by a page's language: both ask here.
"""

from __future__ import annotations

from functools import lru_cache


def in_language(url: str, lang: str, default: str) -> str:
    """``url`` (relative to the site's root, language-neutral) in ``lang``."""
    return url if lang == default else f"{lang}/{url}"


def page_lang(ctx) -> str:
    """The language a template is rendering: the content's own, else the one asked for.

    Kept on the context, asked for a hundred times a page: templates set none of
    these names at their top level, so it holds for the context's life.
    """
    lang = getattr(ctx, "_page_lang", None)
    if lang is not None:
        return lang
    for key in ("article", "page"):
        content = ctx.get(key)
        if content is not None and getattr(content, "lang", None):
            lang = content.lang
            break
    lang = lang or ctx.get("lang") or ctx["DEFAULT_LANG"]
    try:
        ctx._page_lang = lang
    except AttributeError:  # a plain dict, from Python code
        pass
    return lang


@lru_cache(maxsize=1024)
def language_name(code: str, lang: str) -> str:
    """The language ``code`` as ``lang`` names it: "anglais" in French, "English" in English.

    Kept: Babel reads its locale data on each call, and cards ask for it on every page."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(lang).languages.get(code)
    except (ValueError, UnknownLocaleError):
        name = None
    return name or code


def not_found_pages(languages: tuple[str, ...], default: str) -> dict[str, str]:
    """The page a host serves for an address without one, per language (``404.html``, ``en/404.html``):
    written by the theme plugin, served by ``invoke serve``, named in the hosts' files."""
    return {lang: in_language(NOT_FOUND, lang, default) for lang in languages}


NOT_FOUND = "404.html"
