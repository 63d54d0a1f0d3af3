"""Turn the bytes of an RSS/Atom response into the expert's own posts, sanitized.

feedparser only ever sees bytes wrapped in a stream: handed a ``str`` it may
fetch it as a URL, and handed ``bytes`` it first tries to *open them as a
local file name*. Documents declaring XML entities are refused before
parsing: feedparser strips entity declarations only when each sits on a line
of its own, so a one-line "billion laughs" is expanded by expat (up to
expat's amplification limit), and no real social feed declares entities.

feedparser reads dates, encodings and broken feeds well, but it flattens each
entry into one dict; feedxml.py reads the same document as a tree, and its
reading wins for what feedparser gets wrong: the type of a body, the
description of each image, and the activities of Atom activity streams. Only
posts are kept: the expert's own, their replies (marked, with the account
answered) and their shares (marked, with the original's author and link, at
the date they shared it); favourites, follows and deletions are not posts.
"""

from __future__ import annotations

import calendar
import html
import io
import re
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser

from .feedxml import Author, Body, Media, Node, read_items
from .markup import FoundImage, bridge_to_x, has_words, prepare_html, text_to_html, visible_text
from .sanitize import clean_html
from .sources import FeedSource, Network

# "<!ENTITY" as it appears in every encoding an XML parser may detect;
# a plain substring search needs no decoding and no alignment.
_ENTITY_MARKERS = tuple(
    "<!ENTITY".encode(codec) for codec in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_REPOST_TITLES = {"repost", "reposted", "boost", "boosted", "reblog", "reblogged"}
# Networks whose channel <link> is the author's profile and whose items link
# under it, so an item linking elsewhere is someone else's post.
_PROFILE_LINKED = {"mastodon", "x"}
# Bluesky's RSS <description> is plain text, only XML-escaped: "&lt;b&gt;"
# there is a literal "<b>" typed by the author, not markup.
_PLAIN_TEXT_NETWORKS = {"bluesky"}
# Activity Streams verbs that make a post; every other one (favorite, follow,
# delete, unfollow…) is something the person did, not something they wrote.
_POST_VERBS = {None, "post", "share"}
_IMAGE_TYPES = ("image/",)
_IMAGE_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:$|[?#])", re.IGNORECASE)

# The ways bridges and servers write a share or a reply in a title or a text.
_NITTER_SHARE = re.compile(r"^RT by @(?P<by>\w{1,15}): ")
_NITTER_OLD_SHARE = re.compile(r"^RT: ")
_NITTER_REPLY = re.compile(r"^R to @(?P<to>\w{1,15}): ")
_NITTER_PINNED = re.compile(r"^Pinned: ")
_RSSHUB_SHARE = re.compile(r"^RT (?P<name>[^:]{1,60}): ")
_RSSHUB_SHARE_BODY = re.compile(r"^\s*RT(?:&ensp;|\u2002|\s)+[^<]{1,60}<br\s*/?>\s*", re.IGNORECASE)
_RSSHUB_REPLY = re.compile(r"^Re (?=@\w)")
_RT_AT = re.compile(r"^RT @?(?P<handle>[\w.@-]{1,60})\b:?\s")
_HANDLE = re.compile(r"@(?P<handle>\w{1,15})\b")
_MASTODON_PATH = re.compile(r"^/(?:@(?P<at>[\w.-]+)|users/(?P<users>[\w.-]+))(?:/|$)")
_X_PATH = re.compile(r"^/(?P<user>\w{1,15})(?:/status/\d+)?/?$")
_X_RESERVED = {"i", "search", "home", "hashtag", "intent", "share"}


class NotAFeed(Exception):
    """The body is not a usable RSS/Atom feed; the message says why."""


@dataclass(frozen=True)
class Account:
    """Someone a post names: the author of what it shares, the account it answers."""

    name: str
    url: str | None

    def as_snapshot(self) -> dict[str, Any]:
        return {"name": self.name, "url": self.url}


@dataclass(frozen=True)
class Image:
    """An image of a post: where the feed says it is, and its description.

    Once fetched (images.py), ``file`` names it beside the snapshots, with its size.
    """

    src: str
    alt: str | None
    file: str | None = None
    width: int | None = None
    height: int | None = None

    def as_snapshot(self) -> dict[str, Any]:
        return {
            "src": self.src,
            "alt": self.alt,
            "file": self.file,
            "width": self.width,
            "height": self.height,
        }


@dataclass(frozen=True)
class Post:
    """One public post, already sanitized; ``feed`` is the URL it was read from.

    ``date`` is when it was published, or shared for a share; ``repost`` says
    it shares ``original``'s post (``url`` links to that post); ``reply_to``
    is the account it answers.
    """

    expert: str
    feed: str
    network: Network
    id: str
    url: str
    date: str
    html: str
    repost: bool
    original: Account | None = None
    reply_to: Account | None = None
    images: tuple[Image, ...] = ()

    def as_snapshot(self) -> dict[str, Any]:
        """The post as stored in a snapshot (the expert is the snapshot's own key)."""
        out: dict[str, Any] = {
            "feed": self.feed,
            "network": self.network,
            "id": self.id,
            "url": self.url,
            "date": self.date,
            "html": self.html,
            "repost": self.repost,
        }
        if self.original is not None:
            out["original"] = self.original.as_snapshot()
        if self.reply_to is not None:
            out["reply_to"] = self.reply_to.as_snapshot()
        if self.images:
            out["images"] = [image.as_snapshot() for image in self.images]
        return out


@dataclass(frozen=True)
class Parsed:
    """What a feed holds: its posts, why its other entries were skipped, what it says was deleted."""

    posts: list[Post]
    entries: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    deleted: frozenset[str] = frozenset()


def parse_posts(body: bytes, source: FeedSource, *, content_type: str | None, location: str) -> Parsed:
    """Posts of ``body`` as fetched from ``location``; raises :class:`NotAFeed`.

    ``location`` is the final URL after redirects, against which relative
    links are resolved. Entries without a usable id, http(s) link or date are
    skipped (a post we cannot link to or place in time is not shown), and so
    are activities and posts left empty by the sanitizer.
    """
    if declares_entities(body):
        raise NotAFeed("document declares XML entities (refused: entity expansion / XXE)")
    if _is_json_feed(body, content_type):
        raise NotAFeed("JSON Feed is not supported: give the address of the RSS or Atom feed instead")
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
    nodes = _tree(body, parsed)
    reader = _Reader(source, location, parsed.feed.get("link", ""))
    posts: list[Post] = []
    skipped: Counter[str] = Counter()
    deleted: set[str] = set()
    for index, entry in enumerate(parsed.entries):
        outcome = reader.read(entry, nodes[index] if nodes else None)
        if isinstance(outcome, Post):
            posts.append(outcome)
        else:
            skipped[outcome.reason] += 1
            deleted |= outcome.deleted
    # Malformed XML that feedparser's lenient parser half-read is a broken
    # response, not an empty feed: treating it as empty would erase the
    # stored posts. A well-formed feed with no entries is genuinely empty.
    if parsed.bozo and not posts:
        raise NotAFeed(f"not a feed: {_bozo_reason(parsed)}")
    return Parsed(posts, len(parsed.entries), skipped, frozenset(deleted))


def declares_entities(body: bytes) -> bool:
    """True if the document contains an ``<!ENTITY`` declaration, in any encoding feeds use."""
    return any(marker in body for marker in _ENTITY_MARKERS)


def _is_json_feed(body: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    return body.lstrip()[:1] == b"{" and b"jsonfeed.org/version" in body[:4096]


def _bozo_reason(parsed: Mapping[str, Any]) -> str:
    return str(parsed.get("bozo_exception") or "unrecognised document")


def _tree(body: bytes, parsed: Mapping[str, Any]) -> list[Node] | None:
    """The entries as feedxml reads them, one per feedparser entry, or None."""
    try:
        text = body.decode(parsed.get("encoding") or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return None
    nodes = read_items(text)
    return nodes if nodes is not None and len(nodes) == len(parsed.entries) else None


@dataclass(frozen=True)
class _Skip:
    reason: str
    deleted: frozenset[str] = frozenset()


@dataclass
class _Shape:
    """What an entry turned out to be, before it becomes a Post."""

    body: Body | None
    media: tuple[Media, ...] = ()
    original: Account | None = None
    reply_to: Account | None = None
    url: str | None = None


class _Reader:
    def __init__(self, source: FeedSource, location: str, channel_link: str) -> None:
        self.source = source
        self.base_url = location
        self.owner = channel_link if source.network in _PROFILE_LINKED else ""
        # Posts read through an X bridge link to x.com, not to the bridge: the bridge is
        # where its channel links to (the profile on the bridge), else where it was read.
        bridge = urlsplit(channel_link).hostname or urlsplit(source.url).hostname or ""
        self.bridge = bridge.lower() if source.network == "x" else None

    def read(self, entry: Mapping[str, Any], node: Node | None) -> Post | _Skip:
        if node is not None and node.verb not in _POST_VERBS:
            if node.verb == "delete":
                ids = {node.id, node.inner.id if node.inner else None} - {None}
                return _Skip("deletion", frozenset(str(i) for i in ids))
            return _Skip("activity")
        if node is not None and node.verb is not None:
            post_id, url, date = node.id, _web_url(node.url) or _web_url(node.id), _iso_date(node.published)
            date = date or _utc_date(entry.get("published_parsed") or entry.get("updated_parsed"))
            shape = self._activity(node)
        else:
            link = entry.get("link")
            # A permalink guid stands in for a missing <link>, never for a bad one.
            url = _web_url(link) if link else _web_url(entry.get("id"))
            post_id = entry.get("id") or entry.get("link")
            date = _utc_date(entry.get("published_parsed") or entry.get("updated_parsed"))
            shape = self._item(entry, node, url)
        url = shape.url or url
        if url is None or not post_id or date is None:
            return _Skip("no link, id or date")
        if self.bridge:
            url = bridge_to_x(url, self.bridge)
        html, found = self._html(shape.body)
        images = _images(shape.media, found)
        if not has_words(html) and not images:
            return _Skip("empty")
        return Post(
            expert=self.source.expert,
            feed=self.source.url,
            network=self.source.network,
            id=str(post_id),
            url=url,
            date=date,
            html=html,
            repost=shape.original is not None,
            original=shape.original,
            reply_to=shape.reply_to,
            images=images,
        )

    # -- Atom activity streams ---------------------------------------------------------------

    def _activity(self, node: Node) -> _Shape:
        if node.verb == "share" and node.inner is not None:
            original, author = _shared(node.inner)
            return _Shape(
                body=original.body or original.summary,
                media=original.media,
                original=_account(author, original.url or original.id),
                url=_web_url(original.url) or _web_url(original.id),
            )
        body = node.body
        if body is not None and node.summary is not None:
            # Here <summary> is the author's content warning, shown before the text.
            warning = Body(f"<p><strong>{_escaped(node.summary)}</strong></p>", True)
            body = Body(warning.text + (body.text if body.html else _escaped(body)), True)
        reply_to = None
        if node.in_reply_to or node.object_type == "comment":
            reply_to = _replied(node)
        return _Shape(body=body or node.summary, media=node.media, reply_to=reply_to)

    # -- RSS and plain Atom ------------------------------------------------------------------

    def _item(self, entry: Mapping[str, Any], node: Node | None, url: str | None) -> _Shape:
        body = self._body(entry, node)
        title = (entry.get("title") or "").strip()
        shape = _Shape(body=body, media=node.media if node else _feedparser_media(entry))
        if self.source.network == "x":
            self._x_forms(shape, title, entry, node)
        if shape.original is None and body is not None:
            match = _RT_AT.match(title) or _RT_AT.match(visible_text(body.text).strip())
            if match:
                shape.original = Account("@" + match.group("handle").lstrip("@"), None)
        if (
            shape.original is None
            and url is not None
            and (title.lower() in _REPOST_TITLES or self._outside_owner(url))
        ):
            shape.original = _account_of_post(url, self.source.network) or Account(
                urlsplit(url).hostname or url, None
            )
        return shape

    def _x_forms(self, shape: _Shape, title: str, entry: Mapping[str, Any], node: Node | None) -> None:
        """Shares and replies as X bridges write them (Nitter, RSSHub)."""
        creator = (node.creator if node else None) or entry.get("author") or ""
        if match := _NITTER_SHARE.match(title):
            handle = creator.lstrip("@") if re.fullmatch(r"@?\w{1,15}", creator) else None
            shape.original = _x_account(handle) if handle else _account_of_post(entry.get("link", ""), "x")
        elif _NITTER_OLD_SHARE.match(title):
            shape.original = _account_of_post(entry.get("link", ""), "x")
        elif match := _NITTER_REPLY.match(title):
            shape.reply_to = _x_account(match.group("to"))
        elif match := _RSSHUB_SHARE.match(title):
            shape.original = Account(match.group("name").strip(), None)
            if shape.body is not None:
                shape.body = Body(_RSSHUB_SHARE_BODY.sub("", shape.body.text, count=1), shape.body.html)
        elif _RSSHUB_REPLY.match(title):
            handle = _HANDLE.search(title)
            shape.reply_to = _x_account(handle.group("handle")) if handle else None
            if shape.body is not None:
                shape.body = Body(re.sub(r"^\s*Re ", "", shape.body.text, count=1), shape.body.html)
        elif _NITTER_PINNED.match(title):
            pass

    def _outside_owner(self, url: str) -> bool:
        if not self.owner:
            return False
        owner = self.owner.rstrip("/").lower()
        if self.bridge:
            owner = bridge_to_x(owner, self.bridge).lower()
            url = bridge_to_x(url, self.bridge)
        return not url.lower().startswith(owner + "/")

    def _body(self, entry: Mapping[str, Any], node: Node | None) -> Body | None:
        body = (node.body or node.summary) if node is not None else _feedparser_body(entry)
        if body is not None and self.source.network in _PLAIN_TEXT_NETWORKS:
            body = Body(body.text, False)
        if body is None and self.source.network == "feed" and entry.get("title"):
            # A blog's item may be a title and a link; a social post's title is never its text
            # (Bluesky's is "@handle post").
            body = Body(entry["title"], False)
        return body

    def _html(self, body: Body | None) -> tuple[str, list[FoundImage]]:
        if body is None:
            return "", []
        if not body.html:
            return clean_html(text_to_html(body.text), self.base_url), []
        prepared, found = prepare_html(body.text, self.base_url, self.bridge)
        return clean_html(prepared, self.base_url), found


def _feedparser_body(entry: Mapping[str, Any]) -> Body | None:
    """The body when the tree could not be read: feedparser's, its type trusted only if it is its own."""
    text = entry.get("summary") or ""
    detail = entry.get("summary_detail") or {}
    if text:
        own_type = detail.get("value") == text
        return Body(text, not own_type or detail.get("type", "text/html") != "text/plain")
    for content in entry.get("content") or []:
        if content.get("value"):
            return Body(content["value"], content.get("type", "text/html") != "text/plain")
    return None


def _feedparser_media(entry: Mapping[str, Any]) -> tuple[Media, ...]:
    found = [Media(m.get("url", ""), m.get("type"), None) for m in entry.get("media_content") or []]
    found += [Media(e.get("href", ""), e.get("type"), None) for e in entry.get("enclosures") or []]
    return tuple(m for m in found if m.url)


def _images(media: tuple[Media, ...], found: list[FoundImage]) -> tuple[Image, ...]:
    images: dict[str, Image] = {}
    for item in media:
        kind = (item.type or "").lower()
        is_image = kind.startswith(_IMAGE_TYPES) if kind else bool(_IMAGE_SUFFIX.search(item.url))
        if is_image and _web_url(item.url):
            images.setdefault(item.url, Image(item.url, (item.alt or "").strip() or None))
    for image in found:
        if _web_url(image.src):
            images.setdefault(image.src, Image(image.src, image.alt))
    return tuple(images.values())


def _shared(node: Node) -> tuple[Node, Author | None]:
    """The post a share shares, however deep servers nest it, and its author.

    GNU social nests a share of a share inside the share; the original is the
    first object that is not itself a share, and its author is given on it or
    on the object that carries it.
    """
    author = node.author
    while node.verb == "share" and node.inner is not None:
        node = node.inner
        author = node.author or author
    if node.body is None and node.inner is not None:
        inner = node.inner
        merged = replace(node, body=inner.body, url=node.url or inner.url, media=node.media or inner.media)
        return merged, node.author or inner.author or author
    return node, node.author or author


def _account(author: Author | None, post_url: str | None) -> Account:
    if author is not None and (author.name or author.handle):
        return Account(author.name or author.handle or "", _web_url(author.url))
    found = _account_of_post(post_url or "", "mastodon")
    return found or Account(urlsplit(post_url or "").hostname or "?", None)


def _replied(node: Node) -> Account | None:
    """The account a reply answers: from the post it answers, else the first person it mentions."""
    for url in (node.in_reply_to, *node.mentioned):
        account = _account_of_post(url or "", "mastodon")
        if account is not None:
            return account
    if node.mentioned and node.body is not None and node.body.html:
        # GNU social names people by number (/user/9); the mention's text is their name.
        link = re.search(
            r'<a\s[^>]*href="' + re.escape(node.mentioned[0]) + r'"[^>]*>(?P<name>[^<]+)</a>', node.body.text
        )
        host = urlsplit(node.mentioned[0]).hostname
        if link and host:
            return Account(f"@{link.group('name').lstrip('@')}@{host}", node.mentioned[0])
    return None


def _account_of_post(url: str, network: Network) -> Account | None:
    """The author of the post (or profile) at ``url``, when the address says it."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        return None
    if network == "x" or host in ("x.com", "twitter.com"):
        match = _X_PATH.match(parts.path)
        if match and match.group("user").lower() not in _X_RESERVED:
            return _x_account(match.group("user"))
        return None
    match = _MASTODON_PATH.match(parts.path)
    if match:
        user = match.group("at") or match.group("users")
        return Account(f"@{user}@{host}", f"https://{host}/@{user}")
    return None


def _x_account(handle: str) -> Account:
    return Account(f"@{handle}", f"https://x.com/{handle}")


def _escaped(body: Body) -> str:
    return body.text if body.html else html.escape(body.text, quote=False)


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


def _iso_date(value: str | None) -> str | None:
    # Atom dates are RFC 3339; a date without a zone is taken as UTC.
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
