"""Expert profiles: load and validate them, attribute articles, build their pages.

Pages: the directory (and its filtered pages by topic, city, language and
team), a page per published expert (contact as they chose, talks,
publications, media), topics, the agenda of upcoming talks and the speakers'
view; files: each expert's vCard, QR code and calendar of talks, the agenda's
calendar (takeaway.py).

Settings: ``EXPERTS`` (settings.py: URLs of expert, topic and directory pages,
how many experts the home page features, related articles, the comms address
contact requests go to); the profiles' folder and the topic vocabulary are the
site's (``SITE["experts_path"]``, ``SITE["topics"]``).
"""

from __future__ import annotations

import logging

from ambassade import inputs, reading
from ambassade.build import KEEP_GOING
from ambassade.diagnostics import ContentError, errors
from ambassade.i18n import _
from ambassade.languages import language_name, page_lang
from ambassade.profiles import load_profiles
from ambassade.site import experts_path, vocabulary
from ambassade.topics import fold

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
    topics, topic_findings = vocabulary(generator.settings)
    findings += topic_findings
    # A preview that goes on leaves the broken profiles out; without a vocabulary nothing can be built.
    if topics is None or (errors(findings) and not generator.settings.get(KEEP_GOING)):
        raise ContentError(findings)
    context["experts_registry"] = experts
    context["topic_vocabulary"] = topics
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
    topics = generator.context["topic_vocabulary"]
    default = generator.settings["DEFAULT_LANG"]
    cache: dict[str, Author] = {}
    tags: dict = {}
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
            if hasattr(article, "tags"):
                article.tags = _topics(article, topics, tags, default, generator.settings)


def _topics(article, topics, tags: dict, default: str, settings: dict) -> list:
    """An article's tags as topics of the vocabulary: one Tag per topic, named and addressed as the
    vocabulary says, whichever of its names or its slug the article wrote."""
    from pelican.urlwrappers import Tag

    kept = []
    for tag in article.tags:
        term = topics.resolve(tag.name)
        if term is None:  # the rules stop a build before; Pelican run alone says so
            log.error(_("%(path)s: unknown topic '%(topic)s'", path=article.source_path, topic=tag.name))
            continue
        if term.slug not in tags:
            tags[term.slug] = Tag(term.name(default), settings)
            tags[term.slug].slug = term.slug
        if tags[term.slug] not in kept:
            kept.append(tags[term.slug])
    return kept


def install(generator) -> None:
    """What templates ask of topics, articles and experts: the words a search finds a topic by, reading
    time, the contact links and language names."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    from jinja2 import pass_context

    @pass_context
    def topic_terms(ctx, topics) -> list[str]:
        """Every name (in every language) and synonym of ``topics`` and of the broader topics they
        belong to: what the search index holds with a page about them."""
        vocabulary = ctx["topic_vocabulary"]
        return list(dict.fromkeys(term for t in topics for term in vocabulary.search_terms(t.slug)))

    @pass_context
    def search_names(ctx) -> dict[str, dict[str, str]]:
        """What the search page calls the values of its filters, in the page's language: topics by
        slug, languages (of the site, and those experts speak) by code; and the words that name a topic."""
        lang = page_lang(ctx)
        codes = {*ctx["LANGUAGES"], *(f.key for f in ctx["expert_filters"]["language"])}
        vocabulary = ctx["topic_vocabulary"]
        listed = {t.slug for t in ctx["topics"]}
        return {
            "topics": {t.slug: t.name_in(lang) for t in ctx["topics"]},
            "languages": {code: language_name(code, lang) for code in sorted(codes)},
            # Every name and synonym of a topic with a page, accents and case aside: the topic it means.
            "terms": {
                fold(term): slug
                for slug in listed
                for term in (*vocabulary.topics[slug].names.values(), *vocabulary.topics[slug].synonyms)
            },
        }

    @pass_context
    def topic_slugs(ctx, topics) -> list[str]:
        """The slugs of ``topics`` and of the broader topics they belong to, each once."""
        vocabulary = ctx["topic_vocabulary"]
        return list(dict.fromkeys(t.slug for topic in topics for t in vocabulary.lineage(topic.slug)))

    @pass_context
    def topic_name(ctx, name: str) -> str:
        """A topic a profile names, as the vocabulary calls it in the page's language."""
        term = ctx["topic_vocabulary"].resolve(name)
        return term.name(page_lang(ctx)) if term is not None else name

    env.globals["topic_slugs"] = topic_slugs
    env.filters["topic_name"] = topic_name

    env.globals["topic_terms"] = topic_terms
    env.globals["search_names"] = search_names
    env.filters["reading_minutes"] = lambda html: reading.minutes(reading.words_of_html(html))

    # How a person is reached and in which languages they work (contact.py, filters.py).
    from .contact import hidden, mailto
    from .filters import language_name as language_name_of_page

    env.filters["mailto"] = mailto
    env.filters["hidden"] = hidden
    env.filters["language_name"] = language_name_of_page


def get_generators(pelican):
    from .generator import ExpertsGenerator

    return ExpertsGenerator


def register() -> None:
    """Connect the plugin: what it reads at start, template helpers at ``generator_init``, profiles and
    the vocabulary with the articles, authors and topics before Pelican indexes them, pages after."""
    from pelican import signals

    signals.initialized.connect(declare)
    signals.generator_init.connect(install)
    signals.article_generator_init.connect(load)
    signals.article_generator_pretaxonomy.connect(attribute)
    signals.get_generators.connect(get_generators)
