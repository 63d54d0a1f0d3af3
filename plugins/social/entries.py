"""Turn the bytes of an RSS/Atom response into sanitized posts.

feedparser only ever sees bytes wrapped in a stream: handed a ``str`` it may
fetch it as a URL, and handed ``bytes`` it first tries to *open them as a
local file name*. Documents declaring XML entities are refused before
parsing: feedparser strips entity declarations only when each sits on a line
of its own, so a one-line "billion laughs" is expanded by expat (up to
expat's amplification limit), and no real social feed declares entities.
"""

from __future__ import annotations

import calendar
import io
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser

from .sanitize import clean_html, text_to_html
from .sources import FeedSource, Network

# "<!ENTITY" as it appears in every encoding an XML parser may detect;
# a plain substring search needs no decoding and no alignment.
_ENTITY_MARKERS = tuple(
    "<!ENTITY".encode(codec) for codec in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_REPOST_PREFIXES = ("RT by @", "RT @")
_REPOST_TITLES = {"repost", "reposted", "boost", "boosted", "reblog", "reblogged"}
# Networks whose channel <link> is the author's profile and whose items link
# under it, so an item linking elsewhere is someone else's post.
_PROFILE_LINKED = {"mastodon", "x"}
# Bluesky's RSS <description> is plain text, only XML-escaped: "&lt;b&gt;"
# there is a literal "<b>" typed by the author, not markup.
_PLAIN_TEXT_NETWORKS = {"bluesky"}


class NotAFeed(Exception):
    """The body is not a usable RSS/Atom feed; the message says why."""


@dataclass(frozen=True)
class Post:
    """One public post, already sanitized; ``feed`` is the URL it was read from."""

    expert: str
    feed: str
    network: Network
    id: str
    url: str
    date: str
    html: str
    repost: bool

    def as_snapshot(self) -> dict[str, Any]:
        """The post as stored in a snapshot (the expert is the snapshot's own key)."""
        return {
            "feed": self.feed,
            "network": self.network,
            "id": self.id,
            "url": self.url,
            "date": self.date,
            "html": self.html,
            "repost": self.repost,
        }


def parse_posts(body: bytes, source: FeedSource, *, content_type: str | None, location: str) -> list[Post]:
    """Posts of ``body`` as fetched from ``location``; raises :class:`NotAFeed`.

    ``location`` is the final URL after redirects, against which relative
    links are resolved. Entries without a usable id, http(s) link or
    date are skipped: a post we cannot link to or place in time is not shown.
    """
    if declares_entities(body):
        raise NotAFeed("document declares XML entities (refused: entity expansion / XXE)")
    headers = {"content-location": location}
    if content_type:
        headers["content-type"] = content_type
    # nh3 is the one sanitizer and link resolver: feedparser's sanitizer
    # keeps <svg> and <math> and unwraps <iframe>/<object> into stray text,
    # and its resolver turns "java&#9;script:" into an https link.
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    if not parsed.version:
        raise NotAFeed(f"not a feed: no RSS or Atom root element ({_bozo_reason(parsed)})")
    owner = parsed.feed.get("link", "") if source.network in _PROFILE_LINKED else ""
    posts = [
        post
        for post in (_post(entry, source, owner, location) for entry in parsed.entries)
        if post is not None
    ]
    # Malformed XML that feedparser's lenient parser half-read is a broken
    # response, not an empty feed: treating it as empty would erase the
    # stored posts. A well-formed feed with no entries is genuinely empty.
    if parsed.bozo and not posts:
        raise NotAFeed(f"not a feed: {_bozo_reason(parsed)}")
    return posts


def _bozo_reason(parsed: Mapping[str, Any]) -> str:
    return str(parsed.get("bozo_exception") or "unrecognised document")


def declares_entities(body: bytes) -> bool:
    """True if the document contains an ``<!ENTITY`` declaration, in any encoding feeds use."""
    return any(marker in body for marker in _ENTITY_MARKERS)


def _post(entry: Mapping[str, Any], source: FeedSource, owner: str, base_url: str) -> Post | None:
    # A permalink guid stands in for a missing <link>, never for a bad one.
    link = entry.get("link")
    url = _web_url(link) if link else _web_url(entry.get("id"))
    post_id = entry.get("id") or entry.get("link")
    date = _utc_date(entry.get("published_parsed") or entry.get("updated_parsed"))
    if url is None or not post_id or date is None:
        return None
    return Post(
        expert=source.expert,
        feed=source.url,
        network=source.network,
        id=str(post_id),
        url=url,
        date=date,
        html=_entry_html(entry, source.network, base_url),
        repost=is_repost(entry, url, owner),
    )


def _web_url(value: Any) -> str | None:
    # Only links a reader can safely follow: no javascript:, data:, at://...
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in ("http", "https") and parts.hostname else None


def _utc_date(parsed: time.struct_time | None) -> str | None:
    # feedparser normalises every date it understands to a UTC struct_time.
    if parsed is None:
        return None
    moment = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry_html(entry: Mapping[str, Any], network: Network, base_url: str) -> str:
    # The summary (RSS <description>, Atom <summary>) comes first: Mastodon
    # puts image alt text in <media:description>, which feedparser reports
    # as the entry's *content*. feedparser copies Atom <content> into the
    # summary when there is no <summary>, and the title is the last resort.
    detail = entry.get("summary_detail") or {}
    text = entry.get("summary") or ""
    kind = detail.get("type", "text/html")
    if not text and entry.get("content"):
        text, kind = entry["content"][0].get("value", ""), entry["content"][0].get("type", "text/html")
    if not text:
        text, kind = entry.get("title") or "", "text/plain"
    if network in _PLAIN_TEXT_NETWORKS or kind == "text/plain":
        return clean_html(text_to_html(text))
    return clean_html(text, base_url)


def is_repost(entry: Mapping[str, Any], url: str, owner: str) -> bool:
    """Guess whether an entry shares someone else's post (boost, repost, retweet).

    Heuristic, in order: a title or text starting with "RT by @" (Nitter's
    retweets) or "RT @"; a title that is just "Repost"/"Boost"/"Reblog" (as
    some bridges emit); for Mastodon and X, an item linking outside the
    author's profile (``owner``, the channel link) - a boost links to the
    original author's post. Mastodon's own RSS omits boosts and Bluesky's
    omits reposts, so these mostly catch bridges and other servers.
    """
    title = (entry.get("title") or "").strip()
    text = re.sub(r"<[^>]*>", "", entry.get("summary") or "").strip()
    if title.startswith(_REPOST_PREFIXES) or text.startswith(_REPOST_PREFIXES):
        return True
    if title.lower() in _REPOST_TITLES:
        return True
    if owner:
        prefix = owner.rstrip("/").lower() + "/"
        return not url.lower().startswith(prefix)
    return False
