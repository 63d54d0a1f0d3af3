"""The site in each of its languages: theme strings, dates, and pages per language.

French is the default language, at the root; every other language of
``LANGUAGES`` gets the listing pages under ``/<lang>/`` (home, articles,
experts, topics), rendered with that language's theme strings. A page's
language is the one of its article or page, else the ``lang`` it was
rendered with, else the site's default.

Catalogs live in the theme (``theme/translations/<lang>/LC_MESSAGES/messages.po``,
read by ``ambassade.i18n``, which the tools' messages share)
and are compiled in memory at each build, so no generated ``.mo`` file is kept
in git and a translator's edit shows up in the next preview.
"""

from __future__ import annotations

import datetime as dt
import gettext
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

from ambassade import inputs
from ambassade.i18n import catalog as theme_catalog
from ambassade.languages import in_language, language_name, page_lang

from .pages import TranslatedPagesGenerator, available_in, own_language_first, preferred, preferred_articles


@lru_cache(maxsize=65536)
def _format_date(value: dt.date, fmt: str, lang: str) -> str:
    # Babel parses the pattern and looks the locale up on every call; listings show
    # the same dates again and again.
    return format_date(value, format=fmt, locale=lang)


# Translated theme strings, by catalog object: a module's, not a closure's, so that
# page keys (speed/fingerprint.py: what functions close over is data) ignore it.
_said: dict[tuple, str] = {}


def _page_key(ctx, default: str) -> str | None:
    """The language-neutral URL of a listing page (home, articles, experts, topics), or of one
    of its later pages."""
    paged = ctx.get("articles_page")
    if paged is not None and paged.number > 1:
        # A later page of a list: its address, without the language's folder.
        url = paged.url
        lang = page_lang(ctx)
        return url[len(lang) + 1 :] if lang != default and url.startswith(f"{lang}/") else url
    key = ctx.get("page_key")
    if key is not None:
        return key
    # Pelican's own listing pages (index, archives) name themselves after where they
    # are saved, without ".html": "index", "articles/index".
    name = ctx.get("page_name") or ""
    return name[: -len("index")] if name.endswith("index") else None


def install(generator) -> None:
    """Give every generator's Jinja environment language-aware gettext, dates and URLs."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    theme = generator.settings["THEME"]
    default = generator.settings["DEFAULT_LANG"]

    catalogs = {lang: theme_catalog(theme, lang) for lang in generator.settings.get("LANGUAGES", (default,))}

    def catalog(lang: str) -> gettext.NullTranslations:
        # Not added to ``catalogs``: page keys count what functions close over, as it was before rendering.
        return catalogs.get(lang) or theme_catalog(theme, lang)

    @pass_context
    def _gettext(ctx, message: str) -> str:
        return catalog(page_lang(ctx)).gettext(message)

    @pass_context
    def _ngettext(ctx, singular: str, plural: str, n: int) -> str:
        return catalog(page_lang(ctx)).ngettext(singular, plural, n)

    @pass_context
    def gettext_once(ctx, message: str, **variables) -> str:
        """Jinja's newstyle ``gettext``, kept per catalog when nothing is formatted in.

        Every page asks for the same few dozen strings; Jinja's own goes through
        three calls, a Markup and a format each time.
        """
        escape = ctx.eval_ctx.autoescape
        if variables:
            text = _gettext(ctx, message)
            return (Markup(text) if escape else text) % variables
        key = (catalog(page_lang(ctx)), message, escape)
        text = _said.get(key)
        if text is None:
            if len(_said) > 50_000:
                _said.clear()
            text = key[0].gettext(message)
            text = _said[key] = (Markup(text) if escape else text) % {}
        return text

    @pass_context
    def localdate(ctx, value: dt.date, fmt: str = "long") -> str:
        # Babel formats a datetime's date alone: kept by day, not by instant (posts have their own).
        day = value.date() if isinstance(value, dt.datetime) else value
        return _format_date(day, fmt, page_lang(ctx))

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
        key = _page_key(ctx, default)
        return None if key is None else in_language(key, page_lang(ctx), default)

    @pass_context
    def language_links(ctx) -> list[dict]:
        """This page in every other language, or that language's home when it has no translation."""
        here = page_lang(ctx)
        content = ctx.get("article") or ctx.get("page")
        exact: dict[str, str] = {}
        if content is not None:
            exact = {t.lang: t.url for t in content.translations}
        elif (key := _page_key(ctx, default)) is not None:
            exact = {lang: in_language(key, lang, default) for lang in languages}
        return [
            {"lang": lang, "url": exact.get(lang, in_language("", lang, default)), "exact": lang in exact}
            for lang in languages
            if lang != here
        ]

    env.globals["own_url"] = own_url
    env.globals["language_links"] = language_links
    env.globals["url_in"] = lambda url, lang: in_language(url, lang, default)
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    env.globals["gettext"] = env.globals["_"] = gettext_once
    env.filters["localdate"] = localdate
    env.filters["lurl"] = lurl
    env.globals["page_lang"] = pass_context(page_lang)
    env.globals["preferred_articles"] = preferred_articles
    env.globals["preferred"] = preferred
    env.globals["available_in"] = available_in
    env.globals["own_language_first"] = own_language_first

    @pass_context
    def untranslated_in(ctx, content) -> list[str]:
        """The other languages of the site ``content`` has no translation in: a search in them lists it
        after their own pages."""
        have = {content.lang, *(t.lang for t in content.translations)}
        return [lang for lang in languages if lang not in have]

    @pass_context
    def language_name_here(ctx, code: str) -> str:
        """The language ``code`` as the page's language names it."""
        return language_name(code, page_lang(ctx))

    env.globals["untranslated_in"] = untranslated_in
    env.globals["language_name"] = language_name_here


def declare(pelican) -> None:
    """The plugin reads the theme's catalogs (ambassade.inputs)."""
    inputs.declare(pelican.settings, Path(pelican.settings["THEME"]) / "translations", by=__name__)


def get_generators(pelican):
    return TranslatedPagesGenerator


def register() -> None:
    """Say what it reads at ``initialized``; hook at ``generator_init``: every generator has built its
    Jinja env, none has rendered yet."""
    signals.initialized.connect(declare)
    signals.generator_init.connect(install)
    signals.get_generators.connect(get_generators)
