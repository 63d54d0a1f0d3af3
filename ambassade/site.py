"""What the site is, whatever its plugins: its public address, its organisation, what it says
of itself in each language, how its home page and menus are made, and where its people's sources are.

``SITE`` in pelicanconf.py (defaults below). Templates read it as ``SITE``
(``SITE.origin``, ``SITE.text[lang].subtitle``); code as ``SiteSettings.of(settings)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .diagnostics import Finding
from .i18n import _
from .settings import SETTINGS_FILE, Problem, Section, default
from .topics import Vocabulary, load_vocabulary, vocabulary_path


@dataclass(frozen=True)
class Organization(Section):
    """The organisation behind the site, as structured data names it."""

    name: str = ""
    url: str = ""
    logo: str = field(default="", metadata={"doc": "path of the logo in the output, e.g. theme/favicon.svg"})


@dataclass(frozen=True)
class SiteText(Section):
    """What the site says of itself in one language."""

    subtitle: str = ""
    description: str = ""


@dataclass(frozen=True)
class SiteSettings(Section):
    NAME: ClassVar[str] = "SITE"

    origin: str = default(
        "",
        doc="the public address (https://…), used wherever a URL must be absolute, "
        "even in the preview: canonical links, structured data, sitemap, share links",
    )
    organization: Organization = field(default_factory=Organization)
    text: dict[str, SiteText] = default({}, doc="per language: the subtitle and description of the site")
    language_names: dict[str, str] = default(
        {"fr": "Français", "en": "English"}, doc="each language's name, as its speakers write it"
    )
    og_locales: dict[str, str] = default(
        {"fr": "fr_FR", "en": "en_GB"}, doc="each language's OpenGraph locale"
    )
    home_articles: int = default(7, min=0, doc="how many articles the home page lists")
    home_other_languages: bool = default(
        True,
        doc="a language's home page lists, after its own articles, those that exist in other languages "
        "only (with a language badge); False: its own only",
    )
    menu_pages: list[str] = default([], doc="pages linked from the header, by slug, when they exist")
    footer_pages: list[str] = default([], doc="pages linked from the footer, by slug, when they exist")
    experts_path: str = default("experts", doc="the folder of the profiles (experts/<slug>.yml, photos/)")
    social_path: str = default(
        "data/social", doc="the folder of the social posts' snapshots, written by fetch"
    )
    publish_time: str = default(
        "09:00",
        doc="when an article dated without a time goes live (HH:MM, in TIMEZONE): "
        "'Date: 2026-03-14' means 2026-03-14 at this time",
    )
    topics: str = default(
        "topics.yml",
        doc="the topic vocabulary, in the content folder (PATH): every topic profiles and articles may "
        "name, with its schema topics.schema.json beside it",
    )

    def problems(self) -> list[Problem]:
        out = []
        if self.origin and (not self.origin.startswith(("https://", "http://")) or self.origin.endswith("/")):
            out.append(
                Problem(
                    ("origin",),
                    _("is %(value)r", value=self.origin),
                    _("an address such as 'https://example.org', without a / at the end"),
                )
            )
        if not _is_time(self.publish_time):
            out.append(
                Problem(
                    ("publish_time",),
                    _("is %(value)r", value=self.publish_time),
                    _("a time of day written HH:MM, e.g. '09:00'"),
                )
            )
        return out

    def text_in(self, lang: str) -> SiteText:
        return self.text.get(lang) or next(iter(self.text.values()), SiteText())


def _is_time(text: str) -> bool:
    try:
        dt.time.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 5


def experts_path(settings: Mapping[str, Any]) -> Path:
    """The folder of the profiles."""
    return from_settings_folder(settings, SiteSettings.of(settings).experts_path)


def social_path(settings: Mapping[str, Any]) -> Path:
    """The folder of the social snapshots."""
    return from_settings_folder(settings, SiteSettings.of(settings).social_path)


def topics_path(settings: Mapping[str, Any]) -> Path:
    """The topic vocabulary's file."""
    return vocabulary_path(settings["PATH"], SiteSettings.of(settings).topics)


def vocabulary(
    settings: Mapping[str, Any], root: Path | None = None
) -> tuple[Vocabulary | None, list[Finding]]:
    """The site's topic vocabulary, and every problem in it (paths shown from ``root``)."""
    languages = tuple(settings.get("LANGUAGES") or (settings["DEFAULT_LANG"],))
    return load_vocabulary(topics_path(settings), languages, root=root)


def from_settings_folder(settings: Mapping[str, Any], path: str) -> Path:
    """``path``; a relative one from the settings file's folder, as Pelican reads ``PATH``."""
    found = Path(path)
    if found.is_absolute():
        return found
    source = settings.get(SETTINGS_FILE)
    return (Path(source).parent if source else Path.cwd()) / found
