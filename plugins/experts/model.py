"""What templates see of experts and topics: profiles joined to their articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ambassade.profiles import Expert

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
    name: str
    slug: str
    url: str
    save_as: str
    experts: list[ExpertPage] = field(default_factory=list)
    articles: list[Any] = field(default_factory=list)
    feed_url: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    """The topic's name in other languages (EXPERTS["topic_names"])."""

    def name_in(self, lang: str) -> str:
        return self.names.get(lang, self.name)


@dataclass(eq=False)
class ExpertPage:
    """An expert as the site shows them: only built for published profiles."""

    profile: Expert
    url: str
    save_as: str
    photo_url: str | None
    photo_save_as: str | None
    bio_html: dict[str, str]
    links: list[NetworkLink]
    topics: list[Topic] = field(default_factory=list)
    articles: list[Any] = field(default_factory=list)
    """Published articles (all languages) this expert wrote or co-wrote, newest first."""
    feed_url: str | None = None
    posts: list[dict] = field(default_factory=list)
    """Latest public social posts, filled by the social plugin when the profile opts in."""

    def __getattr__(self, name: str) -> Any:
        # Templates read profile fields (name, role, team…) directly off the page.
        if name.startswith("__") or name == "profile":
            raise AttributeError(name)
        return getattr(self.profile, name)

    def bio(self, lang: str) -> str:
        """The biography in ``lang``, else in the other language the profile has."""
        if lang in self.bio_html:
            return self.bio_html[lang]
        return next(iter(self.bio_html.values()), "")

    def bio_lang(self, lang: str) -> str | None:
        if lang in self.bio_html:
            return lang
        return next(iter(self.bio_html), None)
