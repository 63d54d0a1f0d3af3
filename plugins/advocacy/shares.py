"""Who shared what: the items of the kit each colleague passed on, and on which network.

Two traces tell it, and only for people who are published:

- a public post of theirs (the social snapshot) that links to an item: its short
  link, our article's page, or the outside page of a share item;
- clicks on their own short link (``?p=<slug>``), counted by ``invoke stats``
  only for the colleagues whose profile says ``share_stats: true``.

One share per person, item and network, on the first day it shows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from .clicks import Click
from .sources import Post


@dataclass(frozen=True, order=True)
class Share:
    day: dt.date
    person: str
    code: str
    network: str


def normalized(url: str) -> str:
    """An address as two links to the same page compare: no query, fragment or final /, host in lower case."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def short_link_re(origin: str, folder: str) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(origin.rstrip('/'))}/{re.escape(folder)}/(?P<code>[a-z0-9-]+)/(?P<network>[a-z]+)/"
    )


def found(
    posts: Mapping[str, list[Post]],
    clicks: Iterable[Click],
    pages: Mapping[str, str],
    short: re.Pattern[str],
    today: dt.date,
) -> list[Share]:
    """Every share up to ``today``; ``pages`` maps each item's page (:func:`normalized`) to its code."""
    first: dict[tuple[str, str, str], dt.date] = {}

    def note(day: dt.date, person: str, code: str, network: str) -> None:
        key = (person, code, network)
        if day <= today and (key not in first or day < first[key]):
            first[key] = day

    for person, theirs in posts.items():
        for post in theirs:
            for link in post.links:
                match = short.match(link)
                if match:
                    note(post.day, person, match["code"], post.network or match["network"])
                elif (code := pages.get(normalized(link))) is not None:
                    note(post.day, person, code, post.network)
    for click in clicks:
        if click.person:
            note(click.day, click.person, click.code, click.network)
    return sorted(Share(day, person, code, network) for (person, code, network), day in first.items())
