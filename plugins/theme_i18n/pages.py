"""Listing pages in the languages other than the default one (``/en/``, …), the not-found page in
every language, and which version of an article or page a list shows."""

from __future__ import annotations

from pelican.generators import Generator

from ambassade.languages import in_language, not_found_pages


def preferred(content, lang: str):
    """``content`` (an article or a page), or its translation in ``lang`` when it has one."""
    if content.lang == lang:
        return content
    return next((t for t in content.translations if t.lang == lang), content)


def preferred_articles(articles: list, lang: str) -> list:
    """Each article once, in ``lang`` when it has a translation in it."""
    return [preferred(article, lang) for article in articles]


def available_in(contents: list, lang: str) -> list:
    """The versions in ``lang`` of those of ``contents`` that have one: what a page in ``lang``
    may link to without sending its reader to another language (menus, footers)."""
    return [shown for content in contents if (shown := preferred(content, lang)).lang == lang]


def own_language_first(articles: list, lang: str, others: bool = True) -> list:
    """Each article once: those in ``lang`` (or translated into it) first, newest first; then,
    unless ``others`` is false, those that exist in other languages only."""
    shown = preferred_articles(articles, lang)
    own = [a for a in shown if a.lang == lang]
    return own + [a for a in shown if a.lang != lang] if others else own


class TranslatedPagesGenerator(Generator):
    """Pelican's listing pages (home, archives, search…) per extra language, and the page hosts
    serve for an address without a page, in every language.

    Expert and topic pages come from the experts plugin, in every language.
    """

    def generate_output(self, writer) -> None:
        default = self.settings["DEFAULT_LANG"]
        relative = self.settings["RELATIVE_URLS"]
        languages = tuple(self.settings.get("LANGUAGES", (default,)))
        for lang in languages:
            if lang == default:
                continue
            articles = preferred_articles(self.context["articles"], lang)
            for name in self.settings["DIRECT_TEMPLATES"]:
                save_as = self.settings[f"{name.upper()}_SAVE_AS"]
                page_key = save_as[: -len("index.html")]
                writer.write_file(
                    in_language(save_as, lang, default),
                    self.get_template(name),
                    self.context,
                    relative_urls=relative,
                    # Paginated as Pelican paginates the default language's (PAGINATED_TEMPLATES).
                    paginated={
                        "articles": articles,
                        "dates": sorted(articles, key=lambda a: a.date, reverse=True),
                    },
                    template_name=name,
                    url=in_language(self.settings.get(f"{name.upper()}_URL", page_key), lang, default),
                    lang=lang,
                    page_name=name,
                    page_key=page_key,
                    articles=articles,
                    dates=sorted(articles, key=lambda a: a.date, reverse=True),
                )
        # Served at any address, so its links start from the site's root, never from where it is.
        for lang, save_as in not_found_pages(languages, default).items():
            writer.write_file(
                save_as,
                self.get_template("404"),
                self.context,
                relative_urls=False,
                lang=lang,
                page_name="404",
            )
