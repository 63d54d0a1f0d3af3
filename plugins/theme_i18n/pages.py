"""Listing pages in the languages other than the default one (``/en/``, …)."""

from __future__ import annotations

from pelican.generators import Generator

from ambassade.languages import in_language


def preferred_articles(articles: list, lang: str) -> list:
    """Each article once, in ``lang`` when it has a translation in it."""
    out = []
    for article in articles:
        match = next((t for t in article.translations if t.lang == lang), None)
        out.append(match if article.lang != lang and match else article)
    return out


class TranslatedPagesGenerator(Generator):
    """Pelican's listing pages (home, archives, search…) per extra language.

    Expert and topic pages come from the experts plugin, in every language.
    """

    def generate_output(self, writer) -> None:
        default = self.settings["DEFAULT_LANG"]
        relative = self.settings["RELATIVE_URLS"]
        for lang in self.settings.get("LANGUAGES", (default,)):
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
                    lang=lang,
                    page_name=name,
                    page_key=page_key,
                    articles=articles,
                    dates=sorted(articles, key=lambda a: a.date, reverse=True),
                )
