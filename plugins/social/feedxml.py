"""What feedparser flattens, read from the feed's own elements.

feedparser keeps one value per name for an entry, so what nested or repeated
elements say overwrites what the entry said: Mastodon's second
``<media:description>`` (an image's alt text) sets the type of the post's
body to plain text, and the ``activity:object`` of a share in an Atom
activity stream (Pleroma, GNU social, Mastodon before 3.0) brings its author's
biography, date and link into the entry. This module reads each item or entry
as the tree it is, so that a body's type comes from the element it came from,
an image keeps its own description, and a share keeps the object it shares.

It is given the text feedparser decoded (feedparser knows the encodings feeds
use and lie about); documents declaring entities never reach it (entries.py).
A document that is not well-formed XML gives ``None``: the caller then has only
feedparser's reading.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

_ATOM = "{http://www.w3.org/2005/Atom}"
_AS = "{http://activitystrea.ms/spec/1.0/}"
_THR = "{http://purl.org/syndication/thread/1.0}"
_MEDIA = "{http://search.yahoo.com/mrss/}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_POCO = "{http://portablecontacts.net/spec/1.0}"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_PUBLIC = "http://activityschema.org/collection/public"
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(frozen=True)
class Body:
    """A post's text as its element gave it: HTML, or plain text to escape."""

    text: str
    html: bool


@dataclass(frozen=True)
class Media:
    """An image (or other attachment) an item names, with its own description."""

    url: str
    type: str | None
    alt: str | None


@dataclass(frozen=True)
class Author:
    """Who wrote an entry or the object it shares."""

    name: str | None
    handle: str | None
    url: str | None


@dataclass(frozen=True)
class Node:
    """One item or entry, or the object an activity carries (``inner``)."""

    id: str | None
    url: str | None
    published: str | None
    title: str | None
    body: Body | None
    summary: Body | None
    media: tuple[Media, ...]
    author: Author | None
    creator: str | None
    verb: str | None
    object_type: str | None
    in_reply_to: str | None
    mentioned: tuple[str, ...]
    inner: Node | None


def read_items(text: str) -> list[Node] | None:
    """The items (RSS) or entries (Atom) of ``text``, in document order; None if not well-formed."""
    try:
        root = ET.fromstring(_DECLARATION.sub("", text, count=1))
    except ET.ParseError:
        return None
    if root.tag == _ATOM + "feed":
        return [_atom(entry) for entry in root.findall(_ATOM + "entry")]
    items = root.findall("channel/item") or root.findall(_RSS1 + "item") or root.findall("item")
    return [_rss(item) for item in items]


def _rss(item: ET.Element) -> Node:
    encoded = _text(item.find(_CONTENT + "encoded"))
    description = _text(item.find("description")) or _text(item.find(_RSS1 + "description"))
    body_text = encoded or description
    media = [_media_content(element) for element in item.iter(_MEDIA + "content")]
    media += [
        Media(element.get("url", ""), element.get("type"), None) for element in item.findall("enclosure")
    ]
    return Node(
        id=_text(item.find("guid")),
        url=_text(item.find("link")) or _text(item.find(_RSS1 + "link")),
        published=_text(item.find("pubDate")) or _text(item.find(_DC + "date")),
        title=_text(item.find("title")) or _text(item.find(_RSS1 + "title")),
        # RSS says <description> and <content:encoded> hold HTML, escaped or in CDATA.
        body=Body(body_text, True) if body_text else None,
        summary=None,
        media=tuple(m for m in media if m.url),
        author=None,
        creator=_text(item.find(_DC + "creator")) or _text(item.find("author")),
        verb=None,
        object_type=None,
        in_reply_to=None,
        mentioned=(),
        inner=None,
    )


def _media_content(element: ET.Element) -> Media:
    # The description is the child of *this* <media:content>; media:group and
    # item-level descriptions are not an image's alt text.
    return Media(element.get("url", ""), element.get("type"), _text(element.find(_MEDIA + "description")))


def _atom(entry: ET.Element) -> Node:
    links = entry.findall(_ATOM + "link")
    inner = entry.find(_AS + "object")
    reply = entry.find(_THR + "in-reply-to")
    return Node(
        id=_text(entry.find(_ATOM + "id")),
        url=_alternate(links),
        published=_text(entry.find(_ATOM + "published")) or _text(entry.find(_ATOM + "updated")),
        title=_text(entry.find(_ATOM + "title")),
        body=_atom_text(entry.find(_ATOM + "content")),
        summary=_atom_text(entry.find(_ATOM + "summary")),
        media=tuple(
            Media(link.get("href", ""), link.get("type"), link.get("title"))
            for link in links
            if link.get("rel") == "enclosure" and link.get("href")
        ),
        author=_author(entry.find(_ATOM + "author")),
        creator=None,
        verb=_last_segment(_text(entry.find(_AS + "verb"))),
        object_type=_last_segment(_text(entry.find(_AS + "object-type"))),
        in_reply_to=None if reply is None else (reply.get("href") or reply.get("ref")),
        mentioned=tuple(
            link.get("href", "")
            for link in links
            if link.get("rel") == "mentioned" and link.get("href") not in (None, _PUBLIC)
        ),
        inner=None if inner is None else _atom(inner),
    )


def _alternate(links: list[ET.Element]) -> str | None:
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("type", "text/html") == "text/html":
            return link.get("href")
    return None


def _author(element: ET.Element | None) -> Author | None:
    if element is None:
        return None
    handle = _text(element.find(_POCO + "preferredUsername")) or _text(element.find(_ATOM + "name"))
    name = _text(element.find(_POCO + "displayName")) or handle
    url = _alternate(element.findall(_ATOM + "link")) or _text(element.find(_ATOM + "uri"))
    return Author(name=name, handle=handle, url=url)


def _atom_text(element: ET.Element | None) -> Body | None:
    if element is None:
        return None
    kind = element.get("type", "text")
    if kind == "xhtml":
        div = element.find(_XHTML + "div")
        parts = [] if div is None else [div.text or ""] + [_xhtml(child) for child in div]
        return Body("".join(parts).strip(), True)
    text = (element.text or "").strip()
    if not text:
        return None
    return Body(text, kind in ("html", "text/html"))


def _xhtml(element: ET.Element) -> str:
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag.startswith(_XHTML):
            node.tag = node.tag[len(_XHTML) :]
    return ET.tostring(element, encoding="unicode", method="html")


def _text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def _last_segment(uri: str | None) -> str | None:
    # Activity Streams names verbs and types by URI (…/schema/1.0/share); some servers write "share".
    if not uri:
        return None
    return uri.rstrip("/").rsplit("/", 1)[-1].lower()
