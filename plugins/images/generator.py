"""Photos and cards of the pages being built: what templates show of them, and their files.

Runs after the experts generator (listed after it in ``PLUGINS``), so every
published expert page and every attributed article exists when it starts.
Only published experts are seen here: nobody else's photo is ever read.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from ambassade import making
from ambassade.diagnostics import ContentError, Finding, display_path
from ambassade.filecache import Store, digest, file_digest
from ambassade.i18n import _

from . import cards, portraits
from .settings import ImagesSettings

log = logging.getLogger(__name__)

CARD_NAME = "card-{key}.png"
"""A card's file name: its key in it, so that a changed card is a new address for networks' caches."""


@dataclass(frozen=True)
class Source:
    url: str
    width: int


@dataclass(frozen=True)
class Photo:
    """A profile photo as templates show it: WebP in several widths, a JPEG for the others."""

    sources: tuple[Source, ...]
    fallback: Source

    def srcset(self, siteurl: str) -> str:
        return ", ".join(f"{siteurl}/{s.url} {s.width}w" for s in self.sources)


@dataclass(frozen=True)
class CardImage:
    """A link-preview card: where it is, and its size."""

    url: str
    width: int = cards.WIDTH
    height: int = cards.HEIGHT


class ImagesGenerator(Generator):
    # Cards are made from profiles and articles already read, cached by their inputs: a quick edit
    # to a profile makes them again (ambassade.fastpath.REDO_CONTEXT) rather than read the site again.
    redo_context = True

    def derived_elsewhere(self) -> Any:
        """What this generator derives outside profiles: photos as served, articles' cards."""
        pages = self.context.get("experts_by_slug", {})
        return (
            [(slug, page.portrait) for slug, page in sorted(pages.items())],
            [(save_as, getattr(a, "card", None)) for a, save_as in self.carded],
        )

    def generate_context(self) -> None:
        conf = ImagesSettings.of(self.settings)
        cache = self.settings["CACHE_PATH"]
        self.photo_store, self.card_store = Store(cache, "photos"), Store(cache, "cards")
        self.photos: list[tuple[Any, portraits.Portrait, str]] = []
        self.photo_keys: dict[str, str] = {}
        self.contents: dict[str | None, str] = {}
        self.cards: list[tuple[cards.Card, str, str]] = []
        self.carded: list[tuple[Any, str]] = []
        """The articles given a card, with where each is written."""
        pages = self.context.get("experts_by_slug", {})
        for page in sorted(pages.values(), key=lambda p: p.slug):
            page.portrait = self._photo(conf, page)
        if not conf.cards:
            return
        style = self._style(conf)
        # A card's key names what it is drawn from by content, never by path: the same card
        # from another checkout or cache folder is the same file.
        self.contents = {
            path: file_digest(Path(path)) for path in (style.regular, style.bold, style.logo) if path
        }
        people = {slug: self._person(page) for slug, page in pages.items()}
        for page in sorted(pages.values(), key=lambda p: p.slug):
            made = {}
            for lang in self.settings.get("LANGUAGES", (self.settings["DEFAULT_LANG"],)):
                card = cards.Card(
                    "expert",
                    style,
                    page.name,
                    subtitle=page.text("role", lang),
                    topics=tuple(t.name_in(lang) for t in page.topics),
                    people=(people[page.slug],),
                )
                made[lang] = self._card(card, page.save_as)
            page.profile.derived["cards"] = made
        # Listed once: Pelican formats each address anew when asked (0.1 s for 10,000 of them).
        self.carded = self._articles()
        for article, save_as in self.carded:
            tags = getattr(article, "tags", [])
            label = ""
            if tags:
                topic = getattr(tags[0], "topic", None)
                label = topic.name_in(article.lang) if topic is not None else tags[0].name
            card = cards.Card(
                "article",
                style,
                _plain(article.title),
                label=label,
                people=tuple(people[a.slug] for a in getattr(article, "authors", []) if a.slug in people),
            )
            article.card = self._card(card, save_as)

    def _photo(self, conf: ImagesSettings, page) -> Photo | None:
        if page.photo is None:
            return None
        spec = portraits.Portrait(
            str(page.photo),
            page.photo_focus,
            conf.photo_widths,
            conf.photo_fallback_width,
            conf.photo_quality,
        )
        key = digest(
            "portrait",
            portraits.VERSION,
            file_digest(page.photo),
            spec.focus,
            spec.widths,
            spec.fallback_width,
            spec.quality,
        )
        self.photos.append((page, spec, key))
        self.photo_keys[page.slug] = key

        def source(width: int, ext: str) -> Source:
            return Source(conf.photo_save_as.format(slug=page.slug, width=width, ext=ext), width)

        return Photo(
            tuple(source(w, "webp") for w in sorted(conf.photo_widths)),
            source(conf.photo_fallback_width, "jpg"),
        )

    def _person(self, page) -> cards.Person:
        photo = None
        if page.portrait is not None:
            key = self.photo_keys[page.slug]
            photo = str(self.photo_store.path(key, f"{page.portrait.fallback.width}.jpg"))
            self.contents[photo] = key
        return cards.Person(page.name, page.initials, page.tone, photo)

    def _style(self, conf: ImagesSettings) -> cards.Style:
        theme = Path(self.settings["THEME"])
        regular, bold = (str(theme / font) for font in conf.card_fonts)
        return cards.Style(
            conf.card_background,
            conf.card_text,
            conf.card_accent,
            regular,
            bold,
            str(theme / conf.card_logo) if conf.card_logo else None,
            self.settings["SITENAME"],
        )

    def _card(self, card: cards.Card, save_as: str) -> CardImage:
        fonts = tuple(self.contents.get(getattr(card.style, f)) for f in ("regular", "bold", "logo"))
        key = _card_keys.get((card, fonts))
        if key is None:
            stable = replace(
                card,
                style=replace(card.style, **dict(zip(("regular", "bold", "logo"), fonts, strict=True))),
                # A photo's path in the store names its key: its content.
                people=tuple(replace(p, photo=self.contents.get(p.photo)) for p in card.people),
            )
            key = digest("card", cards.VERSION, stable)
            if len(_card_keys) > 100_000:
                _card_keys.clear()
            _card_keys[card, fonts] = key
        folder = os.path.dirname(save_as) if save_as.endswith("index.html") else os.path.splitext(save_as)[0]
        url = f"{folder}/{CARD_NAME.format(key=key[:12])}" if folder else CARD_NAME.format(key=key[:12])
        self.cards.append((card, key, url))
        return CardImage(url)

    def _articles(self) -> list[tuple[Any, str]]:
        """Every article written (published, drafts in the preview, and their translations), with
        where: Pelican formats ``save_as`` anew at each read."""
        found = []
        for article in [*self.context.get("articles", []), *self.context.get("drafts", [])]:
            found.append(article)
            found += article.translations
        return [(a, save_as) for a in found if (save_as := a.save_as)]

    def generate_output(self, writer) -> None:
        workers = ImagesSettings.of(self.settings).workers
        photos = {key: (page, spec) for page, spec, key in self.photos}
        jobs = [
            making.Job(portraits.make, spec, self.photo_store, key, refused=(portraits.PhotoError,))
            for key, (page, spec) in photos.items()
            if not self.photo_store.has(key, *portraits.names(spec))
        ]
        failed = making.run(jobs, workers)
        if failed:
            raise ContentError([_broken(photos[job.key][0], error) for job, error in failed])
        drawn: dict[str, cards.Card] = {}
        for card, key, _url in self.cards:
            if key not in drawn and not self.card_store.has(key, "card.png"):
                drawn[key] = card
        making.run([making.Job(_draw, card, self.card_store, key) for key, card in drawn.items()], workers)

        output = Path(self.output_path)
        for page, _spec, key in self.photos:
            for source in (*page.portrait.sources, page.portrait.fallback):
                ext = "webp" if source.url.endswith(".webp") else "jpg"
                self.photo_store.link(key, f"{source.width}.{ext}", output / source.url)
        for _card, key, url in self.cards:
            self.card_store.link(key, "card.png", output / url)


_card_keys: dict[tuple, str] = {}
"""Each card's key by the card and the digests of its fonts and logo: a rebuild after a profile
edit works out every card's key again (ambassade.fastpath.REDO_CONTEXT)."""


def _draw(card: cards.Card) -> dict[str, bytes]:
    return {"card.png": cards.draw(card)}


def _plain(text: str) -> str:
    """A title as text: Markdown may have made entities or tags of it."""
    from markupsafe import Markup

    return Markup(text).striptags()


def _broken(page, error: str) -> Finding:
    path = page.profile.source_path
    line = 1
    try:
        with open(path, encoding="utf-8") as fh:
            line = next((n for n, text in enumerate(fh, 1) if text.startswith("photo:")), 1)
    except OSError:
        pass
    return Finding(
        display_path(path),
        line,
        1,
        "profile-photo",
        _("the photo cannot be decoded (%(error)s)", error=error),
        _("a JPEG, PNG or WebP photo that opens"),
    )
