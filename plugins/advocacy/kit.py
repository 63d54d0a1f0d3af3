"""The kit's items, made from Pelican's articles and from the share items comms curates.

Every item that may have been shared gets a :class:`~.sharekit.KitItem`: the
current ones make the share kit, and every one that has entered the kit (ended
ones too: links already posted must keep working) gets its short links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import markdown
import nh3

from ambassade.share import article_key, item_code, share_texts
from ambassade.share_items import Campaign, ShareItem

from .sharekit import Destination, KitItem, Links, networks_of


@dataclass(frozen=True)
class Made:
    item: KitItem
    destination: Destination
    outside: bool
    summary: str
    """One line about the item, as plain text: link previews and the digest show it."""


def _plain(html: str) -> str:
    return " ".join(nh3.clean(html, tags=set()).split())


def from_articles(
    versions: Sequence[tuple[Any, Any]],
    *,
    origin: str,
    campaigns: Mapping[str, Campaign],
    links: Links,
    networks: Sequence[str],
    disclosure: Callable[[str], str | None],
    authors: Callable[[Any], tuple[tuple[str, str], ...]],
) -> list[Made]:
    """An item for each version (Pelican's article, its facts) that has share texts."""
    out = []
    for article, facts in versions:
        texts = share_texts(article.metadata)
        if not texts:
            continue
        code = item_code(article_key(article.slug, article.lang))
        campaign = campaigns.get(article.metadata.get("campaign") or "")
        destination = Destination(code, f"{origin}/{article.url}", campaign.slug if campaign else None)
        item = KitItem(
            kind="article",
            article=article,
            code=code,
            title=article.title,
            url=article.url,
            lang=article.lang,
            day=facts.day,
            until=None,
            campaign=campaign,
            tags=tuple(t.name for t in getattr(article, "tags", [])),
            why=getattr(article, "summary", "") or "",
            authors=authors(article),
            networks=networks_of(
                texts,
                title=article.title,
                destination=destination,
                links=links,
                outside=False,
                networks=networks,
                disclosure=disclosure(article.lang),
            ),
        )
        out.append(Made(item, destination, False, _plain(item.why)))
    return out


def from_share_items(
    items: Sequence[ShareItem],
    *,
    campaigns: Mapping[str, Campaign],
    links: Links,
    networks: Sequence[str],
    disclosure: Callable[[str], str | None],
    markdown_settings: Mapping[str, Any],
) -> list[Made]:
    out = []
    md = markdown.Markdown(**markdown_settings)
    for share in items:
        campaign = campaigns.get(share.campaign or "")
        destination = Destination(share.code, share.url, campaign.slug if campaign else None)
        # Comms writes it, colleagues read it: Markdown, cleaned as any HTML from a contributor.
        why = nh3.clean(md.reset().convert(share.why)) if share.why else ""
        item = KitItem(
            kind="outside",
            code=share.code,
            title=share.title,
            url=share.url,
            lang=share.lang,
            day=share.day,
            until=share.until,
            campaign=campaign,
            tags=share.tags,
            why=why,
            authors=(),
            networks=networks_of(
                share.texts,
                title=share.title,
                destination=destination,
                links=links,
                outside=True,
                networks=networks,
                disclosure=disclosure(share.lang),
            ),
        )
        out.append(Made(item, destination, True, _plain(why)))
    return out


def entered(made: Sequence[Made], today: dt.date) -> list[Made]:
    """The items that have entered the kit by ``today`` (ended ones included)."""
    return [m for m in made if m.item.day <= today]
