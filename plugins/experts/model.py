"""What templates see of experts and topics: profiles joined to their articles."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from ambassade.engagements import Talk
from ambassade.profiles import Expert
from ambassade.topics import Topic as VocabularyTopic

TONES = 8
"""How many background colours initials are drawn on (the theme's ``avatar--tone-<n>``)."""

NETWORKS = {
    # network: (label, how a handle becomes the profile URL)
    "linkedin": ("LinkedIn", "{}"),
    "x": ("X", "https://x.com/{}"),
    "mastodon": ("Mastodon", None),
    "bluesky": ("Bluesky", "https://bsky.app/profile/{}"),
    "github": ("GitHub", "https://github.com/{}"),
    "website": ("Site web", "{}"),
}


@dataclass(frozen=True)
class NetworkLink:
    network: str
    label: str
    url: str
    handle: str


def network_links(links: dict[str, str]) -> list[NetworkLink]:
    out = []
    for network, (label, template) in NETWORKS.items():
        handle = links.get(network)
        if not handle:
            continue
        if network == "mastodon":
            user, instance = handle.lstrip("@").split("@", 1)
            url = f"https://{instance}/@{user}"
        else:
            url = template.format(handle)
        out.append(NetworkLink(network, label, url, handle))
    return out


@dataclass(eq=False)
class Topic:
    """A topic of the vocabulary as the site shows it: its page, its experts and its articles.

    A broader topic holds the experts and articles of the topics that belong to it.
    """

    term: VocabularyTopic
    url: str
    save_as: str
    default_lang: str
    experts: list[ExpertPage] = field(default_factory=list)
    articles: list[Any] = field(default_factory=list)
    """One per article and its translations (the original), newest first."""
    feed_url: str | None = None
    parent: Topic | None = None
    children: list[Topic] = field(default_factory=list)
    """The narrower topics that have a page."""
    directory_url: str | None = None
    """The experts directory filtered on this topic."""

    @property
    def slug(self) -> str:
        return self.term.slug

    @property
    def name(self) -> str:
        """The name in the site's language."""
        return self.term.name(self.default_lang)

    def name_in(self, lang: str) -> str:
        return self.term.name(lang)

    def description_in(self, lang: str) -> str:
        return self.term.description(lang)


@dataclass(frozen=True)
class Filter:
    """One value of one facet of the experts directory (a topic, a city, a language, a team),
    and the page that lists the experts it selects."""

    facet: str
    """expertise, city, language or team."""
    key: str
    """The value as the page's address and the directory's script know it (a slug, a code)."""
    names: dict[str, str]
    """What the value is called, per language."""
    url: str
    save_as: str
    experts: tuple[ExpertPage, ...]

    def name_in(self, lang: str) -> str:
        return self.names.get(lang) or next(iter(self.names.values()))


@dataclass(eq=False)
class ExpertPage:
    """An expert as the site shows them: only built for published profiles."""

    profile: Expert
    url: str
    save_as: str
    bio_html: dict[str, str]
    links: list[NetworkLink]
    topics: list[Topic] = field(default_factory=list)
    articles: list[Any] = field(default_factory=list)
    """Published articles this expert wrote or co-wrote, one per article and its translations
    (the original), newest first."""
    feed_url: str | None = None
    posts: list[dict] = field(default_factory=list)
    """Latest public social posts, filled by the social plugin when the profile opts in."""
    upcoming_talks: list[Talk] = field(default_factory=list)
    """Talks not over yet on the day of the build, soonest first."""
    past_talks: list[Talk] = field(default_factory=list)
    """Newest first."""
    contact_address: str = ""
    """Where visitors' requests go, as the person chose (their own address, comms'), or '': no button."""
    files: dict[str, str] = field(default_factory=dict)
    """The take-away files of the person, by kind (vcard, qr, calendar): URLs from the site's root."""
    portrait: Any = None
    """The photo as served (the images plugin's), or None: the theme shows initials."""
    facets: dict[str, list[str]] = field(default_factory=dict)
    """The directory's filters that select this expert: facet -> values (topic slugs, a city's…)."""

    def __getattr__(self, name: str) -> Any:
        # Templates read profile fields (name, role, team…) directly off the page.
        if name.startswith("__") or name == "profile":
            raise AttributeError(name)
        return getattr(self.profile, name)

    @property
    def cards(self) -> dict[str, Any]:
        """The link-preview card of the page, per language (the images plugin's): kept in the profile,
        so that a page showing it depends on it (ambassade.fastpath.REDO_CONTEXT)."""
        return self.profile.derived.get("cards", {})

    def bio(self, lang: str) -> str:
        """The biography in ``lang``, else in the other language the profile has."""
        if lang in self.bio_html:
            return self.bio_html[lang]
        return next(iter(self.bio_html.values()), "")

    def bio_lang(self, lang: str) -> str | None:
        if lang in self.bio_html:
            return lang
        return next(iter(self.bio_html), None)

    def photo_alt(self, lang: str) -> str:
        """What the photo shows in ``lang``, if the person said so; else ''."""
        alt = self.profile.photo_alt
        return alt.get(lang) or next(iter(alt.values()), "")

    @property
    def initials(self) -> str:
        """The first letters of the first and last names: what a profile without a photo shows."""
        words = [w for w in re.split(r"[\s\-–'’.]+", self.name) if w[:1].isalpha()]
        if not words:
            return self.name[:1].upper()
        return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()

    @property
    def tone(self) -> int:
        """The colour behind the initials: the same for a person on every build, varied between people."""
        return zlib.crc32(self.slug.encode()) % TONES


@dataclass(frozen=True)
class AgendaEntry:
    """An upcoming talk on the agenda: the talk and who gives it."""

    talk: Talk
    expert: ExpertPage

    @property
    def month(self) -> dt.date:
        start = self.talk.start
        return dt.date(start.year, start.month, 1)
