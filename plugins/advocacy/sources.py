"""What the repository knows about contributions, as plain facts.

Scoring and the dashboard work on these small records rather than on
Pelican's objects, so they can be tested without building a site and both
read the same facts: which articles count, on which day, by whom.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ambassade.i18n import _
from ambassade.share import share_texts
from ambassade.snapshots import post_date, snapshot_path

log = logging.getLogger(__name__)

TODAY_ENV = "ADVOCACY_TODAY"


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    url: str


@dataclass(frozen=True)
class ArticleFacts:
    """One language version of a current article."""

    day: dt.date
    authors: tuple[str, ...]
    """Slugs of its published authors (the experts plugin has dropped the others)."""
    share_texts: int
    original: bool
    """False for a translation: it adds share texts, and a translation, not an article."""
    topics: tuple[Topic, ...]


def build_date(today: dt.date | str | None, timezone: str) -> dt.date:
    """The date periods are relative to: ``today`` (the setting), else the environment, else today."""
    value = today or os.environ.get(TODAY_ENV)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value:
        return dt.date.fromisoformat(str(value))
    return dt.datetime.now(ZoneInfo(timezone)).date()


def local_day(value: dt.datetime, tz: dt.tzinfo) -> dt.date:
    """The calendar day of ``value`` on the site's clock (naive values are already local)."""
    return value.astimezone(tz).date() if value.tzinfo else value.date()


def is_current(article, today: dt.date, tz: dt.tzinfo) -> bool:
    """Published, not scheduled, and dated on or before the build's date."""
    return (
        article.status == "published"
        and not getattr(article, "scheduled", False)
        and local_day(article.date, tz) <= today
    )


def published_versions(articles: Iterable) -> list[tuple[Any, bool]]:
    """Every language version of Pelican's ``articles``, each with whether it is the original."""
    return [
        (version, version is article)
        for article in articles
        for version in [article, *article.translations]
        if version.status == "published"
    ]


def article_facts(articles: Iterable, today: dt.date, tz: dt.tzinfo) -> list[tuple[Any, ArticleFacts]]:
    """The current versions of ``articles`` (Pelican's), newest first, each with its facts."""
    out = []
    for version, original in published_versions(articles):
        if not is_current(version, today, tz):
            continue
        out.append(
            (
                version,
                ArticleFacts(
                    day=local_day(version.date, tz),
                    authors=tuple(a.slug for a in getattr(version, "authors", [])),
                    share_texts=len(share_texts(version.metadata)),
                    original=original,
                    topics=tuple(Topic(t.slug, t.name, t.url) for t in getattr(version, "tags", [])),
                ),
            )
        )
    out.sort(key=lambda pair: (pair[0].date, pair[0].source_path), reverse=True)
    return out


@dataclass(frozen=True)
class Post:
    day: dt.date
    network: str
    links: tuple[str, ...]
    """Every address the post links to (its ``href``s)."""


HREF_RE = re.compile(r"""href=["']([^"']+)["']""")


def posts_of(directory: Path, slugs: Iterable[str], tz: dt.tzinfo) -> dict[str, list[Post]]:
    """The posts in the social snapshot of each expert of ``slugs``, oldest first.

    A missing folder or file means no post yet (the fetch may never have run).
    A file that is not a snapshot is reported and skipped: the build should not
    fail over figures of an internal page.
    """
    out: dict[str, list[Post]] = {}
    for slug in sorted(slugs):
        path = snapshot_path(directory, slug)
        if not path.is_file():
            continue
        try:
            posts = json.loads(path.read_text(encoding="utf-8")).get("posts", [])
            out[slug] = sorted(
                (
                    Post(
                        post_date(post).astimezone(tz).date(),
                        str(post.get("network", "")),
                        tuple(html.unescape(h) for h in HREF_RE.findall(post.get("html") or "")),
                    )
                    for post in posts
                ),
                key=lambda p: p.day,
            )
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            log.warning(
                "%s",
                _(
                    "%(path)s is not a social snapshot (%(error)s); its posts are not counted",
                    path=path,
                    error=exc,
                ),
            )
    return out


def post_days(directory: Path, slugs: Iterable[str], tz: dt.tzinfo) -> dict[str, list[dt.date]]:
    """The day of each post of each expert of ``slugs`` (:func:`posts_of`)."""
    return {slug: [p.day for p in posts] for slug, posts in posts_of(directory, slugs, tz).items()}
