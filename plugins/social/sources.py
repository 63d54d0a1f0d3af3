"""Which feeds to read for one expert, derived from their profile.

Consent comes first: only a profile with ``published: true`` *and*
``social_feed: true`` yields anything. Handles are re-checked against the
profile schema's patterns here because they are pasted into URLs, and this
module must stay safe even if it is handed an unvalidated profile.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple
from urllib.parse import urlsplit

from ambassade.i18n import _

from .settings import SocialSettings

Network = Literal["x", "mastodon", "bluesky", "feed"]

# Same patterns as experts/schema.json (links.*).
_X_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
_MASTODON = re.compile(r"@(?P<user>[A-Za-z0-9_.-]+)@(?P<instance>[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:[0-9]+)?)")
_BLUESKY = re.compile(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_LINKED_NETWORKS: tuple[Network, ...] = ("x", "mastodon", "bluesky")


@dataclass(frozen=True)
class FeedSource:
    """One feed to fetch, for one expert."""

    expert: str
    url: str
    network: Network


class ExpertFeeds(NamedTuple):
    """Feeds of one expert, and the reasons some of their links gave none."""

    sources: list[FeedSource]
    problems: list[str]


def consents_to_feed(profile: Mapping[str, Any]) -> bool:
    """True only when the expert agreed both to appear and to show their posts."""
    return profile.get("published") is True and profile.get("social_feed") is True


def feeds_for(slug: str, profile: Mapping[str, Any], settings: SocialSettings) -> ExpertFeeds:
    """Feeds to read for ``slug``: from ``links`` (x, mastodon, bluesky), then ``feeds``.

    Problems (an X handle with no bridge configured, a malformed handle) are
    returned, not raised: one odd profile must not stop everyone's fetch.
    """
    if not consents_to_feed(profile):
        return ExpertFeeds([], [])
    links = profile.get("links") or {}
    # url -> network; a link and an explicit feed may name the same URL.
    found: dict[str, Network] = {}
    problems: list[str] = []
    for network in _LINKED_NETWORKS:
        if links.get(network) is None:
            continue
        try:
            found.setdefault(_link_feed(network, str(links[network]), settings), network)
        except _Skipped as reason:
            problems.append(f"{slug}: {reason}")  # reason: in the tools' language already
    for url in map(str, profile.get("feeds") or []):
        if urlsplit(url).scheme in ("http", "https"):
            found.setdefault(url, guess_network(url))
        else:
            problems.append(f"{slug}: " + _("feed %(url)r is not an http(s) URL; skipped", url=url))
    sources = [FeedSource(expert=slug, url=url, network=network) for url, network in found.items()]
    return ExpertFeeds(sources, problems)


class _Skipped(Exception):
    """A link that yields no feed; the message says why."""


def _link_feed(network: Network, value: str, settings: SocialSettings) -> str:
    if network == "x":
        if not _X_HANDLE.fullmatch(value):
            raise _Skipped(_("links.x %(value)r is not an X handle; skipped", value=value))
        if settings.x_bridge is None:
            raise _Skipped(
                _(
                    "has an X handle but no RSS bridge is configured "
                    "(set SOCIAL['x_bridge'], e.g. 'https://nitter.example/{handle}/rss'); X posts skipped"
                )
            )
        return settings.x_bridge.format(handle=value)
    if network == "mastodon":
        match = _MASTODON.fullmatch(value)
        if match is None:
            raise _Skipped(_("links.mastodon %(value)r is not @user@instance; skipped", value=value))
        return settings.mastodon_template.format(**match.groupdict())
    if not _BLUESKY.fullmatch(value):
        raise _Skipped(_("links.bluesky %(value)r is not a Bluesky handle; skipped", value=value))
    return settings.bluesky_template.format(handle=value)


def guess_network(url: str) -> Network:
    """Network of an explicit feed URL, from its shape (used to label posts)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host == "bsky.app" or host.endswith(".bsky.app"):
        return "bluesky"
    if "/@" in parts.path:
        return "mastodon"
    return "feed"
