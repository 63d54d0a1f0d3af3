"""Posts as the site shows them: attached to expert pages, picked for the home page.

Reads the snapshots written by ``invoke fetch`` and never the network. Every
post shown is sanitized again here, so a hand-edited or old snapshot cannot bring
active content past a newer policy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ambassade.i18n import _
from ambassade.snapshots import SnapshotError, load_snapshot, post_date, snapshot_path

from .sanitize import clean_html

NETWORK_LABELS = {"mastodon": "Mastodon", "bluesky": "Bluesky", "x": "X", "feed": "Blog"}


@dataclass(frozen=True)
class PostView:
    network: str
    network_label: str
    url: str
    date: datetime
    html: Markup
    repost: bool
    expert: Any
    """The ExpertPage of its author."""


def _linkable(post: dict[str, Any]) -> bool:
    return post.get("url", "").startswith(("https://", "http://"))


def _view(post: dict[str, Any], date: datetime, html: Markup, expert: Any) -> PostView:
    return PostView(
        network=post.get("network", "feed"),
        network_label=NETWORK_LABELS.get(post.get("network", "feed"), "Blog"),
        url=post["url"],
        date=date,
        html=html,
        repost=bool(post.get("repost")),
        expert=expert,
    )


# Per snapshot file: a digest of its text, and the posts a profile shows from it.
_shown: dict[str, tuple[bytes, int, list[tuple[datetime, dict[str, Any], Markup]]]] = {}


def latest_posts(path: Path, count: int) -> list[tuple[datetime, dict[str, Any], Markup]]:
    """The ``count`` latest posts of the snapshot at ``path`` that link to their network, sanitized.

    Kept while the file holds the same text. Raises :class:`SnapshotError`.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()
    kept = _shown.get(str(path))
    if kept is not None and kept[:2] == (digest, count):
        return kept[2]
    snapshot = load_snapshot(path, text)
    # Picked by date first: only the posts shown are sanitized (a snapshot keeps more).
    dated = []
    for post in snapshot.get("posts", []):
        if _linkable(post):
            try:
                dated.append((post_date(post), post["url"], post))
            except (AttributeError, TypeError, ValueError):
                raise SnapshotError(
                    _(
                        "%(path)s: post %(id)r: date %(date)r is not an ISO 8601 date "
                        "(such as 2026-03-14T09:30:00+01:00)",
                        path=path,
                        id=post["id"],
                        date=post["date"],
                    )
                ) from None
    picked = [
        (date, post, Markup(clean_html(post.get("html", ""))))
        for date, _, post in sorted(dated, key=lambda d: d[:2], reverse=True)[:count]
    ]
    _shown[str(path)] = (digest, count, picked)
    return picked


def attach_posts(experts: list, directory: Path, per_profile: int) -> list[str]:
    """Give each consenting expert page its latest posts; return problems with snapshots."""
    problems = []
    for page in experts:
        if not page.profile.social_feed:
            continue
        try:
            picked = latest_posts(snapshot_path(directory, page.slug), per_profile)
        except SnapshotError as error:
            problems.append(str(error))
            continue
        page.posts = [_view(post, date, html, page) for date, post, html in picked]
    return problems


def home_selection(experts: list, count: int) -> list[PostView]:
    """The latest original post of each expert, most recent first, then their next ones.

    Round-robin across experts so that one prolific person does not fill the
    strip; reposts only when originals run out.
    """
    queues = [
        sorted(page.posts, key=lambda v: (v.repost, -v.date.timestamp(), v.url))
        for page in experts
        if page.posts
    ]
    picked: list[PostView] = []
    depth = 0
    while len(picked) < count and any(len(q) > depth for q in queues):
        layer = [q[depth] for q in queues if len(q) > depth]
        layer.sort(key=lambda v: (v.repost, -v.date.timestamp(), v.expert.slug))
        picked.extend(layer[: count - len(picked)])
        depth += 1
    return picked
