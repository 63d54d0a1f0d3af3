"""The ``EXPERTS`` settings: where expert and topic pages go, and what the home page shows of experts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ambassade.settings import Section, default


@dataclass(frozen=True)
class ExpertsSettings(Section):
    NAME: ClassVar[str] = "EXPERTS"

    url: str = default("experts/{slug}/", doc="an expert page's URL")
    save_as: str = default("experts/{slug}/index.html", doc="where an expert page is written")
    index_save_as: str = default("experts/index.html", doc="the directory of experts")
    photo_save_as: str = default("experts/{slug}/photo{ext}", doc="where a profile's photo is copied")
    topic_url: str = default("expertise/{slug}/", doc="a topic page's URL")
    topic_save_as: str = default("expertise/{slug}/index.html", doc="where a topic page is written")
    topics_save_as: str = default("expertise/index.html", doc="the list of topics")
    featured: int = default(6, min=0, doc="how many experts the home page shows")
    topic_names: dict[str, dict[str, str]] = default(
        {}, doc="a topic's name per language, by slug: {'en': {'agilite': 'Agility'}}"
    )
