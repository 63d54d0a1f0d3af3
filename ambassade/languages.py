"""The site's languages: where a page of a language lives, and which language a page is in.

French (the default language) is at the site's root; every other language of
``LANGUAGES`` under ``/<lang>/``. The theme plugin renders pages per language
and the fast path keys what it keeps by a page's language: both ask here.
"""

from __future__ import annotations


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
