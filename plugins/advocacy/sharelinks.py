"""Share links: plain URLs of each network's own "share" page, pre-filled.

Nothing is loaded from a network until the visitor clicks: no script, no
button image, no counter. Mastodon has no central share page, so its link
can only be built in the visitor's browser, once they say which server is
theirs (share.js); without JavaScript it points at the text to copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from ambassade.share import ShareText, shared_url, texts_for

NEEDS_PASTING = ("linkedin", "mastodon")
"""LinkedIn's share page takes a URL but no text; Mastodon's needs JavaScript to find the server."""


def _q(value: str) -> str:
    # Every reserved character encoded, spaces as %20: the same encoding suits
    # https query strings and mailto: (RFC 6068 forbids "+" for a space there).
    return quote(value, safe="")


def post(text: str, url: str) -> str:
    """What is posted: the text, a space, the article's link (as share.length counts it)."""
    return f"{text} {url}"


def share_href(network: str, text: str, url: str, title: str) -> str | None:
    """The link that opens ``network``'s share page; None for Mastodon (built in the browser)."""
    if network == "linkedin":
        return f"https://www.linkedin.com/sharing/share-offsite/?url={_q(url)}"
    if network == "x":
        return f"https://x.com/intent/post?text={_q(text)}&url={_q(url)}"
    if network == "bluesky":
        return f"https://bsky.app/intent/compose?text={_q(post(text, url))}"
    if network == "email":
        return f"mailto:?subject={_q(title)}&body={_q(text + chr(10) * 2 + url)}"
    return None


@dataclass(frozen=True)
class ShareLink:
    network: str
    href: str | None
    post: str
    """The whole post (text and link), for share.js and the copy box."""
    copy_id: int | None
    """Which copy box of the bar holds ``post``, for the networks where the visitor pastes."""


@dataclass(frozen=True)
class CopyBox:
    id: int
    post: str
    networks: tuple[str, ...]


@dataclass(frozen=True)
class ShareBar:
    url: str
    links: list[ShareLink]
    copies: list[CopyBox]


def share_bar(
    texts: Sequence[ShareText],
    *,
    url: str,
    title: str,
    networks: Iterable[str],
    utm: Mapping[str, str] | None,
) -> ShareBar:
    """An article's share links: each network gets its first text (see share.texts_for), or the
    article's title when the article has no text for it."""
    url = shared_url(url, utm)
    links: list[ShareLink] = []
    copies: dict[str, CopyBox] = {}
    for network in networks:
        chosen = texts_for(texts, network)
        text = chosen[0].text if chosen else title
        whole = post(text, url)
        copy_id = None
        if network in NEEDS_PASTING:
            box = copies.get(whole) or CopyBox(len(copies) + 1, whole, ())
            copies[whole] = CopyBox(box.id, whole, (*box.networks, network))
            copy_id = box.id
        links.append(ShareLink(network, share_href(network, text, url, title), whole, copy_id))
    return ShareBar(url, links, sorted(copies.values(), key=lambda box: box.id))
