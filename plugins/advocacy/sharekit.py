"""The share kit: every current item (our articles, the outside pages comms curates), each with its
ready-to-post texts per network, their variants, and a button that opens the network's share page.

What a colleague posts is the text (with the charter's disclosure added when it
lacks it) then the item's link: its short link ``/go/<code>/<network>/`` when
``SHARING["short_links"]`` is on, so that clicks are counted from the access log,
else the page's own address with the UTM tags of the settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ambassade.share import NETWORKS, ShareText, length, shared_url, short_link, texts_for, with_disclosure
from ambassade.share_items import Campaign

from .sharelinks import post, share_href


@dataclass(frozen=True)
class Variant:
    text: str
    """The text as given out, the disclosure included."""
    post: str
    """Text and link, as it is copied and posted."""
    href: str | None
    """The network's share page, filled in; None for Mastodon (the visitor's server, share.js)."""
    length: int | None
    limit: int | None
    """None for e-mail, which has no limit."""

    @property
    def over(self) -> bool:
        return self.limit is not None and self.length is not None and self.length > self.limit


@dataclass(frozen=True)
class KitNetwork:
    network: str
    link: str
    """The link each text ends with (short link, or the page with its UTM tags)."""
    variants: list[Variant]


@dataclass(frozen=True)
class Destination:
    """Where a link of the kit leads, once on the other side of the short link."""

    code: str
    url: str
    """The page's address, without tags."""
    campaign: str | None

    def tagged(self, utm: Mapping[str, str] | None, network: str, tag: bool = True) -> str:
        return (
            shared_url(self.url, utm, network=network, campaign=self.campaign, item=self.code)
            if tag
            else self.url
        )


@dataclass(frozen=True)
class KitItem:
    kind: str
    """``article`` (ours) or ``outside`` (a share item)."""
    code: str
    title: str
    url: str
    """Our article's page (relative to the site's root) or the outside page (absolute)."""
    lang: str
    day: dt.date
    until: dt.date | None
    campaign: Campaign | None
    tags: tuple[str, ...]
    why: str
    """Why it matters: an article's summary (HTML), an item's body (HTML)."""
    authors: tuple[tuple[str, str], ...]
    """An article's published authors: (name, page URL)."""
    networks: list[KitNetwork]
    article: Any = None
    """Our article (its link-preview card, once the images plugin has drawn it); None for an outside page."""


@dataclass(frozen=True)
class Links:
    """How the kit's links are made: from the settings, once per build."""

    origin: str
    utm: Mapping[str, str] | None
    short_links: bool
    path: str
    tag_outside: bool

    def link(self, destination: Destination, network: str, outside: bool) -> str:
        if self.short_links:
            return short_link(self.origin, destination.code, network, self.path)
        return destination.tagged(self.utm, network, tag=self.tag_outside or not outside)


def networks_of(
    texts: Sequence[ShareText],
    *,
    title: str,
    destination: Destination,
    links: Links,
    outside: bool,
    networks: Sequence[str],
    disclosure: str | None,
) -> list[KitNetwork]:
    """Each network's texts (``share.texts_for``; e-mail takes the texts for every network), each
    measured as the network counts it, with its share page."""
    out = []
    for network in networks:
        chosen = texts_for(texts, network)
        if not chosen:
            continue
        link = links.link(destination, network, outside)
        variants = []
        for text in chosen:
            said = with_disclosure(text.text, disclosure)
            known = NETWORKS.get(network)
            variants.append(
                Variant(
                    text=said,
                    post=post(said, link),
                    href=share_href(network, said, link, title),
                    length=length(said, network, link) if known else None,
                    limit=known.limit if known else None,
                )
            )
        out.append(KitNetwork(network, link, variants))
    return out


def current(items: Sequence[KitItem], today: dt.date) -> list[KitItem]:
    """The items in the kit on ``today``: entered, not ended; newest first."""
    kept = [i for i in items if i.day <= today and (i.until is None or today <= i.until)]
    return sorted(kept, key=lambda i: (i.day, i.kind == "outside", i.code), reverse=True)


def by_campaign(items: Sequence[KitItem]) -> dict[str | None, list[KitItem]]:
    out: dict[str | None, list[KitItem]] = {}
    for item in items:
        out.setdefault(item.campaign.slug if item.campaign else None, []).append(item)
    return out
