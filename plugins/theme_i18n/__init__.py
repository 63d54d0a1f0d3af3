"""The site in each of its languages: theme strings, dates, and pages per language.

French is the default language, at the root; every other language of
``LANGUAGES`` gets the listing pages under ``/<lang>/`` (home, articles,
experts, topics), rendered with that language's theme strings. A page's
language is the one of its article or page, else the ``lang`` it was
rendered with, else the site's default.

Catalogs live in the theme (``theme/translations/<lang>/LC_MESSAGES/messages.po``)
and are compiled in memory at each build, so no generated ``.mo`` file is kept
in git and a translator's edit shows up in the next preview.
"""

from __future__ import annotations

import datetime as dt
import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import pass_context
from pelican import signals

from .pages import TranslatedPagesGenerator, in_language, preferred_articles


@lru_cache(maxsize=8)
def translations(theme: str, lang: str) -> gettext.NullTranslations:
    po = Path(theme) / "translations" / lang / "LC_MESSAGES" / "messages.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    mo = BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo)


@lru_cache(maxsize=65536)
def _format_date(value: dt.date, fmt: str, lang: str) -> str:
    # Babel parses the pattern and looks the locale up on every call; listings show
    # the same dates again and again.
    return format_date(value, format=fmt, locale=lang)


def page_lang(ctx) -> str:
    """The language a template is rendering: the content's own, else the one asked for."""
    for key in ("article", "page"):
        content = ctx.get(key)
        if content is not None and getattr(content, "lang", None):
            return content.lang
    return ctx.get("lang") or ctx["DEFAULT_LANG"]


def _page_key(ctx) -> str | None:
    """The language-neutral URL of a listing page (home, articles, experts, topics)."""
    key = ctx.get("page_key")
    if key is not None:
        return key
    # Pelican's own listing pages (index, archives) name themselves after where they
    # are saved, without ".html": "index", "articles/index".
    name = ctx.get("page_name") or ""
    return name[: -len("index")] if name.endswith("index") and not ctx.get("articles_previous_page") else None


def install(generator) -> None:
    """Give every generator's Jinja environment language-aware gettext, dates and URLs."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    theme = generator.settings["THEME"]
    default = generator.settings["DEFAULT_LANG"]

    @pass_context
    def _gettext(ctx, message: str) -> str:
        return translations(theme, page_lang(ctx)).gettext(message)

    @pass_context
    def _ngettext(ctx, singular: str, plural: str, n: int) -> str:
        return translations(theme, page_lang(ctx)).ngettext(singular, plural, n)

    @pass_context
    def localdate(ctx, value: dt.date, fmt: str = "long") -> str:
        return _format_date(value, fmt, page_lang(ctx))

    @pass_context
    def lurl(ctx, url: str) -> str:
        """A language-neutral URL (home, experts, topics) in the page's language."""
        return in_language(url, page_lang(ctx), default)

    languages = tuple(generator.settings.get("LANGUAGES", (default,)))

    @pass_context
    def own_url(ctx) -> str | None:
        """This page's URL, relative to the site root; None when it has no fixed one."""
        content = ctx.get("article") or ctx.get("page")
        if content is not None:
            return content.url
        key = _page_key(ctx)
        return None if key is None else in_language(key, page_lang(ctx), default)

    @pass_context
    def language_links(ctx) -> list[dict]:
        """This page in every other language, or that language's home when it has no translation."""
        here = page_lang(ctx)
        content = ctx.get("article") or ctx.get("page")
        exact: dict[str, str] = {}
        if content is not None:
            exact = {t.lang: t.url for t in content.translations}
        elif (key := _page_key(ctx)) is not None:
            exact = {lang: in_language(key, lang, default) for lang in languages}
        return [
            {"lang": lang, "url": exact.get(lang, in_language("", lang, default)), "exact": lang in exact}
            for lang in languages if lang != here
        ]

    env.globals["own_url"] = own_url
    env.globals["language_links"] = language_links
    env.globals["url_in"] = lambda url, lang: in_language(url, lang, default)
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    env.filters["localdate"] = localdate
    env.filters["lurl"] = lurl
    env.globals["page_lang"] = pass_context(page_lang)
    env.globals["preferred_articles"] = preferred_articles


def get_generators(pelican):
    return TranslatedPagesGenerator


def register() -> None:
    """Hook at ``generator_init``: every generator has built its Jinja env, none has rendered yet."""
    signals.generator_init.connect(install)
    signals.get_generators.connect(get_generators)
