"""Pages Pelican does not have: the experts directory, a page per expert, topics.

Runs after the articles generator (plugin generators come after Pelican's own),
so every article is already read and attributed when pages are assembled.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import markdown
from pelican.generators import Generator
from pelican.urlwrappers import Tag

from ambassade.engagements import day_of
from ambassade.profiles import Expert, sort_key

from . import takeaway
from .contact import address_of
from .model import AgendaEntry, ExpertPage, Topic, network_links
from .settings import ExpertsSettings
from .speakers import speakers

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


class ExpertsGenerator(Generator):
    def generate_context(self) -> None:
        conf = ExpertsSettings.of(self.settings)
        registry: dict[str, Expert] = self.context["experts_registry"]
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

        articles = self.context.get("articles", []) + [
            t for a in self.context.get("articles", []) for t in a.translations
        ]
        articles.sort(key=lambda a: (a.date, a.source_path), reverse=True)
        for article in articles:
            for author in getattr(article, "authors", []):
                if author.slug in pages:
                    pages[author.slug].articles.append(article)

        topics = self._topics(pages, articles)
        for page in pages.values():
            page.feed_url = (
                self._feed(self.settings.get("AUTHOR_FEED_ATOM"), page.slug) if page.articles else None
            )

        experts = sorted(pages.values(), key=lambda p: sort_key(p.name))
        self.context["experts"] = experts
        self.context["experts_by_slug"] = pages
        self.context["topics"] = sorted(topics.values(), key=lambda t: sort_key(t.name))
        self.context["featured_experts"] = sorted(
            experts,
            key=lambda p: (p.articles[0].date.timestamp() if p.articles else 0, sort_key(p.name)),
            reverse=True,
        )[: conf.featured]
        self.context["agenda"] = sorted(
            (AgendaEntry(talk, page) for page in experts for talk in page.upcoming_talks),
            key=lambda e: (day_of(e.talk.start), e.talk.title, e.expert.slug),
        )
        self.context["speakers"] = speakers(experts, self.context["topics"], self.settings)
        self.context["agenda_links"] = takeaway.agenda_links(
            conf, has_talks=any(p.profile.talks for p in experts)
        )

    def _feed(self, template: str | None, slug: str) -> str | None:
        return template.format(slug=slug) if template else None

    def _topics(self, pages: dict[str, ExpertPage], articles: list) -> dict[str, Topic]:
        conf = ExpertsSettings.of(self.settings)
        topics: dict[str, Topic] = {}

        def topic(name: str) -> Topic:
            # Pelican's own Tag slug, so an article's tag links to the same topic page.
            slug = Tag(name, self.settings).slug
            if slug not in topics:
                topics[slug] = Topic(
                    name=name,
                    slug=slug,
                    names={lang: names[slug] for lang, names in conf.topic_names.items() if slug in names},
                    url=conf.topic_url.format(slug=slug),
                    save_as=conf.topic_save_as.format(slug=slug),
                )
            return topics[slug]

        for page in sorted(pages.values(), key=lambda p: sort_key(p.name)):
            for name in page.expertise:
                t = topic(name)
                t.experts.append(page)
                page.topics.append(t)
        for article in articles:
            for tag in getattr(article, "tags", []):
                t = topic(tag.name)
                t.articles.append(article)
                tag.topic = t
        for t in topics.values():
            t.feed_url = self._feed(self.settings.get("TAG_FEED_ATOM"), t.slug) if t.articles else None
        return topics

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
            write(conf.topics_save_as, "topics", "expertise/", page_name="topics")
            write(conf.agenda_save_as, "agenda", _page_key(conf.agenda_save_as), page_name="agenda")
            write(conf.speakers_save_as, "speakers", _page_key(conf.speakers_save_as), page_name="speakers")
            for page in self.context["experts"]:
                write(page.save_as, "expert", page.url, expert=page, page_name="expert")
            for topic in self.context["topics"]:
                write(topic.save_as, "topic", topic.url, topic=topic, page_name="topic")


def _page_key(save_as: str) -> str:
    """A listing page's language-neutral URL: where it is saved, without ``index.html``."""
    return save_as[: -len("index.html")] if save_as.endswith("index.html") else save_as
