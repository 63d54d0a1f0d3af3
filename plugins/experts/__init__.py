"""Expert profiles: load and validate them, attribute articles, build their pages.

Pages: the directory, a page per published expert (contact as they chose,
talks, publications, media), topics, the agenda of upcoming talks and the
speakers' view; files: each expert's vCard, QR code and calendar of talks,
the agenda's calendar (takeaway.py).

Settings: ``EXPERTS`` (settings.py: URLs of expert and topic pages, how many
experts the home page features, topic names per language, the comms address
contact requests go to); the profiles' folder is the site's
(``SITE["experts_path"]``).
"""

from __future__ import annotations

import logging

from ambassade import inputs
from ambassade.diagnostics import ContentError, errors
from ambassade.profiles import load_profiles
from ambassade.site import experts_path

from .settings import ExpertsSettings

# Pelican is imported where it is used: ``invoke fetch`` and ``invoke check`` read
# profiles and need none of Pelican.

log = logging.getLogger(__name__)

SETTINGS = (ExpertsSettings,)


def declare(pelican) -> None:
    """Say what the plugin reads (ambassade.inputs): the profiles' folder, photos and schema included."""
    inputs.declare(pelican.settings, experts_path(pelican.settings), by=__name__)


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
    if errors(findings):
        raise ContentError(findings)
    context["experts_registry"] = experts
    from .generator import convert_bios

    convert_bios(generator.settings, experts)


def attribute(generator) -> None:
    """Turn article authors (slugs) into the experts they name, before Pelican indexes them.

    Runs at ``article_generator_pretaxonomy`` so that Pelican's author lists and
    per-author feeds are built from the rewritten authors: an expert who has not
    opted in, or whose profile was deleted, is dropped from the byline and gets
    no feed, and published experts are shown by name but keep their slug as the
    one URL of the person.
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
                # No profile (deleted: the person left the programme) or not published: the
                # article stays, without the name. The content rules tell a typo from a withdrawal.
                if expert is None or not expert.published:
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


def install(generator) -> None:
    """The filters the expert templates use, in every generator's Jinja environment."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    from .contact import hidden, mailto
    from .filters import language_name

    env.filters["mailto"] = mailto
    env.filters["hidden"] = hidden
    env.filters["language_name"] = language_name


def get_generators(pelican):
    from .generator import ExpertsGenerator

    return ExpertsGenerator


def register() -> None:
    """Connect the plugin: what it reads at start, profiles and authors with the articles, pages after."""
    from pelican import signals

    signals.initialized.connect(declare)
    signals.generator_init.connect(install)
    signals.article_generator_init.connect(load)
    signals.article_generator_pretaxonomy.connect(attribute)
    signals.get_generators.connect(get_generators)
