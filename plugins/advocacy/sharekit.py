"""The share kit: every current share text, with its length on each network it is for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ambassade.share import NETWORKS, ShareText, length, shared_url, texts_for

from .sharelinks import post


@dataclass(frozen=True)
class Length:
    network: str
    label: str
    length: int
    limit: int

    @property
    def over(self) -> bool:
        return self.length > self.limit


@dataclass(frozen=True)
class KitText:
    network: str | None
    """The network the text was written for; None: every network without a text of its own."""
    post: str
    """Text and link, as it is copied and posted."""
    lengths: list[Length]


@dataclass(frozen=True)
class KitArticle:
    article: Any
    texts: list[KitText]


def kit_article(
    article: Any, texts: Sequence[ShareText], *, url: str, utm: Mapping[str, str] | None
) -> KitArticle:
    """An article's texts; each measured on the networks that would use it (share.texts_for)."""
    url = shared_url(url, utm)
    out = []
    for text in texts:
        used_on = [net for net in NETWORKS.values() if text in texts_for(texts, net.key)]
        out.append(
            KitText(
                text.network,
                post(text.text, url),
                [Length(net.key, net.label, length(text.text, net.key, url), net.limit) for net in used_on],
            )
        )
    return KitArticle(article, out)
