"""The experts who accept to speak, as the speakers' view of the directory lists them."""

from __future__ import annotations

from dataclasses import dataclass, field

from pelican.urlwrappers import Tag

from ambassade.profiles import sort_key
from ambassade.topics import Vocabulary

from .model import ExpertPage, Topic


@dataclass(frozen=True)
class SpeakerTopic:
    """A topic someone speaks about: the site's topic when there is one (it has a page)."""

    name: str
    topic: Topic | None
    experts: list[ExpertPage] = field(default_factory=list)

    def name_in(self, lang: str) -> str:
        return self.topic.name_in(lang) if self.topic is not None else self.name


@dataclass(frozen=True)
class Speakers:
    experts: list[ExpertPage]
    """Everyone available, by name."""
    topics: list[SpeakerTopic]
    """By topic, topics by name; a person under each topic they speak about."""
    languages: list[tuple[str, list[ExpertPage]]]
    """By language they speak in, the most spoken first (the site's own language first among equals)."""


def speakers(
    experts: list[ExpertPage], topics: list[Topic], vocabulary: Vocabulary, settings: dict
) -> Speakers:
    available = [e for e in experts if e.speaking.available]
    known = {t.slug: t for t in topics}
    by_topic: dict[str, SpeakerTopic] = {}
    by_language: dict[str, list[ExpertPage]] = {}
    for expert in available:  # already by name
        for name in expert.speaking.topics:
            # The vocabulary's topic whichever of its names the person wrote; another, by its own name.
            term = vocabulary.resolve(name)
            slug = term.slug if term is not None else Tag(name, settings).slug
            entry = by_topic.setdefault(slug, SpeakerTopic(name, known.get(slug)))
            entry.experts.append(expert)
        for language in expert.speaking.languages:
            by_language.setdefault(language, []).append(expert)
    return Speakers(
        available,
        sorted(by_topic.values(), key=lambda t: sort_key(t.name)),
        # The most spoken first; among equals, the site's own language first.
        sorted(
            by_language.items(),
            key=lambda item: (-len(item[1]), item[0] != settings["DEFAULT_LANG"], item[0]),
        ),
    )
