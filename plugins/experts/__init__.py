"""Expert profiles: load and validate them, attribute articles, build their pages.

Settings: ``EXPERTS`` (settings.py: URLs of expert and topic pages, how many
experts the home page features, topic names per language); the profiles'
folder is the site's (``SITE["experts_path"]``).
"""

from __future__ import annotations

import logging

from ambassade.build import KEEP_GOING
from ambassade.diagnostics import ContentError, errors
from ambassade.profiles import load_profiles
from ambassade.site import experts_path

from .settings import ExpertsSettings

# Pelican is imported where it is used: ``invoke fetch`` and ``invoke check`` read
# profiles and need none of Pelican.

log = logging.getLogger(__name__)

SETTINGS = (ExpertsSettings,)


def load(generator) -> None:
    """Read the profiles before any article is attributed; a broken profile stops the build.

    Their biographies are converted here too: with the speed plugin, this runs
    while other processes convert the articles and the main one would only wait.
    """
    context = generator.context
    if "experts_registry" in context:
        return
    experts, findings = load_profiles(
        experts_path(generator.settings), default_lang=generator.settings["DEFAULT_LANG"]
    )
    if errors(findings) and not generator.settings.get(KEEP_GOING):
        raise ContentError(findings)  # a preview that goes on leaves the broken profiles out
    context["experts_registry"] = experts
    from .generator import convert_bios

    convert_bios(generator.settings, experts)


def attribute(generator) -> None:
    """Turn article authors (slugs) into the experts they name, before Pelican indexes them.

    Runs at ``article_generator_pretaxonomy`` so that Pelican's author lists and
    per-author feeds are built from the rewritten authors: an expert who has not
    opted in is dropped from the byline and gets no feed, and published experts
    are shown by name but keep their slug as the one URL of the person.
    """
    from pelican.urlwrappers import Author

    registry = generator.context["experts_registry"]
    cache: dict[str, Author] = {}
    for attr in (
        "articles",
        "translations",
        "drafts",
        "drafts_translations",
        "hidden_articles",
        "hidden_translations",
    ):
        for article in getattr(generator, attr, []):
            kept = []
            for author in getattr(article, "authors", []):
                expert = registry.get(author.name)
                if expert is None:
                    log.error("%s: unknown author '%s'", article.source_path, author.name)
                    continue
                if not expert.published:
                    continue
                if expert.slug not in cache:
                    cache[expert.slug] = Author(expert.name, generator.settings)
                    cache[expert.slug].slug = expert.slug
                kept.append(cache[expert.slug])
            article.authors = kept
            if kept:
                article.author = kept[0]
            elif hasattr(article, "author"):
                del article.author


def get_generators(pelican):
    from .generator import ExpertsGenerator

    return ExpertsGenerator


def register() -> None:
    """Connect the plugin: settings at start, profiles and authors with the articles, pages after."""
    from pelican import signals

    signals.article_generator_init.connect(load)
    signals.article_generator_pretaxonomy.connect(attribute)
    signals.get_generators.connect(get_generators)
