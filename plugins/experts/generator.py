"""Pages Pelican does not have: the experts directory and its filters, a page per expert, topics.

Runs after the articles generator (plugin generators come after Pelican's own),
so every article is already read and attributed when pages are assembled.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from zoneinfo import ZoneInfo

import markdown
from pelican.generators import Generator
from pelican.utils import slugify

from ambassade.engagements import day_of
from ambassade.i18n import _
from ambassade.languages import language_name
from ambassade.profiles import Expert, sort_key
from ambassade.topics import Vocabulary

from . import related, takeaway
from .contact import address_of
from .model import AgendaEntry, ExpertPage, Filter, Topic, network_links
from .settings import ExpertsSettings
from .speakers import speakers

log = logging.getLogger(__name__)

_bios: dict[tuple[str, str], str] = {}


def _convert(md: markdown.Markdown, text: str) -> str:
    """A biography's HTML; kept per settings and text, as livereload rebuilds every profile."""
    key = (repr(md_settings(md)), text)
    if key not in _bios:
        if len(_bios) > 50_000:
            _bios.clear()
        _bios[key] = md.reset().convert(text)
    return _bios[key]


def md_settings(md: markdown.Markdown) -> tuple:
    return getattr(md, "_ambassade_settings", ())


def bio_converter(settings: dict) -> markdown.Markdown:
    """The Markdown instance biographies are converted with, made from the site's ``MARKDOWN``."""
    md = markdown.Markdown(**settings["MARKDOWN"])
    md._ambassade_settings = repr(settings["MARKDOWN"])
    return md


def convert_bios(settings: dict, experts: dict[str, Expert]) -> None:
    """Convert the biographies of the published experts now (kept for :class:`ExpertsGenerator`).

    Called as the profiles are read, while the articles are converted in other processes.
    """
    md = bio_converter(settings)
    for expert in experts.values():
        if expert.published:
            bio_html(md, expert)


def bio_html(md: markdown.Markdown, expert: Expert) -> dict[str, str]:
    """An expert's biography in HTML, per language."""
    return {lang: _convert(md, text) for lang, text in expert.bio.items()}


def versions(article) -> tuple:
    """An article and its translations."""
    return (article, *getattr(article, "translations", ()))


class ExpertsGenerator(Generator):
    def generate_context(self) -> None:
        conf = ExpertsSettings.of(self.settings)
        registry: dict[str, Expert] = self.context["experts_registry"]
        vocabulary: Vocabulary = self.context["topic_vocabulary"]
        md = bio_converter(self.settings)
        pages: dict[str, ExpertPage] = {}
        today = dt.datetime.now(ZoneInfo(self.settings["TIMEZONE"])).date()
        for slug, expert in registry.items():
            if not expert.published:
                continue
            url = conf.url.format(slug=slug)
            pages[slug] = ExpertPage(
                profile=expert,
                url=url,
                save_as=conf.save_as.format(slug=slug),
                bio_html=bio_html(md, expert),
                links=network_links(expert.links),
                # A talk is upcoming until its last day is over, in the site's time zone.
                upcoming_talks=sorted(
                    (t for t in expert.talks if t.last_day >= today), key=lambda t: (day_of(t.start), t.title)
                ),
                past_talks=[t for t in expert.talks if t.last_day < today],
                files=takeaway.urls(conf, slug, has_talks=bool(expert.talks)),
                contact_address=address_of(expert, conf.comms_email),
            )

        # One entry per article and its translations (Pelican's original), newest first:
        # a list shows it once, in the reader's language when it has that translation.
        originals = sorted(
            self.context.get("articles", []), key=lambda a: (a.date, a.source_path), reverse=True
        )
        for article in originals:
            authors = dict.fromkeys(a.slug for v in versions(article) for a in getattr(v, "authors", []))
            for slug in authors:
                if slug in pages:
                    pages[slug].articles.append(article)

        topics = self._topics(pages, originals, vocabulary)
        for page in pages.values():
            page.feed_url = (
                self._feed(self.settings.get("AUTHOR_FEED_ATOM"), page.slug) if page.articles else None
            )
        related.attach(originals, conf.related)

        experts = sorted(pages.values(), key=lambda p: sort_key(p.name))
        self.context["experts"] = experts
        self.context["experts_by_slug"] = pages
        self.context["topics"] = sorted(topics.values(), key=lambda t: sort_key(t.name))
        self.context["expert_filters"] = self._filters(experts, topics, conf)
        self.context["featured_experts"] = sorted(
            experts,
            key=lambda p: (p.articles[0].date.timestamp() if p.articles else 0, sort_key(p.name)),
            reverse=True,
        )[: conf.featured]
        self.context["agenda"] = sorted(
            (AgendaEntry(talk, page) for page in experts for talk in page.upcoming_talks),
            key=lambda e: (day_of(e.talk.start), e.talk.title, e.expert.slug),
        )
        self.context["speakers"] = speakers(
            experts, self.context["topics"], self.context["topic_vocabulary"], self.settings
        )
        self.context["agenda_links"] = takeaway.agenda_links(
            conf, has_talks=any(p.profile.talks for p in experts)
        )

    def _feed(self, template: str | None, slug: str) -> str | None:
        return template.format(slug=slug) if template else None

    def _topics(
        self, pages: dict[str, ExpertPage], originals: list, vocabulary: Vocabulary
    ) -> dict[str, Topic]:
        """The topics that have an expert or an article (theirs, or a narrower topic's), by slug."""
        conf = ExpertsSettings.of(self.settings)
        default = self.settings["DEFAULT_LANG"]
        topics = {
            slug: Topic(
                term=term,
                url=conf.topic_url.format(slug=slug),
                save_as=conf.topic_save_as.format(slug=slug),
                default_lang=default,
            )
            for slug, term in vocabulary.topics.items()
        }
        for topic in topics.values():
            topic.parent = topics.get(topic.term.parent or "")
        lineage = {slug: [topics[t.slug] for t in vocabulary.lineage(slug)] for slug in topics}

        for page in sorted(pages.values(), key=lambda p: sort_key(p.name)):
            for name in page.expertise:
                term = vocabulary.resolve(name)
                if term is None:  # the rules stop a build before; Pelican run alone says so
                    source = page.profile.source_path
                    log.error(_("%(path)s: unknown topic '%(topic)s'", path=source, topic=name))
                    continue
                if topics[term.slug] not in page.topics:
                    page.topics.append(topics[term.slug])
                for topic in lineage[term.slug]:
                    if page not in topic.experts:
                        topic.experts.append(page)
        listed: dict[str, set[int]] = {slug: set() for slug in topics}
        for article in originals:
            for version in versions(article):
                for tag in getattr(version, "tags", []):
                    tag.topic = topics.get(tag.slug)
                    for topic in lineage.get(tag.slug, ()):
                        if id(article) not in listed[topic.slug]:
                            listed[topic.slug].add(id(article))
                            topic.articles.append(article)
        kept = {slug: t for slug, t in topics.items() if t.experts or t.articles}
        for topic in kept.values():
            topic.feed_url = (
                self._feed(self.settings.get("TAG_FEED_ATOM"), topic.slug) if topic.articles else None
            )
            topic.children = [t for t in kept.values() if t.parent is topic]
        return kept

    def _filters(self, experts: list[ExpertPage], topics: dict[str, Topic], conf: ExpertsSettings) -> dict:
        """The directory's facets: each value, the experts it selects, and its page.

        ``{"expertise": [...], "city": [...], "language": [...], "team": [...]}``, each
        a list of :class:`Filter` in the order a reader looks for them.
        """
        languages = tuple(self.settings.get("LANGUAGES", (self.settings["DEFAULT_LANG"],)))

        def make(facet: str, key: str, label: dict[str, str], members) -> Filter:
            url = conf.filter_url.format(facet=conf.facets[facet], value=key)
            save_as = conf.filter_save_as.format(facet=conf.facets[facet], value=key)
            for page in members:
                page.facets.setdefault(facet, []).append(key)
            return Filter(facet, key, label, url, save_as, tuple(members))

        def grouped(field: str) -> list[Filter]:
            groups: dict[str, list[ExpertPage]] = {}
            labels: dict[str, dict[str, str]] = {}
            for page in experts:
                value = getattr(page, field)
                if not value:
                    continue
                key = slugify(value, regex_subs=self.settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
                groups.setdefault(key, []).append(page)
                labels.setdefault(key, {lang: page.text(field, lang) for lang in languages})
            return sorted(
                (make(field, key, labels[key], members) for key, members in groups.items()),
                key=lambda f: sort_key(f.name_in(self.settings["DEFAULT_LANG"])),
            )

        by_topic = [
            make("expertise", t.slug, {lang: t.name_in(lang) for lang in languages}, t.experts)
            for t in topics.values()
            if t.experts
        ]
        for f in by_topic:
            topics[f.key].directory_url = f.url
        codes = sorted({code for page in experts for code in page.languages})
        spoken = [
            make("language", code, {lang: language_name(code, lang) for lang in languages}, members)
            for code in codes
            if (members := [p for p in experts if code in p.languages])
        ]
        spoken.sort(
            key=lambda f: (f.key not in languages, sort_key(f.name_in(self.settings["DEFAULT_LANG"])))
        )
        return {
            "expertise": sorted(by_topic, key=lambda f: sort_key(f.name_in(self.settings["DEFAULT_LANG"]))),
            "location": grouped("location"),
            "language": spoken,
            "team": grouped("team"),
        }

    def generate_output(self, writer) -> None:
        conf = ExpertsSettings.of(self.settings)
        default = self.settings["DEFAULT_LANG"]
        takeaway.write(self.settings, self.context, Path(self.output_path))
        # Every page once per language of the site: same data, that language's strings and bio.
        for lang in self.settings.get("LANGUAGES", (default,)):
            prefix = "" if lang == default else f"{lang}/"

            def write(save_as: str, template: str, page_key: str, prefix=prefix, lang=lang, **kwargs) -> None:
                writer.write_file(
                    prefix + save_as,
                    self.get_template(template),
                    self.context,
                    relative_urls=self.settings["RELATIVE_URLS"],
                    lang=lang,
                    page_key=page_key,
                    **kwargs,
                )

            write(conf.index_save_as, "experts", "experts/", page_name="experts")
            for facet in self.context["expert_filters"].values():
                for selected in facet:
                    write(selected.save_as, "experts", selected.url, page_name="experts", selected=selected)
            write(conf.topics_save_as, "topics", "expertise/", page_name="topics")
            write(conf.agenda_save_as, "agenda", _page_key(conf.agenda_save_as), page_name="agenda")
            write(conf.speakers_save_as, "speakers", _page_key(conf.speakers_save_as), page_name="speakers")
            for page in self.context["experts"]:
                write(page.save_as, "expert", page.url, expert=page, page_name="expert")
            for topic in self.context["topics"]:
                # A long topic's articles come in pages, numbered in the title (Pelican's paginator).
                writer.write_file(
                    prefix + topic.save_as,
                    self.get_template("topic"),
                    self.context,
                    relative_urls=self.settings["RELATIVE_URLS"],
                    paginated={"articles": topic.articles},
                    template_name="topic",
                    url=prefix + topic.url,
                    lang=lang,
                    page_key=topic.url,
                    topic=topic,
                    page_name="topic",
                )


def _page_key(save_as: str) -> str:
    """A listing page's language-neutral URL: where it is saved, without ``index.html``."""
    return save_as[: -len("index.html")] if save_as.endswith("index.html") else save_as
